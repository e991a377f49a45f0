/**
 * Retries against the emulator: network errors and 5xx are retried, nothing
 * else is; retries never outlive `timeout`; the caller's signal stops
 * everything.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateToken } from '../../src/token/generate.js';
import { verifyToken } from '../../src/token/verify.js';
import type { VerifyTokenOptions } from '../../src/token/verify.js';
import { startStsEmulator } from '../support/sts-emulator.js';
import type { FaultKind, FaultSpec, StsEmulator } from '../support/sts-emulator.js';

const DATE = new Date('2024-01-15T12:34:56Z');
let emulator: StsEmulator;
let token: string;

beforeAll(async () => {
  emulator = await startStsEmulator({ now: () => DATE });
  token = (
    await generateToken({
      clusterId: 'demo',
      credentials: emulator.credentialsFor('assumed-role'),
      region: 'us-west-2',
      signingDate: DATE,
    })
  ).token;
});
afterEach(() => {
  emulator.clearFaults();
});
afterAll(async () => {
  await emulator.close();
});

async function run(
  options: Partial<VerifyTokenOptions> = {},
): Promise<{ outcome: string; requests: number }> {
  const before = emulator.requests.length;
  const outcome = await verifyToken(token, {
    clusterId: 'demo',
    currentDate: DATE,
    fetch: emulator.fetch,
    ...options,
  }).then(
    (identity) => (identity.sessionName === 'my-role-session-name' ? 'ok' : 'wrong identity'),
    (e: { code?: string }) => e.code ?? String(e),
  );
  return { outcome, requests: emulator.requests.length - before };
}

// [name, queued faults, retries, outcome, STS requests]
const ROWS: [string, [FaultKind | FaultSpec, number][], number | undefined, string, number][] = [
  ['no fault', [], undefined, 'ok', 1],
  ['503 then success', [['status-503', 1]], undefined, 'ok', 2],
  [
    '500, 503 then success',
    [
      ['status-500', 1],
      ['status-503', 1],
    ],
    undefined,
    'ok',
    3,
  ],
  ['502 HTML then success', [['status-502', 1]], undefined, 'ok', 2],
  ['connection reset then success', [['reset', 1]], undefined, 'ok', 2],
  ['reset mid-body then success', [['reset-mid-body', 1]], undefined, 'ok', 2],
  ['two resets then success', [['reset', 2]], undefined, 'ok', 3],
  ['three 503 with retries 2', [['status-503', 3]], undefined, 'ERR_STS_UNAVAILABLE', 3],
  ['one 503 with retries 0', [['status-503', 1]], 0, 'ERR_STS_UNAVAILABLE', 1],
  ['three 503 with retries 3', [['status-503', 3]], 3, 'ok', 4],
  ['throttling is not retried', [['throttle', 1]], undefined, 'ERR_STS_THROTTLED', 1],
  ['429 is not retried', [['throttle-429', 1]], undefined, 'ERR_STS_THROTTLED', 1],
  ['403 is not retried', [['forbidden-html', 1]], undefined, 'ERR_STS_REJECTED', 1],
  [
    'a redirect is not retried (nor followed)',
    [['redirect', 1]],
    undefined,
    'ERR_STS_UNAVAILABLE',
    1,
  ],
  [
    'a bad 200 body is not retried',
    [['account-mismatch', 1]],
    undefined,
    'ERR_STS_RESPONSE_INVALID',
    1,
  ],
];

describe('what is retried', () => {
  it.each(ROWS)('%s', async (_name, faults, retries, outcome, requests) => {
    for (const [fault, times] of faults) emulator.setFault(fault, times);
    const result = await run(retries === undefined ? {} : { retries });
    expect(result).toEqual({ outcome, requests });
  });
});

describe('bounded by timeout', () => {
  it('always-503 with many retries stops within the timeout', async () => {
    const result = await run({
      fetch: emulator.fetchWith({ fault: 'status-503' }),
      retries: 1_000,
      timeout: 400,
    });
    expect(result.outcome).toBe('ERR_STS_UNAVAILABLE');
    expect(result.requests).toBeGreaterThan(1);
    expect(result.requests).toBeLessThan(20);
  });

  it('a hung STS is not retried after the deadline', async () => {
    const result = await run({
      fetch: emulator.fetchWith({ fault: { kind: 'delay', delayMs: 60_000 } }),
      timeout: 50,
      retries: 5,
    });
    expect(result).toEqual({ outcome: 'ERR_STS_UNAVAILABLE', requests: 1 });
  });

  it('the timeout error says so', async () => {
    await expect(
      verifyToken(token, {
        clusterId: 'demo',
        currentDate: DATE,
        fetch: emulator.fetchWith({ fault: { kind: 'delay', delayMs: 60_000 } }),
        timeout: 30,
      }),
    ).rejects.toMatchObject({
      code: 'ERR_STS_UNAVAILABLE',
      message: expect.stringMatching(/timed out after 30 ms/),
    });
  });
});

describe('abort signal', () => {
  it('aborting mid-call → ERR_STS_UNAVAILABLE', async () => {
    const controller = new AbortController();
    const fetch = ((input: string, init: RequestInit) => {
      // Abort once the request is on its way.
      queueMicrotask(() => controller.abort());
      return emulator.fetchWith({ fault: { kind: 'delay', delayMs: 60_000 } })(input, init);
    }) as typeof globalThis.fetch;
    const result = await verifyToken(token, {
      clusterId: 'demo',
      currentDate: DATE,
      fetch,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(result).toMatchObject({
      code: 'ERR_STS_UNAVAILABLE',
      message: expect.stringMatching(/aborted/),
    });
  });

  it('an already aborted signal → no STS request at all', async () => {
    const result = await run({ signal: AbortSignal.abort() });
    expect(result).toEqual({ outcome: 'ERR_STS_UNAVAILABLE', requests: 0 });
  });

  it('aborting during a retry backoff → no further request', async () => {
    const controller = new AbortController();
    let calls = 0;
    const fetch = (async (input: string, init: RequestInit) => {
      calls++;
      const response = await emulator.fetchWith({ fault: 'status-503' })(input, init);
      controller.abort();
      return response;
    }) as typeof globalThis.fetch;
    const result = await verifyToken(token, {
      clusterId: 'demo',
      currentDate: DATE,
      fetch,
      signal: controller.signal,
      retries: 5,
    }).catch((e: unknown) => e);
    expect(result).toMatchObject({ code: 'ERR_STS_UNAVAILABLE' });
    expect(calls).toBe(1);
  });
});
