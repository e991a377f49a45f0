/**
 * `eks-iam-auth verify`, run as a subprocess against the STS emulator
 * (reached through the test-only EKS_IAM_AUTH_STS_ENDPOINT redirect).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { generateToken } from '../../src/token/generate.js';
import { parseToken } from '../../src/token/parse.js';
import { identityCases, startStsEmulator } from '../support/sts-emulator.js';
import type { FaultKind, StsEmulator } from '../support/sts-emulator.js';
import { assertCliBuilt, makeHome, runCli } from './cli-process.js';
import type { CliResult } from './cli-process.js';

let home: string;
let removeHome: () => void;
let emulator: StsEmulator;

beforeAll(async () => {
  assertCliBuilt();
  ({ home, remove: removeHome } = makeHome());
  emulator = await startStsEmulator();
});
afterAll(async () => {
  await emulator.close();
  removeHome();
});
afterEach(() => emulator.clearFaults());

const MINUTE = 60_000;

async function tokenFor(
  caseId: string,
  options: { clusterId?: string; ageMs?: number; region?: string } = {},
): Promise<string> {
  const { token } = await generateToken({
    clusterId: options.clusterId ?? 'demo',
    region: options.region ?? 'us-west-2',
    credentials: emulator.credentialsFor(caseId),
    signingDate: new Date(Date.now() - (options.ageMs ?? 0)),
  });
  return token;
}

function verify(args: string[], stdin?: string): Promise<CliResult> {
  return runCli(home, ['verify', ...args], {
    env: { EKS_IAM_AUTH_STS_ENDPOINT: emulator.url },
    ...(stdin === undefined ? {} : { stdin }),
  });
}

/** The lines on stderr that are not the test-only redirect's notice. */
const errors = (stderr: string): string[] =>
  stderr.split('\n').filter((l) => l !== '' && !l.includes('EKS_IAM_AUTH_STS_ENDPOINT is set'));

describe('verify: success', () => {
  const cases = identityCases();
  const expected = (id: string): (typeof cases)[number] =>
    cases.find((c) => c.id === id) as (typeof cases)[number];

  it('prints the identity STS vouches for (IAM user), exit 0', async () => {
    const token = await tokenFor('iam-user');
    const result = await verify(['--token', token, '--cluster-name', 'demo']);
    expect(errors(result.stderr)).toEqual([]);
    expect(result.code).toBe(0);
    const identity = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(identity).toMatchObject({
      arn: expected('iam-user').expected.Arn,
      canonicalArn: expected('iam-user').derivedIdentity.canonicalArn,
      principalType: 'user',
      accountId: expected('iam-user').expected.Account,
      userId: expected('iam-user').expected.UserId,
      accessKeyId: emulator.credentialsFor('iam-user').accessKeyId,
      partition: 'aws',
      stsHost: 'sts.us-west-2.amazonaws.com',
    });
    expect(identity).not.toHaveProperty('sessionName');
    expect(identity['signedAt']).toBe(parseToken(token).signedAt.toISOString());
  });

  it('reads the token from standard input with --token -', async () => {
    const token = await tokenFor('assumed-role');
    const result = await verify(['--token', '-', '--cluster-name', 'demo'], `${token}\n`);
    expect(result.code).toBe(0);
    const identity = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(identity['canonicalArn']).toBe(expected('assumed-role').derivedIdentity.canonicalArn);
    expect(identity['sessionName']).toBe(expected('assumed-role').derivedIdentity.sessionName);
  });

  it('accepts a token minted by the token command', async () => {
    const credentials = emulator.credentialsFor('iam-user');
    const minted = await runCli(
      home,
      ['token', '--cluster-name', 'demo', '--region', 'eu-west-1'],
      {
        env: {
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        },
      },
    );
    const token = (JSON.parse(minted.stdout) as { status: { token: string } }).status.token;
    const result = await verify(['--token', token, '--cluster-name', 'demo']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ stsHost: 'sts.eu-west-1.amazonaws.com' });
  });
});

describe('verify: rejection → exit 1 with the error code', () => {
  const unknownKey = async (): Promise<string> =>
    (
      await generateToken({
        clusterId: 'demo',
        region: 'us-west-2',
        credentials: { accessKeyId: 'AKIANOTKNOWN00000001', secretAccessKey: 'nope' },
      })
    ).token;

  it.each<[string, string, () => Promise<string>, string[], FaultKind?]>([
    ['not base64url', 'ERR_TOKEN_MALFORMED', async () => 'k8s-aws-v1.!!!', []],
    [
      'wrong prefix',
      'ERR_TOKEN_MALFORMED',
      async () => (await tokenFor('iam-user')).replace('v1', 'v2'),
      [],
    ],
    ['oversized', 'ERR_TOKEN_TOO_LARGE', async () => `k8s-aws-v1.${'A'.repeat(20_000)}`, []],
    [
      'signed for another cluster',
      'ERR_STS_REJECTED',
      () => tokenFor('iam-user', { clusterId: 'other' }),
      [],
    ],
    [
      'signed 20 minutes ago',
      'ERR_TOKEN_EXPIRED',
      () => tokenFor('iam-user', { ageMs: 20 * MINUTE }),
      [],
    ],
    [
      'dated 10 minutes ahead',
      'ERR_TOKEN_NOT_YET_VALID',
      () => tokenFor('iam-user', { ageMs: -10 * MINUTE }),
      [],
    ],
    [
      'host of another partition',
      'ERR_TOKEN_HOST_NOT_ALLOWED',
      () => tokenFor('iam-user'),
      ['--partition', 'aws-cn'],
    ],
    ['unknown access key', 'ERR_STS_REJECTED', unknownKey, []],
    ['STS throttling', 'ERR_STS_THROTTLED', () => tokenFor('iam-user'), [], 'throttle'],
    ['STS 503', 'ERR_STS_UNAVAILABLE', () => tokenFor('iam-user'), [], 'status-503'],
    ['STS redirect', 'ERR_STS_UNAVAILABLE', () => tokenFor('iam-user'), [], 'redirect'],
    [
      'STS body without UserId',
      'ERR_STS_RESPONSE_INVALID',
      () => tokenFor('iam-user'),
      [],
      'missing-fields',
    ],
  ])('%s → %s', async (_name, code, makeToken, extra, fault) => {
    const token = await makeToken();
    // Retries (network errors and 5xx) would consume further queued faults.
    if (fault !== undefined) emulator.setFault(fault, 3);
    const result = await verify(['--token', token, '--cluster-name', 'demo', ...extra]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = errors(result.stderr).filter((l) => !l.startsWith('hint: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error ${code}: \\S`));
    // Never echo the token or its signature.
    expect(result.stderr).not.toContain(token.slice(11, 60));
    if (token.length < 4096 && code !== 'ERR_TOKEN_MALFORMED') {
      expect(result.stderr).not.toContain(parseToken(token).signature);
    }
  });
});

describe('verify: what people paste, and what STS says about it', () => {
  // aws-iam-authenticator pkg/token/token.go:655 requires x-k8s-aws-id among
  // the signed headers and :689 sends the server's own cluster id, so STS
  // computes the signature over another value and answers SignatureDoesNotMatch
  // (the emulator does the same: test/support/sts-emulator.ts).
  it('a token for another cluster: SignatureDoesNotMatch gets the cluster-id hint', async () => {
    const token = await tokenFor('iam-user', { clusterId: 'other' });
    const result = await verify(['--token', token, '--cluster-name', 'demo']);
    expect(result.code).toBe(EXIT.failure);
    const lines = errors(result.stderr);
    expect(lines[0]).toMatch(/^error ERR_STS_REJECTED: .*SignatureDoesNotMatch/);
    expect(lines[1]).toMatch(
      /^hint: the token was signed for another cluster id\? .*"demo" \(--cluster-name\)/,
    );
    expect(lines).toHaveLength(2);
  });

  it('an unknown access key (InvalidClientTokenId) gets no cluster-id hint', async () => {
    const { token } = await generateToken({
      clusterId: 'demo',
      region: 'us-west-2',
      credentials: { accessKeyId: 'AKIANOTKNOWN00000001', secretAccessKey: 'nope' },
    });
    const result = await verify(['--token', token, '--cluster-name', 'demo']);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).not.toContain('hint:');
  });

  // What `aws eks get-token` prints (and `eks-iam-auth token`): an ExecCredential.
  const execCredential = (token: string): string =>
    JSON.stringify({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      spec: {},
      status: { expirationTimestamp: '2099-01-01T00:00:00Z', token },
    });

  it('an ExecCredential on standard input is read for its status.token', async () => {
    const token = await tokenFor('iam-user');
    const result = await verify(['--token', '-', '--cluster-name', 'demo'], execCredential(token));
    expect(errors(result.stderr)).toEqual([]);
    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({ principalType: 'user' });
  });

  it('an ExecCredential given as --token is read too', async () => {
    const token = await tokenFor('assumed-role');
    const result = await verify(['--token', execCredential(token), '--cluster-name', 'demo']);
    expect(result.code).toBe(EXIT.ok);
  });

  it('an ExecCredential without a token says exactly that', async () => {
    const result = await verify(
      ['--token', '-', '--cluster-name', 'demo'],
      JSON.stringify({ kind: 'ExecCredential', status: {} }),
    );
    expect(result.code).toBe(EXIT.usage);
    expect(errors(result.stderr)[0]).toBe(
      'error: standard input is an ExecCredential without status.token: give the token itself, or the whole output of "aws eks get-token"',
    );
  });
});

describe('verify: usage errors → exit 1', () => {
  it.each([
    ['missing --token', ['--cluster-name', 'demo'], /--token is required/],
    ['missing cluster', ['--token', 'x'], /--cluster-name \(or --cluster-id\) is required/],
    [
      'unknown flag',
      ['--token', 'x', '--cluster-name', 'demo', '--insecure'],
      /Unknown option '--insecure'/,
    ],
    [
      'unknown partition: the flag is named, never the library option',
      ['--token', 'x', '--cluster-name', 'demo', '--partition', 'aws-mars'],
      /^error: --partition must be a known partition id/m,
    ],
    [
      'bad region: the flag is named',
      ['--token', 'x', '--cluster-name', 'demo', '--region', 'Mars 1'],
      /^error: --region must be/m,
    ],
  ])('%s', async (_name, args, message) => {
    const result = await verify(args);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('refuses a non-loopback EKS_IAM_AUTH_STS_ENDPOINT', async () => {
    const token = await tokenFor('iam-user');
    const result = await runCli(home, ['verify', '--token', token, '--cluster-name', 'demo'], {
      env: { EKS_IAM_AUTH_STS_ENDPOINT: 'http://10.0.0.1:8080' },
    });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/tests only and must be a loopback origin/);
  });

  it('--help prints the usage', async () => {
    const result = await verify(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: eks-iam-auth verify/);
  });
});
