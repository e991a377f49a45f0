/**
 * What the source parsers share: their input read into the positioned YAML
 * tree of `mapping/yaml.ts` (text, or objects from a Kubernetes client),
 * field look-up, and the conversion of an entry to the JSON value the
 * `aws-auth` entry readers take.
 *
 * @module
 */
import { SCALAR_STYLE } from 'js-yaml';
import { tooLongMessage } from '../mapping/limits.js';
import { LineIndex } from '../mapping/locate.js';
import { toGoValue } from '../mapping/go-yaml.js';
import type { GoScalarReading, GoValue } from '../mapping/go-yaml.js';
import { MAX_YAML_DEPTH, YamlLoadError, deref, loadYaml } from '../mapping/yaml.js';
import type { YamlMapping, YamlNode, YamlPair, YamlScalar } from '../mapping/yaml.js';
import { AwsAuthError } from '../errors.js';

/** Throw the error for input that is not the source at all (never for a bad entry). */
export function refuseInput(what: string, message: string, cause?: unknown): never {
  throw new AwsAuthError(`${what}: ${message}`, cause === undefined ? undefined : { cause });
}

/** Refuse text over the bound every source shares with `aws-auth` (1 MiB unless `maxInputLength`). */
export function checkLength(what: string, text: string, limit: number): void {
  if (text.length > limit) refuseInput(what, tooLongMessage('the input', text.length, limit));
}

/** One YAML document of a text, with the line its text starts on. */
export interface LoadedDocument {
  /** The document's root, `undefined` when it is empty. */
  readonly root: YamlNode | undefined;
  /** The document's text (offsets in `root` are into it). */
  readonly text: string;
  /** 1-based line in the whole input for an offset into this document's text. */
  readonly lineOf: (offset: number) => number | undefined;
  /** 1-based line and column in the whole input for an offset into this document's text. */
  readonly locate?: (offset: number) => { line: number; column: number } | undefined;
}

/** Load one YAML (or JSON) text; a syntax error refuses the input, with its line. */
export function loadDocument(what: string, text: string, firstLine = 1): LoadedDocument {
  const lines = new LineIndex(text);
  const lineOf = (offset: number): number => firstLine - 1 + lines.lineOf(offset);
  const locate = (offset: number): { line: number; column: number } => ({
    line: lineOf(offset),
    column: lines.columnOf(offset),
  });
  try {
    return { root: loadYaml(text), text, lineOf, locate };
  } catch (error) {
    if (!(error instanceof YamlLoadError)) throw error;
    const e = error;
    const where = e.offset === undefined ? '' : ` (line ${lineOf(e.offset)})`;
    return refuseInput(what, `not valid YAML: ${e.message}${where}`, error);
  }
}

// A line that is only a document marker (`---` may carry the document's start after it).
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r]|$)/gm;

/**
 * Every document of a multi-document YAML text (files joined with `---`).
 * Each is loaded on its own, so `loadYaml`'s one-document rule holds per
 * document; a marker is blanked, not cut, so offsets keep their lines.
 */
export function loadDocuments(what: string, text: string): LoadedDocument[] {
  const starts = [0];
  const ends: number[] = [];
  for (const m of text.matchAll(DOCUMENT_MARKER)) {
    ends.push(m.index);
    starts.push(m.index);
  }
  ends.push(text.length);
  const lines = new LineIndex(text);
  const docs: LoadedDocument[] = [];
  starts.forEach((start, i) => {
    const end = ends[i] as number;
    const chunk = i === 0 ? text.slice(start, end) : `   ${text.slice(start + 3, end)}`;
    if (chunk.trim() === '') return;
    docs.push(loadDocument(what, chunk, lines.lineOf(start)));
  });
  return docs;
}

/** A JavaScript value (an object from a Kubernetes client, or parsed JSON) as a YAML tree. */
export function nodeFromValue(value: unknown, depth = 0): YamlNode {
  if (depth > MAX_YAML_DEPTH) {
    throw new AwsAuthError(`input is nested deeper than ${MAX_YAML_DEPTH} levels`);
  }
  if (value === null || value === undefined) {
    return scalar('', true, SCALAR_STYLE.PLAIN);
  }
  if (typeof value === 'string') return scalar(value, false, SCALAR_STYLE.DOUBLE_QUOTED);
  if (typeof value === 'number' || typeof value === 'boolean') {
    return scalar(String(value), false, SCALAR_STYLE.PLAIN);
  }
  if (Array.isArray(value)) {
    return { kind: 'sequence', start: 0, items: value.map((v) => nodeFromValue(v, depth + 1)) };
  }
  if (typeof value === 'object') {
    const pairs: YamlPair[] = Object.entries(value).map(([key, v]) => ({
      key,
      keyNode: scalar(key, false, SCALAR_STYLE.DOUBLE_QUOTED),
      keyStart: 0,
      value: nodeFromValue(v, depth + 1),
    }));
    return { kind: 'mapping', start: 0, pairs };
  }
  throw new AwsAuthError(`input holds a ${typeof value}, which is not data`);
}

function scalar(text: string, isNull: boolean, style: number, start = 0): YamlScalar {
  return {
    kind: 'scalar',
    start,
    text,
    isNull,
    style,
    tag: undefined,
    valueStart: start,
    valueEnd: start,
  };
}

/** True for a node that says "no value": absent, or a plain null. */
export function isNothing(node: YamlNode | undefined): boolean {
  if (node === undefined) return true;
  const n = deref(node);
  return n.kind === 'scalar' && n.isNull;
}

/**
 * What JSON type a node holds. JSON is read as YAML for its positions: a
 * JSON string is a quoted scalar, a number or boolean a plain one.
 */
export function jsonKind(node: YamlNode): 'string' | 'null' | 'scalar' | 'array' | 'object' {
  const n = deref(node);
  if (n.kind === 'sequence') return 'array';
  if (n.kind === 'mapping') return 'object';
  if (n.isNull) return 'null';
  return n.style === SCALAR_STYLE.PLAIN && n.tag === undefined ? 'scalar' : 'string';
}

/** The text of a scalar (through an alias), `undefined` for a null, a list or a map. */
export function scalarText(node: YamlNode | undefined): string | undefined {
  const n = node === undefined ? undefined : deref(node);
  return n?.kind === 'scalar' && !n.isNull ? n.text : undefined;
}

/** The last pair of a mapping whose key is `name` (exactly, or ignoring case). */
export function pairOf(node: YamlMapping, name: string, ignoreCase: boolean): YamlPair | undefined {
  const want = ignoreCase ? name.toLowerCase() : name;
  let found: YamlPair | undefined;
  for (const pair of node.pairs) {
    if ((ignoreCase ? pair.key.toLowerCase() : pair.key) === want) found = pair;
  }
  return found;
}

/** A copy of a mapping with one field's value replaced (offsets kept, for lines). */
export function withField(node: YamlMapping, pair: YamlPair, value: YamlNode): YamlMapping {
  return { ...node, pairs: node.pairs.map((p) => (p === pair ? { ...p, value } : p)) };
}

/** A copy of a mapping without the given pairs. */
export function withoutFields(node: YamlMapping, drop: readonly YamlPair[]): YamlMapping {
  const dropped = new Set(drop);
  return { ...node, pairs: node.pairs.filter((p) => !dropped.has(p)) };
}

/** A quoted (string) scalar node at the position of `like`, holding `text`. */
export function replacedScalar(like: YamlNode, text: string): YamlScalar {
  return scalar(text, false, SCALAR_STYLE.DOUBLE_QUOTED, like.start);
}

/** A mapping pair `key: value` built by a source (the key at `keyStart`). */
export function builtPair(key: string, keyStart: number, value: YamlNode): YamlPair {
  return { key, keyNode: scalar(key, false, SCALAR_STYLE.PLAIN, keyStart), keyStart, value };
}

/**
 * An entry node as the `aws-auth` entry readers take it: the JSON value
 * Go's decoding makes of it (`yaml11` for JSON and Kubernetes objects,
 * `strings` for the Go server's config file). `undefined` when Go's
 * conversion fails (excessive aliasing, a merge of a non-map, a core tag
 * that does not fit): the caller reports it.
 */
export function entryValue(
  node: YamlNode,
  scalars: GoScalarReading,
): { value: GoValue } | { error: YamlLoadError } {
  try {
    return { value: toGoValue(node, scalars) };
  } catch (error) {
    if (error instanceof YamlLoadError) return { error };
    throw error;
  }
}
