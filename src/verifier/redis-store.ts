/**
 * `redisStore(client)` (SPEC 3.7): a connected client of the Node Redis
 * client (npm `redis`, node-redis v4 or later; Valkey speaks the same
 * protocol) as the fleet's {@link SharedStore}. The package never imports
 * `redis` (an optional peer): the client is duck-typed, and the two commands
 * go through `sendCommand`, the same in every node-redis version since 4.
 *
 * node-redis queues commands while it is not connected (its offline queue)
 * and runs them once it reconnects. A verifier must never wait for a
 * connection, and a write must never land long after it was meant: when the
 * client is not ready, a call fails at once (a miss, and STS is asked)
 * without reaching the client. Only the instant between the server dying
 * and the client noticing can hold a command, and the shared cache's timeout
 * covers it.
 *
 * A value is read with `GETRANGE key 0 4096`, never `GET`: whoever can write
 * the store (no secret needed) could otherwise put a 512 MiB value under
 * every key, which each replica would download and decode before seeing it
 * is not a sealed value (1 GiB of memory per look-up). A sealed value is far
 * shorter; a longer one is refused after 4,097 bytes.
 *
 * @module
 */
import { MAX_SHARED_VALUE_LENGTH } from './seal.js';
import type { SharedStore } from './shared-cache.js';

// GETRANGE's end is inclusive: one character more than a sealed value may
// have, so a longer value is still seen as too long (and refused).
const READ_END = String(MAX_SHARED_VALUE_LENGTH);

/**
 * The part of a node-redis client (`createClient()` of npm `redis` v4 or
 * later, connected) that {@link redisStore} uses.
 */
export interface RedisClientLike {
  /** True while the client is connected and ready for commands (node-redis `isReady`). */
  readonly isReady: boolean;
  /** Send one command, its arguments as strings (node-redis `sendCommand`). */
  sendCommand(args: string[]): Promise<unknown>;
}

function notReady(): Promise<never> {
  return Promise.reject(new Error('redis client is not ready (not connected)'));
}

/**
 * Adapt a connected node-redis client as the shared cache's store:
 * `GETRANGE key 0 4096` (at most one character more than a sealed value
 * may have) and `SET key value PXAT expiresAtMs` (Redis 6.2+, or Valkey). Connect the
 * client yourself and keep it connected (node-redis reconnects on its own);
 * the verifier never waits for it: while `client.isReady` is false every
 * call is a miss at once.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client = createClient({ url: process.env.REDIS_URL });
 * client.on('error', () => {}); // node-redis reconnects; the verifier falls back to STS meanwhile
 * await client.connect();
 * const verifier = createVerifier({
 *   clusterId: 'prod',
 *   region: 'eu-west-1',
 *   sharedCache: { store: redisStore(client), secret: process.env.VERIFIER_CACHE_SECRET! },
 * });
 * ```
 * @param client - A node-redis client (`isReady`, `sendCommand`).
 * @returns The store.
 * @throws `TypeError` when `client` has neither `isReady` nor `sendCommand`.
 */
export function redisStore(client: RedisClientLike): SharedStore {
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof client.sendCommand !== 'function' ||
    !('isReady' in client)
  ) {
    throw new TypeError('redisStore: client must be a node-redis client (isReady, sendCommand)');
  }
  return {
    async get(key) {
      if (!client.isReady) return notReady();
      const value = await client.sendCommand(['GETRANGE', key, '0', READ_END]);
      // GETRANGE answers "" for a missing key: a plain miss, as null is.
      if (value === null || value === undefined || value === '') return null;
      // A value that is not text (a Buffer under a type mapping) is not ours.
      return typeof value === 'string' ? value : String(value);
    },
    async set(key, value, expiresAtMs) {
      if (!client.isReady) return notReady();
      return client.sendCommand(['SET', key, value, 'PXAT', String(Math.floor(expiresAtMs))]);
    },
  };
}
