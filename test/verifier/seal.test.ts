/**
 * The shared cache's cryptography (`src/verifier/seal.ts`): the
 * `node:crypto` and WebCrypto implementations give the same names and open
 * each other's values (a fleet may mix runtimes); a value opens only for the
 * storage key it was sealed for, under the secret it was sealed with, and
 * not after a single changed byte. Names are HMAC-SHA256 under an HKDF key,
 * checked against a computation written out here with `node:crypto`.
 */
import { createHmac, hkdfSync, webcrypto } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeSharedKeys, webCryptoSharedKeys } from '../../src/verifier/seal.js';
import type { SharedKeys } from '../../src/verifier/seal.js';

const utf8 = new TextEncoder();
const SECRET = utf8.encode('0123456789abcdef0123456789abcdef-secret');
const OTHER = utf8.encode('0123456789abcdef0123456789abcdef-other!');

async function both(secret: Uint8Array<ArrayBuffer>): Promise<[string, SharedKeys][]> {
  return [
    ['node:crypto', nodeSharedKeys(nodeCrypto as never, secret)],
    ['WebCrypto', await webCryptoSharedKeys(webcrypto.subtle as SubtleCrypto, secret)],
  ];
}

describe('seal', () => {
  it('names: HMAC-SHA256 under HKDF(secret), the same in both implementations', async () => {
    const key = Buffer.from(
      hkdfSync(
        'sha256',
        SECRET,
        'eks-iam-auth shared verification cache',
        'v1 storage key names',
        32,
      ),
    );
    const expected = createHmac('sha256', key).update('cluster\nhttps://x/').digest('base64url');
    for (const [, keys] of await both(SECRET)) {
      await expect(Promise.resolve(keys.nameOf('cluster\nhttps://x/'))).resolves.toBe(expected);
    }
    const [, other] = (await both(OTHER))[0] as [string, SharedKeys];
    expect(await other.nameOf('cluster\nhttps://x/')).not.toBe(expected);
  });

  it('each implementation opens what the other sealed, for that key only', async () => {
    const implementations = await both(SECRET);
    for (const [, sealer] of implementations) {
      const sealed = await sealer.seal('{"a":"é"}', 'prefix:key-1');
      expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
      // Version byte 1, 12-byte nonce, ciphertext, 16-byte tag.
      const bytes = Buffer.from(sealed, 'base64url');
      expect(bytes[0]).toBe(1);
      expect(bytes.length).toBe(1 + 12 + Buffer.byteLength('{"a":"é"}') + 16);
      for (const [, opener] of implementations) {
        await expect(Promise.resolve(opener.open(sealed, 'prefix:key-1'))).resolves.toBe(
          '{"a":"é"}',
        );
        await expect(Promise.resolve(opener.open(sealed, 'prefix:key-2'))).resolves.toBeUndefined();
      }
    }
  });

  it('two seals of one value differ (a fresh nonce each time)', async () => {
    const [, keys] = (await both(SECRET))[0] as [string, SharedKeys];
    expect(await keys.seal('x', 'k')).not.toBe(await keys.seal('x', 'k'));
  });

  it('nothing opens under another secret, or after any one byte changed', async () => {
    const [, keys] = (await both(SECRET))[0] as [string, SharedKeys];
    const sealed = await keys.seal('{"arn":"x"}', 'k');
    for (const [, other] of await both(OTHER)) {
      await expect(Promise.resolve(other.open(sealed, 'k'))).resolves.toBeUndefined();
    }
    const bytes = Buffer.from(sealed, 'base64url');
    for (const [name, opener] of await both(SECRET)) {
      for (let i = 0; i < bytes.length; i++) {
        const changed = Buffer.from(bytes);
        changed[i] = (changed[i] as number) ^ 0x01;
        const opened = await opener.open(changed.toString('base64url'), 'k');
        expect({ name, i, opened }).toEqual({ name, i, opened: undefined });
      }
    }
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['too short', Buffer.alloc(20, 1).toString('base64url')],
    [
      'another version byte',
      Buffer.concat([Buffer.from([2]), Buffer.alloc(40)]).toString('base64url'),
    ],
    ['far too long', 'A'.repeat(5000)],
  ])('%s is not a sealed value', async (_, value) => {
    for (const [, keys] of await both(SECRET)) {
      await expect(Promise.resolve(keys.open(value, 'k'))).resolves.toBeUndefined();
    }
  });
});
