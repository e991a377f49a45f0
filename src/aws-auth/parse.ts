/**
 * `parseAwsAuth` (SPEC 4.1): an `aws-auth` ConfigMap, as text or object, to
 * typed mappings plus diagnostics — with the rules of the Go authenticator
 * that EKS runs, and the YAML treated as hostile.
 *
 * @module
 */
import { AwsAuthError } from '../errors.js';
import { readAccountItem, readRoleEntry, readUserEntry, report } from './entries.js';
import type { EntryContext } from './entries.js';
import { LineIndex, itemIndicatorOffset, sameLines, scalarLineMapper } from './locate.js';
import type { LineMapper } from './locate.js';
import type {
  AwsAuth,
  AwsAuthDiagnostic,
  AwsAuthInput,
  AwsAuthKey,
  RoleMapping,
  SsoRoleMapping,
  UserMapping,
} from './types.js';
import { describeNode, loadYaml } from './yaml.js';
import type { YamlLoadError, YamlMapping, YamlNode } from './yaml.js';

/**
 * The longest input `parseAwsAuth` reads, in characters: 4 MiB. Kubernetes
 * caps a whole ConfigMap at 1 MiB, so anything larger is not an `aws-auth`
 * and is refused before any YAML is parsed. For object input the limit applies
 * to the total length of the `data` strings.
 */
export const MAX_AWS_AUTH_INPUT_LENGTH: number = 4 * 1024 * 1024;

const KEYS: readonly AwsAuthKey[] = ['mapRoles', 'mapUsers', 'mapAccounts'];
const MANIFEST_FIELDS = ['apiVersion', 'kind', 'metadata', 'data'];

/** One `data` value, before its YAML is read. */
type DataValue =
  | { kind: 'text'; text: string; lines: LineMapper }
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

function dataFromText(text: string): DataItem[] {
  if (text.length > MAX_AWS_AUTH_INPUT_LENGTH) {
    fail(
      `input is longer than ${MAX_AWS_AUTH_INPUT_LENGTH} characters; a ConfigMap is at most 1 MiB`,
    );
  }
  const lines = new LineIndex(text);
  let root: YamlNode | undefined;
  try {
    root = loadYaml(text);
  } catch (error) {
    const e = error as YamlLoadError;
    const where = e.offset === undefined ? '' : ` (line ${lines.lineOf(e.offset)})`;
    fail(`input is not valid YAML: ${e.message}${where}`, error);
  }
  if (root === undefined) fail('input is empty: expected a ConfigMap manifest or its data map');
  if (root.kind !== 'mapping') {
    fail(`expected a ConfigMap manifest or its data map, found ${describeNode(root)}`);
  }
  const top = new Map(root.pairs.map((p) => [p.key, p]));
  let data: YamlMapping | undefined = root;
  if (MANIFEST_FIELDS.some((f) => top.has(f))) {
    const kind = top.get('kind')?.value;
    if (kind !== undefined && !(kind.kind === 'scalar' && kind.text === 'ConfigMap')) {
      fail(
        `expected kind ConfigMap, found ${kind.kind === 'scalar' ? `"${kind.text.slice(0, 64)}"` : describeNode(kind)}`,
      );
    }
    const node = top.get('data')?.value;
    if (node === undefined || (node.kind === 'scalar' && node.isNull)) data = undefined;
    else if (node.kind === 'mapping') data = node;
    else fail(`a ConfigMap's data must be a map, found ${describeNode(node)}`);
  }
  return (data?.pairs ?? []).map((pair): DataItem => {
    const node = pair.value;
    const line = lines.lineOf(pair.keyStart);
    if (node.kind !== 'scalar')
      return { key: pair.key, line, value: { kind: 'wrong', found: describeNode(node) } };
    if (node.isNull) return { key: pair.key, line, value: { kind: 'empty' } };
    return {
      key: pair.key,
      line,
      value: { kind: 'text', text: node.text, lines: scalarLineMapper(text, lines, node) },
    };
  });
}

// ---- object input ------------------------------------------------------

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dataFromObject(input: Readonly<Record<string, unknown>>): DataItem[] {
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
    if (total > MAX_AWS_AUTH_INPUT_LENGTH) {
      fail(
        `data is longer than ${MAX_AWS_AUTH_INPUT_LENGTH} characters; a ConfigMap is at most 1 MiB`,
      );
    }
    return { key, line: undefined, value: { kind: 'text', text: value, lines: sameLines } };
  });
}

// ---- keys --------------------------------------------------------------

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(
        Math.min(
          (prev[j] as number) + 1,
          (row[j - 1] as number) + 1,
          (prev[j - 1] as number) + cost,
        ),
      );
    }
    prev = row;
  }
  return prev[b.length] as number;
}

/** The key a misspelt one was probably meant to be (`maproles`, `MapRoles`, `mapRole`, `map_roles`). */
function nearMiss(key: string): AwsAuthKey | undefined {
  if (key.length > 32) return undefined;
  const k = key.toLowerCase().replace(/[^a-z]/g, '');
  return KEYS.find((t) => editDistance(k, t.toLowerCase()) <= 2);
}

/** The Go authenticator skips these values instead of parsing them. */
function isSkippable(text: string): boolean {
  const t = text.trim();
  return t === '' || t === '``' || t === '""' || t === "''";
}

// ---- entries -----------------------------------------------------------

interface Collected {
  mapRoles: (RoleMapping | SsoRoleMapping)[];
  mapUsers: UserMapping[];
  mapAccounts: string[];
  diagnostics: AwsAuthDiagnostic[];
}

function keyDiagnostic(
  out: Collected,
  severity: AwsAuthDiagnostic['severity'],
  key: string,
  line: number | undefined,
  message: string,
): void {
  out.diagnostics.push({ severity, key, ...(line === undefined ? {} : { line }), message });
}

/** Warn on an entry whose match key an earlier entry already has; the later one wins. */
function duplicates(): (ctx: EntryContext, matchKey: string, what: string) => void {
  const seen = new Map<string, number>();
  return (ctx, matchKey, what) => {
    const first = seen.get(matchKey);
    if (first !== undefined) {
      report(ctx, 'warning', `duplicate of entry ${first} (same ${what}); the later entry wins`);
    }
    seen.set(matchKey, ctx.index);
  };
}

function readList(
  key: AwsAuthKey,
  item: DataItem,
  value: { text: string; lines: LineMapper },
  out: Collected,
): void {
  const inner = new LineIndex(value.text);
  let root: YamlNode | undefined;
  try {
    root = loadYaml(value.text);
  } catch (error) {
    const e = error as YamlLoadError;
    const line = e.offset === undefined ? item.line : value.lines(inner.lineOf(e.offset));
    keyDiagnostic(
      out,
      'error',
      key,
      line,
      `${key} is not valid YAML (${e.message}); the key is ignored`,
    );
    return;
  }
  if (root === undefined || (root.kind === 'scalar' && root.isNull)) return;
  if (root.kind !== 'sequence') {
    keyDiagnostic(
      out,
      'error',
      key,
      item.line,
      `${key} must hold a YAML list, found ${describeNode(root)}; the key is ignored`,
    );
    return;
  }
  const seen = duplicates();
  root.items.forEach((node, index) => {
    const ctx: EntryContext = {
      key,
      index,
      line: value.lines(inner.lineOf(itemIndicatorOffset(value.text, node.start))),
      diagnostics: out.diagnostics,
    };
    if (key === 'mapRoles') {
      const entry = readRoleEntry(node, ctx);
      if (entry === undefined) return;
      if (entry.sso === undefined) seen(ctx, entry.roleArn.toLowerCase(), 'rolearn');
      else {
        const { partition, accountId, permissionSetName } = entry.sso;
        seen(
          ctx,
          `sso:${partition}:${accountId}:${permissionSetName.toLowerCase()}`,
          'sso permission set',
        );
      }
      out.mapRoles.push(entry);
    } else if (key === 'mapUsers') {
      const entry = readUserEntry(node, ctx);
      if (entry === undefined) return;
      seen(ctx, entry.userArn.toLowerCase(), 'userarn');
      out.mapUsers.push(entry);
    } else {
      const account = readAccountItem(node, ctx);
      if (account === undefined) return;
      seen(ctx, account, 'account');
      out.mapAccounts.push(account);
    }
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Parse an `aws-auth` ConfigMap the way the EKS authenticator reads it.
 *
 * Accepts the YAML or JSON text of the whole manifest (`kubectl get cm
 * aws-auth -n kube-system -o yaml`) or of its `data` map, or either as an
 * object. Keys are case-sensitive (`mapRoles`, `mapUsers`, `mapAccounts`);
 * each value must be a string of YAML (a `|` block). Entries that are wrong
 * are dropped and reported in `diagnostics`, never thrown; valid ones are
 * kept, in order.
 *
 * The YAML is read as hostile: at most {@link MAX_AWS_AUTH_INPUT_LENGTH}
 * characters, failsafe schema (every scalar a string: `012345678901` keeps its
 * zero), no aliases, no tags beyond `!!str`/`!!seq`/`!!map`.
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
export function parseAwsAuth(input: AwsAuthInput): AwsAuth {
  let items: DataItem[];
  if (typeof input === 'string') items = dataFromText(input);
  else if (Array.isArray(input))
    fail('expected a ConfigMap manifest or its data map, found a list');
  else if (isPlainObject(input)) items = dataFromObject(input);
  else
    throw new TypeError(
      `parseAwsAuth: expected a string or an object, got ${input === null ? 'null' : typeof input}`,
    );

  const out: Collected = { mapRoles: [], mapUsers: [], mapAccounts: [], diagnostics: [] };
  const byKey = new Map<AwsAuthKey, DataItem>();
  for (const item of items) {
    if ((KEYS as readonly string[]).includes(item.key)) {
      byKey.set(item.key as AwsAuthKey, item);
      continue;
    }
    const meant = nearMiss(item.key);
    if (meant !== undefined) {
      keyDiagnostic(
        out,
        'warning',
        item.key,
        item.line,
        `"${item.key}" is ignored: keys are case-sensitive, did you mean "${meant}"?`,
      );
    }
  }
  for (const key of KEYS) {
    const item = byKey.get(key);
    if (item === undefined) continue;
    const { value } = item;
    if (value.kind === 'wrong') {
      keyDiagnostic(
        out,
        'error',
        key,
        item.line,
        `${key} must be a string holding YAML (write "${key}: |"), found ${value.found}; Kubernetes rejects such a ConfigMap, so the key is ignored`,
      );
    } else if (value.kind === 'text' && !isSkippable(value.text)) {
      readList(key, item, value, out);
    }
  }
  return deepFreeze({
    mapRoles: out.mapRoles,
    mapUsers: out.mapUsers,
    mapAccounts: out.mapAccounts,
    diagnostics: out.diagnostics,
  });
}
