/**
 * Verification events (SPEC 3.6): one per call, with the Go authenticator's
 * result labels (`pkg/metrics/metrics.go:12-17`) chosen as its server does
 * (`pkg/server/server.go:364-390`, `pkg/token/token.go:692-765`), given to
 * onEvent and published, the same object, on the diagnostics channel
 * `eks-iam-auth:verify`.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { createVerifier } from '../../src/verifier/create.js';
import type { Verifier, VerifierOptions, VerifyCallOptions } from '../../src/verifier/create.js';
import { VERIFY_CHANNEL, loadVerifyChannel, resultOf } from '../../src/verifier/events.js';
import type { VerifyEvent } from '../../src/verifier/events.js';
import { TokenFormatError } from '../../src/errors.js';
import type { FaultKind } from '../support/sts-emulator.js';
import { distinctTokens } from './fake-sts.js';
import {
  CLUSTER,
  EXPIRES_AT,
  NOW,
  REGION,
  gatedFetch,
  settle,
  tokenFor,
  useEmulator,
  verifierWith,
} from './support.js';

const context = useEmulator();
const HOST = `sts.${REGION}.amazonaws.com`;

let listener: ((message: unknown) => void) | undefined;
afterEach(() => {
  if (listener !== undefined) unsubscribe(VERIFY_CHANNEL, listener);
  listener = undefined;
});

function recording(
  options: Partial<VerifierOptions> = {},
  fault?: FaultKind,
): { verifier: Verifier; events: VerifyEvent[] } {
  const events: VerifyEvent[] = [];
  const verifier = createVerifier({
    clusterId: CLUSTER,
    region: REGION,
    currentDate: NOW,
    retries: 0,
    fetch: fault === undefined ? context.emulator.fetch : context.emulator.fetchWith({ fault }),
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { verifier, events };
}

/** The event without its duration (a measurement, never asserted). */
function shape(event: VerifyEvent | undefined): Omit<VerifyEvent, 'durationMs'> {
  expect(typeof event?.durationMs).toBe('number');
  expect(event?.durationMs).toBeGreaterThanOrEqual(0);
  const { durationMs: _, ...rest } = event as VerifyEvent;
  return rest;
}

async function lastEvent(
  run: (verifier: Verifier) => Promise<unknown>,
  options?: Partial<VerifierOptions>,
  fault?: FaultKind,
): Promise<Omit<VerifyEvent, 'durationMs'>> {
  const { verifier, events } = recording(options, fault);
  await run(verifier).catch(() => undefined);
  return shape(events.at(-1));
}

const verifyOnce =
  (token?: unknown, call?: VerifyCallOptions) =>
  (verifier: Verifier): Promise<unknown> =>
    verifier.verify((token ?? context.token) as string, call);

describe('createVerifier: events', () => {
  // [name, run, expected event, verifier options, fault]
  const CASES: [
    string,
    (verifier: Verifier) => Promise<unknown>,
    Omit<VerifyEvent, 'durationMs' | 'type'>,
    Partial<VerifierOptions>?,
    FaultKind?,
  ][] = [
    [
      'success (server.go:438)',
      verifyOnce(),
      { result: 'success', cached: false, stsHost: HOST, source: 'sts', stsStatus: 200 },
    ],
    [
      'cache hit',
      async (v) => {
        await v.verify(context.token);
        return v.verify(context.token);
      },
      { result: 'success', cached: true, stsHost: HOST, source: 'memory' },
    ],
    [
      'a token that is not a string: malformed_request (server.go:364-368)',
      verifyOnce(42),
      { result: 'malformed_request', cached: false },
    ],
    [
      'invalid call options: malformed_request',
      verifyOnce(undefined, { currentDate: new Date(Number.NaN) }),
      { result: 'malformed_request', cached: false },
    ],
    [
      'structurally invalid token: invalid_token (server.go:389-390)',
      verifyOnce('k8s-aws-v1.!'),
      { result: 'invalid_token', cached: false },
    ],
    [
      'expired token: invalid_token, with its host',
      verifyOnce(undefined, { currentDate: new Date(EXPIRES_AT.getTime() + 1) }),
      { result: 'invalid_token', cached: false, stsHost: HOST },
    ],
    [
      'STS rejects (403): sts_error, as the Go STSError for any non-200 (token.go:713-721)',
      verifyOnce(),
      { result: 'sts_error', cached: false, stsHost: HOST, source: 'sts', stsStatus: 403 },
      { clusterId: 'other-cluster' },
    ],
    [
      'cached rejection: sts_error, cached',
      async (v) => {
        await v.verify(context.token).catch(() => undefined);
        return v.verify(context.token);
      },
      { result: 'sts_error', cached: true, stsHost: HOST, source: 'memory' },
      { clusterId: 'other-cluster' },
    ],
    [
      'STS 503: sts_error with the status',
      verifyOnce(),
      { result: 'sts_error', cached: false, stsHost: HOST, source: 'sts', stsStatus: 503 },
      {},
      'status-503',
    ],
    [
      'network failure: sts_error, no status (token.go:692-700)',
      verifyOnce(),
      { result: 'sts_error', cached: false, stsHost: HOST, source: 'sts' },
      {},
      'reset',
    ],
    [
      'invalid 200 answer: sts_error (token.go:724-727)',
      verifyOnce(),
      { result: 'sts_error', cached: false, stsHost: HOST, source: 'sts' },
      {},
      'malformed-json',
    ],
    [
      'throttled: sts_throttling with the status (server.go:379-380)',
      verifyOnce(),
      { result: 'sts_throttling', cached: false, stsHost: HOST, source: 'sts', stsStatus: 400 },
      {},
      'throttle',
    ],
    [
      'refused by the backoff: sts_throttling, no status (STS was not asked)',
      async (v) => {
        await v.verify(context.token).catch(() => undefined);
        const [other] = distinctTokens(context.token, 1);
        return v.verify(other as string);
      },
      { result: 'sts_throttling', cached: false, stsHost: HOST },
      {},
      'throttle',
    ],
  ];

  it.each(CASES)('%s', async (_, run, expected, options, fault) => {
    await expect(lastEvent(run, options, fault)).resolves.toEqual({ type: 'verify', ...expected });
  });

  it('overloaded: sts_error, no status', async () => {
    const gate = gatedFetch(context.emulator.fetch);
    const { verifier, events } = recording({
      fetch: gate.fetch,
      maxConcurrentStsRequests: 1,
      maxQueue: 0,
    });
    const [a, b] = distinctTokens(context.token, 2) as [string, string];
    const first = verifier.verify(a).catch(() => undefined);
    await verifier.verify(b).catch(() => undefined);
    expect(shape(events[0])).toEqual({
      type: 'verify',
      result: 'sts_error',
      cached: false,
      stsHost: HOST,
    });
    gate.open();
    await first;
  });

  it('one event per call; a joined call carries no status (one event per STS answer)', async () => {
    const gate = gatedFetch(context.emulator.fetch);
    const { verifier, events } = recording({ fetch: gate.fetch });
    const calls = [verifier.verify(context.token), verifier.verify(context.token)];
    await settle();
    gate.open();
    await Promise.all(calls);
    expect(events.map(shape)).toEqual([
      {
        type: 'verify',
        result: 'success',
        cached: false,
        stsHost: HOST,
        source: 'sts',
        stsStatus: 200,
      },
      { type: 'verify', result: 'success', cached: false, stsHost: HOST, source: 'sts' },
    ]);
  });

  it('publishes the same object on the diagnostics channel eks-iam-auth:verify', async () => {
    const published: unknown[] = [];
    listener = (message) => published.push(message);
    subscribe(VERIFY_CHANNEL, listener);
    const { verifier, events } = recording();
    await verifier.verify(context.token);
    await verifier.verify('k8s-aws-v1.!').catch(() => undefined);
    expect(published).toHaveLength(2);
    expect(published[0]).toBe(events[0]);
    expect(published[1]).toBe(events[1]);
  });

  it('publishes on the channel without onEvent', async () => {
    const published: VerifyEvent[] = [];
    listener = (message) => published.push(message as VerifyEvent);
    subscribe(VERIFY_CHANNEL, listener);
    const verifier = verifierWith(context.emulator.fetch);
    await verifier.verify(context.token);
    expect(published.map(shape)).toEqual([
      {
        type: 'verify',
        result: 'success',
        cached: false,
        stsHost: HOST,
        source: 'sts',
        stsStatus: 200,
      },
    ]);
  });

  it('a listener that throws never changes the answer', async () => {
    listener = () => {
      throw new Error('broken subscriber');
    };
    subscribe(VERIFY_CHANNEL, listener);
    const verifier = verifierWith(context.emulator.fetch, {
      onEvent: () => {
        throw new Error('broken metrics');
      },
    });
    const unhandled: unknown[] = [];
    const onUncaught = (error: unknown): void => void unhandled.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await expect(verifier.verify(context.token)).resolves.toMatchObject({
        accountId: '123456789012',
      });
      await settle();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('events never carry the token, its signature or its URL', async () => {
    const { verifier, events } = recording({ clusterId: 'other-cluster' });
    await verifier.verify(context.token).catch(() => undefined);
    const signature = /X-Amz-Signature=(\w+)/.exec(
      Buffer.from(context.token.slice(11), 'base64url').toString('latin1'),
    )?.[1] as string;
    const text = JSON.stringify(events);
    expect(text).not.toContain(signature);
    expect(text).not.toContain(context.token.slice(11, 60));
  });

  it('where node:diagnostics_channel cannot be imported there is no channel, and no error', async () => {
    await expect(
      loadVerifyChannel(() => Promise.reject(new Error('no such module'))),
    ).resolves.toBeUndefined();
    await expect(
      loadVerifyChannel(() => Promise.resolve({ channel: () => ({}) as never })),
    ).resolves.toBeUndefined();
  });

  it('resultOf: anything that is not a library error is a malformed request', () => {
    expect(resultOf(new TypeError('bad options'))).toBe('malformed_request');
    expect(resultOf(new TokenFormatError('not-a-string', 'x'))).toBe('malformed_request');
    expect(resultOf(new TokenFormatError('prefix', 'x'))).toBe('invalid_token');
  });
});

// tokenFor is used by other files through support; keep one use here for a second host.
it('events name the token host for every region', async () => {
  const elsewhere = await tokenFor(context.emulator, { region: 'eu-west-1' });
  const { verifier, events } = recording();
  await verifier.verify(elsewhere);
  expect(events[0]?.stsHost).toBe('sts.eu-west-1.amazonaws.com');
});
