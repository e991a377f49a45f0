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
