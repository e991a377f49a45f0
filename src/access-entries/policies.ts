/**
 * EKS access policy ARNs: `arn:<partition>:eks::aws:cluster-access-policy/<Name>`.
 * The partition is the cluster's: a policy ARN hard-coded to `arn:aws:` is
 * refused in `aws-cn` and `aws-us-gov`.
 *
 * @module
 */
import { isPartitionId } from '../partitions.js';
import type { PartitionId } from '../partitions.js';
import { ACCESS_POLICIES, accessPolicy } from './access-policies.js';

/**
 * The names of every access policy AWS lists (`ACCESS_POLICIES`). A name not
 * listed here is accepted with a warning, never refused, since AWS adds
 * policies over time.
 */
export const KNOWN_ACCESS_POLICIES: readonly string[] = Object.freeze(Object.keys(ACCESS_POLICIES));

/** True when AWS lists an access policy named `name`. */
export function isKnownAccessPolicy(name: string): boolean {
  return accessPolicy(name) !== undefined;
}

/** The policy `system:masters` becomes when an `aws-auth` entry moves to an access entry. */
export const CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

/** The policy an Auto Mode node role (`EC2` type) needs. */
export const AUTO_NODE_POLICY = 'AmazonEKSAutoNodePolicy';

const POLICY_ARN = /^arn:([a-z-]+):eks::aws:cluster-access-policy\/([A-Za-z0-9]+)$/;

/** A policy ARN's parts. */
export interface PolicyArnParts {
  /** The ARN's partition. */
  readonly partition: PartitionId;
  /** The policy name, e.g. `AmazonEKSViewPolicy`. */
  readonly name: string;
}

/** The partition and name of an access policy ARN, or `undefined` if it is not one. */
export function parsePolicyArn(arn: string): PolicyArnParts | undefined {
  const m = POLICY_ARN.exec(arn);
  if (m === null) return undefined;
  const partition = m[1] as string;
  return isPartitionId(partition) ? { partition, name: m[2] as string } : undefined;
}

/** The ARN of access policy `name` in `partition`. */
export function accessPolicyArn(partition: PartitionId, name: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${name}`;
}
