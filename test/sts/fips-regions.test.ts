/**
 * FIPS hosts only where STS has them (SPEC 3.4 step 2). The SDK's endpoint
 * rules spell `sts-fips.<region>` for any region, but botocore's
 * `endpoints.json`, which lists the endpoints that exist, gives STS a FIPS
 * host in four regions of `aws` only, and in aws-us-gov names the plain
 * `sts.<region>` host as the FIPS one. A token for any other `sts-fips` host
 * needs no real credentials and would cost the verifier fetch attempts
 * against a name that does not resolve, so it is refused before any network
 * call unless the server names the region (`region`, `extraRegions`).
 *
 * The expected data is botocore's own (`test/fixtures/sts-fips/`), not
 * src/'s table.
 */
import { describe, expect, it } from 'vitest';
import { hostRefusal, isStsHostAllowed } from '../../src/sts/host-policy.js';
import { PARTITIONS } from '../../src/partitions.js';
import type { PartitionId } from '../../src/partitions.js';
import { STS_FIPS_REGIONS, STS_REGIONS } from '../../src/sts/regions.js';
import { verifyToken } from '../../src/token/verify.js';
import { createVerifier } from '../../src/verifier/create.js';
import {
  botocoreStsFipsHosts,
  botocoreStsFipsRegions,
  loadBotocoreStsEndpoints,
} from '../support/botocore-sts-endpoints.js';
import { referenceToken } from '../support/sigv4-reference.js';

const FIPS_HOSTS = botocoreStsFipsHosts();
const FIPS_REGIONS = new Set(botocoreStsFipsRegions());

describe('the fixture is botocore endpoints.json', () => {
  it('has every partition, each with its sts entry', () => {
    const partitions = loadBotocoreStsEndpoints();
    expect(partitions.map((p) => p.partition).sort()).toEqual(PARTITIONS.map((p) => p.id).sort());
    for (const p of partitions) expect(p.sts).toBeDefined();
  });

  it('names sts-fips hosts in us-east-1, us-east-2, us-west-1, us-west-2 of aws, no others', () => {
    expect(
      FIPS_HOSTS.filter((h) => h.host.startsWith('sts-fips.'))
        .map((h) => `${h.partition} ${h.host}`)
        .sort(),
    ).toEqual([
      'aws sts-fips.us-east-1.amazonaws.com',
      'aws sts-fips.us-east-2.amazonaws.com',
      'aws sts-fips.us-west-1.amazonaws.com',
      'aws sts-fips.us-west-2.amazonaws.com',
    ]);
  });

  it('names the plain host as the FIPS one in aws-us-gov', () => {
    expect(
      FIPS_HOSTS.filter((h) => h.partition === 'aws-us-gov')
        .map((h) => h.host)
        .sort(),
    ).toEqual(['sts.us-gov-east-1.amazonaws.com', 'sts.us-gov-west-1.amazonaws.com']);
  });
});

describe('STS_FIPS_REGIONS', () => {
  it('is the fixture’s sts-fips regions', () => {
    expect([...STS_FIPS_REGIONS].sort()).toEqual([...FIPS_REGIONS].sort());
  });

  it('holds regions of aws only', () => {
    for (const region of STS_FIPS_REGIONS) expect(STS_REGIONS.aws).toContain(region);
  });
});

describe('the host policy', () => {
  it.each(FIPS_HOSTS.map((h) => [h.host, h.partition] as const))(
    'accepts %s, a FIPS host botocore names, for %s with no region named',
    (host, partition) => {
      expect(hostRefusal(host, { partition })).toBeUndefined();
    },
  );

  const dnsOf = (id: string) => {
    const p = PARTITIONS.find((x) => x.id === id);
    if (p === undefined) throw new Error(id);
    return [p.dnsSuffix, p.dualStackDnsSuffix];
  };
  const WITHOUT_FIPS = (Object.entries(STS_REGIONS) as [PartitionId, readonly string[]][])
    .flatMap(([partition, regions]) => regions.map((region) => [region, partition] as const))
    .filter(([region]) => !FIPS_REGIONS.has(region));

  it('leaves at least 40 known regions without an sts-fips host', () => {
    expect(WITHOUT_FIPS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(WITHOUT_FIPS)(
    'refuses sts-fips.%s (%s) on both suffixes unless the server names the region',
    (region, partition) => {
      for (const suffix of dnsOf(partition)) {
        const host = `sts-fips.${region}.${suffix}`;
        expect(hostRefusal(host, { partition })).toMatch(/no FIPS endpoint in region/);
        expect(isStsHostAllowed(host, { partition, region })).toBe(true);
        expect(isStsHostAllowed(host, { partition, extraRegions: [region] })).toBe(true);
        expect(isStsHostAllowed(host, { partition, extraRegions: new Set([region]) })).toBe(true);
        expect(isStsHostAllowed(host, { partition, region: 'zz-other-1' })).toBe(false);
        // The plain host of the same region stays open.
        expect(isStsHostAllowed(`sts.${region}.${suffix}`, { partition })).toBe(true);
      }
    },
  );

  it.each([...FIPS_REGIONS])('accepts sts-fips.%s on both aws suffixes', (region) => {
    expect(isStsHostAllowed(`sts-fips.${region}.amazonaws.com`, { partition: 'aws' })).toBe(true);
    expect(isStsHostAllowed(`sts-fips.${region}.api.aws`, { partition: 'aws' })).toBe(true);
  });

  it('names a region of another partition never, FIPS or not', () => {
    const host = 'sts-fips.us-gov-west-1.amazonaws.com';
    expect(isStsHostAllowed(host, { partition: 'aws', region: 'us-gov-west-1' })).toBe(false);
    expect(isStsHostAllowed(host, { partition: 'aws-us-gov' })).toBe(false);
    expect(isStsHostAllowed(host, { partition: 'aws-us-gov', region: 'us-gov-west-1' })).toBe(true);
  });
});

// A token anyone can make: a key nobody issued, for a FIPS host STS lacks.
const DATE = new Date('2024-01-15T12:34:56Z');
const INVENTED = {
  accessKeyId: 'AKIAINVENTEDKEY00001',
  secretAccessKey: 'invented/secret/key/nobody/issued/000000',
};
const FORGED = referenceToken({
  ...INVENTED,
  host: 'sts-fips.eu-west-1.amazonaws.com',
  region: 'eu-west-1',
  clusterId: 'c',
  date: DATE,
});

describe('regression: sts-fips.eu-west-1 with an invented key never reaches fetch', () => {
  const counting = () => {
    const urls: string[] = [];
    const fetch = ((url: string) => {
      urls.push(url);
      return Promise.reject(new Error('no network in this test'));
    }) as unknown as typeof globalThis.fetch;
    return { urls, fetch };
  };

  it('verifyToken refuses it as ERR_TOKEN_HOST_NOT_ALLOWED', async () => {
    const { urls, fetch } = counting();
    await expect(
      verifyToken(FORGED, { clusterId: 'c', currentDate: DATE, fetch, retries: 2 }),
    ).rejects.toMatchObject({
      code: 'ERR_TOKEN_HOST_NOT_ALLOWED',
      message: expect.stringMatching(/FIPS/),
    });
    expect(urls).toEqual([]);
  });

  it('createVerifier refuses a thousand of them without one fetch', async () => {
    const { urls, fetch } = counting();
    const verifier = createVerifier({ clusterId: 'c', currentDate: DATE, fetch, retries: 2 });
    const outcomes = await Promise.all(
      Array.from({ length: 1000 }, () =>
        verifier.verify(FORGED).then(
          () => 'ok',
          (e: { code?: string }) => e.code,
        ),
      ),
    );
    expect(new Set(outcomes)).toEqual(new Set(['ERR_TOKEN_HOST_NOT_ALLOWED']));
    expect(urls).toEqual([]);
  });

  it('a server in eu-west-1 that names its region sends it on', async () => {
    const { urls, fetch } = counting();
    await expect(
      verifyToken(FORGED, {
        clusterId: 'c',
        region: 'eu-west-1',
        currentDate: DATE,
        fetch,
        retries: 0,
      }),
    ).rejects.toMatchObject({ code: expect.not.stringMatching(/HOST_NOT_ALLOWED/) });
    expect(urls).toHaveLength(1);
    expect(urls[0]).toMatch(/^https:\/\/sts-fips\.eu-west-1\.amazonaws\.com\//);
  });
});
