/**
 * The cap on concurrent STS requests (SPEC 3.6): at most `maxConcurrent`
 * run at once; beyond that requests wait in a FIFO queue of at most
 * `maxQueue`, and a full queue refuses at once. Memory stays bounded under
 * any burst, and STS sees a bounded request rate from one process.
 *
 * @module
 */
import { StsUnavailableError } from '../errors.js';

/** Gives a slot back; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  readonly grant: (release: Release) => void;
  settled: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

// Drop the consumed head of the queue array once it is this long.
const COMPACT_AFTER = 1024;

/** A counting semaphore with a bounded FIFO queue and a deadline per waiter. */
export class StsRequestLimiter {
  readonly #maxConcurrent: number;
  readonly #maxQueue: number;
  #active = 0;
  #waiting = 0;
  #queue: (Waiter | undefined)[] = [];
  #head = 0;

  constructor(maxConcurrent: number, maxQueue: number) {
    this.#maxConcurrent = maxConcurrent;
    this.#maxQueue = maxQueue;
  }

  /** Slots in use. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiting;
  }

  /**
   * A slot, now or when one frees up. Rejects at once with
   * {@link StsUnavailableError} (`reason: 'overloaded'`) when the queue is
   * full, and after `maxWaitMs` in the queue with a timeout
   * {@link StsUnavailableError}.
   */
  acquire(maxWaitMs: number): Promise<Release> {
    if (this.#active < this.#maxConcurrent) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    if (this.#waiting >= this.#maxQueue) {
      return Promise.reject(
        new StsUnavailableError(
          `verifier overloaded: ${this.#maxConcurrent} STS requests in flight and ${this.#maxQueue} queued (maxQueue); retry later`,
          { reason: 'overloaded' },
        ),
      );
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { grant: resolve, settled: false, timer: undefined };
      waiter.timer = setTimeout(() => {
        if (waiter.settled) return;
        waiter.settled = true;
        this.#waiting--;
        reject(
          new StsUnavailableError(
            `STS request timed out after ${maxWaitMs} ms waiting for one of ${this.#maxConcurrent} STS request slots`,
          ),
        );
      }, maxWaitMs);
      this.#waiting++;
      this.#queue.push(waiter);
    });
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#handOver();
    };
  }

  /** A slot was given back: hand it to the oldest live waiter, or free it. */
  #handOver(): void {
    while (this.#head < this.#queue.length) {
      const waiter = this.#queue[this.#head];
      this.#queue[this.#head] = undefined;
      this.#head++;
      if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      if (waiter === undefined || waiter.settled) continue;
      waiter.settled = true;
      this.#waiting--;
      clearTimeout(waiter.timer);
      waiter.grant(this.#releaser());
      return;
    }
    this.#queue.length = 0;
    this.#head = 0;
    this.#active--;
  }
}
