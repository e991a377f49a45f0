/**
 * A `Map` with a bound on its size, in least-recently-used order: the
 * verifier's state (cached answers, backoff windows, signers' accounts) is
 * fed by hostile traffic, so every map it keeps drops its least recently
 * used entry rather than grow.
 *
 * @module
 */

/** A `Map` that holds at most `maxEntries` entries, least recently used first. */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #maxEntries: number;

  /** @param maxEntries - at most this many entries are held; a positive integer. */
  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** The value for `key`, without changing the order. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Store `value` as the most recently used, dropping the least recently used beyond the bound. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
  }

  /** Drop `key`. */
  delete(key: K): void {
    this.#entries.delete(key);
  }

  /** Drop every entry. */
  clear(): void {
    this.#entries.clear();
  }

  /** The values, least recently used first. */
  values(): IterableIterator<V> {
    return this.#entries.values();
  }
}
