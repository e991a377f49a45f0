/**
 * Hostile-input-safe YAML loading for `aws-auth`, with source positions.
 *
 * js-yaml's event parser does the YAML syntax; this turns its events into a
 * small tree with the offsets the diagnostics need. Nothing is constructed
 * here: scalars keep their source text and tag, and what Go's YAML makes of
 * them (`yes` a boolean, `123` a number) is decided by `go-yaml.ts`.
 * Aliases become `alias` nodes pointing at their anchor (a DAG, never
 * copied), so expansion can be bounded where it is walked. Tags are
 * resolved as go-yaml v2 resolves them (`%TAG` handles included). Refused
 * outright: non-scalar mapping keys (Go's YAML refuses them too: "invalid
 * map key"), aliases to an unknown anchor or to a node that contains the
 * alias, nesting deeper than {@link MAX_YAML_DEPTH}. Only the first document
 * is read, as Go's `yaml.Unmarshal` does, and only as far as go-yaml reads
 * it; `go-yaml-syntax.ts` has the rules where go-yaml v2 and js-yaml part.
 *
 * @module
 */
import {
  CHOMPING_MODE,
  COLLECTION_STYLE,
  EVENT_ID,
  SCALAR_STYLE,
  getScalarValue,
  parseEvents,
} from 'js-yaml';
import type { AliasEvent, Event, MappingEvent, ScalarEvent, SequenceEvent } from 'js-yaml';
import {
  checkDirectives,
  decodeQuoted,
  firstDocumentEnd,
  implicitKeyTooLong,
  innerTabsAsSpaces,
  isDocumentMarker,
  refusedTab,
  withYaml11Breaks,
  yaml11BreakOffsets,
} from './go-yaml-syntax.js';
import type { TabContext } from './go-yaml-syntax.js';

/**
 * Deepest collection nesting this package reads, aliases expanded included
 * (`aws-auth` needs 4 levels). go-yaml v2 stops at 10,000 (scannerc.go:895,
 * 929); past 1,000 the key is reported as beyond this package's reach
 * rather than risking the JavaScript stack.
 */
export const MAX_YAML_DEPTH = 1000;

/** A scalar: its decoded text, and whether it is a plain null (``, `~`, `null`). */
export interface YamlScalar {
  /** Discriminant. */
  kind: 'scalar';
  /** Offset of the node (its tag or anchor if it has one). */
  start: number;
  /** Decoded text. */
  text: string;
  /** True for an untagged plain ``, `~`, `null`, `Null`, `NULL`. */
  isNull: boolean;
  /** js-yaml scalar style (plain, quoted, literal, folded). */
  style: number;
  /** The tag as written (`!!str`, `!`, `!foo`), or `undefined` when untagged. */
  tag: string | undefined;
  /** Offset of the raw value in the source. */
  valueStart: number;
  /** End of the raw value in the source (exclusive). */
  valueEnd: number;
  /** For a block scalar (`|`, `>`): the indentation of its content lines. */
  indent?: number;
}

/** A sequence and its items. */
export interface YamlSequence {
  /** Discriminant. */
  kind: 'sequence';
  /** Offset of the node (its tag or anchor if it has one). */
  start: number;
  /** The items, in order. */
  items: YamlNode[];
}

/** One `key: value` pair of a mapping (duplicate keys are all kept, in order). */
export interface YamlPair {
  /** The key's text. */
  key: string;
  /** The key node (its style and tag decide what Go's YAML makes of it). */
  keyNode: YamlScalar;
  /** Offset of the key in the source. */
  keyStart: number;
  /**
   * A list or map written as the key (`? [a, b]`): go-yaml refuses it only
   * when it decodes the pair ("invalid map key"), so a `[]string` that skips
   * the whole map never sees it. `key` is then empty.
   */
  complexKey?: YamlSequence | YamlMapping;
  /** The value node. */
  value: YamlNode;
}

/** A mapping and its pairs. */
export interface YamlMapping {
  /** Discriminant. */
  kind: 'mapping';
  /** Offset of the node (its tag or anchor if it has one). */
  start: number;
  /** The pairs, in source order. */
  pairs: YamlPair[];
}

/** `*name`: a reference to the node anchored `&name` earlier in the document. */
export interface YamlAlias {
  /** Discriminant. */
  kind: 'alias';
  /** Offset of the `*`. */
  start: number;
  /** The anchor name. */
  name: string;
  /** The anchored node (never an alias itself). */
  target: YamlScalar | YamlSequence | YamlMapping;
}

/** Any YAML node. */
export type YamlNode = YamlScalar | YamlSequence | YamlMapping | YamlAlias;

/** The node an alias points at, or the node itself. */
export function deref(node: YamlNode): YamlScalar | YamlSequence | YamlMapping {
  return node.kind === 'alias' ? node.target : node;
}

/** How a node reads in a message: `a string`, `a list`, `a map` or `nothing`. */
export function describeNode(node: YamlNode): string {
  const n = deref(node);
  if (n.kind === 'scalar') return n.isNull ? 'nothing' : 'a string';
  return n.kind === 'sequence' ? 'a list' : 'a map';
}

/** Why a YAML text was refused, and where (an offset into the text). */
export class YamlLoadError extends Error {
  /** Offset of the problem in the text, when known. */
  readonly offset: number | undefined;
  /** How far another reading of the text got, when further than `offset`. */
  readTo?: number;

  constructor(message: string, offset?: number) {
    super(message);
    this.name = 'YamlLoadError';
    this.offset = offset;
  }
}

/**
 * A text nested deeper than {@link MAX_YAML_DEPTH}: a limit of this package,
 * not a refusal of go-yaml's (which reads up to 10,000 levels).
 */
export class YamlLimitError extends YamlLoadError {
  constructor(offset?: number) {
    super(`nested deeper than ${MAX_YAML_DEPTH} levels, more than this package reads`, offset);
    this.name = 'YamlLimitError';
  }
}

/** A parsed YAML text: its first document, and how many documents the text holds. */
export interface YamlDocument {
  /** The first document's root, `undefined` when the text holds none. */
  root: YamlNode | undefined;
  /** Number of documents seen (`---` separated); reading stops at the second. */
  documents: number;
  /**
   * Where go-yaml v2 stops reading, when that is before the end of the text:
   * a second document, or a line indented left of the first document's
   * block root (`yaml.Unmarshal` never parses what follows, errors included).
   */
  endsAt?: number;
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const CORE_PREFIX = 'tag:yaml.org,2002:';

/** A tag as go-yaml v2 resolves it: `!!int` is `tag:yaml.org,2002:int`, `%TAG` handles applied. */
function resolveTag(written: string, handles: ReadonlyMap<string, string>): string {
  if (written.startsWith('!<')) return written.slice(2, -1);
  if (written === '!') return '!';
  const second = written.indexOf('!', 1);
  if (second === -1) return (handles.get('!') ?? '!') + written.slice(1);
  const handle = written.slice(0, second + 1);
  const prefix = handles.get(handle) ?? (handle === '!!' ? CORE_PREFIX : handle);
  return prefix + written.slice(second + 1);
}

function startOf(offset: number, anchorStart: number, tagStart: number): number {
  let start = offset;
  if (anchorStart >= 0 && anchorStart < start) start = anchorStart;
  if (tagStart >= 0 && tagStart < start) start = tagStart;
  return start;
}

interface Frame {
  node: YamlSequence | YamlMapping;
  /** Inside a flow collection (`[…]`, `{…}`). */
  flow: boolean;
  /** Column of the collection (go-yaml's indentation level inside a block one). */
  column: number;
  /** Offset where the collection's own text starts (its bracket, for a flow one). */
  open: number;
  /** For a mapping: the key read, waiting for its value. */
  key?:
    | {
        key: string;
        keyStart: number;
        keyNode: YamlScalar;
        complexKey: YamlSequence | YamlMapping | undefined;
      }
    | undefined;
}

function attach(stack: Frame[], node: YamlNode): void {
  const top = stack[stack.length - 1];
  if (top === undefined) return;
  if (top.node.kind === 'sequence') {
    top.node.items.push(node);
  } else if (top.key === undefined) {
    const key = deref(node);
    if (key.kind !== 'scalar') {
      // Go's YAML refuses it when the pair is decoded ("invalid map key"); most
      // often an unquoted {{Placeholder}}.
      const keyNode: YamlScalar = {
        kind: 'scalar',
        start: node.start,
        text: '',
        isNull: false,
        style: SCALAR_STYLE.PLAIN,
        tag: undefined,
        valueStart: node.start,
        valueEnd: node.start,
      };
      top.key = { key: '', keyStart: node.start, keyNode, complexKey: key };
      return;
    }
    top.key = { key: key.text, keyStart: node.start, keyNode: key, complexKey: undefined };
  } else {
    // One object shape for every pair (a spread of differing shapes is slow).
    const { key, keyStart, keyNode, complexKey } = top.key;
    top.node.pairs.push(
      complexKey === undefined
        ? { key, keyStart, keyNode, value: node }
        : { key, keyStart, keyNode, value: node, complexKey },
    );
    top.key = undefined;
  }
}

function isBreakAt(text: string, i: number): boolean {
  const c = text[i];
  return c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
}

/** Sorted, non-overlapping offset ranges, looked up by binary search. */
class Ranges<T> {
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];
  readonly #values: T[] = [];

  add(start: number, end: number, value: T): void {
    const last = this.#ends[this.#ends.length - 1];
    if (last !== undefined && start < last) return; // inside the previous range
    this.#starts.push(start);
    this.#ends.push(end);
    this.#values.push(value);
  }

  at(offset: number): T | undefined {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#starts[mid] as number) > offset) hi = mid - 1;
      else if ((this.#ends[mid] as number) <= offset) lo = mid + 1;
      else return this.#values[mid];
    }
    return undefined;
  }
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** `from`, extended over the blanks that end its line and the blank lines after it. */
function overBlankLines(text: string, from: number): number {
  let end = from;
  for (let i = from; i < text.length; i += 1) {
    const c = text[i];
    if (c === '\n') end = i + 1;
    else if (c !== ' ' && c !== '\t' && c !== '\r') break;
  }
  return end;
}

/**
 * go-yaml v2 reads `x:` followed by `,`, `]` or `}` inside a flow collection
 * as the plain scalar `x:` (scannerc.go:2606); js-yaml as a key `x` with an
 * empty value.
 */
function colonScalar(text: string, key: YamlScalar, value: YamlNode): YamlScalar | undefined {
  if (key.style !== SCALAR_STYLE.PLAIN || key.tag !== undefined) return undefined;
  if (text[key.valueEnd] === ':' && '[{'.includes(text[key.valueEnd + 1] ?? '')) {
    // `x:[…]` is the scalar `x:` then a collection with no `,` between.
    throw new YamlLoadError("did not find expected ',' or ']'", key.valueEnd + 1);
  }
  if (text[key.valueEnd] !== ':' || !',]}'.includes(text[key.valueEnd + 1] ?? '')) return undefined;
  if (value.kind !== 'scalar' || !value.isNull) return undefined;
  if (value.valueStart >= 0 && value.valueStart < key.valueEnd) return undefined;
  return { ...key, text: `${key.text}:`, isNull: false, valueEnd: key.valueEnd + 1 };
}

function throughColon(text: string, node: YamlSequence | YamlMapping): void {
  if (node.kind === 'mapping') {
    for (const pair of node.pairs) {
      const scalar = colonScalar(text, pair.keyNode, pair.value);
      if (scalar !== undefined) Object.assign(pair, { key: scalar.text, keyNode: scalar });
    }
    return;
  }
  node.items = node.items.map((item) => {
    if (item.kind !== 'mapping' || item.pairs.length !== 1) return item;
    const pair = item.pairs[0] as YamlPair;
    return colonScalar(text, pair.keyNode, pair.value) ?? item;
  });
}

/**
 * Offsets of the line breaks inside flow collections (`[…]`, `{…}`), where
 * libyaml checks no indentation and js-yaml does: read as spaces, they let
 * js-yaml through, and the values are still decoded from the text with its
 * breaks. A break ending a comment stays. A `[` or `{` opens a collection
 * only where a node may start (after `:`, `-`, `,`, `?`, another bracket or
 * at a line's start).
 */
function flowLineBreaks(text: string): number[] {
  const at: number[] = [];
  let depth = 0;
  let quote = '';
  let previous = '\n';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quote !== '') {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) quote = '';
      else if (c === '\n') at.push(i);
      continue;
    }
    if (c === '#' && (previous === ' ' || previous === '\t' || previous === '\n')) {
      const end = text.indexOf('\n', i);
      if (end === -1) break;
      i = end;
      previous = '\n';
      continue;
    }
    if (c === '[' || c === '{') {
      if (depth > 0 || '\n:-,?[{'.includes(previous)) depth += 1;
    } else if ((c === ']' || c === '}') && depth > 0) depth -= 1;
    else if (depth > 0 && (c === '"' || c === "'") && ' \t\n,[{:'.includes(previous)) quote = c;
    else if (depth > 0 && c === '\n') at.push(i);
    if (c !== ' ' && c !== '\t') previous = c;
  }
  return at;
}

/**
 * Offsets of a lone `-` between `[` or `,` and `,`, `]` or `}`: a plain
 * scalar `-` for go-yaml in a flow collection (scannerc.go:797-800), which
 * js-yaml refuses.
 */
function loneFlowDashes(text: string): number[] {
  const at: number[] = [];
  for (let i = text.indexOf('-'); i !== -1; i = text.indexOf('-', i + 1)) {
    let before = i - 1;
    while (before >= 0 && (text[before] === ' ' || text[before] === '\t')) before -= 1;
    let after = i + 1;
    while (after < text.length && (text[after] === ' ' || text[after] === '\t')) after += 1;
    const opens = '[,'.includes(text[before] ?? '') || (text[before] === ':' && before < i - 1);
    if (opens && ',]}'.includes(text[after] ?? '')) at.push(i);
  }
  return at;
}

/** The source of the events: what quoted scalars are decoded from, and the rest. */
interface Source {
  /** The original text (libyaml decodes quoted scalars from it, LS/PS kept). */
  readonly text: string;
  /** The text with YAML 1.1 line breaks (plain and block scalars). */
  readonly breaks: string;
}

interface Loaded extends YamlDocument {
  /** Where tabs sit in the tree, for go-yaml's tab rules. */
  tabs: TabContext;
  /** Column of a block root, 0 otherwise. */
  rootColumn: number;
}

/** Builds the tree from js-yaml's events, with go-yaml v2's readings applied. */
class TreeBuilder {
  readonly #text: string;
  readonly #breaks: string;
  readonly #stack: Frame[] = [];
  readonly #anchors = new Map<string, YamlScalar | YamlSequence | YamlMapping>();
  readonly #handles = new Map<string, string>();
  readonly #open = new Set<YamlNode>();
  readonly #quoted = new Ranges<true>();
  readonly #flow = new Ranges<true>();
  readonly #scalars = new Ranges<{ block: number } | { plain: number }>();
  #flowStart = -1;
  #lastEnd = 0;
  root: YamlNode | undefined;
  rootColumn = 0;
  documents = 0;

  /** Whether ranges are kept: only a text with tabs, YAML 1.1 breaks or a retry needs them. */
  readonly #track: boolean;
  /** Whether the text has line breaks other than `\n`. */
  readonly #otherBreaks: boolean;

  constructor(source: Source, retried: boolean) {
    this.#text = source.text;
    this.#breaks = source.breaks;
    this.#otherBreaks = /[\r\u0085\u2028\u2029]/.test(source.text);
    this.#track = retried || this.#otherBreaks || source.text.includes('\t');
  }

  // Events come in text order: the next line break and the current line's start
  // are found by cursors that only move forward (never a scan per event).
  #nextNewline = -1;
  #lineCursor = 0;
  #lineStart = 0;

  /** Start of the line holding `offset` (offsets asked in text order; a step back rescans). */
  #lineStartOf(offset: number): number {
    if (offset < this.#lineCursor) return lineStartOf(this.#text, offset);
    for (let i = this.#lineCursor; i < offset; i += 1) {
      if (this.#text.charCodeAt(i) === 0x0a) this.#lineStart = i + 1;
    }
    this.#lineCursor = offset;
    return this.#lineStart;
  }

  /** Does `text[start, end)` run over more than one line? */
  #spansLines(start: number, end: number): boolean {
    if (this.#nextNewline !== Infinity && this.#nextNewline < start) {
      const at = this.#text.indexOf('\n', start);
      this.#nextNewline = at === -1 ? Infinity : at;
    }
    if (this.#nextNewline < end) return true;
    return this.#otherBreaks && /[\r\u0085\u2028\u2029]/.test(this.#text.slice(start, end));
  }

  get tabs(): TabContext {
    const scalars = this.#scalars;
    return {
      inQuoted: (offset) => this.#quoted.at(offset) !== undefined,
      inFlow: (offset) => this.#flow.at(offset) !== undefined,
      blockScalarIndent: (offset) => {
        const s = scalars.at(offset);
        return s !== undefined && 'block' in s ? s.block : undefined;
      },
      plainScalarParentColumn: (offset) => {
        const s = scalars.at(offset);
        return s !== undefined && 'plain' in s ? s.plain : undefined;
      },
    };
  }

  #anchor(
    ev: { anchorStart: number; anchorEnd: number },
    node: YamlScalar | YamlSequence | YamlMapping,
  ): void {
    // A later anchor of the same name replaces the earlier one for later aliases, as in Go's YAML.
    if (ev.anchorStart >= 0) {
      this.#anchors.set(this.#text.slice(ev.anchorStart, ev.anchorEnd).replace(/^&/, ''), node);
    }
  }

  #place(node: YamlNode): void {
    if (this.#stack.length === 0) this.root = node;
    else attach(this.#stack, node);
  }

  #scalar(ev: ScalarEvent): YamlScalar {
    const text = this.#text;
    const written = ev.tagStart < 0 ? undefined : text.slice(ev.tagStart, ev.tagEnd);
    const tag = written === undefined ? undefined : resolveTag(written, this.#handles);
    const double = ev.style === SCALAR_STYLE.DOUBLE_QUOTED;
    const quoted = double || ev.style === SCALAR_STYLE.SINGLE_QUOTED;
    let value: string;
    const top = this.#stack[this.#stack.length - 1];
    if (quoted) {
      const decoded = decodeQuoted(text, ev.valueStart, ev.valueEnd, double ? 'double' : 'single');
      if ('message' in decoded) throw new YamlLoadError(decoded.message, decoded.offset);
      value = decoded.value;
      if (this.#track) this.#quoted.add(ev.valueStart, ev.valueEnd, true);
    } else {
      value = getScalarValue(this.#breaks, ev);
      if (ev.style === SCALAR_STYLE.PLAIN && this.#spansLines(ev.valueStart, ev.valueEnd)) {
        // A plain scalar over several lines, folded as libyaml folds it (LS and
        // PS kept; and js-yaml may have read it from a text whose flow line
        // breaks were spaces).
        const decoded = decodeQuoted(text, ev.valueStart, ev.valueEnd, 'plain');
        if (!('message' in decoded)) value = decoded.value;
      } else if (
        ev.chomping === CHOMPING_MODE.CLIP &&
        value.endsWith('\n') &&
        !isBreakAt(text, ev.valueEnd - 1)
      ) {
        // A block scalar that ends the text without a line break has none (libyaml).
        value = value.slice(0, -1);
      }
      if (this.#track && (top === undefined || !top.flow)) {
        const end = overBlankLines(text, ev.valueEnd);
        this.#scalars.add(
          ev.valueStart,
          end,
          ev.style === SCALAR_STYLE.PLAIN ? { plain: top?.column ?? -1 } : { block: ev.indent },
        );
      }
    }
    if (top?.flow === true && ev.style === SCALAR_STYLE.PLAIN) {
      // In a flow collection, libyaml ends a plain scalar at , [ ] { } (scannerc.go:2604-2610).
      for (let i = ev.valueStart; i < ev.valueEnd; i += 1) {
        if (',[]{}'.includes(text[i] as string)) {
          throw new YamlLoadError("did not find expected ',' or ']'", i);
        }
      }
    }
    this.#lastEnd = ev.valueEnd + (quoted ? 1 : 0);
    const node: YamlScalar = {
      kind: 'scalar',
      // A quoted scalar starts at its opening quote (where libyaml marks it).
      start: startOf(quoted ? ev.valueStart - 1 : ev.valueStart, ev.anchorStart, ev.tagStart),
      text: value,
      isNull:
        (tag === undefined && ev.style === SCALAR_STYLE.PLAIN && NULLS.has(value)) ||
        tag === `${CORE_PREFIX}null`,
      style: ev.style,
      tag,
      valueStart: ev.valueStart,
      valueEnd: ev.valueEnd,
      ...(ev.style === SCALAR_STYLE.LITERAL_BLOCK || ev.style === SCALAR_STYLE.FOLDED_BLOCK
        ? { indent: ev.indent }
        : {}),
    };
    if (top?.node.kind === 'mapping' && top.key === undefined) {
      const tooLong = implicitKeyTooLong(text, node.start, ev.valueEnd + (quoted ? 1 : 0));
      if (tooLong !== undefined) throw new YamlLoadError(tooLong.message, tooLong.offset);
    }
    return node;
  }

  #collection(ev: SequenceEvent | MappingEvent): void {
    const start = startOf(ev.start, ev.anchorStart, ev.tagStart);
    const node: YamlSequence | YamlMapping =
      ev.type === EVENT_ID.SEQUENCE
        ? { kind: 'sequence', start, items: [] }
        : { kind: 'mapping', start, pairs: [] };
    const parent = this.#stack[this.#stack.length - 1];
    const flow = ev.style === COLLECTION_STYLE.FLOW || (parent?.flow ?? false);
    const column = ev.start - this.#lineStartOf(ev.start);
    if (parent === undefined && !flow) this.rootColumn = column;
    if (flow && this.#flowStart < 0) this.#flowStart = ev.start;
    this.#anchor(ev, node);
    this.#place(node);
    this.#open.add(node);
    this.#stack.push({ node, flow, column, open: ev.start });
  }

  #alias(ev: AliasEvent): void {
    const name = this.#text.slice(ev.anchorStart, ev.anchorEnd).replace(/^\*/, '');
    const target = this.#anchors.get(name);
    if (target === undefined) {
      throw new YamlLoadError(`unknown anchor '${name.slice(0, 40)}' referenced`, ev.anchorStart);
    }
    if (this.#open.has(target)) {
      throw new YamlLoadError(
        `anchor '${name.slice(0, 40)}' value contains itself`,
        ev.anchorStart,
      );
    }
    this.#lastEnd = ev.anchorEnd;
    this.#place({ kind: 'alias', start: Math.max(0, ev.anchorStart - 1), name, target });
  }

  /** Closes a collection, or the document when no collection is open. */
  #pop(): void {
    const frame = this.#stack.pop();
    if (frame === undefined) return;
    this.#open.delete(frame.node);
    if (!frame.flow) return;
    // js-yaml's single-pair mapping inside `[…]` (`[a: b]`, no `{`) has no
    // bracket of its own: the enclosing `[`'s pop finds the `]` and handles
    // the pair with its list. Searching for a `}` here would scan to the next
    // one (or the end of the text) on every such pair, quadratic over many,
    // and stretch the flow range over later lines, hiding their tabs.
    if (frame.node.kind === 'mapping' && this.#text[frame.open] !== '{') return;
    // js-yaml's events carry no end offset: find the closing bracket.
    const close = frame.node.kind === 'sequence' ? ']' : '}';
    const at = this.#text.indexOf(close, Math.max(this.#lastEnd, frame.node.start + 1));
    this.#lastEnd = at === -1 ? this.#text.length : at + 1;
    throughColon(this.#text, frame.node);
    const parent = this.#stack[this.#stack.length - 1];
    if ((parent === undefined || !parent.flow) && this.#track) {
      this.#flow.add(this.#flowStart, this.#lastEnd, true);
      this.#flowStart = -1;
    }
  }

  /** Reads the events of the first document. */
  read(events: readonly Event[]): void {
    for (const ev of events) {
      switch (ev.type) {
        case EVENT_ID.DOCUMENT:
          this.documents += 1;
          // Go's yaml.Unmarshal reads the first document only; the rest is never looked at.
          if (this.documents > 1) return;
          for (const d of ev.directives)
            if (d.kind === 'tag') this.#handles.set(d.handle, d.prefix);
          break;
        case EVENT_ID.SCALAR: {
          const node = this.#scalar(ev);
          this.#anchor(ev, node);
          this.#place(node);
          break;
        }
        case EVENT_ID.SEQUENCE:
        case EVENT_ID.MAPPING:
          this.#collection(ev);
          break;
        case EVENT_ID.ALIAS:
          this.#alias(ev);
          break;
        case EVENT_ID.POP:
          this.#pop();
          break;
      }
    }
  }
}

function parseWith(source: string): Event[] {
  try {
    return parseEvents(source, { maxDepth: MAX_YAML_DEPTH });
  } catch (error) {
    if (error instanceof RangeError) throw new YamlLimitError();
    // js-yaml's message embeds a source snippet; keep only the reason and position.
    const e = error as { reason?: unknown; mark?: { position?: unknown } };
    const reason = typeof e.reason === 'string' ? e.reason : 'invalid YAML';
    const offset = typeof e.mark?.position === 'number' ? e.mark.position : undefined;
    if (reason.includes('maxDepth')) throw new YamlLimitError(offset);
    throw new YamlLoadError(reason, offset);
  }
}

/**
 * js-yaml's events for a text go-yaml v2 accepts: js-yaml refuses some tab
 * separators inside a line and the `\'` escape, so on a refusal the text is
 * read again with them written as a space and `\"` (same length; values are
 * decoded from the original text). The offsets of the escapes changed are
 * returned: each must turn out to sit in a double-quoted scalar.
 */
/** Of two errors, the one further into the text (a retry that got further is more telling). */
function further(first: unknown, second: unknown): unknown {
  const a = (first as YamlLoadError).offset ?? -1;
  const b = (second as YamlLoadError).offset ?? -1;
  if (!(second instanceof YamlLoadError) || b <= a) return first;
  // An unclosed bracket read to the end says less than where the first reading
  // stopped, but the retry still got that far (the first document may end before).
  if (second.message.includes('end of the stream') && first instanceof YamlLoadError) {
    first.readTo = b;
    return first;
  }
  return second;
}

function eventsOf(breaks: string): {
  events: Event[];
  escapes: number[];
  dashes: number[];
  flattened: number[];
} {
  try {
    return { events: parseWith(breaks), escapes: [], dashes: [], flattened: [] };
  } catch (error) {
    let retry = breaks;
    const escapes: number[] = [];
    if ((error as Error).message.includes('unknown escape')) {
      for (let i = retry.indexOf("\\'"); i !== -1; i = retry.indexOf("\\'", i + 2)) escapes.push(i);
      retry = retry.replaceAll("\\'", '\\"');
    }
    retry = innerTabsAsSpaces(retry) ?? retry;
    const dashes = (error as Error).message.includes('missed comma') ? loneFlowDashes(retry) : [];
    if (dashes.length > 0) {
      const chars = retry.split('');
      for (const at of dashes) chars[at] = 'x';
      retry = chars.join('');
    }
    const flattened = flowLineBreaks(retry);
    if (flattened.length > 0) {
      const chars = retry.split('');
      for (const at of flattened) chars[at] = ' ';
      retry = chars.join('');
    }
    if (retry === breaks) throw error;
    try {
      return { events: parseWith(retry), escapes, dashes, flattened };
    } catch (again) {
      throw further(error, again);
    }
  }
}

function loadFrom(text: string, breaks: string): Loaded {
  const { events, escapes, dashes, flattened } = eventsOf(breaks);
  const retried = escapes.length + dashes.length + flattened.length > 0 || breaks !== text;
  const builder = new TreeBuilder({ text, breaks }, retried);
  builder.read(events);
  const tabs = builder.tabs;
  for (const at of escapes) {
    if (!tabs.inQuoted(at)) throw new YamlLoadError('unknown escape sequence', at);
  }
  for (const at of flattened) {
    if (!tabs.inFlow(at)) throw new YamlLoadError('deficient indentation', at);
  }
  for (const at of dashes) {
    if (!tabs.inFlow(at))
      throw new YamlLoadError('missed comma between flow collection entries', at);
  }
  return {
    root: builder.root,
    documents: builder.documents,
    tabs,
    rootColumn: builder.rootColumn,
  };
}

function load(text: string): Loaded {
  const breaks = withYaml11Breaks(text);
  try {
    return loadFrom(text, breaks);
  } catch (error) {
    if (breaks === text) throw error;
    // NEL, LS or PS inside a quoted scalar or a flow collection, where libyaml
    // checks no indentation: read them as spaces there, line breaks elsewhere.
    try {
      const spaced = loadFrom(
        text,
        withYaml11Breaks(text, () => true),
      ).tabs;
      const inside = (at: number): boolean => spaced.inQuoted(at) || spaced.inFlow(at);
      const mixed = loadFrom(text, withYaml11Breaks(text, inside));
      for (const at of yaml11BreakOffsets(text)) {
        if (inside(at) !== (mixed.tabs.inQuoted(at) || mixed.tabs.inFlow(at))) throw error;
      }
      return mixed;
    } catch (again) {
      throw further(error, again);
    }
  }
}

/**
 * The end of a flow collection (`[…]`, `{…}`) that is the root of the first
 * document: go-yaml ends the document at the token after it.
 */
function flowRootEnd(text: string): number | undefined {
  let i = 0;
  for (;;) {
    while (i < text.length && ' \t\r\n\ufeff'.includes(text[i] as string)) i += 1;
    if (text[i] === '#' || text[i] === '%' || isDocumentMarker(text, i)) {
      const end = text.indexOf('\n', i);
      if (end === -1) return undefined;
      i = end + 1;
      continue;
    }
    break;
  }
  if (text[i] !== '[' && text[i] !== '{') return undefined;
  let depth = 0;
  for (; i < text.length; i += 1) {
    const c = text[i];
    if (c === '[' || c === '{') depth += 1;
    else if (c === ']' || c === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    } else if (c === '"' || c === "'") {
      for (i += 1; i < text.length && text[i] !== c; i += 1)
        if (c === '"' && text[i] === '\\') i += 1;
    } else if (c === '#' && ' \t\n'.includes(text[i - 1] ?? ' ')) {
      const end = text.indexOf('\n', i);
      if (end === -1) return undefined;
      i = end;
    }
  }
  return undefined;
}

/** The column of the first content line before `offset` (a block root's column). */
function firstContentColumn(text: string, offset: number): number | undefined {
  for (let at = 0; at < offset;) {
    let end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    let first = at;
    while (first < end && text[first] === ' ') first += 1;
    const c = text[first];
    if (first < end && c !== '#' && c !== '%' && c !== '\r' && !isDocumentMarker(text, at)) {
      return first - at;
    }
    at = end + 1;
  }
  return undefined;
}

/** The first token of the line at `at`, as far as go-yaml scans it before ending the document. */
function nextTokenProblem(
  text: string,
  at: number,
): { message: string; offset: number } | undefined {
  let i = at;
  while (i < text.length && text[i] === ' ') i += 1;
  const c = text[i];
  if (c === '@' || c === '`' || c === '\t') {
    return { message: 'found character that cannot start any token', offset: i };
  }
  if (c === '%' && i === at) {
    const end = text.indexOf('\n', at);
    return checkDirectives(text.slice(at, end === -1 ? text.length : end));
  }
  return undefined;
}

/**
 * Parse a YAML text into a positioned tree of its first document, as
 * go-yaml v2 reads it (`go-yaml-syntax.ts` says where that differs from
 * js-yaml, which does the rest of the syntax).
 *
 * @throws {@link YamlLoadError} for invalid or refused YAML.
 */
export function loadYamlDocument(text: string): YamlDocument {
  const directive = checkDirectives(text);
  if (directive !== undefined) throw new YamlLoadError(directive.message, directive.offset);
  let doc: Loaded | undefined;
  let endsAt: number | undefined;
  try {
    doc = load(text);
    if (doc.documents > 1) endsAt = firstDocumentEnd(text, 0);
  } catch (error) {
    // An error after the end of the first document is one go-yaml never sees.
    const e = error as YamlLoadError;
    if (e.offset === undefined) throw error;
    const offset = Math.max(e.offset, e.readTo ?? -1);
    // Lines as go-yaml counts them: NEL, LS and PS break lines too.
    const lines = withYaml11Breaks(text);
    const column = firstContentColumn(lines, offset) ?? 0;
    for (const cut of [
      firstDocumentEnd(lines, 0),
      firstDocumentEnd(lines, column),
      firstDocumentEnd(text, column),
      flowRootEnd(lines),
    ]) {
      if (cut === undefined || cut > offset || doc !== undefined) continue;
      try {
        doc = load(text.slice(0, cut));
        endsAt = Math.min(cut, firstDocumentEnd(lines, doc.rootColumn) ?? cut);
      } catch {
        // Not the end of the document: the error stands.
      }
    }
    if (doc === undefined) throw error;
  }
  let limit = text.length;
  if (endsAt !== undefined) {
    const next = nextTokenProblem(text, endsAt);
    if (next !== undefined) throw new YamlLoadError(next.message, next.offset);
    limit = endsAt;
  }
  const tab = refusedTab(text, limit, doc.tabs);
  if (tab !== undefined) throw new YamlLoadError(tab.message, tab.offset);
  return {
    root: doc.root,
    documents: endsAt === undefined ? doc.documents : Math.max(doc.documents, 2),
    ...(endsAt === undefined ? {} : { endsAt }),
  };
}

/**
 * The first document of a YAML text, `undefined` for a text with no document
 * (empty, or only comments).
 *
 * @throws {@link YamlLoadError} for invalid or refused YAML.
 */
export function loadYaml(text: string): YamlNode | undefined {
  return loadYamlDocument(text).root;
}
