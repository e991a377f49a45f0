/**
 * `createVerifier` (SPEC 3.6, 3.7): `verifyToken` for servers. The
 * verification rules stay in `src/token/verify.ts`; this module decides only
 * when STS is asked, with one helper per concern: bounded caches of answers
 * keyed on the canonical URL (`cache.ts`), the fleet's shared cache
 * (`shared-cache.ts`), coalescing of concurrent identical calls
 * (`coalesce.ts`), a cap on concurrent STS requests with a bounded queue
 * (`limiter.ts`), backoff per signer after throttling (`throttling.ts`), copies for every caller (`copies.ts`), and
 * events (`events.ts`).
 *
 * Every call still runs the local checks of `verifyToken` (structure, host
 * policy, clock at the call's `currentDate`) before any cache is consulted:
 * they cost less than a lookup, so they are never cached, and a cached
 * identity is never served once its token has expired.
 *
 * @module
 */
import { StsRejectedError, StsThrottledError } from '../errors.js';
import { parseToken } from '../token/parse.js';
import { monotonicClock } from '../util/timers.js';
import type { ParsedToken } from '../token/parse.js';
import { checkHostAndClock, identityFromSts, verifiedIdentityOf } from '../token/verify.js';
import type { CheckedOptions, VerifiedIdentity } from '../token/verify.js';
import { AnswerCache } from './cache.js';
import { cacheKeyText, loadKeyHasher } from './cache-key.js';
import type { KeyHasher } from './cache-key.js';
import { InFlightRequests, awaitUnlessAborted, callerAbortedError } from './coalesce.js';
import { copyError, copyIdentity, throwCopy } from './copies.js';
import { VerifyEventSink, getVerifyChannel, resultOf } from './events.js';
import type { VerifyEvent, VerifySource } from './events.js';
import { StsRequestLimiter } from './limiter.js';
import { checkCallOptions, checkVerifierOptions } from './options.js';
import type { CheckedVerifierOptions, VerifierOptions, VerifyCallOptions } from './options.js';
import { SharedCache } from './shared-cache.js';
import type { SharedLookupOutcome } from './shared-cache.js';
import { ThrottleGuard } from './throttling.js';

export type { VerifierCacheOptions, VerifierOptions, VerifyCallOptions } from './options.js';

/** Counters of a {@link Verifier} since it was created. */
export interface VerifierStats {
  /** Calls answered from the in-process cache (identity or rejection). */
  hits: number;
  /** Calls that passed the local checks and found neither a cached answer nor a request to join. */
  misses: number;
  /** Calls that joined a request already in flight for the same key. */
  coalesced: number;
  /** STS exchanges started (retries inside one exchange are not counted again). */
  stsRequests: number;
  /** Entries in the in-process caches now (identities and rejections). */
  entries: number;
  /**
   * The latest end of a signer's backoff window, if STS has throttled
   * since the verifier was created (kept until that signer is answered
   * again).
   */
  throttledUntil?: Date;
  /** With a shared cache: look-ups that found a sealed identity there. */
  sharedHits?: number;
  /** With a shared cache: look-ups that found nothing (or an expired value). */
  sharedMisses?: number;
  /**
   * With a shared cache: look-ups that found a value that did not open as
   * a sealed identity for the token (forged, tampered, swapped, another
   * cluster's or another secret's). Never served; worth an alert.
   */
  sharedRejected?: number;
  /** With a shared cache: look-ups the store failed, timed out, was not ready for, or was skipped while it hung. */
  sharedErrors?: number;
}

/** A long-lived verifier for servers, from {@link createVerifier}. */
export interface Verifier {
  /**
   * Verify a token: the same checks, result and errors as `verifyToken`,
   * with STS asked only when no cache can answer. Never throws
   * synchronously; every caller gets objects of its own.
   */
  verify(token: string, options?: VerifyCallOptions): Promise<VerifiedIdentity>;
  /** Counters and cache size. */
  stats(): VerifierStats;
  /**
   * Drop every answer cached in this process (not the shared store).
   * Requests in flight still answer their callers but are not cached;
   * counters and backoff state are kept.
   */
  clear(): void;
}

/** What one call learned, for its event. */
interface CallRecord {
  stsHost: string | undefined;
  /** Set when the in-process cache answered. */
  memory: boolean;
  /** The resolution this call started, if it started one. */
  started: ResolutionRecord | undefined;
  /** The resolution this call joined, if it joined one. */
  joined: ResolutionRecord | undefined;
}

/** What a resolution (shared look-up, then maybe an STS exchange) found. */
interface ResolutionRecord {
  /** Where the answer came from, once something answered. */
  source: VerifySource | undefined;
  /** How the shared look-up ended, if one was made. */
  shared: SharedLookupOutcome | undefined;
  /** The HTTP status STS answered, once it has. */
  stsStatus: number | undefined;
}

/** A resolution in flight, shared by the calls for its key. */
interface Resolution {
  readonly promise: Promise<VerifiedIdentity>;
  readonly record: ResolutionRecord;
}

class CachingVerifier implements Verifier {
  readonly #options: CheckedVerifierOptions;
  /**
   * The options the local checks read. Its `now` is set right before each
   * synchronous {@link checkHostAndClock} call, so no call ever sees
   * another's clock and no per-call copy is made.
   */
  readonly #local: CheckedOptions;
  readonly #identities: AnswerCache<VerifiedIdentity> | undefined;
  readonly #rejections: AnswerCache<StsRejectedError> | undefined;
  readonly #inFlight = new InFlightRequests<Resolution>();
  readonly #limiter: StsRequestLimiter;
  readonly #throttling = new ThrottleGuard();
  #shared: SharedCache | undefined;
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
    const { cache, shared, base } = options;
    if (cache !== undefined) {
      this.#identities = new AnswerCache(cache.maxEntries);
      this.#rejections = new AnswerCache(cache.maxNegativeEntries);
    }
    this.#limiter = new StsRequestLimiter(options.maxConcurrent, options.maxQueue);
    // The hash, the shared cache's keys and the diagnostics channel load
    // once, asynchronously; calls made before then wait for them. The shared
    // store itself is not contacted.
    this.#ready = Promise.all([
      loadKeyHasher(),
      getVerifyChannel(),
      shared && SharedCache.open(shared, base.clusterId),
    ]).then(([hasher, channel, sharedCache]) => {
      this.#hasher = hasher;
      this.#sink = new VerifyEventSink(options.onEvent, channel);
      this.#shared = sharedCache;
      this.#ready = undefined;
    });
  }

  async verify(token: string, options?: VerifyCallOptions): Promise<VerifiedIdentity> {
    const started = monotonicClock();
    if (this.#ready !== undefined) await this.#ready;
    const sink = this.#sink as VerifyEventSink;
    const call: CallRecord = {
      stsHost: undefined,
      memory: false,
      started: undefined,
      joined: undefined,
    };
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
    const resolution = call.started ?? call.joined;
    const source = call.memory ? 'memory' : resolution?.source;
    const event: VerifyEvent = {
      type: 'verify',
      result,
      cached: source === 'memory' || source === 'shared',
      durationMs: monotonicClock() - started,
    };
    if (call.stsHost !== undefined) event.stsHost = call.stsHost;
    if (source !== undefined) event.source = source;
    // Exactly one event carries each STS answer and each shared look-up.
    const own = call.started;
    if (own?.stsStatus !== undefined) event.stsStatus = own.stsStatus;
    if (own?.shared !== undefined) event.sharedCache = own.shared;
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

  /** The answer for a hashed key: the cache, a request in flight, or a new resolution. */
  #answer(
    key: string,
    parsed: ParsedToken,
    now: number,
    signal: AbortSignal | undefined,
    call: CallRecord,
  ): VerifiedIdentity | Promise<VerifiedIdentity> {
    const identity = this.#identities?.get(key, now);
    if (identity !== undefined) {
      this.#hits++;
      call.memory = true;
      return copyIdentity(identity.answer);
    }
    const rejection = this.#rejections?.get(key, now);
    if (rejection !== undefined) {
      this.#hits++;
      call.memory = true;
      throw copyError(rejection.answer);
    }

    const pending = this.#inFlight.get(key);
    if (pending !== undefined) {
      this.#coalesced++;
      call.joined = pending.record;
      return awaitUnlessAborted(pending.promise, signal).then(copyIdentity, throwCopy);
    }

    this.#misses++;
    // The one resolution for this key; later calls join it until it settles.
    const record: ResolutionRecord = { source: undefined, shared: undefined, stsStatus: undefined };
    call.started = record;
    const promise = this.#resolve(key, parsed, now, record);
    this.#inFlight.add(key, { promise, record });
    // Every caller, this one included, gets copies: the cache keeps the original.
    return awaitUnlessAborted(promise, signal).then(copyIdentity, throwCopy);
  }

  /** The shared store, then STS. */
  async #resolve(
    key: string,
    parsed: ParsedToken,
    now: number,
    record: ResolutionRecord,
  ): Promise<VerifiedIdentity> {
    const generation = this.#generation;
    const shared = this.#shared;
    let storageKey: string | undefined;
    if (shared !== undefined) {
      storageKey = await shared.keyOf(parsed.url);
      const lookup = await shared.lookup(storageKey, now, this.#options.base.partition);
      record.shared = lookup.outcome;
      if (lookup.identity !== undefined) {
        record.source = 'shared';
        const identity = verifiedIdentityOf(parsed, lookup.identity);
        this.#throttling.learn(parsed.accessKeyId, identity.accountId);
        if (generation === this.#generation) {
          this.#identities?.set(key, {
            answer: identity,
            until: Math.min(lookup.until as number, this.#positiveUntil(now)),
            expiresAt: identity.expiresAt.getTime(),
          });
        }
        return identity;
      }
    }
    const identity = await this.#exchange(key, parsed, now, record, generation);
    if (shared !== undefined && storageKey !== undefined) {
      // Shared until the in-process entry would expire, never past the token.
      const until = Math.min(this.#positiveUntil(now), identity.expiresAt.getTime());
      shared.publish(storageKey, identity, until, now);
    }
    return identity;
  }

  /** Until when an identity verified at `now` is served (the positive TTL). */
  #positiveUntil(now: number): number {
    return now + (this.#options.cache?.ttlMs ?? 0);
  }

  /**
   * One STS exchange: a slot, then the request. Every way to STS goes
   * through here, so this is where a backed-off signer is refused: before
   * it takes a place in the queue, and again once it has a slot.
   */
  async #exchange(
    key: string,
    parsed: ParsedToken,
    now: number,
    record: ResolutionRecord,
    generation: number,
  ): Promise<VerifiedIdentity> {
    const { base } = this.#options;
    const refusal = this.#throttling.refusal(parsed, now);
    if (refusal !== undefined) throw refusal;
    const queuedAt = Date.now();
    // The timeout covers the wait for a slot as well as the exchange.
    const release = await this.#limiter.acquire(base.timeout);
    try {
      // The signer may have been throttled while this request waited.
      const late = this.#throttling.refusal(parsed, now);
      if (late !== undefined) throw late;
      const timeout = Math.max(1, base.timeout - (Date.now() - queuedAt));
      this.#stsRequests++;
      record.source = 'sts';
      let identity: VerifiedIdentity;
      try {
        identity = await identityFromSts(parsed, { ...base, now, timeout });
      } catch (error) {
        this.#settledWithError(key, parsed, now, generation, record, error);
        throw error;
      }
      record.stsStatus = 200;
      this.#throttling.answered(parsed, identity.accountId);
      const cache = this.#options.cache;
      if (cache !== undefined && cache.ttlMs > 0 && generation === this.#generation) {
        this.#identities?.set(key, {
          answer: identity,
          until: this.#positiveUntil(now),
          expiresAt: identity.expiresAt.getTime(),
        });
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
    record: ResolutionRecord,
    error: unknown,
  ): void {
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number') record.stsStatus = status;
    if (error instanceof StsThrottledError) {
      this.#throttling.throttled(parsed, now, error);
      return;
    }
    // Only a definitive rejection is cached: throttling, outages and invalid
    // answers are transient or STS's fault, and caching them would deny
    // good tokens.
    if (!(error instanceof StsRejectedError)) return;
    // STS judged the token: it is answering this signer, not throttling it.
    this.#throttling.answered(parsed);
    const cache = this.#options.cache;
    if (cache !== undefined && cache.negativeTtlMs > 0 && generation === this.#generation) {
      this.#rejections?.set(key, {
        answer: error,
        until: now + cache.negativeTtlMs,
        expiresAt: parsed.expiresAt.getTime(),
      });
    }
  }

  stats(): VerifierStats {
    const stats: VerifierStats = {
      hits: this.#hits,
      misses: this.#misses,
      coalesced: this.#coalesced,
      stsRequests: this.#stsRequests,
      entries: (this.#identities?.size ?? 0) + (this.#rejections?.size ?? 0),
    };
    const until = this.#throttling.latestUntil();
    if (until !== undefined) stats.throttledUntil = new Date(until);
    // Configured, not yet loaded: the counters are still zero.
    if (this.#options.shared !== undefined) {
      const counters = this.#shared?.counters;
      stats.sharedHits = counters?.hits ?? 0;
      stats.sharedMisses = counters?.misses ?? 0;
      stats.sharedRejected = counters?.rejected ?? 0;
      stats.sharedErrors = counters?.errors ?? 0;
    }
    return stats;
  }

  clear(): void {
    this.#generation++;
    this.#identities?.clear();
    this.#rejections?.clear();
  }
}

/**
 * Create a long-lived verifier for a server: `verifyToken` with caches of
 * STS answers (in-process, and optionally shared by a fleet), coalescing, a
 * cap on concurrent STS requests and a backoff per signer after throttling
 * (SPEC 3.6, 3.7).
 *
 * - **Cache**: keyed on a SHA-256 of the cluster id and the canonical URL
 *   `parseToken` rebuilds, never the token's text (one signed URL has many
 *   accepted spellings; they share one entry). Identities are served for
 *   `cache.ttl` (120 s), definitive rejections (`ERR_STS_REJECTED`) for
 *   `cache.negativeTtl` (10 s) from a cache of their own (so rejected
 *   tokens never evict identities), never past the token's expiry by the
 *   verifier's clock; throttling, unavailability and invalid answers are
 *   never cached. Bounded LRUs (`cache.maxEntries`, 10,000;
 *   `cache.maxNegativeEntries`, 1,000).
 * - **Shared cache** (`sharedCache`): a second level on Redis/Valkey
 *   ({@link redisStore}) or any {@link SharedStore}, for a fleet of
 *   replicas: once any replica has verified a token, the others find it
 *   there instead of asking STS. Only identities are shared, sealed with
 *   AES-256-GCM under keys derived from `secret`, named by an HMAC that
 *   reveals neither token nor URL, expiring at `min(now + ttl, token
 *   expiry)`; a value that does not open is never an identity. Every store
 *   call has a short `timeout` (50 ms); errors, timeouts and a store that is
 *   down are misses that fall back to STS.
 * - **Local checks on every call**: structure, host policy and clock run
 *   before any cache is consulted, with the call's `currentDate`.
 * - **Coalescing**: concurrent calls for one key share one look-up and STS
 *   request and its result or error, each caller getting its own copy; a
 *   caller's `signal` stops only its own wait.
 * - **Concurrency cap**: at most `maxConcurrentStsRequests` (64) STS
 *   requests at once, then a FIFO queue of `maxQueue` (1024); a full queue
 *   rejects at once with `ERR_STS_UNAVAILABLE`, `reason: 'overloaded'`.
 *   `timeout` covers the wait in the queue too.
 * - **Backoff per signer**: STS throttles per account, and anyone can
 *   throttle their own. After a throttling answer no new request goes out
 *   for tokens of that access key id (and, once known from an earlier
 *   answer, of its account) for 1 s, doubling up to 30 s while it keeps
 *   throttling, reset once STS answers that signer again; such calls that
 *   no cache answers reject with `ERR_STS_THROTTLED` (with `retryAt`). Every
 *   other signer goes through, whatever the number of throttled signers:
 *   there is no host-wide breaker (an attacker with a few AWS accounts of
 *   their own could hold one open).
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
