/**
 * The verifier's STS host allowlist (SPEC 3.4 step 2).
 *
 * A token names the host its presigned URL points at, and the verifier then
 * sends that URL, so the host decides who vouches for the identity: a host
 * outside AWS's STS endpoints could answer anything. Only `sts.amazonaws.com`
 * (partition `aws` only) and `sts[-fips].<region>.<suffix>` with a region of
 * the verifier's partition and one of that partition's suffixes pass.
 *
 * @module
 */
import { describeStsHost } from './endpoints.js';
import { getPartition, partitionOfRegion } from '../partitions.js';

/** The verifier's side of the host decision. */
export interface HostPolicy {
  /** The verifier's partition id (`aws`, `aws-cn`, `aws-us-gov`, …). */
  partition: string;
  /**
   * The server's own region. A host `sts[-fips].<region>.<suffix>` for it is
   * accepted even if the region is newer than the partition data, unless the
   * region belongs to another partition.
   */
  region?: string | undefined;
}

/**
 * Why a host was refused, or `undefined` when it is allowed. With
 * `signingRegion` (the token's credential-scope region), an allowed host must
 * also be the one that region signs for: `parseToken` checks that for hosts
 * the partition data knows, this covers the server-region escape hatch.
 */
export function hostRefusal(
  host: string,
  policy: HostPolicy,
  signingRegion?: string,
): string | undefined {
  const refusal = refusalOfHost(host, policy);
  if (refusal !== undefined || signingRegion === undefined) return refusal;
  const hostRegion = describeStsHost(host)?.region;
  return hostRegion === signingRegion
    ? undefined
    : `the credential scope names region "${signingRegion}", not the host's "${String(hostRegion)}"`;
}

function refusalOfHost(host: string, policy: HostPolicy): string | undefined {
  const partition = getPartition(policy.partition);
  if (!partition) return `unknown partition "${policy.partition}"`;
  const described = describeStsHost(host);
  if (!described) return 'host is not an STS endpoint name';
  if (described.kind === 'global') {
    return partition.id === 'aws'
      ? undefined
      : `the global endpoint serves only partition "aws", not "${partition.id}"`;
  }
  if (
    described.dnsSuffix !== partition.dnsSuffix &&
    described.dnsSuffix !== partition.dualStackDnsSuffix
  ) {
    return `DNS suffix is not one of partition "${partition.id}"`;
  }
  // aws and aws-us-gov share amazonaws.com: the region decides the partition.
  const regionPartition = partitionOfRegion(described.region);
  if (regionPartition?.id === partition.id) return undefined;
  if (regionPartition === undefined && described.region === policy.region) return undefined;
  return regionPartition
    ? `region "${described.region}" belongs to partition "${regionPartition.id}", not "${partition.id}"`
    : `region "${described.region}" is not a region of partition "${partition.id}"`;
}

/** True if a verifier for `policy` may send a token's request to `host`. */
export function isStsHostAllowed(host: string, policy: HostPolicy): boolean {
  return hostRefusal(host, policy) === undefined;
}
