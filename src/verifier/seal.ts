/**
 * The shared cache's cryptography (SPEC 3.7): storage-key names and sealed
 * values, both under keys derived from the fleet's `secret`, so that whoever
 * can read the store learns no token or URL and whoever can write it cannot
 * mint an identity.
 *
 * - Two keys are derived from the secret with HKDF-SHA256 (RFC 5869), one
 *   per purpose: naming and sealing never share a key.
 * - A name is the base64url HMAC-SHA256 of its text under the naming key:
 *   nobody without the secret can compute the name of a token's entry (a
 *   bare hash of the URL could be computed by anyone holding the token).
 * - A value is sealed with AES-256-GCM under a key of its own, HMAC-SHA256
 *   of its storage key under the sealing key, with the storage key as
 *   associated data: a value moved to another key (another token, another
 *   cluster, another prefix) does not open. A key per storage key also keeps
 *   GCM's random 96-bit nonces far from their collision bound (about 2^32
 *   seals under one key): one storage key is written a handful of times,
 *   once per replica that verified its token.
 * - Layout of a sealed value: base64url of `0x01 ‖ nonce (12) ‖ ciphertext ‖
 *   tag (16)`.
 *
 * Implemented on `node:crypto` (synchronous) where the token signer found it,
 * else on WebCrypto (`crypto.subtle`), as the signer and the cache key are;
 * both give the same names and open each other's values.
 *
 * @module
 */
import { decodeBase64UrlStrict, encodeBase64Url } from '../token/base64url.js';
import { getSigningCrypto } from '../token/hash.js';

/** Naming and sealing under the keys derived from one secret. */
export interface SharedKeys {
  /** The base64url HMAC-SHA256 of `text` under the naming key (43 characters). */
  nameOf(text: string): string | Promise<string>;
  /** `plaintext` sealed for the storage key `aad`. */
  seal(plaintext: string, aad: string): string | Promise<string>;
  /** The plaintext of a value sealed for `aad` by the same secret, or `undefined` if it does not open. */
  open(sealed: string, aad: string): string | undefined | Promise<string | undefined>;
}

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/**
 * The longest value the shared cache opens (real sealed values are under
 * 400 characters). A store should read no more than one character beyond it
 * (Redis `GETRANGE key 0 4096`, as `redisStore` does): whoever can write the
 * store could otherwise make every replica download a 512 MiB value.
 */
export const MAX_SHARED_VALUE_LENGTH = 4096;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });
const SALT = utf8.encode('eks-iam-auth shared verification cache');
const NAMING_INFO = utf8.encode('v1 storage key names');
const SEALING_INFO = utf8.encode('v1 value sealing');

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    text += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return text;
}

function bytesOf(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function toBase64Url(bytes: Uint8Array): string {
  return encodeBase64Url(latin1(bytes));
}

function randomNonce(): Uint8Array<ArrayBuffer> {
  return (globalThis as { crypto: Crypto }).crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
}

/** Splits a sealed value into nonce and ciphertext-with-tag, or `undefined` when it is not one. */
function unpack(
  sealed: string,
): { nonce: Uint8Array<ArrayBuffer>; body: Uint8Array<ArrayBuffer> } | undefined {
  if (typeof sealed !== 'string' || sealed.length > MAX_SHARED_VALUE_LENGTH) return undefined;
  const decoded = decodeBase64UrlStrict(sealed);
  if (decoded === undefined || decoded.length < 1 + NONCE_BYTES + TAG_BYTES) return undefined;
  const bytes = bytesOf(decoded);
  if (bytes[0] !== VERSION) return undefined;
  return { nonce: bytes.subarray(1, 1 + NONCE_BYTES), body: bytes.subarray(1 + NONCE_BYTES) };
}

function pack(nonce: Uint8Array, body: Uint8Array): string {
  const bytes = new Uint8Array(1 + nonce.length + body.length);
  bytes[0] = VERSION;
  bytes.set(nonce, 1);
  bytes.set(body, 1 + nonce.length);
  return toBase64Url(bytes);
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return fromUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The part of `node:crypto` used here. */
interface NodeSealCrypto {
  hkdfSync(
    digest: 'sha256',
    ikm: Uint8Array,
    salt: Uint8Array,
    info: Uint8Array,
    keylen: number,
  ): ArrayBuffer;
  createHmac(
    algorithm: 'sha256',
    key: Uint8Array,
  ): {
    update(data: string): { digest(): Uint8Array };
  };
  createCipheriv(
    algorithm: 'aes-256-gcm',
    key: Uint8Array,
    iv: Uint8Array,
  ): {
    setAAD(data: Uint8Array): unknown;
    update(data: Uint8Array): Uint8Array;
    final(): Uint8Array;
    getAuthTag(): Uint8Array;
  };
  createDecipheriv(
    algorithm: 'aes-256-gcm',
    key: Uint8Array,
    iv: Uint8Array,
  ): {
    setAAD(data: Uint8Array): unknown;
    setAuthTag(tag: Uint8Array): unknown;
    update(data: Uint8Array): Uint8Array;
    final(): Uint8Array;
  };
}

function isNodeSealCrypto(value: unknown): value is NodeSealCrypto {
  const crypto = value as Partial<Record<keyof NodeSealCrypto, unknown>>;
  return (
    typeof crypto.hkdfSync === 'function' &&
    typeof crypto.createHmac === 'function' &&
    typeof crypto.createCipheriv === 'function' &&
    typeof crypto.createDecipheriv === 'function'
  );
}

/** {@link SharedKeys} on `node:crypto`: every operation synchronous. */
export function nodeSharedKeys(crypto: NodeSealCrypto, secret: Uint8Array): SharedKeys {
  const naming = new Uint8Array(crypto.hkdfSync('sha256', secret, SALT, NAMING_INFO, KEY_BYTES));
  const sealing = new Uint8Array(crypto.hkdfSync('sha256', secret, SALT, SEALING_INFO, KEY_BYTES));
  const hmac = (key: Uint8Array, text: string): Uint8Array =>
    crypto.createHmac('sha256', key).update(text).digest();
  return {
    nameOf: (text) => toBase64Url(hmac(naming, text)),
    seal(plaintext, aad) {
      const nonce = randomNonce();
      const cipher = crypto.createCipheriv('aes-256-gcm', hmac(sealing, aad), nonce);
      cipher.setAAD(utf8.encode(aad));
      const head = cipher.update(utf8.encode(plaintext));
      const tail = cipher.final();
      const tag = cipher.getAuthTag();
      const body = new Uint8Array(head.length + tail.length + tag.length);
      body.set(head, 0);
      body.set(tail, head.length);
      body.set(tag, head.length + tail.length);
      return pack(nonce, body);
    },
    open(sealed, aad) {
      const parts = unpack(sealed);
      if (parts === undefined) return undefined;
      const { nonce, body } = parts;
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', hmac(sealing, aad), nonce);
        decipher.setAAD(utf8.encode(aad));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        const head = decipher.update(body.subarray(0, body.length - TAG_BYTES));
        const tail = decipher.final();
        const plain = new Uint8Array(head.length + tail.length);
        plain.set(head, 0);
        plain.set(tail, head.length);
        return decodeUtf8(plain);
      } catch {
        // The tag did not verify: tampered, forged, moved, or another secret's.
        return undefined;
      }
    },
  };
}

/** {@link SharedKeys} on WebCrypto, for runtimes without `node:crypto`. */
export async function webCryptoSharedKeys(
  subtle: SubtleCrypto,
  secret: Uint8Array<ArrayBuffer>,
): Promise<SharedKeys> {
  const root = await subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits']);
  const derive = async (info: Uint8Array<ArrayBuffer>): Promise<CryptoKey> => {
    const bits = await subtle.deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: SALT, info },
      root,
      KEY_BYTES * 8,
    );
    return subtle.importKey('raw', bits, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  };
  const naming = await derive(NAMING_INFO);
  const sealing = await derive(SEALING_INFO);
  const valueKey = async (aad: string, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> => {
    const raw = await subtle.sign('HMAC', sealing, utf8.encode(aad));
    return subtle.importKey('raw', raw, 'AES-GCM', false, [usage]);
  };
  return {
    nameOf: async (text) =>
      toBase64Url(new Uint8Array(await subtle.sign('HMAC', naming, utf8.encode(text)))),
    async seal(plaintext, aad) {
      const nonce = randomNonce();
      const body = await subtle.encrypt(
        { name: 'AES-GCM', iv: nonce, additionalData: utf8.encode(aad), tagLength: 128 },
        await valueKey(aad, 'encrypt'),
        utf8.encode(plaintext),
      );
      return pack(nonce, new Uint8Array(body));
    },
    async open(sealed, aad) {
      const parts = unpack(sealed);
      if (parts === undefined) return undefined;
      try {
        const plain = await subtle.decrypt(
          { name: 'AES-GCM', iv: parts.nonce, additionalData: utf8.encode(aad), tagLength: 128 },
          await valueKey(aad, 'decrypt'),
          parts.body,
        );
        return decodeUtf8(new Uint8Array(plain));
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The keys of `secret` on the implementation the token signer picked:
 * `node:crypto` where it loads (and has HKDF and AES-GCM), else WebCrypto.
 */
export async function deriveSharedKeys(secret: Uint8Array<ArrayBuffer>): Promise<SharedKeys> {
  const signing = await getSigningCrypto();
  if (signing.kind === 'node' && isNodeSealCrypto(signing.crypto)) {
    return nodeSharedKeys(signing.crypto, secret);
  }
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (subtle === undefined) {
    throw new TypeError('this runtime has neither node:crypto nor WebCrypto (crypto.subtle)');
  }
  return webCryptoSharedKeys(subtle, secret);
}
