/**
 * `--redis-url`: the replicas of the webhook share their verifications
 * through Redis or Valkey (`createVerifier`'s `sharedCache`, with
 * `redisStore` on a node-redis client), so a token costs one STS request in
 * the whole fleet, not one per replica. Every replica needs the same secret
 * (`VERIFIER_CACHE_SECRET`, at least 32 bytes).
 *
 * Redis is never a start-up dependency: the webhook serves at once, asking
 * STS, and shares as soon as the client connects; while Redis is down or
 * slow, verifications go to STS (never refused).
 */
import { redisStore } from 'eks-iam-auth';
import type { SharedCacheOptions } from 'eks-iam-auth';

/** The shared cache of one replica, and how to let go of its connection. */
export interface RedisSharedCache {
  readonly options: SharedCacheOptions;
  close(): Promise<void>;
}

/** A shared cache on the Redis or Valkey server at `url` (`redis://…`, `rediss://…`). */
export async function redisSharedCache(url: string, secret: string): Promise<RedisSharedCache> {
  // The redis package is an optional dependency of this example.
  const { createClient } = await import('redis').catch(() => {
    throw new Error('--redis-url needs the redis package (npm install redis)');
  });
  const client = createClient({ url });
  // node-redis reconnects on its own; meanwhile every lookup is a miss.
  client.on('error', () => {});
  client.connect().catch(() => {});
  return {
    options: { store: redisStore(client), secret },
    close: () => client.close().catch(() => undefined),
  };
}
