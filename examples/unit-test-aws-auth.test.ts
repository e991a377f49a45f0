/**
 * Unit-test your aws-auth ConfigMap before `kubectl apply` breaks cluster
 * access: copy this file next to your `aws-auth.yaml`, adjust the table, and
 * run it with vitest (`npx vitest run unit-test-aws-auth.test.ts`).
 *
 * Everything here runs offline: mapIdentity takes ARNs, and the EC2 look-up
 * for `{{EC2PrivateDNSName}}` is replaced by a stub.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapIdentity, parseAwsAuth } from 'eks-iam-auth';
import type { MapIdentityOptions } from 'eks-iam-auth';

const awsAuth = parseAwsAuth(readFileSync(new URL('./aws-auth.yaml', import.meta.url), 'utf8'));

const options: MapIdentityOptions = {
  // EKS clusters with the SSO feature on match `sso:` entries; set false to mirror a cluster without it.
  ssoRoleMatch: true,
  // Stand-in for createEC2PrivateDNSNameResolver(): no AWS call in a unit test.
  resolveEC2PrivateDNSName: (instanceId) => `ip-10-0-1-23.${instanceId}.eu-west-1.compute.internal`,
};

describe('aws-auth.yaml', () => {
  it('has no errors and no warnings', () => {
    // A warning is a mapping that parses but will not do what you meant on EKS
    // (a role path, a misspelt key, {EC2PrivateDNSName} with one brace, …).
    expect(awsAuth.diagnostics).toEqual([]);
  });

  it.each([
    [
      'a worker node',
      'arn:aws:sts::111111111111:assumed-role/eksctl-ironman-2022-nodegroup-ng1-publ-NodeInstanceRole-HN27OZ18JS6U/i-0123456789abcdef0',
      'system:node:ip-10-0-1-23.i-0123456789abcdef0.eu-west-1.compute.internal',
      ['system:bootstrappers', 'system:nodes'],
    ],
    [
      'the ops role',
      'arn:aws:sts::555555555555:assumed-role/abc/oncall',
      'ops-user',
      ['system:masters'],
    ],
    [
      'a developer, named by session',
      'arn:aws:sts::123456789012:assumed-role/my-role-name/jane@example.com',
      'aws:123456789012:eks-developer:jane-example.com',
      ['eks-developers'],
    ],
    [
      'an SSO administrator',
      'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane@example.com',
      'sso-admin:jane-example.com',
      ['system:masters'],
    ],
    ['the test user', 'arn:aws:iam::142627221238:user/test', 'admin', ['system:masters']],
    ['Alice', 'arn:aws:iam::123456789012:user/Alice', 'alice', ['eks-viewers']],
    [
      'anyone in a mapAccounts account',
      'arn:aws:sts::012345678901:assumed-role/ci/build-42',
      'arn:aws:iam::012345678901:role/ci',
      [],
    ],
  ])('%s', async (_who, arn, username, groups) => {
    const mapping = await mapIdentity(awsAuth, arn, options);
    expect(mapping).toMatchObject({ username, groups });
  });

  it.each([
    ['a role of another account', 'arn:aws:sts::999999999999:assumed-role/abc/x'],
    [
      'an SSO permission set that is not listed',
      'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_ReadOnly_abc/x',
    ],
    ['an unlisted user', 'arn:aws:iam::123456789012:user/mallory'],
  ])('%s gets no access', async (_who, arn) => {
    expect(await mapIdentity(awsAuth, arn, options)).toBeNull();
  });

  it('a person cannot pose as a node through the node role', async () => {
    // {{EC2PrivateDNSName}} needs a session named after an instance id.
    const attempt = mapIdentity(
      awsAuth,
      'arn:aws:sts::123456789012:assumed-role/eks-node-role/mallory',
      options,
    );
    await expect(attempt).rejects.toMatchObject({ code: 'ERR_TEMPLATE' });
  });
});
