/**
 * An independent AWS Signature Version 4 implementation for query-string
 * presigned requests, written from the published specification
 * ("Create a signed AWS API request", "Authenticating requests: using query
 * parameters") with `node:crypto` only. It deliberately imports nothing from
 * `src/`: the STS emulator uses it to check tokens, so a bug shared with the
 * code under test cannot make a wrong token look right.
 *
 * Two directions:
 * - {@link presignReference} signs a `GET` the way a client does (used by
 *   tests to mint tokens for arbitrary hosts, dates and orders);
 * - {@link verifyPresignedRequest} checks an incoming presigned request the
 *   way a service does: rebuild the canonical request from what was actually
 *   received, derive the key from the secret, compare signatures.
 *
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Hex SHA-256 of the empty string: the payload hash of a body-less GET. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The only algorithm this module speaks. */
export const ALGORITHM = 'AWS4-HMAC-SHA256';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * RFC 3986 percent-encoding as SigV4 requires: everything but the unreserved
 * characters `A-Z a-z 0-9 - _ . ~` is encoded, hex digits upper case, and
 * space is `%20` (never `+`).
 */
export function uriEncode(text: string): string {
  // encodeURIComponent leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ) raw and writes
  // upper-case hex; SigV4 wants ! * ' ( ) encoded too.
  return encodeURIComponent(text).replace(
    /[!*'()]/g,
    (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/** Decode `%XX` escapes (UTF-8). A malformed escape yields `undefined`. */
export function percentDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The canonical query string: every parameter name and value URI-encoded,
 * sorted by encoded name and then by encoded value (byte order), joined
 * as `name=value` with `&`.
 */
export function canonicalQueryString(params: ReadonlyArray<readonly [string, string]>): string {
  const encoded = params.map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
  encoded.sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0,
  );
  return encoded.map(([k, v]) => `${k}=${v}`).join('&');
}

/**
 * The canonical URI for a non-S3 service: each path segment URI-encoded
 * again on top of its transmitted (already encoded) form, `/` for empty.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '' || rawPath === '/') return '/';
  return rawPath
    .split('/')
    .map((segment) => uriEncode(segment))
    .join('/');
}

/** Header value canonicalization: trim, and collapse inner runs of spaces to one. */
export function canonicalHeaderValue(value: string): string {
  return value.trim().replace(/ +/g, ' ');
}

/** Inputs of {@link buildCanonicalRequest}. */
export interface CanonicalRequestInput {
  method: string;
  rawPath: string;
  /** Decoded query parameters, without `X-Amz-Signature`. */
  params: ReadonlyArray<readonly [string, string]>;
  /** Lower-case names of the signed headers, in `X-Amz-SignedHeaders` order. */
  signedHeaders: readonly string[];
  /** Value of each signed header (lower-case name → value). */
  headerValue: (name: string) => string | undefined;
  payloadHash: string;
}

/** The canonical request, or `undefined` if a signed header has no value. */
export function buildCanonicalRequest(input: CanonicalRequestInput): string | undefined {
  const lines: string[] = [];
  for (const name of input.signedHeaders) {
    const value = input.headerValue(name);
    if (value === undefined) return undefined;
    lines.push(`${name}:${canonicalHeaderValue(value)}\n`);
  }
  return [
    input.method,
    canonicalUri(input.rawPath),
    canonicalQueryString(input.params),
    lines.join(''),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

/** `AWS4-HMAC-SHA256\n<amzDate>\n<scope>\n<hex sha256(canonical request)>`. */
export function buildStringToSign(
  amzDate: string,
  scope: string,
  canonicalRequest: string,
): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** Hex HMAC-SHA256 of the string to sign under the derived key. */
export function computeSignature(signingKey: Buffer, stringToSign: string): string {
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}

/** `Date` → `YYYYMMDDTHHMMSSZ`. */
export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** `YYYYMMDDTHHMMSSZ` → `Date`, or `undefined` if it is not a real instant. */
export function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== iso.replace('Z', '.000Z')) {
    return undefined;
  }
  return date;
}

/** Inputs of {@link presignReference}. */
export interface PresignInput {
  host: string;
  /** Value of the signed `x-k8s-aws-id` header. */
  clusterId: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  /** Scope region; must be the region the host serves for STS to accept it. */
  region: string;
  /** Signing time. */
  date: Date;
  /** `X-Amz-Expires`. @default 60 */
  expires?: number;
  /** Scope service. @default 'sts' */
  service?: string;
  /**
   * Parameter order in the URL (the signature does not depend on it):
   * `botocore` (fixed order, token last) or `sorted` (the Go SDK).
   * @default 'botocore'
   */
  order?: 'botocore' | 'sorted';
}

/** What {@link presignReference} produced, with its intermediate strings. */
export interface PresignOutput {
  url: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/** Sign a presigned STS `GetCallerIdentity` URL from the specification. */
export function presignReference(input: PresignInput): PresignOutput {
  const amzDate = formatAmzDate(input.date);
  const day = amzDate.slice(0, 8);
  const service = input.service ?? 'sts';
  const scope = `${day}/${input.region}/${service}/aws4_request`;
  const params: [string, string][] = [
    ['Action', 'GetCallerIdentity'],
    ['Version', '2011-06-15'],
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', `${input.accessKeyId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(input.expires ?? 60)],
    ['X-Amz-SignedHeaders', 'host;x-k8s-aws-id'],
  ];
  if (input.sessionToken !== undefined) params.push(['X-Amz-Security-Token', input.sessionToken]);
  const headers: Record<string, string> = { host: input.host, 'x-k8s-aws-id': input.clusterId };
  const canonicalRequest = buildCanonicalRequest({
    method: 'GET',
    rawPath: '/',
    params,
    signedHeaders: ['host', 'x-k8s-aws-id'],
    headerValue: (name) => headers[name],
    payloadHash: EMPTY_SHA256,
  }) as string;
  const stringToSign = buildStringToSign(amzDate, scope, canonicalRequest);
  const signature = computeSignature(
    deriveSigningKey(input.secretAccessKey, day, input.region, service),
    stringToSign,
  );
  const ordered =
    input.order === 'sorted'
      ? [...params].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      : params;
  const query = [...ordered, ['X-Amz-Signature', signature] as const]
    .map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`)
    .join('&');
  return { url: `https://${input.host}/?${query}`, canonicalRequest, stringToSign, signature };
}

/** An incoming request, as the server received it. */
export interface IncomingPresignedRequest {
  method: string;
  rawPath: string;
  /** Everything after `?`, as transmitted. */
  rawQuery: string;
  /** Lower-case header name → value (the `host` entry is the host the client addressed). */
  headers: Readonly<Record<string, string | undefined>>;
}

/** Why a presigned request failed the SigV4 check (STS error codes). */
export type SigV4FailureCode =
  'IncompleteSignature' | 'MalformedQueryString' | 'InvalidClientTokenId' | 'SignatureDoesNotMatch';

/** Result of {@link verifyPresignedRequest}. */
export type SigV4Verdict =
  | {
      ok: true;
      accessKeyId: string;
      signedAt: Date;
      scopeRegion: string;
      scopeService: string;
      /** Decoded query parameters (all of them, signature included). */
      params: ReadonlyMap<string, string>;
    }
  | { ok: false; code: SigV4FailureCode; message: string };

/**
 * Verify a query-string presigned request. The caller supplies the secret
 * lookup and checks everything service-specific (time window, session token,
 * action) on the verdict; this only proves the signature covers exactly
 * what was received.
 */
export function verifyPresignedRequest(
  request: IncomingPresignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
): SigV4Verdict {
  const pairs: [string, string][] = [];
  if (request.rawQuery !== '') {
    for (const piece of request.rawQuery.split('&')) {
      const eq = piece.indexOf('=');
      const name = percentDecode(eq === -1 ? piece : piece.slice(0, eq));
      const value = percentDecode(eq === -1 ? '' : piece.slice(eq + 1));
      if (name === undefined || value === undefined) {
        return { ok: false, code: 'MalformedQueryString', message: 'bad percent-encoding' };
      }
      pairs.push([name, value]);
    }
  }
  const params = new Map<string, string>();
  for (const [name, value] of pairs) {
    if (params.has(name)) {
      return { ok: false, code: 'MalformedQueryString', message: `duplicate parameter ${name}` };
    }
    params.set(name, value);
  }
  const required = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
  ];
  for (const name of required) {
    if (!params.get(name)) {
      return { ok: false, code: 'IncompleteSignature', message: `missing ${name}` };
    }
  }
  if (params.get('X-Amz-Algorithm') !== ALGORITHM) {
    return { ok: false, code: 'IncompleteSignature', message: 'unsupported algorithm' };
  }
  const credential = (params.get('X-Amz-Credential') as string).split('/');
  if (credential.length !== 5 || credential[4] !== 'aws4_request') {
    return { ok: false, code: 'IncompleteSignature', message: 'malformed credential' };
  }
  const [accessKeyId, day, scopeRegion, scopeService] = credential as [
    string,
    string,
    string,
    string,
  ];
  const amzDate = params.get('X-Amz-Date') as string;
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) {
    return { ok: false, code: 'IncompleteSignature', message: 'malformed X-Amz-Date' };
  }
  if (day !== amzDate.slice(0, 8)) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message: 'Credential should be scoped to a valid date',
    };
  }
  const secret = secretFor(accessKeyId);
  if (secret === undefined) {
    return {
      ok: false,
      code: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    };
  }
  const signedHeaders = (params.get('X-Amz-SignedHeaders') as string).split(';');
  if (!signedHeaders.includes('host') || signedHeaders.some((h) => h !== h.toLowerCase())) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'host must be a signed header' };
  }
  const canonicalRequest = buildCanonicalRequest({
    method: request.method,
    rawPath: request.rawPath,
    params: pairs.filter(([name]) => name !== 'X-Amz-Signature'),
    signedHeaders,
    headerValue: (name) => request.headers[name],
    payloadHash: EMPTY_SHA256,
  });
  if (canonicalRequest === undefined) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'a signed header is missing' };
  }
  const expected = computeSignature(
    deriveSigningKey(secret, day, scopeRegion, scopeService),
    buildStringToSign(
      amzDate,
      `${day}/${scopeRegion}/${scopeService}/aws4_request`,
      canonicalRequest,
    ),
  );
  const given = params.get('X-Amz-Signature') as string;
  const match =
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given, 'latin1'), Buffer.from(expected, 'latin1'));
  if (!match) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  return { ok: true, accessKeyId, signedAt, scopeRegion, scopeService, params };
}

/** An EKS bearer token for a {@link presignReference} URL: `k8s-aws-v1.` + unpadded base64url. */
export function referenceToken(input: PresignInput): string {
  return 'k8s-aws-v1.' + Buffer.from(presignReference(input).url, 'latin1').toString('base64url');
}
