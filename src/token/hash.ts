/**
 * The SHA-256 / HMAC-SHA256 the token signer runs on, chosen once per
 * process.
 *
 * `node:crypto` where it can be imported (Node, Bun, Deno, workerd with
 * `nodejs_compat`): synchronous and the fastest. Elsewhere WebCrypto
 * (`crypto.subtle`, in every runtime this library supports, workerd without
 * `nodejs_compat` included). Both give the same bytes; the native module is
 * imported by name at run time, so no bundle of this library contains a
 * static `node:` import.
 *
 * @module
 */
import { importOptional } from '../util/optional-import.js';

/** The part of `node:crypto` the native signer uses. */
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

/** The part of WebCrypto's `SubtleCrypto` the portable signer uses. */
export interface SubtleCryptoLike {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: 'HMAC'; hash: 'SHA-256' },
    extractable: false,
    keyUsages: ['sign'],
  ): Promise<unknown>;
  sign(algorithm: 'HMAC', key: never, data: Uint8Array): Promise<ArrayBuffer>;
}

/** Which implementation signs: `node:crypto` (synchronous) or WebCrypto. */
export type SigningCrypto =
  | { readonly kind: 'node'; readonly crypto: NodeCryptoLike }
  | { readonly kind: 'webcrypto'; readonly subtle: SubtleCryptoLike };

/** Loads `node:crypto`; rejects where there is no such module. */
export type NodeCryptoImporter = () => Promise<NodeCryptoLike>;

interface ProcessLike {
  getBuiltinModule?: (id: string) => unknown;
}

const importNodeCrypto: NodeCryptoImporter = () => {
  // Node 20.16+/22.3+ (and Bun, Deno) hand out built-ins synchronously, which
  // skips the ES module loader's resolution and facade: cheaper for a
  // short-lived process such as the kubectl exec plugin.
  const host = (globalThis as { process?: ProcessLike }).process;
  const builtin =
    typeof host?.getBuiltinModule === 'function' ? host.getBuiltinModule('node:crypto') : undefined;
  return builtin === undefined || builtin === null
    ? (importOptional('node:crypto') as Promise<NodeCryptoLike>)
    : Promise.resolve(builtin as NodeCryptoLike);
};

function globalSubtle(): SubtleCryptoLike | undefined {
  return (globalThis as { crypto?: { subtle?: SubtleCryptoLike } }).crypto?.subtle;
}

/**
 * Pick the implementation: `node:crypto` if `importer` loads a module with
 * `createHash` and `createHmac`, else WebCrypto's `subtle`. Rejects with a
 * `TypeError` only where neither exists (no supported runtime).
 */
export async function selectSigningCrypto(
  importer: NodeCryptoImporter = importNodeCrypto,
  subtle: SubtleCryptoLike | undefined = globalSubtle(),
): Promise<SigningCrypto> {
  try {
    const crypto = await importer();
    if (typeof crypto.createHash === 'function' && typeof crypto.createHmac === 'function') {
      return { kind: 'node', crypto };
    }
  } catch {
    // No node:crypto here (browser, edge worker without Node compatibility).
  }
  if (subtle === undefined || typeof subtle.sign !== 'function') {
    throw new TypeError('this runtime has neither node:crypto nor WebCrypto (crypto.subtle)');
  }
  return { kind: 'webcrypto', subtle };
}

let selected: Promise<SigningCrypto> | undefined;

/** The process-wide implementation, selected once by {@link selectSigningCrypto}. */
export function getSigningCrypto(): Promise<SigningCrypto> {
  selected ??= selectSigningCrypto();
  return selected;
}
