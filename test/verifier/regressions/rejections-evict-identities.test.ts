/**
 * Regression (security audit): rejected tokens evicted cached identities.
 * Definitive rejections shared the identities' LRU, so anyone could send
 * bad tokens (a token signed for another cluster is free to make) until
 * every cached identity was gone, and every legitimate call went back to
 * STS. Rejections now have their own, smaller LRU (SPEC 3.6).
 */
import { describe, expect, it } from 'vitest';
import {
  SIGNED_AT,
  codeOf,
  countingFetch,
  tokenFor,
  useEmulator,
  verifierWith,
} from '../support.js';

const context = useEmulator();

describe('regression: rejected tokens never evict cached identities', () => {
  it('2 cached identities, then 50 rejected tokens: both identities still answer from the cache', async () => {
    const { emulator } = context;
    const fetch = countingFetch(emulator.fetch);
    const verifier = verifierWith(fetch, { cache: { maxEntries: 2 } });
    const good = await Promise.all(
      [0, 1].map((s) =>
        tokenFor(emulator, { signingDate: new Date(SIGNED_AT.getTime() + s * 1000) }),
      ),
    );
    for (const token of good) await verifier.verify(token);
    // Signed for another cluster: STS answers 403 SignatureDoesNotMatch.
    for (let i = 0; i < 50; i++) {
      const rejected = await tokenFor(emulator, {
        clusterId: 'other-cluster',
        signingDate: new Date(SIGNED_AT.getTime() + 10_000 + i * 1000),
      });
      await expect(codeOf(verifier.verify(rejected))).resolves.toBe('ERR_STS_REJECTED');
    }
    expect(fetch.count).toBe(52);
    for (const token of good) {
      await expect(verifier.verify(token)).resolves.toMatchObject({ accountId: '123456789012' });
    }
    expect(fetch.count).toBe(52);
  });
});
