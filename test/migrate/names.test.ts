/**
 * Resource names of rendered plans: FNV-1a 64 against the published test
 * vectors (Fowler, Noll, Vo: http://www.isthe.com/chongo/tech/comp/fnv/),
 * names stable whatever the other entries, and a clash refused.
 */
import { describe, expect, it } from 'vitest';
import { fnv1a64, stableNames } from '../../src/migrate/render/names.js';

describe('fnv1a64', () => {
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('%j', (text, hash) => {
    expect(fnv1a64(text)).toBe(hash);
  });

  it('hashes UTF-8 bytes', () => {
    expect(fnv1a64('é')).toBe(fnv1a64('\u00e9'));
    expect(fnv1a64('é')).not.toBe(fnv1a64('e\u0301'));
  });
});

describe('stableNames', () => {
  const arn = (name: string): string => `arn:aws:iam::111122223333:role/${name}`;
  const build = (readable: string, hash: string): string => `Entry${readable}${hash}`;

  it('keeps a readable part of the principal name and tells look-alikes apart', () => {
    const [a, b] = stableNames([arn('a-b'), arn('ab')], /[A-Za-z0-9]/, build);
    expect(a).toMatch(/^Entryab[0-9a-f]{12}$/);
    expect(b).toMatch(/^Entryab[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });

  it('gives a principal the same name whatever comes before it', () => {
    const alone = stableNames([arn('x')], /[A-Za-z0-9]/, build);
    const after = stableNames([arn('y'), arn('z'), arn('x')], /[A-Za-z0-9]/, build);
    expect(after[2]).toBe(alone[0]);
  });

  it('refuses two principals with one name, never merges them', () => {
    expect(() => stableNames([arn('a'), arn('b')], /[A-Za-z0-9]/, () => 'Same')).toThrow(
      expect.objectContaining({ code: 'ERR_MIGRATION_RENDER', reason: 'name-clash' }),
    );
  });
});
