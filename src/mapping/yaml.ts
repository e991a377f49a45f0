/**
 * Hostile-input-safe YAML loading for `aws-auth`, with source positions.
 *
 * js-yaml's event parser does the YAML syntax; this turns its events into a
 * small tree with the offsets the diagnostics need. Nothing is constructed
 * here: scalars keep their source text and tag, and what Go's YAML makes of
 * them (`yes` a boolean, `123` a number) is decided by `go-yaml.ts`.
 * Aliases become `alias` nodes pointing at their anchor (a DAG, never
 * copied), so expansion can be bounded where it is walked. Refused outright:
 * `%TAG` directives (they could redefine `!!`), non-scalar mapping keys
 * (Go's YAML refuses them too: "invalid map key"), aliases to an unknown
 * anchor or to a node that contains the alias, nesting deeper than
 * {@link MAX_YAML_DEPTH}. Only the first document is read, as Go's
 * `yaml.Unmarshal` does.
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
  /** The tag as written (`!!str`, `!`, `!foo`), or `undefined` when untagged. */
  tag: string | undefined;
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
  /** The key node (its style and tag decide what Go's YAML makes of it). */
  keyNode: YamlScalar;
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

  constructor(message: string, offset?: number) {
    super(message);
    this.name = 'YamlLoadError';
    this.offset = offset;
  }
}

/** A parsed YAML text: its first document, and how many documents the text holds. */
export interface YamlDocument {
  /** The first document's root, `undefined` when the text holds none. */
  root: YamlNode | undefined;
  /** Number of documents seen (`---` separated); reading stops at the second. */
  documents: number;
}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);

function tagOf(text: string, tagStart: number, tagEnd: number): string | undefined {
  return tagStart < 0 ? undefined : text.slice(tagStart, tagEnd);
}

function startOf(offset: number, anchorStart: number, tagStart: number): number {
  let start = offset;
  if (anchorStart >= 0 && anchorStart < start) start = anchorStart;
  if (tagStart >= 0 && tagStart < start) start = tagStart;
  return start;
}

function scalarNode(text: string, ev: ScalarEvent): YamlScalar {
  const tag = tagOf(text, ev.tagStart, ev.tagEnd);
  const value = getScalarValue(text, ev);
  return {
    kind: 'scalar',
    start: startOf(ev.valueStart, ev.anchorStart, ev.tagStart),
    text: value,
    isNull:
      (tag === undefined && ev.style === SCALAR_STYLE.PLAIN && NULLS.has(value)) ||
      tag === '!!null',
    style: ev.style,
    tag,
    valueStart: ev.valueStart,
    valueEnd: ev.valueEnd,
  };
}

interface Frame {
  node: YamlSequence | YamlMapping;
  /** For a mapping: the key read, waiting for its value. */
  key?: { key: string; keyStart: number; keyNode: YamlScalar } | undefined;
}

function attach(stack: Frame[], node: YamlNode): void {
  const top = stack[stack.length - 1];
  if (top === undefined) return;
  if (top.node.kind === 'sequence') {
    top.node.items.push(node);
  } else if (top.key === undefined) {
    const key = deref(node);
    if (key.kind !== 'scalar') {
      // Go's YAML: "invalid map key". Most often an unquoted {{Placeholder}}.
      throw new YamlLoadError('mapping keys must be plain strings', node.start);
    }
    top.key = { key: key.text, keyStart: node.start, keyNode: key };
  } else {
    top.node.pairs.push({ ...top.key, value: node });
    top.key = undefined;
  }
}

function fromEvents(text: string, events: readonly Event[]): YamlDocument {
  let root: YamlNode | undefined;
  let documents = 0;
  const stack: Frame[] = [];
  const anchors = new Map<string, YamlScalar | YamlSequence | YamlMapping>();
  const open = new Set<YamlNode>();
  const anchor = (
    ev: { anchorStart: number; anchorEnd: number },
    node: YamlScalar | YamlSequence | YamlMapping,
  ): void => {
    // A later anchor of the same name replaces the earlier one for later aliases, as in Go's YAML.
    if (ev.anchorStart >= 0)
      anchors.set(text.slice(ev.anchorStart, ev.anchorEnd).replace(/^&/, ''), node);
  };
  const place = (node: YamlNode): void => {
    if (stack.length === 0) root = node;
    else attach(stack, node);
  };
  let depth = 0;
  for (const ev of events) {
    if (documents > 1) {
      // Go's yaml.Unmarshal reads the first document only; the rest is never looked at.
      break;
    }
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        documents += 1;
        if (documents > 1) break;
        if (ev.directives.some((d) => d.kind === 'tag')) {
          throw new YamlLoadError('%TAG directives are not allowed');
        }
        break;
      case EVENT_ID.SCALAR: {
        const node = scalarNode(text, ev);
        anchor(ev, node);
        place(node);
        break;
      }
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING: {
        const kind = ev.type === EVENT_ID.SEQUENCE ? 'sequence' : 'mapping';
        const start = startOf(ev.start, ev.anchorStart, ev.tagStart);
        const node: YamlSequence | YamlMapping =
          kind === 'sequence' ? { kind, start, items: [] } : { kind, start, pairs: [] };
        anchor(ev, node);
        place(node);
        open.add(node);
        stack.push({ node });
        depth += 1;
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = text.slice(ev.anchorStart, ev.anchorEnd).replace(/^\*/, '');
        const target = anchors.get(name);
        if (target === undefined) {
          throw new YamlLoadError(
            `unknown anchor '${name.slice(0, 40)}' referenced`,
            ev.anchorStart,
          );
        }
        if (open.has(target)) {
          throw new YamlLoadError(
            `anchor '${name.slice(0, 40)}' value contains itself`,
            ev.anchorStart,
          );
        }
        place({ kind: 'alias', start: Math.max(0, ev.anchorStart - 1), name, target });
        break;
      }
      case EVENT_ID.POP: {
        // Closes a collection, or the document when no collection is open.
        const frame = depth > 0 ? stack.pop() : undefined;
        if (frame !== undefined) {
          open.delete(frame.node);
          depth -= 1;
        }
        break;
      }
    }
  }
  return { root, documents };
}

/**
 * Parse a YAML text into a positioned tree of its first document.
 *
 * @throws {@link YamlLoadError} for invalid or refused YAML.
 */
export function loadYamlDocument(text: string): YamlDocument {
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

/**
 * The first document of a YAML text, `undefined` for a text with no document
 * (empty, or only comments).
 *
 * @throws {@link YamlLoadError} for invalid or refused YAML.
 */
export function loadYaml(text: string): YamlNode | undefined {
  return loadYamlDocument(text).root;
}
