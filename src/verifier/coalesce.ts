/**
 * Coalescing (SPEC 3.6): concurrent verifications of one key share one
 * resolution (a shared-store look-up, then if need be one STS request) and
 * its one result or error; `create.ts` hands each caller its own copy of it
 * (`copies.ts`). Each caller waits on the shared promise under its own abort
 * signal, so one caller giving up never cancels the request the others are
 * waiting for.
 *
 * @module
 */
import { StsUnavailableError } from '../errors.js';

/** A request in flight: the promise every caller waits on, and what else callers share. */
export interface InFlight<T> {
  readonly promise: Promise<T>;
}

/** The requests in flight, by cache key. */
export class InFlightRequests<E extends InFlight<unknown>> {
  readonly #pending = new Map<string, E>();

  /** Requests in flight. */
  get size(): number {
    return this.#pending.size;
  }

  /** The request in flight for `key`, if any. */
  get(key: string): E | undefined {
    return this.#pending.get(key);
  }

  /**
   * Register `request` under `key` until its promise settles. The entry is
   * removed by the first reaction registered on the promise, so it is gone
   * before any caller resumes: a later call finds the cached answer, never
   * a settled request.
   */
  add(key: string, request: E): void {
    this.#pending.set(key, request);
    const remove = (): void => {
      if (this.#pending.get(key) === request) this.#pending.delete(key);
    };
    request.promise.then(remove, remove);
  }
}

/** The error of a call whose own signal aborted (as `verifyToken` reports it). */
export function callerAbortedError(): StsUnavailableError {
  return new StsUnavailableError("STS request aborted by the caller's signal");
}

/**
 * `shared`, or a rejection with {@link callerAbortedError} as soon as
 * `signal` aborts, whichever comes first. `shared` itself is never aborted,
 * and the listener is removed when either settles.
 */
export function awaitUnlessAborted<T>(
  shared: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (signal === undefined) return shared;
  if (signal.aborted) return Promise.reject(callerAbortedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(callerAbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
