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
import { getSigningCrypto } from '../token/hash.js';
import type { SubtleCryptoLike } from '../token/hash.js';

/**
 * Hashes the text of a cache key to its hex SHA-256 digest: synchronously
 * with `node:crypto`, through a promise with WebCrypto (runtimes without
 * `node:crypto`, such as workerd without `nodejs_compat`, have no
 * synchronous SHA-256).
 */
export type KeyHasher = (text: string) => string | Promise<string>;

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

const utf8 = new TextEncoder();

/** The WebCrypto hasher, for runtimes without `node:crypto`. */
export function webCryptoKeyHasher(subtle: SubtleCryptoLike): KeyHasher {
  return async (text) => hex(new Uint8Array(await subtle.digest('SHA-256', utf8.encode(text))));
}

/**
 * The hasher of the implementation the token signer picked (one choice per
 * process): `node:crypto`, synchronous, where it loads; WebCrypto elsewhere.
 */
export async function loadKeyHasher(): Promise<KeyHasher> {
  const signing = await getSigningCrypto();
  if (signing.kind === 'webcrypto') return webCryptoKeyHasher(signing.subtle);
  const { crypto } = signing;
  // The one-shot `hash` (Node >= 20.12) skips a Hash object per call.
  const { hash } = crypto as {
    hash?: (algorithm: 'sha256', data: string, encoding: 'hex') => string;
  };
  if (typeof hash === 'function') return (text) => hash('sha256', text, 'hex');
  return (text) => crypto.createHash('sha256').update(text).digest('hex');
}
