import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FormatExecCredentialOptions } from '../../src/token/exec-credential.js';
import { formatExecCredential } from '../../src/token/format-exec-credential.js';
import { TokenFormatError } from '../../src/errors.js';
import { generateToken } from '../../src/token/generate.js';
import { parseToken } from '../../src/token/parse.js';
import { referenceToken } from '../support/sigv4-reference.js';
import { loadVector } from '../support/vectors.js';
import type { AuthenticatorVectorFile } from '../support/vectors.js';

const TOKEN =
  'k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtZWFzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eQ';
const EXPIRES_AT = new Date('2024-01-15T12:48:56Z');
const GROUP = 'client.authentication.k8s.io';
const authenticator = loadVector<AuthenticatorVectorFile>('aws-iam-authenticator-tokens.json');

beforeEach(() => {
  vi.stubEnv('KUBERNETES_EXEC_INFO', undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function execInfo(apiVersion: unknown): string {
  return JSON.stringify({ kind: 'ExecCredential', apiVersion, spec: { interactive: false } });
}

function format(options: FormatExecCredentialOptions = {}): {
  apiVersion: string;
  warnings: string[];
} {
  const warnings: string[] = [];
  const credential = formatExecCredential(
    { token: TOKEN, expiresAt: EXPIRES_AT },
    { ...options, onWarning: (message) => warnings.push(message) },
  );
  return { apiVersion: credential.apiVersion, warnings };
}

describe('apiVersion negotiation', () => {
  it.each([
    ['v1 is echoed', execInfo(`${GROUP}/v1`), `${GROUP}/v1`, false],
    ['v1beta1 is echoed', execInfo(`${GROUP}/v1beta1`), `${GROUP}/v1beta1`, false],
    [
      'v1alpha1 is echoed with a deprecation warning',
      execInfo(`${GROUP}/v1alpha1`),
      `${GROUP}/v1alpha1`,
      true,
    ],
    ['missing exec info → v1beta1', undefined, `${GROUP}/v1beta1`, false],
    ['empty exec info counts as missing', '', `${GROUP}/v1beta1`, false],
    ['malformed JSON → v1beta1 + warning', '{"apiVersion": ', `${GROUP}/v1beta1`, true],
    ['unknown apiVersion → v1beta1 + warning', execInfo(`${GROUP}/v2`), `${GROUP}/v1beta1`, true],
    ['another API group → v1beta1 + warning', execInfo('example.com/v1'), `${GROUP}/v1beta1`, true],
    ['apiVersion not a string → v1beta1 + warning', execInfo(1), `${GROUP}/v1beta1`, true],
    [
      'no apiVersion field → v1beta1 + warning',
      '{"kind":"ExecCredential"}',
      `${GROUP}/v1beta1`,
      true,
    ],
    ['a JSON array → v1beta1 + warning', `[${execInfo(`${GROUP}/v1`)}]`, `${GROUP}/v1beta1`, true],
    ['JSON null → v1beta1 + warning', 'null', `${GROUP}/v1beta1`, true],
    ['case matters → v1beta1 + warning', execInfo(`${GROUP}/V1`), `${GROUP}/v1beta1`, true],
  ])('%s', (_, info, expected, warns) => {
    const { apiVersion, warnings } = format(info === undefined ? {} : { execInfo: info });
    expect(apiVersion).toBe(expected);
    expect(warnings).toHaveLength(warns ? 1 : 0);
    for (const warning of warnings) expect(warning).not.toContain(TOKEN);
  });

  it('the deprecation warning names the fix', () => {
    const { warnings } = format({ execInfo: execInfo(`${GROUP}/v1alpha1`) });
    expect(warnings[0]).toContain('v1alpha1');
    expect(warnings[0]).toContain('update-kubeconfig');
  });

  it('an unknown version is named in the warning', () => {
    const { warnings } = format({ execInfo: execInfo(`${GROUP}/v9`) });
    expect(warnings[0]).toContain(`${GROUP}/v9`);
  });

  it.each([
    ['v1 from the environment', execInfo(`${GROUP}/v1`), undefined, `${GROUP}/v1`],
    [
      'v1alpha1 from the environment',
      execInfo(`${GROUP}/v1alpha1`),
      undefined,
      `${GROUP}/v1alpha1`,
    ],
    [
      'the option wins over the environment',
      execInfo(`${GROUP}/v1`),
      execInfo(`${GROUP}/v1beta1`),
      `${GROUP}/v1beta1`,
    ],
  ])('%s', (_, env, option, expected) => {
    vi.stubEnv('KUBERNETES_EXEC_INFO', env);
    expect(format(option === undefined ? {} : { execInfo: option }).apiVersion).toBe(expected);
  });

  it('warnings never reach the console or stderr', () => {
    const spies = [
      vi.spyOn(console, 'warn'),
      vi.spyOn(console, 'error'),
      vi.spyOn(console, 'log'),
      vi.spyOn(console, 'info'),
      vi.spyOn(process.stderr, 'write'),
    ];
    formatExecCredential({ token: TOKEN, expiresAt: EXPIRES_AT }, { execInfo: 'not json' });
    formatExecCredential(
      { token: TOKEN, expiresAt: EXPIRES_AT },
      { execInfo: execInfo(`${GROUP}/v1alpha1`) },
    );
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});

describe('output', () => {
  it('has kubectl shape and key order', () => {
    const credential = formatExecCredential({ token: TOKEN, expiresAt: EXPIRES_AT });
    expect(JSON.stringify(credential)).toBe(
      `{"kind":"ExecCredential","apiVersion":"${GROUP}/v1beta1","spec":{},"status":{"expirationTimestamp":"2024-01-15T12:48:56Z","token":"${TOKEN}"}}`,
    );
  });

  it.each([
    ['whole seconds', '2024-01-15T12:48:56.000Z', '2024-01-15T12:48:56Z'],
    ['fractions are dropped, not rounded', '2024-01-15T12:48:56.999Z', '2024-01-15T12:48:56Z'],
    ['year boundary', '2023-12-31T23:59:59.000Z', '2023-12-31T23:59:59Z'],
  ])('expirationTimestamp: %s', (_, iso, expected) => {
    expect(
      formatExecCredential({ token: TOKEN, expiresAt: new Date(iso) }).status.expirationTimestamp,
    ).toBe(expected);
  });

  it('accepts a GeneratedToken', async () => {
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      signingDate: new Date('2024-01-15T12:34:56Z'),
    });
    const credential = formatExecCredential(generated, { execInfo: execInfo(`${GROUP}/v1`) });
    expect(credential.status).toEqual({
      expirationTimestamp: '2024-01-15T12:48:56Z',
      token: generated.token,
    });
    expect(credential.apiVersion).toBe(`${GROUP}/v1`);
  });

  it('works without onWarning', () => {
    expect(
      formatExecCredential({ token: TOKEN, expiresAt: EXPIRES_AT }, { execInfo: 'nope' })
        .apiVersion,
    ).toBe(`${GROUP}/v1beta1`);
  });
});

describe('bad arguments throw TypeError', () => {
  it.each([
    ['generated is null', null, undefined],
    ['token missing', { expiresAt: EXPIRES_AT }, undefined],
    ['token empty', { token: '', expiresAt: EXPIRES_AT }, undefined],
    ['token not a string', { token: 1, expiresAt: EXPIRES_AT }, undefined],
    ['expiresAt missing', { token: TOKEN }, undefined],
    ['expiresAt a string', { token: TOKEN, expiresAt: '2024-01-15T12:48:56Z' }, undefined],
    ['expiresAt invalid', { token: TOKEN, expiresAt: new Date('nope') }, undefined],
    [
      'expiresAt beyond year 9999',
      { token: TOKEN, expiresAt: new Date(Date.UTC(10000, 0, 1)) },
      undefined,
    ],
    ['options null', { token: TOKEN, expiresAt: EXPIRES_AT }, null],
    [
      'execInfo an object',
      { token: TOKEN, expiresAt: EXPIRES_AT },
      { execInfo: { apiVersion: 'x' } },
    ],
    ['onWarning not a function', { token: TOKEN, expiresAt: EXPIRES_AT }, { onWarning: 'console' }],
  ])('%s', (_, generated, options) => {
    expect(() =>
      formatExecCredential(
        generated as Parameters<typeof formatExecCredential>[0],
        options as unknown as FormatExecCredentialOptions,
      ),
    ).toThrow(TypeError);
  });

  it('error messages never include the token', () => {
    try {
      formatExecCredential({ token: TOKEN, expiresAt: new Date('nope') });
    } catch (error) {
      expect((error as Error).message).not.toContain(TOKEN);
      return;
    }
    throw new Error('expected a TypeError');
  });
});

describe('a token string alone', () => {
  const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

  it('expires 14 minutes after its X-Amz-Date, as the generated form does', async () => {
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: CREDENTIALS,
      // Milliseconds are not in X-Amz-Date; the timestamp drops them anyway.
      signingDate: new Date('2024-01-15T12:34:56.789Z'),
    });
    const fromString = formatExecCredential(generated.token, { execInfo: execInfo(`${GROUP}/v1`) });
    expect(fromString.status).toEqual({
      expirationTimestamp: '2024-01-15T12:48:56Z',
      token: generated.token,
    });
    expect(JSON.stringify(fromString)).toBe(
      JSON.stringify(formatExecCredential(generated, { execInfo: execInfo(`${GROUP}/v1`) })),
    );
  });

  it.each(authenticator.vectors.map((v) => [v.id, v] as const))(
    'aws-iam-authenticator vector %s: X-Amz-Date + 14 minutes',
    (_id, vector) => {
      const signedAt = parseToken(vector.expected.token).signedAt;
      expect(formatExecCredential(vector.expected.token).status).toEqual({
        expirationTimestamp: `${new Date(signedAt.getTime() + 14 * 60_000).toISOString().slice(0, 19)}Z`,
        token: vector.expected.token,
      });
    },
  );

  it('negotiates apiVersion and warns as the object form does', () => {
    const token = authenticator.vectors[0]?.expected.token as string;
    const warnings: string[] = [];
    const credential = formatExecCredential(token, {
      execInfo: execInfo(`${GROUP}/v1alpha1`),
      onWarning: (message) => warnings.push(message),
    });
    expect(credential.apiVersion).toBe(`${GROUP}/v1alpha1`);
    expect(warnings).toHaveLength(1);
  });

  it.each([
    ['empty', '', 'ERR_TOKEN_MALFORMED'],
    ['no prefix', 'aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8', 'ERR_TOKEN_MALFORMED'],
    ['not base64url', 'k8s-aws-v1.!!!', 'ERR_TOKEN_MALFORMED'],
    ['a URL without the STS parameters', TOKEN, 'ERR_TOKEN_MALFORMED'],
    ['oversize', `k8s-aws-v1.${'A'.repeat(20_000)}`, 'ERR_TOKEN_TOO_LARGE'],
  ])('a string that is no token (%s) throws TokenFormatError', (_label, token, code) => {
    expect(() => formatExecCredential(token)).toThrow(TokenFormatError);
    expect(() => formatExecCredential(token)).toThrow(expect.objectContaining({ code }));
  });

  it('a token signed in the last 14 minutes of year 9999 is refused, not written with 5 digits', () => {
    const token = referenceToken({
      ...CREDENTIALS,
      host: 'sts.us-west-2.amazonaws.com',
      region: 'us-west-2',
      clusterId: 'demo',
      date: new Date('9999-12-31T23:50:00Z'),
    });
    expect(() => formatExecCredential(token)).toThrow(
      expect.objectContaining({ code: 'ERR_TOKEN_MALFORMED', reason: 'date' }),
    );
    const earlier = referenceToken({
      ...CREDENTIALS,
      host: 'sts.us-west-2.amazonaws.com',
      region: 'us-west-2',
      clusterId: 'demo',
      date: new Date('9999-12-31T23:45:59Z'),
    });
    expect(formatExecCredential(earlier).status.expirationTimestamp).toBe('9999-12-31T23:59:59Z');
  });

  it('bad options still throw TypeError', () => {
    const token = authenticator.vectors[0]?.expected.token as string;
    expect(() =>
      formatExecCredential(token, null as unknown as FormatExecCredentialOptions),
    ).toThrow(TypeError);
  });
});
