/**
 * The cache a fleet of verifiers shares (SPEC 3.7), behind each one's
 * in-process cache: N replicas behind a load balancer would otherwise ask
 * STS N times for every token, against per-account limits that cannot be
 * raised.
 *
 * A shared cache of identities is a new thing to attack, so:
 * - **Names reveal nothing.** A storage key is `prefix` + the HMAC of the
 *   cluster id and the canonical URL under a key derived from `secret`
 *   (`seal.ts`): never the token, never a hash anyone holding the token
 *   could compute.
 * - **Writing the store mints nothing.** A value is the STS identity only
 *   (`Arn`, `Account`, `UserId`, and until when it may be served), sealed
 *   with AES-256-GCM for its storage key. A value that does not open, does
 *   not parse, or is not a consistent identity of the verifier's partition
 *   (tampered, forged, swapped, another cluster's, another secret's) is a
 *   miss, counted as rejected, never an identity. Mappings are never stored:
 *   they are applied on every call, so a revoked entry takes effect at once.
 * - **Never past the token.** A value is written with an absolute expiry
 *   (Redis `SET … PXAT`) of `min(now + ttl, token expiry)` and carries the
 *   same instant sealed inside, checked on every read: a store that keeps
 *   it longer (or a writer that extends it) serves nothing more.
 * - **The store is never in the way.** Every call has a short `timeout`;
 *   errors and timeouts are misses that fall back to STS (coalesced in the
 *   process). After a call times out, the store is left alone (no reads,
 *   no writes) until that call comes back, so a hung server does not collect
 *   a queue of commands to run when it wakes; it is tried again after
 *   {@link STALL_RETRY_MS} even if the call never comes back. Only positive
 *   answers are shared: rejections stay in each process. The store is never
 *   contacted at start-up.
 *
 * @module
 */
import type { CallerIdentity, CallerIdentityFields } from '../sts/response.js';
import { toCallerIdentity } from '../sts/response.js';
import type { PartitionId } from '../partitions.js';
import { findControlCharacter } from '../util/control-characters.js';
import { MAX_TIMEOUT_MS, monotonicClock } from '../util/timers.js';
import { cacheKeyText } from './cache-key.js';
import { deriveSharedKeys } from './seal.js';
import type { SharedKeys } from './seal.js';

/**
 * A key-value store shared by the replicas of a fleet: what the shared cache
 * needs of Redis, Valkey or anything else. {@link redisStore} adapts a
 * node-redis client; the guide shows the same for iovalkey and ioredis.
 */
export interface SharedStore {
  /**
   * The value stored at `key`, or `null` (or `undefined`) when there is
   * none. A rejection counts as a store error (a miss). Read at most
   * {@link MAX_SHARED_VALUE_LENGTH} + 1 characters of it (Redis
   * `GETRANGE key 0 4096`, not `GET`): a longer value is never a sealed one,
   * and whoever can write the store could otherwise make every replica
   * download hundreds of MiB per look-up.
   */
  get(key: string): Promise<string | null | undefined>;
  /**
   * Store `value` at `key`, to expire at the instant `expiresAtMs` (epoch
   * milliseconds; Redis `SET key value PXAT expiresAtMs`), replacing any
   * value there. What it resolves to is ignored.
   */
  set(key: string, value: string, expiresAtMs: number): Promise<unknown>;
}

/** The shared cache of {@link VerifierOptions.sharedCache}. */
export interface SharedCacheOptions {
  /** Where the fleet's verified identities live (see {@link redisStore}). */
  store: SharedStore;
  /**
   * The fleet's secret, the same on every replica: a string (UTF-8) or
   * bytes with at least 32 bytes of entropy, e.g. `openssl rand -base64 32`.
   * Shorter is a `TypeError`. Storage keys and sealed values are derived
   * from it: anyone who holds it and can write the store can mint
   * identities, so keep it out of the store's reach. Changing it empties the
   * shared cache (old values no longer open).
   */
  secret: string | Uint8Array;
  /**
   * Prefix of every storage key (for a store shared with other data, or
   * several clusters' fleets). At most 256 characters, none of them a
   * control character (C0, DEL, C1, bidirectional controls, line
   * separators, lone surrogates: a key that prints or encodes as something
   * else).
   *
   * @default 'eks-iam-auth:v1:'
   */
  prefix?: string | undefined;
  /**
   * Milliseconds a store call may take before it counts as a miss (and STS
   * is asked). Keep it short: it is added to every verification the
   * in-process cache cannot answer while the store hangs.
   *
   * @default 50
   */
  timeout?: number | undefined;
}

/** {@link SharedCacheOptions} checked, with their defaults applied. */
export interface CheckedSharedCacheOptions {
  store: SharedStore;
  secret: Uint8Array<ArrayBuffer>;
  prefix: string;
  timeoutMs: number;
}

/** How one look-up in the shared store ended. */
export type SharedLookupOutcome = 'hit' | 'miss' | 'rejected' | 'error';

/** One look-up in the shared store. */
export interface SharedLookup {
  outcome: SharedLookupOutcome;
  /** On a hit: the identity, checked as STS's own answer is. */
  identity?: CallerIdentity;
  /** On a hit: until when it may be served (epoch ms). */
  until?: number;
}

/** The shared cache's counters. */
export interface SharedCacheCounters {
  hits: number;
  misses: number;
  rejected: number;
  errors: number;
}

/** The default {@link SharedCacheOptions.prefix}. */
export const DEFAULT_SHARED_PREFIX = 'eks-iam-auth:v1:';
const DEFAULT_TIMEOUT_MS = 50;
const MIN_SECRET_BYTES = 32;
const MAX_PREFIX_LENGTH = 256;
/** After a call times out, how long the store is left alone if that call never comes back. */
export const STALL_RETRY_MS = 5_000;

const utf8 = new TextEncoder();

/** Check `options.sharedCache`; `bad` throws the `TypeError`. */
export function checkSharedCacheOptions(
  options: unknown,
  bad: (message: string) => never,
): CheckedSharedCacheOptions {
  if (typeof options !== 'object' || options === null) bad('options.sharedCache must be an object');
  const {
    store,
    secret,
    prefix = DEFAULT_SHARED_PREFIX,
    timeout = DEFAULT_TIMEOUT_MS,
  } = options as SharedCacheOptions;
  if (
    typeof store !== 'object' ||
    store === null ||
    typeof store.get !== 'function' ||
    typeof store.set !== 'function'
  ) {
    bad('options.sharedCache.store must have get(key) and set(key, value, expiresAtMs)');
  }
  let bytes: Uint8Array<ArrayBuffer>;
  if (typeof secret === 'string') bytes = utf8.encode(secret);
  else if (secret instanceof Uint8Array) bytes = Uint8Array.from(secret);
  else bad('options.sharedCache.secret must be a string or a Uint8Array');
  if (bytes.length < MIN_SECRET_BYTES) {
    bad(`options.sharedCache.secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  if (
    typeof prefix !== 'string' ||
    prefix.length > MAX_PREFIX_LENGTH ||
    findControlCharacter(prefix) !== undefined
  ) {
    bad(
      `options.sharedCache.prefix must be a string of at most ${MAX_PREFIX_LENGTH} characters without control characters`,
    );
  }
  if (typeof timeout !== 'number' || !(timeout > 0) || timeout > MAX_TIMEOUT_MS) {
    bad(`options.sharedCache.timeout must be a number of milliseconds in (0, ${MAX_TIMEOUT_MS}]`);
  }
  return { store, secret: bytes, prefix, timeoutMs: timeout };
}

/** STS's own three fields for `identity` (the assumed role's `UserId` carries the session). */
function fieldsOf(identity: CallerIdentity): CallerIdentityFields {
  const { arn, accountId, userId, sessionName } = identity;
  return {
    arn,
    account: accountId,
    userId: sessionName === undefined ? userId : `${userId}:${sessionName}`,
  };
}

/** What a sealed value holds. */
interface SealedEntry {
  arn: string;
  account: string;
  userId: string;
  /** Served until this instant (epoch ms), never later. */
  until: number;
}

function parseEntry(text: string): SealedEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { arn, account, userId, until } = value as Record<string, unknown>;
  if (typeof arn !== 'string' || typeof account !== 'string' || typeof userId !== 'string') {
    return undefined;
  }
  if (typeof until !== 'number' || !Number.isSafeInteger(until)) return undefined;
  return { arn, account, userId, until };
}

type CallResult<T> = { ok: true; value: T } | { ok: false };

/** Runs a callback after the event loop's pending I/O (Node, Bun, Deno have it). */
const afterIo = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;

/** One verifier's view of the fleet's shared cache. */
export class SharedCache {
  readonly #options: CheckedSharedCacheOptions;
  readonly #keys: SharedKeys;
  readonly #clusterId: string;
  /** Set while a call that timed out has not come back (the store is hung). */
  #stall: { readonly since: number } | undefined;
  readonly counters: SharedCacheCounters = { hits: 0, misses: 0, rejected: 0, errors: 0 };

  private constructor(options: CheckedSharedCacheOptions, keys: SharedKeys, clusterId: string) {
    this.#options = options;
    this.#keys = keys;
    this.#clusterId = clusterId;
  }

  /** Derive the keys of `options.secret` for the cluster `clusterId` (no store call). */
  static async open(options: CheckedSharedCacheOptions, clusterId: string): Promise<SharedCache> {
    return new SharedCache(options, await deriveSharedKeys(options.secret), clusterId);
  }

  /** The storage key of a token, from its canonical URL. */
  async keyOf(canonicalUrl: string): Promise<string> {
    return (
      this.#options.prefix + (await this.#keys.nameOf(cacheKeyText(this.#clusterId, canonicalUrl)))
    );
  }

  /**
   * Look `key` up at `now` (epoch ms) for a verifier of `partition`. Never
   * rejects: every failure is an outcome.
   */
  async lookup(key: string, now: number, partition: PartitionId): Promise<SharedLookup> {
    const { counters } = this;
    const result = await this.#call(() => this.#options.store.get(key));
    if (!result.ok) {
      counters.errors++;
      return { outcome: 'error' };
    }
    const { value } = result;
    if (value === null || value === undefined || value === '') {
      counters.misses++;
      return { outcome: 'miss' };
    }
    const entry = typeof value === 'string' ? await this.#open(value, key) : undefined;
    if (entry === undefined) {
      counters.rejected++;
      return { outcome: 'rejected' };
    }
    // Authentic, but kept past its time: nothing to serve.
    if (now > entry.until) {
      counters.misses++;
      return { outcome: 'miss' };
    }
    let identity: CallerIdentity;
    try {
      // The same checks as STS's own answer, for this verifier's partition.
      identity = toCallerIdentity(entry, partition);
    } catch {
      counters.rejected++;
      return { outcome: 'rejected' };
    }
    counters.hits++;
    return { outcome: 'hit', identity, until: entry.until };
  }

  async #open(value: string, key: string): Promise<SealedEntry | undefined> {
    const plaintext = await this.#keys.open(value, key);
    return plaintext === undefined ? undefined : parseEntry(plaintext);
  }

  /**
   * Share `identity` under `key` until `until` (epoch ms), unless that is
   * not after `now`. Returns at once: the write finishes (or fails) on its
   * own, within the timeout.
   */
  publish(key: string, identity: CallerIdentity, until: number, now: number): void {
    if (until <= now || this.#stall !== undefined) return;
    const entry: SealedEntry = { ...fieldsOf(identity), until };
    Promise.resolve(this.#keys.seal(JSON.stringify(entry), key))
      .then((sealed) => this.#call(() => this.#options.store.set(key, sealed, until)))
      .catch(() => undefined);
  }

  /**
   * Run one store call under the timeout. While an earlier call that timed
   * out has not come back, no call is made at all (for at most
   * {@link STALL_RETRY_MS}).
   */
  #call<T>(operation: () => Promise<T>): Promise<CallResult<T>> {
    const stall = this.#stall;
    if (stall !== undefined) {
      if (monotonicClock() - stall.since < STALL_RETRY_MS) return Promise.resolve({ ok: false });
      this.#stall = undefined;
    }
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(operation());
    } catch {
      return Promise.resolve({ ok: false });
    }
    return new Promise<CallResult<T>>((resolve) => {
      let done = false;
      const timedOut = (): void => {
        if (done) return;
        done = true;
        const stalled = { since: monotonicClock() };
        this.#stall = stalled;
        // The store is answering again once this call comes back, whatever it says.
        const cleared = (): void => {
          if (this.#stall === stalled) this.#stall = undefined;
        };
        pending.then(cleared, cleared);
        resolve({ ok: false });
      };
      const timer = setTimeout(() => {
        // Node runs due timers before it reads sockets: on a busy process
        // the answer may be waiting unread. Decide after this turn's I/O.
        if (afterIo === undefined) timedOut();
        else afterIo(timedOut);
      }, this.#options.timeoutMs);
      pending.then(
        (value) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve({ ok: true, value });
        },
        () => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve({ ok: false });
        },
      );
    });
  }
}
