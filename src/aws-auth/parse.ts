/**
 * `parseAwsAuth` (SPEC 4.1): an `aws-auth` ConfigMap, as text or object, to
 * typed mappings plus diagnostics — with the rules of the Go authenticator
 * that EKS runs, and the YAML treated as hostile.
 *
 * @module
 */
import { AwsAuthError } from '../errors.js';
import { deepFreeze } from '../util/deep-freeze.js';
import { duplicateDiagnostics } from './duplicates.js';
import { nearest } from '../mapping/edit-distance.js';
import { readAccountItem, readRoleEntry, readUserEntry } from '../mapping/entries.js';
import type { EntryContext } from '../mapping/entries.js';
import { goScalarKind, goStringList, toGoValue } from '../mapping/go-yaml.js';
import type { GoValue } from '../mapping/go-yaml.js';
import { MAX_AWS_AUTH_INPUT_LENGTH, maxInputLengthOf, tooLongMessage } from '../mapping/limits.js';
import type { InputLimitOptions } from '../mapping/limits.js';
import {
  LineIndex,
  itemIndicatorOffset,
  sameLines,
  sameLocation,
  scalarLineMapper,
  scalarLocator,
} from '../mapping/locate.js';
import type { LineMapper, Locator } from '../mapping/locate.js';
import type {
  AwsAuth,
  AwsAuthDiagnostic,
  AwsAuthInput,
  AwsAuthKey,
  RoleMapping,
  SsoRoleMapping,
  UserMapping,
} from '../mapping/types.js';
import {
  deref,
  describeNode,
  loadYamlDocument,
  YamlLimitError,
  YamlLoadError,
} from '../mapping/yaml.js';
import type { YamlMapping, YamlNode } from '../mapping/yaml.js';
import { explainYamlError } from './yaml-hints.js';

export { MAX_AWS_AUTH_INPUT_LENGTH };

/** Options of {@link parseAwsAuth}. */
export type ParseAwsAuthOptions = InputLimitOptions;

const KEYS: readonly AwsAuthKey[] = ['mapRoles', 'mapUsers', 'mapAccounts'];
const MANIFEST_FIELDS = ['apiVersion', 'kind', 'metadata', 'data'];

/** One `data` value, before its YAML is read. */
type DataValue =
  | { kind: 'text'; text: string; lines: LineMapper; locate: Locator }
  | { kind: 'empty' }
  | { kind: 'wrong'; found: string };

interface DataItem {
  key: string;
  line: number | undefined;
  value: DataValue;
}

function fail(message: string, cause?: unknown): never {
  throw new AwsAuthError(message, cause === undefined ? undefined : { cause });
}

function foundOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`;
}

// ---- text input --------------------------------------------------------

function dataFromText(text: string, limit: number): DataItem[] {
  if (text.length > limit) fail(tooLongMessage('the input', text.length, limit));
  const lines = new LineIndex(text);
  let node: YamlNode | undefined;
  try {
    node = loadYamlDocument(text).root;
  } catch (error) {
    const e = error as YamlLoadError;
    const where = e.offset === undefined ? '' : ` (line ${lines.lineOf(e.offset)})`;
    // Said as the aws-auth fix where the slip is a known one (a block not indented under its key).
    const hint = explainYamlError(e.message, text, e.offset, 'manifest');
    const fix = hint.fix === undefined ? '' : `; fix: ${hint.fix}`;
    fail(`input is not valid YAML${where}: ${hint.message}${fix}`, error);
  }
  if (node === undefined) fail('input is empty: expected a ConfigMap manifest or its data map');
  const root = deref(node);
  if (root.kind !== 'mapping') {
    fail(`expected a ConfigMap manifest or its data map, found ${describeNode(root)}`);
  }
  const top = new Map(root.pairs.map((p) => [p.key, p]));
  let data: YamlMapping | undefined = root;
  if (MANIFEST_FIELDS.some((f) => top.has(f))) {
    const kindNode = top.get('kind')?.value;
    const kind = kindNode === undefined ? undefined : deref(kindNode);
    if (kind !== undefined && !(kind.kind === 'scalar' && kind.text === 'ConfigMap')) {
      fail(
        `expected kind ConfigMap, found ${kind.kind === 'scalar' ? `"${kind.text.slice(0, 64)}"` : describeNode(kind)}`,
      );
    }
    const dataNode = top.get('data')?.value;
    const value = dataNode === undefined ? undefined : deref(dataNode);
    if (value === undefined || (value.kind === 'scalar' && value.isNull)) data = undefined;
    else if (value.kind === 'mapping') data = value;
    else fail(`a ConfigMap's data must be a map, found ${describeNode(value)}`);
  }
  return (data?.pairs ?? []).map((pair): DataItem => {
    const node = deref(pair.value);
    const line = lines.lineOf(pair.keyStart);
    if (node.kind !== 'scalar')
      return { key: pair.key, line, value: { kind: 'wrong', found: describeNode(node) } };
    let kind;
    try {
      kind = goScalarKind(node);
    } catch (error) {
      fail(`input is not valid YAML: ${(error as Error).message} (line ${line})`, error);
    }
    if (kind === 'null') return { key: pair.key, line, value: { kind: 'empty' } };
    if (kind !== 'string') {
      // kubectl reads the manifest as YAML 1.1 too: an unquoted 123 or yes is no string.
      return {
        key: pair.key,
        line,
        value: {
          kind: 'wrong',
          found: `${kind === 'bool' ? 'a boolean' : 'a number'} (${node.text.slice(0, 20)}; quote it)`,
        },
      };
    }
    return {
      key: pair.key,
      line,
      value: {
        kind: 'text',
        text: node.text,
        lines: scalarLineMapper(text, lines, node),
        locate: scalarLocator(text, lines, node),
      },
    };
  });
}

// ---- object input ------------------------------------------------------

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dataFromObject(input: Readonly<Record<string, unknown>>, limit: number): DataItem[] {
  let data: Readonly<Record<string, unknown>> | undefined = input;
  if (MANIFEST_FIELDS.some((f) => Object.hasOwn(input, f))) {
    const kind = input['kind'];
    if (kind !== undefined && kind !== 'ConfigMap') {
      fail(
        `expected kind ConfigMap, found ${typeof kind === 'string' ? `"${kind.slice(0, 64)}"` : foundOf(kind)}`,
      );
    }
    const value = input['data'];
    if (value === undefined || value === null) data = undefined;
    else if (isPlainObject(value)) data = value;
    else fail(`a ConfigMap's data must be a map, found ${foundOf(value)}`);
  }
  let total = 0;
  return Object.entries(data ?? {}).map(([key, value]): DataItem => {
    if (value === undefined || value === null)
      return { key, line: undefined, value: { kind: 'empty' } };
    if (typeof value !== 'string')
      return { key, line: undefined, value: { kind: 'wrong', found: foundOf(value) } };
    total += value.length;
    if (total > limit) fail(tooLongMessage('the data', total, limit));
    return {
      key,
      line: undefined,
      value: { kind: 'text', text: value, lines: sameLines, locate: sameLocation },
    };
  });
}

// ---- keys --------------------------------------------------------------

/** The key a misspelt one was probably meant to be (`maproles`, `MapRoles`, `mapRole`, `map_roles`). */
function nearMiss(key: string): AwsAuthKey | undefined {
  if (key.length > 32) return undefined;
  const k = key.toLowerCase().replace(/[^a-z]/g, '');
  const meant = nearest(
    k,
    KEYS.map((t) => t.toLowerCase()),
    2,
  );
  return KEYS.find((t) => t.toLowerCase() === meant);
}

/** The Go authenticator skips these values instead of parsing them (configmap.go:192-195). */
function isSkippable(text: string): boolean {
  const t = text.trim();
  return t === '' || t === '``' || t === '""' || t === "''";
}

// ---- entries -----------------------------------------------------------

interface Collected {
  mapRoles: (RoleMapping | SsoRoleMapping)[];
  mapUsers: UserMapping[];
  mapAccounts: string[];
  accountLines: (number | undefined)[];
  diagnostics: AwsAuthDiagnostic[];
}

function keyDiagnostic(
  out: Collected,
  diagnostic: Omit<AwsAuthDiagnostic, 'line'> & { line: number | undefined },
): void {
  const { line, ...rest } = diagnostic;
  out.diagnostics.push({ ...rest, ...(line === undefined ? {} : { line }) });
}

/** A YAML error of a whole key: EKS's ToJSON fails, so the key adds nothing (configmap.go:129-131). */
function yamlError(
  out: Collected,
  key: AwsAuthKey,
  item: DataItem,
  value: { text: string; lines: LineMapper; locate: Locator },
  error: unknown,
): void {
  if (!(error instanceof YamlLoadError)) throw error;
  const inner = new LineIndex(value.text);
  const hint = explainYamlError(error.message, value.text, error.offset);
  // The line of the slip when the hint found it, else where the parser stopped.
  const offset = hint.offset ?? error.offset;
  const line = offset === undefined ? item.line : (value.lines(inner.lineOf(offset)) ?? item.line);
  if (error instanceof YamlLimitError) {
    // A limit of this package, not a refusal of EKS's: say what is true.
    keyDiagnostic(out, {
      severity: 'error',
      code: 'yaml-too-deep',
      key,
      line,
      message: `${key} is ${error.message} (EKS reads up to 10,000 levels): none of its entries are shown here, though EKS keeps those that are well formed`,
      fix: 'remove the deeply nested item',
    });
    return;
  }
  keyDiagnostic(out, {
    severity: 'error',
    code: 'yaml-syntax',
    key,
    line,
    message: `${key} is not valid YAML for EKS: ${hint.message}; EKS ignores every entry of ${key}`,
    ...(hint.fix === undefined ? {} : { fix: hint.fix }),
  });
}

function notAList(out: Collected, key: AwsAuthKey, item: DataItem, found: string): void {
  keyDiagnostic(out, {
    severity: 'error',
    code: 'yaml-not-a-list',
    key,
    line: item.line,
    message: `${key} must hold a YAML list ("- " items), found ${found}; EKS ignores the key`,
    fix: 'start each entry with "- "',
  });
}

function readList(
  key: AwsAuthKey,
  item: DataItem,
  value: { text: string; lines: LineMapper; locate: Locator },
  out: Collected,
): void {
  // utilyaml.ToJSON passes text starting with "{" to encoding/json as is
  // (apimachinery pkg/util/yaml/decoder.go:96-101): an object is no list.
  if (key !== 'mapAccounts' && value.text.trimStart().startsWith('{')) {
    notAList(out, key, item, 'a JSON object');
    return;
  }
  const inner = new LineIndex(value.text);
  const lineOf = (start: number): number | undefined =>
    value.lines(inner.lineOf(itemIndicatorOffset(value.text, start)));
  let root: YamlNode | undefined;
  let documents: number;
  let endsAt: number | undefined;
  try {
    ({ root, documents, endsAt } = loadYamlDocument(value.text));
  } catch (error) {
    yamlError(out, key, item, value, error);
    return;
  }
  if (documents > 1) {
    // go-yaml's yaml.Unmarshal reads one document, and stops where its parser ends it.
    const stop = endsAt === undefined ? undefined : value.lines(inner.lineOf(endsAt));
    const marker =
      endsAt !== undefined && /^(?:---|\.\.\.)/.test(value.text.slice(endsAt, endsAt + 3));
    keyDiagnostic(out, {
      severity: 'warning',
      code: 'yaml-extra-document',
      key,
      line: stop ?? item.line,
      message:
        stop === undefined
          ? `${key} holds more than one YAML document ("---"); EKS reads the first one only`
          : `EKS reads up to line ${stop} of ${key} and ignores the rest (${marker ? 'a "---" or "..." starts another YAML document there' : 'that line is indented left of the first list item, which ends the YAML document'}), errors included`,
      fix: marker
        ? 'remove the "---" line, or everything after it'
        : 'line up every "- " of the list in the same column',
    });
  }
  if (root === undefined) return;
  const ctxAt = (index: number, start: number): EntryContext => ({
    key,
    index,
    line: lineOf(start),
    diagnostics: out.diagnostics,
    locate: (offset) => value.locate(inner.lineOf(offset), inner.columnOf(offset)),
  });

  if (key === 'mapAccounts') {
    let list;
    try {
      list = goStringList(root);
    } catch (error) {
      yamlError(out, key, item, value, error);
      return;
    }
    if (list === undefined) {
      const found = deref(root);
      if (!(found.kind === 'scalar' && found.isNull)) notAList(out, key, item, describeNode(root));
      return;
    }
    if (list.error !== undefined) {
      // Go's decoder stopped at this item; the slots after the items it kept stay "".
      const at = list.error.offset;
      keyDiagnostic(out, {
        severity: 'error',
        code: 'yaml-syntax',
        key,
        line: at === undefined ? item.line : (value.lines(inner.lineOf(at)) ?? item.line),
        message: `${key}: ${list.error.message}; EKS keeps the items before it and reads every slot from there on as the account ""`,
        fix: 'quote the item, or remove its tag',
      });
    }
    list.items.forEach((account, index) => {
      if (account.filler === true) {
        out.mapAccounts.push('');
        out.accountLines.push(undefined);
        return;
      }
      const ctx = ctxAt(index, account.start);
      const kept = readAccountItem(account.value, ctx, account.start);
      if (kept === undefined) return;
      out.mapAccounts.push(kept);
      out.accountLines.push(ctx.line);
    });
    return;
  }

  let json: GoValue;
  try {
    json = toGoValue(root);
  } catch (error) {
    yamlError(out, key, item, value, error);
    return;
  }
  if (json.kind === 'null') return;
  if (json.kind !== 'list') {
    notAList(out, key, item, json.kind === 'map' ? 'a map' : `a ${json.kind}`);
    return;
  }
  json.items.forEach((node, index) => {
    const ctx = ctxAt(index, node.start);
    if (key === 'mapRoles') {
      const entry = readRoleEntry(node, ctx);
      if (entry !== undefined) out.mapRoles.push(entry);
    } else {
      const entry = readUserEntry(node, ctx);
      if (entry !== undefined) out.mapUsers.push(entry);
    }
  });
}

// k8s.io/apimachinery pkg/util/validation/validation.go IsConfigMapKey:
// `[-._a-zA-Z0-9]+`, at most 253 bytes, not `.`, `..` or `..…`.
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_CONFIG_MAP_KEY_LENGTH = 253;

/** Why the API server refuses `key` as a ConfigMap data key, or `undefined`. */
function configMapKeyProblem(key: string): string | undefined {
  if (key.length > MAX_CONFIG_MAP_KEY_LENGTH)
    return `is longer than ${MAX_CONFIG_MAP_KEY_LENGTH} characters`;
  if (!CONFIG_MAP_KEY.test(key)) return "may hold only letters, digits, '-', '_' and '.'";
  if (key.startsWith('..') || key === '.') return "must not be '.' or start with '..'";
  return undefined;
}

/** Kubernetes refuses the object, so EKS sees nothing: a fatal diagnostic, an empty result. */
function rejected(items: readonly DataItem[]): AwsAuthDiagnostic[] {
  const diagnostics: AwsAuthDiagnostic[] = [];
  for (const item of items) {
    const keyProblem = configMapKeyProblem(item.key);
    if (keyProblem !== undefined) {
      const shown = JSON.stringify(item.key.length > 80 ? `${item.key.slice(0, 80)}…` : item.key);
      diagnostics.push({
        severity: 'error',
        code: 'data-key-invalid',
        fatal: true,
        key: item.key,
        ...(item.line === undefined ? {} : { line: item.line }),
        message: `the data key ${shown} ${keyProblem}: Kubernetes rejects the whole ConfigMap, so EKS never sees any of it and nothing in it applies`,
      });
    }
    if (item.value.kind !== 'wrong') continue;
    const ours = (KEYS as readonly string[]).includes(item.key);
    diagnostics.push({
      severity: 'error',
      code: 'data-not-a-string',
      fatal: true,
      key: item.key,
      ...(item.line === undefined ? {} : { line: item.line }),
      message: `${item.key} must be a string holding YAML, found ${item.value.found}: Kubernetes rejects the whole ConfigMap (every data value must be a string), so EKS never sees any of it and nothing in it applies`,
      fix: ours
        ? `write "${item.key}: |" and indent the list below it`
        : `quote the value of ${item.key}`,
    });
  }
  return diagnostics;
}

/**
 * Parse an `aws-auth` ConfigMap the way the EKS authenticator reads it.
 *
 * Accepts the YAML or JSON text of the whole manifest (`kubectl get cm
 * aws-auth -n kube-system -o yaml`) or of its `data` map, or either as an
 * object. Keys are case-sensitive (`mapRoles`, `mapUsers`, `mapAccounts`);
 * each value must be a string of YAML (a `|` block): a list or map there
 * makes Kubernetes reject the whole object, so the result maps nothing and
 * carries a `fatal` diagnostic.
 *
 * The entries are read as the Go authenticator reads them (its YAML → JSON →
 * struct path): YAML 1.1 scalars (`username: yes` is a boolean, so the
 * username is left empty), aliases and merge keys (with go-yaml's bound on
 * alias expansion), case-insensitive field names. An entry EKS drops is
 * dropped and reported; an entry EKS keeps is kept, and everything that makes
 * it useless or surprising is reported on its line (see
 * {@link AwsAuthDiagnosticCode}). The input is hostile: at most
 * `options.maxInputLength` characters ({@link MAX_AWS_AUTH_INPUT_LENGTH}, 1 MiB,
 * by default), read in time linear in its size, nothing constructed from tags.
 *
 * The result is deeply frozen plain data; pass it to `mapIdentity` to parse
 * once and map many times.
 *
 * @example
 * ```ts
 * const awsAuth = parseAwsAuth(await readFile('aws-auth.yaml', 'utf8'));
 * for (const d of awsAuth.diagnostics) console.warn(d.severity, d.key, d.line, d.message);
 * ```
 * @throws {@link AwsAuthError} (`ERR_AWS_AUTH_INVALID`) only when the input is
 * not a ConfigMap at all: invalid YAML, not a map, another `kind`, `data` not
 * a map, or too large.
 * @throws `TypeError` when `input` is neither a string nor an object.
 */
export function parseAwsAuth(input: AwsAuthInput, options?: ParseAwsAuthOptions): AwsAuth {
  const limit = maxInputLengthOf(options, 'parseAwsAuth');
  let items: DataItem[];
  if (typeof input === 'string') items = dataFromText(input, limit);
  else if (Array.isArray(input))
    fail('expected a ConfigMap manifest or its data map, found a list');
  else if (isPlainObject(input)) items = dataFromObject(input, limit);
  else
    throw new TypeError(
      `parseAwsAuth: expected a string or an object, got ${input === null ? 'null' : typeof input}`,
    );

  const fatal = rejected(items);
  if (fatal.length > 0) {
    return deepFreeze({ mapRoles: [], mapUsers: [], mapAccounts: [], diagnostics: fatal });
  }
  const out: Collected = {
    mapRoles: [],
    mapUsers: [],
    mapAccounts: [],
    accountLines: [],
    diagnostics: [],
  };
  const byKey = new Map<AwsAuthKey, DataItem>();
  for (const item of items) {
    if ((KEYS as readonly string[]).includes(item.key)) {
      const earlier = byKey.get(item.key as AwsAuthKey);
      if (earlier !== undefined) {
        // go-yaml v2 (non-strict) keeps the last; strict readers (kubectl) refuse the file.
        keyDiagnostic(out, {
          severity: 'warning',
          code: 'key-repeated',
          key: item.key,
          line: item.line,
          message: `${item.key} appears again${earlier.line === undefined ? '' : ` (first on line ${earlier.line})`}: only this last one is read, the entries of the first are lost (and kubectl may refuse the file: "key already set in map")`,
          fix: `merge both lists under one "${item.key}: |"`,
        });
      }
      byKey.set(item.key as AwsAuthKey, item);
      continue;
    }
    const meant = nearMiss(item.key);
    if (meant !== undefined) {
      keyDiagnostic(out, {
        severity: 'warning',
        code: 'key-near-miss',
        key: item.key,
        line: item.line,
        message: `"${item.key}" is ignored: keys are case-sensitive, did you mean "${meant}"?`,
        fix: meant,
      });
    }
  }
  for (const key of KEYS) {
    const item = byKey.get(key);
    if (item === undefined) continue;
    const { value } = item;
    if (value.kind === 'text' && !isSkippable(value.text)) readList(key, item, value, out);
  }
  out.diagnostics.push(...duplicateDiagnostics(out));
  // Misspelt keys first, then mapRoles, mapUsers, mapAccounts, each in entry order.
  const rank = (d: AwsAuthDiagnostic): number => KEYS.indexOf(d.key as AwsAuthKey);
  out.diagnostics.sort((a, b) => rank(a) - rank(b) || (a.index ?? -1) - (b.index ?? -1));
  return deepFreeze({
    mapRoles: out.mapRoles,
    mapUsers: out.mapUsers,
    mapAccounts: out.mapAccounts,
    diagnostics: out.diagnostics,
  });
}
