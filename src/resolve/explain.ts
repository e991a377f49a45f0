/**
 * `explainIdentity`: `resolveIdentity`'s answer plus the entries that nearly
 * matched or that the answer hides — the questions people ask when `kubectl`
 * says `Unauthorized`, or says yes with the wrong permissions.
 *
 * @module
 */
import { quoteForMessage } from '../util/control-characters.js';
import type { Caller } from '../mapping/caller.js';
import type { VerifiedIdentity } from '../token/verify.js';
import { callerOf, prepareResolve, resolveCaller, resolvedIdentity } from './resolve.js';
import type { PreparedResolve } from './resolve.js';
import type {
  IdentityExplanation,
  IdentityNearMiss,
  ResolvedIdentity,
  ResolveIdentityOptions,
} from './types.js';
import { firstAnswer } from './union.js';

/** What aws-auth alone would answer, whatever the mode reads. */
async function awsAuthAnswer(
  prepared: PreparedResolve,
  caller: Caller,
): Promise<ResolvedIdentity | null> {
  if (prepared.configMapSources === undefined) return null;
  try {
    const answer = await firstAnswer(prepared.configMapSources, caller, prepared.question);
    return answer === null ? null : resolvedIdentity(answer, caller);
  } catch {
    // A broken aws-auth entry is not this question's answer; the mode's own resolution reports it.
    return null;
  }
}

/** What the aws-auth entry behind an answer says: its ARN, SSO permission set or account. */
function awsAuthEntryValue(prepared: PreparedResolve, r: ResolvedIdentity): string | undefined {
  if (prepared.configMapSources === undefined) return undefined;
  if (r.matchedBy === 'mapAccounts') return `account ${r.canonicalArn.split(':')[4] ?? ''}`;
  // Entries are found by index in one aws-auth; an array of sources names none.
  const awsAuth = prepared.awsAuth;
  if (awsAuth === undefined) return undefined;
  if (r.matchedBy === 'mapUsers')
    return awsAuth.mapUsers.find((e) => e.index === r.entryIndex)?.userArn;
  const entry = awsAuth.mapRoles.find((e) => e.index === r.entryIndex);
  if (entry === undefined) return undefined;
  return entry.sso === undefined
    ? entry.roleArn
    : `sso ${entry.sso.permissionSetName} in ${entry.sso.accountId}`;
}

function describe(r: ResolvedIdentity): string {
  return `username ${quoteForMessage(r.username)}, groups [${r.groups.map((g) => quoteForMessage(g)).join(', ')}]`;
}

function sameIdentity(a: ResolvedIdentity, b: ResolvedIdentity): boolean {
  return (
    a.username === b.username && [...a.groups].sort().join('\n') === [...b.groups].sort().join('\n')
  );
}

/** Near misses about entries for the caller's name written elsewhere (a path, an account, a partition). */
const ELSEWHERE: ReadonlySet<IdentityNearMiss['kind']> = new Set(['path', 'account', 'partition']);

/**
 * `resolveIdentity`'s answer, plus the near misses: access entries for the
 * same name in another account or partition, a caller ARN with a role path,
 * an entry bound to another principal id, an entry matched only because EKS
 * ignores case, an aws-auth mapping shadowed by an access entry, and a source
 * the mode ignores that would have matched; when nothing maps the caller,
 * the aws-auth entries that nearly do (a role path on either side, the
 * caller's name in another account or partition).
 *
 * @throws (rejects with) what `resolveIdentity` rejects with.
 */
export async function explainIdentity(
  identity: string | VerifiedIdentity,
  options: ResolveIdentityOptions,
): Promise<IdentityExplanation> {
  const prepared = prepareResolve(options, 'explainIdentity');
  const caller = callerOf(prepared, identity);
  const resolved = await resolveCaller(prepared, caller);
  const nearMisses: IdentityNearMiss[] = [];
  const entries = prepared.entrySource;
  if (entries !== undefined) {
    const readsEntries = prepared.mode !== 'CONFIG_MAP';
    const match = entries.source.lookup(caller, prepared.question);
    if (match !== undefined && !readsEntries) {
      nearMisses.push({
        source: 'accessEntry',
        kind: 'ignored',
        index: match.entry.index,
        value: match.entry.principalArn,
        reason: 'this access entry matches, but CONFIG_MAP mode reads only aws-auth',
      });
    }
    const answered = resolved?.source === 'accessEntry';
    for (const miss of entries.source.nearMisses?.(caller) ?? []) {
      // An entry the mode ignores is reported as ignored, not as a case quirk.
      if (miss.kind === 'case' && !readsEntries) continue;
      // Entries elsewhere matter only when no access entry answered.
      if (answered && ELSEWHERE.has(miss.kind)) continue;
      nearMisses.push(miss);
    }
  }
  if (resolved === null && prepared.mode !== 'API') {
    // The aws-auth entries that nearly map the caller (a role path in the way, another account).
    for (const asked of prepared.sources) {
      if (asked.kind === 'aws-auth') nearMisses.push(...(asked.source.nearMisses?.(caller) ?? []));
    }
  }
  if (resolved?.source === 'accessEntry' || prepared.mode === 'API') {
    const shadowed = await awsAuthAnswer(prepared, caller);
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
