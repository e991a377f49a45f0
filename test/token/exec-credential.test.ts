import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FormatExecCredentialOptions } from '../../src/token/exec-credential.js';
import { formatExecCredential } from '../../src/token/exec-credential.js';
import { generateToken } from '../../src/token/generate.js';

const TOKEN =
  'k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtZWFzdC0xLmFtYXpvbmF3cy5jb20vP0FjdGlvbj1HZXRDYWxsZXJJZGVudGl0eQ';
const EXPIRES_AT = new Date('2024-01-15T12:48:56Z');
const GROUP = 'client.authentication.k8s.io';

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
