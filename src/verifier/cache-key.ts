/**
 * The cache key of a verification (SPEC 3.6): a SHA-256 of the cluster id
 * and the **canonical** presigned URL that `parseToken` rebuilds, never of
 * the token's own text.
 *
 * Why the canonical URL: STS canonicalizes the query before it checks the
 * signature, so one signed URL has many spellings that all verify (parameter
 * order, `%2f` for `%2F`, `%41` for `A`), and each spelling is a different
 * token. Keyed on the token, an attacker holding one token could mint
 * endless cache misses (one STS call each) from it. Why a hash: the URL
 * carries the signature and the session token, a replayable credential for
 * up to 15 minutes; the cache holds 64 hex characters instead.
 *
 * @module
 */
import { Sha256 as PortableSha256 } from '@aws-crypto/sha256-js';
import { getSha256, nodeCryptoOf } from '../token/hash.js';

/** Hashes the text of a cache key to its hex SHA-256 digest, synchronously. */
export type KeyHasher = (text: string) => string;

/**
 * The text that is hashed: the cluster id, a line feed (which a cluster id
 * never contains: `verifyToken` refuses control characters in it), the URL.
 */
export function cacheKeyText(clusterId: string, canonicalUrl: string): string {
  return `${clusterId}\n${canonicalUrl}`;
}

function hex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += (byte < 16 ? '0' : '') + byte.toString(16);
  return text;
}

/** The portable SHA-256 (pure JavaScript), for runtimes without `node:crypto`. */
export const portableKeyHasher: KeyHasher = (text) => {
  const hash = new PortableSha256();
  hash.update(text);
  return hex(hash.digestSync());
};

/**
 * The fastest synchronous hasher available: `node:crypto` where the token
 * code found it (the same conditional import), else the portable one.
 */
export async function loadKeyHasher(): Promise<KeyHasher> {
  const crypto = nodeCryptoOf(await getSha256());
  if (crypto === undefined) return portableKeyHasher;
  // The one-shot `hash` (Node >= 20.12) skips a Hash object per call.
  const { hash } = crypto as {
    hash?: (algorithm: 'sha256', data: string, encoding: 'hex') => string;
  };
  if (typeof hash === 'function') return (text) => hash('sha256', text, 'hex');
  return (text) => crypto.createHash('sha256').update(text).digest('hex');
}
