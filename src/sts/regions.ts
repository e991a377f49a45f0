/**
 * The regions each partition's STS answers in: the verifier's list of hosts
 * it may send a token's request to (SPEC 3.4 step 2).
 *
 * A region name that merely fits a partition's pattern is not enough: a
 * token for `sts.us-madeup-9.amazonaws.com` needs no credentials to make,
 * and every such token would cost fetch attempts against a host that does
 * not exist (an audit filled the verifier's queue with them). The Go
 * authenticator likewise enumerates the endpoints it knows plus its own
 * region. Regions newer than this table are accepted through the server's
 * own `region` option and `extraRegions`.
 *
 * Data: every region of every partition in the AWS SDK's endpoint data
 * (`partitions.json` "1.1", shipped in `@aws-sdk/core` 3.981.0 behind
 * `@aws-sdk/util-endpoints` 3.996.54), copied on {@link STS_REGIONS_DATE};
 * the `*-global` pseudo-regions are left out (they name the global
 * endpoint, which `endpoints.ts` handles). STS has a regional endpoint in
 * every region of its partition (the STS endpoint rules build
 * `sts[-fips].<region>.<suffix>` for any of them).
 * `test/sts/regions.test.ts` compares this table with the SDK's data on
 * every run, so an SDK update that adds a region fails the test until the
 * table is refreshed.
 *
 * FIPS is narrower. The endpoint rules would build `sts-fips.<region>` for
 * every region, but STS has FIPS hosts in four regions only
 * ({@link STS_FIPS_REGIONS}, from botocore's `endpoints.json`, which names
 * every endpoint that exists). In aws-us-gov the standard `sts.<region>`
 * host is the FIPS one and no `sts-fips` host exists.
 *
 * @module
 */
import type { PartitionId } from '../partitions.js';

/** The day {@link STS_REGIONS} was copied from the AWS SDK's endpoint data. */
export const STS_REGIONS_DATE = '2026-12-06';

/** Every STS region of every partition, as of {@link STS_REGIONS_DATE}. */
export const STS_REGIONS: Readonly<Record<PartitionId, readonly string[]>> = Object.freeze({
  aws: Object.freeze([
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'sa-west-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ]),
  'aws-cn': Object.freeze(['cn-north-1', 'cn-northwest-1']),
  'aws-eusc': Object.freeze(['eusc-de-east-1']),
  'aws-iso': Object.freeze(['us-iso-east-1', 'us-iso-west-1']),
  'aws-iso-b': Object.freeze(['us-isob-east-1', 'us-isob-west-1']),
  'aws-iso-e': Object.freeze(['eu-isoe-west-1']),
  'aws-iso-f': Object.freeze(['us-isof-east-1', 'us-isof-south-1']),
  'aws-us-gov': Object.freeze(['us-gov-east-1', 'us-gov-west-1']),
});

/**
 * The regions whose STS has an `sts-fips.<region>` host, as of
 * {@link STS_REGIONS_DATE}: the regions botocore 1.43.11's `endpoints.json`
 * gives an `sts-fips` hostname (a `fips` variant), every one in partition
 * `aws`. `test/fixtures/sts-fips/` keeps that extract.
 */
export const STS_FIPS_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
]);

// Region → its partition, for a lookup per token.
const PARTITION_BY_REGION: ReadonlyMap<string, PartitionId> = new Map(
  (Object.entries(STS_REGIONS) as [PartitionId, readonly string[]][]).flatMap(([id, regions]) =>
    regions.map((region) => [region, id] as const),
  ),
);

/** The partition whose STS serves `region`, or `undefined` for a region not in {@link STS_REGIONS}. */
export function partitionOfKnownRegion(region: string): PartitionId | undefined {
  return PARTITION_BY_REGION.get(region);
}
