/**
 * The DynamicFile's user-id-strict lookup (`server.dynamicfileUserIDStrict`):
 * entries match by principal id (`userid`); an entry that also names an ARN
 * matches only a caller with that ARN, role paths stripped
 * (pkg/mapper/dynamicfile/mapper.go:47-52 and :80-87).
 *
 * @module
 */
import type { Caller } from '../mapping/caller.js';
import { accountMatch, entryMatch } from '../mapping/lookup.js';
import type { SourceMatch } from '../mapping/source.js';
import type { AwsAuth, RoleMapping, UserMapping } from '../mapping/types.js';
import { isPartitionId } from '../partitions.js';
import { derivedWhileFrozen } from '../util/frozen-cache.js';

interface StrictIndex {
  readonly roles: ReadonlyMap<string, RoleMapping>;
  readonly users: ReadonlyMap<string, UserMapping>;
}
const strictIndexes = new WeakMap<AwsAuth, StrictIndex>();
function buildStrictIndex(mappings: AwsAuth): StrictIndex {
  const roles = new Map<string, RoleMapping>();
  const users = new Map<string, UserMapping>();
  for (const e of mappings.mapRoles) {
    if (e.sso === undefined && typeof e.userId === 'string') roles.set(e.userId, e);
  }
  for (const e of mappings.mapUsers) if (typeof e.userId === 'string') users.set(e.userId, e);
  return { roles, users };
}

/** The entries by principal id, cached while `mappings` is frozen (removing an entry revokes). */
function strictIndex(mappings: AwsAuth): StrictIndex {
  return derivedWhileFrozen(strictIndexes, mappings, buildStrictIndex);
}

/**
 * The Go authenticator's `arn.StripPath`: a role ARN loses its path, any
 * other ARN is kept; `undefined` for what it cannot parse.
 */
function stripPath(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !isPartitionId(parts[1] ?? '')) return undefined;
  const segments = parts.slice(5).join(':').split('/');
  if (segments[0] !== 'role' || segments.length <= 2) return arn;
  return `arn:${parts[1]}:iam::${parts[4]}:role/${segments[segments.length - 1]}`;
}

/** Strict mode binds an entry to a principal id; an ARN it also names must be the caller's. */
function arnAgrees(entryArn: string, caller: Caller): boolean {
  if (entryArn === '') return true;
  const stripped = stripPath(entryArn);
  return stripped !== undefined && stripped.toLowerCase() === caller.matchKey;
}

/**
 * The entry bound to the caller's principal id, else the account list. An
 * ARN string carries no principal id: only the account list can match it.
 */
export function lookupByPrincipalId(mappings: AwsAuth, caller: Caller): SourceMatch | undefined {
  if (caller.principalId !== undefined) {
    const index = strictIndex(mappings);
    const role = index.roles.get(caller.principalId);
    // A role entry for the id decides alone: on an ARN mismatch the users are not tried.
    if (role !== undefined) {
      if (arnAgrees(role.roleArn ?? '', caller)) return entryMatch(role, 'mapRoles');
    } else {
      const user = index.users.get(caller.principalId);
      if (user !== undefined && arnAgrees(user.userArn ?? '', caller)) {
        return entryMatch(user, 'mapUsers');
      }
    }
  }
  return accountMatch(mappings, caller);
}
