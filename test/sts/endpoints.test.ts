import { describe, expect, it } from 'vitest';
import {
  GLOBAL_STS_HOST,
  GLOBAL_STS_REGION,
  LEGACY_GLOBAL_STS_REGIONS,
  describeStsHost,
  resolveStsEndpoint,
} from '../../src/sts/endpoints.js';
import type { EndpointKind, StsEndpointRequest } from '../../src/sts/endpoints.js';
import type { PartitionId } from '../../src/partitions.js';

/** botocore's `LEGACY_GLOBAL_STS_REGIONS` (botocore/utils.py), written out independently. */
const BOTOCORE_LEGACY_REGIONS = [
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
];

/** One region per partition with its suffixes, from the AWS endpoint data. */
const PARTITION_SAMPLES: [PartitionId, string, string, string][] = [
  ['aws', 'us-west-2', 'amazonaws.com', 'api.aws'],
  ['aws-cn', 'cn-north-1', 'amazonaws.com.cn', 'api.amazonwebservices.com.cn'],
  ['aws-eusc', 'eusc-de-east-1', 'amazonaws.eu', 'api.amazonwebservices.eu'],
  ['aws-iso', 'us-iso-east-1', 'c2s.ic.gov', 'api.aws.ic.gov'],
  ['aws-iso-b', 'us-isob-east-1', 'sc2s.sgov.gov', 'api.aws.scloud'],
  ['aws-iso-e', 'eu-isoe-west-1', 'cloud.adc-e.uk', 'api.cloud-aws.adc-e.uk'],
  ['aws-iso-f', 'us-isof-south-1', 'csp.hci.ic.gov', 'api.aws.hci.ic.gov'],
  ['aws-us-gov', 'us-gov-west-1', 'amazonaws.com', 'api.aws'],
];

function request(
  region: string,
  mode: StsEndpointRequest['stsRegionalEndpoints'] = 'regional',
  fips = false,
  dualstack = false,
): StsEndpointRequest {
  return {
    region,
    stsRegionalEndpoints: mode,
    useFipsEndpoint: fips,
    useDualstackEndpoint: dualstack,
  };
}

describe('LEGACY_GLOBAL_STS_REGIONS', () => {
  it("is botocore's list", () => {
    expect([...LEGACY_GLOBAL_STS_REGIONS].sort()).toEqual(BOTOCORE_LEGACY_REGIONS);
  });
});

describe('resolveStsEndpoint', () => {
  describe.each(PARTITION_SAMPLES)('partition %s (%s)', (id, region, suffix, dualStackSuffix) => {
    const govFips = id === 'aws-us-gov';
    it.each<[string, boolean, boolean, string, EndpointKind]>([
      ['regional', false, false, `sts.${region}.${suffix}`, 'regional'],
      // GovCloud's standard STS endpoints are its FIPS endpoints: the STS
      // endpoint rules name no sts-fips host there.
      [
        'fips',
        true,
        false,
        govFips ? `sts.${region}.${suffix}` : `sts-fips.${region}.${suffix}`,
        govFips ? 'regional' : 'fips',
      ],
      ['dualstack', false, true, `sts.${region}.${dualStackSuffix}`, 'dualstack'],
      ['fips + dualstack', true, true, `sts-fips.${region}.${dualStackSuffix}`, 'fips-dualstack'],
    ])('%s', (_name, fips, dualstack, host, kind) => {
      // Legacy mode changes nothing here except for a legacy region without fips/dualstack.
      const plainLegacy = !fips && !dualstack && BOTOCORE_LEGACY_REGIONS.includes(region);
      for (const mode of plainLegacy
        ? (['regional'] as const)
        : (['regional', 'legacy'] as const)) {
        expect(resolveStsEndpoint(request(region, mode, fips, dualstack))).toEqual({
          host,
          signingRegion: region,
          kind,
        });
      }
    });
  });

  it.each(BOTOCORE_LEGACY_REGIONS)('legacy mode sends %s to the global endpoint', (region) => {
    expect(resolveStsEndpoint(request(region, 'legacy'))).toEqual({
      host: 'sts.amazonaws.com',
      signingRegion: 'us-east-1',
      kind: 'global',
    });
  });

  it.each(BOTOCORE_LEGACY_REGIONS.filter((r) => r !== 'aws-global'))(
    'regional mode keeps %s regional',
    (region) => {
      expect(resolveStsEndpoint(request(region, 'regional'))).toEqual({
        host: `sts.${region}.amazonaws.com`,
        signingRegion: region,
        kind: 'regional',
      });
    },
  );

  it.each([
    'ap-east-1',
    'af-south-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'eu-south-1',
    'me-south-1',
    'il-central-1',
    'ca-west-1',
  ])('legacy mode keeps the non-legacy region %s regional', (region) => {
    expect(resolveStsEndpoint(request(region, 'legacy'))).toEqual({
      host: `sts.${region}.amazonaws.com`,
      signingRegion: region,
      kind: 'regional',
    });
  });

  it.each([
    ['cn-north-1', 'sts.cn-north-1.amazonaws.com.cn'],
    ['us-gov-west-1', 'sts.us-gov-west-1.amazonaws.com'],
  ])('legacy mode keeps %s (outside partition aws) regional', (region, host) => {
    expect(resolveStsEndpoint(request(region, 'legacy')).host).toBe(host);
  });

  it.each<[string, boolean, boolean, string, EndpointKind]>([
    ['fips', true, false, 'sts-fips.us-west-2.amazonaws.com', 'fips'],
    ['dualstack', false, true, 'sts.us-west-2.api.aws', 'dualstack'],
    ['fips + dualstack', true, true, 'sts-fips.us-west-2.api.aws', 'fips-dualstack'],
  ])('legacy mode with %s stays regional for a legacy region', (_name, fips, dual, host, kind) => {
    expect(resolveStsEndpoint(request('us-west-2', 'legacy', fips, dual))).toEqual({
      host,
      signingRegion: 'us-west-2',
      kind,
    });
  });

  it('the aws-global pseudo-region is the global endpoint in regional mode too', () => {
    expect(resolveStsEndpoint(request('aws-global', 'regional'))).toEqual({
      host: GLOBAL_STS_HOST,
      signingRegion: GLOBAL_STS_REGION,
      kind: 'global',
    });
  });

  it.each<[string, boolean, boolean, string]>([
    ['plain', false, false, 'sts.xx-new-1.amazonaws.com'],
    ['fips', true, false, 'sts-fips.xx-new-1.amazonaws.com'],
    ['dualstack', false, true, 'sts.xx-new-1.api.aws'],
  ])('an unknown region is treated as partition aws (%s)', (_name, fips, dual, host) => {
    expect(resolveStsEndpoint(request('xx-new-1', 'legacy', fips, dual))).toMatchObject({
      host,
      signingRegion: 'xx-new-1',
    });
  });

  describe('describeStsHost reads back what resolveStsEndpoint writes', () => {
    const regions = [
      ...PARTITION_SAMPLES.map(([, region]) => region),
      'us-east-1',
      'eu-central-2',
      'ap-southeast-7',
      'us-gov-east-1',
      'cn-northwest-1',
      'us-isob-west-1',
    ];
    const combos = [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const;
    it.each(regions.flatMap((r) => combos.map(([f, d]) => [r, f, d] as const)))(
      '%s fips=%s dualstack=%s',
      (region, fips, dual) => {
        const endpoint = resolveStsEndpoint(request(region, 'regional', fips, dual));
        const described = describeStsHost(endpoint.host);
        expect(described?.region).toBe(endpoint.signingRegion);
        expect(described?.kind).toBe(endpoint.kind);
        expect(described?.partition).toBeDefined();
      },
    );
  });
});

describe('describeStsHost', () => {
  it.each<[string, string, 'sts' | 'sts-fips', string, EndpointKind, PartitionId | undefined]>([
    ['sts.amazonaws.com', 'us-east-1', 'sts', '', 'global', 'aws'],
    ['sts.us-east-1.amazonaws.com', 'us-east-1', 'sts', 'amazonaws.com', 'regional', 'aws'],
    ['sts.eu-west-1.amazonaws.com', 'eu-west-1', 'sts', 'amazonaws.com', 'regional', 'aws'],
    ['sts-fips.us-east-2.amazonaws.com', 'us-east-2', 'sts-fips', 'amazonaws.com', 'fips', 'aws'],
    ['sts.us-east-2.api.aws', 'us-east-2', 'sts', 'api.aws', 'dualstack', 'aws'],
    ['sts-fips.us-east-2.api.aws', 'us-east-2', 'sts-fips', 'api.aws', 'fips-dualstack', 'aws'],
    [
      'sts.us-gov-west-1.amazonaws.com',
      'us-gov-west-1',
      'sts',
      'amazonaws.com',
      'regional',
      'aws-us-gov',
    ],
    [
      'sts-fips.us-gov-east-1.api.aws',
      'us-gov-east-1',
      'sts-fips',
      'api.aws',
      'fips-dualstack',
      'aws-us-gov',
    ],
    [
      'sts.cn-north-1.amazonaws.com.cn',
      'cn-north-1',
      'sts',
      'amazonaws.com.cn',
      'regional',
      'aws-cn',
    ],
    [
      'sts.cn-northwest-1.api.amazonwebservices.com.cn',
      'cn-northwest-1',
      'sts',
      'api.amazonwebservices.com.cn',
      'dualstack',
      'aws-cn',
    ],
    ['sts.us-iso-east-1.c2s.ic.gov', 'us-iso-east-1', 'sts', 'c2s.ic.gov', 'regional', 'aws-iso'],
    [
      'sts.us-isob-east-1.api.aws.scloud',
      'us-isob-east-1',
      'sts',
      'api.aws.scloud',
      'dualstack',
      'aws-iso-b',
    ],
    [
      'sts.eu-isoe-west-1.cloud.adc-e.uk',
      'eu-isoe-west-1',
      'sts',
      'cloud.adc-e.uk',
      'regional',
      'aws-iso-e',
    ],
    [
      'sts-fips.us-isof-south-1.csp.hci.ic.gov',
      'us-isof-south-1',
      'sts-fips',
      'csp.hci.ic.gov',
      'fips',
      'aws-iso-f',
    ],
    [
      'sts.eusc-de-east-1.amazonaws.eu',
      'eusc-de-east-1',
      'sts',
      'amazonaws.eu',
      'regional',
      'aws-eusc',
    ],
    // Shaped like STS, but the data cannot vouch for it.
    ['sts.xx-new-1.amazonaws.com', 'xx-new-1', 'sts', 'amazonaws.com', 'regional', undefined],
    [
      'sts.us-west-2.amazonaws.com.cn',
      'us-west-2',
      'sts',
      'amazonaws.com.cn',
      'regional',
      undefined,
    ],
    ['sts.cn-north-1.amazonaws.com', 'cn-north-1', 'sts', 'amazonaws.com', 'regional', undefined],
    ['sts.us-west-2.example.com', 'us-west-2', 'sts', 'example.com', 'regional', undefined],
  ])('%s', (host, region, service, dnsSuffix, kind, partition) => {
    expect(describeStsHost(host)).toEqual({ region, service, dnsSuffix, kind, partition });
  });

  it.each([
    '',
    'sts',
    'amazonaws.com',
    'sts.us-east-1',
    'ec2.us-east-1.amazonaws.com',
    'sts-x.us-east-1.amazonaws.com',
    'x.sts.amazonaws.com',
    'x.sts.us-east-1.amazonaws.com',
    'vpce-0123.sts.us-east-1.vpce.amazonaws.com',
    'STS.us-east-1.amazonaws.com',
    'sts.US-EAST-1.amazonaws.com',
    'sts.us_east_1.amazonaws.com',
    'sts..amazonaws.com',
    'sts.-us-east-1.amazonaws.com',
    'sts.us-east-1-.amazonaws.com',
    'sts.us-east-1.amazonaws.com:443',
    'sts.us-east-1.amazonaws.com/',
    'evil.example.com',
  ])('%j is not an STS host shape', (host) => {
    expect(describeStsHost(host)).toBeUndefined();
  });
});
