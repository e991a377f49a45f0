/**
 * `explainIdentity`: `resolveIdentity`'s answer plus the entries that nearly
 * matched or that the answer hides — the questions people ask when `kubectl`
 * says `Unauthorized`, or says yes with the wrong permissions.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { CanonicalArn } from '../arn.js';
import { principalMatchKey } from '../access-entries/principal.js';
import type { AccessEntries } from '../access-entries/types.js';
import { stripRolePath } from '../mapping/lookup.js';
import type { VerifiedIdentity } from '../token/verify.js';
import { readCaller } from '../mapping/caller.js';
import type { Caller } from '../mapping/caller.js';
import {
  findAccessEntry,
  prepareResolve,
  resolvePrepared,
  resolveThroughAwsAuth,
} from './resolve.js';
import type { PreparedResolve } from './resolve.js';
import type {
  IdentityExplanation,
  IdentityNearMiss,
  ResolvedIdentity,
  ResolveIdentityOptions,
} from './types.js';

function baseName(arn: CanonicalArn): string | undefined {
  if (arn.name === undefined) return undefined;
  const kind = arn.principalType === 'assumed-role' ? 'role' : arn.principalType;
  return `${kind}/${arn.name.slice(arn.name.lastIndexOf('/') + 1).toLowerCase()}`;
}

function accessEntryMisses(entries: AccessEntries, caller: Caller): IdentityNearMiss[] {
  const misses: IdentityNearMiss[] = [];
  let callerArn: CanonicalArn | undefined;
  try {
    callerArn = canonicalizeArn(caller.canonicalArn);
  } catch {
    return misses;
  }
  const target = caller.canonicalArn.toLowerCase();
  const wanted = baseName(callerArn);
  for (const entry of entries.entries) {
    const key = principalMatchKey(entry.principalArn);
    if (key === target) continue; // the match itself; reported by the caller of this function
    if (stripRolePath(target) === key && target !== key) {
      misses.push({
        source: 'accessEntry',
        kind: 'path',
        index: entry.index,
        value: stripRolePath(caller.canonicalArn),
        reason: `the caller's ARN has a role path, which STS never reports; the cluster sees ${stripRolePath(caller.canonicalArn)}, which this entry matches`,
      });
      continue;
    }
    let entryArn: CanonicalArn;
    try {
      entryArn = canonicalizeArn(entry.principalArn);
    } catch {
      continue;
    }
    if (wanted === undefined || baseName(entryArn) !== wanted) continue;
    if (entryArn.partition !== caller.partition) {
      misses.push({
        source: 'accessEntry',
        kind: 'partition',
        index: entry.index,
        value: entry.principalArn,
        reason: `same name in another partition (${entryArn.partition}, not ${caller.partition})`,
      });
    } else if (entryArn.accountId !== caller.accountId) {
      misses.push({
        source: 'accessEntry',
        kind: 'account',
        index: entry.index,
        value: entry.principalArn,
        reason: `same name in another account (${entryArn.accountId}, not ${caller.accountId}); an access entry names one principal in one account`,
      });
    }
  }
  return misses;
}

async function awsAuthAnswer(
  prepared: PreparedResolve,
  identity: string | VerifiedIdentity,
): Promise<ResolvedIdentity | null> {
  if (prepared.awsAuth === undefined) return null;
  // A broken aws-auth entry is not this question's answer; the mode's own resolution reports it.
  return resolveThroughAwsAuth(prepared.awsAuth, identity, prepared.mapOptions).catch(() => null);
}

/** What the aws-auth entry behind an answer says: its ARN, SSO permission set or account. */
function awsAuthEntryValue(prepared: PreparedResolve, r: ResolvedIdentity): string | undefined {
  const awsAuth = prepared.awsAuth;
  if (awsAuth === undefined) return undefined;
  if (r.matchedBy === 'mapAccounts') return `account ${r.canonicalArn.split(':')[4] ?? ''}`;
  if (r.matchedBy === 'mapUsers')
    return awsAuth.mapUsers.find((e) => e.index === r.entryIndex)?.userArn;
  const entry = awsAuth.mapRoles.find((e) => e.index === r.entryIndex);
  if (entry === undefined) return undefined;
  return entry.sso === undefined
    ? entry.roleArn
    : `sso ${entry.sso.permissionSetName} in ${entry.sso.accountId}`;
}

function describe(r: ResolvedIdentity): string {
  return `username ${JSON.stringify(r.username)}, groups [${r.groups.join(', ')}]`;
}

function sameIdentity(a: ResolvedIdentity, b: ResolvedIdentity): boolean {
  return (
    a.username === b.username && [...a.groups].sort().join('\n') === [...b.groups].sort().join('\n')
  );
}

/**
 * `resolveIdentity`'s answer, plus the near misses: access entries for the
 * same name in another account or partition, a caller ARN with a role path,
 * an entry bound to another principal id, an entry matched only because EKS
 * ignores case, an aws-auth mapping shadowed by an access entry, and a source
 * the mode ignores that would have matched. (The aws-auth entries that nearly
 * match are the `eks-iam-auth map` command's.)
 *
 * @throws (rejects with) what `resolveIdentity` rejects with.
 */
export async function explainIdentity(
  identity: string | VerifiedIdentity,
  options: ResolveIdentityOptions,
): Promise<IdentityExplanation> {
  const prepared = prepareResolve(options);
  const resolved = await resolvePrepared(prepared, identity);
  const caller = readCaller(identity, prepared.mapOptions.accessKeyId);
  const nearMisses: IdentityNearMiss[] = [];
  const entries = prepared.accessEntries;
  const readsEntries = prepared.mode !== 'CONFIG_MAP';
  if (entries !== undefined) {
    const match = findAccessEntry(entries, caller);
    if (match !== undefined && !match.matched) {
      nearMisses.push({
        source: 'accessEntry',
        kind: 'principal-id',
        index: match.entry.index,
        value: match.entry.principalArn,
        reason: `the entry is bound to principal id ${match.entry.principalId ?? ''}, the caller is ${caller.userId ?? ''}: the IAM principal was deleted and recreated, so EKS no longer matches it (delete and recreate the access entry)`,
      });
    } else if (match?.matched && readsEntries && match.entry.principalArn !== caller.canonicalArn) {
      const written = principalMatchKey(match.entry.principalArn);
      if (
        stripRolePath(match.entry.principalArn) !== caller.canonicalArn &&
        written === caller.canonicalArn.toLowerCase()
      ) {
        nearMisses.push({
          source: 'accessEntry',
          kind: 'case',
          index: match.entry.index,
          value: match.entry.principalArn,
          reason: `matched although written in another case: EKS compares lower-cased ARNs (the caller is ${caller.canonicalArn})`,
        });
      }
    } else if (match?.matched && !readsEntries) {
      nearMisses.push({
        source: 'accessEntry',
        kind: 'ignored',
        index: match.entry.index,
        value: match.entry.principalArn,
        reason: 'this access entry matches, but CONFIG_MAP mode reads only aws-auth',
      });
    }
    if (resolved === null || resolved.source !== 'accessEntry') {
      nearMisses.push(...accessEntryMisses(entries, caller));
    }
  }
  if (resolved?.source === 'accessEntry' || prepared.mode === 'API') {
    const shadowed = await awsAuthAnswer(prepared, identity);
    if (shadowed !== null) {
      const where = shadowed.entryIndex === undefined ? '' : `[${shadowed.entryIndex}]`;
      nearMisses.push({
        source: 'aws-auth',
        kind: prepared.mode === 'API' ? 'ignored' : 'shadowed',
        ...(shadowed.entryIndex === undefined ? {} : { index: shadowed.entryIndex }),
        key: shadowed.matchedBy === 'sso' ? 'mapRoles' : shadowed.matchedBy,
        value: awsAuthEntryValue(prepared, shadowed) ?? `${shadowed.matchedBy}${where}`,
        reason:
          prepared.mode === 'API'
            ? `aws-auth would map this identity (${describe(shadowed)}), but API mode reads only access entries`
            : resolved !== null && sameIdentity(resolved, shadowed)
              ? `aws-auth also maps this identity, to the same username and groups; the access entry wins`
              : `aws-auth also maps this identity (${describe(shadowed)}), but the access entry wins`,
      });
    }
  }
  return { authenticationMode: prepared.mode, resolved, nearMisses };
}
