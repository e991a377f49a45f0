/**
 * Pin who gets what on your cluster, before and after moving from aws-auth
 * to access entries: copy this folder, replace the files with yours
 * (`kubectl get cm aws-auth -n kube-system -o yaml`, `aws iam list-roles
 * --query 'Roles[].Arn'`), adjust the table, and run it with vitest
 * (`npx vitest run cluster-identities.test.ts`). Offline: ARNs in, answers
 * out; the EC2 look-up is a stub.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAwsAuth, planAccessEntryMigration, resolveIdentity } from 'eks-iam-auth';
import type { AuthenticationMode, ResolveIdentityOptions } from 'eks-iam-auth';

const read = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
const awsAuth = parseAwsAuth(read('aws-auth.yaml'));
const plan = planAccessEntryMigration(awsAuth, {
  clusterName: 'prod',
  principalArns: JSON.parse(read('principal-arns.json')) as string[],
  // The node and Fargate roles too, so the table pins their answers. On a real
  // cluster EKS creates the entries of managed node groups and Fargate profiles
  // itself: there, pass `existingAccessEntries` (`aws eks list-access-entries`).
  includeNodeRoles: true,
});

// The cluster after `aws eks create-access-entry …` for every planned entry.
const accessEntries = {
  accessEntries: plan.entries.map(
    ({ principalArn, type, username, kubernetesGroups, accessPolicies }) => ({
      principalArn,
      type,
      ...(username === undefined ? {} : { username }),
      kubernetesGroups,
      accessPolicies,
    }),
  ),
};

const options = (authenticationMode: AuthenticationMode): ResolveIdentityOptions => ({
  authenticationMode,
  awsAuth,
  accessEntries,
  resolveEC2PrivateDNSName: (instanceId) => `ip-10-0-1-23.${instanceId}.eu-west-1.compute.internal`,
});

const ADMIN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

describe.each<[AuthenticationMode]>([['CONFIG_MAP'], ['API']])('under %s', (mode) => {
  it.each<[string, string, string | null, string[], string[]]>([
    // who, caller ARN, username, groups, access policies (API only)
    [
      'a worker node',
      'arn:aws:sts::111122223333:assumed-role/eks-nodegroup-general/i-0123456789abcdef0',
      'system:node:ip-10-0-1-23.i-0123456789abcdef0.eu-west-1.compute.internal',
      ['system:bootstrappers', 'system:nodes'],
      [],
    ],
    [
      'a Fargate pod',
      'arn:aws:sts::111122223333:assumed-role/eks-fargate-pods/fargate-ip-10-0-2-7',
      'system:node:fargate-ip-10-0-2-7',
      ['system:bootstrappers', 'system:nodes', 'system:node-proxier'],
      [],
    ],
    [
      'an SSO admin (the access entry names the role with its aws-reserved path)',
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b/alice@example.com',
      'sso-admin:alice-example.com',
      mode === 'API' ? ['platform-admins'] : ['system:masters', 'platform-admins'],
      mode === 'API' ? [ADMIN] : [],
    ],
    [
      'the CI role from the tooling account',
      'arn:aws:sts::444455556666:assumed-role/github-actions-deploy/run-42',
      'ci:run-42',
      ['deployers'],
      [],
    ],
    [
      'a role of the mapAccounts account: lost under API',
      'arn:aws:sts::777788889999:assumed-role/Anything/bob',
      mode === 'API' ? null : 'arn:aws:iam::777788889999:role/Anything',
      [],
      [],
    ],
  ])('%s', async (_who, arn, username, groups, policies) => {
    const resolved = await resolveIdentity(arn, options(mode));
    if (username === null) {
      expect(resolved).toBeNull();
      return;
    }
    expect(resolved).toMatchObject({ username, groups });
    expect(resolved?.accessPolicies.map((p) => p.policyArn)).toEqual(policies);
  });
});

describe('the migration', () => {
  it('loses exactly the mapAccounts entry', () => {
    expect(plan.losses.map((l) => `${l.code} ${l.key}[${l.index}]`)).toEqual([
      'map-accounts mapAccounts[0]',
    ]);
    expect(plan.canSwitchToApi).toBe(false);
  });
});
