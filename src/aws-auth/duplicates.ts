/**
 * Duplicate entries, told apart the way they matter: identical ones are
 * harmless, conflicting ones give a caller whichever mapping EKS keeps.
 *
 * EKS keeps its entries in Go maps (pkg/mapper/configmap/configmap.go:239-247):
 * - roles by lower-cased `rolearn`, or the lower-cased SSO pattern
 *   (pkg/config/mapper.go:94-99): a later entry replaces an earlier one;
 * - users by `userarn` **as written** (mapper.go:130-132): the same ARN in
 *   another case is a second map entry, and lookup walks the map in Go's
 *   random order comparing case-insensitively (configmap.go:257-266), so
 *   each request gets either one;
 * - SSO patterns `AWSReservedSSO_<name>_*` (mapper.go:28) where one name
 *   followed by `_` starts another both match the longer one's roles, and the
 *   random walk (configmap.go:269-278) picks either.
 *
 * @module
 */
import type {
  AwsAuthDiagnostic,
  AwsAuthKey,
  RoleMapping,
  SsoRoleMapping,
  UserMapping,
} from '../mapping/types.js';

interface Entry {
  readonly index: number;
  readonly line?: number;
  readonly username: string;
  readonly groups: readonly string[];
}

/** What `parseAwsAuth` collected. */
export interface CollectedEntries {
  readonly mapRoles: readonly (RoleMapping | SsoRoleMapping)[];
  readonly mapUsers: readonly UserMapping[];
  readonly mapAccounts: readonly string[];
  readonly accountLines: readonly (number | undefined)[];
}

function where(entry: { index: number; line?: number | undefined }): string {
  return `entry ${entry.index}${entry.line === undefined ? '' : ` (line ${entry.line})`}`;
}

function sameMapping(a: Entry, b: Entry): boolean {
  return (
    a.username === b.username &&
    a.groups.length === b.groups.length &&
    a.groups.every((g, i) => g === b.groups[i])
  );
}

function diagnostic(
  key: AwsAuthKey,
  entry: { index: number; line?: number | undefined },
  identical: boolean,
  message: string,
  field?: string,
): AwsAuthDiagnostic {
  return {
    severity: 'warning',
    code: identical ? 'duplicate-identical' : 'duplicate-conflicting',
    key,
    index: entry.index,
    ...(field === undefined ? {} : { field }),
    ...(entry.line === undefined ? {} : { line: entry.line }),
    message,
    fix: identical ? 'remove one of them' : 'keep one entry with the username and groups you mean',
  };
}

/** Entries replaced by a later one with the same key: EKS keeps the last. */
function lastWins(
  key: AwsAuthKey,
  groups: Map<string, Entry[]>,
  what: string,
): AwsAuthDiagnostic[] {
  const out: AwsAuthDiagnostic[] = [];
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    const winner = list[list.length - 1] as Entry;
    const first = list[0] as Entry;
    // Identical to every earlier one = earlier ones all alike and this like the first:
    // one comparison per entry, however many duplicates (never pair by pair).
    let alike = true;
    for (let i = 1; i < list.length; i += 1) {
      const entry = list[i] as Entry;
      const identical: boolean = alike && sameMapping(first, entry);
      alike = identical;
      out.push(
        diagnostic(
          key,
          entry,
          identical,
          identical
            ? `identical duplicate of ${where(first)} (same ${what}, username and groups): harmless, but one is enough`
            : `conflicting duplicate of ${where(first)} (same ${what}, other username or groups): EKS keeps only the last one, ${where(winner)}, username ${JSON.stringify(winner.username)}`,
        ),
      );
    }
  }
  return out;
}

function push<K>(map: Map<K, Entry[]>, key: K, entry: Entry): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [entry]);
  else list.push(entry);
}

/** The key EKS files an SSO entry under (lower-cased `arn:<p>:iam::<acct>:role/AWSReservedSSO_<name>_*`). */
export function ssoPatternKey(sso: SsoRoleMapping['sso']): string {
  const partition = sso.partitionWritten === true ? '' : 'aws';
  return `arn:${partition}:iam::${sso.accountId}:role/awsreservedsso_${sso.permissionSetName}_*`.toLowerCase();
}

/** Duplicate and overlap warnings for everything `parseAwsAuth` kept. */
export function duplicateDiagnostics(collected: CollectedEntries): AwsAuthDiagnostic[] {
  const out: AwsAuthDiagnostic[] = [];
  const roles = new Map<string, Entry[]>();
  const sso = new Map<string, Entry[]>();
  const ssoEntries: SsoRoleMapping[] = [];
  for (const entry of collected.mapRoles) {
    if (entry.sso === undefined) push(roles, entry.roleArn.toLowerCase(), entry);
    else {
      push(sso, ssoPatternKey(entry.sso), entry);
      ssoEntries.push(entry);
    }
  }
  out.push(...lastWins('mapRoles', roles, 'rolearn'));
  out.push(...lastWins('mapRoles', sso, 'sso permission set'));

  // Permission set names where "<a>_" starts "<b>": roles of b match a's pattern too.
  // Looked up by prefix (one lookup per "_" of each name), never pair by pair.
  const matchable = ssoEntries.filter((e) => e.sso.partitionWritten !== true);
  const byName = new Map(
    matchable.map((e) => [`${e.sso.accountId}:${e.sso.permissionSetName.toLowerCase()}`, e]),
  );
  for (const b of matchable) {
    const name = b.sso.permissionSetName.toLowerCase();
    for (let i = name.indexOf('_'); i > 0; i = name.indexOf('_', i + 1)) {
      const a = byName.get(`${b.sso.accountId}:${name.slice(0, i)}`);
      if (a === undefined || a === b) continue;
      out.push({
        severity: 'warning',
        code: 'duplicate-conflicting',
        key: 'mapRoles',
        index: b.index,
        field: 'sso.permissionSetName',
        ...(b.line === undefined ? {} : { line: b.line }),
        message: `roles of permission set "${b.sso.permissionSetName}" also match ${where(a)} (pattern AWSReservedSSO_${a.sso.permissionSetName}_*): EKS picks either entry at random on each request; this library uses the longer name`,
        fix: 'give permission sets names where neither is the other followed by "_"',
      });
    }
  }

  // Users: exact string → later wins; same ARN in another case → random in EKS.
  const users = new Map<string, Entry[]>();
  const byLower = new Map<string, UserMapping[]>();
  for (const entry of collected.mapUsers) {
    push(users, entry.userArn, entry);
    const list = byLower.get(entry.userArn.toLowerCase()) ?? [];
    list.push(entry);
    byLower.set(entry.userArn.toLowerCase(), list);
  }
  out.push(...lastWins('mapUsers', users, 'userarn'));
  for (const list of byLower.values()) {
    const spellings = new Set(list.map((e) => e.userArn));
    if (spellings.size < 2) continue;
    const first = list[0] as UserMapping;
    for (const entry of list.slice(1)) {
      if (entry.userArn === first.userArn) continue;
      const identical = sameMapping(first, entry);
      out.push(
        diagnostic(
          'mapUsers',
          entry,
          identical,
          identical
            ? `identical duplicate of ${where(first)} (the same userarn in other letter case): harmless, but one is enough`
            : `conflicting duplicate of ${where(first)} (the same userarn in other letter case): EKS keeps both and picks either at random on each request; this library uses the last one`,
          'userarn',
        ),
      );
    }
  }

  const accounts = new Map<string, number>();
  collected.mapAccounts.forEach((account, i) => {
    const first = accounts.get(account);
    if (first === undefined) {
      accounts.set(account, i);
      return;
    }
    const line = collected.accountLines[i];
    out.push({
      severity: 'warning',
      code: 'duplicate-identical',
      key: 'mapAccounts',
      index: i,
      ...(line === undefined ? {} : { line }),
      message: `account ${JSON.stringify(account)} is listed twice (first as item ${first}): harmless, but once is enough`,
      fix: 'remove one of them',
    });
  });
  return out;
}
