/**
 * createVerifier's cache against the STS emulator (SPEC 3.6): one STS
 * request per canonical URL, respellings share an entry, nothing served past
 * the token's expiry, only definitive rejections cached and only for
 * `negativeTtl`, transient failures never cached, LRU eviction.
 */
import { describe, expect, it } from 'vitest';
import { StsRejectedError } from '../../src/errors.js';
import { TOKEN_PREFIX } from '../../src/token/constants.js';
import type { VerifierOptions } from '../../src/verifier/create.js';
import type { FaultKind } from '../support/sts-emulator.js';
import { tokenFromUrl } from '../support/vectors.js';
import {
  EXPIRES_AT,
  NOW,
  REGION,
  SIGNED_AT,
  countingFetch,
  tokenFor,
  useEmulator,
  verifierWith,
  codeOf,
} from './support.js';

const context = useEmulator();

/** The decoded URL of a token. */
function urlOf(t: string): string {
  return Buffer.from(t.slice(TOKEN_PREFIX.length), 'base64url').toString('latin1');
}

/**
 * Spellings of one signed URL that STS (which canonicalizes the query
 * before checking the signature) and parseToken all accept.
 */
const RESPELLINGS: [string, (url: string) => string][] = [
  [
    'parameters in reverse order',
    (url) => {
      const [head, query] = url.split('?') as [string, string];
      return `${head}?${query.split('&').reverse().join('&')}`;
    },
  ],
  ['lower-case hex escapes', (url) => url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
  [
    'percent-encoded ordinary characters',
    (url) => url.replace('Action=GetCaller', 'Action=%47etCaller'),
  ],
  [
    'percent-encoded unreserved characters in the credential',
    (url) =>
      url.replace(
        /X-Amz-Credential=([A-Z])/,
        (_, c: string) => `X-Amz-Credential=%${c.charCodeAt(0).toString(16)}`,
      ),
  ],
  [
    'all of the above',
    (url) => {
      const [head, query] = url.split('?') as [string, string];
      const reordered = `${head}?${query.split('&').reverse().join('&')}`;
      return reordered
        .replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())
        .replace('Action=GetCaller', 'Action=%47etCaller');
    },
  ],
];

describe('createVerifier: cache', () => {
  it('answers a repeated token from the cache: one STS request', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    const verifier = verifierWith(fetch);
    const first = await verifier.verify(context.token);
    const second = await verifier.verify(context.token);
    expect(second).toEqual(first);
    expect(first).toMatchObject({
      arn: 'arn:aws:iam::123456789012:user/Alice',
      stsHost: `sts.${REGION}.amazonaws.com`,
    });
    expect(fetch.count).toBe(1);
    expect(verifier.stats()).toEqual({
      hits: 1,
      misses: 1,
      coalesced: 0,
      stsRequests: 1,
      entries: 1,
    });
  });

  it('hands every caller its own copy (mutating one never reaches the cache)', async () => {
    const verifier = verifierWith(context.emulator.fetch);
    const first = await verifier.verify(context.token);
    first.arn = 'arn:aws:iam::123456789012:role/Admin';
    first.expiresAt.setTime(Date.parse('2099-01-01T00:00:00Z'));
    const second = await verifier.verify(context.token);
    expect(second.arn).toBe('arn:aws:iam::123456789012:user/Alice');
    expect(second.expiresAt).toEqual(EXPIRES_AT);
  });

  it.each(RESPELLINGS)(
    'respelling (%s) shares the entry: 1 entry, 1 STS request',
    async (_, respell) => {
      const respelled = tokenFromUrl(respell(urlOf(context.token)));
      expect(respelled).not.toBe(context.token);
      const fetch = countingFetch(context.emulator.fetch);
      const verifier = verifierWith(fetch);
      const identities = [await verifier.verify(context.token), await verifier.verify(respelled)];
      expect(identities[1]).toEqual(identities[0]);
      expect(fetch.count).toBe(1);
      expect(verifier.stats()).toMatchObject({ entries: 1, hits: 1, stsRequests: 1 });
    },
  );

  it('every respelling at once: 1 entry, 1 STS request, and STS accepts the respelled URL', async () => {
    const spellings = [
      context.token,
      ...RESPELLINGS.map(([, respell]) => tokenFromUrl(respell(urlOf(context.token)))),
    ];
    expect(new Set(spellings).size).toBe(RESPELLINGS.length + 1);
    const fetch = countingFetch(context.emulator.fetch);
    const verifier = verifierWith(fetch);
    // The last spelling goes first: its canonical URL is what reaches STS.
    for (const spelling of spellings.reverse()) await verifier.verify(spelling);
    expect(fetch.count).toBe(1);
    expect(verifier.stats()).toMatchObject({ entries: 1, hits: spellings.length - 1 });
  });

  it('another cluster id is another key (and STS judges it)', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    const ours = verifierWith(fetch);
    const theirs = verifierWith(fetch, { clusterId: 'other-cluster' });
    await ours.verify(context.token);
    await expect(codeOf(theirs.verify(context.token))).resolves.toBe('ERR_STS_REJECTED');
    expect(fetch.count).toBe(2);
  });

  describe('never past the token expiry (fixed clocks)', () => {
    const cases: [string, Date, string | undefined][] = [
      ['at expiresAt: still served', EXPIRES_AT, undefined],
      ['1 ms after expiresAt: refused', new Date(EXPIRES_AT.getTime() + 1), 'ERR_TOKEN_EXPIRED'],
      [
        '1 ms past clockTolerance before signing: refused',
        new Date(SIGNED_AT.getTime() - 300_001),
        'ERR_TOKEN_NOT_YET_VALID',
      ],
    ];
    it.each(cases)('%s', async (_, currentDate, code) => {
      const fetch = countingFetch(context.emulator.fetch);
      // A TTL far beyond the token's life: only the expiry can end the entry.
      const verifier = verifierWith(fetch, { cache: { ttl: 86_400 } });
      await verifier.verify(context.token);
      await expect(codeOf(verifier.verify(context.token, { currentDate }))).resolves.toBe(code);
      expect(fetch.count).toBe(1);
      expect(verifier.stats().hits).toBe(code === undefined ? 1 : 0);
    });
  });

  it('serves a positive entry for ttl seconds, then asks STS again', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    const verifier = verifierWith(fetch, { cache: { ttl: 30 } });
    await verifier.verify(context.token);
    await verifier.verify(context.token, { currentDate: new Date(NOW.getTime() + 30_000) });
    expect(fetch.count).toBe(1);
    await verifier.verify(context.token, { currentDate: new Date(NOW.getTime() + 30_001) });
    expect(fetch.count).toBe(2);
  });

  it('caches a definitive rejection for negativeTtl only', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    // Signed for another cluster: STS answers 403 SignatureDoesNotMatch.
    const foreign = await tokenFor(context.emulator, { clusterId: 'other-cluster' });
    const verifier = verifierWith(fetch, { cache: { negativeTtl: 10 } });
    const first = await verifier.verify(foreign).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(StsRejectedError);
    expect((first as StsRejectedError).awsCode).toBe('SignatureDoesNotMatch');
    const cached = await verifier
      .verify(foreign, { currentDate: new Date(NOW.getTime() + 10_000) })
      .catch((e: unknown) => e);
    expect(cached).toBeInstanceOf(StsRejectedError);
    expect(cached).not.toBe(first);
    expect(cached).toMatchObject({
      code: 'ERR_STS_REJECTED',
      awsCode: 'SignatureDoesNotMatch',
      status: 403,
    });
    expect(fetch.count).toBe(1);
    await expect(
      codeOf(verifier.verify(foreign, { currentDate: new Date(NOW.getTime() + 10_001) })),
    ).resolves.toBe('ERR_STS_REJECTED');
    expect(fetch.count).toBe(2);
  });

  it('negativeTtl 0 caches no rejection', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    const foreign = await tokenFor(context.emulator, { clusterId: 'other-cluster' });
    const verifier = verifierWith(fetch, { cache: { negativeTtl: 0 } });
    await expect(codeOf(verifier.verify(foreign))).resolves.toBe('ERR_STS_REJECTED');
    await expect(codeOf(verifier.verify(foreign))).resolves.toBe('ERR_STS_REJECTED');
    expect(fetch.count).toBe(2);
  });

  // Transient or STS-side failures: the next call must ask STS again.
  const NEVER_CACHED: [FaultKind, string, Partial<VerifierOptions>][] = [
    ['status-500', 'ERR_STS_UNAVAILABLE', {}],
    ['status-503', 'ERR_STS_UNAVAILABLE', {}],
    ['reset', 'ERR_STS_UNAVAILABLE', {}],
    ['delay', 'ERR_STS_UNAVAILABLE', { timeout: 50 }],
    ['redirect', 'ERR_STS_UNAVAILABLE', {}],
    ['throttle', 'ERR_STS_THROTTLED', {}],
    ['throttle-429', 'ERR_STS_THROTTLED', {}],
    ['request-limit-exceeded', 'ERR_STS_THROTTLED', {}],
    ['malformed-json', 'ERR_STS_RESPONSE_INVALID', {}],
    ['account-mismatch', 'ERR_STS_RESPONSE_INVALID', {}],
  ];
  it.each(NEVER_CACHED)('%s (%s) is never cached', async (fault, code, options) => {
    let faulty = true;
    const fetch = countingFetch((input, init) =>
      faulty
        ? context.emulator.fetchWith({
            fault: fault === 'delay' ? { kind: 'delay', delayMs: 5_000 } : fault,
          })(input, init)
        : context.emulator.fetch(input, init),
    );
    const verifier = verifierWith(fetch, options);
    await expect(codeOf(verifier.verify(context.token))).resolves.toBe(code);
    expect(verifier.stats().entries).toBe(0);
    faulty = false;
    // After a throttling answer the host is backed off for 1 s: look later.
    const later = new Date(NOW.getTime() + 1_000);
    await expect(verifier.verify(context.token, { currentDate: later })).resolves.toMatchObject({
      arn: 'arn:aws:iam::123456789012:user/Alice',
    });
    expect(fetch.count).toBe(2);
    expect(verifier.stats()).toMatchObject({ entries: 1, hits: 0, stsRequests: 2 });
  });

  it('never caches structural, host or clock failures (they are checked on every call)', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    const verifier = verifierWith(fetch);
    const bad: [string, Promise<unknown>][] = [
      ['ERR_TOKEN_MALFORMED', verifier.verify('k8s-aws-v1.not-base64!')],
      [
        'ERR_TOKEN_EXPIRED',
        verifier.verify(context.token, { currentDate: new Date(EXPIRES_AT.getTime() + 1) }),
      ],
    ];
    for (const [code, promise] of bad) await expect(codeOf(promise)).resolves.toBe(code);
    expect(verifier.stats()).toEqual({
      hits: 0,
      misses: 0,
      coalesced: 0,
      stsRequests: 0,
      entries: 0,
    });
    expect(fetch.count).toBe(0);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    const verifier = verifierWith(fetch, { cache: { maxEntries: 2 } });
    const tokens = await Promise.all(
      [0, 1, 2].map((s) =>
        tokenFor(context.emulator, { signingDate: new Date(SIGNED_AT.getTime() + s * 1000) }),
      ),
    );
    const [a, b, c] = tokens as [string, string, string];
    await verifier.verify(a);
    await verifier.verify(b);
    await verifier.verify(a); // a is now the most recently used
    await verifier.verify(c); // evicts b
    expect(verifier.stats()).toMatchObject({ entries: 2, hits: 1, stsRequests: 3 });
    await verifier.verify(a);
    expect(fetch.count).toBe(3);
    await verifier.verify(b);
    expect(fetch.count).toBe(4);
    expect(verifier.stats().entries).toBe(2);
  });

  it('cache: false still verifies, every call asks STS', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    const verifier = verifierWith(fetch, { cache: false });
    await verifier.verify(context.token);
    await verifier.verify(context.token);
    expect(fetch.count).toBe(2);
    expect(verifier.stats().entries).toBe(0);
  });

  it('clear() drops every entry', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    const verifier = verifierWith(fetch);
    await verifier.verify(context.token);
    verifier.clear();
    expect(verifier.stats().entries).toBe(0);
    await verifier.verify(context.token);
    expect(fetch.count).toBe(2);
  });

  it('clear() during a request: the answer reaches its callers but is not cached', async () => {
    let clearNow = (): void => {};
    const verifier = verifierWith((input, init) => {
      clearNow(); // the request is on its way to STS
      return context.emulator.fetch(input, init);
    });
    clearNow = () => verifier.clear();
    await expect(verifier.verify(context.token)).resolves.toMatchObject({
      accountId: '123456789012',
    });
    expect(verifier.stats()).toMatchObject({ entries: 0, stsRequests: 1 });
  });
});
