/**
 * Error classes. Every failure the library reports on purpose is an
 * {@link EksAuthError} with a stable {@link EksAuthError.code | code}; callers
 * switch on the code (or use `instanceof` on a subclass), never on the message.
 *
 * Bad options — a bug in the calling code rather than bad input — are plain
 * `TypeError`s, as in the platform's own APIs.
 *
 * No message produced here contains a token, a signature, a secret key or a
 * session token: messages say what was expected and what kind of thing was
 * found, and name parameters, never their secret values.
 *
 * @module
 */

/**
 * Every error code the library uses. Part of the public API: a code is never
 * renamed or reused for another meaning.
 */
export type ErrorCode =
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_TOKEN_TOO_LARGE'
  | 'ERR_TOKEN_HOST_NOT_ALLOWED'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_TOKEN_NOT_YET_VALID'
  | 'ERR_STS_REJECTED'
  | 'ERR_STS_THROTTLED'
  | 'ERR_STS_UNAVAILABLE'
  | 'ERR_STS_RESPONSE_INVALID'
  | 'ERR_ARN_INVALID'
  | 'ERR_AWS_AUTH_INVALID'
  | 'ERR_TEMPLATE'
  | 'ERR_CREDENTIALS_MISSING'
  | 'ERR_SIGNING_FAILED'
  | 'ERR_ACCESS_ENTRIES_INVALID'
  | 'ERR_RBAC_INVALID'
  | 'ERR_LIMIT_EXCEEDED'
  | 'ERR_MIGRATION_RENDER';

/**
 * The HTTP status a server (an API server's authenticator, a webhook) should
 * answer for each code. Documented in `SECURITY.md` and used by `reviewToken`.
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = Object.freeze({
  ERR_TOKEN_MALFORMED: 401,
  ERR_TOKEN_TOO_LARGE: 401,
  ERR_TOKEN_HOST_NOT_ALLOWED: 401,
  ERR_TOKEN_EXPIRED: 401,
  ERR_TOKEN_NOT_YET_VALID: 401,
  ERR_STS_REJECTED: 401,
  ERR_STS_THROTTLED: 429,
  ERR_STS_UNAVAILABLE: 503,
  ERR_STS_RESPONSE_INVALID: 503,
  ERR_ARN_INVALID: 401,
  ERR_AWS_AUTH_INVALID: 403,
  ERR_TEMPLATE: 403,
  ERR_CREDENTIALS_MISSING: 500,
  ERR_SIGNING_FAILED: 500,
  ERR_ACCESS_ENTRIES_INVALID: 403,
  ERR_RBAC_INVALID: 403,
  ERR_LIMIT_EXCEEDED: 500,
  ERR_MIGRATION_RENDER: 500,
});

/** Options every error constructor accepts. */
export interface EksAuthErrorOptions {
  /** The underlying error, kept for debugging. Never a secret. */
  cause?: unknown;
}

/** Base class of every error this library throws on purpose. */
export class EksAuthError extends Error {
  /** Stable, switchable error code. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: EksAuthErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }

  /** The HTTP status a server should answer for this error (see {@link HTTP_STATUS_BY_CODE}). */
  get httpStatus(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }
}

/**
 * Which structural rule of a token failed (SPEC 3.3, in check order). Stable:
 * tests and logs may rely on it.
 */
export type TokenFormatReason =
  | 'not-a-string'
  | 'too-large'
  | 'prefix'
  | 'base64url'
  | 'url'
  | 'query'
  | 'duplicate-parameter'
  | 'unknown-parameter'
  | 'missing-parameter'
  | 'parameter-value'
  | 'date'
  | 'expires'
  | 'credential'
  | 'signed-headers'
  | 'signature';

/**
 * A token is not structurally valid (SPEC 3.3). `code` is
 * `ERR_TOKEN_TOO_LARGE` for an oversize token and `ERR_TOKEN_MALFORMED`
 * otherwise; {@link TokenFormatError.reason} says which rule failed.
 */
export class TokenFormatError extends EksAuthError {
  /** The rule that failed. */
  readonly reason: TokenFormatReason;

  constructor(reason: TokenFormatReason, message: string, options?: EksAuthErrorOptions) {
    super(reason === 'too-large' ? 'ERR_TOKEN_TOO_LARGE' : 'ERR_TOKEN_MALFORMED', message, options);
    this.reason = reason;
  }
}

/** The token's STS host is not allowed for the verifier's partition (SPEC 3.4 step 2). */
export class TokenHostError extends EksAuthError {
  /** The rejected host name (a host is not a secret). */
  readonly host: string;

  constructor(host: string, message: string) {
    super('ERR_TOKEN_HOST_NOT_ALLOWED', message);
    this.host = host;
  }
}

/** The token was signed more than 15 minutes ago (SPEC 3.4 step 3). */
export class TokenExpiredError extends EksAuthError {
  /** When the token stopped being valid. */
  readonly expiredAt: Date;

  constructor(expiredAt: Date, message: string) {
    super('ERR_TOKEN_EXPIRED', message);
    this.expiredAt = expiredAt;
  }
}

/** The token is dated further in the future than the clock tolerance allows. */
export class TokenNotYetValidError extends EksAuthError {
  /** The token's signing time. */
  readonly signedAt: Date;

  constructor(signedAt: Date, message: string) {
    super('ERR_TOKEN_NOT_YET_VALID', message);
    this.signedAt = signedAt;
  }
}

/** STS answered a 4xx: it does not accept the presigned request. */
export class StsRejectedError extends EksAuthError {
  /** The AWS error code from the body (`SignatureDoesNotMatch`, `ExpiredToken`, …), if any. */
  readonly awsCode: string | undefined;
  /** The HTTP status STS answered. */
  readonly status: number;

  constructor(status: number, awsCode: string | undefined, message: string) {
    super('ERR_STS_REJECTED', message);
    this.status = status;
    this.awsCode = awsCode;
  }
}

/**
 * STS throttled the call (429, or a `Throttling` family error code), or a
 * verifier from `createVerifier` is backing off the token's signer (its
 * access key or account) at that STS host after such an answer. Retry
 * later.
 */
export class StsThrottledError extends EksAuthError {
  /** The AWS error code from the body, if any. */
  readonly awsCode: string | undefined;
  /**
   * The HTTP status STS answered (for a verifier's backoff refusal: the
   * throttling answer that started the backoff).
   */
  readonly status: number;
  /**
   * When a verifier backing off this signer (or host) sends requests for it
   * again (a server's `Retry-After`); `undefined` when STS itself answered
   * this call.
   */
  readonly retryAt: Date | undefined;

  constructor(
    status: number,
    awsCode: string | undefined,
    message: string,
    options?: { retryAt?: Date },
  ) {
    super('ERR_STS_THROTTLED', message);
    this.status = status;
    this.awsCode = awsCode;
    this.retryAt = options?.retryAt;
  }
}

/**
 * Why a verifier refused a call with {@link StsUnavailableError} without
 * asking STS: `'overloaded'` when its queue of STS requests was full.
 */
export type StsUnavailableReason = 'overloaded';

/**
 * STS could not be reached, timed out, redirected, or answered 5xx; or a
 * verifier from `createVerifier` had no room to queue the request
 * ({@link StsUnavailableError.reason} `'overloaded'`).
 */
export class StsUnavailableError extends EksAuthError {
  /** The HTTP status, when STS answered at all. */
  readonly status: number | undefined;
  /** Set when the verifier refused the call itself (STS was not asked); else `undefined`. */
  readonly reason: StsUnavailableReason | undefined;

  constructor(
    message: string,
    options?: EksAuthErrorOptions & { status?: number; reason?: StsUnavailableReason },
  ) {
    super('ERR_STS_UNAVAILABLE', message, options);
    this.status = options?.status;
    this.reason = options?.reason;
  }
}

/** STS answered 200 with a body that is not a valid, consistent identity. */
export class StsResponseError extends EksAuthError {
  constructor(message: string, options?: EksAuthErrorOptions) {
    super('ERR_STS_RESPONSE_INVALID', message, options);
  }
}

/** An ARN is not one this library understands (SPEC 3.5). */
export class ArnError extends EksAuthError {
  constructor(message: string) {
    super('ERR_ARN_INVALID', message);
  }
}

/** An `aws-auth` input is not a ConfigMap at all (bad entries are diagnostics, not errors). */
export class AwsAuthError extends EksAuthError {
  constructor(message: string, options?: EksAuthErrorOptions) {
    super('ERR_AWS_AUTH_INVALID', message, options);
  }
}

/**
 * An access-entries input is not access entries at all: not JSON, not one of
 * the AWS API's shapes, or too large (bad entries are diagnostics, not errors).
 */
export class AccessEntriesError extends EksAuthError {
  constructor(message: string, options?: EksAuthErrorOptions) {
    super('ERR_ACCESS_ENTRIES_INVALID', message, options);
  }
}

/**
 * An RBAC input is not RBAC objects at all: not YAML or JSON, too large, or
 * too costly to aggregate (bad objects are diagnostics, not errors).
 */
export class RbacError extends EksAuthError {
  constructor(message: string, options?: EksAuthErrorOptions) {
    super('ERR_RBAC_INVALID', message, options);
  }
}

/**
 * Valid inputs whose answer would cost more work than a bound the library
 * sets, so that time never grows with the square of an input: refused
 * rather than computed (`whoCan` comparing templated usernames with granted
 * names past `MAX_TEMPLATE_COMPARISONS`).
 */
export class LimitExceededError extends EksAuthError {
  /** The bound that was reached (`MAX_TEMPLATE_COMPARISONS`). */
  readonly limit: string;
  /** Its value. */
  readonly max: number;

  constructor(message: string, limit: { name: string; max: number }) {
    super('ERR_LIMIT_EXCEEDED', message);
    this.limit = limit.name;
    this.max = limit.max;
  }
}

/** A username or group template could not be rendered (SPEC 4.3). */
export class TemplateError extends EksAuthError {
  /** The placeholder that failed, e.g. `EC2PrivateDNSName`, if one did. */
  readonly placeholder: string | undefined;

  constructor(message: string, options?: EksAuthErrorOptions & { placeholder?: string }) {
    super('ERR_TEMPLATE', message, options);
    this.placeholder = options?.placeholder;
  }
}

/**
 * Why no usable credentials were found, for callers that word the fix
 * themselves (the command line names its own): `not-found` (no source at
 * all), `profile-without-sdk` (`AWS_PROFILE` is set but the optional peer
 * that reads profiles is not installed), `chain-failed` (the SDK chain found
 * nothing), `provider-failed` (the caller's provider threw), `incomplete`
 * (one of the two environment keys), `invalid`, `expired`.
 */
export type CredentialsReason =
  | 'not-found'
  | 'profile-without-sdk'
  | 'chain-failed'
  | 'provider-failed'
  | 'incomplete'
  | 'invalid'
  | 'expired';

/** No AWS credentials could be found for signing. */
export class CredentialsError extends EksAuthError {
  /** Why; `undefined` only for errors made outside this library's credential resolution. */
  readonly reason: CredentialsReason | undefined;

  constructor(message: string, options?: EksAuthErrorOptions & { reason?: CredentialsReason }) {
    super('ERR_CREDENTIALS_MISSING', message, options);
    this.reason = options?.reason;
  }
}

/** The SigV4 signer failed (it may reject with a bare string; this wraps it). */
export class SigningError extends EksAuthError {
  constructor(message: string, options?: EksAuthErrorOptions) {
    super('ERR_SIGNING_FAILED', message, options);
  }
}

/**
 * Why a migration plan cannot be printed in a format: `empty-plan`
 * (CloudFormation refuses a template without resources), `too-many-resources`
 * (over CloudFormation's 500 per template), `unsafe-value` (a plan not made
 * by `planAccessEntryMigration` carries a control character, or a
 * CloudFormation dynamic reference, that the planner would have listed as a
 * loss, or a cluster name or target the planner would refuse), `name-clash`
 * (two principals, or two policy associations in Terraform, would get one
 * resource name).
 */
export type MigrationRenderReason =
  'empty-plan' | 'too-many-resources' | 'unsafe-value' | 'name-clash';

/** A migration plan cannot be printed safely in the chosen format (`renderMigration`). */
export class MigrationRenderError extends EksAuthError {
  /** Which rule refused the plan. */
  readonly reason: MigrationRenderReason;

  constructor(reason: MigrationRenderReason, message: string, options?: EksAuthErrorOptions) {
    super('ERR_MIGRATION_RENDER', message, options);
    this.reason = reason;
  }
}

/** True if `value` is an error thrown on purpose by this library. */
export function isEksAuthError(value: unknown): value is EksAuthError {
  return value instanceof EksAuthError;
}
