/**
 * The per-STS-host backoff after throttling (SPEC 3.6), on fixed clocks:
 * no request to a throttling host inside the window (1 s, doubling to 30 s
 * while the probes after each window are throttled too), reset by a success,
 * the cache still answering, other hosts unaffected.
 */
import { describe, expect, it } from 'vitest';
import { StsThrottledError } from '../../src/errors.js';
import { createVerifier } from '../../src/verifier/create.js';
import type { FaultKind } from '../support/sts-emulator.js';
import { distinctTokens } from './fake-sts.js';
import {
  CLUSTER,
  NOW,
  REGION,
  SIGNED_AT,
  countingFetch,
  tokenFor,
  useEmulator,
} from './support.js';

const context = useEmulator();

/** A verifier whose STS throttles while `throttling.on` is true (else answers `throttling.otherwise`). */
function throttlingVerifier(): {
  verifier: ReturnType<typeof createVerifier>;
  fetch: ReturnType<typeof countingFetch>;
  throttling: { on: boolean; otherwise?: FaultKind };
} {
  const throttling: { on: boolean; otherwise?: FaultKind } = { on: true };
  const fetch = countingFetch((input, init) => {
    const fault = throttling.on ? 'throttle' : throttling.otherwise;
    return (fault === undefined ? context.emulator.fetch : context.emulator.fetchWith({ fault }))(
      input,
      init,
    );
  });
  const verifier = createVerifier({ clusterId: CLUSTER, region: REGION, retries: 0, fetch });
  return { verifier, fetch, throttling };
}

const at = (ms: number): { currentDate: Date } => ({ currentDate: new Date(NOW.getTime() + ms) });

async function errorOf(promise: Promise<unknown>): Promise<StsThrottledError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StsThrottledError);
  return error as StsThrottledError;
}

describe('createVerifier: backoff after throttling', () => {
  it('refuses inside the window without asking STS, then probes', async () => {
    const { verifier, fetch } = throttlingVerifier();
    const first = await errorOf(verifier.verify(context.token, at(0)));
    expect(first).toMatchObject({ status: 400, awsCode: 'Throttling', retryAt: undefined });
    expect(verifier.stats().throttledUntil).toEqual(at(1_000).currentDate);

    const refused = await errorOf(verifier.verify(context.token, at(999)));
    expect(refused).toMatchObject({
      code: 'ERR_STS_THROTTLED',
      status: 400,
      awsCode: 'Throttling',
    });
    expect(refused.retryAt).toEqual(at(1_000).currentDate);
    expect(fetch.count).toBe(1);

    // The window is over: one probe goes out.
    await errorOf(verifier.verify(context.token, at(1_000)));
    expect(fetch.count).toBe(2);
  });

  it('doubles the window while the probes are throttled, up to 30 s', async () => {
    const { verifier, fetch } = throttlingVerifier();
    let now = 0;
    const windows: number[] = [];
    for (let probe = 0; probe < 8; probe++) {
      await errorOf(verifier.verify(context.token, at(now)));
      const until = (verifier.stats().throttledUntil as Date).getTime() - NOW.getTime();
      windows.push(until - now);
      // Refused 1 ms before the window ends, probed when it ends.
      await errorOf(verifier.verify(context.token, at(until - 1)));
      now = until;
    }
    expect(windows).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(fetch.count).toBe(8);
  });

  it('a success resets the window to 1 s', async () => {
    const { verifier, throttling } = throttlingVerifier();
    await errorOf(verifier.verify(context.token, at(0)));
    await errorOf(verifier.verify(context.token, at(1_000))); // window now 2 s
    throttling.on = false;
    await verifier.verify(context.token, at(3_000));
    expect(verifier.stats().throttledUntil).toBeUndefined();
    throttling.on = true;
    const other = await tokenFor(context.emulator, {
      signingDate: new Date(SIGNED_AT.getTime() + 1_000),
    });
    await errorOf(verifier.verify(other, at(4_000)));
    expect(verifier.stats().throttledUntil).toEqual(at(5_000).currentDate);
  });

  const AFTER_WINDOW: [string, FaultKind, string, number][] = [
    // STS judged the token: it is answering again.
    ['a rejection (403) resets it', 'forbidden-html', 'ERR_STS_REJECTED', 1_000],
    // An outage says nothing about throttling: the next window keeps doubling.
    ['a 5xx does not', 'status-503', 'ERR_STS_UNAVAILABLE', 4_000],
  ];
  it.each(AFTER_WINDOW)('%s', async (_, fault, code, nextWindow) => {
    const { verifier, throttling } = throttlingVerifier();
    await errorOf(verifier.verify(context.token, at(0)));
    await errorOf(verifier.verify(context.token, at(1_000))); // window now 2 s, next 4 s
    throttling.on = false;
    throttling.otherwise = fault;
    await expect(verifier.verify(context.token, at(3_000))).rejects.toMatchObject({ code });
    throttling.on = true;
    // Another token (the rejection is cached for this one): throttled again.
    const [other] = distinctTokens(context.token, 1) as [string];
    await errorOf(verifier.verify(other, at(3_000)));
    expect(verifier.stats().throttledUntil).toEqual(at(3_000 + nextWindow).currentDate);
  });

  it('throttled answers to requests sent before the window opened do not lengthen it', async () => {
    const { verifier, fetch } = throttlingVerifier();
    const tokens = await Promise.all(
      [0, 1, 2, 3].map((s) =>
        tokenFor(context.emulator, { signingDate: new Date(SIGNED_AT.getTime() + s * 1000) }),
      ),
    );
    await Promise.all(tokens.map((t) => errorOf(verifier.verify(t, at(0)))));
    expect(fetch.count).toBe(4);
    expect(verifier.stats().throttledUntil).toEqual(at(1_000).currentDate);
  });

  it('the cache still answers inside the window', async () => {
    const { verifier, fetch, throttling } = throttlingVerifier();
    throttling.on = false;
    await verifier.verify(context.token, at(0));
    throttling.on = true;
    const other = await tokenFor(context.emulator, {
      signingDate: new Date(SIGNED_AT.getTime() + 1_000),
    });
    await errorOf(verifier.verify(other, at(10)));
    await expect(verifier.verify(context.token, at(20))).resolves.toMatchObject({
      arn: 'arn:aws:iam::123456789012:user/Alice',
    });
    expect(fetch.count).toBe(2);
    expect(verifier.stats().hits).toBe(1);
  });

  it('only the throttling host is backed off', async () => {
    const { verifier, fetch, throttling } = throttlingVerifier();
    await errorOf(verifier.verify(context.token, at(0)));
    throttling.on = false;
    const elsewhere = await tokenFor(context.emulator, { region: 'us-east-2' });
    await expect(verifier.verify(elsewhere, at(10))).resolves.toMatchObject({
      stsHost: 'sts.us-east-2.amazonaws.com',
    });
    await errorOf(verifier.verify(context.token, at(20)));
    expect(fetch.count).toBe(2);
  });
});
