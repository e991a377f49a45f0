/**
 * Guide §3.2: unit-test an aws-auth ConfigMap with vitest (save as e.g.
 * test/aws-auth.test.ts). No AWS account, no cluster: ARNs in, mappings out.
 */
import { describe, expect, it } from 'vitest';
import { mapIdentity, parseAwsAuth } from 'eks-iam-auth';
import { awsAuthYaml } from './aws-auth.js';

const awsAuth = parseAwsAuth(awsAuthYaml); // parse once, map many

// A stand-in for EC2 DescribeInstances: instance id → private DNS name.
const privateDnsNames: Record<string, string> = {
  'i-0123456789abcdef0': 'ip-192-168-12-34.eu-west-1.compute.internal',
};
const resolveEC2PrivateDNSName = (id: string): string => privateDnsNames[id] ?? '';

describe('aws-auth', () => {
  it('has no diagnostics', () => {
    expect(awsAuth.diagnostics).toEqual([]);
  });

  it.each([
    [
      'a node of the node group',
      'arn:aws:sts::111111111111:assumed-role/eksctl-ironman-2022-nodegroup-ng1-publ-NodeInstanceRole-HN27OZ18JS6U/i-0123456789abcdef0',
      'system:node:ip-192-168-12-34.eu-west-1.compute.internal',
      ['system:bootstrappers', 'system:nodes'],
    ],
    [
      'a developer (the @ of the session name becomes -)',
      'arn:aws:sts::111111111111:assumed-role/Developers/jane@example.com',
      'dev:jane-example.com',
      ['developers'],
    ],
    ['the admin user', 'arn:aws:iam::111111111111:user/yaroslav', 'yaroslav', ['system:masters']],
  ])('maps %s', async (_who, arn, username, groups) => {
    const mapping = await mapIdentity(awsAuth, arn, { resolveEC2PrivateDNSName });
    expect(mapping).toMatchObject({ username, groups });
  });

  it.each([
    // The cluster creator is authorized by EKS itself, not by aws-auth.
    ['the cluster creator', 'arn:aws:iam::111111111111:user/arseniy'],
    ['another account', 'arn:aws:iam::222222222222:user/yaroslav'],
  ])('does not map %s', async (_who, arn) => {
    expect(await mapIdentity(awsAuth, arn)).toBeNull();
  });

  it('refuses to map a person through the node role', async () => {
    const arn =
      'arn:aws:sts::111111111111:assumed-role/eksctl-ironman-2022-nodegroup-ng1-publ-NodeInstanceRole-HN27OZ18JS6U/mallory';
    await expect(mapIdentity(awsAuth, arn, { resolveEC2PrivateDNSName })).rejects.toMatchObject({
      code: 'ERR_TEMPLATE',
    });
  });
});
