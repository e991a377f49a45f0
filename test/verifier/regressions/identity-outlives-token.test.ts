/**
 * Regression (SPEC 3.6, "a cached identity never outlives its token by the
 * server's clock, whatever ttl says"): with a ttl far longer than the
 * token's 15 minutes and no `currentDate` injected, the verifier's own
 * clock (here a fake one) decides: the cached identity is served up to the
 * token's expiry and refused one millisecond later, without asking STS.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVerifier } from '../../../src/verifier/create.js';
import {
  CLUSTER,
  EXPIRES_AT,
  NOW,
  REGION,
  codeOf,
  countingFetch,
  useEmulator,
} from '../support.js';

const context = useEmulator();

beforeEach(() => {
  // Only the clock: the emulator's sockets keep their real timers.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('regression: a cached identity never outlives its token', () => {
  it.each([
    ['ttl of a day', 86_400],
    ['ttl of a year', 365 * 86_400],
  ])('%s: served until the expiry by the server clock, refused 1 ms after', async (_, ttl) => {
    const fetch = countingFetch(context.emulator.fetch);
    const verifier = createVerifier({
      clusterId: CLUSTER,
      region: REGION,
      retries: 0,
      fetch,
      cache: { ttl },
    });
    await verifier.verify(context.token);
    vi.setSystemTime(EXPIRES_AT);
    await expect(verifier.verify(context.token)).resolves.toMatchObject({
      expiresAt: EXPIRES_AT,
    });
    vi.setSystemTime(EXPIRES_AT.getTime() + 1);
    await expect(codeOf(verifier.verify(context.token))).resolves.toBe('ERR_TOKEN_EXPIRED');
    expect(fetch.count).toBe(1);
    expect(verifier.stats()).toMatchObject({ hits: 1, stsRequests: 1 });
  });
});
