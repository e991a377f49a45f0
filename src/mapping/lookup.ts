/**
 * The lookup index of a parsed `aws-auth` (or any source of the same shape):
 * built once per `AwsAuth` object and cached, so a lookup costs the same for
 * 10 entries as for 10,000 (a hash lookup per rule, never a scan); and the
 * lookup itself, in the Go authenticator's order.
 *
 * @module
 */
import type { CanonicalArn } from '../arn.js';
import type { Caller } from './caller.js';
import type { LookupOptions, SourceMatch } from './source.js';
import type { AwsAuth, RoleMapping, SsoRoleMapping, UserMapping } from './types.js';
import { derivedWhileFrozen } from '../util/frozen-cache.js';

/** Hash maps over one `AwsAuth`, keyed as the Go authenticator keys them (lower-cased ARNs). */
interface AwsAuthLookup {
  /** `rolearn` entries by lower-cased ARN; a later duplicate replaces an earlier one. */
  readonly roles: ReadonlyMap<string, RoleMapping>;
  /**
   * Only the `rolearn` entries written with a path, keyed with the path
   * removed (for `stripRolePaths`): consulted after {@link roles}, so an
   * entry written without a path, the one EKS uses, always wins.
   */
  readonly rolesWithoutPath: ReadonlyMap<string, RoleMapping>;
  /** `sso` entries that can match (no `partition` written) by {@link ssoKey}. */
  readonly sso: ReadonlyMap<string, SsoRoleMapping>;
  /** `mapUsers` entries by lower-cased ARN. */
  readonly users: ReadonlyMap<string, UserMapping>;
  /** `mapAccounts`, exactly as written. */
  readonly accounts: ReadonlySet<string>;
  /**
   * `rolearn` entries whose ARN Unicode case folding changes beyond lower
   * case (`ſ`, the Kelvin sign), by {@link arnKey}: only the ConfigMap
   * mapper's `strings.EqualFold` matches them.
   */
  readonly foldedRoles: ReadonlyMap<string, RoleMapping>;
  /** The same for `mapUsers`. */
  readonly foldedUsers: ReadonlyMap<string, UserMapping>;
}

/**
 * The key under which two ARNs are equal for Go's `strings.EqualFold`
 * (pkg/config/mapper.go:75, 124): lower case, plus Unicode simple case
 * folding, so `ſ` (U+017F) matches `s` and the Kelvin sign `K` matches `k`
 * as they do in EKS. Dotless `ı` folds to nothing else in Go.
 */
function arnKey(arn: string): string {
  const lower = arn.toLowerCase();
  if (!/[^ -~]/.test(arn)) return lower;
  let key = '';
  for (const c of arn) {
    const upper = c.toUpperCase();
    key += c !== '\u0131' && upper.length === c.length ? upper.toLowerCase() : c.toLowerCase();
  }
  return key;
}

/** The key of an SSO entry: account and lower-cased permission set name. */
export function ssoKey(accountId: string, permissionSetName: string): string {
  return `${accountId}:${permissionSetName.toLowerCase()}`;
}

/**
 * `role/<name>` (its path dropped) or `user/<name>`, lower-cased: what a
 * principal is called in any account or partition, to find entries for the
 * caller's name written elsewhere (the near misses of `explainIdentity`).
 */
export function principalBaseName(arn: CanonicalArn): string | undefined {
  if (arn.name === undefined) return undefined;
  const kind = arn.principalType === 'assumed-role' ? 'role' : arn.principalType;
  return `${kind}/${arn.name.slice(arn.name.lastIndexOf('/') + 1).toLowerCase()}`;
}

/** `arn:…:role/<path>/<name>` → `arn:…:role/<name>`; any other ARN unchanged. */
export function stripRolePath(arn: string): string {
  const at = arn.indexOf(':role/');
  if (at === -1) return arn;
  const last = arn.lastIndexOf('/');
  return last > at + 5 ? arn.slice(0, at + 6) + arn.slice(last + 1) : arn;
}

const cache = new WeakMap<AwsAuth, AwsAuthLookup>();

function build(awsAuth: AwsAuth): AwsAuthLookup {
  const roles = new Map<string, RoleMapping>();
  const rolesWithoutPath = new Map<string, RoleMapping>();
  const sso = new Map<string, SsoRoleMapping>();
  const users = new Map<string, UserMapping>();
  const foldedRoles = new Map<string, RoleMapping>();
  const foldedUsers = new Map<string, UserMapping>();
  // Entries are checked again here because an AwsAuth may also come from
  // JSON written elsewhere; malformed ones are skipped, never matched.
  for (const entry of awsAuth.mapRoles) {
    if (typeof entry !== 'object' || entry === null) continue;
    if (entry.sso !== undefined) {
      const { partition, partitionWritten, accountId, permissionSetName } = entry.sso;
      // An entry naming its partition never matches in Go (pkg/config/mapper.go:23-28),
      // and an unnamed one means "aws" only.
      const matchable = partitionWritten !== true && (partition ?? 'aws') === 'aws';
      if (matchable && typeof permissionSetName === 'string' && typeof accountId === 'string') {
        sso.set(ssoKey(accountId, permissionSetName), entry);
      }
    } else if (typeof entry.roleArn === 'string') {
      const key = entry.roleArn.toLowerCase();
      roles.set(key, entry);
      const folded = arnKey(entry.roleArn);
      if (folded !== key) foldedRoles.set(folded, entry);
      const stripped = stripRolePath(key);
      if (stripped !== key) rolesWithoutPath.set(stripped, entry);
    }
  }
  for (const entry of awsAuth.mapUsers) {
    if (typeof entry === 'object' && entry !== null && typeof entry.userArn === 'string') {
      const key = entry.userArn.toLowerCase();
      users.set(key, entry);
      const folded = arnKey(entry.userArn);
      if (folded !== key) foldedUsers.set(folded, entry);
    }
  }
  const accounts = new Set(awsAuth.mapAccounts.filter((a) => typeof a === 'string'));
  return { roles, rolesWithoutPath, sso, users, accounts, foldedRoles, foldedUsers };
}

/**
 * The lookup index of a parsed `aws-auth`: cached for a frozen one (every
 * `parseAwsAuth` result), rebuilt on each call for an object that can still
 * change, so removing an entry from it always revokes.
 */
function lookupOf(awsAuth: AwsAuth): AwsAuthLookup {
  return derivedWhileFrozen(cache, awsAuth, build);
}

/** True if `value` looks like the result of `parseAwsAuth` rather than an input to it. */
export function isParsedAwsAuth(value: unknown): value is AwsAuth {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Array.isArray(v['mapRoles']) &&
    Array.isArray(v['mapUsers']) &&
    Array.isArray(v['mapAccounts']) &&
    Array.isArray(v['diagnostics'])
  );
}

const SSO_PREFIX = 'awsreservedsso_';

/**
 * The SSO entry for a role, as the Go authenticator finds it: the entry's
 * pattern `arn:aws:iam::<acct>:role/AWSReservedSSO_<name>_*` matched, ignoring
 * case, against the canonical ARN (pkg/config/mapper.go:28, 84;
 * pkg/arn/arnlike.go:30-57), so `*` takes anything, `_` included. When two
 * names fit (`Admin` and `Admin_ReadOnly` for `AWSReservedSSO_Admin_ReadOnly_…`)
 * Go picks either at random (configmap.go:269-278); the longer, more specific
 * name is taken here, and `parseAwsAuth` warns about the pair.
 */
function ssoEntry(
  caller: Caller,
  lowerArn: string,
  sso: ReadonlyMap<string, SsoRoleMapping>,
): SsoRoleMapping | undefined {
  if (caller.partition !== 'aws') return undefined;
  if (caller.principalType !== 'role' && caller.principalType !== 'assumed-role') return undefined;
  const at = lowerArn.indexOf(':role/');
  if (at === -1) return undefined;
  const name = lowerArn.slice(at + 6);
  if (!name.startsWith(SSO_PREFIX) || name.includes('/')) return undefined;
  const rest = name.slice(SSO_PREFIX.length);
  for (let i = rest.lastIndexOf('_'); i > 0; i = rest.lastIndexOf('_', i - 1)) {
    const entry = sso.get(ssoKey(caller.accountId, rest.slice(0, i)));
    if (entry !== undefined) return entry;
  }
  return undefined;
}

/** The match for an entry of an `aws-auth`-shaped table. */
export function entryMatch(
  entry: RoleMapping | SsoRoleMapping | UserMapping,
  matchedBy: 'mapRoles' | 'sso' | 'mapUsers',
): SourceMatch {
  // An AwsAuth may come from JSON written elsewhere: a missing field is empty.
  return {
    matchedBy,
    username: entry.username ?? '',
    groups: entry.groups ?? [],
    entryIndex: typeof entry.index === 'number' ? entry.index : undefined,
    templated: true,
  };
}

/**
 * The `mapAccounts` match: a listed account maps its every principal to
 * its canonical ARN, with no groups.
 */
export function accountMatch(table: AwsAuth, caller: Caller): SourceMatch | undefined {
  return accountsMatch(lookupOf(table), caller);
}

function accountsMatch(lookup: AwsAuthLookup, caller: Caller): SourceMatch | undefined {
  if (!lookup.accounts.has(caller.accountId)) return undefined;
  return {
    matchedBy: 'mapAccounts',
    username: caller.canonicalArn,
    groups: [],
    entryIndex: undefined,
    templated: false,
  };
}

/**
 * The entry of an `aws-auth`-shaped table that maps the caller, tried in the
 * Go authenticator's order (SPEC 4.2):
 * 1. `mapRoles` entries with `rolearn` (a later duplicate wins; with
 *    `stripRolePaths`, an entry written without a path, the one EKS uses,
 *    beats one whose path was stripped, whatever their order);
 * 2. `mapRoles` entries with `sso`, only with `ssoRoleMatch`;
 * 3. `mapUsers` (a later duplicate wins);
 * 4. `mapAccounts`: the caller's canonical ARN as username, no groups.
 */
export function lookupEntry(
  table: AwsAuth,
  caller: Caller,
  options: LookupOptions,
  equalFold = false,
): SourceMatch | undefined {
  const lookup = lookupOf(table);
  const key = caller.matchKey;
  // The ConfigMap mapper compares with strings.EqualFold (pkg/config/mapper.go:75,
  // 124), the other mappers look up lower-cased keys: only the first folds ſ and K.
  const folded = equalFold ? arnKey(caller.canonicalArn) : undefined;
  const byFold = <T>(
    exact: ReadonlyMap<string, T>,
    other: ReadonlyMap<string, T>,
  ): T | undefined => (folded === undefined ? undefined : (exact.get(folded) ?? other.get(folded)));
  const stripped = options.stripRolePaths ? stripRolePath(key) : key;
  const role =
    lookup.roles.get(key) ??
    byFold(lookup.roles, lookup.foldedRoles) ??
    (options.stripRolePaths
      ? (lookup.roles.get(stripped) ?? lookup.rolesWithoutPath.get(stripped))
      : undefined);
  if (role !== undefined) return entryMatch(role, 'mapRoles');

  if (options.ssoRoleMatch) {
    const entry = ssoEntry(caller, stripped, lookup.sso);
    if (entry !== undefined) return entryMatch(entry, 'sso');
  }

  const user = lookup.users.get(key) ?? byFold(lookup.users, lookup.foldedUsers);
  if (user !== undefined) return entryMatch(user, 'mapUsers');

  return accountsMatch(lookup, caller);
}
