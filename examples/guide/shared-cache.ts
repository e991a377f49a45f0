/**
 * Guide §2.6, "A fleet of replicas": the replicas of one server share their
 * verifications through Redis or Valkey, so a token costs one STS request in
 * the whole fleet, not one per replica. node-redis (npm `redis`, v4 or
 * later) through `redisStore`.
 */
import { createClient } from 'redis';
import { createVerifier, redisStore } from 'eks-iam-auth';

const client = createClient({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' });
// node-redis reconnects on its own; meanwhile every lookup is a miss and
// the verifier asks STS. Never a reason to stop serving.
client.on('error', () => {});
await client.connect();

export const verifier = createVerifier({
  clusterId: 'prod',
  region: 'eu-west-1',
  cache: { ttl: 120 }, // also how long an identity lives in the store (never past its token)
  sharedCache: {
    store: redisStore(client),
    // The same on every replica, at least 32 bytes: e.g. `openssl rand -base64 32`,
    // from your secret store. Whoever holds it and can write Redis can mint identities.
    secret: process.env['VERIFIER_CACHE_SECRET'] ?? '',
    timeout: 50, // ms per store call; then it is a miss (the default)
  },
});

// verifier.stats(): sharedHits, sharedMisses, sharedRejected (alert on it), sharedErrors.
