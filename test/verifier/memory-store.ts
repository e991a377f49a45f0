/**
 * A shared store in memory for the shared-cache tests: it records its
 * calls, and can fail or hang on request.
 */
import type { SharedStore } from '../../src/verifier/shared-cache.js';

/** A store in memory that records its calls, and can fail or hang on request. */
export interface MemoryStore extends SharedStore {
  values: Map<string, { value: string; expiresAtMs: number }>;
  calls: string[];
  mode: 'ok' | 'fail' | 'hang';
  /** Settle every hung call (with `undefined`, as a store that comes back). */
  wake(): void;
}

/** See {@link MemoryStore}. */
export function memoryStore(): MemoryStore {
  let hung: (() => void)[] = [];
  const store: MemoryStore = {
    values: new Map(),
    calls: [],
    mode: 'ok',
    wake() {
      for (const settle of hung) settle();
      hung = [];
    },
    get(key) {
      store.calls.push(`GET ${key}`);
      if (store.mode === 'fail') return Promise.reject(new Error('connection refused'));
      if (store.mode === 'hang') {
        return new Promise((resolve) => hung.push(() => resolve(undefined)));
      }
      return Promise.resolve(store.values.get(key)?.value ?? null);
    },
    set(key, value, expiresAtMs) {
      store.calls.push(`SET ${key}`);
      if (store.mode === 'fail') return Promise.reject(new Error('connection refused'));
      if (store.mode === 'hang') return new Promise((resolve) => hung.push(() => resolve('OK')));
      store.values.set(key, { value, expiresAtMs });
      return Promise.resolve('OK');
    },
  };
  return store;
}
