/**
 * `createVerifier` (SPEC 3.6): `verifyToken` for servers. The verification
 * rules stay in `src/token/verify.ts`; this module decides only when STS is
 * asked: a bounded cache of answers keyed on the canonical URL, coalescing
 * of concurrent identical calls, a cap on concurrent STS requests with a
 * bounded queue, and a backoff per STS host after throttling.
 *
 * Every call still runs the local checks of `verifyToken` (structure, host
 * policy, clock at the call's `currentDate`) before the cache is consulted:
 * they cost less than a lookup, so they are never cached, and a cached
 * identity is never served once its token has expired.
 *
 * @module
 */
import { StsRejectedError, StsThrottledError } from '../errors.js';
import { parseToken } from '../token/parse.js';
import { checkHostAndClock, checkOptions, identityFromSts } from '../token/verify.js';
import type { CheckedOptions, VerifiedIdentity, VerifyTokenOptions } from '../token/verify.js';
import type { ParsedToken } from '../token/parse.js';
import { isAbortSignal } from '../util/abort-signal.js';
import { StsHostBackoff } from './backoff.js';
import { AnswerCache } from './cache.js';
import type { CacheEntry } from './cache.js';
import { cacheKeyText, loadKeyHasher } from './cache-key.js';
import type { KeyHasher } from './cache-key.js';
import { InFlightRequests, awaitUnlessAborted, callerAbortedError } from './coalesce.js';
import { VerifyEventSink, getVerifyChannel, resultOf } from './events.js';
import type { VerifyEvent } from './events.js';
import { StsRequestLimiter } from './limiter.js';

/** The verifier's cache of STS answers. */
export interface VerifierCacheOptions {
  /**
   * Most entries held; beyond it the least recently used entry is dropped.
   * A positive integer.
   *
   * @default 10000
   */
  maxEntries?: number | undefined;
  /**
   * Seconds a verified identity is served from the cache (never past the
   * token's own expiry). The default is kube-apiserver's webhook cache TTL
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
   * The cache of STS answers, or `false` for none (calls are still
   * coalesced, capped and backed off).
   *
   * @default `{ maxEntries: 10000, ttl: 120, negativeTtl: 10 }`
   */
  cache?: VerifierCacheOptions | false | undefined;
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
   * The current time for this call (the expiry checks, the cache's TTLs and
   * the backoff window). Inject it in tests.
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

/** Counters of a {@link Verifier} since it was created. */
export interface VerifierStats {
  /** Calls answered from the cache (identity or rejection). */
  hits: number;
  /** Calls that passed the local checks and found neither a cached answer nor a request to join. */
  misses: number;
  /** Calls that joined a request already in flight for the same key. */
  coalesced: number;
  /** STS exchanges started (retries inside one exchange are not counted again). */
  stsRequests: number;
  /** Entries in the cache now. */
  entries: number;
  /**
   * When the latest backoff window of an STS host ends, if a host's last
   * answer was throttling (kept until that host answers without throttling).
   */
  throttledUntil?: Date;
}

/** A long-lived verifier for servers, from {@link createVerifier}. */
export interface Verifier {
  /**
   * Verify a token: the same checks, result and errors as `verifyToken`,
   * with STS asked only when the cache cannot answer. Never throws
   * synchronously.
   */
  verify(token: string, options?: VerifyCallOptions): Promise<VerifiedIdentity>;
  /** Counters and cache size. */
  stats(): VerifierStats;
  /**
   * Drop every cached answer. Requests in flight still answer their callers
   * but are not cached; counters and backoff state are kept.
   */
  clear(): void;
}

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_TTL_SECONDS = 120;
const DEFAULT_NEGATIVE_TTL_SECONDS = 10;
const DEFAULT_MAX_CONCURRENT = 64;
const DEFAULT_MAX_QUEUE = 1024;

interface CheckedVerifierOptions {
  base: CheckedOptions;
  fixedNow: number | undefined;
  cache: { maxEntries: number; ttlMs: number; negativeTtlMs: number } | undefined;
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

function checkVerifierOptions(options: VerifierOptions): CheckedVerifierOptions {
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
    maxConcurrentStsRequests = DEFAULT_MAX_CONCURRENT,
    maxQueue = DEFAULT_MAX_QUEUE,
    onEvent,
    currentDate,
  } = options;
  let checkedCache: CheckedVerifierOptions['cache'];
  if (cache !== false) {
    if (typeof cache !== 'object' || cache === null) {
      bad('options.cache must be an object or false');
    }
    const { maxEntries = DEFAULT_MAX_ENTRIES, ttl, negativeTtl } = cache;
    if (!isPositiveInteger(maxEntries)) bad('options.cache.maxEntries must be a positive integer');
    checkedCache = {
      maxEntries,
      ttlMs: seconds(ttl, 'ttl', DEFAULT_TTL_SECONDS),
      negativeTtlMs: seconds(negativeTtl, 'negativeTtl', DEFAULT_NEGATIVE_TTL_SECONDS),
    };
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
    maxConcurrent: maxConcurrentStsRequests,
    maxQueue,
    onEvent,
  };
}

function badCall(message: string): never {
  throw new TypeError(`verifier.verify: ${message}`);
}

/** The call's clock (epoch ms) and signal, checked. */
function checkCallOptions(
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

/** A copy the caller may mutate without touching the cache or other callers. */
function copyIdentity(identity: VerifiedIdentity): VerifiedIdentity {
  return {
    ...identity,
    signedAt: new Date(identity.signedAt.getTime()),
    expiresAt: new Date(identity.expiresAt.getTime()),
  };
}

function copyRejection(error: StsRejectedError): StsRejectedError {
  return new StsRejectedError(error.status, error.awsCode, error.message);
}

/** What one call learned, for its event. */
interface CallRecord {
  stsHost: string | undefined;
  cached: boolean;
  /** The STS exchange this call started, if it started one. */
  started: ExchangeRecord | undefined;
}

/** What the STS exchange a call started got back. */
interface ExchangeRecord {
  /** The HTTP status STS answered, once it has. */
  stsStatus: number | undefined;
}

const clock: () => number =
  typeof globalThis.performance?.now === 'function'
    ? () => globalThis.performance.now()
    : () => Date.now();

class CachingVerifier implements Verifier {
  readonly #options: CheckedVerifierOptions;
  /**
   * The options the local checks read. Its `now` is set right before each
   * synchronous {@link checkHostAndClock} call, so no call ever sees
   * another's clock and no per-call copy is made.
   */
  readonly #local: CheckedOptions;
  readonly #cache: AnswerCache | undefined;
  readonly #inFlight = new InFlightRequests<VerifiedIdentity>();
  readonly #limiter: StsRequestLimiter;
  readonly #backoff = new StsHostBackoff();
  #hasher: KeyHasher | undefined;
  #sink: VerifyEventSink | undefined;
  #ready: Promise<void> | undefined;
  #generation = 0;
  #hits = 0;
  #misses = 0;
  #coalesced = 0;
  #stsRequests = 0;

  constructor(options: CheckedVerifierOptions) {
    this.#options = options;
    this.#local = { ...options.base };
    this.#cache = options.cache && new AnswerCache(options.cache.maxEntries);
    this.#limiter = new StsRequestLimiter(options.maxConcurrent, options.maxQueue);
    // The hash and the diagnostics channel load once, asynchronously; calls
    // made before then wait for them.
    this.#ready = Promise.all([loadKeyHasher(), getVerifyChannel()]).then(([hasher, channel]) => {
      this.#hasher = hasher;
      this.#sink = new VerifyEventSink(options.onEvent, channel);
      this.#ready = undefined;
    });
  }

  async verify(token: string, options?: VerifyCallOptions): Promise<VerifiedIdentity> {
    const started = clock();
    if (this.#ready !== undefined) await this.#ready;
    const sink = this.#sink as VerifyEventSink;
    const call: CallRecord = { stsHost: undefined, cached: false, started: undefined };
    try {
      // A cache hit comes back as a value, not a promise: no extra await.
      const answer = this.#verify(token, options, call);
      const identity = answer instanceof Promise ? await answer : answer;
      if (sink.listening) sink.emit(this.#event('success', call, started));
      return identity;
    } catch (error) {
      if (sink.listening) sink.emit(this.#event(resultOf(error), call, started));
      throw error;
    }
  }

  #event(result: VerifyEvent['result'], call: CallRecord, started: number): VerifyEvent {
    const event: VerifyEvent = {
      type: 'verify',
      result,
      cached: call.cached,
      durationMs: clock() - started,
    };
    if (call.stsHost !== undefined) event.stsHost = call.stsHost;
    const stsStatus = call.started?.stsStatus;
    if (stsStatus !== undefined) event.stsStatus = stsStatus;
    return event;
  }

  /** The call's answer: the identity itself on a cache hit, else a promise of it. Throws on a local failure. */
  #verify(
    token: string,
    options: VerifyCallOptions | undefined,
    call: CallRecord,
  ): VerifiedIdentity | Promise<VerifiedIdentity> {
    const { now, signal } = checkCallOptions(options, this.#options.fixedNow);
    const parsed = parseToken(token, this.#local.parseOptions);
    call.stsHost = parsed.host;
    this.#local.now = now;
    checkHostAndClock(parsed, this.#local);
    // As verifyToken: an aborted call fails once the token passed the local checks.
    if (signal?.aborted === true) throw callerAbortedError();

    const key = (this.#hasher as KeyHasher)(cacheKeyText(this.#options.base.clusterId, parsed.url));
    // node:crypto hashes synchronously (a hit stays a value); WebCrypto only through a promise.
    return typeof key === 'string'
      ? this.#answer(key, parsed, now, signal, call)
      : key.then((hashed) => this.#answer(hashed, parsed, now, signal, call));
  }

  /** The answer for a hashed key: the cache, a request in flight, or a new STS exchange. */
  #answer(
    key: string,
    parsed: ParsedToken,
    now: number,
    signal: AbortSignal | undefined,
    call: CallRecord,
  ): VerifiedIdentity | Promise<VerifiedIdentity> {
    const entry = this.#cache?.get(key, now);
    if (entry !== undefined) {
      this.#hits++;
      call.cached = true;
      const { identity, rejection } = entry.answer;
      if (identity !== undefined) return copyIdentity(identity);
      throw copyRejection(rejection);
    }

    const pending = this.#inFlight.get(key);
    if (pending !== undefined) {
      this.#coalesced++;
      return awaitUnlessAborted(pending, signal).then(copyIdentity);
    }

    this.#misses++;
    const refusal = this.#backoff.refusal(parsed.host, now);
    if (refusal !== undefined) throw refusal;

    // The one STS exchange for this key; later calls join it until it settles.
    const record: ExchangeRecord = { stsStatus: undefined };
    call.started = record;
    const exchange = this.#exchange(key, parsed, now, record);
    this.#inFlight.add(key, exchange);
    return awaitUnlessAborted(exchange, signal).then(copyIdentity);
  }

  async #exchange(
    key: string,
    parsed: ParsedToken,
    now: number,
    record: ExchangeRecord,
  ): Promise<VerifiedIdentity> {
    const { base } = this.#options;
    const generation = this.#generation;
    const queuedAt = Date.now();
    // The timeout covers the wait for a slot as well as the exchange.
    const release = await this.#limiter.acquire(base.timeout);
    try {
      // The window may have opened while this request waited.
      const refusal = this.#backoff.refusal(parsed.host, now);
      if (refusal !== undefined) throw refusal;
      const timeout = Math.max(1, base.timeout - (Date.now() - queuedAt));
      this.#stsRequests++;
      let identity: VerifiedIdentity;
      try {
        identity = await identityFromSts(parsed, { ...base, now, timeout });
      } catch (error) {
        this.#settledWithError(key, parsed, now, generation, record, error);
        throw error;
      }
      record.stsStatus = 200;
      this.#backoff.succeeded(parsed.host);
      const cache = this.#options.cache;
      if (cache !== undefined && cache.ttlMs > 0 && generation === this.#generation) {
        this.#store(key, { identity }, now + cache.ttlMs, identity.expiresAt.getTime());
      }
      return identity;
    } finally {
      release();
    }
  }

  #settledWithError(
    key: string,
    parsed: ParsedToken,
    now: number,
    generation: number,
    record: ExchangeRecord,
    error: unknown,
  ): void {
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number') record.stsStatus = status;
    if (error instanceof StsThrottledError) {
      this.#backoff.throttled(parsed.host, now, error);
      return;
    }
    // Only a definitive rejection is cached: throttling, outages and invalid
    // answers are transient or STS's fault, and caching them would deny
    // good tokens.
    if (!(error instanceof StsRejectedError)) return;
    // STS judged the token: it is answering, not throttling.
    this.#backoff.succeeded(parsed.host);
    const cache = this.#options.cache;
    if (cache !== undefined && cache.negativeTtlMs > 0 && generation === this.#generation) {
      this.#store(key, { rejection: error }, now + cache.negativeTtlMs, parsed.expiresAt.getTime());
    }
  }

  #store(key: string, answer: CacheEntry['answer'], until: number, expiresAt: number): void {
    this.#cache?.set(key, { answer, until, expiresAt });
  }

  stats(): VerifierStats {
    const stats: VerifierStats = {
      hits: this.#hits,
      misses: this.#misses,
      coalesced: this.#coalesced,
      stsRequests: this.#stsRequests,
      entries: this.#cache?.size ?? 0,
    };
    const until = this.#backoff.latestUntil();
    if (until !== undefined) stats.throttledUntil = new Date(until);
    return stats;
  }

  clear(): void {
    this.#generation++;
    this.#cache?.clear();
  }
}

/**
 * Create a long-lived verifier for a server: `verifyToken` with a cache of
 * STS answers, coalescing, a cap on concurrent STS requests and a backoff
 * after throttling (SPEC 3.6).
 *
 * - **Cache**: keyed on a SHA-256 of the cluster id and the canonical URL
 *   `parseToken` rebuilds, never the token's text (one signed URL has many
 *   accepted spellings; they share one entry). Identities are served for
 *   `cache.ttl` (120 s), definitive rejections (`ERR_STS_REJECTED`) for
 *   `cache.negativeTtl` (10 s), never past the token's expiry; throttling,
 *   unavailability and invalid answers are never cached. Bounded LRU
 *   (`cache.maxEntries`, 10,000).
 * - **Local checks on every call**: structure, host policy and clock run
 *   before the cache is consulted, with the call's `currentDate`.
 * - **Coalescing**: concurrent calls for one key share one STS request and
 *   its result or error; a caller's `signal` stops only its own wait.
 * - **Concurrency cap**: at most `maxConcurrentStsRequests` (64) STS
 *   requests at once, then a FIFO queue of `maxQueue` (1024); a full queue
 *   rejects at once with `ERR_STS_UNAVAILABLE`, `reason: 'overloaded'`.
 *   `timeout` covers the wait in the queue too.
 * - **Backoff**: after a throttling answer no new request goes to that STS
 *   host for 1 s, doubling up to 30 s while it keeps throttling, reset once
 *   STS answers a token again (an identity or a rejection); calls the cache
 *   cannot answer reject with `ERR_STS_THROTTLED` (with `retryAt`).
 * - **Events**: `onEvent` and the `node:diagnostics_channel` channel
 *   `eks-iam-auth:verify` get one {@link VerifyEvent} per call.
 *
 * @example
 * ```ts
 * const verifier = createVerifier({ clusterId: 'prod', region: 'eu-west-1' });
 * const identity = await verifier.verify(bearer);
 * verifier.stats(); // { hits, misses, coalesced, stsRequests, entries }
 * ```
 * @param options - Every {@link VerifyTokenOptions} option (`clusterId` is
 *   required) plus those of {@link VerifierOptions}.
 * @returns The verifier.
 * @throws `TypeError` for invalid options (synchronously: it is a factory).
 */
export function createVerifier(options: VerifierOptions): Verifier {
  return new CachingVerifier(checkVerifierOptions(options));
}
