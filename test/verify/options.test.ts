/**
 * Option validation: a caller bug is a TypeError, always as a rejected
 * promise (verifyToken never throws synchronously), and it is reported
 * before anything else is looked at.
 */
import { describe, expect, it } from 'vitest';
import { verifyToken } from '../../src/token/verify.js';
import type { VerifyTokenOptions } from '../../src/token/verify.js';

const noFetch = (() => Promise.reject(new Error('fetch must not be called'))) as typeof fetch;
const base: VerifyTokenOptions = { clusterId: 'demo', fetch: noFetch };

/** Call without letting a synchronous throw escape unnoticed. */
function call(token: unknown, options: unknown): Promise<unknown> {
  let promise: Promise<unknown> | undefined;
  expect(() => {
    promise = verifyToken(token as string, options as VerifyTokenOptions);
  }).not.toThrow();
  expect(promise).toBeInstanceOf(Promise);
  return promise as Promise<unknown>;
}

const BAD: [string, unknown][] = [
  ['options missing', undefined],
  ['options null', null],
  ['options a string', 'demo'],
  ['clusterId missing', { fetch: noFetch }],
  ['clusterId empty', { ...base, clusterId: '' }],
  ['clusterId a number', { ...base, clusterId: 42 }],
  ['clusterId 256 characters', { ...base, clusterId: 'a'.repeat(256) }],
  ['clusterId with a newline', { ...base, clusterId: 'demo\n' }],
  ['clusterId with NUL', { ...base, clusterId: 'de\u0000mo' }],
  ['clusterId with DEL', { ...base, clusterId: 'demo\u007f' }],
  ['clusterId with a C1 control', { ...base, clusterId: 'demo\u0085' }],
  ['clusterId with a character no header can carry', { ...base, clusterId: 'démo-☃' }],
  ['clusterId with CR LF (header injection)', { ...base, clusterId: 'demo\r\nx-evil: 1' }],
  ['partition unknown', { ...base, partition: 'aws-mars' }],
  ['partition upper case', { ...base, partition: 'AWS' }],
  ['partition empty', { ...base, partition: '' }],
  ['partition a number', { ...base, partition: 1 }],
  ['region upper case', { ...base, region: 'US-EAST-1' }],
  ['region with dots', { ...base, region: 'us-east-1.evil.example' }],
  ['region empty', { ...base, region: '' }],
  ['region a number', { ...base, region: 1 }],
  ['currentDate a string', { ...base, currentDate: '2024-01-15T12:34:56Z' }],
  ['currentDate a number', { ...base, currentDate: Date.now() }],
  ['currentDate invalid', { ...base, currentDate: new Date(Number.NaN) }],
  ['clockTolerance negative', { ...base, clockTolerance: -1 }],
  ['clockTolerance NaN', { ...base, clockTolerance: Number.NaN }],
  ['clockTolerance Infinity', { ...base, clockTolerance: Number.POSITIVE_INFINITY }],
  ['clockTolerance a string', { ...base, clockTolerance: '300' }],
  ['maxTokenLength zero', { ...base, maxTokenLength: 0 }],
  ['maxTokenLength fractional', { ...base, maxTokenLength: 1.5 }],
  ['maxTokenLength a string', { ...base, maxTokenLength: '100' }],
  ['strictParameterCase a string', { ...base, strictParameterCase: 'yes' }],
  ['fetch a string', { ...base, fetch: 'fetch' }],
  ['fetch an object', { ...base, fetch: {} }],
  ['timeout zero', { ...base, timeout: 0 }],
  ['timeout negative', { ...base, timeout: -1 }],
  ['timeout NaN', { ...base, timeout: Number.NaN }],
  ['timeout Infinity', { ...base, timeout: Number.POSITIVE_INFINITY }],
  ['timeout beyond setTimeout range', { ...base, timeout: 2 ** 31 }],
  ['timeout a string', { ...base, timeout: '100' }],
  ['signal a plain object', { ...base, signal: {} }],
  ['signal a string', { ...base, signal: 'abort' }],
  ['signal without listeners', { ...base, signal: { aborted: false } }],
  ['maxResponseBytes zero', { ...base, maxResponseBytes: 0 }],
  ['maxResponseBytes fractional', { ...base, maxResponseBytes: 1.5 }],
  ['maxResponseBytes Infinity', { ...base, maxResponseBytes: Number.POSITIVE_INFINITY }],
  ['retries negative', { ...base, retries: -1 }],
  ['retries fractional', { ...base, retries: 1.5 }],
  ['retries NaN', { ...base, retries: Number.NaN }],
  ['retries a string', { ...base, retries: '2' }],
];

describe('bad options → TypeError (rejected promise)', () => {
  it.each(BAD)('%s', async (_name, options) => {
    // The token is garbage too: options are checked first.
    await expect(call('not a token', options)).rejects.toBeInstanceOf(TypeError);
  });

  it('an options getter that throws → rejection, not a synchronous throw', async () => {
    const options = {
      get clusterId(): string {
        throw new Error('boom');
      },
    };
    await expect(call('x', options)).rejects.toThrow('boom');
  });

  it('no global fetch and none given → TypeError', async () => {
    const saved = globalThis.fetch;
    // @ts-expect-error simulating a runtime without fetch
    delete globalThis.fetch;
    try {
      await expect(call('x', { clusterId: 'demo' })).rejects.toBeInstanceOf(TypeError);
    } finally {
      globalThis.fetch = saved;
    }
  });
});

describe('good options pass validation', () => {
  const GOOD: [string, Partial<VerifyTokenOptions>][] = [
    ['defaults', {}],
    ['clusterId 255 characters', { clusterId: 'a'.repeat(255) }],
    ['clusterId an Outposts cluster id', { clusterId: '6f1e5b3c-0c5a-4d6e-9a2b-1f2e3d4c5b6a' }],
    ['every partition id', { partition: 'aws-iso-f' }],
    ['region', { region: 'eusc-de-east-1' }],
    [
      'explicit undefined everywhere',
      {
        partition: undefined,
        region: undefined,
        currentDate: undefined,
        timeout: undefined,
        retries: undefined,
      },
    ],
    ['clockTolerance 0', { clockTolerance: 0 }],
    ['retries 0', { retries: 0 }],
    ['a real AbortSignal', { signal: new AbortController().signal }],
  ];
  it.each(GOOD)('%s: the token is judged next (ERR_TOKEN_MALFORMED)', async (_name, extra) => {
    await expect(call('not a token', { ...base, ...extra })).rejects.toMatchObject({
      code: 'ERR_TOKEN_MALFORMED',
    });
  });

  it.each([
    ['a number', 42],
    ['undefined', undefined],
    ['an object', {}],
  ])('a token that is %s → ERR_TOKEN_MALFORMED, rejected', async (_name, token) => {
    await expect(call(token, base)).rejects.toMatchObject({ code: 'ERR_TOKEN_MALFORMED' });
  });

  it('an oversized token → ERR_TOKEN_TOO_LARGE, honouring maxTokenLength', async () => {
    await expect(
      call('k8s-aws-v1.' + 'A'.repeat(200), { ...base, maxTokenLength: 100 }),
    ).rejects.toMatchObject({
      code: 'ERR_TOKEN_TOO_LARGE',
    });
  });
});
