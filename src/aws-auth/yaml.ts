/**
 * Hostile-input-safe YAML loading for `aws-auth`, with source positions.
 *
 * js-yaml's event parser does the YAML; this turns its events into a small
 * tree with the offsets the diagnostics need. The rules are those of the
 * YAML 1.2 failsafe schema (every scalar is a string, so account id
 * `012345678901` keeps its zero and `true` stays `"true"`), plus plain
 * `null`/`~`/empty meaning "no value", as the Go authenticator's YAML → JSON
 * step reads them. Refused outright:
 * - aliases (`*name`): they are how "billion laughs" bombs expand, and no
 *   ConfigMap needs them;
 * - any tag but `!`, `!!str`, `!!seq`, `!!map` (`!!js/function` & co.), and
 *   `%TAG` directives that could redefine `!!`;
 * - more than one document, non-scalar mapping keys, nesting deeper than
 *   {@link MAX_YAML_DEPTH}.
 *
 * @module
 */
import { EVENT_ID, SCALAR_STYLE, getScalarValue, parseEvents } from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';

/** Deepest collection nesting accepted; `aws-auth` needs 4 levels at most. */
export const MAX_YAML_DEPTH = 32;

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
  /** Offset of the raw value in the source. */
  valueStart: number;
  /** End of the raw value in the source (exclusive). */
  valueEnd: number;
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
  /** Offset of the key in the source. */
  keyStart: number;
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

/** Any YAML node. */
export type YamlNode = YamlScalar | YamlSequence | YamlMapping;

/** How a node reads in a message: `a string`, `a list`, `a map` or `nothing`. */
export function describeNode(node: YamlNode): string {
  if (node.kind === 'scalar') return node.isNull ? 'nothing' : 'a string';
  return node.kind === 'sequence' ? 'a list' : 'a map';
}

/** Why a YAML text was refused, and where (an offset into the text). */
export class YamlLoadError extends Error {
  /** Offset of the problem in the text, when known. */
  readonly offset: number | undefined;

  constructor(message: string, offset?: number) {
    super(message);
    this.name = 'YamlLoadError';
    this.offset = offset;
  }
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);

const KIND_TAG = { scalar: 'str', sequence: 'seq', mapping: 'map' } as const;

/** True if the node carries an explicit tag that forces it to be what it is; throws on any other tag. */
function checkTag(text: string, tagStart: number, tagEnd: number, kind: YamlNode['kind']): boolean {
  if (tagStart < 0) return false;
  const tag = text.slice(tagStart, tagEnd);
  const core = KIND_TAG[kind];
  if (tag === '!' || tag === `!!${core}` || tag === `!<tag:yaml.org,2002:${core}>`) return true;
  throw new YamlLoadError(
    `unsupported YAML tag "${tag.slice(0, 40)}" (only plain strings, lists and maps are allowed)`,
    tagStart,
  );
}

function startOf(offset: number, anchorStart: number, tagStart: number): number {
  let start = offset;
  if (anchorStart >= 0 && anchorStart < start) start = anchorStart;
  if (tagStart >= 0 && tagStart < start) start = tagStart;
  return start;
}

function scalarNode(text: string, ev: ScalarEvent): YamlScalar {
  const tagged = checkTag(text, ev.tagStart, ev.tagEnd, 'scalar');
  const value = getScalarValue(text, ev);
  return {
    kind: 'scalar',
    start: startOf(ev.valueStart, ev.anchorStart, ev.tagStart),
    text: value,
    isNull: !tagged && ev.style === SCALAR_STYLE.PLAIN && NULLS.has(value),
    style: ev.style,
    valueStart: ev.valueStart,
    valueEnd: ev.valueEnd,
  };
}

interface Frame {
  node: YamlSequence | YamlMapping;
  /** For a mapping: the key read, waiting for its value. */
  key?: { key: string; keyStart: number } | undefined;
}

function attach(stack: Frame[], node: YamlNode): void {
  const top = stack[stack.length - 1];
  if (top === undefined) return;
  if (top.node.kind === 'sequence') {
    top.node.items.push(node);
  } else if (top.key === undefined) {
    if (node.kind !== 'scalar') {
      throw new YamlLoadError('mapping keys must be plain strings', node.start);
    }
    top.key = { key: node.text, keyStart: node.start };
  } else {
    top.node.pairs.push({ ...top.key, value: node });
    top.key = undefined;
  }
}

function fromEvents(text: string, events: readonly Event[]): YamlNode | undefined {
  let root: YamlNode | undefined;
  let documents = 0;
  const stack: Frame[] = [];
  const place = (node: YamlNode): void => {
    if (stack.length === 0) root = node;
    else attach(stack, node);
  };
  for (const ev of events) {
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        documents += 1;
        if (documents > 1) throw new YamlLoadError('expected one YAML document, found several');
        if (ev.directives.some((d) => d.kind === 'tag')) {
          throw new YamlLoadError('%TAG directives are not allowed');
        }
        break;
      case EVENT_ID.SCALAR:
        place(scalarNode(text, ev));
        break;
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING: {
        const kind = ev.type === EVENT_ID.SEQUENCE ? 'sequence' : 'mapping';
        checkTag(text, ev.tagStart, ev.tagEnd, kind);
        const start = startOf(ev.start, ev.anchorStart, ev.tagStart);
        const node: YamlSequence | YamlMapping =
          kind === 'sequence' ? { kind, start, items: [] } : { kind, start, pairs: [] };
        place(node);
        stack.push({ node });
        break;
      }
      case EVENT_ID.ALIAS:
        // Aliases are how YAML "billion laughs" bombs expand; a ConfigMap never needs one.
        throw new YamlLoadError('YAML aliases (*name) are not allowed', ev.anchorStart);
      case EVENT_ID.POP:
        // Closes a collection, or the document when no collection is open.
        stack.pop();
        break;
    }
  }
  return root;
}

/**
 * Parse one YAML document into a positioned tree. Returns `undefined` for a
 * text with no document (empty, or only comments).
 *
 * @throws {@link YamlLoadError} for invalid or refused YAML.
 */
export function loadYaml(text: string): YamlNode | undefined {
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: MAX_YAML_DEPTH });
  } catch (error) {
    // js-yaml's message embeds a source snippet; keep only the reason and position.
    const e = error as { reason?: unknown; mark?: { position?: unknown } };
    const reason = typeof e.reason === 'string' ? e.reason : 'invalid YAML';
    const offset = typeof e.mark?.position === 'number' ? e.mark.position : undefined;
    throw new YamlLoadError(reason, offset);
  }
  return fromEvents(text, events);
}
