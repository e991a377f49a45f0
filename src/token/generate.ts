/**
 * `generateToken`: sign an EKS bearer token, in-process, the way
 * `aws eks get-token` does (SPEC 3.1).
 *
 * @module
 */
import type { StsEndpointRequest, StsRegionalEndpoints } from '../sts/endpoints.js';
import { resolveStsEndpoint } from '../sts/endpoints.js';
import { readEnv } from '../util/env.js';
import { encodeBase64Url } from './base64url.js';
import { DEFAULT_URL_EXPIRES_SECONDS, MAX_URL_EXPIRES_SECONDS, TOKEN_PREFIX } from './constants.js';
import type { AwsCredentials, AwsCredentialsProvider, CredentialsDeps } from './credentials.js';
import {
  assertCredentialsOption,
  DEFAULT_CREDENTIALS_DEPS,
  resolveCredentials,
} from './credentials.js';
import type { SigningCrypto } from './hash.js';
import { getSigningCrypto } from './hash.js';
import { execCredentialExpiry } from './exec-credential.js';
import { presignGetCallerIdentity } from './sigv4.js';

/** Options of {@link generateToken}. */
export interface GenerateTokenOptions {
  /**
   * The EKS cluster name (or, for EKS local clusters on Outposts, the cluster
   * id). Signed into the token as the `x-k8s-aws-id` header, so the token is
   * accepted by this cluster only. Non-empty, at most 255 characters, no
   * control characters.
   */
  clusterId: string;
  /**
   * The credentials to sign with: an object, or an async provider such as
   * `fromNodeProviderChain()` from `@aws-sdk/credential-providers`.
   * @default the AWS SDK default chain when `@aws-sdk/credential-providers`
   * is installed, else `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` /
   * `AWS_SESSION_TOKEN`
   */
  credentials?: AwsCredentials | AwsCredentialsProvider | undefined;
  /**
   * The AWS region whose STS endpoint signs the token.
   * @default `AWS_REGION`, then `AWS_DEFAULT_REGION`, then `us-east-1`
   */
  region?: string | undefined;
  /**
   * `regional` signs for `sts.<region>.<suffix>` (awscli v2, current SDKs);
   * `legacy` signs for the global `sts.amazonaws.com` (scope `us-east-1`) in
   * the regions botocore's old default sent there.
   * @default `AWS_STS_REGIONAL_ENDPOINTS`, then `'regional'`
   */
  stsRegionalEndpoints?: StsRegionalEndpoints | undefined;
  /**
   * Sign for the FIPS endpoint `sts-fips.<region>.<suffix>` (in GovCloud, where
   * the standard endpoint is the FIPS one, `sts.<region>.amazonaws.com`).
   * @default `AWS_USE_FIPS_ENDPOINT` (`true` / `false`), then `false`
   */
  useFipsEndpoint?: boolean | undefined;
  /**
   * Sign for the dual-stack (IPv4 + IPv6) endpoint `sts[-fips].<region>.<dualStackSuffix>`.
   * @default `AWS_USE_DUALSTACK_ENDPOINT` (`true` / `false`), then `false`
   */
  useDualstackEndpoint?: boolean | undefined;
  /**
   * Advanced: an explicit STS host name (no scheme, port or path) that replaces
   * the resolved host; the signing region stays the resolved one. Verifiers
   * accept only standard STS hosts, so this is for emulators and private
   * testing.
   * @default the host resolved from the options above
   */
  endpoint?: string | undefined;
  /**
   * The signing time (`X-Amz-Date`), to the second.
   * @default now
   */
  signingDate?: Date | undefined;
  /**
   * `X-Amz-Expires` in seconds, 0 to 900. STS accepts a token for 15 minutes
   * after `X-Amz-Date` whatever this says; it is written for compatibility.
   * @default 60 (what `aws eks get-token` writes)
   */
  expiresIn?: number | undefined;
}

/** A generated token and what it was signed for. */
export interface GeneratedToken {
  /** The bearer token: `k8s-aws-v1.` + unpadded base64url of {@link GeneratedToken.url}. A secret. */
  readonly token: string;
  /** The presigned STS URL the token encodes. As secret as the token. */
  readonly url: string;
  /** The STS host the URL points at. */
  readonly host: string;
  /** The SigV4 signing region (`us-east-1` for the global endpoint). */
  readonly region: string;
  /** The cluster the token is bound to (`x-k8s-aws-id`). */
  readonly clusterId: string;
  /** `X-Amz-Date`, to the second. */
  readonly signedAt: Date;
  /**
   * When a client should stop using the token: `signedAt` + 14 minutes, one
   * minute before STS stops accepting it, as `aws eks get-token` reports.
   */
  readonly expiresAt: Date;
}

/**
 * Seams for tests; production code uses {@link DEFAULT_GENERATE_DEPS}.
 * @internal
 */
export interface GenerateTokenDeps {
  credentials: CredentialsDeps;
  /** The SHA-256 / HMAC implementation: `node:crypto` or WebCrypto. */
  signingCrypto: () => Promise<SigningCrypto>;
}

/** @internal */
export const DEFAULT_GENERATE_DEPS: GenerateTokenDeps = Object.freeze({
  credentials: DEFAULT_CREDENTIALS_DEPS,
  signingCrypto: getSigningCrypto,
});

/**
 * Sign an EKS bearer token: a SigV4-presigned STS `GetCallerIdentity` URL
 * bound to the cluster by the signed `x-k8s-aws-id` header, encoded as
 * `k8s-aws-v1.<base64url>`. The output is byte-identical to
 * `aws eks get-token` for the same inputs.
 *
 * Bad options reject with a `TypeError`; missing or unusable credentials
 * with `CredentialsError` (`ERR_CREDENTIALS_MISSING`); a signer failure with
 * `SigningError` (`ERR_SIGNING_FAILED`). Never throws synchronously.
 *
 * @example
 * ```ts
 * const { token, expiresAt } = await generateToken({ clusterId: 'prod', region: 'eu-west-1' });
 * ```
 */
export function generateToken(options: GenerateTokenOptions): Promise<GeneratedToken> {
  return generateTokenWith(options, DEFAULT_GENERATE_DEPS);
}

/**
 * {@link generateToken} with injectable dependencies.
 * @internal
 */
export async function generateTokenWith(
  options: GenerateTokenOptions,
  deps: GenerateTokenDeps,
): Promise<GeneratedToken> {
  // Every option is checked before the first await, so a caller bug is
  // reported as such and no credentials are fetched for a doomed call.
  const settings = resolveSettings(options);
  const [credentials, signing] = await Promise.all([
    resolveCredentials(settings.credentials, deps.credentials),
    deps.signingCrypto(),
  ]);
  const { url } = await presignGetCallerIdentity(
    {
      credentials,
      host: settings.host,
      signingRegion: settings.signingRegion,
      clusterId: settings.clusterId,
      signingDate: settings.signedAt,
      expiresIn: settings.expiresIn,
    },
    signing,
  );
  return {
    token: TOKEN_PREFIX + encodeBase64Url(url),
    url,
    host: settings.host,
    region: settings.signingRegion,
    clusterId: settings.clusterId,
    signedAt: settings.signedAt,
    expiresAt: execCredentialExpiry(settings.signedAt),
  };
}

interface Settings {
  clusterId: string;
  credentials: AwsCredentials | AwsCredentialsProvider | undefined;
  host: string;
  signingRegion: string;
  signedAt: Date;
  expiresIn: number;
}

function resolveSettings(options: GenerateTokenOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('generateToken expects an options object');
  }
  const clusterId = checkClusterId(options.clusterId);
  assertCredentialsOption(options.credentials);
  const endpoint = resolveStsEndpoint(resolveEndpointRequest(options));
  return {
    clusterId,
    credentials: options.credentials,
    host: options.endpoint === undefined ? endpoint.host : checkEndpoint(options.endpoint),
    signingRegion: endpoint.signingRegion,
    signedAt: resolveSigningDate(options.signingDate),
    expiresIn: resolveExpiresIn(options.expiresIn),
  };
}

/** The options that choose the STS endpoint a token is signed for. */
export type EndpointOptions = Pick<
  GenerateTokenOptions,
  'region' | 'stsRegionalEndpoints' | 'useFipsEndpoint' | 'useDualstackEndpoint'
>;

/**
 * Region, endpoint mode and FIPS/dual-stack flags from the options, falling
 * back to the AWS environment variables and defaults exactly as
 * {@link generateToken} does. Exported for the command-line tool, which needs
 * the endpoint before a token exists (AssumeRole, cache key); not part of the
 * package's public API.
 *
 * @throws `TypeError` for an invalid option or environment value.
 * @internal
 */
export function resolveEndpointRequest(options: EndpointOptions): StsEndpointRequest {
  return {
    region: resolveRegion(options.region),
    stsRegionalEndpoints: resolveRegionalEndpoints(options.stsRegionalEndpoints),
    useFipsEndpoint: resolveFlag(
      options.useFipsEndpoint,
      'useFipsEndpoint',
      'AWS_USE_FIPS_ENDPOINT',
    ),
    useDualstackEndpoint: resolveFlag(
      options.useDualstackEndpoint,
      'useDualstackEndpoint',
      'AWS_USE_DUALSTACK_ENDPOINT',
    ),
  };
}

const MAX_CLUSTER_ID_LENGTH = 255;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

function checkClusterId(clusterId: unknown): string {
  // A control character (CR/LF) in a signed header value is a header-injection
  // vector on the verifier's side and can never match what it sends.
  if (
    typeof clusterId !== 'string' ||
    clusterId.length === 0 ||
    clusterId.length > MAX_CLUSTER_ID_LENGTH ||
    CONTROL_CHARACTER.test(clusterId)
  ) {
    throw new TypeError(
      `options.clusterId must be a non-empty string of at most ${MAX_CLUSTER_ID_LENGTH} characters without control characters`,
    );
  }
  return clusterId;
}

// A region becomes a DNS label of the STS host: lower-case letters, digits
// and inner hyphens only, so no option can steer the host name elsewhere.
const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_REGION_LENGTH = 63;

function resolveRegion(option: unknown): string {
  let region: string;
  let source: string;
  if (option !== undefined) {
    if (typeof option !== 'string') throw new TypeError('options.region must be a string');
    [region, source] = [option, 'options.region'];
  } else {
    const fromEnv = readEnv('AWS_REGION');
    const fromDefault = fromEnv === undefined ? readEnv('AWS_DEFAULT_REGION') : undefined;
    if (fromEnv !== undefined) [region, source] = [fromEnv, 'AWS_REGION'];
    else if (fromDefault !== undefined) [region, source] = [fromDefault, 'AWS_DEFAULT_REGION'];
    else return 'us-east-1';
  }
  if (region.length > MAX_REGION_LENGTH || !REGION.test(region)) {
    throw new TypeError(
      `${source} must be an AWS region name such as "us-west-2" (lower-case letters, digits and hyphens), got ${quote(region)}`,
    );
  }
  return region;
}

function resolveRegionalEndpoints(option: unknown): StsRegionalEndpoints {
  const [value, source] =
    option !== undefined
      ? [option, 'options.stsRegionalEndpoints']
      : [readEnv('AWS_STS_REGIONAL_ENDPOINTS'), 'AWS_STS_REGIONAL_ENDPOINTS'];
  if (value === undefined) return 'regional';
  if (value === 'regional' || value === 'legacy') return value;
  throw new TypeError(`${source} must be "regional" or "legacy", got ${quote(value)}`);
}

function resolveFlag(option: unknown, name: string, envName: string): boolean {
  if (option !== undefined) {
    if (typeof option !== 'boolean') throw new TypeError(`options.${name} must be a boolean`);
    return option;
  }
  const value = readEnv(envName);
  if (value === undefined) return false;
  // The AWS SDKs accept exactly true/false here and fail on anything else.
  switch (value.toLowerCase()) {
    case 'true':
      return true;
    case 'false':
      return false;
    default:
      throw new TypeError(`${envName} must be "true" or "false", got ${quote(value)}`);
  }
}

// One or more lower-case DNS labels; no scheme, userinfo, port or path, so
// the override can only name a host, never reshape the URL.
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

function checkEndpoint(endpoint: unknown): string {
  if (typeof endpoint !== 'string' || !HOST_NAME.test(endpoint)) {
    throw new TypeError(
      `options.endpoint must be a bare lower-case host name such as "sts.us-west-2.amazonaws.com" (no scheme, port or path), got ${quote(endpoint)}`,
    );
  }
  return endpoint;
}

// X-Amz-Date and the ExecCredential expiry have four-digit years (the
// 15-minute validity must end before year 10000 too), and no real token is
// dated before the epoch.
const MIN_SIGNING_TIME = Date.UTC(1970, 0, 1);
const MAX_SIGNING_TIME = Date.UTC(10000, 0, 1) - 16 * 60 * 1000;

function resolveSigningDate(option: unknown): Date {
  if (option === undefined) return truncateToSecond(Date.now());
  if (!(option instanceof Date) || Number.isNaN(option.getTime())) {
    throw new TypeError('options.signingDate must be a valid Date');
  }
  const time = option.getTime();
  if (time < MIN_SIGNING_TIME || time > MAX_SIGNING_TIME) {
    throw new TypeError(
      `options.signingDate must lie between ${new Date(MIN_SIGNING_TIME).toISOString()} and ${new Date(MAX_SIGNING_TIME).toISOString()}`,
    );
  }
  return truncateToSecond(time);
}

function truncateToSecond(time: number): Date {
  return new Date(time - (time % 1000));
}

function resolveExpiresIn(option: unknown): number {
  if (option === undefined) return DEFAULT_URL_EXPIRES_SECONDS;
  if (
    typeof option !== 'number' ||
    !Number.isInteger(option) ||
    option < 0 ||
    option > MAX_URL_EXPIRES_SECONDS
  ) {
    throw new TypeError(
      `options.expiresIn must be an integer number of seconds from 0 to ${MAX_URL_EXPIRES_SECONDS}`,
    );
  }
  return option;
}

/** A short, printable rendering of a (non-secret) option value for messages. */
function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(typeof value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
