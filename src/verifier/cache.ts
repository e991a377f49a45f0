/**
 * The verifier's bounded caches of STS answers (SPEC 3.6). Identities and
 * definitive rejections live in two separate instances, so a flood of
 * rejected tokens can only evict other rejections, never a cached identity.
 * Each is a least-recently-used map (a hit moves its entry to the end; a full
 * map drops its first entry), so memory stays flat whatever the traffic.
 *
 * @module
 */
import { BoundedMap } from './bounded-map.js';

/** A cached answer with the instants it stops being served. */
export interface CacheEntry<T> {
  /** What STS answered (an identity, or a rejection). */
  readonly answer: T;
  /** Epoch milliseconds: served while the verifier's clock is at or before this (the TTL). */
  readonly until: number;
  /** Epoch milliseconds: the token's own expiry; never served past it. */
  readonly expiresAt: number;
}

/** A bounded map from cache key to {@link CacheEntry}, least recently used first. */
export class AnswerCache<T> {
  readonly #entries: BoundedMap<string, CacheEntry<T>>;

  /** @param maxEntries - at most this many entries are held; a positive integer. */
  constructor(maxEntries: number) {
    this.#entries = new BoundedMap(maxEntries);
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
  get(key: string, now: number): CacheEntry<T> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (now > entry.until || now > entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Store `entry` as the most recently used, evicting the least recently used beyond the bound. */
  set(key: string, entry: CacheEntry<T>): void {
    this.#entries.set(key, entry);
  }

  /** Drop every entry. */
  clear(): void {
    this.#entries.clear();
  }
}
