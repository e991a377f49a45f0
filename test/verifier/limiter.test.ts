/**
 * The STS request limiter on its own, with fake timers: slots are handed to
 * waiters in FIFO order, a waiter whose wait ran out is skipped (and no
 * longer counts against the queue), a full queue refuses at once, and a
 * release given twice frees one slot only.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StsRequestLimiter } from '../../src/verifier/limiter.js';
import type { Release } from '../../src/verifier/limiter.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** The order in which `promises` settle, by index, and how. */
function track(promises: Promise<Release>[]): string[] {
  const order: string[] = [];
  promises.forEach((p, i) =>
    p.then(
      () => order.push(`${i} granted`),
      (e: { code?: string; reason?: string }) =>
        order.push(`${i} ${e.reason ?? e.code ?? 'failed'}`),
    ),
  );
  return order;
}

describe('StsRequestLimiter', () => {
  it('hands freed slots to waiters in FIFO order', async () => {
    const limiter = new StsRequestLimiter(1, 10);
    const first = await limiter.acquire(1_000);
    const order = track([limiter.acquire(1_000), limiter.acquire(1_000), limiter.acquire(1_000)]);
    expect(limiter.waiting).toBe(3);
    first();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['0 granted']);
    expect(limiter.active).toBe(1);
    expect(limiter.waiting).toBe(2);
  });

  it('skips a waiter whose wait ran out, and frees its queue place', async () => {
    const limiter = new StsRequestLimiter(1, 2);
    const first = await limiter.acquire(1_000);
    const order = track([limiter.acquire(10), limiter.acquire(1_000)]);
    await vi.advanceTimersByTimeAsync(10);
    expect(order).toEqual(['0 ERR_STS_UNAVAILABLE']);
    expect(limiter.waiting).toBe(1);
    // The timed-out waiter's place is free again.
    const more = track([limiter.acquire(1_000)]);
    first();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['0 ERR_STS_UNAVAILABLE', '1 granted']);
    expect(more).toEqual([]);
    expect(limiter.waiting).toBe(1);
  });

  it('refuses at once when the queue is full', async () => {
    const limiter = new StsRequestLimiter(1, 1);
    await limiter.acquire(1_000);
    const order = track([limiter.acquire(1_000), limiter.acquire(1_000)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['1 overloaded']);
  });

  it('a release called twice frees one slot', async () => {
    const limiter = new StsRequestLimiter(2, 0);
    const a = await limiter.acquire(1_000);
    await limiter.acquire(1_000);
    a();
    a();
    expect(limiter.active).toBe(1);
  });

  it('the last release with nobody waiting frees the slot', async () => {
    const limiter = new StsRequestLimiter(1, 0);
    const a = await limiter.acquire(1_000);
    a();
    expect(limiter.active).toBe(0);
    await expect(limiter.acquire(1_000)).resolves.toBeTypeOf('function');
  });
});
