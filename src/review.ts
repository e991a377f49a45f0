/**
 * `reviewToken` (SPEC 4.4): a Kubernetes `TokenReview` in, the webhook
 * answer out — verify the token with STS, map the identity through
 * `aws-auth`, and build the response the Go authenticator would. A function,
 * not a server: wire it to any HTTP framework (see `examples/webhook/`).
 *
 * @module
 */
import type {
  AccessEntries,
  AccessEntriesInput,
  AuthenticationMode,
} from './access-entries/types.js';
import type { MapIdentityOptions } from './resolve/map-identity.js';
import type { AwsAuth, AwsAuthInput } from './mapping/types.js';
import type { MappingSourceList } from './sources/types.js';
import { EksAuthError } from './errors.js';
import { prepareResolve, resolvePrepared } from './resolve/resolve.js';
import type { ResolvedIdentity } from './resolve/types.js';
import type { ErrorCode } from './errors.js';
import { verifyToken } from './token/verify.js';
import type { VerifiedIdentity, VerifyTokenOptions } from './token/verify.js';
import type { Verifier } from './verifier/create.js';

/** Options of {@link reviewToken}: how to verify, what to map with. */
export interface ReviewTokenOptions
  extends VerifyTokenOptions, Omit<MapIdentityOptions, 'accessKeyId'> {
  /**
   * The `aws-auth` ConfigMap: a `parseAwsAuth` result (parse once, at start
   * and on change), or anything `parseAwsAuth` accepts (the last text given
   * is parsed once and reused); or, as for `mapIdentity`, an ordered array
   * of sources (SPEC 4.8: parse results or `{ mode, mappings }`, first match
   * wins). Required unless `authenticationMode` is `API`.
   */
  awsAuth?: AwsAuthInput | AwsAuth | MappingSourceList;
  /**
   * The cluster's access entries: a `parseAccessEntries` result or anything
   * it accepts. Required by the `API` modes.
   */
  accessEntries?: AccessEntriesInput | AccessEntries;
  /**
   * How the cluster authenticates (see `resolveIdentity`).
   *
   * @defaultValue as `resolveIdentity`: the access-entries bundle's mode, else
   *   `API_AND_CONFIG_MAP` with both sources, `API` with access entries only,
   *   `CONFIG_MAP` with aws-auth only
   */
  authenticationMode?: AuthenticationMode;
}

/**
 * Options of {@link reviewToken} with a long-lived {@link Verifier} (from
 * `createVerifier`: cache, coalescing, STS concurrency cap) in place of the
 * verify options: the mapping options of {@link ReviewTokenOptions} plus
 * `verifier`.
 */
export type ReviewTokenVerifierOptions = Omit<ReviewTokenOptions, keyof VerifyTokenOptions> & {
  /** Verifies the token; its own options (cluster id, partition, …) apply. */
  verifier: Verifier;
};

/** The answer to a `TokenReview`: an HTTP status and the JSON body to send. */
export interface TokenReviewResult {
  /**
   * HTTP status for the webhook: `200` authenticated; `403` token invalid
   * or identity not mapped; `429` STS throttled; `503` STS unavailable;
   * `400` the request is not a TokenReview; `500` a bug or misconfiguration
   * on the server side (see {@link TokenReviewResult.error}).
   */
  status: 200 | 400 | 403 | 429 | 500 | 503;
  /** The `TokenReview` to send back, in the request's `apiVersion`. */
  body: {
    /** Same as the request's (`v1` when the request's was unusable). */
    apiVersion: 'authentication.k8s.io/v1' | 'authentication.k8s.io/v1beta1';
    /** Always `TokenReview`. */
    kind: 'TokenReview';
    /** The verdict. */
    status: {
      /** True only with status 200. */
      authenticated: boolean;
      /** The Kubernetes user, when authenticated. */
      user?: {
        /** Rendered `aws-auth` username. */
        username: string;
        /** `aws-iam-authenticator:<account>:<userId>`, as the Go authenticator. */
        uid: string;
        /** Rendered `aws-auth` groups. */
        groups: string[];
        /**
         * `arn`, `canonicalArn`, `sessionName` (`""` for users), `accessKeyId`
         * and `principalId` (the STS `UserId` without the session), each a
         * one-string array as Kubernetes expects.
         */
        extra: Record<string, string[]>;
      };
      /** Why not, in a few words with the error code; never a token or secret. */
      error?: string;
    };
  };
  /**
   * The error behind a non-200 answer, for the server's own logs; never part
   * of `body`.
   */
  error?: unknown;
  /**
   * The identity STS vouched for, whenever the token was verified, also
   * when the answer is a refusal (not mapped, or the mapping could not be
   * rendered): a server logs who was refused, as the Go authenticator logs
   * the caller's ARN. For the server's own use; never part of `body`, which
   * tells the API server no more than the Go authenticator does. Its text
   * comes from STS: escape it before printing.
   */
  identity?: VerifiedIdentity;
}

type ApiVersion = TokenReviewResult['body']['apiVersion'];
type Verify = (token: string, options: VerifyTokenOptions) => Promise<VerifiedIdentity>;

const API_VERSIONS: ReadonlySet<string> = new Set([
  'authentication.k8s.io/v1',
  'authentication.k8s.io/v1beta1',
]);

/** Longest TokenReview text read; a review carries one token (at most a few KiB). */
const MAX_REVIEW_LENGTH = 1024 * 1024;

function answer(
  status: TokenReviewResult['status'],
  apiVersion: ApiVersion,
  verdict: TokenReviewResult['body']['status'],
  error?: unknown,
): TokenReviewResult {
  return {
    status,
    body: { apiVersion, kind: 'TokenReview', status: verdict },
    ...(error === undefined ? {} : { error }),
  };
}

const DENIED: Partial<Record<ErrorCode, string>> = {
  ERR_STS_THROTTLED: 'STS is throttling token verification, retry later',
  ERR_STS_UNAVAILABLE: 'STS is unavailable, retry later',
  ERR_STS_RESPONSE_INVALID: 'STS answered with an invalid identity',
  ERR_TEMPLATE: 'the aws-auth entry for this identity cannot be rendered',
  ERR_AWS_AUTH_INVALID: 'the aws-auth ConfigMap is invalid',
  ERR_ACCESS_ENTRIES_INVALID: 'the access entries are invalid',
  ERR_ARN_INVALID: 'the identity ARN is not supported',
};

/** `result` with the verified identity beside it (never inside `body`). */
function withIdentity(
  result: TokenReviewResult,
  identity: VerifiedIdentity | undefined,
): TokenReviewResult {
  return identity === undefined ? result : { ...result, identity };
}

/** The answer for a failure: 429/503 when STS is the problem, 500 for bugs, else 403. */
function refuse(apiVersion: ApiVersion, error: unknown): TokenReviewResult {
  if (!(error instanceof EksAuthError)) {
    return answer(500, apiVersion, { authenticated: false, error: 'internal error' }, error);
  }
  const http = error.httpStatus;
  const status = http === 429 || http === 503 ? http : http >= 500 ? 500 : 403;
  const what = DENIED[error.code] ?? (status === 500 ? 'internal error' : 'invalid token');
  return answer(
    status,
    apiVersion,
    { authenticated: false, error: `${what} (${error.code})` },
    error,
  );
}

/** The "not mapped" answer, naming the sources that were asked. */
function notMapped(options: {
  accessEntries?: unknown;
  awsAuth?: unknown;
  authenticationMode?: AuthenticationMode;
}): string {
  if (options.accessEntries === undefined) return 'the identity is not mapped in aws-auth';
  const mode = options.authenticationMode === undefined ? '' : ` (${options.authenticationMode})`;
  return `the identity is not mapped in the access entries${options.awsAuth === undefined ? '' : ' or aws-auth'}${mode}`;
}

/** The request's apiVersion and token, or why it is not a TokenReview. */
function readReview(review: unknown): { apiVersion: ApiVersion; token?: string; problem?: string } {
  let value = review;
  if (typeof review === 'string') {
    if (review.length > MAX_REVIEW_LENGTH)
      return { apiVersion: 'authentication.k8s.io/v1', problem: 'request is too large' };
    try {
      value = JSON.parse(review);
    } catch {
      return { apiVersion: 'authentication.k8s.io/v1', problem: 'request is not JSON' };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { apiVersion: 'authentication.k8s.io/v1', problem: 'request is not a JSON object' };
  }
  const { apiVersion, kind, spec } = value as Record<string, unknown>;
  if (typeof apiVersion !== 'string' || !API_VERSIONS.has(apiVersion)) {
    return {
      apiVersion: 'authentication.k8s.io/v1',
      problem: 'apiVersion must be authentication.k8s.io/v1 or v1beta1',
    };
  }
  const version = apiVersion as ApiVersion;
  if (kind !== 'TokenReview') return { apiVersion: version, problem: 'kind must be TokenReview' };
  const token = (spec as { token?: unknown } | null | undefined)?.token;
  if (typeof spec !== 'object' || spec === null || typeof token !== 'string') {
    return { apiVersion: version, problem: 'spec.token must be a string' };
  }
  return { apiVersion: version, token };
}

/**
 * {@link reviewToken} with the verifier as a seam for tests.
 *
 * @internal
 */
export async function reviewTokenWith(
  verify: Verify,
  review: unknown,
  options: ReviewTokenOptions | ReviewTokenVerifierOptions,
): Promise<TokenReviewResult> {
  let apiVersion: ApiVersion = 'authentication.k8s.io/v1';
  try {
    const request = readReview(review);
    apiVersion = request.apiVersion;
    if (request.token === undefined) {
      return answer(400, apiVersion, {
        authenticated: false,
        error: `malformed TokenReview: ${request.problem ?? 'no token'}`,
      });
    }
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('reviewToken: options must be an object');
    }
    const {
      awsAuth,
      accessEntries,
      authenticationMode,
      stripRolePaths,
      ssoRoleMatch,
      resolveEC2PrivateDNSName,
      angleBracketTemplates,
      verifier,
      ...verifyOptions
    } = options as ReviewTokenOptions & { verifier?: Verifier };
    if (verifier !== undefined) {
      if (
        typeof verifier !== 'object' ||
        verifier === null ||
        typeof verifier.verify !== 'function'
      ) {
        throw new TypeError('reviewToken: options.verifier must be a Verifier from createVerifier');
      }
      // Its own options apply; a second set here would be silently ignored.
      if (verifyOptions.clusterId !== undefined) {
        throw new TypeError(
          'reviewToken: pass either options.verifier or verify options, not both',
        );
      }
    }
    // Read aws-auth before calling STS: if it is unusable, no answer can be yes.
    let identity: VerifiedIdentity | undefined;
    let mapping: ResolvedIdentity | null;
    try {
      const parsed = prepareResolve({
        ...(awsAuth === undefined ? {} : { awsAuth }),
        ...(accessEntries === undefined ? {} : { accessEntries }),
        ...(authenticationMode === undefined ? {} : { authenticationMode }),
        ...(stripRolePaths === undefined ? {} : { stripRolePaths }),
        ...(ssoRoleMatch === undefined ? {} : { ssoRoleMatch }),
        ...(resolveEC2PrivateDNSName === undefined ? {} : { resolveEC2PrivateDNSName }),
        ...(angleBracketTemplates === undefined ? {} : { angleBracketTemplates }),
      });
      identity = await (verifier === undefined
        ? verify(request.token, verifyOptions)
        : verifier.verify(request.token));
      mapping = await resolvePrepared(parsed, identity);
    } catch (error) {
      return withIdentity(refuse(apiVersion, error), identity);
    }
    if (mapping === null) {
      return withIdentity(
        answer(403, apiVersion, { authenticated: false, error: notMapped(options) }),
        identity,
      );
    }
    const authenticated = answer(200, apiVersion, {
      authenticated: true,
      user: {
        username: mapping.username,
        uid: `aws-iam-authenticator:${identity.accountId}:${identity.userId}`,
        groups: mapping.groups,
        extra: {
          arn: [identity.arn],
          canonicalArn: [identity.canonicalArn],
          // The Go authenticator sends [""] when there is no session name.
          sessionName: [identity.sessionName ?? ''],
          accessKeyId: [identity.accessKeyId],
          principalId: [identity.userId],
        },
      },
    });
    return withIdentity(authenticated, identity);
  } catch (error) {
    return refuse(apiVersion, error);
  }
}

/**
 * Answer a Kubernetes `TokenReview` (webhook token authentication) for an
 * EKS IAM token: verify it (all of `verifyToken`), map the identity through
 * `aws-auth` (`mapIdentity`), and build the response.
 *
 * Never throws and never rejects: every outcome is a status and a body.
 *
 * @param review - the request: a `TokenReview` (`authentication.k8s.io/v1`
 *   or `v1beta1`) as an object or as JSON text.
 * @param options - the verify options and `awsAuth` ({@link ReviewTokenOptions}),
 *   or, for a server, a `verifier` from `createVerifier` in place of the
 *   verify options ({@link ReviewTokenVerifierOptions}).
 * @example
 * ```ts
 * const { status, body, error } = await reviewToken(requestBody, {
 *   clusterId: 'my-cluster',
 *   region: 'eu-west-1',
 *   awsAuth: parseAwsAuth(awsAuthYaml),
 * });
 * if (error) log.warn(error);
 * res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
 * ```
 */
export function reviewToken(
  review: unknown,
  options: ReviewTokenOptions | ReviewTokenVerifierOptions,
): Promise<TokenReviewResult> {
  return reviewTokenWith(verifyToken, review, options);
}
