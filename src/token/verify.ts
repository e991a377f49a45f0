/**
 * `verifyToken` (SPEC 3.4): what an API server's authenticator does with a
 * bearer token. Structure first (`parseToken`), then the host allowlist, then
 * the clock, and only then the network: STS `GetCallerIdentity`, whose answer
 * is the identity. Everything before the network is cheap and local, so
 * garbage and replays of old tokens never cost an STS call.
 *
 * @module
 */
import type { PrincipalType } from '../arn.js';
import { TokenExpiredError, TokenHostError, TokenNotYetValidError } from '../errors.js';
import { requestStsIdentity } from '../sts/client.js';
import type { FetchLike } from '../sts/client.js';
import { hostRefusal } from '../sts/host-policy.js';
import type { HostPolicy } from '../sts/host-policy.js';
import { isPartitionId } from '../partitions.js';
import type { PartitionId } from '../partitions.js';
import { bodyFormatOf, interpretStsAnswer, loadXmlSupport } from '../sts/response.js';
import type { CallerIdentity } from '../sts/response.js';
import { isAbortSignal } from '../util/abort-signal.js';
import { findControlCharacter } from '../util/control-characters.js';
import { MAX_TIMEOUT_MS } from '../util/timers.js';
import { parseToken } from './parse.js';
import type { ParsedToken, ParseTokenOptions } from './parse.js';

/** Options of {@link verifyToken}. Invalid values reject with a `TypeError`. */
export interface VerifyTokenOptions extends ParseTokenOptions {
  /**
   * The cluster this server authenticates for: the EKS cluster name, or the
   * cluster id of an EKS local cluster on Outposts. Sent to STS as the
   * `x-k8s-aws-id` header; a token signed for another cluster fails there
   * with `SignatureDoesNotMatch`. Non-empty, no control characters, at most
   * 255 characters, none above U+00FF (it is sent as an HTTP header value).
   */
  clusterId: string;
  /**
   * The AWS partition this server trusts. Decides the allowed STS hosts and
   * the partition every returned ARN must be in.
   *
   * @default 'aws'
   */
  partition?: PartitionId | undefined;
  /**
   * The server's own region. A token for `sts[-fips].<region>.<suffix>` of
   * this region is accepted even if the region is newer than this library's
   * table of known STS regions, and its `sts-fips` host even if the FIPS
   * table lacks it (but never a region of another partition).
   *
   * @default undefined (only the known regions)
   */
  region?: string | undefined;
  /**
   * More regions whose STS hosts are accepted, as `region` is: regions
   * newer than this library's table of known STS regions (or FIPS regions
   * newer than its FIPS table), for a server that
   * takes tokens signed for several. A region of another partition is still
   * refused. Any other region not in the table is refused before any
   * network call (`ERR_TOKEN_HOST_NOT_ALLOWED`).
   *
   * @default undefined (none)
   */
  extraRegions?: readonly string[] | undefined;
  /**
   * The current time, for the expiry checks. Inject it in tests.
   *
   * @default new Date()
   */
  currentDate?: Date | undefined;
  /**
   * Seconds a token may be dated in the future (the signer's clock running
   * ahead of this server's). Expiry has no tolerance: STS itself refuses the
   * URL 15 minutes after signing.
   *
   * @default 300
   */
  clockTolerance?: number | undefined;
  /**
   * The `fetch` used for the STS call: any function with the web `fetch`
   * signature (a proxy-aware one, or a test double).
   *
   * @default globalThis.fetch
   */
  fetch?: ((input: string, init: RequestInit) => Promise<Response>) | undefined;
  /**
   * Milliseconds for the whole STS exchange: every attempt, the backoff
   * between them and reading the body. On expiry the call rejects with
   * `ERR_STS_UNAVAILABLE`.
   *
   * @default 10000
   */
  timeout?: number | undefined;
  /**
   * Aborts the STS call; the promise then rejects with `ERR_STS_UNAVAILABLE`.
   *
   * @default undefined
   */
  signal?: AbortSignal | undefined;
  /**
   * Largest STS answer read, in bytes. STS answers are well under 2 KiB; a
   * larger body is cancelled unread (a 200 then fails with
   * `ERR_STS_RESPONSE_INVALID`).
   *
   * @default 65536
   */
  maxResponseBytes?: number | undefined;
  /**
   * Extra attempts after a network error or a 5xx answer, with a short
   * exponential backoff, never past `timeout`. 4xx answers and throttling are
   * never retried (retrying makes throttling worse).
   *
   * @default 2
   */
  retries?: number | undefined;
}

/** The identity STS vouched for, with what the token said about itself. */
export interface VerifiedIdentity {
  /** The caller's ARN exactly as STS reported it. */
  arn: string;
  /**
   * The IAM ARN to match `aws-auth` entries against: an assumed-role session
   * becomes `arn:<p>:iam::<account>:role/<role>`, everything else unchanged.
   */
  canonicalArn: string;
  /** `user`, `root`, `assumed-role` or `federated-user`. */
  principalType: PrincipalType;
  /** The 12-digit account id, as a string. */
  accountId: string;
  /**
   * The principal's unique id: `AIDA…` for users, the role id `AROA…` for
   * assumed roles (without the session), the account id for root, and
   * `<account>:<name>` for federated users.
   */
  userId: string;
  /** For assumed roles only (absent otherwise): the role session name. */
  sessionName?: string;
  /** The access key id that signed the token. Not a secret. */
  accessKeyId: string;
  /** The verifier's partition, which the ARN was checked to be in. */
  partition: PartitionId;
  /** The STS host that answered, e.g. `sts.us-west-2.amazonaws.com`. */
  stsHost: string;
  /** When the token was signed (`X-Amz-Date`). */
  signedAt: Date;
  /** `signedAt` + 15 minutes: when STS stops accepting the token. */
  expiresAt: Date;
}

const DEFAULT_CLOCK_TOLERANCE_SECONDS = 300;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_RESPONSE_BYTES = 65_536;
const DEFAULT_RETRIES = 2;
const MAX_CLUSTER_ID_LENGTH = 255;
// One DNS label: region names go into a host name.
const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * {@link VerifyTokenOptions} checked, with their defaults applied.
 *
 * @internal
 */
export interface CheckedOptions {
  clusterId: string;
  partition: PartitionId;
  /** The host policy of `partition`, `region` and `extraRegions`, built once. */
  hostPolicy: HostPolicy;
  now: number;
  toleranceMs: number;
  parseOptions: ParseTokenOptions;
  fetch: FetchLike;
  timeout: number;
  signal: AbortSignal | undefined;
  maxResponseBytes: number;
  retries: number;
}

function bad(message: string): never {
  throw new TypeError(`verifyToken: ${message}`);
}

/**
 * Check `options` and apply the defaults (`TypeError` messages name
 * `verifyToken`).
 *
 * @internal
 */
export function checkOptions(options: VerifyTokenOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) bad('options must be an object');
  const {
    clusterId,
    partition = 'aws',
    region,
    extraRegions,
    currentDate,
    clockTolerance = DEFAULT_CLOCK_TOLERANCE_SECONDS,
    maxTokenLength,
    strictParameterCase,
    fetch: fetchOption,
    timeout = DEFAULT_TIMEOUT_MS,
    signal,
    maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
    retries = DEFAULT_RETRIES,
  } = options;
  if (typeof clusterId !== 'string' || clusterId === '') {
    bad('options.clusterId must be a non-empty string');
  }
  if (clusterId.length > MAX_CLUSTER_ID_LENGTH) {
    bad(`options.clusterId must be at most ${MAX_CLUSTER_ID_LENGTH} characters`);
  }
  if (findControlCharacter(clusterId) !== undefined)
    bad('options.clusterId must not contain control characters');
  // It travels as an HTTP header value, which `fetch` accepts only as Latin-1.
  if (/[^\x20-\xff]/.test(clusterId)) {
    bad('options.clusterId must not contain characters above U+00FF (not sendable in a header)');
  }
  if (typeof partition !== 'string' || !isPartitionId(partition)) {
    bad('options.partition must be a known partition id (aws, aws-cn, aws-us-gov, …)');
  }
  if (region !== undefined && (typeof region !== 'string' || !REGION.test(region))) {
    bad('options.region must be a region name such as us-west-2');
  }
  if (
    extraRegions !== undefined &&
    (!Array.isArray(extraRegions) ||
      !extraRegions.every((r: unknown) => typeof r === 'string' && REGION.test(r)))
  ) {
    bad('options.extraRegions must be an array of region names such as us-west-2');
  }
  let now: number;
  if (currentDate === undefined) now = Date.now();
  else if (currentDate instanceof Date && !Number.isNaN(currentDate.getTime())) {
    now = currentDate.getTime();
  } else bad('options.currentDate must be a valid Date');
  if (
    typeof clockTolerance !== 'number' ||
    !Number.isFinite(clockTolerance) ||
    clockTolerance < 0
  ) {
    bad('options.clockTolerance must be a finite number of seconds >= 0');
  }
  const fetchImpl = fetchOption ?? (globalThis as { fetch?: FetchLike }).fetch;
  if (typeof fetchImpl !== 'function') {
    bad('options.fetch must be a function (no global fetch in this runtime)');
  }
  if (typeof timeout !== 'number' || !(timeout > 0) || timeout > MAX_TIMEOUT_MS) {
    bad(`options.timeout must be a number of milliseconds in (0, ${MAX_TIMEOUT_MS}]`);
  }
  if (signal !== undefined && !isAbortSignal(signal)) bad('options.signal must be an AbortSignal');
  if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes <= 0) {
    bad('options.maxResponseBytes must be a positive integer');
  }
  if (!Number.isSafeInteger(retries) || retries < 0) {
    bad('options.retries must be an integer >= 0');
  }
  const parseOptions: ParseTokenOptions = {};
  if (maxTokenLength !== undefined) parseOptions.maxTokenLength = maxTokenLength;
  if (strictParameterCase !== undefined) parseOptions.strictParameterCase = strictParameterCase;
  return {
    clusterId,
    partition,
    hostPolicy: {
      partition,
      region,
      extraRegions: new Set<string>(extraRegions as readonly string[] | undefined),
    },
    now,
    toleranceMs: clockTolerance * 1000,
    parseOptions,
    fetch: fetchImpl,
    timeout,
    signal,
    maxResponseBytes,
    retries,
  };
}

/**
 * Verify an EKS bearer token and return the identity STS vouches for.
 *
 * In order: {@link parseToken} (structure, SPEC 3.3); the STS host must be
 * allowed for `options.partition` (a token names the host the verifier will
 * call, so an attacker's host could vouch for anyone); the clock (expired 15
 * minutes after signing, not yet valid beyond `clockTolerance`); then a `GET`
 * of the rebuilt presigned URL with `x-k8s-aws-id: <clusterId>`, and the
 * answer must be a consistent identity of the verifier's partition.
 *
 * Never throws synchronously and never returns an identity after any failed
 * step. Error messages never contain the token, its signature or its session
 * token.
 *
 * @example
 * ```ts
 * const identity = await verifyToken(bearer, { clusterId: 'prod', region: 'eu-west-1' });
 * identity.canonicalArn; // 'arn:aws:iam::123456789012:role/Admin'
 * ```
 * @param token - The bearer token, `k8s-aws-v1.<base64url>`.
 * @param options - See {@link VerifyTokenOptions}; `clusterId` is required.
 * @returns The verified identity.
 * @throws (as a rejected promise) `TypeError` for invalid options;
 * `TokenFormatError` (`ERR_TOKEN_MALFORMED`, `ERR_TOKEN_TOO_LARGE`);
 * `TokenHostError` (`ERR_TOKEN_HOST_NOT_ALLOWED`); `TokenExpiredError`
 * (`ERR_TOKEN_EXPIRED`); `TokenNotYetValidError` (`ERR_TOKEN_NOT_YET_VALID`);
 * `StsRejectedError` (`ERR_STS_REJECTED`, with `awsCode`);
 * `StsThrottledError` (`ERR_STS_THROTTLED`); `StsUnavailableError`
 * (`ERR_STS_UNAVAILABLE`: network, 5xx, redirect, timeout, abort);
 * `StsResponseError` (`ERR_STS_RESPONSE_INVALID`).
 */
export async function verifyToken(
  token: string,
  options: VerifyTokenOptions,
): Promise<VerifiedIdentity> {
  const checked = checkOptions(options);
  return identityFromSts(checkTokenBeforeSts(token, checked), checked);
}

/**
 * Steps 1 to 3 of {@link verifyToken}, everything before the network:
 * structure, host policy, clock (at `checked.now`). Throws the step's error.
 *
 * @internal
 */
export function checkTokenBeforeSts(token: string, checked: CheckedOptions): ParsedToken {
  const parsed = parseToken(token, checked.parseOptions);
  checkHostAndClock(parsed, checked);
  return parsed;
}

/**
 * Steps 2 and 3 of {@link verifyToken} on a parsed token: host policy, then
 * the clock at `checked.now`. Throws the step's error.
 *
 * @internal
 */
export function checkHostAndClock(parsed: ParsedToken, checked: CheckedOptions): void {
  const refusal = hostRefusal(parsed.host, checked.hostPolicy, parsed.region);
  if (refusal !== undefined) {
    throw new TokenHostError(
      parsed.host,
      `STS host "${parsed.host}" is not allowed for partition "${checked.partition}": ${refusal}`,
    );
  }

  // STS refuses the URL 15 minutes after X-Amz-Date; checking here saves the
  // call and gives the caller a precise code.
  if (checked.now > parsed.expiresAt.getTime()) {
    throw new TokenExpiredError(
      parsed.expiresAt,
      `token expired at ${parsed.expiresAt.toISOString()} (15 minutes after it was signed)`,
    );
  }
  if (parsed.signedAt.getTime() > checked.now + checked.toleranceMs) {
    throw new TokenNotYetValidError(
      parsed.signedAt,
      `token is signed at ${parsed.signedAt.toISOString()}, more than ${checked.toleranceMs / 1000} s in the future`,
    );
  }
}

/**
 * Steps 4 to 6 of {@link verifyToken}: the STS call for a token that passed
 * {@link checkTokenBeforeSts}, and the identity from its answer.
 *
 * @internal
 */
export async function identityFromSts(
  parsed: ParsedToken,
  checked: CheckedOptions,
): Promise<VerifiedIdentity> {
  // `checked` has every StsRequestOptions field: no per-call copy.
  const answer = await requestStsIdentity(parsed.url, checked);
  if (bodyFormatOf(answer.contentType) === 'xml') await loadXmlSupport();
  return verifiedIdentityOf(parsed, interpretStsAnswer(answer, checked.partition));
}

/**
 * Step 6 of {@link verifyToken}: the result, from the identity STS vouched
 * for (checked against the verifier's partition) and the token it
 * answered. A shared cache's value goes through this too.
 *
 * @internal
 */
export function verifiedIdentityOf(
  parsed: ParsedToken,
  identity: CallerIdentity,
): VerifiedIdentity {
  // sessionName is absent, not undefined, for everything but assumed roles;
  // two literals rather than a conditional spread (this is the hot path).
  const { sessionName } = identity;
  if (sessionName === undefined) {
    return {
      arn: identity.arn,
      canonicalArn: identity.canonicalArn,
      principalType: identity.principalType,
      accountId: identity.accountId,
      userId: identity.userId,
      accessKeyId: parsed.accessKeyId,
      partition: identity.partition,
      stsHost: parsed.host,
      signedAt: parsed.signedAt,
      expiresAt: parsed.expiresAt,
    };
  }
  return {
    arn: identity.arn,
    canonicalArn: identity.canonicalArn,
    principalType: identity.principalType,
    accountId: identity.accountId,
    userId: identity.userId,
    sessionName,
    accessKeyId: parsed.accessKeyId,
    partition: identity.partition,
    stsHost: parsed.host,
    signedAt: parsed.signedAt,
    expiresAt: parsed.expiresAt,
  };
}
