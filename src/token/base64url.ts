/**
 * Strict base64url (RFC 4648 section 5, no padding) for the token body.
 *
 * Strict means canonical: only the URL-safe alphabet, no `=`, no length that
 * cannot come from whole bytes, and zero unused bits in the last character, so
 * exactly one string encodes a given URL. A lenient decoder lets an attacker
 * mint many spellings of one token, which defeats caches and replay logs keyed
 * on the token string.
 *
 * Node's `Buffer` is used when present (it is much faster); otherwise the
 * web-standard `btoa`/`atob`, so the core runs in Deno, Bun and edge workers.
 *
 * @module
 */

interface BufferLike {
  from(input: string, encoding: string): { toString(encoding: string): string };
}

const NodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

// Searching for one bad character is faster in V8 than matching the whole
// string against `^[A-Za-z0-9_-]*$`.
const NOT_ALPHABET = /[^A-Za-z0-9_-]/;
const INDEX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Encode a Latin-1 (in practice ASCII) string as unpadded base64url. */
export function encodeBase64Url(text: string): string {
  if (NodeBuffer) return NodeBuffer.from(text, 'latin1').toString('base64url');
  return btoa(text)
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/={1,2}$/, '');
}

/**
 * Decode canonical unpadded base64url to a Latin-1 string (one char per byte),
 * or return `undefined` if `encoded` is not canonical base64url.
 */
export function decodeBase64UrlStrict(encoded: string): string | undefined {
  if (NodeBuffer) {
    // Node's decoder skips characters outside the alphabet and accepts '+',
    // '/' and '='; re-encoding gives the canonical spelling, so equality
    // proves `encoded` was it (alphabet, padding and unused bits at once).
    const bytes = NodeBuffer.from(encoded, 'base64url');
    return bytes.toString('base64url') === encoded ? bytes.toString('latin1') : undefined;
  }
  if (NOT_ALPHABET.test(encoded)) return undefined;
  const tail = encoded.length % 4;
  if (tail === 1) return undefined;
  if (tail !== 0) {
    // The last character carries 4 (tail 2) or 2 (tail 3) bits that belong
    // to no byte; a canonical encoder leaves them zero.
    const last = INDEX.indexOf(encoded[encoded.length - 1] as string);
    const unusedMask = tail === 2 ? 0b1111 : 0b11;
    if ((last & unusedMask) !== 0) return undefined;
  }
  const standard = encoded.replace(/-/g, '+').replace(/_/g, '/');
  return atob(standard + '='.repeat((4 - tail) % 4));
}
