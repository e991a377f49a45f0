/**
 * SigV4 query presigning of the token's `GET sts/?Action=GetCallerIdentity`
 * request.
 *
 * Two signers, one output. Where `node:crypto` is available (the SHA-256
 * implementation chosen in `hash.ts` is the native one), the native presigner
 * in `native-presigner.ts` signs this one fixed request directly; elsewhere,
 * or when a caller injects its own {@link PresignerFactory},
 * `@smithy/signature-v4` does. Either way the URL is written here, in
 * botocore's parameter order and encoding, because the token is the base64url
 * of those exact bytes and `aws eks get-token` output is the reference
 * (SPEC 3.1, "byte-exact output").
 *
 * @module
 */
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SigningError } from '../errors.js';
import type { AwsCredentials } from './credentials.js';
import {
  CLUSTER_ID_HEADER,
  QUERY_PARAMETER_ORDER,
  SIGNED_HEADERS,
  STS_ACTION,
  STS_VERSION,
} from './constants.js';
import type { QueryParameterName } from './constants.js';
import type { Sha256Constructor } from './hash.js';
import { nodeCryptoOf } from './hash.js';
import { encodeRfc3986, presignNative } from './native-presigner.js';
import type { EncodedQuery } from './native-presigner.js';

export { encodeRfc3986 };

/** What to presign. All values are already validated by the caller. */
export interface PresignRequest {
  /** Validated credentials. */
  credentials: AwsCredentials;
  /** The STS host the URL points at (and the signed `host` header). */
  host: string;
  /** The SigV4 scope region. */
  signingRegion: string;
  /** Value of the signed `x-k8s-aws-id` header. */
  clusterId: string;
  /** `X-Amz-Date`; sub-second precision is dropped by SigV4. */
  signingDate: Date;
  /** `X-Amz-Expires`, in seconds. */
  expiresIn: number;
}

/** The presigned URL and its signature. */
export interface PresignedRequest {
  /** `https://<host>/?Action=…&X-Amz-Signature=…`, parameters in botocore's order. */
  url: string;
  /** `X-Amz-Signature`: 64 lower-case hex digits. */
  signature: string;
}

/** The options this module passes to {@link Presigner.presign}. */
export interface PresignOptions {
  signingDate: Date;
  expiresIn: number;
  signingRegion: string;
  signingService: string;
  signableHeaders: Set<string>;
  unhoistableHeaders: Set<string>;
}

/** The part of smithy's `SignatureV4` used here (a seam for tests). */
export interface Presigner {
  presign(
    request: HttpRequest,
    options: PresignOptions,
  ): Promise<{ query?: Record<string, string | (string | null)[] | null> }>;
}

/** Builds a {@link Presigner} for one set of credentials. */
export type PresignerFactory = (
  credentials: SignerCredentials,
  sha256: Sha256Constructor,
) => Presigner;

/** Credentials as handed to the signer: fixed values, no `undefined` fields. */
export interface SignerCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The production {@link PresignerFactory}: smithy's `SignatureV4` for service `sts`. */
export const createSmithyPresigner: PresignerFactory = (credentials, sha256) =>
  new SignatureV4({
    service: 'sts',
    // Every call passes `signingRegion`, so the signer's own region is never read.
    region: () => Promise.reject(new Error('signingRegion must be passed to presign')),
    credentials,
    sha256,
    applyChecksum: false,
    // The path is always '/', whose canonical form is itself: skipping the
    // path normalisation is exact here and saves work on every token.
    uriEscapePath: false,
  });

// The cluster id must stay a signed *header*: the Go authenticator and STS
// expect `host;x-k8s-aws-id` in X-Amz-SignedHeaders, and a cluster id hoisted
// into the query would no longer bind the token to the header the API server
// sends. The signer only reads these sets.
const SIGNABLE_HEADERS = new Set(['host', CLUSTER_ID_HEADER]);
const UNHOISTABLE_HEADERS = new Set([CLUSTER_ID_HEADER]);

function presignOptions(request: PresignRequest): PresignOptions {
  return {
    signingDate: request.signingDate,
    expiresIn: request.expiresIn,
    signingRegion: request.signingRegion,
    signingService: 'sts',
    signableHeaders: SIGNABLE_HEADERS,
    unhoistableHeaders: UNHOISTABLE_HEADERS,
  };
}

interface CachedSigner {
  readonly factory: PresignerFactory;
  readonly sha256: Sha256Constructor;
  readonly credentials: SignerCredentials;
  readonly signer: Presigner;
}

// One signer per credentials object (providers such as the SDK chain return
// the same object until it is refreshed). Smithy caches derived signing keys
// per day and region itself; reusing the signer avoids rebuilding it per token.
const signers = new WeakMap<AwsCredentials, CachedSigner>();

function signerFor(
  credentials: AwsCredentials,
  sha256: Sha256Constructor,
  factory: PresignerFactory,
): Presigner {
  const cached = signers.get(credentials);
  const sessionToken = credentials.sessionToken || undefined;
  if (
    cached !== undefined &&
    cached.factory === factory &&
    cached.sha256 === sha256 &&
    // The caller may have mutated the object since (e.g. a refreshed session).
    cached.credentials.accessKeyId === credentials.accessKeyId &&
    cached.credentials.secretAccessKey === credentials.secretAccessKey &&
    cached.credentials.sessionToken === sessionToken
  ) {
    return cached.signer;
  }
  const fixed: SignerCredentials =
    sessionToken === undefined
      ? { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey }
      : {
          accessKeyId: credentials.accessKeyId,
          secretAccessKey: credentials.secretAccessKey,
          sessionToken,
        };
  const signer = factory(fixed, sha256);
  signers.set(credentials, { factory, sha256, credentials: fixed, signer });
  return signer;
}

/**
 * Presign `GET https://<host>/?Action=GetCallerIdentity&Version=2011-06-15`
 * with the signed header `x-k8s-aws-id`, and write the URL the way botocore
 * does. Any signer failure, including a rejection with a bare string (smithy
 * does that), becomes a {@link SigningError}.
 *
 * With the default `factory` and a `node:crypto`-backed `sha256`, the native
 * presigner signs; otherwise `factory`'s signer does.
 */
export async function presignGetCallerIdentity(
  request: PresignRequest,
  sha256: Sha256Constructor,
  factory: PresignerFactory = createSmithyPresigner,
): Promise<PresignedRequest> {
  // An injected factory (a test seam, or a caller's own signer) always wins;
  // the native path stands in only for the default smithy signer.
  const crypto = factory === createSmithyPresigner ? nodeCryptoOf(sha256) : undefined;
  if (crypto !== undefined) {
    let query: EncodedQuery;
    try {
      query = presignNative(request, crypto);
    } catch (error) {
      throw new SigningError(`SigV4 presigning failed: ${describeFailure(error)}`, {
        cause: error,
      });
    }
    return { url: writeUrl(request.host, query), signature: query['X-Amz-Signature'] as string };
  }

  let signed: Record<string, string | (string | null)[] | null> | undefined;
  try {
    const signer = signerFor(request.credentials, sha256, factory);
    signed = (
      await signer.presign(
        new HttpRequest({
          method: 'GET',
          protocol: 'https:',
          hostname: request.host,
          path: '/',
          query: { Action: STS_ACTION, Version: STS_VERSION },
          headers: { host: request.host, [CLUSTER_ID_HEADER]: request.clusterId },
        }),
        presignOptions(request),
      )
    ).query;
  } catch (error) {
    throw new SigningError(`SigV4 presigning failed: ${describeFailure(error)}`, { cause: error });
  }
  const query = checkSignerQuery(request, signed ?? {});
  return { url: writeUrl(request.host, query), signature: query['X-Amz-Signature'] as string };
}

/** Check a signer's query and percent-encode it. */
function checkSignerQuery(
  request: PresignRequest,
  query: Record<string, string | (string | null)[] | null>,
): EncodedQuery {
  const hasSessionToken = Boolean(request.credentials.sessionToken);
  // Every parameter the signer signed must be in the URL and nothing else:
  // an extra or missing one would make STS compute another signature.
  const expectedCount = QUERY_PARAMETER_ORDER.length - (hasSessionToken ? 0 : 1);
  if (Object.keys(query).length !== expectedCount) {
    throw new SigningError('SigV4 presigning returned an unexpected set of query parameters');
  }
  const encoded = {} as Record<QueryParameterName, string | undefined>;
  for (const name of QUERY_PARAMETER_ORDER) {
    const value = query[name];
    if (name === 'X-Amz-Security-Token' && !hasSessionToken) {
      encoded[name] = undefined;
      continue;
    }
    if (typeof value !== 'string' || value === '') {
      throw new SigningError(`SigV4 presigning returned no usable ${name}`);
    }
    encoded[name] = encodeRfc3986(value);
  }
  if (
    query['X-Amz-SignedHeaders'] !== SIGNED_HEADERS ||
    !/^[0-9a-f]{64}$/.test(query['X-Amz-Signature'] as string)
  ) {
    throw new SigningError(
      'SigV4 presigning returned an unexpected signed-header list or signature',
    );
  }
  return encoded;
}

/**
 * Write `https://<host>/?…` with the parameters in botocore's order. The one
 * place a token URL is written, for both signers.
 */
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
