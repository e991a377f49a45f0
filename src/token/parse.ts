/**
 * `parseToken` (SPEC 3.3): the trust boundary where an untrusted bearer token
 * becomes a typed {@link ParsedToken}. Pure and synchronous: no clock, no
 * network, no host policy (those are `verifyToken`'s job).
 *
 * The URL is parsed by hand rather than with `new URL()`, whose WHATWG
 * normalisation (lower-casing hosts, dropping `:443`, resolving `/./`,
 * turning `\` into `/`, IDNA) would let many spellings through and hide what
 * the token really says. Every check looks at the raw decoded string, and the
 * URL a verifier sends is rebuilt from the validated parameters only.
 *
 * Speed matters (a verifier parses every request's token), so the common
 * shape, a query in canonical SigV4 encoding, is recognised in one native
 * regex pass and only anything else takes the slower path that works out
 * the precise error. The only state is a small cache of valid STS hosts.
 *
 * @module
 */
import { TokenFormatError } from '../errors.js';
import type { TokenFormatReason } from '../errors.js';
import { describeStsHost } from '../sts/endpoints.js';
import type { EndpointKind } from '../sts/endpoints.js';
import type { PartitionId } from '../partitions.js';
import { decodeBase64UrlStrict } from './base64url.js';
import {
  DEFAULT_MAX_TOKEN_LENGTH,
  MAX_URL_EXPIRES_SECONDS,
  PRESIGNED_URL_LIFETIME_SECONDS,
  QUERY_PARAMETER_ORDER,
  SIGNED_HEADERS,
  SIGNING_ALGORITHM,
  STS_ACTION,
  STS_VERSION,
  TOKEN_PREFIX,
} from './constants.js';
import type { QueryParameterName } from './constants.js';

/** Options of {@link parseToken}. */
export interface ParseTokenOptions {
  /**
   * Longest token accepted, in characters, checked before anything is
   * decoded. The Go authenticator uses 4096, which rejects tokens that carry
   * long session tokens; 16384 leaves room for those and still bounds work.
   * A positive safe integer.
   *
   * @default 16384
   */
  maxTokenLength?: number | undefined;
  /**
   * Require query parameter names in their exact casing (`X-Amz-Date`, not
   * `x-amz-date`). With `false`, any casing is accepted, but two names equal
   * ignoring case are still rejected (CVE-2022-2385: STS and the verifier
   * must never read different values for the same parameter).
   *
   * @default true
   */
  strictParameterCase?: boolean | undefined;
}

/**
 * A structurally valid token, decoded. Produced only by {@link parseToken};
 * every field comes from validated parameters.
 *
 * {@link ParsedToken.signature} and {@link ParsedToken.sessionToken} are
 * credentials in effect (together they let anyone replay the token for up to
 * 15 minutes): never log them, nor {@link ParsedToken.url}, which carries both.
 */
export interface ParsedToken {
  /**
   * The presigned STS URL rebuilt from the validated parameters, in botocore's
   * parameter order with canonical RFC 3986 percent-encoding (upper-case hex).
   * This, never the token's raw text, is what a verifier sends to STS. The
   * signature stays valid because STS canonicalizes the query the same way.
   * Contains the signature and session token: do not log.
   */
  readonly url: string;
  /** The STS host the token was signed for, e.g. `sts.us-west-2.amazonaws.com`. */
  readonly host: string;
  /**
   * The SigV4 signing region: the one the host implies (`us-east-1` for
   * `sts.amazonaws.com`), which the credential scope must name; for a host
   * that is not a known STS endpoint, the scope's region as written.
   */
  readonly region: string;
  /**
   * The partition whose region pattern and DNS suffix the host matches;
   * `undefined` for any other host (an unknown region or suffix, or no STS
   * endpoint at all). Whether to trust such a host is the verifier's host
   * policy, not `parseToken`'s.
   */
  readonly partition: PartitionId | undefined;
  /**
   * How the host was reached: global, regional, FIPS, dual-stack or both, by
   * the host's name; `regional` for a host not shaped like an STS endpoint.
   */
  readonly endpointKind: EndpointKind;
  /** The access key id the token was signed with (`AKIA…` or `ASIA…`). Not a secret. */
  readonly accessKeyId: string;
  /** `X-Amz-Date`: when the URL was signed. */
  readonly signedAt: Date;
  /** `signedAt` + 15 minutes: STS refuses the URL after this, whatever `X-Amz-Expires` says. */
  readonly expiresAt: Date;
  /** `X-Amz-Expires` in seconds, 0..900 (older Go authenticators write 0). */
  readonly expiresIn: number;
  /** `X-Amz-SignedHeaders`, split: always `['host', 'x-k8s-aws-id']`. */
  readonly signedHeaders: readonly string[];
  /** True when the token carries `X-Amz-Security-Token` (temporary credentials). */
  readonly hasSessionToken: boolean;
  /** The SigV4 credential scope, `<yyyymmdd>/<region>/sts/aws4_request`. */
  readonly credentialScope: string;
  /**
   * `X-Amz-Signature`, 64 lower-case hex digits. Kept so the URL can be
   * rebuilt from this object alone. Never log it.
   */
  readonly signature: string;
  /**
   * `X-Amz-Security-Token`, decoded, when present. Kept so the URL can be
   * rebuilt from this object alone. Never log it.
   */
  readonly sessionToken?: string;
}

const HTTPS_PREFIX = 'https://';
const NOT_HOST_CHAR = /[^a-z0-9.-]/;
// One DNS label: 1..63 characters, no hyphen at either end.
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Anything but printable ASCII without space, the only bytes a presigned URL
// may carry. (Searching for a bad character is much faster in V8 than
// matching the whole string against the good ones.)
const NOT_PRINTABLE = /[^\x21-\x7e]/;
// AWS issues [A-Z0-9] access key ids of 16 to 128 characters; the shared test
// vectors use the shorter documentation id AKIDEXAMPLE.
const MAX_ACCESS_KEY_ID_LENGTH = 128;
const SIGNATURE_LENGTH = 64;
// A region is DNS labels joined by '-'.
const REGION_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const CREDENTIAL_SERVICE = 'sts';
const CREDENTIAL_TERMINATOR = 'aws4_request';

const PARAMETER_COUNT = QUERY_PARAMETER_ORDER.length;
const EXACT_INDEX: ReadonlyMap<string, number> = new Map(
  QUERY_PARAMETER_ORDER.map((name, index) => [name, index]),
);
// Parameter indexes by name length, so exact names match without a slice.
const INDEXES_BY_NAME_LENGTH: readonly (readonly number[] | undefined)[] =
  QUERY_PARAMETER_ORDER.reduce<number[][]>((byLength, name, index) => {
    (byLength[name.length] ??= []).push(index);
    return byLength;
  }, []);
const FOLDED_INDEX: ReadonlyMap<string, number> = new Map(
  QUERY_PARAMETER_ORDER.map((name, index) => [name.toLowerCase(), index]),
);
const indexOf = (name: QueryParameterName): number => EXACT_INDEX.get(name) as number;
// For each name length shared by several names, a position where they all
// differ (ignoring case).
const DISTINGUISHING_POSITION: readonly (number | undefined)[] = INDEXES_BY_NAME_LENGTH.map(
  (candidates) => {
    if (candidates === undefined || candidates.length < 2) return undefined;
    const names = candidates.map((i) => (QUERY_PARAMETER_ORDER[i] as string).toLowerCase());
    const length = (names[0] as string).length;
    for (let at = 0; at < length; at++) {
      if (new Set(names.map((n) => n[at])).size === names.length) return at;
    }
    throw new Error('parameter names of one length that no single character tells apart');
  },
);
const I_ACTION = indexOf('Action');
const I_VERSION = indexOf('Version');
const I_ALGORITHM = indexOf('X-Amz-Algorithm');
const I_CREDENTIAL = indexOf('X-Amz-Credential');
const I_DATE = indexOf('X-Amz-Date');
const I_EXPIRES = indexOf('X-Amz-Expires');
const I_SIGNED_HEADERS = indexOf('X-Amz-SignedHeaders');
const I_SECURITY_TOKEN = indexOf('X-Amz-Security-Token');
const I_SIGNATURE = indexOf('X-Amz-Signature');

// A query value: unreserved characters and escapes of printable ASCII other
// than space (%21-%7E). The alternatives start with disjoint characters, so
// matching is linear.
const STRICT_VALUE = /^(?:[A-Za-z0-9._~-]|%(?:2[1-9A-Fa-f]|[3-6][0-9A-Fa-f]|7[0-9A-Ea-e]))*$/;
// The same, with only upper-case escapes of characters that must be escaped:
// exactly SigV4's canonical encoding, so such a value is reused as is.
const CANONICAL_VALUE = /^(?:[A-Za-z0-9._~-]|%(?:2[1-9A-CF]|3[A-F]|40|5[B-E]|60|7[B-D]))*$/;
// A whole query of allowlisted `name=value` pairs, values of unreserved
// characters and '%'. No backtracking blow-up: '&' and '=' are outside the
// value class, so each pair can only end one way.
const QUERY_PAIR = `(?:${QUERY_PARAMETER_ORDER.join('|')})=[A-Za-z0-9._~%-]*`;
const QUERY_SHAPE = new RegExp(`^${QUERY_PAIR}(?:&${QUERY_PAIR})*$`);
const QUERY_SHAPE_ANY_CASE = new RegExp(QUERY_SHAPE.source, 'i');
const SUB_DELIMS_LEFT_RAW = /[!'()*]/;
const SUB_DELIMS_LEFT_RAW_ALL = /[!'()*]/g;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const SIGNED_HEADER_LIST: readonly string[] = Object.freeze(SIGNED_HEADERS.split(';'));
const ENCODED_SIGNED_HEADERS = encodeValue(SIGNED_HEADERS);
const ENCODED_SLASH = '%2F';
const ENCODED_SCOPE_TAIL = `${ENCODED_SLASH}${CREDENTIAL_SERVICE}${ENCODED_SLASH}${CREDENTIAL_TERMINATOR}`;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function fail(reason: TokenFormatReason, message: string): never {
  throw new TokenFormatError(reason, message);
}

/**
 * The canonical SigV4 encoding of one raw query value, failing with `query`
 * if the value is not strictly encoded. Raw characters must be RFC 3986
 * unreserved (every generator encodes the rest; a raw `=`, `/`, `+` or `:` is
 * a sign of tampering or of a non-SigV4 encoder), and escapes must decode to
 * printable ASCII without space (no value of a valid token has anything
 * else), so `decodeURIComponent` cannot throw and UTF-8 never comes into play.
 */
function canonicalValue(raw: string, name: string): string {
  // Fast path: what every signer writes is already canonical.
  if (CANONICAL_VALUE.test(raw)) return raw;
  if (STRICT_VALUE.test(raw)) return encodeValue(decodeURIComponent(raw));
  return fail(
    'query',
    `query parameter ${name} is not strictly percent-encoded (raw reserved character or bad escape)`,
  );
}

/**
 * The index of `url.slice(start, end)`, already known to be an allowlisted
 * name in some casing: names are told apart by length and, where two share a
 * length, by one character.
 */
function allowlistedNameIndex(url: string, start: number, end: number): number {
  const candidates = INDEXES_BY_NAME_LENGTH[end - start] as readonly number[];
  if (candidates.length === 1) return candidates[0] as number;
  const at = DISTINGUISHING_POSITION[end - start] as number;
  const folded = url.charCodeAt(start + at) | 0x20;
  for (const index of candidates) {
    if (((QUERY_PARAMETER_ORDER[index] as string).charCodeAt(at) | 0x20) === folded) return index;
  }
  return fail('unknown-parameter', 'query parameter is not in the allowlist');
}

/** The index of the allowlisted name `url.slice(start, end)`, exact case, without slicing. */
function exactParameterIndex(url: string, start: number, end: number): number | undefined {
  const candidates = INDEXES_BY_NAME_LENGTH[end - start];
  if (candidates === undefined) return undefined;
  for (const index of candidates) {
    if (url.startsWith(QUERY_PARAMETER_ORDER[index] as string, start)) return index;
  }
  return undefined;
}

/**
 * Canonical SigV4 / RFC 3986 encoding of a decoded value: everything but
 * unreserved characters as `%XX` with upper-case hex.
 */
function encodeValue(value: string): string {
  const encoded = encodeURIComponent(value);
  // encodeURIComponent leaves these sub-delimiters raw; SigV4 encodes them.
  return SUB_DELIMS_LEFT_RAW.test(encoded)
    ? encoded.replace(
        SUB_DELIMS_LEFT_RAW_ALL,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      )
    : encoded;
}

// Short fields are checked with loops: on fresh strings a regex call costs
// more than scanning a few dozen characters.

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** True if `text[start..end)` is all ASCII digits. */
function isDigits(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** True if `text` is 1 to 128 ASCII letters and digits. */
function isAccessKeyId(text: string): boolean {
  if (text.length === 0 || text.length > MAX_ACCESS_KEY_ID_LENGTH) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i) | 0x20; // ASCII letters folded to lower case
    if (!isDigit(code) && !(code >= 0x61 && code <= 0x7a)) return false;
  }
  return true;
}

/** True if `text` is 64 lower-case hex digits. */
function isSignature(text: string): boolean {
  if (text.length !== SIGNATURE_LENGTH) return false;
  for (let i = 0; i < SIGNATURE_LENGTH; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code) && !(code >= 0x61 && code <= 0x66)) return false;
  }
  return true;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Two ASCII digits at `at` as a number (the caller has checked they are digits). */
function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 0x30) * 10 + text.charCodeAt(at + 1) - 0x30;
}

/** `YYYYMMDDTHHMMSSZ` as a UTC instant, or `undefined` if it names no real instant. */
function parseAmzDate(value: string): Date | undefined {
  if (
    value.length !== 16 ||
    value.charCodeAt(8) !== 0x54 /* T */ ||
    value.charCodeAt(15) !== 0x5a /* Z */ ||
    !isDigits(value, 0, 8) ||
    !isDigits(value, 9, 15)
  ) {
    return undefined;
  }
  const year = twoDigits(value, 0) * 100 + twoDigits(value, 2);
  const month = twoDigits(value, 4);
  const day = twoDigits(value, 6);
  const hour = twoDigits(value, 9);
  const minute = twoDigits(value, 11);
  const second = twoDigits(value, 13);
  if (month < 1 || month > 12) return undefined;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  // No leap seconds: SigV4 dates come from clocks that never write :60.
  if (day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC maps years 0..99 to 1900..1999.
  if (year < 100) date.setUTCFullYear(year);
  return date;
}

/**
 * `X-Amz-Expires` as a number, or -1 unless it is 1 to 3 digits without sign
 * or leading zero (botocore and the Go authenticator write neither).
 */
function parseExpires(value: string): number {
  if (
    value.length > 3 ||
    !isDigits(value, 0, value.length) ||
    (value.length > 1 && value[0] === '0')
  ) {
    return -1;
  }
  return Number(value);
}

/** Bytes that canonical SigV4 encoding writes as `%XX`: printable ASCII but unreserved. */
const MUST_ESCAPE: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let byte = 0x21; byte <= 0x7e; byte++) {
    if (!/[A-Za-z0-9._~-]/.test(String.fromCharCode(byte))) table[byte] = 1;
  }
  return table;
})();

function upperHexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

/** True if every `%` from `start` on begins an upper-case escape of a byte that must be escaped. */
function hasOnlyCanonicalEscapes(text: string, start: number): boolean {
  for (let at = text.indexOf('%', start); at !== -1; at = text.indexOf('%', at + 3)) {
    const high = upperHexDigit(text.charCodeAt(at + 1));
    const low = upperHexDigit(text.charCodeAt(at + 2));
    if (high < 0 || low < 0 || MUST_ESCAPE[high * 16 + low] !== 1) return false;
  }
  return true;
}

/** Why a canonically encoded `X-Amz-Credential` is wrong (slow path, for the message). */
/**
 * The region written in an encoded credential scope, for hosts that imply
 * none; a string that cannot be a region makes the scope check fail.
 */
function scopeRegionOf(credential: string, keyEnd: number): string {
  const start = keyEnd + ENCODED_SLASH.length + 8 + ENCODED_SLASH.length;
  const end = credential.length - ENCODED_SCOPE_TAIL.length;
  const region = keyEnd > 0 && end > start ? credential.slice(start, end) : '';
  // '' marks "no region name here"; the caller fails on it.
  return REGION_NAME.test(region) ? region : '';
}

function credentialProblem(
  credential: string,
  scopeDate: string,
  region: string,
  host: string,
): string {
  const parts = credential.split(ENCODED_SLASH);
  if (parts.length !== 5) {
    return 'X-Amz-Credential must be <accessKeyId>/<yyyymmdd>/<region>/sts/aws4_request';
  }
  if (!isAccessKeyId(parts[0] as string)) {
    return 'X-Amz-Credential access key id is empty or not alphanumeric';
  }
  if (parts[1] !== scopeDate) return 'X-Amz-Credential date differs from the date of X-Amz-Date';
  if (parts[2] !== region) {
    return `X-Amz-Credential region must be ${region}, the signing region of ${host}`;
  }
  if (parts[3] !== CREDENTIAL_SERVICE) return 'X-Amz-Credential service must be sts';
  return 'X-Amz-Credential must end with aws4_request';
}

const HOST_CACHE_SIZE = 64;
// Tokens of one cluster name a handful of hosts; describing a host costs as
// much as the rest of the parse. Only valid hosts are cached, and the cache is
// dropped when full, so hostile input cannot grow it.
const validHosts = new Map<string, HostFacts>();

/** What step 4 learns from the host. */
interface HostFacts {
  /**
   * The signing region the host implies, for known STS endpoints only
   * (`sts.amazonaws.com`, or `sts[-fips].<region>.<suffix>` with a region
   * and suffix of one partition). Other hosts imply nothing: the scope
   * region is then taken as written, and `verifyToken`'s host policy refuses
   * the host (`ERR_TOKEN_HOST_NOT_ALLOWED`) before anything is sent.
   */
  impliedRegion: string | undefined;
  partition: PartitionId | undefined;
  kind: EndpointKind;
}

/**
 * Step 4's host check: a lower-case DNS name (`url`). Whether it is an STS
 * endpoint the verifier trusts is the host policy's question, not the
 * parser's (SPEC 3.3: "parseToken does not judge … the host policy").
 */
function checkHost(host: string): HostFacts {
  // No upper case, '@', ':', '\\', '%' or anything else a DNS name lacks.
  if (host.length === 0 || host.length > 253 || NOT_HOST_CHAR.test(host) || !isDnsName(host)) {
    fail('url', 'URL host must be a lower-case DNS name with no userinfo or port');
  }
  const described = describeStsHost(host);
  const known =
    described !== undefined && (described.kind === 'global' || described.partition !== undefined);
  const facts: HostFacts = {
    impliedRegion: known ? described.region : undefined,
    partition: known ? described.partition : undefined,
    kind: described?.kind ?? 'regional',
  };
  if (validHosts.size >= HOST_CACHE_SIZE) validHosts.clear();
  validHosts.set(host, facts);
  return facts;
}

function isDnsName(host: string): boolean {
  let start = 0;
  for (;;) {
    const dot = host.indexOf('.', start);
    const label = dot === -1 ? host.slice(start) : host.slice(start, dot);
    if (!DNS_LABEL.test(label)) return false;
    if (dot === -1) return true;
    start = dot + 1;
  }
}

const DEFAULT_OPTIONS = Object.freeze({
  maxTokenLength: DEFAULT_MAX_TOKEN_LENGTH,
  strictParameterCase: true,
});

function checkOptions(options: ParseTokenOptions | undefined): {
  maxTokenLength: number;
  strictParameterCase: boolean;
} {
  if (options === undefined) return DEFAULT_OPTIONS;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('parseToken: options must be an object');
  }
  const { maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH, strictParameterCase = true } = options;
  if (!Number.isSafeInteger(maxTokenLength) || maxTokenLength <= 0) {
    throw new TypeError('parseToken: options.maxTokenLength must be a positive integer');
  }
  if (typeof strictParameterCase !== 'boolean') {
    throw new TypeError('parseToken: options.strictParameterCase must be a boolean');
  }
  return { maxTokenLength, strictParameterCase };
}

/**
 * Decode an EKS bearer token and check its structure (SPEC 3.3), without
 * looking at the clock, the host policy or the network.
 *
 * Checks run in a fixed order and the first failure is thrown: type and
 * length, `k8s-aws-v1.` prefix, strict base64url and printable ASCII, URL
 * shape (`https://<lower-case host>/?`, the host shaped like an STS endpoint
 * under a known partition DNS suffix), query syntax and parameter names,
 * required parameters and fixed values, `X-Amz-Date` and `X-Amz-Expires`,
 * credential scope, signed headers and signature format.
 *
 * @example
 * ```ts
 * const parsed = parseToken(bearer);
 * parsed.host;        // 'sts.us-west-2.amazonaws.com'
 * parsed.accessKeyId; // 'AKIAIOSFODNN7EXAMPLE'
 * ```
 * @param token - The bearer token, `k8s-aws-v1.<base64url>`.
 * @param options - See {@link ParseTokenOptions}.
 * @returns The decoded, validated token.
 * @throws {@link TokenFormatError} with `code` `ERR_TOKEN_TOO_LARGE` (reason
 * `too-large`) or `ERR_TOKEN_MALFORMED` and a `reason` naming the failed rule.
 * Messages never contain the token, its signature or its session token.
 * @throws `TypeError` for invalid options.
 */
export function parseToken(token: string, options?: ParseTokenOptions): ParsedToken {
  const { maxTokenLength, strictParameterCase } = checkOptions(options);

  // 1. Bound the work before decoding anything.
  if (typeof token !== 'string')
    fail('not-a-string', `expected a token string, got ${typeof token}`);
  if (token.length > maxTokenLength) {
    fail('too-large', `token is ${token.length} characters long; the limit is ${maxTokenLength}`);
  }

  // 2. Prefix, case-sensitive as in the Go authenticator.
  if (!token.startsWith(TOKEN_PREFIX))
    fail('prefix', `token does not start with "${TOKEN_PREFIX}"`);

  // 3. Canonical base64url, so one URL has exactly one token spelling.
  const url = decodeBase64UrlStrict(token.slice(TOKEN_PREFIX.length));
  if (url === undefined) {
    fail('base64url', 'token body is not canonical unpadded base64url (alphabet A-Z a-z 0-9 - _)');
  }
  try {
    return parseUrl(url, strictParameterCase);
  } catch (error) {
    // The rest of step 3: the decoded URL is printable ASCII without space.
    // Checked only on failure, so that it still wins over any later rule: a
    // URL that passes every later check is printable anyway (hosts, names,
    // values and separators all are), and valid tokens skip a full scan.
    if (error instanceof TokenFormatError && NOT_PRINTABLE.test(url)) {
      fail('url', 'decoded URL has bytes outside printable ASCII');
    }
    throw error;
  }
}

/** Steps 4 to 9 of {@link parseToken}, on the decoded URL. */
function parseUrl(url: string, strictParameterCase: boolean): ParsedToken {
  // 4. URL shape, on the raw string: it must literally start with
  // `https://<host>/?`, so userinfo, ports (even `:443`), backslashes and any
  // path but `/` fail here, as the host characters are checked.
  if (!url.startsWith(HTTPS_PREFIX)) fail('url', 'URL scheme must be "https://"');
  const slash = url.indexOf('/', HTTPS_PREFIX.length);
  if (slash === -1 || url.charCodeAt(slash + 1) !== 0x3f /* ? */) {
    fail('url', 'URL path must be exactly "/" followed by a query');
  }
  const queryStart = slash + 2;
  // The common case in one native pass: allowlisted names, one '=' per pair,
  // values of unreserved characters and '%' only. Such a query has no '#',
  // ';' or '+', so the searches for them are skipped; anything else takes
  // the slow path below, which finds the precise error.
  const wellFormed = (strictParameterCase ? QUERY_SHAPE : QUERY_SHAPE_ANY_CASE).test(
    url.slice(queryStart),
  );
  if (!wellFormed && url.includes('#')) fail('url', 'URL has a fragment');
  const host = url.slice(HTTPS_PREFIX.length, slash);
  const described = validHosts.get(host) ?? checkHost(host);

  // 5. Query: '&'-separated name=value pairs, each allowed name at most once.
  // Values are kept in canonical SigV4 encoding (the form STS signs and the
  // rebuilt URL carries); the checks below compare encoded forms, which is
  // exact because that encoding is one-to-one on printable ASCII.
  if (!wellFormed) {
    if (url.includes(';', queryStart)) fail('query', 'query contains ";" (only "&" separates)');
    // A raw '+' means space to form decoders but '+' to SigV4: an ambiguity to refuse.
    if (url.includes('+', queryStart)) fail('query', 'query contains a raw "+"');
  }
  const encoded: (string | undefined)[] = new Array<string | undefined>(PARAMETER_COUNT);
  const allCanonical = wellFormed && hasOnlyCanonicalEscapes(url, queryStart);
  // True while the URL is exactly what the rebuild below would produce:
  // canonical values and exact names, in botocore's order.
  let rebuildIsIdentity = allCanonical && strictParameterCase;
  let previousIndex = -1;
  let position = 0;
  let pairStart = queryStart;
  // Fast path: the shape is known good, only duplicates remain to be found.
  while (allCanonical && pairStart <= url.length) {
    let pairEnd = url.indexOf('&', pairStart);
    if (pairEnd === -1) pairEnd = url.length;
    const eq = url.indexOf('=', pairStart);
    const index = allowlistedNameIndex(url, pairStart, eq);
    if (encoded[index] !== undefined) {
      fail(
        'duplicate-parameter',
        `query parameter ${QUERY_PARAMETER_ORDER[index]} appears more than once`,
      );
    }
    if (index < previousIndex) rebuildIsIdentity = false;
    previousIndex = index;
    encoded[index] = url.slice(eq + 1, pairEnd);
    pairStart = pairEnd + 1;
  }
  while (!allCanonical && pairStart <= url.length) {
    position++;
    let pairEnd = url.indexOf('&', pairStart);
    if (pairEnd === -1) pairEnd = url.length;
    const eq = url.indexOf('=', pairStart);
    if (eq === -1 || eq >= pairEnd || eq === pairStart) {
      fail('query', `query parameter #${position} is not of the form name=value`);
    }
    const index = strictParameterCase
      ? exactParameterIndex(url, pairStart, eq)
      : FOLDED_INDEX.get(url.slice(pairStart, eq).toLowerCase());
    if (index === undefined) {
      fail(
        'unknown-parameter',
        `query parameter #${position} is not one of ${QUERY_PARAMETER_ORDER.join(', ')}` +
          (strictParameterCase ? ' (names are case-sensitive)' : ''),
      );
    }
    const name = QUERY_PARAMETER_ORDER[index] as QueryParameterName;
    // CVE-2022-2385: with two spellings of one name, the verifier and STS
    // may each read a different one.
    if (encoded[index] !== undefined) {
      fail('duplicate-parameter', `query parameter ${name} appears more than once`);
    }
    encoded[index] = canonicalValue(url.slice(eq + 1, pairEnd), name);
    pairStart = pairEnd + 1;
  }

  // 6. Presence and fixed values.
  for (let i = 0; i < PARAMETER_COUNT; i++) {
    if (i !== I_SECURITY_TOKEN && !encoded[i]) {
      fail('missing-parameter', `query parameter ${QUERY_PARAMETER_ORDER[i]} is missing or empty`);
    }
  }
  const encodedSessionToken = encoded[I_SECURITY_TOKEN];
  if (encodedSessionToken === '') {
    fail('parameter-value', 'X-Amz-Security-Token is present but empty');
  }
  if (encoded[I_ACTION] !== STS_ACTION) fail('parameter-value', `Action must be ${STS_ACTION}`);
  if (encoded[I_VERSION] !== STS_VERSION) fail('parameter-value', `Version must be ${STS_VERSION}`);
  if (encoded[I_ALGORITHM] !== SIGNING_ALGORITHM) {
    fail('parameter-value', `X-Amz-Algorithm must be ${SIGNING_ALGORITHM}`);
  }

  // 7. Time fields.
  const amzDate = encoded[I_DATE] as string;
  const signedAt = parseAmzDate(amzDate);
  if (!signedAt) fail('date', 'X-Amz-Date must be a real UTC time written YYYYMMDDTHHMMSSZ');
  const expiresText = encoded[I_EXPIRES] as string;
  const expiresIn = parseExpires(expiresText);
  if (expiresIn < 0 || expiresIn > MAX_URL_EXPIRES_SECONDS) {
    fail(
      'expires',
      `X-Amz-Expires must be an integer 0..${MAX_URL_EXPIRES_SECONDS} without sign or leading zero`,
    );
  }

  // 8. Credential scope: the date and region STS will check the signature with
  // (a scope region other than the host's would be signed for another
  // endpoint). In canonical encoding every '%' starts an escape, so `%2F`
  // separates exactly where the decoded value has '/'.
  const credential = encoded[I_CREDENTIAL] as string;
  const keyEnd = credential.indexOf(ENCODED_SLASH);
  const accessKeyId = credential.slice(0, Math.max(keyEnd, 0));
  const scopeDate = amzDate.slice(0, 8);
  const region = described.impliedRegion ?? scopeRegionOf(credential, keyEnd);
  if (region === '') fail('credential', 'X-Amz-Credential region is not a region name');
  const encodedScope = `${scopeDate}${ENCODED_SLASH}${region}${ENCODED_SCOPE_TAIL}`;
  if (
    keyEnd <= 0 ||
    credential.length !== keyEnd + ENCODED_SLASH.length + encodedScope.length ||
    !credential.endsWith(encodedScope) ||
    !isAccessKeyId(accessKeyId)
  ) {
    fail('credential', credentialProblem(credential, scopeDate, region, host));
  }

  // 9. Only host and x-k8s-aws-id signed: an extra signed header would need a
  // value the verifier does not send, a missing x-k8s-aws-id would leave the
  // token unbound to any cluster.
  if (encoded[I_SIGNED_HEADERS] !== ENCODED_SIGNED_HEADERS) {
    fail('signed-headers', `X-Amz-SignedHeaders must be exactly ${SIGNED_HEADERS}`);
  }
  const signature = encoded[I_SIGNATURE] as string;
  if (!isSignature(signature)) {
    fail('signature', 'X-Amz-Signature must be 64 lower-case hex digits');
  }

  // Rebuild in botocore's order from validated values only (when the URL
  // already is that, byte for byte, the rebuild is skipped).
  let rebuilt = url;
  if (!rebuildIsIdentity) {
    rebuilt = `${HTTPS_PREFIX}${host}/?`;
    for (let i = 0; i < PARAMETER_COUNT; i++) {
      const value = encoded[i];
      if (value === undefined) continue;
      rebuilt += `${i === 0 ? '' : '&'}${QUERY_PARAMETER_ORDER[i]}=${value}`;
    }
  }

  const parsed: Mutable<ParsedToken> = {
    url: rebuilt,
    host,
    region,
    partition: described.partition,
    endpointKind: described.kind,
    accessKeyId,
    signedAt,
    expiresAt: new Date(signedAt.getTime() + PRESIGNED_URL_LIFETIME_SECONDS * 1000),
    expiresIn,
    signedHeaders: SIGNED_HEADER_LIST,
    hasSessionToken: encodedSessionToken !== undefined,
    credentialScope: `${scopeDate}/${region}/${CREDENTIAL_SERVICE}/${CREDENTIAL_TERMINATOR}`,
    signature,
  };
  if (encodedSessionToken !== undefined) {
    parsed.sessionToken = encodedSessionToken.includes('%')
      ? decodeURIComponent(encodedSessionToken)
      : encodedSessionToken;
  }
  return Object.freeze(parsed);
}
