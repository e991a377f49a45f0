/**
 * The verifier's bounded LRU of STS answers (SPEC 3.6): a `Map` in
 * least-recently-used order (a hit moves its entry to the end; a full map
 * drops its first entry), so memory stays flat whatever the traffic.
 *
 * @module
 */
import type { StsRejectedError } from '../errors.js';
import type { VerifiedIdentity } from '../token/verify.js';

/** One cached STS answer: an identity, or a definitive rejection. */
export type CachedAnswer =
  | { readonly identity: VerifiedIdentity; readonly rejection?: undefined }
  | { readonly identity?: undefined; readonly rejection: StsRejectedError };

/** A cached answer with the instants it stops being served. */
export interface CacheEntry {
  /** What STS answered. */
  readonly answer: CachedAnswer;
  /** Epoch milliseconds: served while the verifier's clock is at or before this (the TTL). */
  readonly until: number;
  /** Epoch milliseconds: the token's own expiry; never served past it. */
  readonly expiresAt: number;
}

/** A bounded map from cache key to {@link CacheEntry}, least recently used first. */
export class AnswerCache {
  readonly #entries = new Map<string, CacheEntry>();
  readonly #maxEntries: number;

  /** @param maxEntries - at most this many entries are held; a positive integer. */
  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** Entries held (expired ones linger until looked up or evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The entry for `key` if it may still be served at `now` (epoch ms),
   * marking it most recently used; an entry past its TTL or its token's
   * expiry is dropped and `undefined` returned.
   */
  get(key: string, now: number): CacheEntry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (now > entry.until || now > entry.expiresAt) return undefined;
    this.#entries.set(key, entry);
    return entry;
  }

  /** Store `entry` as the most recently used, evicting the least recently used beyond the bound. */
  set(key: string, entry: CacheEntry): void {
    this.#entries.delete(key);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, entry);
  }

  /** Drop every entry. */
  clear(): void {
    this.#entries.clear();
  }
}
