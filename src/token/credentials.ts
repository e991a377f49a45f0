/**
 * AWS credentials for signing: the types callers pass, and how the default is
 * found when they pass nothing (SPEC 3.1 `credentials`).
 *
 * The default is the AWS SDK's own chain (`fromNodeProviderChain()` from the
 * optional peer `@aws-sdk/credential-providers`: env, SSO, shared files,
 * web identity, container and instance metadata), so a token is signed with
 * the same identity `aws eks get-token` would use. Without that package only
 * the `AWS_*` environment variables are read, which also works on edge
 * runtimes. When the environment holds static keys and names no profile, the
 * chain is not loaded at all: it would return those same keys first.
 *
 * @module
 */
import { CredentialsError } from '../errors.js';
import type { CredentialsReason } from '../errors.js';
import { readEnv } from '../util/env.js';
import { importOptional } from '../util/optional-import.js';

/**
 * AWS credentials. Structurally the AWS SDK v3 `AwsCredentialIdentity`, so
 * SDK credentials can be passed as they are.
 */
export interface AwsCredentials {
  /** The access key id (`AKIA…` for long-term keys, `ASIA…` for temporary ones). */
  readonly accessKeyId: string;
  /** The secret access key. Never appears in a token, a URL or an error message. */
  readonly secretAccessKey: string;
  /**
   * The session token of temporary credentials; signed into the URL as
   * `X-Amz-Security-Token`.
   * @default undefined (long-term credentials)
   */
  readonly sessionToken?: string | undefined;
  /**
   * When temporary credentials stop working. Credentials already expired are
   * refused, since STS would reject the token anyway.
   * @default undefined (no known expiry)
   */
  readonly expiration?: Date | undefined;
}

/**
 * An async source of credentials, called once per generated token. The AWS
 * SDK v3 credential providers (`fromNodeProviderChain()`, `fromIni()`, …) fit
 * this type; they cache and refresh credentials themselves.
 */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** What `@aws-sdk/credential-providers` must export for the default chain. */
interface CredentialProvidersModule {
  fromNodeProviderChain: () => AwsCredentialsProvider;
}

/** Loads the optional peer `@aws-sdk/credential-providers`; rejects when it is not installed. */
export type CredentialProvidersImporter = () => Promise<unknown>;

/** Seams for tests; production code uses the defaults. */
export interface CredentialsDeps {
  /** @default `@aws-sdk/credential-providers`, imported at run time (bundlers leave it alone) */
  importCredentialProviders: CredentialProvidersImporter;
  /** The current time in epoch milliseconds, to judge `expiration`. @default Date.now */
  now: () => number;
}

const defaultImporter: CredentialProvidersImporter = () =>
  importOptional('@aws-sdk/credential-providers');

/** The production seams. */
export const DEFAULT_CREDENTIALS_DEPS: CredentialsDeps = Object.freeze({
  importCredentialProviders: defaultImporter,
  now: Date.now,
});

const CHAIN_HELP =
  'pass `credentials` to generateToken, or configure a source the chain reads ' +
  '(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, instance or container roles)';

const MISSING_HELP =
  'pass `credentials` to generateToken, install the optional peer @aws-sdk/credential-providers ' +
  '(the AWS SDK default credential chain), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';

/**
 * Throws a `TypeError` unless `option` is absent, a credentials object or a
 * provider function. Synchronous, so that `generateToken` rejects bad options
 * before doing any work.
 */
export function assertCredentialsOption(
  option: unknown,
): asserts option is AwsCredentials | AwsCredentialsProvider | undefined {
  if (option === undefined || typeof option === 'function') return;
  if (typeof option === 'object' && option !== null && !Array.isArray(option)) return;
  throw new TypeError(
    `options.credentials must be a credentials object or an async provider function, got ${describeType(option)}`,
  );
}

/**
 * Resolve the `credentials` option to validated credentials: the object as
 * given, the provider's result, or (when absent) the default chain, then the
 * `AWS_*` environment variables. Every failure is a {@link CredentialsError}
 * (`ERR_CREDENTIALS_MISSING`) whose message never contains a secret.
 *
 * @internal
 */
export async function resolveCredentials(
  option: AwsCredentials | AwsCredentialsProvider | undefined,
  deps: CredentialsDeps = DEFAULT_CREDENTIALS_DEPS,
): Promise<AwsCredentials> {
  assertCredentialsOption(option);
  let credentials: unknown;
  if (typeof option === 'function') {
    credentials = await callProvider(
      option,
      'The `credentials` provider failed to supply AWS credentials (see `cause`)',
      'provider-failed',
    );
  } else if (option !== undefined) {
    credentials = option;
  } else if (hasStaticEnvCredentials()) {
    // The SDK chain's first link would return exactly these (it skips them
    // only when AWS_PROFILE is set), so loading the SDK would cost start-up
    // time for the same answer.
    credentials = credentialsFromEnv();
  } else {
    const chain = await defaultChain(deps.importCredentialProviders);
    if (chain === undefined) assertNoProfileNamed();
    credentials = chain
      ? await callProvider(
          chain,
          `The AWS SDK default credential chain found no usable AWS credentials (see \`cause\`): ${CHAIN_HELP}`,
          'chain-failed',
        )
      : credentialsFromEnv();
  }
  return validateCredentials(credentials, deps.now());
}

async function callProvider(
  provider: () => unknown,
  message: string,
  reason: CredentialsReason,
): Promise<unknown> {
  try {
    return await provider();
  } catch (error) {
    // The provider's own message (kept as `cause`) says which sources it tried.
    throw new CredentialsError(message, { cause: error, reason });
  }
}

/**
 * Without the SDK chain only the `AWS_*` keys can be read; a profile named in
 * `AWS_PROFILE` would be silently ignored (and other keys used in its
 * place), so it is an error that names the fix.
 */
function assertNoProfileNamed(): void {
  const profile = readEnv('AWS_PROFILE');
  if (profile === undefined) return;
  throw new CredentialsError(
    `AWS_PROFILE names a profile, but profiles are read by the AWS SDK default credential chain, and the optional peer @aws-sdk/credential-providers is not installed (or cannot load here): install it, pass \`credentials\`, or unset AWS_PROFILE to use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
    { reason: 'profile-without-sdk' },
  );
}

// One chain per importer, created on first use: the SDK chain memoizes the
// credentials it finds (and refreshes them before expiry), so re-creating it
// per token would re-read config files and re-query metadata endpoints.
const chains = new WeakMap<
  CredentialProvidersImporter,
  Promise<AwsCredentialsProvider | undefined>
>();

function defaultChain(
  importer: CredentialProvidersImporter,
): Promise<AwsCredentialsProvider | undefined> {
  let chain = chains.get(importer);
  if (chain === undefined) {
    chain = loadChain(importer);
    chains.set(importer, chain);
  }
  return chain;
}

async function loadChain(
  importer: CredentialProvidersImporter,
): Promise<AwsCredentialsProvider | undefined> {
  let module: unknown;
  try {
    module = await importer();
  } catch {
    // The optional peer is not installed (or this runtime cannot load it).
    return undefined;
  }
  const factory = (module as Partial<CredentialProvidersModule> | null)?.fromNodeProviderChain;
  return typeof factory === 'function' ? factory() : undefined;
}

/** Static keys in the environment and no profile named: the chain's `fromEnv` link applies. */
function hasStaticEnvCredentials(): boolean {
  return (
    readEnv('AWS_PROFILE') === undefined &&
    readEnv('AWS_ACCESS_KEY_ID') !== undefined &&
    readEnv('AWS_SECRET_ACCESS_KEY') !== undefined
  );
}

function credentialsFromEnv(): AwsCredentials {
  const accessKeyId = readEnv('AWS_ACCESS_KEY_ID');
  const secretAccessKey = readEnv('AWS_SECRET_ACCESS_KEY');
  if (accessKeyId === undefined && secretAccessKey === undefined) {
    throw new CredentialsError(`No AWS credentials found: ${MISSING_HELP}`, {
      reason: 'not-found',
    });
  }
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const missing = accessKeyId === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY';
    throw new CredentialsError(
      `Incomplete AWS credentials in the environment: ${missing} is not set`,
      { reason: 'incomplete' },
    );
  }
  const sessionToken = readEnv('AWS_SESSION_TOKEN');
  // The SDK's fromEnv reads the expiry of temporary keys from here too; an
  // expired (or unreadable) one is refused by the validation below.
  const expiry = readEnv('AWS_CREDENTIAL_EXPIRATION');
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken === undefined ? {} : { sessionToken }),
    ...(expiry === undefined ? {} : { expiration: new Date(expiry) }),
  };
}

// C0 controls, DEL and C1 controls: never part of real credentials, and a
// CR/LF would let a value smuggle lines into logs or headers.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
// A lone surrogate cannot be UTF-8 encoded, so it cannot be signed or sent.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// An access key id is printed in X-Amz-Credential as `<id>/<scope>`: a '/',
// a space or a non-ASCII character there would make the scope ambiguous.
const ACCESS_KEY_ID = /^[\x21-\x2e\x30-\x7e]+$/;

function invalid(field: string, problem: string): CredentialsError {
  return new CredentialsError(`Invalid AWS credentials: ${field} ${problem}`, {
    reason: 'invalid',
  });
}

function checkSecretString(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string') throw invalid(field, `is ${describeType(value)}, not a string`);
  if (value === '') throw invalid(field, 'is empty');
  if (CONTROL_CHARACTER.test(value)) throw invalid(field, 'contains a control character');
  if (LONE_SURROGATE.test(value)) throw invalid(field, 'is not well-formed Unicode');
}

/**
 * Check resolved credentials and return them. The same object is returned
 * when it passes, so callers may cache per-credentials state in a `WeakMap`.
 */
function validateCredentials(value: unknown, now: number): AwsCredentials {
  if (typeof value !== 'object' || value === null) {
    throw invalid('value', `is ${describeType(value)}, not an object`);
  }
  const credentials = value as Record<string, unknown>;
  checkSecretString(credentials['accessKeyId'], 'accessKeyId');
  if (!ACCESS_KEY_ID.test(credentials['accessKeyId'])) {
    throw invalid('accessKeyId', "must be printable ASCII without spaces or '/'");
  }
  checkSecretString(credentials['secretAccessKey'], 'secretAccessKey');
  const sessionToken = credentials['sessionToken'];
  // An empty session token means none, as in the AWS SDKs.
  if (sessionToken !== undefined && sessionToken !== '') {
    checkSecretString(sessionToken, 'sessionToken');
  }
  const expiration = credentials['expiration'];
  if (expiration !== undefined) {
    if (!(expiration instanceof Date) || Number.isNaN(expiration.getTime())) {
      throw invalid('expiration', 'is not a valid Date');
    }
    if (expiration.getTime() <= now) {
      // The expiry instant is not a secret, and it tells the user what to refresh.
      throw new CredentialsError(
        `The AWS credentials expired at ${expiration.toISOString()}; refresh them (for example \`aws sso login\`) and retry`,
        { reason: 'expired' },
      );
    }
  }
  return value as AwsCredentials;
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
