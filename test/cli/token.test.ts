/**
 * `eks-iam-auth token`: the kubectl exec plugin, run as a subprocess.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { generateToken } from '../../src/token/generate.js';
import { parseToken } from '../../src/token/parse.js';
import { findControlCharacter } from '../../src/util/control-characters.js';
import {
  buildCanonicalRequest,
  buildStringToSign,
  computeSignature,
  deriveSigningKey,
} from '../support/sigv4-reference.js';
import { loadVector } from '../support/vectors.js';
import type { BotocoreVector, BotocoreVectorFile } from '../support/vectors.js';
import { assertCliBuilt, makeHome, runCli } from './cli-process.js';

const SOURCE = { accessKeyId: 'AKIASOURCE0000000001', secretAccessKey: 'source/secret+key=' };
const SOURCE_ENV = {
  AWS_ACCESS_KEY_ID: SOURCE.accessKeyId,
  AWS_SECRET_ACCESS_KEY: SOURCE.secretAccessKey,
};
const ASSUMED = {
  accessKeyId: 'ASIAASSUMED000000001',
  secretAccessKey: 'assumed/secret+key=',
  sessionToken: 'assumed+session/token==',
};

let home: string;
let removeHome: () => void;

beforeAll(() => {
  assertCliBuilt();
  ({ home, remove: removeHome } = makeHome());
});
afterAll(() => removeHome());

const tokenOf = (stdout: string): string =>
  (JSON.parse(stdout) as { status: { token: string } }).status.token;

describe('token: output', () => {
  const vectors = loadVector<BotocoreVectorFile>('botocore-tokens.json').vectors;

  // Same inputs and signing time as the reference vectors → the same stdout
  // bytes as `aws eks get-token` of awscli v2 (or, for legacy-endpoint vectors
  // that awscli v2 cannot produce, the same ExecCredential).
  it.each(vectors.map((v) => [v.id, v] as const))(
    '%s matches the reference',
    async (_id, v: BotocoreVector) => {
      const result = await runCli(
        home,
        [
          'token',
          '--cluster-name',
          v.input.clusterId,
          '--region',
          v.input.region,
          '--sts-regional-endpoints',
          v.input.stsRegionalEndpoints,
        ],
        {
          env: {
            AWS_ACCESS_KEY_ID: v.input.accessKeyId,
            AWS_SECRET_ACCESS_KEY: v.input.secretAccessKey,
            AWS_SESSION_TOKEN: v.input.sessionToken ?? undefined,
            EKS_IAM_AUTH_SIGNING_DATE: v.input.signingTime,
            ...v.input.env,
          },
        },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const awscliV2 = v.execCredentialStdout?.['awscli-v2'];
      if (awscliV2 !== undefined) expect(result.stdout).toBe(awscliV2);
      else expect(JSON.parse(result.stdout)).toEqual(v.expected.execCredential);
    },
  );

  it('prints one line of JSON with a fresh token for the requested cluster and region', async () => {
    const result = await runCli(
      home,
      ['token', '--cluster-name', 'demo', '--region', 'us-west-2'],
      {
        env: SOURCE_ENV,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('}\n')).toBe(true);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    const credential = JSON.parse(result.stdout) as {
      kind: string;
      apiVersion: string;
      spec: object;
      status: { expirationTimestamp: string; token: string };
    };
    expect(Object.keys(credential)).toEqual(['kind', 'apiVersion', 'spec', 'status']);
    expect(credential.kind).toBe('ExecCredential');
    expect(credential.spec).toEqual({});
    expect(credential.status.expirationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const parsed = parseToken(credential.status.token);
    expect(parsed.host).toBe('sts.us-west-2.amazonaws.com');
    expect(parsed.accessKeyId).toBe(SOURCE.accessKeyId);
    expect(parsed.hasSessionToken).toBe(false);
    // Expiry is signing time + 14 minutes, as awscli reports it.
    expect(Date.parse(credential.status.expirationTimestamp) - parsed.signedAt.getTime()).toBe(
      14 * 60 * 1000,
    );
  });

  it('signs with AWS_SESSION_TOKEN when the environment has one', async () => {
    const result = await runCli(home, ['token', '--cluster-name', 'demo'], {
      env: { ...SOURCE_ENV, AWS_SESSION_TOKEN: 'env+session/token', AWS_REGION: 'eu-west-1' },
    });
    expect(result.code).toBe(0);
    const parsed = parseToken(tokenOf(result.stdout));
    expect(parsed.hasSessionToken).toBe(true);
    expect(parsed.sessionToken).toBe('env+session/token');
    expect(parsed.host).toBe('sts.eu-west-1.amazonaws.com');
  });

  it.each([
    ['--fips', ['--fips'], {}, 'sts-fips.us-west-2.amazonaws.com'],
    ['--dualstack', ['--dualstack'], {}, 'sts.us-west-2.api.aws'],
    [
      'AWS_USE_FIPS_ENDPOINT=true',
      [],
      { AWS_USE_FIPS_ENDPOINT: 'true' },
      'sts-fips.us-west-2.amazonaws.com',
    ],
    [
      '--sts-regional-endpoints legacy',
      ['--sts-regional-endpoints', 'legacy'],
      {},
      'sts.amazonaws.com',
    ],
    [
      'AWS_STS_REGIONAL_ENDPOINTS=legacy',
      [],
      { AWS_STS_REGIONAL_ENDPOINTS: 'legacy' },
      'sts.amazonaws.com',
    ],
    [
      'flag wins over env',
      ['--sts-regional-endpoints', 'regional'],
      { AWS_STS_REGIONAL_ENDPOINTS: 'legacy' },
      'sts.us-west-2.amazonaws.com',
    ],
  ] as const)('endpoint option %s', async (_name, flags, env, host) => {
    const result = await runCli(
      home,
      ['token', '--cluster-name', 'demo', '--region', 'us-west-2', ...flags],
      { env: { ...SOURCE_ENV, ...env } },
    );
    expect(result.code).toBe(0);
    expect(parseToken(tokenOf(result.stdout)).host).toBe(host);
  });

  it('accepts --cluster-id for EKS local clusters', async () => {
    const result = await runCli(home, ['token', '--cluster-id', '1a2b3c4d-5e6f'], {
      env: SOURCE_ENV,
    });
    expect(result.code).toBe(0);
  });
});

describe('token: KUBERNETES_EXEC_INFO negotiation', () => {
  const info = (apiVersion: string): string =>
    JSON.stringify({ kind: 'ExecCredential', apiVersion, spec: { interactive: false } });

  it.each([
    ['absent', undefined, 'client.authentication.k8s.io/v1beta1', false],
    ['v1', info('client.authentication.k8s.io/v1'), 'client.authentication.k8s.io/v1', false],
    [
      'v1beta1',
      info('client.authentication.k8s.io/v1beta1'),
      'client.authentication.k8s.io/v1beta1',
      false,
    ],
    [
      'v1alpha1 (deprecated)',
      info('client.authentication.k8s.io/v1alpha1'),
      'client.authentication.k8s.io/v1alpha1',
      true,
    ],
    [
      'unknown version',
      info('client.authentication.k8s.io/v2'),
      'client.authentication.k8s.io/v1beta1',
      true,
    ],
    ['not JSON', '{not json', 'client.authentication.k8s.io/v1beta1', true],
  ] as const)('%s', async (_name, execInfo, apiVersion, warns) => {
    const result = await runCli(home, ['token', '--cluster-name', 'demo'], {
      env: { ...SOURCE_ENV, KUBERNETES_EXEC_INFO: execInfo },
    });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { apiVersion: string }).apiVersion).toBe(apiVersion);
    // Warnings go to stderr, never into the JSON kubectl parses.
    if (warns) expect(result.stderr).toMatch(/KUBERNETES_EXEC_INFO|deprecated/);
    else expect(result.stderr).toBe('');
  });
});

describe('token: a hostile KUBERNETES_EXEC_INFO never reaches stderr raw', () => {
  // The warning quotes the apiVersion it could not read; JSON.stringify
  // leaves C1, bidi and U+2028 raw, so the command escapes what it prints.
  it.each([
    ['CSI', '\u009b2J'],
    ['right-to-left override', 'v1\u202e1ateb'],
    ['line separator', 'v1\u2028forged line'],
    ['ESC', '\u001b]0;title\u0007'],
    ['workflow command', '##[error]forged'],
  ])('%s', async (_name, apiVersion) => {
    const result = await runCli(home, ['token', '--cluster-name', 'demo'], {
      env: { ...SOURCE_ENV, KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion }) },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/KUBERNETES_EXEC_INFO/);
    expect(findControlCharacter(result.stderr.replace(/\n$/, ''))).toBeUndefined();
    expect(result.stderr).not.toContain('##[');
  });
});

describe('token: errors', () => {
  it('explains missing credentials with a typed error and exit 1', async () => {
    const result = await runCli(home, ['token', '--cluster-name', 'demo']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error ERR_CREDENTIALS_MISSING: /);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it.each([
    ['unknown flag', ['token', '--cluster-name', 'demo', '--bogus'], /Unknown option '--bogus'/],
    ['missing cluster', ['token'], /--cluster-name \(or --cluster-id\) is required/],
    ['empty cluster', ['token', '--cluster-name', ''], /is required/],
    ['flag without value', ['token', '--cluster-name'], /argument missing/],
    [
      'both cluster flags',
      ['token', '--cluster-name', 'a', '--cluster-id', 'b'],
      /mutually exclusive/,
    ],
    [
      'cluster given twice',
      ['token', '--cluster-name', 'a', '--cluster-name', 'b'],
      /more than once/,
    ],
    [
      'positional argument',
      ['token', '--cluster-name', 'a', 'extra'],
      /Unexpected argument 'extra'/,
    ],
    [
      'boolean flag with a value',
      ['token', '--cluster-name', 'a', '--fips=yes'],
      /does not take an argument/,
    ],
    [
      'bad endpoint mode',
      ['token', '--cluster-name', 'a', '--sts-regional-endpoints', 'global'],
      /must be one of regional, legacy/,
    ],
    [
      'session name without role',
      ['token', '--cluster-name', 'a', '--session-name', 's1'],
      /need --role-arn/,
    ],
    [
      'role ARN that is no role',
      ['token', '--cluster-name', 'a', '--role-arn', 'arn:aws:iam::111122223333:user/bob'],
      /IAM role ARN/,
    ],
    [
      'bad session name',
      [
        'token',
        '--cluster-name',
        'a',
        '--role-arn',
        'arn:aws:iam::111122223333:role/r',
        '--session-name',
        'has space',
      ],
      /--session-name must be/,
    ],
    ['unknown command', ['tokens'], /unknown command "tokens"/],
  ])('%s → usage error (exit 1) with usage', async (_name, args, message) => {
    const result = await runCli(home, args, { env: SOURCE_ENV });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Usage: eks-iam-auth/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['--region', { AWS_REGION: undefined }, ['--region', 'US West']],
    ['AWS_REGION', { AWS_REGION: 'US West' }, []],
  ])('bad region from %s → usage error', async (_source, env, flags) => {
    const result = await runCli(home, ['token', '--cluster-name', 'a', ...flags], {
      env: { ...SOURCE_ENV, ...env },
    });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/^error: .*region.*"US West"/);
  });

  it.each([
    ['AWS_USE_FIPS_ENDPOINT', { AWS_USE_FIPS_ENDPOINT: 'yes' }],
    ['AWS_STS_REGIONAL_ENDPOINTS', { AWS_STS_REGIONAL_ENDPOINTS: 'global' }],
    [
      'EKS_IAM_AUTH_STS_ENDPOINT not loopback',
      { EKS_IAM_AUTH_STS_ENDPOINT: 'http://sts.example.com' },
    ],
  ])('bad environment value %s → usage error', async (name, env) => {
    const args = ['token', '--cluster-name', 'a'];
    if (name.startsWith('EKS_IAM_AUTH'))
      args.push('--role-arn', 'arn:aws:iam::111122223333:role/r');
    const result = await runCli(home, args, { env: { ...SOURCE_ENV, ...env } });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain(name.split(' ')[0]);
  });

  it.each([
    ['token', '--help'],
    ['token', '-h'],
    ['token', '--bogus', '--help'],
  ])('%s %s prints the help on stdout, exit 0', async (...args) => {
    const result = await runCli(home, args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: eks-iam-auth token/);
    expect(result.stdout).toContain('--role-arn');
  });
});

describe('token --cache', () => {
  const cacheDir = (): string => path.join(home, '.cache', 'eks-iam-auth');
  const entries = (): string[] => readdirSync(cacheDir()).filter((f) => f.endsWith('.json'));
  const run = (cluster = 'cached', extra: Record<string, string> = {}): ReturnType<typeof runCli> =>
    runCli(home, ['token', '--cluster-name', cluster, '--region', 'us-west-2', '--cache'], {
      env: { ...SOURCE_ENV, ...extra },
    });
  /** Rewrite the one cache entry with a token signed `ageMs` ago. */
  const plant = async (file: string, ageMs: number): Promise<string> => {
    const { token } = await generateToken({
      clusterId: 'cached',
      region: 'us-west-2',
      credentials: SOURCE,
      signingDate: new Date(Date.now() - ageMs),
    });
    const entry = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...entry, token }), { mode: 0o600 });
    return token;
  };

  beforeEach(() => rmSync(path.join(home, '.cache'), { recursive: true, force: true }));

  it('misses, writes a private entry, then hits', async () => {
    const first = await run();
    expect(first.code).toBe(0);
    const [name] = entries();
    expect(name).toMatch(/^[0-9a-f]{64}\.json$/);
    const file = path.join(cacheDir(), name as string);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
    // Only the token: no credentials, and nothing identifying in the name.
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual(['key', 'token', 'version']);
    expect(readFileSync(file, 'utf8')).not.toContain(SOURCE.secretAccessKey);
    expect(name).not.toContain(SOURCE.accessKeyId);
    expect(stored['token']).toBe(tokenOf(first.stdout));

    const second = await run();
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(entries()).toHaveLength(1);
  });

  it.each([
    ['another cluster', 'other', {}],
    ['another access key', 'cached', { AWS_ACCESS_KEY_ID: 'AKIAOTHER00000000001' }],
    ['another region', 'cached', { AWS_REGION: 'eu-west-1' }],
  ])('keys entries by %s', async (_name, cluster, env) => {
    const first = await run();
    const other = await runCli(
      home,
      [
        'token',
        '--cluster-name',
        cluster,
        '--cache',
        ...('AWS_REGION' in env ? [] : ['--region', 'us-west-2']),
      ],
      { env: { ...SOURCE_ENV, ...env } },
    );
    expect(other.code).toBe(0);
    expect(tokenOf(other.stdout)).not.toBe(tokenOf(first.stdout));
    expect(entries()).toHaveLength(2);
  });

  it.each([
    // A token reported to expire within the minute is replaced.
    ['expiring within a minute', 'replaced', 13.5 * 60_000],
    ['expired long ago', 'replaced', 3 * 24 * 3600_000],
    ['dated in the future (clock moved back)', 'replaced', -10 * 60_000],
    ['good for two more minutes', 'reused', 12 * 60_000],
  ] as const)('an entry %s is %s', async (_name, outcome, ageMs) => {
    await run();
    const file = path.join(cacheDir(), entries()[0] as string);
    const planted = await plant(file, ageMs);
    const result = await run();
    expect(result.code).toBe(0);
    expect(tokenOf(result.stdout) === planted).toBe(outcome === 'reused');
    if (outcome === 'replaced') {
      expect(JSON.parse(readFileSync(file, 'utf8')).token).toBe(tokenOf(result.stdout));
    }
  });

  it.each([
    ['group-readable file', (file: string) => chmodSync(file, 0o644)],
    ['group-writable directory', () => chmodSync(cacheDir(), 0o770)],
    [
      'symlinked file',
      (file: string) => {
        writeFileSync(`${file}.target`, readFileSync(file), { mode: 0o600 });
        rmSync(file);
        symlinkSync(`${file}.target`, file);
      },
    ],
    [
      'entry for another key',
      (file: string) => {
        const entry = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        writeFileSync(file, JSON.stringify({ ...entry, key: '0'.repeat(64) }), { mode: 0o600 });
      },
    ],
    ['not JSON', (file: string) => writeFileSync(file, 'garbage', { mode: 0o600 })],
    [
      'not a token',
      (file: string) => {
        const entry = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        writeFileSync(file, JSON.stringify({ ...entry, token: 'k8s-aws-v1.bm9wZQ' }), {
          mode: 0o600,
        });
      },
    ],
  ])('ignores an untrustworthy entry: %s', async (_name, tamper) => {
    const first = await run();
    const file = path.join(cacheDir(), entries()[0] as string);
    // Plant a token that would otherwise be reused, then tamper with the entry.
    const planted = await plant(file, 60_000);
    expect(planted).not.toBe(tokenOf(first.stdout));
    tamper(file);
    const result = await run();
    expect(result.code).toBe(0);
    expect(tokenOf(result.stdout)).not.toBe(planted);
    // The replacement is a regular private file in a private directory again.
    expect(lstatSync(file).isFile()).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
  });

  it('still prints a token when the cache cannot be written', async () => {
    mkdirSync(path.join(home, '.cache'), { recursive: true });
    writeFileSync(cacheDir(), 'a file where the directory should be');
    const result = await run();
    expect(result.code).toBe(0);
    expect(parseToken(tokenOf(result.stdout)).host).toBe('sts.us-west-2.amazonaws.com');
    expect(result.stderr).toMatch(/^warning: token cache not written/);
  });

  it('is off by default', async () => {
    const result = await runCli(home, ['token', '--cluster-name', 'demo'], { env: SOURCE_ENV });
    expect(result.code).toBe(0);
    expect(() => readdirSync(cacheDir())).toThrow();
  });
});

/**
 * A loopback stand-in for STS AssumeRole. It checks the SigV4 header
 * signature with the independent reference implementation (so a request
 * signed with the wrong key or for the wrong host fails as on AWS) and
 * answers by the role name: `Denied`, `Throttled`, `Broken` (500), `Garbled`
 * (200 without credentials), anything else → credentials.
 */
interface AssumeRoleCall {
  host: string;
  form: Record<string, string>;
  signedHeaders: string;
}

function xmlError(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function checkSignature(req: IncomingMessage, host: string, body: string): string | undefined {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      req.headers.authorization ?? '',
    );
  if (!auth) return 'IncompleteSignature';
  const [accessKeyId, day, region, service] = (auth[1] as string).split('/');
  if (accessKeyId !== SOURCE.accessKeyId) return 'InvalidClientTokenId';
  const amzDate = String(req.headers['x-amz-date']);
  const signedHeaders = (auth[2] as string).split(';');
  if (!signedHeaders.includes('host')) return 'SignatureDoesNotMatch';
  const canonical = buildCanonicalRequest({
    method: 'POST',
    rawPath: '/',
    params: [],
    signedHeaders,
    headerValue: (name) => (name === 'host' ? host : (req.headers[name] as string | undefined)),
    payloadHash: createHash('sha256').update(body).digest('hex'),
  });
  if (canonical === undefined) return 'SignatureDoesNotMatch';
  const scope = `${day}/${region}/${service}/aws4_request`;
  const key = deriveSigningKey(
    SOURCE.secretAccessKey,
    day as string,
    region as string,
    service as string,
  );
  const expected = computeSignature(key, buildStringToSign(amzDate, scope, canonical));
  const hostRegion = /^sts(?:-fips)?\.([a-z0-9-]+)\./.exec(host)?.[1];
  if (service !== 'sts' || region !== hostRegion) return 'SignatureDoesNotMatch';
  return expected === auth[3] ? undefined : 'SignatureDoesNotMatch';
}

describe('token --role-arn (STS AssumeRole)', () => {
  let server: Server;
  let endpoint: string;
  const calls: AssumeRoleCall[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      void (async () => {
        const body = await readAll(req);
        const host = String(req.headers['x-emulated-host']);
        const form = Object.fromEntries(new URLSearchParams(body));
        calls.push({ host, form, signedHeaders: String(req.headers.authorization) });
        const send = (status: number, text: string): void => {
          res.writeHead(status, { 'content-type': 'text/xml' });
          res.end(text);
        };
        const failure = checkSignature(req, host, body);
        if (failure)
          return send(403, xmlError(failure, 'The request signature we calculated does not match'));
        const role = form['RoleArn']?.split('/').pop();
        if (role === 'Denied') {
          return send(
            403,
            xmlError(
              'AccessDenied',
              `User: arn:aws:iam::111122223333:user/source is not authorized to perform: sts:AssumeRole on resource: ${form['RoleArn']}`,
            ),
          );
        }
        if (role === 'Throttled') return send(400, xmlError('Throttling', 'Rate exceeded'));
        if (role === 'Broken') return send(500, xmlError('InternalFailure', 'oops'));
        if (role === 'Garbled')
          return send(200, '<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>');
        const expiration = new Date(Date.now() + 3600_000).toISOString();
        send(
          200,
          `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
            `<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:${form['RoleSessionName']}</AssumedRoleId><Arn>arn:aws:sts::111122223333:assumed-role/${role}/${form['RoleSessionName']}</Arn></AssumedRoleUser>` +
            `<Credentials><AccessKeyId>${ASSUMED.accessKeyId}</AccessKeyId><SecretAccessKey>${ASSUMED.secretAccessKey}</SecretAccessKey>` +
            `<SessionToken>${ASSUMED.sessionToken}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
            `</AssumeRoleResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></AssumeRoleResponse>`,
        );
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    calls.length = 0;
  });

  const assume = (args: string[], env: Record<string, string> = {}): ReturnType<typeof runCli> =>
    runCli(home, ['token', '--cluster-name', 'demo', '--region', 'us-west-2', ...args], {
      env: { ...SOURCE_ENV, EKS_IAM_AUTH_STS_ENDPOINT: endpoint, ...env },
    });

  it('assumes the role with the default session name and signs with its credentials', async () => {
    const result = await assume(['--role-arn', 'arn:aws:iam::111122223333:role/Deployer']);
    expect(result.code).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.host).toBe('sts.us-west-2.amazonaws.com');
    expect(calls[0]?.form).toEqual({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: 'arn:aws:iam::111122223333:role/Deployer',
      RoleSessionName: 'EKSGetTokenAuth',
    });
    const parsed = parseToken(tokenOf(result.stdout));
    expect(parsed.accessKeyId).toBe(ASSUMED.accessKeyId);
    expect(parsed.sessionToken).toBe(ASSUMED.sessionToken);
    expect(parsed.host).toBe('sts.us-west-2.amazonaws.com');
    // The test-only redirect announces itself.
    expect(result.stderr).toMatch(/EKS_IAM_AUTH_STS_ENDPOINT is set/);
  });

  it('passes --session-name and --external-id, and uses the FIPS endpoint for both calls', async () => {
    const result = await assume([
      '--role-arn',
      'arn:aws:iam::111122223333:role/Deployer',
      '--session-name',
      'ci@build-42',
      '--external-id',
      'ext-123',
      '--fips',
    ]);
    expect(result.code).toBe(0);
    expect(calls[0]?.host).toBe('sts-fips.us-west-2.amazonaws.com');
    expect(calls[0]?.form).toMatchObject({ RoleSessionName: 'ci@build-42', ExternalId: 'ext-123' });
    expect(parseToken(tokenOf(result.stdout)).host).toBe('sts-fips.us-west-2.amazonaws.com');
  });

  it.each([
    ['AccessDenied', 'Denied', {}, 'ERR_STS_REJECTED', /AccessDenied/],
    ['throttling', 'Throttled', {}, 'ERR_STS_THROTTLED', /Throttling/],
    ['5xx', 'Broken', {}, 'ERR_STS_UNAVAILABLE', /500/],
    ['200 without credentials', 'Garbled', {}, 'ERR_STS_RESPONSE_INVALID', /AccessKeyId/],
    [
      'wrong source secret',
      'Deployer',
      { AWS_SECRET_ACCESS_KEY: 'wrong' },
      'ERR_STS_REJECTED',
      /SignatureDoesNotMatch/,
    ],
    [
      'STS unreachable',
      'Deployer',
      { EKS_IAM_AUTH_STS_ENDPOINT: 'http://127.0.0.1:9' },
      'ERR_STS_UNAVAILABLE',
      /could not be reached/,
    ],
  ])('%s → exit 1 with %s', async (_name, role, env, code, detail) => {
    const result = await assume(['--role-arn', `arn:aws:iam::111122223333:role/${role}`], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const errorLine = result.stderr.split('\n').find((l) => l.startsWith('error'));
    expect(errorLine).toMatch(new RegExp(`^error ${code}: `));
    expect(errorLine).toMatch(detail);
    for (const secret of [SOURCE.secretAccessKey, 'wrong', ASSUMED.secretAccessKey]) {
      expect(result.stderr).not.toContain(secret);
    }
  });

  it('caches the token, not the role credentials, and skips AssumeRole on a hit', async () => {
    rmSync(path.join(home, '.cache'), { recursive: true, force: true });
    const args = ['--role-arn', 'arn:aws:iam::111122223333:role/Deployer', '--cache'];
    const first = await assume(args);
    const second = await assume(args);
    expect(second.stdout).toBe(first.stdout);
    expect(calls).toHaveLength(1);
    const dir = path.join(home, '.cache', 'eks-iam-auth');
    for (const file of readdirSync(dir)) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      expect(text).not.toContain(ASSUMED.secretAccessKey);
      expect(text).not.toContain(SOURCE.secretAccessKey);
    }
  });
});
