/**
 * The verifier's STS host allowlist (SPEC 3.4 step 2).
 *
 * A token names the host its presigned URL points at, and the verifier then
 * sends that URL, so the host decides who vouches for the identity: a host
 * outside AWS's STS endpoints could answer anything. Only `sts.amazonaws.com`
 * (partition `aws` only) and `sts[-fips].<region>.<suffix>` with one of the
 * partition's suffixes and a region of the verifier's partition pass: a
 * region of the known-region table (`regions.ts`), the server's own
 * `region`, or one of its `extraRegions`. A region that only fits the
 * partition's pattern is refused: such tokens cost nothing to make, and
 * each would cost fetch attempts against a host that does not exist.
 * For the same reason an `sts-fips` host passes only in a region where STS
 * has one (`STS_FIPS_REGIONS`) or that the server names.
 *
 * @module
 */
import { describeStsHost } from './endpoints.js';
import { getPartition, partitionOfRegion } from '../partitions.js';
import { STS_FIPS_REGIONS, STS_REGIONS_DATE, partitionOfKnownRegion } from './regions.js';

/** The verifier's side of the host decision. */
export interface HostPolicy {
  /** The verifier's partition id (`aws`, `aws-cn`, `aws-us-gov`, …). */
  partition: string;
  /**
   * The server's own region. A host `sts[-fips].<region>.<suffix>` for it is
   * accepted even if the region is newer than the known-region table (or,
   * for `sts-fips`, than the FIPS table), unless the region belongs to
   * another partition.
   *
   * @default undefined
   */
  region?: string | undefined;
  /**
   * More regions to accept as {@link HostPolicy.region} is (regions newer
   * than the known-region or FIPS table), never one of another partition.
   *
   * @default undefined (none)
   */
  extraRegions?: readonly string[] | ReadonlySet<string> | undefined;
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
  const { region } = described;
  const known = partitionOfKnownRegion(region);
  if (known !== undefined) {
    if (known !== partition.id) {
      return `region "${region}" belongs to partition "${known}", not "${partition.id}"`;
    }
    if (described.service === 'sts' || STS_FIPS_REGIONS.has(region)) return undefined;
    if (isNamedByServer(policy, region)) return undefined;
    return (
      `STS has no FIPS endpoint in region "${region}" (it has them in ` +
      `${[...STS_FIPS_REGIONS].join(', ')} as of ${STS_REGIONS_DATE}; in aws-us-gov the ` +
      `sts.<region> host is the FIPS one; if STS has added one since, name the region ` +
      `in the region or extraRegions option)`
    );
  }
  // Newer than the table: only the regions the server names, and never one
  // shaped like another partition's.
  const shaped = partitionOfRegion(region)?.id;
  if (shaped !== undefined && shaped !== partition.id) {
    return `region "${region}" belongs to partition "${shaped}", not "${partition.id}"`;
  }
  if (isNamedByServer(policy, region)) return undefined;
  return (
    `region "${region}" is not a known STS region of partition "${partition.id}" ` +
    `(regions as of ${STS_REGIONS_DATE}; name a newer one in the region or extraRegions option)`
  );
}

/** The server's own region or one of its `extraRegions`. */
function isNamedByServer(policy: HostPolicy, region: string): boolean {
  return region === policy.region || hasRegion(policy.extraRegions, region);
}

function hasRegion(
  regions: readonly string[] | ReadonlySet<string> | undefined,
  region: string,
): boolean {
  if (regions === undefined) return false;
  return 'has' in regions ? regions.has(region) : regions.includes(region);
}

/** True if a verifier for `policy` may send a token's request to `host`. */
export function isStsHostAllowed(host: string, policy: HostPolicy): boolean {
  return hostRefusal(host, policy) === undefined;
}
