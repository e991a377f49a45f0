/**
 * Line numbers for `aws-auth` diagnostics: offsets to 1-based lines, and the
 * lines of a `mapRoles: |` block mapped back to the lines of the manifest
 * that holds it.
 *
 * @module
 */
import { SCALAR_STYLE } from 'js-yaml';
import type { YamlScalar } from './yaml.js';

/** Maps a 1-based line of an inner YAML text to a line of the original input, if it can. */
export type LineMapper = (innerLine: number) => number | undefined;

/** Offsets to 1-based line numbers, by binary search over line starts. */
export class LineIndex {
  readonly #starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      this.#starts.push(i + 1);
    }
  }

  /** The 1-based column of `offset` (in UTF-16 code units, as editors count them). */
  columnOf(offset: number): number {
    return offset - (this.#starts[this.lineOf(offset) - 1] as number) + 1;
  }

  /** The 1-based line of `offset`. */
  lineOf(offset: number): number {
    const starts = this.#starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/**
 * The offset of the `-` that introduces a block sequence item whose content
 * starts at `start` (the item may start on the line after its dash), or
 * `start` itself for a flow item.
 */
export function itemIndicatorOffset(text: string, start: number): number {
  let i = start - 1;
  while (i >= 0) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i -= 1;
  }
  return i >= 0 && text.charCodeAt(i) === 0x2d /* - */ ? i : start;
}

/** Inner lines are the original lines (an object input's string value). */
export const sameLines: LineMapper = (line) => line;

/** Where a 1-based line and column of an inner YAML text are in the original input, if that can be told. */
export type Locator = (
  innerLine: number,
  innerColumn: number,
) => { line: number; column: number } | undefined;

/** Inner lines and columns are the original ones (an object input's string value). */
export const sameLocation: Locator = (line, column) => ({ line, column });

/**
 * How lines and columns of a scalar's decoded value map to the text it was
 * read from: a literal block (`|`) shifts lines and indents every column by
 * its content indentation; a plain scalar on one line shifts columns by its
 * own; a quoted, folded or multi-line scalar reflows or unescapes its text,
 * so nothing is told.
 */
export function scalarLocator(text: string, lines: LineIndex, scalar: YamlScalar): Locator {
  const toLine = scalarLineMapper(text, lines, scalar);
  if (scalar.style === SCALAR_STYLE.LITERAL_BLOCK && scalar.indent !== undefined) {
    const indent = scalar.indent;
    return (line, column) => {
      const at = toLine(line);
      return at === undefined ? undefined : { line: at, column: column + indent };
    };
  }
  const newline = text.indexOf('\n', scalar.valueStart);
  if (scalar.style === SCALAR_STYLE.PLAIN && (newline === -1 || newline >= scalar.valueEnd)) {
    const line = lines.lineOf(scalar.valueStart);
    const first = lines.columnOf(scalar.valueStart);
    return (_line, column) => ({ line, column: first + column - 1 });
  }
  return () => undefined;
}

const noLines: LineMapper = () => undefined;

/**
 * How lines of a scalar's decoded value map to lines of the text it was read
 * from. A literal block (`|`) keeps every line break, so the mapping is a
 * shift; a scalar written on one line puts every inner line on that line; a
 * folded or multi-line quoted scalar reflows lines, so nothing can be told.
 */
export function scalarLineMapper(text: string, lines: LineIndex, scalar: YamlScalar): LineMapper {
  if (scalar.style === SCALAR_STYLE.LITERAL_BLOCK) {
    // js-yaml's valueStart is the start of the block's first content line.
    const first = lines.lineOf(scalar.valueStart);
    return (line) => first + line - 1;
  }
  const newline = text.indexOf('\n', scalar.valueStart);
  if (newline === -1 || newline >= scalar.valueEnd) {
    const only = lines.lineOf(scalar.valueStart);
    return () => only;
  }
  return noLines;
}
