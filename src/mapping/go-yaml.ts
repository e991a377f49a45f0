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
import { SCALAR_STYLE } from 'js-yaml';
import { YamlLoadError } from './yaml.js';
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

/** `!!int` and `!<tag:yaml.org,2002:int>` → `int`; any other tag → `undefined`. */
function coreTag(tag: string): string | undefined {
  if (tag.startsWith('!!')) return tag.slice(2);
  if (tag.startsWith(`!<${CORE}`) && tag.endsWith('>')) return tag.slice(CORE.length + 2, -1);
  return undefined;
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
  if (core === undefined || core === 'str' || core === 'binary' || core === 'timestamp') {
    return 'string';
  }
  const want = TAG_KIND[core];
  if (want === undefined) return 'string';
  const got = resolvePlain(node.text);
  // resolve.go:95-107: an integer is accepted where a float is asked for.
  if (got === want || (core === 'float' && (got === 'number' || got === 'non-finite'))) return got;
  throw new YamlLoadError(
    `cannot decode \`${node.text.slice(0, 10)}\` as a ${tag.slice(0, 24)}`,
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
    ((key.tag === undefined && key.style === SCALAR_STYLE.PLAIN) || key.tag === '!!merge')
  );
}

/** A `!!binary` scalar decoded as go-yaml does (decode.go:419-425), any other as written. */
function binaryOrText(node: YamlScalar): string {
  if (node.tag === undefined || coreTag(node.tag) !== 'binary') return node.text;
  const b64 = node.text.replace(/[\r\n]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 !== 0) {
    throw new YamlLoadError('!!binary value contains invalid base64 data', node.valueStart);
  }
  return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
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

  value(node: YamlNode): GoValue {
    this.#budget.visit(node);
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
          // sigs.k8s.io/yaml yaml.go:174: json.Marshal refuses ±Inf and NaN.
          throw new YamlLoadError(
            `json: unsupported value ${node.text} (an unquoted ${node.text} is a YAML 1.1 float)`,
            node.valueStart,
          );
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
  return new Converter(scalars).value(node);
}

/**
 * `mapAccounts` as go-yaml v2 decodes it straight into `[]string`
 * (configmap.go:178): each scalar item as written (`012345678901` keeps its
 * zero, `yes` stays `yes`), a null item as `""`, any other item dropped.
 * `undefined` when the whole value is not a list (Go decodes nothing).
 *
 * @throws {@link YamlLoadError} for a core tag that does not fit its value, or
 * excessive aliasing.
 */
export function goStringList(
  root: YamlNode,
): { items: { value: string | undefined; start: number }[] } | undefined {
  const budget = new ExpansionBudget();
  budget.visit(root);
  const list = root.kind === 'alias' ? root.target : root;
  if (list.kind !== 'sequence') return undefined;
  return {
    items: list.items.map((item) => {
      budget.visit(item);
      const node = item.kind === 'alias' ? item.target : item;
      if (node.kind !== 'scalar') return { value: undefined, start: item.start };
      return { value: goScalarKind(node) === 'null' ? '' : node.text, start: item.start };
    }),
  };
}
