/**
 * Guide §3.3: `system:node:{{EC2PrivateDNSName}}` needs the node's private DNS
 * name, which only EC2 knows. mapIdentity never calls AWS by itself: pass a
 * resolver.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { createEC2PrivateDNSNameResolver, mapIdentity, parseAwsAuth } from 'eks-iam-auth';
import { awsAuthYaml } from './aws-auth.js';

// In a server: one resolver for the process. It batches concurrent look-ups
// into one DescribeInstances call and caches answers (an instance keeps its
// private DNS name for life). Needs ec2:DescribeInstances.
const resolveEC2PrivateDNSName = createEC2PrivateDNSNameResolver({
  client: new EC2Client({ region: 'eu-west-1' }),
});

const awsAuth = parseAwsAuth(awsAuthYaml);
const node =
  'arn:aws:sts::111111111111:assumed-role/eksctl-ironman-2022-nodegroup-ng1-publ-NodeInstanceRole-HN27OZ18JS6U/i-0123456789abcdef0';
console.log(await mapIdentity(awsAuth, node, { resolveEC2PrivateDNSName }));
// { username: 'system:node:ip-192-168-12-34.eu-west-1.compute.internal',
//   groups: ['system:bootstrappers', 'system:nodes'], matchedBy: 'mapRoles', … }

// In tests: any function from instance id to name will do (see aws-auth-test.ts).
