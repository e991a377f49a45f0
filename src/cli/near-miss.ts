/**
 * Why an identity matched no `aws-auth` entry: the entries that *almost*
 * match, with the reason each one does not. This is the question people ask
 * when `kubectl` says `Unauthorized` and the ConfigMap "clearly" lists them.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { CanonicalArn } from '../arn.js';
import { stripRolePath } from '../mapping/lookup.js';
import type { AwsAuth } from '../mapping/types.js';

/** One entry that nearly matched. */
export interface NearMiss {
  /** `mapRoles`, `mapUsers` or `mapAccounts`. */
  key: 'mapRoles' | 'mapUsers' | 'mapAccounts';
  /** 0-based index in that key's list (as in lint diagnostics). */
  index: number;
  /** 1-based line of the entry in the file, when known. */
  line?: number;
  /** What the entry says: its ARN, SSO permission set or account. */
  value: string;
  /** Why it does not match, and what to change. */
  reason: string;
}

function nameOf(arn: CanonicalArn): string | undefined {
  if (arn.name === undefined) return undefined;
  // Compare names without role paths: STS never reports them.
  const name = arn.name.slice(arn.name.lastIndexOf('/') + 1);
  return `${arn.principalType === 'assumed-role' ? 'role' : arn.principalType}/${name.toLowerCase()}`;
}

function tryCanonicalize(arn: string): CanonicalArn | undefined {
  try {
    return canonicalizeArn(arn);
  } catch {
    return undefined;
  }
}

function arnReason(entryArn: string, caller: CanonicalArn): string | undefined {
  const target = caller.canonicalArn.toLowerCase();
  // (An entry equal ignoring case would have matched: EKS compares lower-cased ARNs.)
  const written = entryArn.toLowerCase();
  if (written !== written.trim() && written.trim() === target) {
    return 'the ARN has leading or trailing spaces; EKS compares the text exactly, so it never matches (remove them)';
  }
  if (stripRolePath(written) === target) {
    return 'the role ARN has a path; STS reports roles without their path, so EKS never matches it (remove the path, or pass --strip-role-paths to see what it would map to)';
  }
  const entry = tryCanonicalize(entryArn);
  if (entry === undefined) return undefined;
  if (entry.canonicalArn.toLowerCase() === target) {
    return `written as ${entry.principalType === 'assumed-role' ? 'an STS assumed-role session ARN' : 'another form'}; EKS compares the IAM ARN, write ${caller.canonicalArn}`;
  }
  const entryName = nameOf(entry);
  if (entryName !== undefined && entryName === nameOf(caller)) {
    if (entry.accountId !== caller.accountId) {
      return `same name in another account (${entry.accountId}, not ${caller.accountId})`;
    }
    if (entry.partition !== caller.partition) {
      return `same name in another partition (${entry.partition}, not ${caller.partition})`;
    }
  }
  return undefined;
}

/**
 * The entries of `awsAuth` that nearly match `arn`, in file order. Empty when
 * nothing comes close.
 */
export function findNearMisses(awsAuth: AwsAuth, caller: CanonicalArn): NearMiss[] {
  const misses: NearMiss[] = [];
  const add = (
    key: NearMiss['key'],
    entry: { index: number; line?: number },
    value: string,
    reason: string | undefined,
  ): void => {
    if (reason === undefined) return;
    misses.push({
      key,
      index: entry.index,
      ...(entry.line === undefined ? {} : { line: entry.line }),
      value,
      reason,
    });
  };
  const roleName = caller.canonicalArn.toLowerCase().split(':role/')[1];
  for (const entry of awsAuth.mapRoles) {
    if (entry.sso !== undefined) {
      // Entries that can match are reported by the caller, which knows --sso-role-match.
      const prefix = `awsreservedsso_${entry.sso.permissionSetName.toLowerCase()}_`;
      if (
        entry.sso.partitionWritten === true &&
        roleName?.startsWith(prefix) === true &&
        entry.sso.accountId === caller.accountId
      ) {
        add(
          'mapRoles',
          entry,
          `sso ${entry.sso.permissionSetName} in ${entry.sso.accountId} (partition ${entry.sso.partition})`,
          'an sso entry that names its partition never matches in EKS (the Go authenticator builds its pattern with an empty partition): remove "partition"',
        );
      }
      continue;
    }
    add('mapRoles', entry, entry.roleArn, arnReason(entry.roleArn, caller));
  }
  for (const entry of awsAuth.mapUsers) {
    add('mapUsers', entry, entry.userArn, arnReason(entry.userArn, caller));
  }
  awsAuth.mapAccounts.forEach((account, index) => {
    // Items stay strings as written: a lost leading zero or stray characters
    // make an account that looks right but never matches.
    const digits = account.replace(/\D/g, '');
    if (account !== caller.accountId && digits.padStart(12, '0') === caller.accountId) {
      add(
        'mapAccounts',
        { index },
        account,
        `written as "${account}"; account ids are compared as 12-digit strings ("${caller.accountId}")`,
      );
    }
  });
  return misses;
}
