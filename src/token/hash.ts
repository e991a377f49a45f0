/**
 * The SHA-256 / HMAC-SHA256 implementation handed to the SigV4 signer.
 *
 * `@aws-crypto/sha256-js` is pure JavaScript and runs everywhere, but a token
 * costs several hashes and HMACs, and on Node `node:crypto` does them several
 * times faster. So `node:crypto` is loaded once, conditionally, and the
 * portable implementation is the fallback wherever it cannot be imported
 * (browsers, edge workers without Node compatibility). Where the native hash
 * is chosen, `sigv4.ts` also signs natively (`native-presigner.ts`) with the
 * same `node:crypto` module, found through {@link nodeCryptoOf}.
 *
 * @module
 */
import { Sha256 as PortableSha256 } from '@aws-crypto/sha256-js';

/** What the signer feeds a hash: UTF-8 text or bytes. */
export type SourceData = string | ArrayBuffer | ArrayBufferView;

/** One running SHA-256 (or, with a secret, HMAC-SHA256) computation. */
export interface Sha256Hash {
  /** Add data; strings are UTF-8. */
  update(data: SourceData): void;
  /** The digest of everything added so far. */
  digest(): Promise<Uint8Array>;
  /** Start over with the same secret. */
  reset(): void;
}

/**
 * A SHA-256 class as `@smithy/signature-v4` expects it: `new Sha256()` hashes,
 * `new Sha256(secret)` computes an HMAC keyed with `secret`.
 */
export type Sha256Constructor = new (secret?: SourceData) => Sha256Hash;

/** The part of `node:crypto` this module and the native presigner use. */
export interface NodeCryptoLike {
  createHash(algorithm: 'sha256'): NodeDigest;
  /** A string key is UTF-8, as SigV4's `"AWS4" + secret` requires. */
  createHmac(algorithm: 'sha256', key: string | Uint8Array): NodeDigest;
}

/** A running `node:crypto` hash or HMAC (strings are hashed as UTF-8). */
export interface NodeDigest {
  /** Add data; returns the same digest, for chaining. */
  update(data: string | Uint8Array): NodeDigest;
  /** The digest as bytes. */
  digest(): Uint8Array;
  /** The digest as lower-case hex. */
  digest(encoding: 'hex'): string;
}

/** Loads `node:crypto`; rejects where there is no such module. */
export type NodeCryptoImporter = () => Promise<NodeCryptoLike>;

const importNodeCrypto: NodeCryptoImporter = () => import('node:crypto');

const textEncoder = new TextEncoder();

function toBytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return textEncoder.encode(data);
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

// The node:crypto module behind each class nodeSha256 made, so that the
// presigner can sign natively exactly where this hash is native.
const nodeCryptoByClass = new WeakMap<Sha256Constructor, NodeCryptoLike>();

/**
 * The `node:crypto` module behind `sha256` if {@link nodeSha256} made it,
 * else `undefined` (the portable implementation, or a test's own class).
 */
export function nodeCryptoOf(sha256: Sha256Constructor): NodeCryptoLike | undefined {
  return nodeCryptoByClass.get(sha256);
}

/** A {@link Sha256Constructor} backed by `node:crypto`'s native hash and HMAC. */
export function nodeSha256(crypto: NodeCryptoLike): Sha256Constructor {
  const NodeSha256 = class NodeSha256 implements Sha256Hash {
    readonly #secret: Uint8Array | undefined;
    #digest: NodeDigest;

    constructor(secret?: SourceData) {
      if (secret === undefined) {
        this.#secret = undefined;
        this.#digest = crypto.createHash('sha256');
      } else {
        this.#secret = toBytes(secret);
        this.#digest = crypto.createHmac('sha256', this.#secret);
      }
    }

    update(data: SourceData): void {
      // node:crypto reads a string as UTF-8, as the signer requires.
      this.#digest.update(
        typeof data === 'string' || data instanceof Uint8Array ? data : toBytes(data),
      );
    }

    digest(): Promise<Uint8Array> {
      return Promise.resolve(this.#digest.digest());
    }

    reset(): void {
      this.#digest =
        this.#secret === undefined
          ? crypto.createHash('sha256')
          : crypto.createHmac('sha256', this.#secret);
    }
  };
  nodeCryptoByClass.set(NodeSha256, crypto);
  return NodeSha256;
}

/** The portable, pure-JavaScript implementation (`@aws-crypto/sha256-js`). */
export const portableSha256: Sha256Constructor = PortableSha256;

/**
 * Pick the fastest available implementation: `node:crypto` if `importer` can
 * load it, else the portable one. Never rejects.
 */
export async function selectSha256(
  importer: NodeCryptoImporter = importNodeCrypto,
): Promise<Sha256Constructor> {
  try {
    const crypto = await importer();
    if (typeof crypto.createHash !== 'function' || typeof crypto.createHmac !== 'function') {
      return portableSha256;
    }
    return nodeSha256(crypto);
  } catch {
    // No node:crypto here (browser, edge worker): stay portable.
    return portableSha256;
  }
}

let selected: Promise<Sha256Constructor> | undefined;

/** The process-wide implementation, selected once by {@link selectSha256}. */
export function getSha256(): Promise<Sha256Constructor> {
  selected ??= selectSha256();
  return selected;
}
