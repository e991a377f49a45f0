/**
 * The AWS partitions: which regions belong to each and which DNS suffixes its
 * STS endpoints use.
 *
 * This is a small, hand-kept copy of the partition data that the AWS SDK ships
 * in `@aws-sdk/util-endpoints`, and `test/partitions.test.ts` checks it
 * against that data on every run. We do not import the SDK's copy at run time
 * because its public `partition(region)` maps an unknown region to `aws`
 * (right for a client choosing where to send a request, wrong for a verifier
 * deciding what to trust), it does not expose `regionRegex`, and it would add
 * `@aws-sdk/core` to every install.
 *
 * @module
 */

/** The identifier of an AWS partition, as it appears in ARNs (`arn:<partition>:…`). */
export type PartitionId =
  | 'aws'
  | 'aws-cn'
  | 'aws-eusc'
  | 'aws-iso'
  | 'aws-iso-b'
  | 'aws-iso-e'
  | 'aws-iso-f'
  | 'aws-us-gov';

/** What the library knows about one partition. */
export interface PartitionInfo {
  /** Partition id, e.g. `aws-us-gov`. */
  readonly id: PartitionId;
  /** Regions of this partition match this pattern (the SDK's `regionRegex`). */
  readonly regionRegex: RegExp;
  /** DNS suffix of standard endpoints, e.g. `amazonaws.com`. */
  readonly dnsSuffix: string;
  /** DNS suffix of dual-stack (IPv4 + IPv6) endpoints, e.g. `api.aws`. */
  readonly dualStackDnsSuffix: string;
}

function partitionInfo(
  id: PartitionId,
  regionRegex: RegExp,
  dnsSuffix: string,
  dualStackDnsSuffix: string,
): PartitionInfo {
  return Object.freeze({ id, regionRegex, dnsSuffix, dualStackDnsSuffix });
}

/**
 * Every partition, in the SDK's order. `aws` comes first; `aws-us-gov` shares
 * its DNS suffix but not its regions, which is why a host is judged by region
 * pattern and suffix together.
 */
export const PARTITIONS: readonly PartitionInfo[] = Object.freeze([
  partitionInfo('aws', /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, 'amazonaws.com', 'api.aws'),
  partitionInfo('aws-cn', /^cn-\w+-\d+$/, 'amazonaws.com.cn', 'api.amazonwebservices.com.cn'),
  partitionInfo('aws-eusc', /^eusc-(de)-\w+-\d+$/, 'amazonaws.eu', 'api.amazonwebservices.eu'),
  partitionInfo('aws-iso', /^us-iso-\w+-\d+$/, 'c2s.ic.gov', 'api.aws.ic.gov'),
  partitionInfo('aws-iso-b', /^us-isob-\w+-\d+$/, 'sc2s.sgov.gov', 'api.aws.scloud'),
  partitionInfo('aws-iso-e', /^eu-isoe-\w+-\d+$/, 'cloud.adc-e.uk', 'api.cloud-aws.adc-e.uk'),
  partitionInfo('aws-iso-f', /^us-isof-\w+-\d+$/, 'csp.hci.ic.gov', 'api.aws.hci.ic.gov'),
  partitionInfo('aws-us-gov', /^us-gov-\w+-\d+$/, 'amazonaws.com', 'api.aws'),
]);

const BY_ID: ReadonlyMap<string, PartitionInfo> = new Map(PARTITIONS.map((p) => [p.id, p]));

/** The partition with this id, or `undefined` for an unknown id. */
export function getPartition(id: string): PartitionInfo | undefined {
  return BY_ID.get(id);
}

/** True if `id` names a known partition. */
export function isPartitionId(id: string): id is PartitionId {
  return BY_ID.has(id);
}

/**
 * The partition whose region pattern matches `region`, or `undefined` when
 * none does. Unlike the SDK, never guesses `aws` for an unknown region.
 */
export function partitionOfRegion(region: string): PartitionInfo | undefined {
  // Region names are DNS labels joined by '-': the SDK's patterns use \w,
  // which would also admit '_' and upper case, neither valid in a host name.
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(region)) return undefined;
  return PARTITIONS.find((p) => p.regionRegex.test(region));
}
