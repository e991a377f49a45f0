import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CredentialsError } from '../../src/errors.js';
import type {
  AwsCredentials,
  AwsCredentialsProvider,
  CredentialsDeps,
} from '../../src/token/credentials.js';
import { assertCredentialsOption, resolveCredentials } from '../../src/token/credentials.js';
import {
  DEFAULT_GENERATE_DEPS,
  generateToken,
  generateTokenWith,
} from '../../src/token/generate.js';

// Compile-time check: the AWS SDK's default chain plugs into the option.
type SdkChain = ReturnType<typeof fromNodeProviderChain>;
const sdkChainFits: (chain: SdkChain) => AwsCredentialsProvider = (chain) => chain;
void sdkChainFits;

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SESSION = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLXdlc3QtMiJHMEUCIQDexample+Session==';
const STATIC: AwsCredentials = Object.freeze({
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: SECRET,
});
const NOW = Date.parse('2024-01-15T12:34:56Z');
const FIXED_DATE = new Date(NOW);

const ENV_NAMES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
];

beforeEach(() => {
  for (const name of ENV_NAMES) vi.stubEnv(name, undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Seams with no credential-providers package installed. */
function withoutSdk(): CredentialsDeps {
  return {
    importCredentialProviders: () =>
      Promise.reject(new Error("Cannot find package '@aws-sdk/credential-providers'")),
    now: () => NOW,
  };
}

/** Seams whose "installed" SDK chain is `chain`; counts chain creations. */
function withSdk(chain: AwsCredentialsProvider): CredentialsDeps & { created: () => number } {
  let created = 0;
  return {
    importCredentialProviders: () =>
      Promise.resolve({
        fromNodeProviderChain: () => {
          created += 1;
          return chain;
        },
      }),
    now: () => NOW,
    created: () => created,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function expectCredentialsError(error: unknown): CredentialsError {
  expect(error).toBeInstanceOf(CredentialsError);
  const credentialsError = error as CredentialsError;
  expect(credentialsError.code).toBe('ERR_CREDENTIALS_MISSING');
  // No secret ever reaches a message.
  expect(credentialsError.message).not.toContain(SECRET);
  expect(credentialsError.message).not.toContain(SESSION);
  return credentialsError;
}

describe('explicit credentials', () => {
  it('an object is returned as is (so per-object caches work)', async () => {
    expect(await resolveCredentials(STATIC, withoutSdk())).toBe(STATIC);
  });

  it('a provider function is called and its result used', async () => {
    const provider = vi.fn(() => Promise.resolve({ ...STATIC, sessionToken: SESSION }));
    const resolved = await resolveCredentials(provider, withoutSdk());
    expect(provider).toHaveBeenCalledTimes(1);
    expect(resolved.sessionToken).toBe(SESSION);
  });

  it.each([
    ['rejects with an Error', () => Promise.reject(new Error('SSO session expired'))],
    ['rejects with a string', () => Promise.reject('nope')],
    [
      'throws synchronously',
      () => {
        throw new Error('sync');
      },
    ],
  ] as [string, AwsCredentialsProvider][])(
    'a provider that %s → CredentialsError with cause',
    async (_, provider) => {
      const error = expectCredentialsError(
        await rejection(resolveCredentials(provider, withoutSdk())),
      );
      expect(error.cause).toBeDefined();
      expect(error.message).toContain('credentials');
    },
  );

  it('a provider is never consulted for the default chain', async () => {
    const sdk = withSdk(() => Promise.resolve(STATIC));
    await resolveCredentials(() => Promise.resolve(STATIC), sdk);
    expect(sdk.created()).toBe(0);
  });
});

describe('default: the AWS SDK chain when installed', () => {
  it('uses fromNodeProviderChain and creates it once per importer', async () => {
    const chain = vi.fn(() => Promise.resolve(STATIC));
    const sdk = withSdk(chain);
    expect(await resolveCredentials(undefined, sdk)).toBe(STATIC);
    expect(await resolveCredentials(undefined, sdk)).toBe(STATIC);
    expect(sdk.created()).toBe(1);
    expect(chain).toHaveBeenCalledTimes(2);
  });

  // SPEC 9: the SDK chain's first link returns static env keys unless
  // AWS_PROFILE is set (@aws-sdk/credential-provider-node defaultProvider),
  // so with static keys and no profile the SDK is not even loaded.
  it.each([
    ['static keys, no profile: the env keys, SDK not loaded', true, SECRET, undefined, 0],
    ['static keys and AWS_PROFILE: the SDK chain', true, SECRET, 'dev', 1],
    ['an access key id alone: the SDK chain', true, undefined, undefined, 1],
    ['no keys: the SDK chain', false, undefined, undefined, 1],
  ] as const)('%s', async (_, withKeyId, secret, profile, created) => {
    if (withKeyId) vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFROMENV');
    if (secret !== undefined) vi.stubEnv('AWS_SECRET_ACCESS_KEY', secret);
    if (profile !== undefined) vi.stubEnv('AWS_PROFILE', profile);
    let imported = 0;
    const sdk = withSdk(() => Promise.resolve(STATIC));
    const resolved = await resolveCredentials(undefined, {
      ...sdk,
      importCredentialProviders: () => {
        imported += 1;
        return sdk.importCredentialProviders();
      },
    });
    expect(resolved.accessKeyId).toBe(created === 0 ? 'AKIDFROMENV' : 'AKIDEXAMPLE');
    expect([imported, sdk.created()]).toEqual([created, created]);
  });

  it.each([
    ['a future AWS_CREDENTIAL_EXPIRATION is kept', '2024-01-15T13:00:00Z', 'ok'],
    ['an expired one is refused', '2024-01-15T12:00:00Z', 'ERR_CREDENTIALS_MISSING'],
    ['an unreadable one is refused', 'soon', 'ERR_CREDENTIALS_MISSING'],
  ])('%s (as the SDK fromEnv reads it)', async (_, expiry, outcome) => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAFROMENV');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', SECRET);
    vi.stubEnv('AWS_SESSION_TOKEN', SESSION);
    vi.stubEnv('AWS_CREDENTIAL_EXPIRATION', expiry);
    const result = await resolveCredentials(undefined, withoutSdk()).then(
      (credentials) => credentials.expiration?.toISOString(),
      (error: unknown) => expectCredentialsError(error),
    );
    if (outcome === 'ok') expect(result).toBe(new Date(expiry).toISOString());
    else expect((result as CredentialsError).code).toBe(outcome);
  });

  it('a failing chain → CredentialsError naming both fixes, with cause', async () => {
    const cause = new Error('Could not load credentials from any providers');
    const error = expectCredentialsError(
      await rejection(
        resolveCredentials(
          undefined,
          withSdk(() => Promise.reject(cause)),
        ),
      ),
    );
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('`credentials`');
    expect(error.message).toContain('AWS_ACCESS_KEY_ID');
  });

  it('the real @aws-sdk/credential-providers chain works (a profile in a temporary credentials file, no network)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'eks-iam-auth-chain-'));
    try {
      const credentialsFile = path.join(dir, 'credentials');
      writeFileSync(
        credentialsFile,
        `[chain-test]\naws_access_key_id = AKIDREALCHAIN\naws_secret_access_key = ${SECRET}\n`,
      );
      vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentialsFile);
      vi.stubEnv('AWS_CONFIG_FILE', path.join(dir, 'no-config'));
      vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
      vi.stubEnv('AWS_PROFILE', 'chain-test');
      const generated = await generateToken({
        clusterId: 'demo',
        region: 'us-west-2',
        signingDate: FIXED_DATE,
      });
      expect(new URL(generated.url).searchParams.get('X-Amz-Credential')).toBe(
        'AKIDREALCHAIN/20240115/us-west-2/sts/aws4_request',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('default without the SDK: environment variables', () => {
  it.each([
    ['long-term keys', 'AKIDFROMENV', SECRET, undefined],
    ['temporary keys with a session token', 'ASIAFROMENV', SECRET, SESSION],
  ])('%s', async (_, id, secret, session) => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', id);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', secret);
    vi.stubEnv('AWS_SESSION_TOKEN', session);
    const resolved = await resolveCredentials(undefined, withoutSdk());
    expect(resolved).toEqual(
      session === undefined
        ? { accessKeyId: id, secretAccessKey: secret }
        : { accessKeyId: id, secretAccessKey: secret, sessionToken: session },
    );
  });

  it.each([
    ['the package is not installed', withoutSdk()],
    [
      'the package lacks fromNodeProviderChain',
      { importCredentialProviders: () => Promise.resolve({}), now: () => NOW },
    ],
    [
      'the import resolves to null',
      { importCredentialProviders: () => Promise.resolve(null), now: () => NOW },
    ],
  ] as [string, CredentialsDeps][])(
    'nothing set and %s → ERR_CREDENTIALS_MISSING naming both fixes',
    async (_, deps) => {
      const error = expectCredentialsError(await rejection(resolveCredentials(undefined, deps)));
      expect(error.message).toContain('`credentials`');
      expect(error.message).toContain('@aws-sdk/credential-providers');
      expect(error.message).toContain('AWS_ACCESS_KEY_ID');
      expect(error.message).toContain('AWS_SECRET_ACCESS_KEY');
    },
  );

  // A named profile can only be read by the SDK chain; signing with the
  // static keys beside it would be another identity than the one asked for.
  it.each([
    ['AWS_PROFILE alone', undefined],
    ['AWS_PROFILE next to static keys (regression: these were used instead)', 'AKIDFROMENV'],
  ])('%s and no SDK → ERR_CREDENTIALS_MISSING, reason profile-without-sdk', async (_, id) => {
    vi.stubEnv('AWS_PROFILE', 'production');
    vi.stubEnv('AWS_ACCESS_KEY_ID', id);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', id === undefined ? undefined : SECRET);
    const error = expectCredentialsError(
      await rejection(resolveCredentials(undefined, withoutSdk())),
    );
    expect(error.reason).toBe('profile-without-sdk');
    expect(error.message).toContain('@aws-sdk/credential-providers');
    expect(error.message).toContain('AWS_PROFILE');
    // The profile name is the user's, not a secret, but nothing needs it in the message.
    expect(error.message).not.toContain('production');
  });

  it.each([
    ['nothing', {}, 'not-found'],
    ['an access key id alone', { AWS_ACCESS_KEY_ID: 'AKIDFROMENV' }, 'incomplete'],
    [
      'an expired expiry',
      {
        AWS_ACCESS_KEY_ID: 'AKIDFROMENV',
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_CREDENTIAL_EXPIRATION: '2024-01-15T12:00:00Z',
      },
      'expired',
    ],
  ] as const)('%s → reason %s', async (_, env, reason) => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const error = expectCredentialsError(
      await rejection(resolveCredentials(undefined, withoutSdk())),
    );
    expect(error.reason).toBe(reason);
  });

  it.each([
    ['only the access key id', 'AKIDFROMENV', undefined, 'AWS_SECRET_ACCESS_KEY'],
    ['only the secret', undefined, SECRET, 'AWS_ACCESS_KEY_ID'],
  ])('%s → error naming the missing variable', async (_, id, secret, missing) => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', id);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', secret);
    const error = expectCredentialsError(
      await rejection(resolveCredentials(undefined, withoutSdk())),
    );
    expect(error.message).toContain(missing);
  });

  it('generateToken uses them end to end', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAFROMENV');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', SECRET);
    vi.stubEnv('AWS_SESSION_TOKEN', 'tok/en+=');
    const generated = await generateTokenWith(
      { clusterId: 'demo', signingDate: FIXED_DATE },
      { ...DEFAULT_GENERATE_DEPS, credentials: withoutSdk() },
    );
    expect(generated.url).toContain('X-Amz-Credential=ASIAFROMENV%2F20240115');
    expect(generated.url).toContain('&X-Amz-Security-Token=tok%2Fen%2B%3D&');
  });

  it('generateToken rejects with ERR_CREDENTIALS_MISSING when there are none', async () => {
    const error = await rejection(
      generateTokenWith(
        { clusterId: 'demo', signingDate: FIXED_DATE },
        { ...DEFAULT_GENERATE_DEPS, credentials: withoutSdk() },
      ),
    );
    expectCredentialsError(error);
  });
});

describe('validation of resolved credentials', () => {
  it.each([
    ['not an object', 'AKIDEXAMPLE'],
    ['null', null],
    ['accessKeyId missing', { secretAccessKey: SECRET }],
    ['accessKeyId empty', { accessKeyId: '', secretAccessKey: SECRET }],
    ['accessKeyId a number', { accessKeyId: 1, secretAccessKey: SECRET }],
    ['accessKeyId with a slash', { accessKeyId: 'AKID/EXAMPLE', secretAccessKey: SECRET }],
    ['accessKeyId with a space', { accessKeyId: 'AKID EXAMPLE', secretAccessKey: SECRET }],
    ['accessKeyId non-ASCII', { accessKeyId: 'AKIDÉ', secretAccessKey: SECRET }],
    ['secretAccessKey missing', { accessKeyId: 'AKIDEXAMPLE' }],
    ['secretAccessKey empty', { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: '' }],
    ['secretAccessKey with CR', { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: `${SECRET}\r` }],
    [
      'secretAccessKey with NUL',
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: `${SECRET}\u0000` },
    ],
    [
      'secretAccessKey lone surrogate',
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: `${SECRET}\ud800` },
    ],
    ['sessionToken a number', { ...STATIC, sessionToken: 7 }],
    ['sessionToken with LF', { ...STATIC, sessionToken: `${SESSION}\n` }],
    ['sessionToken with a C1 control', { ...STATIC, sessionToken: `${SESSION}\u0085` }],
    ['expiration not a Date', { ...STATIC, expiration: '2999-01-01T00:00:00Z' }],
    ['expiration invalid', { ...STATIC, expiration: new Date('nope') }],
  ])('%s → CredentialsError without the secret', async (_, value) => {
    const provided = await rejection(
      resolveCredentials(() => Promise.resolve(value as AwsCredentials), withoutSdk()),
    );
    expectCredentialsError(provided);
    if (typeof value === 'object' && value !== null) {
      expectCredentialsError(
        await rejection(resolveCredentials(value as AwsCredentials, withoutSdk())),
      );
    }
  });

  it.each([
    ['expired an hour ago', NOW - 3_600_000],
    ['expiring exactly now', NOW],
  ])('credentials %s → CredentialsError', async (_, expiration) => {
    const error = expectCredentialsError(
      await rejection(
        resolveCredentials(
          { ...STATIC, sessionToken: SESSION, expiration: new Date(expiration) },
          withoutSdk(),
        ),
      ),
    );
    expect(error.message).toContain(new Date(expiration).toISOString());
    expect(error.message).toContain('expired');
  });

  it('credentials expiring in the future are accepted', async () => {
    const credentials = { ...STATIC, sessionToken: SESSION, expiration: new Date(NOW + 60_000) };
    expect(await resolveCredentials(credentials, withoutSdk())).toBe(credentials);
  });

  it('expired credentials from a provider are refused too', async () => {
    const expired = { ...STATIC, expiration: new Date(NOW - 1) };
    expectCredentialsError(
      await rejection(resolveCredentials(() => Promise.resolve(expired), withoutSdk())),
    );
  });

  it('an empty session token means none', async () => {
    const credentials = { ...STATIC, sessionToken: '' };
    expect(await resolveCredentials(credentials, withoutSdk())).toBe(credentials);
  });

  it('generateToken reports expired credentials as CredentialsError', async () => {
    const error = await rejection(
      generateToken({
        clusterId: 'demo',
        signingDate: FIXED_DATE,
        credentials: {
          ...STATIC,
          sessionToken: SESSION,
          expiration: new Date('2000-01-01T00:00:00Z'),
        },
      }),
    );
    expectCredentialsError(error);
  });
});

describe('assertCredentialsOption', () => {
  it.each([
    ['a string', 'AKIDEXAMPLE'],
    ['a number', 1],
    ['null', null],
    ['an array', [STATIC]],
    ['a boolean', true],
  ])('%s → TypeError', (_, value) => {
    expect(() => assertCredentialsOption(value)).toThrow(TypeError);
  });

  it.each([
    ['undefined', undefined],
    ['an object', STATIC],
    ['a function', () => Promise.resolve(STATIC)],
  ])('%s is accepted', (_, value) => {
    expect(() => assertCredentialsOption(value)).not.toThrow();
  });

  it('resolveCredentials rejects (not throws) with TypeError for a bad option', async () => {
    const error = await rejection(
      resolveCredentials('x' as unknown as AwsCredentials, withoutSdk()),
    );
    expect(error).toBeInstanceOf(TypeError);
  });
});
