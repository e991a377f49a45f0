import * as nodeCrypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SigningError } from '../../src/errors.js';
import { PARTITIONS } from '../../src/partitions.js';
import type { PartitionId } from '../../src/partitions.js';
import { formatExecCredential } from '../../src/token/format-exec-credential.js';
import type { GenerateTokenDeps, GenerateTokenOptions } from '../../src/token/generate.js';
import {
  DEFAULT_GENERATE_DEPS,
  generateToken,
  generateTokenWith,
} from '../../src/token/generate.js';
import type { NodeCryptoLike, SigningCrypto, SubtleCryptoLike } from '../../src/token/hash.js';
import { getSigningCrypto, selectSigningCrypto } from '../../src/token/hash.js';
import { encodeRfc3986 } from '../../src/token/sigv4.js';
import { loadVector } from '../support/vectors.js';
import type {
  AuthenticatorVectorFile,
  BotocoreVector,
  BotocoreVectorFile,
} from '../support/vectors.js';

const botocore = loadVector<BotocoreVectorFile>('botocore-tokens.json');
const authenticator = loadVector<AuthenticatorVectorFile>('aws-iam-authenticator-tokens.json');

const STATIC = Object.freeze({
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
});
const FIXED_DATE = new Date('2024-01-15T12:34:56Z');

// Everything generateToken or the default credential chain may read.
const ENV_NAMES = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_STS_REGIONAL_ENDPOINTS',
  'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT',
  'KUBERNETES_EXEC_INFO',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
];

beforeEach(() => {
  for (const name of ENV_NAMES) vi.stubEnv(name, undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

const NODE: SigningCrypto = { kind: 'node', crypto: nodeCrypto as unknown as NodeCryptoLike };
const WEB: SigningCrypto = {
  kind: 'webcrypto',
  subtle: globalThis.crypto.subtle as unknown as SubtleCryptoLike,
};

function withSigning(signing: SigningCrypto): GenerateTokenDeps {
  return { ...DEFAULT_GENERATE_DEPS, signingCrypto: () => Promise.resolve(signing) };
}

function vectorOptions(vector: BotocoreVector): GenerateTokenOptions {
  const { input } = vector;
  return {
    clusterId: input.clusterId,
    region: input.region,
    stsRegionalEndpoints: input.stsRegionalEndpoints,
    credentials: {
      accessKeyId: input.accessKeyId,
      secretAccessKey: input.secretAccessKey,
      sessionToken: input.sessionToken ?? undefined,
    },
    signingDate: new Date(input.signingTime),
  };
}

/** Python's `json.dumps(value)` with default separators, for the awscli v2 stdout. */
function pythonJsonDumps(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}

function params(url: string): Map<string, string> {
  return new Map(new URL(url).searchParams);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe.each([
  ['node:crypto', NODE],
  ['WebCrypto', WEB],
])(
  `botocore vectors (${botocore.vectors.length}/${botocore.vectors.length}) with %s`,
  (_, signing) => {
    it.each(botocore.vectors.map((v) => [v.id, v] as const))('%s', async (_id, vector) => {
      const generated = await generateTokenWith(vectorOptions(vector), withSigning(signing));
      expect(generated.url).toBe(vector.expected.presignedUrl);
      expect(generated.token).toBe(vector.expected.token);
      expect(generated.host).toBe(vector.expected.host);
      expect(generated.region).toBe(vector.expected.signingRegion);
      expect(generated.clusterId).toBe(vector.input.clusterId);
      expect(generated.signedAt.toISOString()).toBe(
        new Date(vector.input.signingTime).toISOString(),
      );
      expect(generated.expiresAt.getTime() - generated.signedAt.getTime()).toBe(14 * 60 * 1000);
      expect(params(generated.url).get('X-Amz-Signature')).toBe(vector.expected.signature);
      expect([...params(generated.url).keys()]).toEqual(vector.expected.queryParamOrder);
    });
  },
);

describe(`botocore vectors: ExecCredential (${botocore.vectors.length}/${botocore.vectors.length})`, () => {
  it.each(botocore.vectors.map((v) => [v.id, v] as const))('%s', async (_id, vector) => {
    const generated = await generateToken(vectorOptions(vector));
    const warnings: string[] = [];
    const execCredential = formatExecCredential(generated, {
      execInfo: vector.input.env['KUBERNETES_EXEC_INFO'],
      onWarning: (message) => warnings.push(message),
    });
    expect(execCredential).toEqual(vector.expected.execCredential);
    expect(warnings).toEqual([]);

    const stdout = vector.execCredentialStdout ?? {};
    expect(Object.keys(stdout).length).toBeGreaterThan(0);
    // awscli v2 prints json.dumps (one line, ", " and ": " separators);
    // awscli v1 prints json.dumps(indent=4) and a blank line.
    if (stdout['awscli-v2'] !== undefined) {
      expect(`${pythonJsonDumps(execCredential)}\n`).toBe(stdout['awscli-v2']);
      expect(JSON.stringify(execCredential)).toBe(JSON.stringify(JSON.parse(stdout['awscli-v2'])));
    }
    if (stdout['awscli-v1'] !== undefined) {
      expect(`${JSON.stringify(execCredential, null, 4)}\n\n`).toBe(stdout['awscli-v1']);
    }
  });
});

describe(`botocore vectors: ExecCredential from the token string alone (${botocore.vectors.length}/${botocore.vectors.length})`, () => {
  // formatExecCredential(token) reads X-Amz-Date back with parseToken; the
  // output must be the bytes awscli printed and those of the object form.
  it.each(botocore.vectors.map((v) => [v.id, v] as const))('%s', async (_id, vector) => {
    const execInfo = vector.input.env['KUBERNETES_EXEC_INFO'];
    const fromString = formatExecCredential(vector.expected.token, { execInfo });
    const fromObject = formatExecCredential(await generateToken(vectorOptions(vector)), {
      execInfo,
    });
    expect(JSON.stringify(fromString)).toBe(JSON.stringify(fromObject));
    expect(fromString).toEqual(vector.expected.execCredential);
    const stdout = vector.execCredentialStdout ?? {};
    if (stdout['awscli-v2'] !== undefined) {
      expect(`${pythonJsonDumps(fromString)}\n`).toBe(stdout['awscli-v2']);
    }
    if (stdout['awscli-v1'] !== undefined) {
      expect(`${JSON.stringify(fromString, null, 4)}\n\n`).toBe(stdout['awscli-v1']);
    }
  });
});

describe(`aws-iam-authenticator v0.5.9 vectors (${authenticator.vectors.length}/${authenticator.vectors.length})`, () => {
  // With --region the Go generator forces the regional endpoint; with only
  // AWS_REGION, aws-sdk-go v1 signs for the legacy global endpoint. It wrote
  // X-Amz-Expires=0 and sorts parameters differently: the signature must
  // still be identical, because the canonical request is.
  it.each(authenticator.vectors.map((v) => [v.id, v] as const))('%s', async (_id, vector) => {
    const { input, expected } = vector;
    const region = input.regionFlag ?? input.envAWS_REGION;
    expect(region).not.toBeNull();
    const generated = await generateToken({
      clusterId: input.clusterId,
      region: region as string,
      stsRegionalEndpoints: input.regionFlag === null ? 'legacy' : 'regional',
      credentials: {
        accessKeyId: input.accessKeyId,
        secretAccessKey: input.secretAccessKey,
        sessionToken: input.sessionToken ?? undefined,
      },
      signingDate: new Date(input.signingTime),
      expiresIn: 0,
    });
    const ours = params(generated.url);
    const theirs = params(expected.presignedUrl);
    expect(ours.get('X-Amz-Signature')).toBe(theirs.get('X-Amz-Signature'));
    expect(new Map([...ours].sort())).toEqual(new Map([...theirs].sort()));
    expect(generated.host).toBe(expected.host);
    expect(generated.region).toBe(expected.signingRegion);
  });
});

describe('region resolution', () => {
  it.each([
    ['option wins over both env vars', 'eu-west-1', 'us-west-2', 'ap-south-1', 'eu-west-1'],
    ['AWS_REGION wins over AWS_DEFAULT_REGION', undefined, 'us-west-2', 'ap-south-1', 'us-west-2'],
    [
      'AWS_DEFAULT_REGION when AWS_REGION is unset',
      undefined,
      undefined,
      'ap-south-1',
      'ap-south-1',
    ],
    ['us-east-1 when nothing is set', undefined, undefined, undefined, 'us-east-1'],
    ['an empty AWS_REGION counts as unset', undefined, '', 'ca-central-1', 'ca-central-1'],
  ])('%s', async (_, option, awsRegion, awsDefaultRegion, expected) => {
    vi.stubEnv('AWS_REGION', awsRegion);
    vi.stubEnv('AWS_DEFAULT_REGION', awsDefaultRegion);
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: STATIC,
      signingDate: FIXED_DATE,
      ...(option === undefined ? {} : { region: option }),
    });
    expect(generated.region).toBe(expected);
    expect(generated.host).toBe(`sts.${expected}.amazonaws.com`);
    expect(params(generated.url).get('X-Amz-Credential')).toBe(
      `AKIDEXAMPLE/20240115/${expected}/sts/aws4_request`,
    );
  });
});

describe('regional vs legacy STS endpoints', () => {
  it.each([
    [
      'default is regional',
      'us-west-2',
      undefined,
      undefined,
      'sts.us-west-2.amazonaws.com',
      'us-west-2',
    ],
    [
      'legacy option, legacy-global region',
      'us-west-2',
      'legacy',
      undefined,
      'sts.amazonaws.com',
      'us-east-1',
    ],
    [
      'legacy option, us-east-1',
      'us-east-1',
      'legacy',
      undefined,
      'sts.amazonaws.com',
      'us-east-1',
    ],
    [
      'legacy option, region outside the legacy list',
      'ap-east-1',
      'legacy',
      undefined,
      'sts.ap-east-1.amazonaws.com',
      'ap-east-1',
    ],
    ['legacy from env', 'eu-west-1', undefined, 'legacy', 'sts.amazonaws.com', 'us-east-1'],
    [
      'regional from env',
      'eu-west-1',
      undefined,
      'regional',
      'sts.eu-west-1.amazonaws.com',
      'eu-west-1',
    ],
    [
      'option overrides env',
      'eu-west-1',
      'regional',
      'legacy',
      'sts.eu-west-1.amazonaws.com',
      'eu-west-1',
    ],
    [
      'aws-global is always the global endpoint',
      'aws-global',
      'regional',
      undefined,
      'sts.amazonaws.com',
      'us-east-1',
    ],
  ] as const)('%s', async (_, region, option, env, host, signingRegion) => {
    vi.stubEnv('AWS_STS_REGIONAL_ENDPOINTS', env);
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: STATIC,
      signingDate: FIXED_DATE,
      region,
      ...(option === undefined ? {} : { stsRegionalEndpoints: option }),
    });
    expect(generated.host).toBe(host);
    expect(generated.region).toBe(signingRegion);
    expect(generated.url.startsWith(`https://${host}/?Action=GetCallerIdentity&`)).toBe(true);
  });
});

describe('FIPS and dual-stack hosts for every partition', () => {
  const SAMPLE_REGION: Record<PartitionId, string> = {
    aws: 'us-west-2',
    'aws-cn': 'cn-north-1',
    'aws-eusc': 'eusc-de-east-1',
    'aws-iso': 'us-iso-east-1',
    'aws-iso-b': 'us-isob-east-1',
    'aws-iso-e': 'eu-isoe-west-1',
    'aws-iso-f': 'us-isof-south-1',
    'aws-us-gov': 'us-gov-west-1',
  };
  const cases = PARTITIONS.flatMap((partition) => {
    const region = SAMPLE_REGION[partition.id];
    // GovCloud's standard STS endpoint is its FIPS endpoint (STS endpoint rules).
    const fipsHost =
      partition.id === 'aws-us-gov'
        ? `sts.${region}.${partition.dnsSuffix}`
        : `sts-fips.${region}.${partition.dnsSuffix}`;
    return [
      [partition.id, region, false, false, `sts.${region}.${partition.dnsSuffix}`],
      [partition.id, region, true, false, fipsHost],
      [partition.id, region, false, true, `sts.${region}.${partition.dualStackDnsSuffix}`],
      [partition.id, region, true, true, `sts-fips.${region}.${partition.dualStackDnsSuffix}`],
    ] as const;
  });

  it('has a sample region for every partition', () => {
    for (const partition of PARTITIONS) {
      expect(partition.regionRegex.test(SAMPLE_REGION[partition.id])).toBe(true);
    }
  });

  it.each(cases)(
    '%s %s fips=%s dualstack=%s → %s (options)',
    async (_, region, fips, dual, host) => {
      const generated = await generateToken({
        clusterId: 'demo',
        credentials: STATIC,
        signingDate: FIXED_DATE,
        region,
        useFipsEndpoint: fips,
        useDualstackEndpoint: dual,
      });
      expect(generated.host).toBe(host);
      expect(generated.region).toBe(region);
    },
  );

  it.each(cases)('%s %s fips=%s dualstack=%s → %s (env)', async (_, region, fips, dual, host) => {
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', String(fips));
    vi.stubEnv('AWS_USE_DUALSTACK_ENDPOINT', dual ? 'TRUE' : 'false');
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: STATIC,
      signingDate: FIXED_DATE,
      region,
    });
    expect(generated.host).toBe(host);
  });

  it('FIPS and dual-stack override legacy mode', async () => {
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: STATIC,
      signingDate: FIXED_DATE,
      region: 'us-east-1',
      stsRegionalEndpoints: 'legacy',
      useFipsEndpoint: true,
    });
    expect(generated.host).toBe('sts-fips.us-east-1.amazonaws.com');
  });

  it('options override the env flags', async () => {
    vi.stubEnv('AWS_USE_FIPS_ENDPOINT', 'true');
    vi.stubEnv('AWS_USE_DUALSTACK_ENDPOINT', 'true');
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: STATIC,
      signingDate: FIXED_DATE,
      region: 'us-west-2',
      useFipsEndpoint: false,
      useDualstackEndpoint: false,
    });
    expect(generated.host).toBe('sts.us-west-2.amazonaws.com');
  });
});

describe('endpoint override', () => {
  it.each([
    ['replaces the regional host', 'us-west-2', undefined, 'sts.example.internal', 'us-west-2'],
    ['keeps the legacy signing region', 'eu-west-1', 'legacy', 'localhost', 'us-east-1'],
    ['accepts an IPv4 literal', 'us-west-2', undefined, '127.0.0.1', 'us-west-2'],
  ] as const)('%s', async (_, region, mode, endpoint, signingRegion) => {
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: STATIC,
      signingDate: FIXED_DATE,
      region,
      endpoint,
      ...(mode === undefined ? {} : { stsRegionalEndpoints: mode }),
    });
    expect(generated.host).toBe(endpoint);
    expect(generated.region).toBe(signingRegion);
    expect(new URL(generated.url).host).toBe(endpoint);
    expect(params(generated.url).get('X-Amz-Credential')).toBe(
      `AKIDEXAMPLE/20240115/${signingRegion}/sts/aws4_request`,
    );
  });

  it('signs the overriding host as the host header', async () => {
    const a = await generateToken({
      clusterId: 'demo',
      credentials: STATIC,
      signingDate: FIXED_DATE,
      region: 'us-west-2',
    });
    const b = await generateToken({
      clusterId: 'demo',
      credentials: STATIC,
      signingDate: FIXED_DATE,
      region: 'us-west-2',
      endpoint: 'sts.example.internal',
    });
    expect(params(a.url).get('X-Amz-Signature')).not.toBe(params(b.url).get('X-Amz-Signature'));
  });
});

describe('expiresIn and signingDate', () => {
  it.each([
    ['default', undefined, '60'],
    ['zero (older Go authenticators)', 0, '0'],
    ['maximum', 900, '900'],
  ])('X-Amz-Expires: %s', async (_, expiresIn, expected) => {
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: STATIC,
      signingDate: FIXED_DATE,
      ...(expiresIn === undefined ? {} : { expiresIn }),
    });
    expect(params(generated.url).get('X-Amz-Expires')).toBe(expected);
    // STS's own 15-minute window, not X-Amz-Expires, sets the cushioned expiry.
    expect(generated.expiresAt.toISOString()).toBe('2024-01-15T12:48:56.000Z');
  });

  it('truncates the signing time to the second', async () => {
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: STATIC,
      signingDate: new Date('2024-01-15T12:34:56.999Z'),
    });
    expect(generated.signedAt.toISOString()).toBe('2024-01-15T12:34:56.000Z');
    expect(params(generated.url).get('X-Amz-Date')).toBe('20240115T123456Z');
    expect(formatExecCredential(generated).status.expirationTimestamp).toBe('2024-01-15T12:48:56Z');
  });

  it('defaults the signing time to now', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-06-01T08:09:10.500Z'));
    const generated = await generateToken({ clusterId: 'demo', credentials: STATIC });
    expect(params(generated.url).get('X-Amz-Date')).toBe('20300601T080910Z');
    expect(generated.expiresAt.toISOString()).toBe('2030-06-01T08:23:10.000Z');
  });

  it('percent-encodes the session token per RFC 3986 with upper-case hex', async () => {
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: { ...STATIC, sessionToken: 'a/b+c=d~e_f.g-h' },
      signingDate: FIXED_DATE,
    });
    expect(generated.url).toContain('&X-Amz-Security-Token=a%2Fb%2Bc%3Dd~e_f.g-h&X-Amz-Signature=');
  });

  it('treats an empty session token as none', async () => {
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: { ...STATIC, sessionToken: '' },
      signingDate: FIXED_DATE,
    });
    expect(generated.url).not.toContain('X-Amz-Security-Token');
    expect(params(generated.url).get('X-Amz-Signature')).toBe(
      botocore.vectors[0]?.expected.signature,
    );
  });

  it('binds the token to the cluster id only through the signed header', async () => {
    const a = await generateToken({
      clusterId: 'demo',
      credentials: STATIC,
      signingDate: FIXED_DATE,
    });
    const b = await generateToken({
      clusterId: 'demo2',
      credentials: STATIC,
      signingDate: FIXED_DATE,
    });
    expect(a.url).not.toContain('demo');
    expect(params(a.url).get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(params(a.url).get('X-Amz-Signature')).not.toBe(params(b.url).get('X-Amz-Signature'));
  });

  it('accepts a cluster id of exactly 255 characters', async () => {
    const generated = await generateToken({
      clusterId: 'c'.repeat(255),
      credentials: STATIC,
      signingDate: FIXED_DATE,
    });
    expect(generated.clusterId).toHaveLength(255);
  });
});

describe('bad options reject with TypeError before any work', () => {
  const base: GenerateTokenOptions = {
    clusterId: 'demo',
    credentials: STATIC,
    signingDate: FIXED_DATE,
  };
  const cases: [string, unknown][] = [
    ['options is null', null],
    ['options is a string', 'demo'],
    ['clusterId missing', { ...base, clusterId: undefined }],
    ['clusterId empty', { ...base, clusterId: '' }],
    ['clusterId not a string', { ...base, clusterId: 42 }],
    ['clusterId of 256 characters', { ...base, clusterId: 'c'.repeat(256) }],
    ['clusterId with LF', { ...base, clusterId: 'demo\nx-other: 1' }],
    ['clusterId with NUL', { ...base, clusterId: 'demo\u0000' }],
    ['clusterId with DEL', { ...base, clusterId: 'demo\u007f' }],
    ['clusterId with a C1 control', { ...base, clusterId: 'demo\u0085' }],
    ['credentials a string', { ...base, credentials: 'AKIDEXAMPLE' }],
    ['credentials an array', { ...base, credentials: [] }],
    ['credentials null', { ...base, credentials: null }],
    ['region upper-case', { ...base, region: 'US-WEST-2' }],
    ['region with underscore', { ...base, region: 'us_west_2' }],
    ['region with a dot (host steering)', { ...base, region: 'us-west-2.evil.example' }],
    ['region empty', { ...base, region: '' }],
    ['region trailing hyphen', { ...base, region: 'us-west-' }],
    ['region too long', { ...base, region: 'a'.repeat(64) }],
    ['region not a string', { ...base, region: 1 }],
    ['stsRegionalEndpoints unknown', { ...base, stsRegionalEndpoints: 'global' }],
    ['stsRegionalEndpoints wrong case', { ...base, stsRegionalEndpoints: 'Legacy' }],
    ['useFipsEndpoint a string', { ...base, useFipsEndpoint: 'true' }],
    ['useDualstackEndpoint a number', { ...base, useDualstackEndpoint: 1 }],
    ['endpoint with scheme', { ...base, endpoint: 'https://sts.amazonaws.com' }],
    ['endpoint with port', { ...base, endpoint: 'sts.amazonaws.com:443' }],
    ['endpoint with path', { ...base, endpoint: 'sts.amazonaws.com/x' }],
    ['endpoint with userinfo', { ...base, endpoint: 'user@sts.amazonaws.com' }],
    ['endpoint upper-case', { ...base, endpoint: 'STS.amazonaws.com' }],
    ['endpoint empty label', { ...base, endpoint: 'sts..amazonaws.com' }],
    ['endpoint empty', { ...base, endpoint: '' }],
    ['endpoint IPv6 literal', { ...base, endpoint: '[::1]' }],
    ['signingDate a string', { ...base, signingDate: '2024-01-15T12:34:56Z' }],
    ['signingDate a number', { ...base, signingDate: 1705322096000 }],
    ['signingDate invalid', { ...base, signingDate: new Date('nope') }],
    ['signingDate before 1970', { ...base, signingDate: new Date('1969-12-31T23:59:59Z') }],
    ['signingDate in year 10000', { ...base, signingDate: new Date(Date.UTC(10000, 0, 1)) }],
    ['expiresIn negative', { ...base, expiresIn: -1 }],
    ['expiresIn above 900', { ...base, expiresIn: 901 }],
    ['expiresIn fractional', { ...base, expiresIn: 1.5 }],
    ['expiresIn NaN', { ...base, expiresIn: Number.NaN }],
    ['expiresIn a string', { ...base, expiresIn: '60' }],
  ];

  it.each(cases)('%s', async (_, options) => {
    const provider = vi.fn(() => Promise.resolve(STATIC));
    // A provider stands in for the static credentials, to prove it is never called.
    const withProvider =
      typeof options === 'object' &&
      options !== null &&
      (options as GenerateTokenOptions).credentials === STATIC
        ? { ...options, credentials: provider }
        : options;
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = generateToken(withProvider as GenerateTokenOptions);
    }).not.toThrow();
    const error = await rejection(promise as Promise<unknown>);
    expect(error).toBeInstanceOf(TypeError);
    expect(provider).not.toHaveBeenCalled();
  });

  it.each([
    ['AWS_REGION', 'Us-West-2'],
    ['AWS_DEFAULT_REGION', 'us west 2'],
    ['AWS_STS_REGIONAL_ENDPOINTS', 'global'],
    ['AWS_USE_FIPS_ENDPOINT', 'yes'],
    ['AWS_USE_DUALSTACK_ENDPOINT', '1'],
  ])('env %s=%j', async (name, value) => {
    vi.stubEnv(name, value);
    const error = await rejection(generateToken(base));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(name);
  });
});

describe('signer failures become SigningError', () => {
  const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  const failingNode = (error: unknown): SigningCrypto => ({
    kind: 'node',
    crypto: {
      createHash: () => {
        throw error;
      },
      createHmac: () => {
        throw error;
      },
    },
  });
  const failingWeb = (error: unknown): SigningCrypto => ({
    kind: 'webcrypto',
    subtle: {
      digest: () => Promise.reject(error),
      importKey: () => Promise.reject(error),
      sign: () => Promise.reject(error),
    },
  });

  it.each([
    ['node:crypto throws an Error', failingNode(new Error('boom'))],
    ['node:crypto throws a bare string', failingNode('bare string')],
    ['WebCrypto rejects with an Error', failingWeb(new Error('boom'))],
    ['WebCrypto rejects with undefined', failingWeb(undefined)],
    ['WebCrypto rejects with a bare string', failingWeb('bare string')],
  ])('%s', async (_, signing) => {
    const error = await rejection(
      generateTokenWith(
        {
          clusterId: 'demo',
          credentials: { ...STATIC, secretAccessKey: SECRET },
          signingDate: FIXED_DATE,
        },
        withSigning(signing),
      ),
    );
    expect(error).toBeInstanceOf(SigningError);
    expect((error as SigningError).code).toBe('ERR_SIGNING_FAILED');
    expect((error as SigningError).message).not.toContain(SECRET);
  });

  it('keeps a string rejection as the cause', async () => {
    const error = await rejection(
      generateTokenWith(
        { clusterId: 'demo', credentials: STATIC, signingDate: FIXED_DATE },
        withSigning(failingWeb('bare string')),
      ),
    );
    expect((error as SigningError).cause).toBe('bare string');
    expect((error as SigningError).message).toContain('bare string');
  });
});

describe('signing implementation selection', () => {
  const ABC_SHA256 = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
  const subtle = globalThis.crypto.subtle as unknown as SubtleCryptoLike;

  it('picks node:crypto when it loads', async () => {
    const signing = await selectSigningCrypto(
      () => Promise.resolve(nodeCrypto as unknown as NodeCryptoLike),
      subtle,
    );
    expect(signing.kind).toBe('node');
    if (signing.kind !== 'node') return;
    expect(signing.crypto.createHash('sha256').update('abc').digest('hex')).toBe(ABC_SHA256);
  });

  it.each([
    ['the import rejects', () => Promise.reject(new Error('Cannot find module node:crypto'))],
    [
      'the import throws',
      () => {
        throw new Error('no dynamic import here');
      },
    ],
    [
      'the module lacks createHmac',
      () => Promise.resolve({ createHash: nodeCrypto.createHash } as unknown as NodeCryptoLike),
    ],
  ])('falls back to WebCrypto when %s', async (_, importer) => {
    const signing = await selectSigningCrypto(importer as () => Promise<NodeCryptoLike>, subtle);
    expect(signing).toEqual({ kind: 'webcrypto', subtle });
  });

  it('rejects with a TypeError where neither exists', async () => {
    const error = await rejection(
      selectSigningCrypto(() => Promise.reject(new Error('none')), {} as SubtleCryptoLike),
    );
    expect(error).toBeInstanceOf(TypeError);
  });

  it('getSigningCrypto selects once, and node:crypto on Node', async () => {
    const first = await getSigningCrypto();
    expect(await getSigningCrypto()).toBe(first);
    expect(first.kind).toBe('node');
  });
});

describe('encodeRfc3986', () => {
  it.each([
    ['unreserved stays', 'AZaz09-._~', 'AZaz09-._~'],
    ['slash, plus, equals', '/+=', '%2F%2B%3D'],
    ['semicolon', 'host;x-k8s-aws-id', 'host%3Bx-k8s-aws-id'],
    ['characters encodeURIComponent leaves alone', "!'()*", '%21%27%28%29%2A'],
    ['space and percent', ' %', '%20%25'],
    ['non-ASCII as UTF-8', 'é', '%C3%A9'],
  ])('%s', (_, input, expected) => {
    expect(encodeRfc3986(input)).toBe(expected);
  });
});
