/**
 * The dependency floor of token generation: `@smithy/signature-v4`'s
 * `presign` of the token's request alone, with a `node:crypto` hash (as the
 * library uses on Node), one signer reused, and nothing else (no option
 * checks, no credential resolution, no URL writing, no base64url).
 *
 * SPEC 2 makes smithy the signer, so `generateToken` cannot be faster than
 * this; the gap between this and the hand-written floor is smithy's.
 *
 * @module
 */
import { createHash, createHmac } from 'node:crypto';
import type { Hash, Hmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

type Data = string | ArrayBuffer | ArrayBufferView;

function bytes(data: Data): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** A SHA-256 / HMAC-SHA256 in the shape smithy expects, on node:crypto. */
class NodeSha256 {
  readonly #secret: string | Uint8Array | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: Data) {
    this.#secret = secret === undefined ? undefined : bytes(secret);
    this.#hash = this.#create();
  }

  #create(): Hash | Hmac {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }

  update(data: Data): void {
    this.#hash.update(bytes(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.#hash.digest());
  }

  reset(): void {
    this.#hash = this.#create();
  }
}

const SIGNABLE = new Set(['host', 'x-k8s-aws-id']);
const UNHOISTABLE = new Set(['x-k8s-aws-id']);

/** A function presigning the token request for `host` with smithy alone. */
export function smithyPresigner(credentials: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}): (host: string, region: string) => Promise<unknown> {
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  const signer = new SignatureV4({
    service: 'sts',
    region: 'us-east-1',
    credentials:
      sessionToken === undefined
        ? { accessKeyId, secretAccessKey }
        : { accessKeyId, secretAccessKey, sessionToken },
    sha256: NodeSha256,
    applyChecksum: false,
  });
  return (host, region) =>
    signer.presign(
      new HttpRequest({
        method: 'GET',
        protocol: 'https:',
        hostname: host,
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host, 'x-k8s-aws-id': 'demo' },
      }),
      {
        signingDate: new Date(),
        expiresIn: 60,
        signingRegion: region,
        signingService: 'sts',
        signableHeaders: SIGNABLE,
        unhoistableHeaders: UNHOISTABLE,
      },
    );
}
