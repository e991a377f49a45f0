/**
 * The cache key: a SHA-256 of the cluster id and the canonical URL, the
 * same with every hasher the verifier may pick, and different for another
 * cluster or another URL.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheKeyText, loadKeyHasher, portableKeyHasher } from '../../src/verifier/cache-key.js';

const URL = 'https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15';

describe('cache key', () => {
  const TEXTS: [string, string][] = [
    ['empty', ''],
    ['a key text', cacheKeyText('demo', URL)],
    ['non-ASCII cluster id (Latin-1)', cacheKeyText('démo', URL)],
    ['long', 'x'.repeat(20_000)],
  ];
  it.each(TEXTS)('%s: portable and native hashers agree with SHA-256', async (_, text) => {
    const native = await loadKeyHasher();
    const expected = createHash('sha256').update(text).digest('hex');
    expect(portableKeyHasher(text)).toBe(expected);
    expect(native(text)).toBe(expected);
  });

  it('the cluster id and the URL are both in the key, unambiguously', () => {
    const keys = new Set([
      portableKeyHasher(cacheKeyText('demo', URL)),
      portableKeyHasher(cacheKeyText('other', URL)),
      portableKeyHasher(cacheKeyText('demo', `${URL}&X`)),
      portableKeyHasher(cacheKeyText('demo\nhttps:', URL)),
    ]);
    expect(keys.size).toBe(4);
  });
});
