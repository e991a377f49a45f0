/**
 * The test oracle for token signing: `@smithy/signature-v4` (the SigV4 signer
 * of the AWS SDK for JavaScript, a dev dependency) presigning the token's
 * request, with the URL written in botocore's parameter order. The library
 * signs with its own presigner on `node:crypto` or WebCrypto; tests hold it
 * to byte-identical output with this and with botocore's reference tokens.
 */
import { createHash, createHmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { CLUSTER_ID_HEADER, QUERY_PARAMETER_ORDER } from '../../src/token/constants.js';
import type { PresignRequest } from '../../src/token/sigv4.js';
import { encodeRfc3986 } from '../../src/token/sigv4.js';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function toBytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** smithy's `Checksum` interface on node:crypto (hash, or HMAC with a secret). */
class NodeSha256 {
  readonly #secret: Uint8Array | undefined;
  #digest: ReturnType<typeof createHash>;

  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : toBytes(secret);
    this.#digest = this.#fresh();
  }

  #fresh(): ReturnType<typeof createHash> {
    return this.#secret === undefined
      ? createHash('sha256')
      : (createHmac('sha256', this.#secret) as unknown as ReturnType<typeof createHash>);
  }

  update(data: SourceData): void {
    this.#digest.update(typeof data === 'string' ? data : toBytes(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#digest.digest()));
  }

  reset(): void {
    this.#digest = this.#fresh();
  }
}

/** The URL smithy's `presign` gives for `request`, in botocore's parameter order. */
export async function smithyPresignedUrl(request: PresignRequest): Promise<string> {
  const sessionToken = request.credentials.sessionToken || undefined;
  const signer = new SignatureV4({
    service: 'sts',
    region: request.signingRegion,
    credentials: {
      accessKeyId: request.credentials.accessKeyId,
      secretAccessKey: request.credentials.secretAccessKey,
      ...(sessionToken === undefined ? {} : { sessionToken }),
    },
    sha256: NodeSha256,
    applyChecksum: false,
    uriEscapePath: false,
  });
  const signed = await signer.presign(
    new HttpRequest({
      method: 'GET',
      protocol: 'https:',
      hostname: request.host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: request.host, [CLUSTER_ID_HEADER]: request.clusterId },
    }),
    {
      signingDate: request.signingDate,
      expiresIn: request.expiresIn,
      signingRegion: request.signingRegion,
      signingService: 'sts',
      signableHeaders: new Set(['host', CLUSTER_ID_HEADER]),
      unhoistableHeaders: new Set([CLUSTER_ID_HEADER]),
    },
  );
  const query = signed.query as Record<string, string | undefined>;
  let url = `https://${request.host}/?`;
  for (const name of QUERY_PARAMETER_ORDER) {
    const value = query[name];
    if (value === undefined) continue;
    url += `${name === 'Action' ? '' : '&'}${name}=${encodeRfc3986(value)}`;
  }
  return url;
}
