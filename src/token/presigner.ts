/**
 * A SigV4 query presigner for exactly the token's request, on `node:crypto`
 * or WebCrypto.
 *
 * A token is always the same request: `GET /` on an STS host with
 * `Action=GetCallerIdentity&Version=2011-06-15`, the signed headers `host`
 * and `x-k8s-aws-id`, and an empty payload. Signing that one shape straight
 * from the SigV4 specification costs one SHA-256 and one HMAC per token
 * (plus four HMACs per secret, day and region for the signing key), where a
 * generic signer clones and re-escapes a request on every call. A generic
 * signer is also what kept this library from bundling for edge runtimes:
 * `@smithy/signature-v4` reaches `node:crypto` and `buffer` statically
 * (through `@smithy/core` and `@smithy/util-utf8`). The tests hold both
 * implementations here to byte-identical output with `@smithy/signature-v4`
 * and with botocore's reference tokens.
 *
 * @module
 */
import {
  CLUSTER_ID_HEADER,
  MAX_URL_EXPIRES_SECONDS,
  QUERY_PARAMETER_ORDER,
  SIGNED_HEADERS,
  SIGNING_ALGORITHM,
  STS_ACTION,
  STS_VERSION,
} from './constants.js';
import type { QueryParameterName } from './constants.js';
import type { AwsCredentials } from './credentials.js';
import type { NodeCryptoLike, SubtleCryptoLike } from './hash.js';

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

/**
 * The token's query parameters, each value already percent-encoded for the
 * URL; `undefined` marks an absent parameter (only `X-Amz-Security-Token`,
 * for long-term credentials).
 */
export type EncodedQuery = Readonly<Record<QueryParameterName, string | undefined>>;

const UNRESERVED = /^[A-Za-z0-9._~-]*$/;

/**
 * SigV4's `UriEncode`: percent-encode everything outside RFC 3986's
 * unreserved set, with upper-case hex, as SigV4 and botocore do (`/` → `%2F`,
 * `+` → `%2B`, `=` → `%3D`, `;` → `%3B`). Throws `URIError` on a lone
 * surrogate, as smithy's encoder does.
 */
export function encodeRfc3986(value: string): string {
  if (UNRESERVED.test(value)) return value;
  // encodeURIComponent leaves !'()* alone; RFC 3986 reserves them.
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

// SHA-256 of the empty string: a token's GET has no body, and STS expects
// this hash in the canonical request (not UNSIGNED-PAYLOAD).
const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SERVICE = 'sts';
const TERMINATOR = 'aws4_request';

// The canonical query lists parameters sorted by (encoded) name in code-point
// order, which is not botocore's URL order: X-Amz-Security-Token sorts before
// X-Amz-SignedHeaders. The signature itself is never part of it.
const CANONICAL_ORDER: readonly QueryParameterName[] = QUERY_PARAMETER_ORDER.filter(
  (name) => name !== 'X-Amz-Signature',
).sort();

const ENCODED_ACTION = encodeRfc3986(STS_ACTION);
const ENCODED_VERSION = encodeRfc3986(STS_VERSION);
const ENCODED_ALGORITHM = encodeRfc3986(SIGNING_ALGORITHM);
const ENCODED_SIGNED_HEADERS = encodeRfc3986(SIGNED_HEADERS);
// SIGNED_HEADERS is the sorted list of lower-case header names the canonical
// headers below are written in; the tail of the canonical request is fixed.
const CANONICAL_TAIL = `\n\n${SIGNED_HEADERS}\n${EMPTY_PAYLOAD_SHA256}`;

// A value needs work only with CR, LF or tab, or a space at either end or
// next to another space; almost every cluster id and host has none.
const NEEDS_CANONICAL_FORM = /[\t\n\r]| {2}|^ | $/;

/**
 * A header value as `@smithy/signature-v4` canonicalises it (and so as STS
 * accepts it): CR and LF become spaces, runs of spaces and tabs collapse to
 * one space, one leading and one trailing space go. Exactly smithy's steps,
 * so both signers agree on every value (tests hold them to it).
 */
export function canonicalHeaderValue(value: string): string {
  if (!NEEDS_CANONICAL_FORM.test(value)) return value;
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}

/**
 * The derived signing keys, by secret, day and region. Bounded, so holding
 * the secret inside a key is safe: at most this many secrets (and their
 * day- and region-scoped derived keys) stay reachable from here, whatever
 * the process signs with over its lifetime, and a rotated secret falls out
 * after this many newer entries. Keying by the secret's value (not by the
 * credentials object) also means a mutated or rebuilt credentials object can
 * never be signed with another secret's key. Both implementations share it:
 * the key bytes are the same.
 */
const SIGNING_KEY_CACHE_SIZE = 32;
const signingKeys = new Map<string, Uint8Array>();

function cachedSigningKey(cacheKey: string): Uint8Array | undefined {
  return signingKeys.get(cacheKey);
}

function rememberSigningKey(cacheKey: string, key: Uint8Array): void {
  if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE) {
    // Evict the oldest entry (Map keeps insertion order).
    const oldest = signingKeys.keys().next();
    if (oldest.done !== true) signingKeys.delete(oldest.value);
  }
  signingKeys.set(cacheKey, key);
}

/**
 * The SigV4 signing key for `secret`, `day` (`YYYYMMDD`) and `region` (service
 * `sts`), derived with `node:crypto` and cached. Also signs the command line's
 * AssumeRole request.
 */
export function nodeSigningKey(
  crypto: NodeCryptoLike,
  secret: string,
  day: string,
  region: string,
  // Day and region never contain a newline (callers check both), so the
  // three parts cannot run into each other.
  cacheKey = `${day}\n${region}\n${secret}`,
): Uint8Array {
  let key = cachedSigningKey(cacheKey);
  if (key === undefined) {
    key = crypto.createHmac('sha256', `AWS4${secret}`).update(day).digest();
    key = crypto.createHmac('sha256', key).update(region).digest();
    key = crypto.createHmac('sha256', key).update(SERVICE).digest();
    key = crypto.createHmac('sha256', key).update(TERMINATOR).digest();
    rememberSigningKey(cacheKey, key);
  }
  return key;
}

/**
 * How many derived signing keys are cached (at most 32).
 * @internal
 */
export function signingKeyCacheSize(): number {
  return signingKeys.size;
}

function twoDigits(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** `YYYYMMDDTHHMMSSZ` (UTC) of a date in years 0000–9999; throws for any other. */
export function amzDate(date: Date): string {
  // X-Amz-Date has exactly four year digits; NaN (an invalid Date) fails too.
  // Built from the UTC fields: a third of the cost of toISOString().
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) {
    throw new RangeError('the signing date must lie in years 0000-9999');
  }
  return (
    String(year).padStart(4, '0') +
    twoDigits(date.getUTCMonth() + 1) +
    twoDigits(date.getUTCDate()) +
    'T' +
    twoDigits(date.getUTCHours()) +
    twoDigits(date.getUTCMinutes()) +
    twoDigits(date.getUTCSeconds()) +
    'Z'
  );
}

// A region becomes part of the credential scope and the cache key; anything
// but a DNS-label-like name here is a caller bug, not something to sign.
const REGION = /^[a-z0-9-]+$/;

/** Everything a signature depends on, computed before any hashing. */
interface Prepared {
  /** The URL's parameters, percent-encoded; the signature still missing. */
  query: Record<QueryParameterName, string | undefined>;
  canonicalRequest: string;
  /** `AWS4-HMAC-SHA256\n<date>\n<scope>\n`: the string to sign without the request hash. */
  stringToSignHead: string;
  secret: string;
  day: string;
  region: string;
  /** The signing-key cache key. */
  keyId: string;
}

function prepare(request: PresignRequest): Prepared {
  const { credentials, host, signingRegion, expiresIn } = request;
  if (!Number.isSafeInteger(expiresIn) || expiresIn < 0 || expiresIn > MAX_URL_EXPIRES_SECONDS) {
    throw new RangeError(`expiresIn must be an integer from 0 to ${MAX_URL_EXPIRES_SECONDS}`);
  }
  if (!REGION.test(signingRegion)) throw new RangeError('the signing region is not a region name');
  const longDate = amzDate(request.signingDate);
  const day = longDate.slice(0, 8);
  const scope = `${day}/${signingRegion}/${SERVICE}/${TERMINATOR}`;
  // An empty session token means none, as in smithy and the AWS SDKs.
  const sessionToken = credentials.sessionToken || undefined;
  const secret = credentials.secretAccessKey;

  const query: Record<QueryParameterName, string | undefined> = {
    Action: ENCODED_ACTION,
    Version: ENCODED_VERSION,
    'X-Amz-Algorithm': ENCODED_ALGORITHM,
    // The day (digits) and the region (checked above) are unreserved, so only
    // the access key id and the slashes need encoding.
    'X-Amz-Credential': `${encodeRfc3986(credentials.accessKeyId)}%2F${day}%2F${signingRegion}%2F${SERVICE}%2F${TERMINATOR}`,
    'X-Amz-Date': longDate,
    'X-Amz-Expires': String(expiresIn),
    'X-Amz-SignedHeaders': ENCODED_SIGNED_HEADERS,
    'X-Amz-Security-Token': sessionToken === undefined ? undefined : encodeRfc3986(sessionToken),
    'X-Amz-Signature': undefined,
  };

  let canonicalQuery = '';
  for (const name of CANONICAL_ORDER) {
    const value = query[name];
    if (value === undefined) continue;
    // Every name is unreserved ASCII, so its encoded form is itself.
    canonicalQuery += `${canonicalQuery === '' ? '' : '&'}${name}=${value}`;
  }
  const canonicalRequest =
    `GET\n/\n${canonicalQuery}\n` +
    `host:${canonicalHeaderValue(host)}\n` +
    `${CLUSTER_ID_HEADER}:${canonicalHeaderValue(request.clusterId)}` +
    CANONICAL_TAIL;
  return {
    query,
    canonicalRequest,
    stringToSignHead: `${SIGNING_ALGORITHM}\n${longDate}\n${scope}\n`,
    secret,
    day,
    region: signingRegion,
    // Day and region never contain a newline (both are checked above), so
    // the three parts cannot run into each other.
    keyId: `${day}\n${signingRegion}\n${secret}`,
  };
}

/**
 * Presign the token's `GET` with `node:crypto` and return its query
 * parameters, percent-encoded, `X-Amz-Signature` included. The same inputs
 * give the same parameters as `@smithy/signature-v4`'s `presign` (the tests'
 * oracle) and as {@link presignWebCrypto}.
 *
 * Throws (`RangeError`, `URIError`) on inputs `generateToken` never passes:
 * a date outside years 0000–9999, an `expiresIn` outside 0–900, a region that
 * is not a lower-case region name, text with lone surrogates. The caller
 * wraps any throw in a `SigningError`.
 */
export function presignNative(request: PresignRequest, crypto: NodeCryptoLike): EncodedQuery {
  const prepared = prepare(request);
  // node:crypto hashes a string as UTF-8, which SigV4 requires.
  const stringToSign =
    prepared.stringToSignHead +
    crypto.createHash('sha256').update(prepared.canonicalRequest).digest('hex');
  const key = nodeSigningKey(
    crypto,
    prepared.secret,
    prepared.day,
    prepared.region,
    prepared.keyId,
  );
  prepared.query['X-Amz-Signature'] = crypto
    .createHmac('sha256', key)
    .update(stringToSign)
    .digest('hex');
  return prepared.query;
}

const textEncoder = new TextEncoder();
const HMAC_SHA256 = { name: 'HMAC', hash: 'SHA-256' } as const;

async function hmacWeb(
  subtle: SubtleCryptoLike,
  key: Uint8Array,
  data: string,
): Promise<Uint8Array> {
  const cryptoKey = await subtle.importKey('raw', key, HMAC_SHA256, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', cryptoKey as never, textEncoder.encode(data)));
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte < 16 ? `0${byte.toString(16)}` : byte.toString(16);
  return hex;
}

/**
 * {@link presignNative} on WebCrypto (`crypto.subtle`), for runtimes without
 * `node:crypto`: the same parameters, asynchronously. Rejects where
 * `presignNative` throws.
 */
export async function presignWebCrypto(
  request: PresignRequest,
  subtle: SubtleCryptoLike,
): Promise<EncodedQuery> {
  const prepared = prepare(request);
  const requestHash = new Uint8Array(
    await subtle.digest('SHA-256', textEncoder.encode(prepared.canonicalRequest)),
  );
  let key = cachedSigningKey(prepared.keyId);
  if (key === undefined) {
    key = await hmacWeb(subtle, textEncoder.encode(`AWS4${prepared.secret}`), prepared.day);
    key = await hmacWeb(subtle, key, prepared.region);
    key = await hmacWeb(subtle, key, SERVICE);
    key = await hmacWeb(subtle, key, TERMINATOR);
    rememberSigningKey(prepared.keyId, key);
  }
  prepared.query['X-Amz-Signature'] = toHex(
    await hmacWeb(subtle, key, prepared.stringToSignHead + toHex(requestHash)),
  );
  return prepared.query;
}
