/**
 * The known-region table (`src/sts/regions.ts`, SPEC 3.4 step 2): the same
 * regions as the AWS SDK's endpoint data on every run, dated, and every one
 * of them usable end to end: `generateToken` signs for it (every endpoint
 * variant), `parseToken` reads its partition back, the host policy accepts
 * it for its own partition only (`sts-fips` hosts only where STS has them), and the STS emulator (which checks SigV4
 * on its own) accepts the tokens `verifyToken` sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostRefusal } from '../../src/sts/host-policy.js';
import { PARTITIONS } from '../../src/partitions.js';
import type { PartitionId } from '../../src/partitions.js';
import { STS_REGIONS, STS_REGIONS_DATE, partitionOfKnownRegion } from '../../src/sts/regions.js';
import { generateToken } from '../../src/token/generate.js';
import { parseToken } from '../../src/token/parse.js';
import { verifyToken } from '../../src/token/verify.js';
import { botocoreStsFipsRegions } from '../support/botocore-sts-endpoints.js';
import { loadSdkPartitions, sdkRegionsOf } from '../support/sdk-partitions.js';
import { startStsEmulator } from '../support/sts-emulator.js';
import type { StsEmulator } from '../support/sts-emulator.js';

const SDK = loadSdkPartitions();
/** botocore's `sts-fips` regions, from the fixture (test/sts/fips-regions.test.ts checks it). */
const FIPS_REGIONS: ReadonlySet<string> = new Set(botocoreStsFipsRegions());
const KNOWN = (Object.entries(STS_REGIONS) as [PartitionId, readonly string[]][]).flatMap(
  ([partition, regions]) => regions.map((region) => [region, partition] as const),
);

describe('STS_REGIONS is the AWS SDK endpoint data', () => {
  it('is dated', () => {
    expect(STS_REGIONS_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Number.isNaN(Date.parse(STS_REGIONS_DATE))).toBe(false);
  });

  it('has every partition of the SDK and of PARTITIONS, no other', () => {
    const ids = Object.keys(STS_REGIONS).sort();
    expect(ids).toEqual(SDK.map((p) => p.id).sort());
    expect(ids).toEqual(PARTITIONS.map((p) => p.id).sort());
  });

  it.each(SDK.map((p) => [p.id, p] as const))('%s: the same regions', (id, sdk) => {
    expect([...(STS_REGIONS[id as PartitionId] ?? [])].sort()).toEqual(sdkRegionsOf(sdk).sort());
  });

  it.each(KNOWN)('%s is in %s and matches its region pattern', (region, partition) => {
    expect(partitionOfKnownRegion(region)).toBe(partition);
    const pattern = PARTITIONS.find((p) => p.id === partition)?.regionRegex;
    expect(pattern?.test(region)).toBe(true);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(STS_REGIONS)).toBe(true);
    for (const regions of Object.values(STS_REGIONS)) expect(Object.isFrozen(regions)).toBe(true);
  });

  it.each(['us-madeup-9', 'aws-global', 'us-east-1 ', 'US-EAST-1', ''])(
    '%j is not a known region',
    (region) => {
      expect(partitionOfKnownRegion(region)).toBeUndefined();
    },
  );
});

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const DATE = new Date('2024-01-15T12:34:56Z');
const VARIANTS: [string, { useFipsEndpoint?: boolean; useDualstackEndpoint?: boolean }][] = [
  ['regional', {}],
  ['fips', { useFipsEndpoint: true }],
  ['dualstack', { useDualstackEndpoint: true }],
  ['fips + dualstack', { useFipsEndpoint: true, useDualstackEndpoint: true }],
];

describe('generateToken signs for every known region, and the verifier takes it', () => {
  it.each(KNOWN)('%s (%s): every endpoint variant', async (region, partition) => {
    for (const [, variant] of VARIANTS) {
      const generated = await generateToken({
        clusterId: 'c',
        region,
        credentials: CREDENTIALS,
        signingDate: DATE,
        stsRegionalEndpoints: 'regional',
        ...variant,
      });
      const parsed = parseToken(generated.token);
      expect(parsed.region).toBe(region);
      expect(parsed.partition).toBe(partition);
      // Its own partition's verifier accepts the host (an `sts-fips` one
      // only where STS has it, or when the server names the region); every
      // other partition's refuses it.
      const fipsHost = parsed.host.startsWith('sts-fips.');
      const accepted = !fipsHost || FIPS_REGIONS.has(region);
      for (const p of PARTITIONS) {
        const refusal = hostRefusal(parsed.host, { partition: p.id }, parsed.region);
        if (p.id === partition && accepted) expect(refusal).toBeUndefined();
        else expect(refusal).toEqual(expect.any(String));
        const named = hostRefusal(parsed.host, { partition: p.id, region }, parsed.region);
        if (p.id === partition) expect(named).toBeUndefined();
        else expect(named).toEqual(expect.any(String));
      }
    }
  });
});

describe('verifyToken against the emulator, every known region with an emulated principal', () => {
  let emulator: StsEmulator;
  beforeAll(async () => {
    emulator = await startStsEmulator({ now: () => DATE });
  });
  afterAll(async () => {
    await emulator.close();
  });

  // The emulator's identity vectors cover three partitions.
  const CASE_OF: Partial<Record<PartitionId, string>> = {
    aws: 'iam-user',
    'aws-cn': 'assumed-role-aws-cn',
    'aws-us-gov': 'iam-user-aws-us-gov',
  };
  const ROWS = KNOWN.filter(([, partition]) => CASE_OF[partition] !== undefined);

  it('covers every region of aws, aws-cn and aws-us-gov', () => {
    expect(ROWS.length).toBe(
      STS_REGIONS.aws.length + STS_REGIONS['aws-cn'].length + STS_REGIONS['aws-us-gov'].length,
    );
  });

  it.each(ROWS)('%s (%s)', async (region, partition) => {
    const generated = await generateToken({
      clusterId: 'c',
      region,
      credentials: emulator.credentialsFor(CASE_OF[partition] as string),
      signingDate: DATE,
    });
    await expect(
      verifyToken(generated.token, {
        clusterId: 'c',
        partition,
        currentDate: DATE,
        fetch: emulator.fetch,
        retries: 0,
      }),
    ).resolves.toMatchObject({ partition, stsHost: generated.host });
  });
});
