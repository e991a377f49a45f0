/**
 * What the Go authenticator's YAML → JSON step makes of a YAML tree.
 *
 * EKS reads `mapRoles` and `mapUsers` with `utilyaml.ToJSON` (sigs.k8s.io/yaml
 * over go-yaml v2) and then `encoding/json` into its structs
 * (pkg/mapper/configmap/configmap.go:129-133, 154-158). Go's YAML is YAML 1.1:
 * an unquoted `yes`, `on` or `123` is a boolean or a number, not a string, and
 * `encoding/json` then leaves a `string` field empty. Aliases and merge keys
 * (`<<: *base`) are expanded, with go-yaml's bound on alias expansion
 * ("document contains excessive aliasing"), so a "billion laughs" text is
 * refused before it costs anything.
 *
 * This module mirrors those rules on the positioned tree of `yaml.ts`; it
 * constructs nothing but plain records.
 *
 * @module
 */
import { quoteForMessage } from '../util/control-characters.js';
import { SCALAR_STYLE } from 'js-yaml';
import { MAX_YAML_DEPTH, YamlLimitError, YamlLoadError } from './yaml.js';
import type { YamlMapping, YamlNode, YamlScalar } from './yaml.js';

/** A JSON value as Go's YAML → JSON step produces it, with where it came from. */
export type GoValue =
  | { readonly kind: 'null'; readonly start: number }
  | { readonly kind: 'string'; readonly value: string; readonly start: number }
  | {
      readonly kind: 'bool' | 'number';
      /** The scalar as written (`yes`, `0x1F`). */
      readonly text: string;
      readonly start: number;
      /** For `.inf` and `.nan`: where it is (json.Marshal refuses them). */
      readonly nonFinite?: number;
    }
  | { readonly kind: 'list'; readonly items: readonly GoValue[]; readonly start: number }
  | { readonly kind: 'map'; readonly fields: readonly GoField[]; readonly start: number };

/** One `key: value` of a map, keyed by the JSON name Go gives the key. */
export interface GoField {
  /** The key as a JSON object key (`yes:` becomes `"true"`). */
  readonly name: string;
  /** The key as written. */
  readonly written: string;
  /** Offset of the key. */
  readonly keyStart: number;
  /** The value. */
  readonly value: GoValue;
}

/** What an unquoted (or core-tagged) scalar resolves to in go-yaml v2. */
export type GoScalarKind = 'null' | 'string' | 'bool' | 'number' | 'non-finite';

// go-yaml v2 resolve.go:37-48: the YAML 1.1 words it resolves.
const BOOLS = new Set(
  'y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF'.split(' '),
);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const NON_FINITE = new Set(
  '.nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF'.split(' '),
);
// go-yaml v2 resolve.go:84.
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's `strconv.ParseInt(s, 0, 64)` then `ParseUint(s, 0, 64)`: does `s` read as an integer? */
function isGoInteger(s: string): boolean {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (m === null) return false;
  const digits = m[2] as string;
  let value: bigint;
  if (/^0[oO]/.test(digits)) value = BigInt(`0o${digits.slice(2)}`);
  else if (/^0[0-7]+$/.test(digits)) value = BigInt(`0o${digits.slice(1)}`);
  else value = BigInt(digits);
  if (m[1] === '-') value = -value;
  // ParseUint takes no sign, so a "+" number must fit int64.
  return value >= INT64_MIN && value <= (m[1] === '' ? UINT64_MAX : 2n ** 63n - 1n);
}

/** Go's `strconv.ParseFloat(s, 64)` on a YAML-style float: fails (→ string) on overflow. */
function isFiniteGoFloat(s: string): boolean {
  return Number.isFinite(Number(s));
}

/** go-yaml v2 `resolve` (resolve.go:86-197) for an untagged plain scalar. */
export function resolvePlain(text: string): GoScalarKind {
  if (NULLS.has(text)) return 'null';
  if (BOOLS.has(text)) return 'bool';
  if (NON_FINITE.has(text)) return 'non-finite';
  const first = text[0] as string;
  if (first === '.') {
    return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) && isFiniteGoFloat(text) ? 'number' : 'string';
  }
  if (!/[-+0-9]/.test(first)) return 'string';
  const plain = text.replaceAll('_', '');
  if (isGoInteger(plain)) return 'number';
  if (YAML_STYLE_FLOAT.test(plain) && isFiniteGoFloat(plain)) return 'number';
  return 'string';
}

const CORE = 'tag:yaml.org,2002:';

/** `tag:yaml.org,2002:int` (written `!!int`) → `int`; any other tag → `undefined`. */
function coreTag(tag: string): string | undefined {
  return tag.startsWith(CORE) ? tag.slice(CORE.length) : undefined;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// resolve.go:225-233: the layouts Go's time.Parse tries (1- or 2-digit fields, 4-digit year).
const TIMESTAMP =
  /^(\d{4})-(\d\d?)-(\d\d?)(?:([Tt ])(\d\d?):(\d\d?):(\d\d?)(?:[.,]\d+)?(Z|[+-]\d\d:\d\d)?)?$/;

/** go-yaml v2 `parseTimestamp` (resolve.go:235-258): does `!!timestamp` accept `s`? */
function isGoTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 5, 6, 7].map((i) => Number(m[i]));
  // "T"/"t" layouts need a zone, the " " layout has none.
  if (m[4] !== undefined && (m[4] === ' ') === (m[8] !== undefined)) return false;
  const leap = year! % 4 === 0 && (year! % 100 !== 0 || year! % 400 === 0);
  const days = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month! - 1] ?? 0);
  if (month! < 1 || month! > 12 || day! < 1 || day! > days) return false;
  return m[4] === undefined || (hour! < 24 && minute! < 60 && second! < 60);
}

const TAG_KIND: Readonly<Record<string, GoScalarKind>> = {
  bool: 'bool',
  int: 'number',
  float: 'number',
  null: 'null',
};

/**
 * What go-yaml v2 makes of a scalar: quoted and block scalars are strings,
 * plain ones are resolved (YAML 1.1), explicit core tags must agree with the
 * value (`!!int abc` fails the whole text, as in Go), other tags leave a string.
 *
 * @throws {@link YamlLoadError} for a core tag its value does not fit.
 */
export function goScalarKind(node: YamlScalar): GoScalarKind {
  const tag = node.tag;
  if (tag === undefined) {
    return node.style === SCALAR_STYLE.PLAIN ? resolvePlain(node.text) : 'string';
  }
  const core = coreTag(tag);
  if (core === undefined || core === 'str' || core === 'binary') return 'string';
  if (core === 'timestamp') {
    // resolve.go:140-147, 90-109: an explicit !!timestamp must parse as one.
    if (isGoTimestamp(node.text)) return 'string';
    throw new YamlLoadError(
      `cannot decode !!str ${quoteForMessage(node.text.slice(0, 10))} as a !!timestamp`,
      node.valueStart,
    );
  }
  const want = TAG_KIND[core];
  if (want === undefined) return 'string';
  const got = resolvePlain(node.text);
  // resolve.go:95-107: an integer is accepted where a float is asked for.
  if (got === want || (core === 'float' && (got === 'number' || got === 'non-finite'))) return got;
  throw new YamlLoadError(
    `cannot decode ${quoteForMessage(node.text.slice(0, 10))} as a ${quoteForMessage(tag.slice(0, 24))}`,
    node.valueStart,
  );
}

// go-yaml v2 decode.go:321-357: the alias expansion bound.
const RATIO_LOW = 400_000;
const RATIO_HIGH = 4_000_000;

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= RATIO_LOW) return 0.99;
  if (decodeCount >= RATIO_HIGH) return 0.1;
  return 0.99 - (0.89 * (decodeCount - RATIO_LOW)) / (RATIO_HIGH - RATIO_LOW);
}

/** Counts node visits as go-yaml's decoder does, to refuse the same alias bombs. */
class ExpansionBudget {
  #decodes = 0;
  #aliased = 0;
  #aliasDepth = 0;

  visit(node: YamlNode): void {
    this.#decodes += 1;
    if (this.#aliasDepth > 0) this.#aliased += 1;
    if (
      this.#aliased > 100 &&
      this.#decodes > 1000 &&
      this.#aliased / this.#decodes > allowedAliasRatio(this.#decodes)
    ) {
      throw new YamlLoadError('document contains excessive aliasing', node.start);
    }
  }

  within<T>(run: () => T): T {
    this.#aliasDepth += 1;
    try {
      return run();
    } finally {
      this.#aliasDepth -= 1;
    }
  }
}

/** sigs.k8s.io/yaml yaml.go:213-248: a map key as a JSON object key. */
function keyName(key: YamlScalar): string {
  const kind = goScalarKind(key);
  if (kind === 'null') {
    throw new YamlLoadError('a map key is empty or null (unsupported map key)', key.start);
  }
  if (kind === 'bool') return /^(y|yes|true|on)$/i.test(key.text) ? 'true' : 'false';
  if (kind === 'number' && isGoInteger(key.text.replaceAll('_', ''))) {
    const m = /^([-+]?)(.*)$/.exec(key.text.replaceAll('_', '')) as RegExpExecArray;
    const digits = m[2] as string;
    const n = /^0[0-7]+$/.test(digits)
      ? BigInt(`0o${digits.slice(1)}`)
      : BigInt(digits.replace(/^0[oO]/, '0o'));
    return `${m[1] === '-' ? '-' : ''}${n.toString()}`;
  }
  return key.text;
}

function isMergeKey(key: YamlScalar): boolean {
  return (
    key.text === '<<' &&
    ((key.tag === undefined && key.style === SCALAR_STYLE.PLAIN) || key.tag === `${CORE}merge`)
  );
}

/**
 * Bytes as Go's `string(data)` then encoding/json print them: valid UTF-8
 * as is, each byte of an invalid sequence as one U+FFFD (utf8.DecodeRune
 * steps one byte on error), where a TextDecoder replaces a whole truncated
 * sequence with one.
 */
function goString(bytes: Uint8Array): string {
  const strict = new TextDecoder('utf-8', { fatal: true });
  try {
    return strict.decode(bytes);
  } catch {
    let out = '';
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i] as number;
      const size =
        b < 0x80
          ? 1
          : b >= 0xc2 && b < 0xe0
            ? 2
            : b >= 0xe0 && b < 0xf0
              ? 3
              : b >= 0xf0 && b < 0xf5
                ? 4
                : 0;
      if (size > 0 && i + size <= bytes.length) {
        try {
          out += strict.decode(bytes.subarray(i, i + size));
          i += size;
          continue;
        } catch {
          // Not a valid sequence: one replacement for this byte.
        }
      }
      out += '\ufffd';
      i += 1;
    }
    return out;
  }
}

/** A `!!binary` scalar decoded as go-yaml does (decode.go:419-425), any other as written. */
function binaryOrText(node: YamlScalar): string {
  if (node.tag === undefined || coreTag(node.tag) !== 'binary') return node.text;
  const b64 = node.text.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    throw new YamlLoadError('!!binary value contains invalid base64 data', node.valueStart);
  }
  return goString(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
}

/**
 * How plain scalars are read: `yaml11` as go-yaml v2 resolves them (EKS's
 * `aws-auth` path); `strings` as every non-null scalar a string, as the Go
 * server's config file reaches its structs (yaml.v3, which knows no `yes`,
 * then mapstructure with weak typing, which turns numbers and booleans into
 * strings).
 */
export type GoScalarReading = 'yaml11' | 'strings';

/** Converts a tree, in Go's order, within one expansion budget. */
class Converter {
  readonly #budget = new ExpansionBudget();
  readonly #scalars: GoScalarReading;

  constructor(scalars: GoScalarReading) {
    this.#scalars = scalars;
  }

  #kind(node: YamlScalar): GoScalarKind {
    if (this.#scalars === 'yaml11') return goScalarKind(node);
    return node.isNull ? 'null' : 'string';
  }

  #depth = 0;

  value(node: YamlNode): GoValue {
    this.#budget.visit(node);
    if (this.#depth >= MAX_YAML_DEPTH) throw new YamlLimitError(node.start);
    this.#depth += 1;
    try {
      return this.#value(node);
    } finally {
      this.#depth -= 1;
    }
  }

  #value(node: YamlNode): GoValue {
    if (node.kind === 'alias') {
      return this.#budget.within(() => ({ ...this.value(node.target), start: node.start }));
    }
    if (node.kind === 'scalar') {
      const kind = this.#kind(node);
      switch (kind) {
        case 'null':
          return { kind: 'null', start: node.start };
        case 'string':
          return {
            kind: 'string',
            value: this.#scalars === 'yaml11' ? binaryOrText(node) : node.text,
            start: node.start,
          };
        case 'non-finite':
          // Refused by json.Marshal only if it survives into the final map (an
          // overridden duplicate key is decoded, never marshalled): see toGoValue.
          return { kind: 'number', text: node.text, start: node.start, nonFinite: node.valueStart };
        default:
          return { kind, text: node.text, start: node.start };
      }
    }
    if (node.kind === 'sequence') {
      return { kind: 'list', items: node.items.map((item) => this.value(item)), start: node.start };
    }
    const fields = new Map<string, GoField>();
    this.#mapping(node, fields);
    // json.Marshal writes a Go map's keys sorted, and encoding/json reads them in that order.
    const sorted = [...fields.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    return { kind: 'map', fields: sorted, start: node.start };
  }

  /** go-yaml v2 decode.go:623-683 and merge (786-811): later keys and merges overwrite. */
  #mapping(node: YamlMapping, into: Map<string, GoField>): void {
    for (const pair of node.pairs) {
      this.#budget.visit(pair.keyNode);
      if (pair.complexKey !== undefined) {
        // decode.go:666-674: a list or map key cannot be a Go map key.
        throw new YamlLoadError('mapping keys must be plain strings', pair.keyStart);
      }
      if (isMergeKey(pair.keyNode)) {
        this.#merge(pair.value, into);
        continue;
      }
      const name = this.#scalars === 'yaml11' ? keyName(pair.keyNode) : pair.key;
      into.delete(name);
      into.set(name, {
        name,
        written: pair.key,
        keyStart: pair.keyStart,
        value: this.value(pair.value),
      });
    }
  }

  #merge(node: YamlNode, into: Map<string, GoField>): void {
    const wantMap = (): never => {
      throw new YamlLoadError(
        'map merge requires map or sequence of maps as the value',
        node.start,
      );
    };
    const mergeOne = (item: YamlNode): void => {
      this.#budget.visit(item);
      if (item.kind === 'mapping') this.#mapping(item, into);
      else if (item.kind === 'alias' && item.target.kind === 'mapping') {
        const target = item.target;
        this.#budget.within(() => this.#mapping(target, into));
      } else wantMap();
    };
    if (node.kind === 'sequence') {
      // Earlier maps take precedence: merged last.
      for (let i = node.items.length - 1; i >= 0; i -= 1) mergeOne(node.items[i] as YamlNode);
    } else mergeOne(node);
  }
}

/**
 * The JSON value Go's `utilyaml.ToJSON` makes of a YAML tree.
 *
 * @throws {@link YamlLoadError} where Go's conversion fails for the whole
 * text: a non-finite float, a null map key, a core tag that does not fit its
 * value, a merge of something that is not a map, excessive aliasing.
 * @param scalars - how plain scalars are read (see {@link GoScalarReading}).
 */
export function toGoValue(node: YamlNode, scalars: GoScalarReading = 'yaml11'): GoValue {
  const value = new Converter(scalars).value(node);
  // sigs.k8s.io/yaml yaml.go:174: json.Marshal of the final map refuses ±Inf and NaN.
  const pending: GoValue[] = [value];
  for (let v = pending.pop(); v !== undefined; v = pending.pop()) {
    if (v.kind === 'list') pending.push(...v.items);
    else if (v.kind === 'map') for (const f of v.fields) pending.push(f.value);
    else if (v.kind === 'number' && v.nonFinite !== undefined) {
      throw new YamlLoadError(
        `json: unsupported value ${v.text} (an unquoted ${v.text} is a YAML 1.1 float)`,
        v.nonFinite,
      );
    }
  }
  return value;
}

/** One item of a `[]string` as go-yaml v2 decodes it. */
export interface GoListItem {
  /** The string Go stores; `undefined` for a list or map item, which Go skips. */
  readonly value: string | undefined;
  /** Offset of the item. */
  readonly start: number;
  /**
   * Not an item of the text: the decoder failed before reaching this slot,
   * and Go keeps the slot as `""` (decode.go:585-622 sizes the slice first).
   */
  readonly filler?: true;
}

/** A YAML list decoded into `[]string`, and the error that stopped the decoder. */
export interface GoStringList {
  /** The items, in Go's order (skipped ones included, with no value). */
  readonly items: readonly GoListItem[];
  /** Why the decoder stopped early, if it did. */
  readonly error?: YamlLoadError;
}

/**
 * `mapAccounts` as go-yaml v2 decodes it straight into `[]string`
 * (configmap.go:178): each scalar item as written (`012345678901` keeps its
 * zero, `yes` stays `yes`, `!!binary` decoded), a null item as `""`, a list
 * or map item skipped. An item whose tag does not fit (`!!int abc`) stops
 * the decoder: the slice was sized first, so the items decoded so far stay
 * and every slot after them is `""` (decode.go:585-622). `undefined` when the
 * whole value is not a list (Go decodes nothing).
 */
export function goStringList(root: YamlNode): GoStringList | undefined {
  const budget = new ExpansionBudget();
  budget.visit(root);
  const list = root.kind === 'alias' ? root.target : root;
  if (list.kind !== 'sequence') return undefined;
  const items: GoListItem[] = [];
  let kept = 0;
  for (const item of list.items) {
    try {
      budget.visit(item);
      const node = item.kind === 'alias' ? item.target : item;
      if (node.kind !== 'scalar') {
        items.push({ value: undefined, start: item.start });
        continue;
      }
      const value = goScalarKind(node) === 'null' ? '' : binaryOrText(node);
      items.push({ value, start: item.start });
      kept += 1;
    } catch (error) {
      if (!(error instanceof YamlLoadError)) throw error;
      for (let slot = kept; slot < list.items.length; slot += 1) {
        items.push({ value: '', start: item.start, filler: true });
      }
      return { items, error };
    }
  }
  return { items };
}
