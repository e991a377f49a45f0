/**
 * src/partitions.ts is a hand-kept copy of the AWS SDK's partition data;
 * this checks it against the data `@aws-sdk/util-endpoints` ships
 * (`test/support/sdk-partitions.ts`).
 */
import { partition as sdkPartition } from '@aws-sdk/util-endpoints';
import { describe, expect, it } from 'vitest';
import { PARTITIONS, getPartition, isPartitionId, partitionOfRegion } from '../src/partitions.js';
import { loadSdkPartitions, sdkRegionsOf } from './support/sdk-partitions.js';

const SDK = loadSdkPartitions();
/** Every real SDK region (the `*-global` entries are endpoint aliases, not regions). */
const SDK_REGIONS = SDK.flatMap((p) => sdkRegionsOf(p).map((region) => [region, p.id] as const));

describe('PARTITIONS matches the AWS SDK data', () => {
  it('SDK data was found and is not empty', () => {
    expect(SDK.length).toBeGreaterThanOrEqual(8);
    expect(SDK_REGIONS.length).toBeGreaterThan(30);
  });

  it('has the same partition ids in the same order', () => {
    expect(PARTITIONS.map((p) => p.id)).toEqual(SDK.map((p) => p.id));
  });

  describe.each(SDK.map((p) => [p.id, p] as const))('%s', (id, sdk) => {
    const ours = getPartition(id);

    it('is known', () => {
      expect(ours).toBeDefined();
      expect(isPartitionId(id)).toBe(true);
      expect(sdk.outputs.name).toBe(id);
    });

    it('has the same DNS suffixes', () => {
      expect(ours?.dnsSuffix).toBe(sdk.outputs.dnsSuffix);
      expect(ours?.dualStackDnsSuffix).toBe(sdk.outputs.dualStackDnsSuffix);
    });

    it('has the same region pattern', () => {
      // The SDK escapes '-' (`\-`), which means the same inside a pattern.
      expect(ours?.regionRegex.source).toBe(sdk.regionRegex.replaceAll('\\-', '-'));
      expect(ours?.regionRegex.flags).toBe('');
    });
  });

  it.each(SDK_REGIONS)('region %s belongs to %s', (region, id) => {
    const ours = partitionOfRegion(region);
    expect(ours?.id).toBe(id);
    // The SDK's public lookup agrees, suffixes included.
    const sdk = sdkPartition(region);
    expect(sdk.name).toBe(id);
    expect(ours?.dnsSuffix).toBe(sdk.dnsSuffix);
    expect(ours?.dualStackDnsSuffix).toBe(sdk.dualStackDnsSuffix);
  });

  it.each(SDK_REGIONS)('region %s matches exactly one region pattern', (region) => {
    expect(PARTITIONS.filter((p) => p.regionRegex.test(region))).toHaveLength(1);
  });
});

describe('partitionOfRegion beyond the SDK list', () => {
  it.each<[string, string | undefined]>([
    // Not yet in the data, but shaped like a region of that partition.
    ['us-east-7', 'aws'],
    ['ap-southeast-9', 'aws'],
    ['mx-central-2', 'aws'],
    ['cn-south-1', 'aws-cn'],
    ['us-gov-central-1', 'aws-us-gov'],
    ['us-iso-south-1', 'aws-iso'],
    ['us-isob-south-1', 'aws-iso-b'],
    ['eu-isoe-north-1', 'aws-iso-e'],
    ['us-isof-north-1', 'aws-iso-f'],
    ['eusc-de-west-1', 'aws-eusc'],
    // Unlike the SDK (which falls back to `aws`), no guess for unknown shapes.
    ['xx-east-1', undefined],
    ['aws-global', undefined],
    ['us-east', undefined],
    ['useast1', undefined],
    ['', undefined],
    // The SDK patterns use \w; host names have no '_' or upper case.
    ['us-east_x-1', undefined],
    ['US-EAST-1', undefined],
    ['us-east-1 ', undefined],
    ['us-east-1.', undefined],
  ])('%j → %s', (region, id) => {
    expect(partitionOfRegion(region)?.id).toBe(id);
  });

  it('differs from the SDK only by not guessing', () => {
    expect(sdkPartition('xx-east-1').name).toBe('aws');
    expect(partitionOfRegion('xx-east-1')).toBeUndefined();
  });
});

describe('getPartition and isPartitionId', () => {
  it.each(['', 'AWS', 'aws-gov', 'aws-iso-c', 'arn', 'us-east-1'])('%j is unknown', (id) => {
    expect(getPartition(id)).toBeUndefined();
    expect(isPartitionId(id)).toBe(false);
  });

  it('PARTITIONS and its entries are frozen', () => {
    expect(Object.isFrozen(PARTITIONS)).toBe(true);
    for (const p of PARTITIONS) expect(Object.isFrozen(p)).toBe(true);
  });
});
