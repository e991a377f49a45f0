/**
 * The STS host allowlist (SPEC 3.4 step 2), per partition: a token names the
 * host the verifier will call, so this table is the line between "AWS vouches
 * for the caller" and "the attacker's server does". The data below is written
 * out by hand from AWS's partition data, not read from src/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostRefusal, isStsHostAllowed } from '../../src/sts/host-policy.js';
import type { PartitionId } from '../../src/partitions.js';
import { verifyToken } from '../../src/token/verify.js';
import { referenceToken } from '../support/sigv4-reference.js';
import { startStsEmulator } from '../support/sts-emulator.js';
import type { StsEmulator } from '../support/sts-emulator.js';

interface PartitionData {
  regions: string[];
  /**
   * Those of `regions` where STS has an `sts-fips` host: botocore's
   * endpoints.json names one only in us-east-1, us-east-2, us-west-1 and
   * us-west-2 (in aws-us-gov the plain `sts.<region>` host is the FIPS one).
   */
  fips?: string[];
  dns: string;
  dualStack: string;
}

const DATA: Record<PartitionId, PartitionData> = {
  aws: {
    regions: [
      'us-east-1',
      'us-west-2',
      'eu-west-1',
      'ap-southeast-2',
      'sa-east-1',
      'ca-central-1',
      'me-south-1',
      'af-south-1',
      'il-central-1',
      'mx-central-1',
    ],
    fips: ['us-east-1', 'us-west-2'],
    dns: 'amazonaws.com',
    dualStack: 'api.aws',
  },
  'aws-cn': {
    regions: ['cn-north-1', 'cn-northwest-1'],
    dns: 'amazonaws.com.cn',
    dualStack: 'api.amazonwebservices.com.cn',
  },
  'aws-us-gov': {
    regions: ['us-gov-west-1', 'us-gov-east-1'],
    dns: 'amazonaws.com',
    dualStack: 'api.aws',
  },
  'aws-iso': {
    regions: ['us-iso-east-1', 'us-iso-west-1'],
    dns: 'c2s.ic.gov',
    dualStack: 'api.aws.ic.gov',
  },
  'aws-iso-b': { regions: ['us-isob-east-1'], dns: 'sc2s.sgov.gov', dualStack: 'api.aws.scloud' },
  'aws-iso-e': {
    regions: ['eu-isoe-west-1'],
    dns: 'cloud.adc-e.uk',
    dualStack: 'api.cloud-aws.adc-e.uk',
  },
  'aws-iso-f': {
    regions: ['us-isof-south-1', 'us-isof-east-1'],
    dns: 'csp.hci.ic.gov',
    dualStack: 'api.aws.hci.ic.gov',
  },
  'aws-eusc': {
    regions: ['eusc-de-east-1'],
    dns: 'amazonaws.eu',
    dualStack: 'api.amazonwebservices.eu',
  },
};
const PARTITION_IDS = Object.keys(DATA) as PartitionId[];
// A region no partition's pattern knows yet.
const NEW_REGION = 'zz-newregion-1';
/**
 * Per partition, a region that fits its pattern but is in no endpoint data:
 * the audit's `sts.us-madeup-9.amazonaws.com`, which needs no credentials to
 * put in a token and cost the verifier fetch attempts.
 */
const MADE_UP: Record<PartitionId, string> = {
  aws: 'us-madeup-9',
  'aws-cn': 'cn-madeup-9',
  'aws-us-gov': 'us-gov-madeup-9',
  'aws-iso': 'us-iso-madeup-9',
  'aws-iso-b': 'us-isob-madeup-9',
  'aws-iso-e': 'eu-isoe-madeup-9',
  'aws-iso-f': 'us-isof-madeup-9',
  'aws-eusc': 'eusc-de-madeup-9',
};

type Row = [
  label: string,
  host: string,
  region: string | undefined,
  allowed: boolean,
  extraRegions?: string[],
];

function rowsFor(p: PartitionId): Row[] {
  const own = DATA[p];
  const r0 = own.regions[0] as string;
  const rows: Row[] = [];
  // Every region of P, both services, both suffixes: `sts-fips` only where
  // STS has it, unless the server names the region.
  for (const region of own.regions) {
    const hasFips = own.fips?.includes(region) === true;
    for (const service of ['sts', 'sts-fips']) {
      for (const suffix of [own.dns, own.dualStack]) {
        const host = `${service}.${region}.${suffix}`;
        rows.push([
          `own region ${service} ${suffix}`,
          host,
          undefined,
          service === 'sts' || hasFips,
        ]);
        if (service === 'sts-fips' && !hasFips) {
          rows.push([`own region ${service} ${suffix} = options.region`, host, region, true]);
          rows.push([
            `own region ${service} ${suffix} in extraRegions`,
            host,
            undefined,
            true,
            [region],
          ]);
          rows.push([
            `own region ${service} ${suffix}, another region named`,
            host,
            NEW_REGION,
            false,
            [NEW_REGION],
          ]);
        }
      }
    }
  }
  // The global endpoint is aws only.
  rows.push(['global endpoint', 'sts.amazonaws.com', undefined, p === 'aws']);
  // Other partitions' regions, on P's suffix and on their own.
  for (const q of PARTITION_IDS.filter((x) => x !== p)) {
    const other = DATA[q];
    const rq = other.regions[0] as string;
    rows.push([`${q} region on own suffix`, `sts.${rq}.${own.dns}`, undefined, false]);
    rows.push([
      `${q} region on own dual-stack suffix`,
      `sts-fips.${rq}.${own.dualStack}`,
      undefined,
      false,
    ]);
    rows.push([`${q} host`, `sts.${rq}.${other.dns}`, undefined, false]);
    // Own region under another partition's suffix (unless the suffixes are shared).
    if (other.dns !== own.dns)
      rows.push([`own region on ${q} suffix`, `sts.${r0}.${other.dns}`, undefined, false]);
    // The server's region must not open another partition's hosts.
    rows.push([`${q} region even when it is options.region`, `sts.${rq}.${own.dns}`, rq, false]);
  }
  // Near misses of a good host.
  const good = `sts.${r0}.${own.dns}`;
  rows.push(
    ['not-a-region', `sts.not-a-region.${own.dns}`, undefined, false],
    ['suffix with an extra label', `${good}.evil.example`, undefined, false],
    ['suffix missing its last label', good.slice(0, good.lastIndexOf('.')), undefined, false],
    ['trailing dot', `${good}.`, undefined, false],
    ['upper case', good.toUpperCase(), undefined, false],
    ['with a port', `${good}:443`, undefined, false],
    ['other service', `iam.${r0}.${own.dns}`, undefined, false],
    ['prefixed service label', `xsts.${r0}.${own.dns}`, undefined, false],
    ['old dualstack label', `sts.dualstack.${r0}.${own.dns}`, undefined, false],
    ['fips written as a label', `sts.fips.${r0}.${own.dns}`, undefined, false],
    ['sts-fips-dualstack label', `sts-fips-dualstack.${r0}.${own.dns}`, undefined, false],
    ['region with underscores', `sts.${r0.replace(/-/g, '_')}.${own.dns}`, undefined, false],
    ['empty region label', `sts..${own.dns}`, undefined, false],
    ['fips without a region label', `sts-fips.${own.dns}`, undefined, false],
    ...(p === 'aws' ? [] : ([['no region label', `sts.${own.dns}`, undefined, false]] as Row[])),
    ['an IP address', '127.0.0.1', undefined, false],
    ['an attacker host', 'evil.example', undefined, false],
    ['attacker host shaped like STS', 'sts.us-east-1.evil.example', undefined, false],
    ['empty string', '', undefined, false],
    // The escape hatch for regions newer than the data: only the server's own.
    ['new region, no options.region', `sts.${NEW_REGION}.${own.dns}`, undefined, false],
    ['new region = options.region', `sts.${NEW_REGION}.${own.dns}`, NEW_REGION, true],
    [
      'new region = options.region, fips dual-stack',
      `sts-fips.${NEW_REGION}.${own.dualStack}`,
      NEW_REGION,
      true,
    ],
    ['new region ≠ options.region', `sts.${NEW_REGION}.${own.dns}`, 'zz-other-1', false],
    [
      'new region = options.region, foreign suffix',
      `sts.${NEW_REGION}.evil.example`,
      NEW_REGION,
      false,
    ],
    ['own region still fine with options.region set', good, NEW_REGION, true],
  );
  // A region that only fits P's pattern: refused unless the server names it.
  const madeUp = MADE_UP[p];
  for (const service of ['sts', 'sts-fips']) {
    for (const suffix of [own.dns, own.dualStack]) {
      const host = `${service}.${madeUp}.${suffix}`;
      rows.push(
        [`invented region shaped like ${p} (${service}, ${suffix})`, host, undefined, false],
        [`invented region = options.region (${service}, ${suffix})`, host, madeUp, true],
        [
          `invented region in extraRegions (${service}, ${suffix})`,
          host,
          undefined,
          true,
          [madeUp],
        ],
      );
    }
  }
  rows.push(
    [
      'invented region, another one in extraRegions',
      `sts.${madeUp}.${own.dns}`,
      undefined,
      false,
      [NEW_REGION],
    ],
    ['new region in extraRegions', `sts.${NEW_REGION}.${own.dns}`, undefined, true, [NEW_REGION]],
    ['own region with extraRegions set', good, undefined, true, [NEW_REGION]],
  );
  for (const q of PARTITION_IDS.filter((x) => x !== p)) {
    // extraRegions never opens another partition's regions, known or invented.
    const rq = DATA[q].regions[0] as string;
    rows.push(
      [`${q} region in extraRegions`, `sts.${rq}.${own.dns}`, undefined, false, [rq]],
      [
        `${q}-shaped invented region in extraRegions`,
        `sts.${MADE_UP[q]}.${own.dns}`,
        undefined,
        false,
        [MADE_UP[q]],
      ],
    );
  }
  return rows;
}

describe.each(PARTITION_IDS)('partition %s', (p) => {
  const rows = rowsFor(p);

  it('has at least 40 hosts, accepted and rejected', () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
    expect(rows.some((r) => r[3])).toBe(true);
    expect(rows.filter((r) => !r[3]).length).toBeGreaterThanOrEqual(20);
  });

  it.each(rows)('%s: %s (region %s) → %s', (_label, host, region, allowed, extraRegions) => {
    const policy = { partition: p, region, extraRegions };
    expect(isStsHostAllowed(host, policy)).toBe(allowed);
    // The same answer with the regions as a set (how verifyToken passes them).
    expect(isStsHostAllowed(host, { ...policy, extraRegions: new Set(extraRegions) })).toBe(
      allowed,
    );
    const refusal = hostRefusal(host, policy);
    if (allowed) expect(refusal).toBeUndefined();
    else expect(refusal).toEqual(expect.any(String));
  });
});

describe('aws and aws-us-gov share amazonaws.com but not regions', () => {
  it.each([
    ['sts.us-gov-west-1.amazonaws.com', 'aws', false],
    ['sts.us-gov-west-1.amazonaws.com', 'aws-us-gov', true],
    ['sts.us-east-1.amazonaws.com', 'aws-us-gov', false],
    ['sts.us-east-1.amazonaws.com', 'aws', true],
    ['sts-fips.us-gov-east-1.api.aws', 'aws', false],
    // GovCloud's FIPS host is the plain one; no sts-fips host exists there.
    ['sts-fips.us-gov-east-1.api.aws', 'aws-us-gov', false],
    ['sts-fips.us-gov-east-1.amazonaws.com', 'aws-us-gov', false],
    ['sts.us-gov-east-1.api.aws', 'aws-us-gov', true],
    ['sts.amazonaws.com', 'aws-us-gov', false],
  ] as const)('%s for %s → %s', (host, partition, allowed) => {
    expect(isStsHostAllowed(host, { partition })).toBe(allowed);
  });
});

describe('verifyToken applies the policy before any network call', () => {
  let emulator: StsEmulator;
  const date = new Date('2024-01-15T12:34:56Z');
  beforeAll(async () => {
    emulator = await startStsEmulator({ now: () => date });
  });
  afterAll(async () => {
    await emulator.close();
  });

  const rows: [string, string, string, PartitionId, string | undefined, string][] = [
    ['aws regional', 'sts.us-west-2.amazonaws.com', 'us-west-2', 'aws', undefined, 'ok'],
    ['aws global', 'sts.amazonaws.com', 'us-east-1', 'aws', undefined, 'ok'],
    ['aws fips dual-stack', 'sts-fips.us-east-1.api.aws', 'us-east-1', 'aws', undefined, 'ok'],
    [
      'GovCloud host for an aws verifier',
      'sts.us-gov-west-1.amazonaws.com',
      'us-gov-west-1',
      'aws',
      undefined,
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
    [
      'aws host for a GovCloud verifier',
      'sts.us-east-1.amazonaws.com',
      'us-east-1',
      'aws-us-gov',
      undefined,
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
    [
      'global host for an aws-cn verifier',
      'sts.amazonaws.com',
      'us-east-1',
      'aws-cn',
      undefined,
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
    [
      'not-a-region',
      'sts.not-a-region.amazonaws.com',
      'not-a-region',
      'aws',
      undefined,
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
    [
      'aws region on the aws-cn suffix',
      'sts.us-east-1.amazonaws.com.cn',
      'us-east-1',
      'aws',
      undefined,
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
    [
      'aws-cn host for an aws verifier',
      'sts.cn-north-1.amazonaws.com.cn',
      'cn-north-1',
      'aws',
      undefined,
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
    [
      'new region without options.region',
      `sts.${NEW_REGION}.amazonaws.com`,
      NEW_REGION,
      'aws',
      undefined,
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
    [
      'new region = options.region',
      `sts.${NEW_REGION}.amazonaws.com`,
      NEW_REGION,
      'aws',
      NEW_REGION,
      'ok',
    ],
    [
      'invented region shaped like aws (the audit: no credentials needed)',
      'sts.us-madeup-9.amazonaws.com',
      'us-madeup-9',
      'aws',
      undefined,
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
    [
      'invented region = options.region',
      'sts.us-madeup-9.amazonaws.com',
      'us-madeup-9',
      'aws',
      'us-madeup-9',
      'ok',
    ],
    [
      'new region = options.region, but signed for another region',
      `sts.${NEW_REGION}.amazonaws.com`,
      'us-east-1',
      'aws',
      NEW_REGION,
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
  ];
  it.each(rows)('%s', async (_label, host, signingRegion, partition, region, outcome) => {
    const calls: string[] = [];
    const fetch = ((url: string, init: RequestInit) => {
      calls.push(url);
      return emulator.fetch(url, init);
    }) as typeof globalThis.fetch;
    const token = referenceToken({
      ...emulator.credentialsFor('iam-user'),
      host,
      region: signingRegion,
      clusterId: 'c',
      date,
    });
    const result = await verifyToken(token, {
      clusterId: 'c',
      partition,
      currentDate: date,
      fetch,
      ...(region === undefined ? {} : { region }),
    }).then(
      () => 'ok',
      (e: { code?: string }) => e.code,
    );
    expect(result).toBe(outcome);
    expect(calls).toHaveLength(outcome === 'ok' ? 1 : 0);
  });

  it.each<[string, string[], string]>([
    ['listed', ['us-madeup-9'], 'ok'],
    ['listed among others', ['zz-newregion-1', 'us-madeup-9'], 'ok'],
    ['not listed', ['us-madeup-8'], 'ERR_TOKEN_HOST_NOT_ALLOWED'],
    ['empty list', [], 'ERR_TOKEN_HOST_NOT_ALLOWED'],
  ])('extraRegions: invented region %s', async (_label, extraRegions, outcome) => {
    let calls = 0;
    const fetch = ((url: string, init: RequestInit) => {
      calls++;
      return emulator.fetch(url, init);
    }) as typeof globalThis.fetch;
    const token = referenceToken({
      ...emulator.credentialsFor('iam-user'),
      host: 'sts.us-madeup-9.amazonaws.com',
      region: 'us-madeup-9',
      clusterId: 'c',
      date,
    });
    const result = await verifyToken(token, {
      clusterId: 'c',
      currentDate: date,
      fetch,
      extraRegions,
    }).then(
      () => 'ok',
      (e: { code?: string }) => e.code,
    );
    expect(result).toBe(outcome);
    expect(calls).toBe(outcome === 'ok' ? 1 : 0);
  });

  it.each<[string, unknown]>([
    ['a string', 'us-madeup-9'],
    ['a set', new Set(['us-madeup-9'])],
    ['an entry that is no region name', ['us-madeup-9', 'US_EAST']],
    ['an entry that is not a string', [42]],
  ])('extraRegions as %s → TypeError', async (_label, extraRegions) => {
    await expect(
      verifyToken('k8s-aws-v1.x', {
        clusterId: 'c',
        extraRegions: extraRegions as string[],
      }),
    ).rejects.toThrow(/options.extraRegions/);
  });

  it('a host outside every partition never reaches fetch either', async () => {
    let called = false;
    const fetch = (() => {
      called = true;
      return Promise.reject(new Error('unreachable'));
    }) as typeof globalThis.fetch;
    const token = referenceToken({
      ...emulator.credentialsFor('iam-user'),
      host: 'sts.us-east-1.evil.example',
      region: 'us-east-1',
      clusterId: 'c',
      date,
    });
    const code = await verifyToken(token, { clusterId: 'c', currentDate: date, fetch }).then(
      () => 'ok',
      (e: { code?: string }) => e.code,
    );
    // parseToken does not judge hosts; the host policy refuses it, before any call.
    expect(code).toBe('ERR_TOKEN_HOST_NOT_ALLOWED');
    expect(called).toBe(false);
  });
});
