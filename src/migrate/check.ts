/**
 * `plan.check()`: prove a migration plan by asking `resolveIdentity` the same
 * question twice — the old aws-auth under `CONFIG_MAP`, the planned (and
 * existing) access entries under the target mode — for a caller of every
 * aws-auth entry, and listing each answer that changes.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import { parseAccessEntries } from '../access-entries/parse.js';
import { CLUSTER_ADMIN_POLICY, parsePolicyArn } from '../access-entries/policies.js';
import type { AccessEntries } from '../access-entries/types.js';
import type { AwsAuth } from '../mapping/types.js';
import { EksAuthError } from '../errors.js';
import { jsonQuoted, quotedList } from '../util/control-characters.js';
import { resolveIdentity } from '../resolve/resolve.js';
import type { ResolvedIdentity, ResolveIdentityOptions } from '../resolve/types.js';
import type { MigrationCheck, MigrationDifference, MigrationNote, MigrationPlan } from './types.js';

// Fixed sample values: the check renders templates, it never calls EC2 or STS.
const SESSION = 'eks-iam-auth-check';
const INSTANCE_ID = 'i-0123456789abcdef0';
const SAMPLE: Pick<ResolveIdentityOptions, 'accessKeyId' | 'resolveEC2PrivateDNSName'> = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  resolveEC2PrivateDNSName: () => 'ip-192-0-2-1.ec2.internal',
};

/**
 * The access entries a cluster has after applying `plan`: the existing ones,
 * then the planned ones, read back through `parseAccessEntries` (so the plan
 * obeys the same rules as entries read from AWS).
 */
export function planAsAccessEntries(
  plan: MigrationPlan,
  existing: AccessEntries | undefined,
): AccessEntries {
  const planned = plan.entries.map((e) => ({
    principalArn: e.principalArn,
    type: e.type,
    ...(e.username === undefined ? {} : { username: e.username }),
    kubernetesGroups: e.kubernetesGroups,
    accessPolicies: e.accessPolicies,
  }));
  const kept = (existing?.entries ?? []).map((e) => ({
    principalArn: e.principalArn,
    type: e.type,
    username: e.username,
    kubernetesGroups: e.kubernetesGroups,
    accessPolicies: e.accessPolicies,
    ...(e.principalId === undefined ? {} : { principalId: e.principalId }),
  }));
  return parseAccessEntries({ accessEntries: [...kept, ...planned] });
}

function sessionArn(
  partition: string,
  accountId: string,
  roleName: string,
  session: string,
): string {
  return `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${session}`;
}

/** A caller for every aws-auth entry: a role session, a user, an account's principal. */
function samples(awsAuth: AwsAuth, plan: MigrationPlan): string[] {
  const out: string[] = [];
  const role = (arn: string, templates: string): void => {
    try {
      const c = canonicalizeArn(arn);
      if (c.principalType !== 'role' || c.name === undefined) return;
      const name = c.name.slice(c.name.lastIndexOf('/') + 1);
      out.push(
        sessionArn(
          c.partition,
          c.accountId,
          name,
          templates.includes('EC2PrivateDNSName') ? INSTANCE_ID : SESSION,
        ),
      );
    } catch {
      // an unreadable ARN has no caller
    }
  };
  const plannedRoles = new Set(
    plan.entries.filter((p) => p.from.key === 'mapRoles').map((p) => p.from.index),
  );
  for (const e of awsAuth.mapRoles) {
    const templates = [e.username, ...e.groups].join(' ');
    if (e.sso === undefined) role(e.roleArn, templates);
    else if (!plannedRoles.has(e.index)) {
      // No role found for the permission set: a caller of it shows what is lost.
      const name = `AWSReservedSSO_${e.sso.permissionSetName}_0123456789abcdef`;
      out.push(sessionArn(e.sso.partition, e.sso.accountId, name, SESSION));
    }
  }
  for (const e of plan.entries) {
    role(
      e.principalArn,
      e.type === 'EC2_LINUX' || e.type === 'EC2_WINDOWS' ? 'EC2PrivateDNSName' : '',
    );
  }
  for (const e of awsAuth.mapUsers) out.push(e.userArn);
  for (const account of awsAuth.mapAccounts) {
    if (/^\d{12}$/.test(account))
      out.push(sessionArn(plan.partition, account, 'AnyRoleOfTheAccount', SESSION));
  }
  return out;
}

type Answer = ResolvedIdentity | null | { error: string };

async function answer(arn: string, options: ResolveIdentityOptions): Promise<Answer> {
  try {
    return await resolveIdentity(arn, options);
  } catch (error) {
    if (error instanceof EksAuthError) return { error: error.code };
    throw error;
  }
}

function isResolved(a: Answer): a is ResolvedIdentity {
  return a !== null && !('error' in a);
}

function sorted(groups: readonly string[]): string {
  return [...groups].sort().join('\n');
}

// Usernames and groups come from the ConfigMap: quoted with control
// characters escaped, and whole, so a difference shows all of them.
function show(a: Answer): string {
  if (a === null) return 'not mapped';
  if (!isResolved(a)) return `error ${a.error}`;
  const policies = a.accessPolicies.map(
    (p) => parsePolicyArn(p.policyArn)?.name ?? jsonQuoted(p.policyArn),
  );
  return `${jsonQuoted(a.username)} ${quotedList(a.groups, jsonQuoted)}${policies.length > 0 ? ` + ${policies.join(', ')}` : ''}`;
}

/** An accepted change (cluster-admin policy for `system:masters`, node types), or `undefined`. */
function acceptedChange(before: ResolvedIdentity, after: ResolvedIdentity): string | undefined {
  if (before.username !== after.username) return undefined;
  if (after.type !== undefined && after.type !== 'STANDARD') {
    return `node role moved to ${after.type}: EKS grants ${quotedList(after.groups, jsonQuoted)} (aws-auth gave ${quotedList(before.groups, jsonQuoted)})`;
  }
  const admin = after.accessPolicies.some(
    (p) =>
      parsePolicyArn(p.policyArn)?.name === CLUSTER_ADMIN_POLICY &&
      p.accessScope.type === 'cluster',
  );
  if (admin && before.groups.includes('system:masters')) {
    const rest = before.groups.filter((g) => g !== 'system:masters');
    if (sorted(rest) === sorted(after.groups)) {
      return `system:masters replaced by ${CLUSTER_ADMIN_POLICY} at cluster scope`;
    }
  }
  return undefined;
}

/** `plan.check()`: see {@link MigrationPlan.check}. */
export async function checkPlan(
  awsAuth: AwsAuth,
  plan: MigrationPlan,
  existing: AccessEntries | undefined,
  arns: readonly string[] | undefined,
): Promise<MigrationCheck> {
  if (arns !== undefined && (!Array.isArray(arns) || arns.some((a) => typeof a !== 'string'))) {
    throw new TypeError('plan.check: arns must be a list of ARN strings');
  }
  const accessEntries = planAsAccessEntries(plan, existing);
  const before: ResolveIdentityOptions = {
    awsAuth,
    authenticationMode: 'CONFIG_MAP',
    ssoRoleMatch: true,
    ...SAMPLE,
  };
  const after: ResolveIdentityOptions = {
    accessEntries,
    ...(plan.target === 'API' ? {} : { awsAuth }),
    authenticationMode: plan.target,
    ssoRoleMatch: true,
    ...SAMPLE,
  };
  const differences: MigrationDifference[] = [];
  const notes: MigrationNote[] = [];
  for (const arn of new Set([...samples(awsAuth, plan), ...(arns ?? [])])) {
    const old = await answer(arn, before);
    const now = await answer(arn, after);
    if (isResolved(old) && isResolved(now)) {
      if (old.username === now.username && sorted(old.groups) === sorted(now.groups)) {
        if (now.type !== undefined && now.type !== 'STANDARD') {
          notes.push({ arn, message: `node role moved to ${now.type}: same username and groups` });
        } else if (now.accessPolicies.length > 0 && now.source === 'accessEntry') {
          notes.push({ arn, message: `access policies added: ${show(now)}` });
        }
        continue;
      }
      const accepted = acceptedChange(old, now);
      if (accepted !== undefined) {
        notes.push({ arn, message: accepted });
        continue;
      }
    } else if (JSON.stringify(old) === JSON.stringify(now)) {
      continue;
    }
    differences.push({
      arn,
      before: isResolved(old) ? { username: old.username, groups: old.groups } : old,
      after: isResolved(now)
        ? {
            username: now.username,
            groups: now.groups,
            accessPolicies: now.accessPolicies.map((p) => p.policyArn),
          }
        : now,
      message: `${show(old)} under CONFIG_MAP, ${show(now)} under ${plan.target}`,
    });
  }
  return { equivalent: differences.length === 0, differences, notes };
}
