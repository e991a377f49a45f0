/**
 * The cache key: a SHA-256 of the cluster id and the canonical URL, the
 * same with every hasher the verifier may pick (node:crypto, WebCrypto), and
 * different for another cluster or another URL.
 */
import { createHash, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SubtleCryptoLike } from '../../src/token/hash.js';
import { cacheKeyText, loadKeyHasher, webCryptoKeyHasher } from '../../src/verifier/cache-key.js';

const URL = 'https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15';
const portable = webCryptoKeyHasher(webcrypto.subtle as unknown as SubtleCryptoLike);

describe('cache key', () => {
  const TEXTS: [string, string][] = [
    ['empty', ''],
    ['a key text', cacheKeyText('demo', URL)],
    ['non-ASCII cluster id (Latin-1)', cacheKeyText('démo', URL)],
    ['long', 'x'.repeat(20_000)],
  ];
  it.each(TEXTS)('%s: WebCrypto and native hashers agree with SHA-256', async (_, text) => {
    const native = await loadKeyHasher();
    const expected = createHash('sha256').update(text).digest('hex');
    expect(await portable(text)).toBe(expected);
    // On Node the native hasher answers synchronously: a cache hit needs no await.
    expect(native(text)).toBe(expected);
  });

  it('the cluster id and the URL are both in the key, unambiguously', async () => {
    const keys = new Set(
      await Promise.all([
        portable(cacheKeyText('demo', URL)),
        portable(cacheKeyText('other', URL)),
        portable(cacheKeyText('demo', `${URL}&X`)),
        portable(cacheKeyText('demo\nhttps:', URL)),
      ]),
    );
    expect(keys.size).toBe(4);
  });
});
