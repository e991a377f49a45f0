/**
 * The `aws-auth` entries that nearly map a caller nothing maps, for
 * `explainIdentity` (SPEC 4.6: "the near misses (path, case, account, …)"):
 * a role path in the way on either side (STS reports roles without their
 * path, and EKS compares the path-less ARN), or the caller's name in another
 * account or partition. The `eks-iam-auth map` command says more about
 * spelling (stray spaces, a session ARN as `rolearn`, …) from the file.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { CanonicalArn } from '../arn.js';
import type { Caller } from '../mapping/caller.js';
import { principalBaseName, stripRolePath } from '../mapping/lookup.js';
import type { IdentityNearMiss } from '../mapping/source.js';
import type { AwsAuth } from '../mapping/types.js';

function tryCanonicalize(arn: string): CanonicalArn | undefined {
  try {
    return canonicalizeArn(arn.trim());
  } catch {
    return undefined;
  }
}

/** Why `written` (a `rolearn` or `userarn`) nearly maps `caller`, if it does. */
function missOf(
  written: string,
  caller: Caller,
  callerName: string | undefined,
): Pick<IdentityNearMiss, 'kind' | 'value' | 'reason'> | undefined {
  const key = written.toLowerCase();
  const target = caller.matchKey;
  if (key === target) return undefined;
  if (stripRolePath(target) === key) {
    const seen = stripRolePath(caller.canonicalArn);
    return {
      kind: 'path',
      value: seen,
      reason: `the caller's ARN has a role path, which STS never reports; the cluster sees ${seen}, which this entry matches`,
    };
  }
  if (stripRolePath(key) === target) {
    return {
      kind: 'path',
      value: written,
      reason: `the entry's role ARN has a path; STS reports roles without it, so EKS never matches this entry (write ${caller.canonicalArn})`,
    };
  }
  const entry = tryCanonicalize(written);
  if (entry === undefined || callerName === undefined || principalBaseName(entry) !== callerName) {
    return undefined;
  }
  if (entry.partition !== caller.partition) {
    return {
      kind: 'partition',
      value: written,
      reason: `same name in another partition (${entry.partition}, not ${caller.partition})`,
    };
  }
  if (entry.accountId !== caller.accountId) {
    return {
      kind: 'account',
      value: written,
      reason: `same name in another account (${entry.accountId}, not ${caller.accountId})`,
    };
  }
  return undefined;
}

/**
 * The `mapRoles` and `mapUsers` entries of `awsAuth` that nearly map
 * `caller`, in file order (one pass over the entries: asked only after
 * nothing matched).
 */
export function awsAuthNearMisses(awsAuth: AwsAuth, caller: Caller): IdentityNearMiss[] {
  const callerArn = tryCanonicalize(caller.canonicalArn);
  const callerName = callerArn === undefined ? undefined : principalBaseName(callerArn);
  const misses: IdentityNearMiss[] = [];
  const visit = (key: 'mapRoles' | 'mapUsers', index: number, written: string): void => {
    const miss = missOf(written, caller, callerName);
    if (miss !== undefined) misses.push({ source: 'aws-auth', key, index, ...miss });
  };
  for (const entry of awsAuth.mapRoles) {
    if (entry.roleArn !== undefined) visit('mapRoles', entry.index, entry.roleArn);
  }
  for (const entry of awsAuth.mapUsers) visit('mapUsers', entry.index, entry.userArn);
  return misses;
}
