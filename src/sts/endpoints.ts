/**
 * STS endpoint names: which host a token is signed for (client side) and what
 * a host name says about region, partition and endpoint kind (both sides).
 * Whether a verifier trusts a host is decided in `host-policy.ts`.
 *
 * @module
 */
import { getPartition, partitionOfRegion, PARTITIONS } from '../partitions.js';
import type { PartitionId, PartitionInfo } from '../partitions.js';

/** The legacy global STS endpoint; it signs with scope region `us-east-1`. */
export const GLOBAL_STS_HOST = 'sts.amazonaws.com';
/** Signing region of {@link GLOBAL_STS_HOST}. */
export const GLOBAL_STS_REGION = 'us-east-1';

/**
 * Regions that botocore's `legacy` STS endpoint mode sends to the global
 * endpoint (botocore `LEGACY_GLOBAL_STS_REGIONS`). Every other region is
 * regional in both modes.
 */
export const LEGACY_GLOBAL_STS_REGIONS: ReadonlySet<string> = new Set([
  'ap-northeast-1',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'aws-global',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
]);

/** How a token's STS host was reached. */
export type EndpointKind = 'global' | 'regional' | 'fips' | 'dualstack' | 'fips-dualstack';

/** `regional` (awscli v2 and current SDKs) or `legacy` (botocore's old default). */
export type StsRegionalEndpoints = 'regional' | 'legacy';

/** Inputs of {@link resolveStsEndpoint}. */
export interface StsEndpointRequest {
  region: string;
  stsRegionalEndpoints: StsRegionalEndpoints;
  useFipsEndpoint: boolean;
  useDualstackEndpoint: boolean;
}

/** A resolved STS endpoint: where to send the request and how to sign it. */
export interface StsEndpoint {
  host: string;
  signingRegion: string;
  kind: EndpointKind;
}

/**
 * The STS host a client signs for, the way botocore and the AWS SDKs choose
 * it. A region that matches no partition pattern is treated as `aws`, as the
 * SDKs do, so tokens for brand-new regions can still be generated.
 */
export function resolveStsEndpoint(request: StsEndpointRequest): StsEndpoint {
  const { region, stsRegionalEndpoints, useFipsEndpoint, useDualstackEndpoint } = request;
  if (
    !useFipsEndpoint &&
    !useDualstackEndpoint &&
    // The pseudo-region `aws-global` always means the global endpoint (STS
    // endpoint rules), whatever the regional-endpoints setting.
    ((stsRegionalEndpoints === 'legacy' && LEGACY_GLOBAL_STS_REGIONS.has(region)) ||
      region === 'aws-global')
  ) {
    return { host: GLOBAL_STS_HOST, signingRegion: GLOBAL_STS_REGION, kind: 'global' };
  }
  const partition = partitionOfRegion(region) ?? (getPartition('aws') as PartitionInfo);
  if (useFipsEndpoint && !useDualstackEndpoint && partition.id === 'aws-us-gov') {
    // GovCloud's standard STS endpoints are FIPS endpoints: the STS endpoint
    // rules (and botocore's endpoints.json) name no `sts-fips` host there.
    // `kind` describes the host name, as `describeStsHost` does.
    return {
      host: `sts.${region}.${partition.dnsSuffix}`,
      signingRegion: region,
      kind: 'regional',
    };
  }
  const label = useFipsEndpoint ? 'sts-fips' : 'sts';
  const suffix = useDualstackEndpoint ? partition.dualStackDnsSuffix : partition.dnsSuffix;
  const kind: EndpointKind = useFipsEndpoint
    ? useDualstackEndpoint
      ? 'fips-dualstack'
      : 'fips'
    : useDualstackEndpoint
      ? 'dualstack'
      : 'regional';
  return { host: `${label}.${region}.${suffix}`, signingRegion: region, kind };
}

/** What an STS host name says about itself. */
export interface StsHostDescription {
  /** The region the host implies, which is the SigV4 signing region. */
  region: string;
  /** `sts` or `sts-fips`. */
  service: 'sts' | 'sts-fips';
  /** Everything after `<service>.<region>.` (empty for the global host). */
  dnsSuffix: string;
  kind: EndpointKind;
  /**
   * The partition, when the region matches its pattern and the suffix is one
   * of its suffixes. `undefined` for hosts of unknown shape or data.
   */
  partition: PartitionId | undefined;
}

const DUAL_STACK_SUFFIXES: ReadonlySet<string> = new Set(
  PARTITIONS.map((p) => p.dualStackDnsSuffix),
);

// `sts[-fips].<region>.<suffix>`: the region is one DNS label made of
// lower-case letters, digits and inner hyphens.
const REGIONAL_HOST = /^(sts|sts-fips)\.([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z0-9.-]+)$/;

/**
 * Describe an STS host name, or return `undefined` if it is not shaped like
 * one (`sts.amazonaws.com` or `sts[-fips].<region>.<suffix>`). This is about
 * shape only; trust is `isStsHostAllowed`'s job.
 */
export function describeStsHost(host: string): StsHostDescription | undefined {
  if (host === GLOBAL_STS_HOST) {
    return {
      region: GLOBAL_STS_REGION,
      service: 'sts',
      dnsSuffix: '',
      kind: 'global',
      partition: 'aws',
    };
  }
  const match = REGIONAL_HOST.exec(host);
  if (!match) return undefined;
  const service = match[1] as 'sts' | 'sts-fips';
  const region = match[2] as string;
  const dnsSuffix = match[3] as string;
  const dualstack = DUAL_STACK_SUFFIXES.has(dnsSuffix);
  const kind: EndpointKind =
    service === 'sts-fips'
      ? dualstack
        ? 'fips-dualstack'
        : 'fips'
      : dualstack
        ? 'dualstack'
        : 'regional';
  const partition = partitionOfRegion(region);
  const known =
    partition !== undefined &&
    (dnsSuffix === partition.dnsSuffix || dnsSuffix === partition.dualStackDnsSuffix);
  return { region, service, dnsSuffix, kind, partition: known ? partition.id : undefined };
}
