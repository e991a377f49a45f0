/**
 * SigV4 query presigning of the token's `GET sts/?Action=GetCallerIdentity`
 * request, and the URL it becomes.
 *
 * `presigner.ts` computes the parameters on `node:crypto` or WebCrypto
 * (whichever `hash.ts` selected); the URL is written here, in botocore's
 * parameter order and encoding, because the token is the base64url of those
 * exact bytes and `aws eks get-token` output is the reference (SPEC 3.1,
 * "byte-exact output").
 *
 * @module
 */
import { SigningError } from '../errors.js';
import { QUERY_PARAMETER_ORDER } from './constants.js';
import type { SigningCrypto } from './hash.js';
import { encodeRfc3986, presignNative, presignWebCrypto } from './presigner.js';
import type { EncodedQuery, PresignRequest } from './presigner.js';

export { encodeRfc3986 };
export type { PresignRequest };

/** The presigned URL and its signature. */
export interface PresignedRequest {
  /** `https://<host>/?Action=…&X-Amz-Signature=…`, parameters in botocore's order. */
  url: string;
  /** `X-Amz-Signature`: 64 lower-case hex digits. */
  signature: string;
}

/**
 * Presign `GET https://<host>/?Action=GetCallerIdentity&Version=2011-06-15`
 * with the signed header `x-k8s-aws-id`, and write the URL the way botocore
 * does. Any failure of the signer becomes a {@link SigningError} whose
 * message holds no secret.
 */
export async function presignGetCallerIdentity(
  request: PresignRequest,
  signing: SigningCrypto,
): Promise<PresignedRequest> {
  let query: EncodedQuery;
  try {
    query =
      signing.kind === 'node'
        ? presignNative(request, signing.crypto)
        : await presignWebCrypto(request, signing.subtle);
  } catch (error) {
    throw new SigningError(`SigV4 presigning failed: ${describeFailure(error)}`, { cause: error });
  }
  return { url: writeUrl(request.host, query), signature: query['X-Amz-Signature'] as string };
}

/** Write `https://<host>/?…` with the parameters in botocore's order. */
function writeUrl(host: string, query: EncodedQuery): string {
  let url = `https://${host}/?`;
  for (const name of QUERY_PARAMETER_ORDER) {
    const value = query[name];
    // Only X-Amz-Security-Token is ever absent.
    if (value === undefined) continue;
    url += name === 'Action' ? `${name}=${value}` : `&${name}=${value}`;
  }
  return url;
}

function describeFailure(error: unknown): string {
  const text =
    typeof error === 'string' ? error : error instanceof Error ? error.message : 'unknown error';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
