/**
 * Fixed values of the EKS token format, shared by the generator and parser.
 *
 * @module
 */

/** Every EKS IAM token starts with this. */
export const TOKEN_PREFIX = 'k8s-aws-v1.';

/** The signed header that binds a token to one cluster. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';

/** `X-Amz-SignedHeaders` of every valid token. */
export const SIGNED_HEADERS = 'host;x-k8s-aws-id';

/** The STS action and API version a token presigns. */
export const STS_ACTION = 'GetCallerIdentity';
export const STS_VERSION = '2011-06-15';
export const SIGNING_ALGORITHM = 'AWS4-HMAC-SHA256';

/** STS accepts a presigned URL this long after `X-Amz-Date`, whatever `X-Amz-Expires` says. */
export const PRESIGNED_URL_LIFETIME_SECONDS: number = 15 * 60;

/** `aws eks get-token` reports expiry one minute earlier than STS, as a cushion. */
export const EXEC_CREDENTIAL_LIFETIME_SECONDS: number = 14 * 60;

/** The `X-Amz-Expires` that `aws eks get-token` writes. */
export const DEFAULT_URL_EXPIRES_SECONDS = 60;
/** The largest `X-Amz-Expires` STS allows for this call. */
export const MAX_URL_EXPIRES_SECONDS = 900;

/** Default `maxTokenLength` (the Go authenticator's 4096 rejects long session tokens). */
export const DEFAULT_MAX_TOKEN_LENGTH = 16_384;

/**
 * Query parameters in botocore's order, which is also the only set a token
 * may carry. `X-Amz-Security-Token` is present only for temporary credentials.
 */
export const QUERY_PARAMETER_ORDER = [
  'Action',
  'Version',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Security-Token',
  'X-Amz-Signature',
] as const;

/** One of {@link QUERY_PARAMETER_ORDER}. */
export type QueryParameterName = (typeof QUERY_PARAMETER_ORDER)[number];
