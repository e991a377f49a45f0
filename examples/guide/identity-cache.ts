/**
 * Guide §2.6: cache verified identities so that a client reusing its token
 * (kubectl does, for up to 14 minutes) costs one STS call, not one per request.
 */
import { createHash } from 'node:crypto';
import { verifyToken } from 'eks-iam-auth';
import type { VerifiedIdentity, VerifyTokenOptions } from 'eks-iam-auth';

const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  identity: Promise<VerifiedIdentity>;
  until: number;
}

const cache = new Map<string, Entry>();

/** verifyToken, memoized by a hash of the token for at most TTL_MS and never past its expiry. */
export function verifyCached(
  token: string,
  options: VerifyTokenOptions,
): Promise<VerifiedIdentity> {
  // Key by a hash: the map then never holds a usable credential.
  const key = createHash('sha256').update(token).digest('base64url');
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.identity;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  // Cache the promise: concurrent requests with one token share one STS call.
  const identity = verifyToken(token, options);
  cache.set(key, { identity, until: now + TTL_MS });
  identity.then(
    (verified) => {
      const entry = cache.get(key);
      if (entry) entry.until = Math.min(entry.until, verified.expiresAt.getTime());
    },
    // Never cache failures: a throttled or timed-out call must be retried.
    () => cache.delete(key),
  );
  return identity;
}
