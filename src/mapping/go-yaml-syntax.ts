/**
 * Where go-yaml v2's scanner and parser (a port of libyaml, YAML 1.1) read
 * a text differently from js-yaml (YAML 1.2), and what `yaml.ts` does about
 * it. EKS reads `aws-auth` with go-yaml v2 (through sigs.k8s.io/yaml), so
 * its rules win. Each rule cites gopkg.in/yaml.v2 v2.4.0 (scannerc.go,
 * parserc.go, readerc.go); all are linear scans, no regular expression
 * backtracks.
 *
 * - Directives: only `%YAML 1.1` and `%TAG` exist (parserc.go:1032,
 *   scannerc.go:1558); `%YAML 1.2` and unknown names fail the whole text.
 * - NEL, LS and PS are line breaks (yamlprivateh.go `is_break`): replaced by
 *   `\n` before js-yaml reads the text (same length, so offsets hold).
 * - Quoted scalars are decoded here, not by js-yaml: libyaml has `\'` and no
 *   `\/` (scannerc.go:2363-2427), and keeps LS/PS as written when it folds
 *   lines (scannerc.go:2517-2535).
 * - `yaml.Unmarshal` reads the first document only, and stops where the
 *   parser ends it: at a `---` or `...` line, or at the first line indented
 *   left of a block root (an implicit document end, parserc.go:296-316).
 *   Whatever follows is never parsed, errors included.
 * - Tabs: before a token at the start of a line or after a block `-`/`?`,
 *   a tab is no separator (scannerc.go:2209-2213): "found character that
 *   cannot start any token"; in the continuation of a plain scalar left of
 *   its block (scannerc.go:2660) or in a block scalar's indentation
 *   (scannerc.go:2287) it fails too. Elsewhere a tab separates like a
 *   space, where js-yaml sometimes refuses it (`groups:\t[a]`).
 * - An implicit key whose `:` is more than 1,024 characters from its start
 *   is no key (scannerc.go:835): the text fails.
 * - In a flow collection, a plain scalar runs through a `:` that is not
 *   followed by a blank (scannerc.go:2606): `[x:]` is `["x:"]`.
 *
 * @module
 */

/** A syntax error go-yaml v2 reports, at an offset of the text. */
export interface GoSyntaxError {
  /** The reason, in go-yaml's words. */
  readonly message: string;
  /** Offset of the problem. */
  readonly offset: number;
}

const LF = 0x0a;
const CR = 0x0d;
const TAB = 0x09;
const SPACE = 0x20;
const NEL = 0x85;
const LS = 0x2028;
const PS = 0x2029;

function isBreak(c: number): boolean {
  return c === LF || c === CR || c === NEL || c === LS || c === PS;
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/** `is_blankz`: a blank, a break or the end of the text. */
function isBlankz(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const c = text.charCodeAt(i);
  return isBlank(c) || isBreak(c);
}

/**
 * The text with NEL, LS and PS as `\n`, which is what they are in YAML 1.1;
 * those for which `inQuotes` is true as a space instead (a quoted scalar
 * is decoded from the original text, and js-yaml wants its continuation
 * lines indented, which libyaml does not).
 */
export function withYaml11Breaks(text: string, inQuotes?: (offset: number) => boolean): string {
  let out: string[] | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === NEL || c === LS || c === PS) {
      out ??= text.split('');
      out[i] = inQuotes?.(i) === true ? ' ' : '\n';
    }
  }
  return out === undefined ? text : out.join('');
}

/** Offsets of NEL, LS and PS in `text`. */
export function yaml11BreakOffsets(text: string): number[] {
  const at: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === NEL || c === LS || c === PS) at.push(i);
  }
  return at;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

/** Is the line at `start` a document marker (`---` or `...` then a blank or the end)? */
export function isDocumentMarker(text: string, start: number): boolean {
  const three = text.slice(start, start + 3);
  return (three === '---' || three === '...') && isBlankz(text, start + 3);
}

/**
 * go-yaml v2's directive rules for the directives that open the text:
 * `%YAML` must say 1.1, `%TAG` is fine, any other name fails.
 */
export function checkDirectives(text: string): GoSyntaxError | undefined {
  let at = 0;
  while (at < text.length) {
    const end = lineEnd(text, at);
    let first = at;
    while (first < end && isBlank(text.charCodeAt(first))) first += 1;
    const c = text.charCodeAt(first);
    if (first === end || c === 0x23 /* # */ || (first === at && c === 0xfeff)) {
      at = end + 1;
      continue;
    }
    if (first !== at || c !== 0x25 /* % */) return undefined;
    const words = text.slice(at + 1, end).split(/[ \t]+/);
    const name = words[0] ?? '';
    if (name === 'YAML') {
      const [major, minor] = (words[1] ?? '').split('.');
      if (Number(major) !== 1 || Number(minor) !== 1) {
        return { message: 'found incompatible YAML document', offset: at };
      }
    } else if (name !== 'TAG') {
      return { message: 'found unknown directive name', offset: at };
    }
    at = end + 1;
  }
  return undefined;
}

/**
 * Where go-yaml v2's first document ends before the end of the text: the
 * start of a `---`/`...` line after the document's content began, or of
 * the first content line indented left of a block root at column
 * `rootColumn`. `undefined` when the first document runs to the end.
 */
export function firstDocumentEnd(text: string, rootColumn: number): number | undefined {
  let begun = false;
  for (let at = 0; at < text.length;) {
    const end = lineEnd(text, at);
    let first = at;
    while (first < end && text.charCodeAt(first) === SPACE) first += 1;
    const c = text.charCodeAt(first);
    const blank = first === end || c === 0x23 || (c === CR && first + 1 === end);
    if (!blank) {
      if (first === at && isDocumentMarker(text, at)) {
        if (begun || text.startsWith('...', at)) return at;
        begun = true;
      } else if (!begun && first === at && c === 0x25) {
        // A directive before the document.
      } else {
        if (begun && first - at < rootColumn) return at;
        begun = true;
      }
    }
    at = end + 1;
  }
  return undefined;
}

/** Escapes of libyaml's double-quoted scalars (scannerc.go:2363-2427), by their letter. */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  "'": "'",
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** `read_line`: a break as it lands in a scalar (CRLF, CR, LF, NEL → `\n`; LS, PS kept). */
function readLine(text: string, i: number): { value: string; next: number } {
  const c = text.charCodeAt(i);
  if (c === CR && text.charCodeAt(i + 1) === LF) return { value: '\n', next: i + 2 };
  if (c === LS || c === PS) return { value: text[i] as string, next: i + 1 };
  return { value: '\n', next: i + 1 };
}

/**
 * A quoted scalar's content (`start`..`end`, inside the quotes) decoded as
 * libyaml decodes it (scannerc.go:2327-2568), or the error it reports; a
 * plain scalar's lines folded as libyaml folds them (scannerc.go:2570-2700).
 */
export function decodeQuoted(
  text: string,
  start: number,
  end: number,
  style: 'plain' | 'single' | 'double',
): { value: string } | GoSyntaxError {
  const double = style === 'double';
  const single = style === 'single';
  let out = '';
  let i = start;
  while (i < end) {
    // Non-blank characters.
    let leadingBlanks = false;
    while (i < end && !isBlank(text.charCodeAt(i)) && !isBreak(text.charCodeAt(i))) {
      const ch = text[i] as string;
      if (single && ch === "'" && text[i + 1] === "'") {
        out += "'";
        i += 2;
      } else if (double && ch === '\\' && i + 1 < end && isBreak(text.charCodeAt(i + 1))) {
        i = readLine(text, i + 1).next;
        leadingBlanks = true;
        break;
      } else if (double && ch === '\\') {
        const letter = text[i + 1] ?? '';
        const simple = ESCAPES[letter];
        if (simple !== undefined) {
          out += simple;
          i += 2;
          continue;
        }
        const length = HEX_LENGTH[letter];
        if (length === undefined) return { message: 'found unknown escape character', offset: i };
        const hex = text.slice(i + 2, i + 2 + length);
        if (hex.length !== length || !/^[0-9A-Fa-f]+$/.test(hex)) {
          return { message: 'did not find expected hexdecimal number', offset: i };
        }
        const code = Number.parseInt(hex, 16);
        if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) {
          return { message: 'found invalid Unicode character escape code', offset: i };
        }
        out += String.fromCodePoint(code);
        i += 2 + length;
      } else {
        out += ch;
        i += 1;
      }
    }
    // Blanks and breaks, folded.
    let whitespace = '';
    let leadingBreak = '';
    let trailingBreaks = '';
    while (i < end && (isBlank(text.charCodeAt(i)) || isBreak(text.charCodeAt(i)))) {
      if (isBlank(text.charCodeAt(i))) {
        if (!leadingBlanks) whitespace += text[i];
        i += 1;
      } else {
        const line = readLine(text, i);
        if (!leadingBlanks) {
          whitespace = '';
          leadingBreak = line.value;
          leadingBlanks = true;
        } else trailingBreaks += line.value;
        i = line.next;
      }
    }
    if (leadingBlanks) {
      if (leadingBreak === '\n' || leadingBreak === '') {
        out += trailingBreaks === '' ? (leadingBreak === '' ? '' : ' ') : trailingBreaks;
      } else out += leadingBreak + trailingBreaks;
    } else out += whitespace;
  }
  return { value: out };
}

/** Code points in `text[from, to)`, counting a surrogate pair once. */
function codePoints(text: string, from: number, to: number): number {
  let n = to - from;
  for (let i = from; i < to; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > from) n -= 1;
  }
  return n;
}

/** go-yaml v2's limit on an implicit key (scannerc.go:835). */
const MAX_IMPLICIT_KEY = 1024;

/**
 * The `:` after an implicit key that starts at `keyStart` and whose text
 * ends at `keyEnd`, when it is further than go-yaml's 1,024 characters;
 * explicit keys (`? key`) have no such limit.
 */
export function implicitKeyTooLong(
  text: string,
  keyStart: number,
  keyEnd: number,
): GoSyntaxError | undefined {
  if (keyEnd - keyStart < MAX_IMPLICIT_KEY - 8) return undefined;
  let colon = keyEnd;
  while (colon < text.length && text[colon] !== ':' && text[colon] !== '\n') colon += 1;
  if (text[colon] !== ':') return undefined;
  let before = keyStart - 1;
  while (before >= 0 && isBlank(text.charCodeAt(before))) before -= 1;
  if (text[before] === '?') return undefined;
  if (codePoints(text, keyStart, colon) <= MAX_IMPLICIT_KEY) return undefined;
  return { message: "could not find expected ':'", offset: keyStart };
}

/** What the tab check needs to know about the parsed tree. */
export interface TabContext {
  /** Offsets inside a quoted scalar (tabs there are content). */
  readonly inQuoted: (offset: number) => boolean;
  /** Offsets inside a flow collection (tabs there separate). */
  readonly inFlow: (offset: number) => boolean;
  /** The block scalar around `offset`: its content indentation. */
  readonly blockScalarIndent: (offset: number) => number | undefined;
  /**
   * The plain scalar `offset` continues (it is on a later line of it, or on
   * a blank line right after it): the column of its block collection.
   */
  readonly plainScalarParentColumn: (offset: number) => number | undefined;
}

/**
 * The first tab go-yaml v2 refuses before `limit`: a tab in the leading
 * blanks of a line, or after a block `-` or `?`, that no scalar consumes.
 */
export function refusedTab(
  text: string,
  limit: number,
  tree: TabContext,
): GoSyntaxError | undefined {
  for (let at = 0; at < limit;) {
    const end = lineEnd(text, at);
    let i = at;
    for (;;) {
      while (i < end && text.charCodeAt(i) === SPACE) i += 1;
      const c = text.charCodeAt(i);
      if ((c === 0x2d || c === 0x3f) && i + 1 < end && isBlank(text.charCodeAt(i + 1))) {
        i += 1;
        continue;
      }
      break;
    }
    if (
      i < end &&
      i < limit &&
      text.charCodeAt(i) === TAB &&
      !tree.inQuoted(i) &&
      !tree.inFlow(i)
    ) {
      const column = i - at;
      const block = tree.blockScalarIndent(i);
      const plain = block === undefined ? tree.plainScalarParentColumn(i) : undefined;
      if (block !== undefined) {
        if (column < block) {
          return {
            message: 'found a tab character where an indentation space is expected',
            offset: i,
          };
        }
      } else if (plain !== undefined) {
        if (column < plain + 1) {
          return { message: 'found a tab character that violates indentation', offset: i };
        }
      } else {
        return { message: 'found character that cannot start any token', offset: i };
      }
    }
    at = end + 1;
  }
  return undefined;
}

/**
 * The text with the tabs that separate tokens inside a line (after a
 * non-blank character) written as spaces: go-yaml v2 reads both alike
 * there, js-yaml refuses some (`groups:\t[a]`). Same length, so offsets
 * hold; `undefined` when there is none.
 */
export function innerTabsAsSpaces(text: string): string | undefined {
  const at: number[] = [];
  let seen = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === LF) seen = false;
    else if (c === TAB) {
      if (seen) at.push(i);
    } else if (c !== SPACE && c !== CR) seen = true;
  }
  if (at.length === 0) return undefined;
  const chars = text.split('');
  for (const i of at) chars[i] = ' ';
  return chars.join('');
}
