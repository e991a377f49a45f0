/**
 * Coalescing and the STS concurrency cap (SPEC 3.6): concurrent calls for
 * one key share one STS request and its one result or error; a caller's own
 * abort never cancels the shared request; at most maxConcurrentStsRequests
 * run at once, then a bounded FIFO queue, and a full queue refuses at once.
 */
import { describe, expect, it, vi } from 'vitest';
import { StsUnavailableError } from '../../src/errors.js';
import { distinctTokens, fakeStsFetch } from './fake-sts.js';
import { countingFetch, gatedFetch, settle, useEmulator, verifierWith } from './support.js';

const context = useEmulator();

function outcome(promise: Promise<{ arn: string }>): Promise<string> {
  return promise.then(
    (identity) => identity.arn,
    (error: { code?: string }) => error.code ?? String(error),
  );
}

const ALICE = 'arn:aws:iam::123456789012:user/Alice';

describe('createVerifier: coalescing', () => {
  it('10,000 concurrent verifications of one token: 1 STS request', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    const verifier = verifierWith(fetch);
    const results = await Promise.all(
      Array.from({ length: 10_000 }, () => outcome(verifier.verify(context.token))),
    );
    expect(new Set(results)).toEqual(new Set([ALICE]));
    expect(fetch.count).toBe(1);
    expect(verifier.stats()).toEqual({
      hits: 0,
      misses: 1,
      coalesced: 9_999,
      stsRequests: 1,
      entries: 1,
    });
  });

  it('10,000 concurrent verifications without a cache: still 1 STS request', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    const verifier = verifierWith(fetch, { cache: false });
    const results = await Promise.all(
      Array.from({ length: 10_000 }, () => outcome(verifier.verify(context.token))),
    );
    expect(new Set(results)).toEqual(new Set([ALICE]));
    expect(fetch.count).toBe(1);
  });

  it('shares one error too: a throttled request fails every waiting caller once', async () => {
    const fetch = countingFetch(context.emulator.fetchWith({ fault: 'throttle' }));
    const verifier = verifierWith(fetch);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => outcome(verifier.verify(context.token))),
    );
    expect(new Set(results)).toEqual(new Set(['ERR_STS_THROTTLED']));
    expect(fetch.count).toBe(1);
  });

  it("a caller's abort ends its own wait only; the shared request carries on", async () => {
    const gate = gatedFetch(context.emulator.fetch);
    const verifier = verifierWith(gate.fetch);
    const leaving = new AbortController();
    const leader = outcome(verifier.verify(context.token, { signal: leaving.signal }));
    const staying = outcome(verifier.verify(context.token));
    const follower = new AbortController();
    const leavingFollower = outcome(verifier.verify(context.token, { signal: follower.signal }));
    await settle();
    expect(gate.calls).toHaveLength(1);
    leaving.abort();
    follower.abort();
    await expect(leader).resolves.toBe('ERR_STS_UNAVAILABLE');
    await expect(leavingFollower).resolves.toBe('ERR_STS_UNAVAILABLE');
    expect(gate.calls[0]?.signal?.aborted).toBe(false);
    gate.open();
    await expect(staying).resolves.toBe(ALICE);
    // And the answer was cached for the next caller.
    await expect(outcome(verifier.verify(context.token))).resolves.toBe(ALICE);
    expect(gate.calls).toHaveLength(1);
  });

  it('an already aborted signal fails the call without a request', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    const verifier = verifierWith(fetch);
    await expect(
      outcome(verifier.verify(context.token, { signal: AbortSignal.abort() })),
    ).resolves.toBe('ERR_STS_UNAVAILABLE');
    expect(fetch.count).toBe(0);
  });

  it("the verifier's own signal aborts its STS requests (shutdown)", async () => {
    const gate = gatedFetch(context.emulator.fetch);
    const shutdown = new AbortController();
    const verifier = verifierWith(gate.fetch, { signal: shutdown.signal });
    const pending = outcome(verifier.verify(context.token));
    await settle();
    shutdown.abort();
    await expect(pending).resolves.toBe('ERR_STS_UNAVAILABLE');
    expect(gate.calls[0]?.signal?.aborted).toBe(true);
  });
});

describe('createVerifier: STS concurrency cap and queue', () => {
  it('runs at most maxConcurrentStsRequests at once, queues FIFO, refuses at once when full', async () => {
    const gate = gatedFetch(fakeStsFetch());
    const verifier = verifierWith(gate.fetch, { maxConcurrentStsRequests: 2, maxQueue: 3 });
    const tokens = distinctTokens(context.token, 6);
    const running = tokens.slice(0, 5).map((t) => outcome(verifier.verify(t)));
    await settle();
    expect(gate.calls).toHaveLength(2);
    // The sixth distinct token finds 2 running and 3 queued.
    const refused = await verifier.verify(tokens[5] as string).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StsUnavailableError);
    expect(refused).toMatchObject({ code: 'ERR_STS_UNAVAILABLE', reason: 'overloaded' });
    expect(gate.calls).toHaveLength(2);
    // A token already queued or running is joined, not refused.
    const joined = outcome(verifier.verify(tokens[4] as string));
    gate.open();
    expect(await Promise.all([...running, joined])).toEqual(Array(6).fill(ALICE));
    // FIFO: requests went out in the order the calls came.
    const signatureOf = (url: string): string => /X-Amz-Signature=(\w+)/.exec(url)?.[1] ?? '';
    expect(gate.calls.map((c) => signatureOf(c.url))).toEqual(
      tokens
        .slice(0, 5)
        .map((t) =>
          signatureOf(Buffer.from(t.slice('k8s-aws-v1.'.length), 'base64url').toString('latin1')),
        ),
    );
    expect(verifier.stats()).toMatchObject({ stsRequests: 5, coalesced: 1, misses: 6 });
  });

  it('maxQueue 0: beyond the cap every new key is refused at once', async () => {
    const gate = gatedFetch(fakeStsFetch());
    const verifier = verifierWith(gate.fetch, { maxConcurrentStsRequests: 1, maxQueue: 0 });
    const [a, b] = distinctTokens(context.token, 2) as [string, string];
    const first = outcome(verifier.verify(a));
    await expect(outcome(verifier.verify(b))).resolves.toBe('ERR_STS_UNAVAILABLE');
    gate.open();
    await expect(first).resolves.toBe(ALICE);
    // The slot is free again.
    await expect(outcome(verifier.verify(b))).resolves.toBe(ALICE);
  });

  it('timeout covers the wait in the queue: a request that never got a slot fails unsent', async () => {
    // On fake timers, so no machine load can reorder anything: the first
    // request never answers; the second call queues behind it at the same
    // instant. Its 50 ms in the queue run out as the first request's 50 ms
    // do (its deadline was set first, so it fires first), and it fails
    // without ever being sent.
    const hang = countingFetch(() => new Promise<Response>(() => {}));
    const verifier = verifierWith(hang, { maxConcurrentStsRequests: 1, timeout: 50 });
    const [a, b] = distinctTokens(context.token, 2) as [string, string];
    // Loaded (hash, diagnostics channel) before the clock is faked.
    await verifier.verify('k8s-aws-v1.!').catch(() => undefined);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const errors = [verifier.verify(a), verifier.verify(b)].map((p) =>
        p.then(
          () => undefined,
          (e: unknown) => e as StsUnavailableError,
        ),
      );
      await vi.advanceTimersByTimeAsync(49);
      expect(hang.count).toBe(1);
      expect(vi.getTimerCount()).toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      const [first, second] = await Promise.all(errors);
      expect(first).toMatchObject({ code: 'ERR_STS_UNAVAILABLE' });
      expect(first?.message).toMatch(/^STS request timed out after 50 ms$/);
      expect(second).toMatchObject({ code: 'ERR_STS_UNAVAILABLE' });
      expect(second?.message).toMatch(/waiting for one of 1 STS request slots/);
      expect(hang.count).toBe(1);
      expect(verifier.stats()).toMatchObject({ stsRequests: 1, misses: 2 });
    } finally {
      vi.useRealTimers();
    }
  });
});
