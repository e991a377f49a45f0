/**
 * `eks-iam-auth token`: the kubectl exec credential plugin, a drop-in for
 * `aws eks get-token` (same flags where they overlap, same stdout bytes as
 * awscli v2, same stderr warnings).
 *
 * @module
 */
import { CredentialsError } from '../errors.js';
import { resolveStsEndpoint } from '../sts/endpoints.js';
import type { StsEndpointRequest } from '../sts/endpoints.js';
import { resolveCredentials } from '../token/credentials.js';
import type { AwsCredentials } from '../token/credentials.js';
import { execCredentialExpiry, execCredentialOf } from '../token/exec-credential.js';
import { generateToken, resolveEndpointRequest } from '../token/generate.js';
import type { EndpointOptions, GeneratedToken } from '../token/generate.js';
import { readEnv } from '../util/env.js';
import { oneOf, parseCommandLine, UsageError } from './args.js';
import { exitStatusHelp } from './exit-codes.js';
import { EXIT, escapeControl, formatPythonJson, out, reportError, warn } from './output.js';
import type { FlagNames } from './translate-error.js';

/** Usage text of `token`. */
export const USAGE: string = `Usage: eks-iam-auth token --cluster-name NAME [options]

Print a kubectl ExecCredential (client.authentication.k8s.io) holding a bearer
token for an EKS cluster, like "aws eks get-token". Credentials come from the
AWS SDK default chain when @aws-sdk/credential-providers is installed, else
from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN.

Options:
  --cluster-name NAME          the EKS cluster name
  --cluster-id ID              the cluster id instead (EKS local clusters on Outposts)
  --region REGION              STS region (default: AWS_REGION, AWS_DEFAULT_REGION, us-east-1)
  --role-arn ARN               assume this role (STS AssumeRole) and sign with its credentials
  --session-name NAME          role session name with --role-arn (default: EKSGetTokenAuth)
  --external-id ID             external id with --role-arn, if the role's trust policy needs one
  --sts-regional-endpoints regional|legacy
                               STS endpoint mode (default: AWS_STS_REGIONAL_ENDPOINTS, regional)
  --fips                       sign for the FIPS STS endpoint (also AWS_USE_FIPS_ENDPOINT=true)
  --dualstack                  sign for the dual-stack STS endpoint (also AWS_USE_DUALSTACK_ENDPOINT=true)
  --cache                      reuse a cached token until one minute before it expires
                               (tokens only, never credentials; $XDG_CACHE_HOME/eks-iam-auth)
  -h, --help                   show this help

${exitStatusHelp('token')}
`;

/** The flags that supply the library options `token` passes on, for error messages. */
const FLAGS: FlagNames = {
  clusterId: '--cluster-name (or --cluster-id)',
  region: '--region',
  stsRegionalEndpoints: '--sts-regional-endpoints',
  useFipsEndpoint: '--fips',
  useDualstackEndpoint: '--dualstack',
};

const INSTALL_SDK =
  'install @aws-sdk/credential-providers where eks-iam-auth is installed ("npm install --global @aws-sdk/credential-providers" beside a global install)';

/**
 * A credentials failure in the command line's words: the library's fixes
 * name its `credentials` option, which a command line does not have.
 */
function cliCredentialsError(error: CredentialsError): CredentialsError {
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  switch (error.reason) {
    case 'not-found':
      return new CredentialsError(
        `No AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or ${INSTALL_SDK} to use AWS_PROFILE, SSO, web identity and instance or container roles`,
        { reason: error.reason },
      );
    case 'profile-without-sdk':
      return new CredentialsError(
        `AWS_PROFILE is set, but profiles are read by the AWS SDK credential chain, which is not installed: ${INSTALL_SDK}, or unset AWS_PROFILE to sign with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
        { reason: error.reason },
      );
    case 'chain-failed':
      return new CredentialsError(
        `The AWS SDK default credential chain found no usable AWS credentials${cause}; configure a source it reads: AWS_PROFILE (aws configure, aws sso login), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance or container role`,
        { reason: error.reason, cause: error.cause },
      );
    default:
      return error;
  }
}

/** awscli's default role session name for `get-token --role-arn`. */
export const DEFAULT_SESSION_NAME = 'EKSGetTokenAuth';

/** A cached token is reused until this long before its reported expiry. */
const CACHE_MARGIN_MS = 60_000;
/** AssumeRole timeout: kubectl waits for the plugin, so fail rather than hang. */
const ASSUME_ROLE_TIMEOUT_MS = 10_000;

const ROLE_ARN = /^arn:[a-z-]+:iam::\d{12}:role\/[\x21-\x7e]+$/;

/** Everything a token depends on, resolved once. */
interface TokenSettings extends StsEndpointRequest {
  clusterId: string;
  roleArn: string | undefined;
  sessionName: string;
  externalId: string | undefined;
  cache: boolean;
}

/**
 * The endpoint settings, resolved by the library's own rules (options, then
 * the AWS environment variables, then defaults): the AssumeRole call and the
 * cache key need them before a token exists.
 */
function endpointRequest(values: {
  region?: string | undefined;
  'sts-regional-endpoints'?: string | undefined;
  fips?: boolean | undefined;
  dualstack?: boolean | undefined;
}): StsEndpointRequest {
  const options: EndpointOptions = {};
  if (values.region !== undefined) options.region = values.region;
  const mode = values['sts-regional-endpoints'];
  if (mode !== undefined) {
    options.stsRegionalEndpoints = oneOf(
      mode,
      ['regional', 'legacy'] as const,
      '--sts-regional-endpoints',
      USAGE,
    );
  }
  // An absent flag leaves the environment variable in charge.
  if (values.fips === true) options.useFipsEndpoint = true;
  if (values.dualstack === true) options.useDualstackEndpoint = true;
  try {
    return resolveEndpointRequest(options);
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message, USAGE);
    throw error;
  }
}

function resolveSettings(argv: string[]): TokenSettings | undefined {
  const args = parseCommandLine(
    argv,
    {
      options: {
        'cluster-name': { type: 'string' },
        'cluster-id': { type: 'string' },
        region: { type: 'string' },
        'role-arn': { type: 'string' },
        'session-name': { type: 'string' },
        'external-id': { type: 'string' },
        'sts-regional-endpoints': { type: 'string' },
        fips: { type: 'boolean' },
        dualstack: { type: 'boolean' },
        cache: { type: 'boolean' },
      },
      allowPositionals: false,
    },
    USAGE,
  );
  if (args.help) return undefined;
  const v = args.values;
  if (v['cluster-name'] !== undefined && v['cluster-id'] !== undefined) {
    throw new UsageError('--cluster-name and --cluster-id are mutually exclusive', USAGE);
  }
  const clusterId = v['cluster-name'] ?? v['cluster-id'];
  if (clusterId === undefined || clusterId === '') {
    throw new UsageError('--cluster-name (or --cluster-id) is required', USAGE);
  }
  const roleArn = v['role-arn'];
  if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
    throw new UsageError(
      '--role-arn must be an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)',
      USAGE,
    );
  }
  if (
    roleArn === undefined &&
    (v['session-name'] !== undefined || v['external-id'] !== undefined)
  ) {
    throw new UsageError('--session-name and --external-id need --role-arn', USAGE);
  }
  return {
    clusterId,
    ...endpointRequest(v),
    roleArn,
    sessionName: v['session-name'] ?? DEFAULT_SESSION_NAME,
    externalId: v['external-id'],
    cache: v.cache === true,
  };
}

/**
 * Test-only: a fixed signing time (`EKS_IAM_AUTH_SIGNING_DATE`, ISO 8601), so
 * tests can compare output with reference bytes. Ignored when unset.
 */
function signingDateOverride(): Date | undefined {
  const value = readEnv('EKS_IAM_AUTH_SIGNING_DATE');
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError('EKS_IAM_AUTH_SIGNING_DATE must be an ISO 8601 date', '');
  }
  return date;
}

async function signingCredentials(
  settings: TokenSettings,
  source: AwsCredentials,
): Promise<AwsCredentials> {
  if (settings.roleArn === undefined) return source;
  const { assumeRole, assumeRoleInputProblem } = await import('./assume-role.js');
  const { stsFetch } = await import('./sts-redirect.js');
  const problem = assumeRoleInputProblem(settings.sessionName, settings.externalId);
  if (problem !== undefined) throw new UsageError(problem, USAGE);
  // AssumeRole goes to the same STS endpoint the token will be signed for,
  // so --fips / --dualstack / the region apply to both calls.
  const endpoint = resolveStsEndpoint(settings);
  return assumeRole({
    credentials: source,
    roleArn: settings.roleArn,
    sessionName: settings.sessionName,
    externalId: settings.externalId,
    host: endpoint.host,
    signingRegion: endpoint.signingRegion,
    fetch: stsFetch(),
    timeout: ASSUME_ROLE_TIMEOUT_MS,
  });
}

/** The cached token for these settings, if one is still good for a minute. */
async function cachedToken(
  dir: string,
  key: string,
): Promise<Pick<GeneratedToken, 'token' | 'expiresAt'> | undefined> {
  const { readCachedToken } = await import('./cache.js');
  const token = await readCachedToken(dir, key);
  if (token === undefined) return undefined;
  const { parseToken } = await import('../token/parse.js');
  let signedAt: Date;
  try {
    // Re-parse: the file is input like any other, and the token's own
    // X-Amz-Date (not the file's mtime) decides how long it lives.
    signedAt = parseToken(token).signedAt;
  } catch {
    return undefined;
  }
  const expiresAt = execCredentialExpiry(signedAt);
  const now = Date.now();
  // A token "from the future" means the clock moved back; do not trust it.
  if (signedAt.getTime() > now + CACHE_MARGIN_MS) return undefined;
  if (now >= expiresAt.getTime() - CACHE_MARGIN_MS) return undefined;
  return { token, expiresAt };
}

async function obtainToken(
  settings: TokenSettings,
): Promise<Pick<GeneratedToken, 'token' | 'expiresAt'>> {
  const signingDate = signingDateOverride();
  const source = await resolveCredentials(undefined);
  let cache: { dir: string; key: string } | undefined;
  if (settings.cache) {
    const { cacheKey, defaultCacheDir } = await import('./cache.js');
    cache = {
      dir: defaultCacheDir(),
      key: cacheKey({
        clusterId: settings.clusterId,
        region: settings.region,
        stsRegionalEndpoints: settings.stsRegionalEndpoints,
        useFipsEndpoint: settings.useFipsEndpoint,
        useDualstackEndpoint: settings.useDualstackEndpoint,
        roleArn: settings.roleArn,
        sessionName: settings.roleArn === undefined ? undefined : settings.sessionName,
        externalId: settings.externalId,
        // The source identity: another profile must not get this one's token.
        accessKeyId: source.accessKeyId,
      }),
    };
    const hit = await cachedToken(cache.dir, cache.key);
    if (hit) return hit;
  }
  const generated = await generateToken({
    clusterId: settings.clusterId,
    region: settings.region,
    stsRegionalEndpoints: settings.stsRegionalEndpoints,
    useFipsEndpoint: settings.useFipsEndpoint,
    useDualstackEndpoint: settings.useDualstackEndpoint,
    credentials: await signingCredentials(settings, source),
    ...(signingDate === undefined ? {} : { signingDate }),
  });
  if (cache) {
    const { writeCachedToken } = await import('./cache.js');
    // A cache that cannot be written costs a re-sign next time, nothing more.
    await writeCachedToken(cache.dir, cache.key, generated.token).catch((error: unknown) => {
      warn(escapeControl(`warning: token cache not written: ${(error as Error).message}`));
    });
  }
  return generated;
}

/** Run `token` with its arguments; resolves to the exit status. */
export async function run(argv: string[]): Promise<number> {
  try {
    const settings = resolveSettings(argv);
    if (settings === undefined) {
      out(USAGE);
      return EXIT.ok;
    }
    const generated = await obtainToken(settings);
    // A warning can quote KUBERNETES_EXEC_INFO, which is not ours to trust.
    const credential = execCredentialOf(generated, {
      onWarning: (message) => warn(escapeControl(message)),
    });
    out(`${formatPythonJson(credential)}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError(
      error instanceof CredentialsError ? cliCredentialsError(error) : error,
      FLAGS,
    );
  }
}
