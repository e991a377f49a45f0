/**
 * The options of `createVerifier` and of one `verifier.verify` call, their
 * defaults, and their checks: a caller bug is a `TypeError` naming the
 * option, thrown by the factory (or, for a call, returned as a rejection).
 *
 * @module
 */
import { checkOptions } from '../token/verify.js';
import type { CheckedOptions, VerifyTokenOptions } from '../token/verify.js';
import { isAbortSignal } from '../util/abort-signal.js';
import type { VerifyEvent } from './events.js';
import { checkSharedCacheOptions } from './shared-cache.js';
import type { CheckedSharedCacheOptions, SharedCacheOptions } from './shared-cache.js';

/** The verifier's in-process cache of STS answers. */
export interface VerifierCacheOptions {
  /**
   * Most identities held; beyond it the least recently used one is dropped.
   * A positive integer.
   *
   * @default 10000
   */
  maxEntries?: number | undefined;
  /**
   * Most definitive rejections held, in a cache of their own: a flood of
   * rejected tokens evicts only other rejections, never an identity. A
   * positive integer.
   *
   * @default 1000
   */
  maxNegativeEntries?: number | undefined;
  /**
   * Seconds a verified identity is served from the cache (never past the
   * token's own expiry by the verifier's clock). The default is
   * kube-apiserver's webhook cache TTL
   * (`--authentication-token-webhook-cache-ttl`). A cached identity outlives
   * a revocation of the signer's credentials by up to this long. `0`
   * disables positive caching.
   *
   * @default 120
   */
  ttl?: number | undefined;
  /**
   * Seconds a definitive STS rejection (`ERR_STS_REJECTED`:
   * `SignatureDoesNotMatch`, `InvalidClientTokenId`, …) is served from the
   * cache, so a client retrying a bad token does not cost an STS call each
   * time. Throttling, unavailability and invalid answers are never cached.
   * `0` disables negative caching.
   *
   * @default 10
   */
  negativeTtl?: number | undefined;
}

/** Options of {@link createVerifier}: every {@link VerifyTokenOptions} option, plus these. */
export interface VerifierOptions extends VerifyTokenOptions {
  /**
   * The in-process cache of STS answers, or `false` for none (calls are
   * still coalesced, capped and backed off).
   *
   * @default `{ maxEntries: 10000, maxNegativeEntries: 1000, ttl: 120, negativeTtl: 10 }`
   */
  cache?: VerifierCacheOptions | false | undefined;
  /**
   * A second cache level shared by every replica of a fleet, behind the
   * in-process one: Redis or Valkey through {@link redisStore}, or any
   * {@link SharedStore}. Only verified identities are shared, sealed and
   * keyed under `secret`; the store being slow or down costs STS calls,
   * never a wrong answer or a refusal. Needs the in-process cache with a
   * positive `ttl` (shared entries live that long at most).
   *
   * @default undefined (no shared cache)
   */
  sharedCache?: SharedCacheOptions | undefined;
  /**
   * Most STS requests in flight at once. A positive integer.
   *
   * @default 64
   */
  maxConcurrentStsRequests?: number | undefined;
  /**
   * Most STS requests waiting for a slot, in FIFO order; a call that would
   * queue beyond it rejects at once with `ERR_STS_UNAVAILABLE`
   * (`reason: 'overloaded'`). An integer >= 0.
   *
   * @default 1024
   */
  maxQueue?: number | undefined;
  /**
   * Called once per `verify` call with what happened, for metrics. Called
   * synchronously; what it throws is ignored.
   *
   * @default undefined
   */
  onEvent?: ((event: VerifyEvent) => void) | undefined;
}

/** Options of one {@link Verifier.verify} call. */
export interface VerifyCallOptions {
  /**
   * The current time for this call (the expiry checks, the caches' TTLs and
   * the backoff windows). Inject it in tests.
   *
   * @default the verifier's `currentDate`, else `new Date()`
   */
  currentDate?: Date | undefined;
  /**
   * Stops this caller's wait: the call rejects with `ERR_STS_UNAVAILABLE`.
   * An STS request shared with other callers carries on for them.
   *
   * @default undefined
   */
  signal?: AbortSignal | undefined;
}

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_NEGATIVE_ENTRIES = 1_000;
const DEFAULT_TTL_SECONDS = 120;
const DEFAULT_NEGATIVE_TTL_SECONDS = 10;
const DEFAULT_MAX_CONCURRENT = 64;
const DEFAULT_MAX_QUEUE = 1024;

/** The in-process cache's options, checked. */
export interface CheckedCacheOptions {
  maxEntries: number;
  maxNegativeEntries: number;
  ttlMs: number;
  negativeTtlMs: number;
}

/** {@link VerifierOptions} checked, with their defaults applied. */
export interface CheckedVerifierOptions {
  base: CheckedOptions;
  /** The verifier's fixed clock (epoch ms), when `currentDate` was given. */
  fixedNow: number | undefined;
  cache: CheckedCacheOptions | undefined;
  shared: CheckedSharedCacheOptions | undefined;
  maxConcurrent: number;
  maxQueue: number;
  onEvent: ((event: VerifyEvent) => void) | undefined;
}

function bad(message: string): never {
  throw new TypeError(`createVerifier: ${message}`);
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

function seconds(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback * 1000;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    bad(`options.cache.${name} must be a finite number of seconds >= 0`);
  }
  return value * 1000;
}

function checkCache(cache: unknown): CheckedCacheOptions | undefined {
  if (cache === false) return undefined;
  if (typeof cache !== 'object' || cache === null) bad('options.cache must be an object or false');
  const {
    maxEntries = DEFAULT_MAX_ENTRIES,
    maxNegativeEntries = DEFAULT_MAX_NEGATIVE_ENTRIES,
    ttl,
    negativeTtl,
  } = cache as VerifierCacheOptions;
  if (!isPositiveInteger(maxEntries)) bad('options.cache.maxEntries must be a positive integer');
  if (!isPositiveInteger(maxNegativeEntries)) {
    bad('options.cache.maxNegativeEntries must be a positive integer');
  }
  return {
    maxEntries,
    maxNegativeEntries,
    ttlMs: seconds(ttl, 'ttl', DEFAULT_TTL_SECONDS),
    negativeTtlMs: seconds(negativeTtl, 'negativeTtl', DEFAULT_NEGATIVE_TTL_SECONDS),
  };
}

/** Check `options` and apply the defaults (`TypeError` messages name `createVerifier`). */
export function checkVerifierOptions(options: VerifierOptions): CheckedVerifierOptions {
  let base: CheckedOptions;
  try {
    base = checkOptions(options);
  } catch (error) {
    // Same rules as verifyToken's options; name the function the caller called.
    if (error instanceof TypeError) {
      throw new TypeError(error.message.replace(/^verifyToken:/, 'createVerifier:'));
    }
    throw error;
  }
  const {
    cache = {},
    sharedCache,
    maxConcurrentStsRequests = DEFAULT_MAX_CONCURRENT,
    maxQueue = DEFAULT_MAX_QUEUE,
    onEvent,
    currentDate,
  } = options;
  const checkedCache = checkCache(cache);
  let shared: CheckedSharedCacheOptions | undefined;
  if (sharedCache !== undefined) {
    // Shared entries are what the in-process cache would hold: no such
    // cache, or a ttl of 0, leaves nothing to share.
    if (checkedCache === undefined || checkedCache.ttlMs === 0) {
      bad('options.sharedCache needs the in-process cache with a ttl above 0');
    }
    shared = checkSharedCacheOptions(sharedCache, bad);
  }
  if (!isPositiveInteger(maxConcurrentStsRequests)) {
    bad('options.maxConcurrentStsRequests must be a positive integer');
  }
  if (!Number.isSafeInteger(maxQueue) || maxQueue < 0) {
    bad('options.maxQueue must be an integer >= 0');
  }
  if (onEvent !== undefined && typeof onEvent !== 'function') {
    bad('options.onEvent must be a function');
  }
  return {
    base,
    fixedNow: currentDate === undefined ? undefined : base.now,
    cache: checkedCache,
    shared,
    maxConcurrent: maxConcurrentStsRequests,
    maxQueue,
    onEvent,
  };
}

function badCall(message: string): never {
  throw new TypeError(`verifier.verify: ${message}`);
}

/** The call's clock (epoch ms) and signal, checked. */
export function checkCallOptions(
  options: VerifyCallOptions | undefined,
  fixedNow: number | undefined,
): { now: number; signal: AbortSignal | undefined } {
  if (options === undefined) return { now: fixedNow ?? Date.now(), signal: undefined };
  if (typeof options !== 'object' || options === null) badCall('options must be an object');
  const { currentDate, signal } = options;
  let now: number;
  if (currentDate === undefined) now = fixedNow ?? Date.now();
  else if (currentDate instanceof Date && !Number.isNaN(currentDate.getTime())) {
    now = currentDate.getTime();
  } else badCall('options.currentDate must be a valid Date');
  if (signal !== undefined && !isAbortSignal(signal))
    badCall('options.signal must be an AbortSignal');
  return { now, signal };
}
