/**
 * `parseAuthenticatorConfig` (SPEC 4.8): the Go authenticator's server config
 * file, read the way its server reads it (viper over YAML, then
 * mapstructure): keys and field names case-insensitive, a single value where
 * a list belongs taken as a one-item list, a string where a string list
 * belongs split on commas; entries validated and their ARNs canonicalized at
 * load, where one bad entry stops the whole server.
 *
 * @module
 */
import { maxInputLengthOf } from '../mapping/limits.js';
import type { InputLimitOptions } from '../mapping/limits.js';
import { canonicalizeArn } from '../arn.js';
import { readAccountItem, readRoleEntry, readUserEntry, report } from '../mapping/entries.js';
import type { EntryContext, Finding } from '../mapping/entries.js';
import { itemIndicatorOffset } from '../mapping/locate.js';
import type {
  AwsAuthDiagnostic,
  AwsAuthKey,
  RoleMapping,
  SourceDiagnosticCode,
  SsoRoleMapping,
  UserMapping,
} from '../mapping/types.js';
import { deref, describeNode } from '../mapping/yaml.js';
import type { YamlMapping, YamlNode } from '../mapping/yaml.js';
import { deepFreeze } from '../util/deep-freeze.js';
import { jsonQuoted, quoteForMessage } from '../util/control-characters.js';
import {
  checkLength,
  entryValue,
  isNothing,
  jsonKind,
  loadDocument,
  pairOf,
  refuseInput,
  replacedScalar,
  scalarText,
  withField,
} from './read.js';
import type { LoadedDocument } from './read.js';
import { reservedUsernameWarnings } from './reserved-usernames.js';
import { BACKEND_MODES } from './types.js';
import type { AuthenticatorConfig, BackendMode } from './types.js';

const WHAT = 'authenticator config';

/** Deprecated backend names and what the Go server runs for them. */
const DEPRECATED_MODES: Readonly<Record<string, BackendMode>> = {
  File: 'MountedFile',
  ConfigMap: 'EKSConfigMap',
};

/** strconv.ParseBool, which viper's GetBool uses for strings. */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/** Plain scalars Go's YAML (yaml.v3) reads as a boolean or a number, not a string. */
const GO_YAML_NOT_STRING =
  /^(?:true|True|TRUE|false|False|FALSE|[-+]?(?:\d[\d_]*|\.\d+|\d[\d_]*\.\d*)(?:[eE][-+]?\d+)?|0[xX][\da-fA-F_]+|0o[0-7_]+)$/;

interface Reader {
  readonly doc: LoadedDocument;
  readonly diagnostics: AwsAuthDiagnostic[];
  readonly refusals: string[];
}

function diagnose(
  r: Reader,
  code: SourceDiagnosticCode,
  severity: AwsAuthDiagnostic['severity'],
  key: string,
  node: YamlNode | undefined,
  message: string,
  refuse = false,
): void {
  const line = node === undefined ? undefined : r.doc.lineOf(node.start);
  r.diagnostics.push({ severity, code, key, ...(line === undefined ? {} : { line }), message });
  if (refuse) r.refusals.push(`${key}: ${message}`);
}

/** yaml.v3 refuses a mapping with a key given twice, so viper cannot read the file. */
function checkDuplicateKeys(r: Reader, node: YamlNode, path: string): void {
  if (node.kind === 'sequence') {
    node.items.forEach((item, i) => checkDuplicateKeys(r, item, `${path}[${i}]`));
    return;
  }
  if (node.kind !== 'mapping') return;
  const seen = new Set<string>();
  for (const pair of node.pairs) {
    const where = path === '' ? pair.key : `${path}.${pair.key}`;
    if (seen.has(pair.key)) {
      diagnose(
        r,
        'setting-key-repeated',
        'error',
        where,
        pair.value,
        `key ${quoteForMessage(pair.key.slice(0, 64))} is given twice; the Go authenticator cannot read such a file`,
        true,
      );
    }
    seen.add(pair.key);
    checkDuplicateKeys(r, pair.value, where);
  }
}

/** A plain string setting; `undefined` when absent (a wrong type refuses the file). */
function stringSetting(
  r: Reader,
  parent: YamlMapping,
  name: string,
  key: string,
): string | undefined {
  const pair = pairOf(parent, name, true);
  if (pair === undefined || isNothing(pair.value)) return undefined;
  const text = scalarText(pair.value);
  if (text !== undefined) return text;
  diagnose(
    r,
    'setting-wrong-type',
    'error',
    key,
    pair.value,
    `must be a string, found ${describeNode(pair.value)}`,
    true,
  );
  return undefined;
}

/**
 * A list setting as mapstructure decodes it with viper's defaults: a list
 * as is, one map as a one-item list, a string split on commas.
 */
function listSetting(r: Reader, written: YamlNode, key: string, scalars: boolean): YamlNode[] {
  const node = deref(written);
  if (node.kind === 'sequence') return node.items;
  if (node.kind === 'scalar') {
    if (node.isNull) return [];
    if (!scalars) {
      diagnose(
        r,
        'setting-wrong-type',
        'error',
        key,
        node,
        `must be a list of entries, found a string`,
        true,
      );
      return [];
    }
    diagnose(
      r,
      'setting-string-list',
      'warning',
      key,
      node,
      'is a string where a list belongs: the Go authenticator splits it on "," (write a YAML list)',
    );
    return node.text === '' ? [] : node.text.split(',').map((t) => replacedScalar(node, t));
  }
  diagnose(
    r,
    'setting-map-as-list',
    'warning',
    key,
    node,
    'is a map where a list belongs: the Go authenticator reads it as a one-entry list (write "- " before it)',
  );
  return [node];
}

/** `groups` written as one string: split on commas, as mapstructure does. */
function normalizeGroups(entry: YamlMapping, ctx: EntryContext): YamlMapping {
  const pair = pairOf(entry, 'groups', true);
  const value = pair === undefined ? undefined : deref(pair.value);
  if (pair === undefined || value?.kind !== 'scalar' || value.isNull) return entry;
  report(ctx, {
    severity: 'warning',
    code: 'setting-string-list',
    field: 'groups',
    message: 'groups is a string: the Go authenticator splits it on "," (write a YAML list)',
    fix: `groups: [${value.text.slice(0, 200)}]`,
  });
  const items = value.text === '' ? [] : value.text.split(',').map((t) => replacedScalar(value, t));
  return withField(entry, pair, { kind: 'sequence', start: value.start, items });
}

/** The Go server canonicalizes entry ARNs when it loads the file: an assumed-role ARN becomes its role. */
function canonicalizeField(
  entry: YamlMapping,
  field: 'rolearn' | 'userarn',
  ctx: EntryContext,
): YamlMapping {
  const pair = pairOf(entry, field, true);
  const written = pair === undefined ? undefined : scalarText(pair.value);
  if (pair === undefined || written === undefined) return entry;
  let canonical: string;
  try {
    // Users are canonicalized lower-cased, roles as written (pkg/mapper/file/mapper.go).
    const arn = field === 'userarn' ? written.toLowerCase() : written;
    canonical = canonicalizeArn(arn).canonicalArn;
  } catch {
    return entry; // the entry reader reports the ARN it cannot read (lintArn)
  }
  if (canonical.toLowerCase() === written.toLowerCase()) return entry;
  report(ctx, {
    severity: 'warning',
    code: 'arn-canonicalized',
    field,
    message: `read as ${canonical}: the Go authenticator canonicalizes entry ARNs in this file`,
    fix: canonical,
  });
  return withField(entry, pair, replacedScalar(pair.value, canonical));
}

function warnUnquotedUsername(entry: YamlMapping, ctx: EntryContext): void {
  const pair = pairOf(entry, 'username', true);
  if (pair === undefined || jsonKind(pair.value) !== 'scalar') return;
  const text = scalarText(pair.value);
  if (text !== undefined && GO_YAML_NOT_STRING.test(text)) {
    report(ctx, {
      severity: 'warning',
      code: 'unquoted-scalar',
      field: 'username',
      message: `username ${quoteForMessage(text.slice(0, 64))} is not quoted: Go's YAML reads it as a number or boolean and the Go authenticator turns that into another string; quote it`,
      fix: `username: ${jsonQuoted(text.slice(0, 64))}`,
    });
  }
}

interface Entries {
  mapRoles: (RoleMapping | SsoRoleMapping)[];
  mapUsers: UserMapping[];
  mapAccounts: string[];
}

/**
 * An unquoted `012345678901` is a number to Go's YAML: the zero is lost and
 * it never matches. Reported and dropped, but the server still starts.
 */
function isUnquotedZeroAccount(item: YamlNode, ctx: EntryContext): boolean {
  const node = deref(item);
  if (!(node.kind === 'scalar' && jsonKind(node) === 'scalar' && /^0\d+$/.test(node.text))) {
    return false;
  }
  report(ctx, {
    severity: 'error',
    code: 'account-unquoted-number',
    message: `${node.text} is not quoted: Go's YAML reads it as a number without its leading zero, so it never matches; quote it`,
    fix: `"${node.text}"`,
  });
  return true;
}

/** A `server.mapAccounts` item: a scalar as written (null is `""`), a list or map refused. */
function readAccount(item: YamlNode, ctx: EntryContext): string | undefined {
  const node = deref(item);
  if (node.kind !== 'scalar') return readAccountItem(undefined, ctx);
  return readAccountItem(node.isNull ? '' : node.text, ctx);
}

/**
 * A `server.mapRoles` / `server.mapUsers` item through the `aws-auth` entry
 * readers, after what the Go server does first: `groups` given as one string
 * split on commas, the ARN canonicalized. Scalars are read as strings, as
 * mapstructure's weak typing turns them into strings.
 */
function readEntry(
  key: 'mapRoles' | 'mapUsers',
  item: YamlNode,
  ctx: EntryContext,
): RoleMapping | SsoRoleMapping | UserMapping | undefined {
  let node: YamlNode = item;
  const map = deref(item);
  if (map.kind === 'mapping') {
    node = canonicalizeField(
      normalizeGroups(map, ctx),
      key === 'mapRoles' ? 'rolearn' : 'userarn',
      ctx,
    );
    warnUnquotedUsername(node as YamlMapping, ctx);
  }
  const read = entryValue(node, 'strings');
  if ('error' in read) {
    report(ctx, yamlFinding(read.error.message));
    return undefined;
  }
  return key === 'mapRoles' ? readRoleEntry(read.value, ctx) : readUserEntry(read.value, ctx);
}

/** What an entry Go's YAML cannot decode is reported as. */
function yamlFinding(message: string): Finding {
  return {
    severity: 'error',
    code: 'yaml-syntax',
    message: `the entry cannot be decoded: ${message.slice(0, 200)}`,
  };
}

/** The key the Go server files an entry under (a later entry with the same key replaces it). */
function matchKeyOf(entry: RoleMapping | SsoRoleMapping | UserMapping): string {
  if ('userArn' in entry) return entry.userArn.toLowerCase();
  return entry.sso === undefined ? entry.roleArn.toLowerCase() : JSON.stringify(entry.sso);
}

/**
 * The entry problems that stop the Go server at start-up: what
 * `RoleMapping.Validate` / `UserMapping.Validate` refuse
 * (pkg/config/mapper.go:37-47, 116-118), an ARN `arn.Canonicalize` refuses
 * (pkg/mapper/file/mapper.go:40-43), and what mapstructure cannot decode
 * (cmd/aws-iam-authenticator/root.go:153-155). Every other error is the
 * linter's: the server starts and maps the entry as written.
 */
const STOPS_SERVER: ReadonlySet<string | undefined> = new Set([
  'entry-not-a-map',
  'entry-missing-arn',
  'entry-arn-and-sso',
  'sso-invalid',
  'field-wrong-type',
  'yaml-syntax',
  'arn-invalid',
  'arn-iam-group',
  'arn-sts-role',
  'account-not-a-string',
]);

function readEntries(r: Reader, key: AwsAuthKey, node: YamlNode, out: Entries): void {
  const items = listSetting(r, node, `server.${key}`, key === 'mapAccounts');
  const seen = new Map<string, number>();
  const duplicate = (ctx: EntryContext, matchKey: string): void => {
    const first = seen.get(matchKey);
    if (first !== undefined) {
      report(ctx, {
        severity: 'warning',
        code: 'duplicate-entry',
        message: `duplicate of entry ${first}; the later entry wins`,
        fix: `remove entry ${first}`,
      });
    }
    seen.set(matchKey, ctx.index);
  };
  items.forEach((item, index) => {
    const line = r.doc.lineOf(itemIndicatorOffset(r.doc.text, item.start));
    const ctx: EntryContext = {
      key,
      index,
      line,
      diagnostics: r.diagnostics,
      locate: r.doc.locate,
    };
    const before = r.diagnostics.length;
    if (key === 'mapAccounts') {
      if (isUnquotedZeroAccount(item, ctx)) return;
      const account = readAccount(item, ctx);
      if (account !== undefined) {
        duplicate(ctx, account);
        out.mapAccounts.push(account);
      }
    } else {
      const entry = readEntry(key, item, ctx);
      if (entry !== undefined) {
        duplicate(ctx, matchKeyOf(entry));
        if (key === 'mapRoles') out.mapRoles.push(entry as RoleMapping | SsoRoleMapping);
        else out.mapUsers.push(entry as UserMapping);
      }
    }
    // The Go server validates every entry when it starts and exits on the first bad one; a
    // value it accepts but the linter flags (a group typo, a role path) is no reason to stop.
    if (
      r.diagnostics.slice(before).some((d) => d.severity === 'error' && STOPS_SERVER.has(d.code))
    ) {
      r.refusals.push(`server.${key}[${index}] is invalid`);
    }
  });
}

function readBackendMode(r: Reader, server: YamlMapping | undefined): BackendMode[] {
  const pair = server === undefined ? undefined : pairOf(server, 'backendMode', true);
  // The --backend-mode flag's default (cmd/aws-iam-authenticator/server.go).
  if (pair === undefined || isNothing(pair.value)) return ['MountedFile'];
  const node = deref(pair.value);
  const key = 'server.backendMode';
  let names: string[] = [];
  if (node.kind === 'scalar') names = node.text.split(/\s+/).filter((n) => n !== '');
  else if (node.kind === 'sequence') {
    for (const item of node.items) {
      const name = scalarText(item);
      if (name !== undefined) names.push(name);
      else
        diagnose(
          r,
          'backend-mode-invalid',
          'error',
          key,
          item,
          `must list mode names, found ${describeNode(item)}`,
          true,
        );
    }
  } else
    diagnose(
      r,
      'backend-mode-invalid',
      'error',
      key,
      node,
      'must be a list of mode names, found a map',
      true,
    );
  if (names.length === 0) {
    diagnose(
      r,
      'backend-mode-invalid',
      'error',
      key,
      node,
      'at least one backend mode must be given',
      true,
    );
  }
  if (new Set(names).size !== names.length) {
    diagnose(r, 'backend-mode-invalid', 'error', key, node, 'a backend mode is listed twice', true);
  }
  const modes: BackendMode[] = [];
  for (const name of names) {
    const replacement = DEPRECATED_MODES[name];
    if (replacement !== undefined) {
      diagnose(
        r,
        'backend-mode-deprecated',
        'warning',
        key,
        node,
        `"${name}" is deprecated; write "${replacement}"`,
      );
      modes.push(replacement);
    } else if ((BACKEND_MODES as readonly string[]).includes(name)) {
      modes.push(name as BackendMode);
    } else {
      diagnose(
        r,
        'backend-mode-invalid',
        'error',
        key,
        node,
        `${quoteForMessage(name.slice(0, 64))} is not a backend mode (${BACKEND_MODES.join(', ')})`,
        true,
      );
    }
  }
  return modes;
}

function readReservedPrefixes(
  r: Reader,
  server: YamlMapping | undefined,
): Partial<Record<BackendMode, readonly string[]>> {
  const out: Partial<Record<BackendMode, readonly string[]>> = {};
  const pair = server === undefined ? undefined : pairOf(server, 'reservedPrefixConfig', true);
  if (pair === undefined || isNothing(pair.value)) return out;
  const key = 'server.reservedPrefixConfig';
  listSetting(r, pair.value, key, false).forEach((written, i) => {
    const where = `${key}[${i}]`;
    const item = deref(written);
    if (item.kind !== 'mapping') {
      diagnose(
        r,
        'setting-wrong-type',
        'error',
        where,
        item,
        `must be a map with backendmode and usernamePrefixReserveList, found ${describeNode(item)}`,
        true,
      );
      return;
    }
    const mode = stringSetting(r, item, 'backendMode', `${where}.backendmode`) ?? '';
    const listPair = pairOf(item, 'usernamePrefixReserveList', true);
    const prefixes: string[] = [];
    if (listPair !== undefined) {
      for (const p of listSetting(r, listPair.value, `${where}.usernamePrefixReserveList`, true)) {
        const prefix = scalarText(p);
        if (prefix !== undefined) prefixes.push(prefix);
        else if (!isNothing(p)) {
          diagnose(
            r,
            'setting-wrong-type',
            'error',
            `${where}.usernamePrefixReserveList`,
            p,
            `must list strings, found ${describeNode(p)}`,
            true,
          );
        }
      }
    }
    // Each mapper looks its prefixes up by its own mode name (pkg/mapper/*/mapper.go).
    if (!(BACKEND_MODES as readonly string[]).includes(mode)) {
      diagnose(
        r,
        'reserved-prefix-unknown-mode',
        'warning',
        `${where}.backendmode`,
        item,
        `${quoteForMessage(mode.slice(0, 64))} is not a backend mode name (${BACKEND_MODES.join(', ')}), so these prefixes never apply`,
      );
      return;
    }
    out[mode as BackendMode] = prefixes; // a later item for the same mode replaces an earlier one
  });
  return out;
}

function warnReservedUsernames(r: Reader, entries: Entries, prefixes: readonly string[]): void {
  r.diagnostics.push(
    ...reservedUsernameWarnings(
      entries,
      prefixes,
      'reserved for MountedFile by server.reservedPrefixConfig: the Go authenticator refuses everyone this entry maps',
    ),
  );
}

/**
 * Parse the Go authenticator's server config file (the YAML given to
 * `aws-iam-authenticator server --config`) the way its server reads it.
 *
 * Its `server.mapRoles`, `server.mapUsers` and `server.mapAccounts` are the
 * `MountedFile` source, in the `AwsAuth` shape: pass the result to
 * `mapIdentity`, alone or in an ordered list of sources. Keys and field
 * names are case-insensitive; entry ARNs are canonicalized as the Go server
 * does when it loads them. `server.backendMode`,
 * `server.reservedPrefixConfig`, `server.dynamicfilepath`,
 * `server.dynamicfileUserIDStrict` and `clusterID` are read too.
 *
 * The Go server refuses to start when any entry is invalid, so then the
 * result maps nothing: `refusedBecause` says why, and `diagnostics` (with
 * lines) says where, for every problem found. The result is deeply frozen.
 *
 * @example
 * ```ts
 * const config = parseAuthenticatorConfig(await readFile('config.yaml', 'utf8'));
 * if (config.refusedBecause) throw new Error(config.refusedBecause);
 * const mapping = await mapIdentity(config, 'arn:aws:iam::111122223333:user/alice');
 * ```
 * @throws {@link AwsAuthError} (`ERR_AWS_AUTH_INVALID`) when the text is not
 * YAML, not a map, or longer than `options.maxInputLength` (default 1 MiB).
 * @throws `TypeError` when `text` is not a string.
 */
export function parseAuthenticatorConfig(
  text: string,
  options?: InputLimitOptions,
): AuthenticatorConfig {
  if (typeof text !== 'string') {
    throw new TypeError(`parseAuthenticatorConfig: expected a string, got ${typeof text}`);
  }
  checkLength(WHAT, text, maxInputLengthOf(options, 'parseAuthenticatorConfig'));
  const doc = loadDocument(WHAT, text);
  const r: Reader = { doc, diagnostics: [], refusals: [] };
  const root = doc.root === undefined ? undefined : deref(doc.root);
  if (root !== undefined && root.kind !== 'mapping' && !isNothing(root)) {
    refuseInput(WHAT, `expected a map of settings, found ${describeNode(root)}`);
  }
  const top = root?.kind === 'mapping' ? root : undefined;
  if (top !== undefined) checkDuplicateKeys(r, top, '');

  let server: YamlMapping | undefined;
  const serverPair = top === undefined ? undefined : pairOf(top, 'server', true);
  const serverNode = serverPair === undefined ? undefined : deref(serverPair.value);
  if (serverNode !== undefined && !isNothing(serverNode)) {
    if (serverNode.kind === 'mapping') server = serverNode;
    else
      diagnose(
        r,
        'setting-wrong-type',
        'error',
        'server',
        serverNode,
        `must be a map, found ${describeNode(serverNode)}`,
        true,
      );
  }
  const clusterId = top === undefined ? undefined : stringSetting(r, top, 'clusterID', 'clusterID');
  const entries: Entries = { mapRoles: [], mapUsers: [], mapAccounts: [] };
  for (const key of ['mapRoles', 'mapUsers', 'mapAccounts'] as const) {
    const pair = server === undefined ? undefined : pairOf(server, key, true);
    if (pair !== undefined && !isNothing(pair.value)) readEntries(r, key, pair.value, entries);
  }
  const backendMode = readBackendMode(r, server);
  const reservedPrefixConfig = readReservedPrefixes(r, server);
  warnReservedUsernames(r, entries, reservedPrefixConfig.MountedFile ?? []);

  const dynamicFilePath =
    server === undefined
      ? undefined
      : stringSetting(r, server, 'dynamicfilepath', 'server.dynamicfilepath');
  const strictPair =
    server === undefined ? undefined : pairOf(server, 'dynamicfileUserIDStrict', true);
  const dynamicFileUserIdStrict = GO_TRUE.has(scalarText(strictPair?.value) ?? '');
  // cmd/aws-iam-authenticator/root.go: the mode and the path go together.
  const dynamicMode = backendMode.includes('DynamicFile');
  if (dynamicMode !== (dynamicFilePath !== undefined && dynamicFilePath !== '')) {
    diagnose(
      r,
      'dynamic-file-path-mismatch',
      'error',
      'server.dynamicfilepath',
      serverPair?.value,
      dynamicMode
        ? 'DynamicFile is in backendMode but dynamicfilepath is not set'
        : 'dynamicfilepath is set but DynamicFile is not in backendMode',
      true,
    );
  }

  const refused = r.refusals.length > 0;
  if (refused) {
    r.diagnostics.push({
      severity: 'error',
      code: 'source-refused',
      key: 'server',
      message: `the Go authenticator refuses to start with this file (${r.refusals.length} problem${r.refusals.length === 1 ? '' : 's'}), so nothing is mapped`,
    });
  }
  return deepFreeze({
    mode: 'MountedFile',
    mapRoles: refused ? [] : entries.mapRoles,
    mapUsers: refused ? [] : entries.mapUsers,
    mapAccounts: refused ? [] : entries.mapAccounts,
    diagnostics: r.diagnostics,
    ...(refused ? { refusedBecause: r.refusals.join('; ') } : {}),
    ...(clusterId === undefined ? {} : { clusterId }),
    backendMode,
    reservedPrefixConfig,
    ...(dynamicFilePath === undefined || dynamicFilePath === '' ? {} : { dynamicFilePath }),
    dynamicFileUserIdStrict,
  });
}
