/**
 * Every fault the emulator can inject, through verifyToken: the right code,
 * never an identity, no secret in the error, no unhandled rejection, and
 * nothing left running afterwards (timers, sockets).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EksAuthError } from '../../src/errors.js';
import type { ErrorCode } from '../../src/errors.js';
import { generateToken } from '../../src/token/generate.js';
import { verifyToken } from '../../src/token/verify.js';
import type { VerifyTokenOptions } from '../../src/token/verify.js';
import { FAULT_KINDS, startStsEmulator } from '../support/sts-emulator.js';
import type { FaultKind, FaultSpec, StsEmulator } from '../support/sts-emulator.js';

const DATE = new Date('2024-01-15T12:34:56Z');

const EXPECTED: Record<
  FaultKind,
  { code: ErrorCode; awsCode?: string; spec?: FaultSpec; options?: Partial<VerifyTokenOptions> }
> = {
  // Longer than the timeout: the call gives up, the emulator drops the answer.
  delay: {
    code: 'ERR_STS_UNAVAILABLE',
    spec: { kind: 'delay', delayMs: 60_000 },
    options: { timeout: 50 },
  },
  reset: { code: 'ERR_STS_UNAVAILABLE' },
  'reset-mid-body': { code: 'ERR_STS_UNAVAILABLE' },
  'status-500': { code: 'ERR_STS_UNAVAILABLE' },
  'status-502': { code: 'ERR_STS_UNAVAILABLE' },
  'status-503': { code: 'ERR_STS_UNAVAILABLE' },
  throttle: { code: 'ERR_STS_THROTTLED', awsCode: 'Throttling' },
  'throttle-429': { code: 'ERR_STS_THROTTLED', awsCode: 'ThrottlingException' },
  'request-limit-exceeded': { code: 'ERR_STS_THROTTLED', awsCode: 'RequestLimitExceeded' },
  'forbidden-html': { code: 'ERR_STS_REJECTED' },
  redirect: { code: 'ERR_STS_UNAVAILABLE' },
  'redirect-307': { code: 'ERR_STS_UNAVAILABLE' },
  oversized: { code: 'ERR_STS_RESPONSE_INVALID' },
  'oversized-chunked': { code: 'ERR_STS_RESPONSE_INVALID' },
  'malformed-xml': { code: 'ERR_STS_RESPONSE_INVALID' },
  'malformed-json': { code: 'ERR_STS_RESPONSE_INVALID' },
  'wrong-content-type': { code: 'ERR_STS_RESPONSE_INVALID' },
  'missing-fields': { code: 'ERR_STS_RESPONSE_INVALID' },
  'empty-body': { code: 'ERR_STS_RESPONSE_INVALID' },
  'account-mismatch': { code: 'ERR_STS_RESPONSE_INVALID' },
  'bad-account': { code: 'ERR_STS_RESPONSE_INVALID' },
  'partition-mismatch': { code: 'ERR_STS_RESPONSE_INVALID' },
  'bad-arn': { code: 'ERR_STS_RESPONSE_INVALID' },
  'userid-without-session': { code: 'ERR_STS_RESPONSE_INVALID' },
  'session-mismatch': { code: 'ERR_STS_RESPONSE_INVALID' },
  doctype: { code: 'ERR_STS_RESPONSE_INVALID' },
  'numeric-fields': { code: 'ERR_STS_RESPONSE_INVALID' },
};

let emulator: StsEmulator;
let token: string;
let secrets: string[];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
let baseline: string[];

function resourceCounts(list: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of list) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

beforeAll(async () => {
  baseline = process.getActiveResourcesInfo();
  process.on('unhandledRejection', onUnhandled);
  emulator = await startStsEmulator({ now: () => DATE });
  const credentials = emulator.credentialsFor('assumed-role');
  const generated = await generateToken({
    clusterId: 'demo',
    credentials,
    region: 'us-east-1',
    signingDate: DATE,
  });
  token = generated.token;
  const url = new URL(generated.url);
  secrets = [
    token,
    token.slice('k8s-aws-v1.'.length),
    generated.url,
    url.searchParams.get('X-Amz-Signature') as string,
    credentials.sessionToken as string,
    encodeURIComponent(credentials.sessionToken as string),
    credentials.secretAccessKey,
  ];
});

afterAll(async () => {
  await emulator.close();
  process.off('unhandledRejection', onUnhandled);
});

/** Everything an error exposes, flattened to text. */
function exposed(error: unknown): string {
  const e = error as Error & Record<string, unknown>;
  return [
    e.message,
    e.stack,
    JSON.stringify(e),
    JSON.stringify(e.cause ?? null),
    String(e.cause ?? ''),
  ].join('\n');
}

async function outcome(promise: Promise<unknown>): Promise<EksAuthError> {
  const settled = await promise.then(
    (identity) => ({ identity }),
    (error: unknown) => error,
  );
  expect(settled).toBeInstanceOf(EksAuthError);
  const text = exposed(settled);
  for (const secret of secrets) expect(text).not.toContain(secret);
  return settled as EksAuthError;
}

describe.each(['json', 'xml'] as const)('faults (%s answers)', (format) => {
  it.each(FAULT_KINDS)('%s', async (kind) => {
    const { code, awsCode, spec, options } = EXPECTED[kind];
    const error = await outcome(
      verifyToken(token, {
        clusterId: 'demo',
        currentDate: DATE,
        fetch: emulator.fetchWith({ fault: spec ?? kind, format }),
        ...options,
      }),
    );
    expect(error.code).toBe(code);
    if (awsCode !== undefined) expect((error as { awsCode?: string }).awsCode).toBe(awsCode);
  });
});

describe('STS refusals of the credentials', () => {
  it('expired session credentials → ERR_STS_REJECTED ExpiredToken', async () => {
    const { accessKeyId, secretAccessKey, sessionToken } = emulator.credentialsFor('assumed-role');
    emulator.addPrincipal({
      accessKeyId: 'ASIAEXPIREDKEY000001',
      secretAccessKey,
      sessionToken,
      caseId: 'assumed-role',
      expired: true,
    });
    const generated = await generateToken({
      clusterId: 'demo',
      credentials: {
        accessKeyId: 'ASIAEXPIREDKEY000001',
        secretAccessKey,
        ...(sessionToken ? { sessionToken } : {}),
      },
      region: 'us-east-1',
      signingDate: DATE,
    });
    const error = await outcome(
      verifyToken(generated.token, { clusterId: 'demo', currentDate: DATE, fetch: emulator.fetch }),
    );
    expect(error).toMatchObject({ code: 'ERR_STS_REJECTED', awsCode: 'ExpiredToken' });
    expect(accessKeyId).not.toBe('ASIAEXPIREDKEY000001');
  });

  it.each([
    [
      'unknown access key',
      { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'x' },
      'InvalidClientTokenId',
    ],
    [
      'wrong secret',
      { accessKeyId: 'AKIAEMULATOR0000001', secretAccessKey: 'wrong' },
      'SignatureDoesNotMatch',
    ],
  ] as const)('%s → ERR_STS_REJECTED %s', async (_name, credentials, awsCode) => {
    const generated = await generateToken({
      clusterId: 'demo',
      credentials,
      region: 'us-east-1',
      signingDate: DATE,
    });
    const error = await outcome(
      verifyToken(generated.token, { clusterId: 'demo', currentDate: DATE, fetch: emulator.fetch }),
    );
    expect(error).toMatchObject({ code: 'ERR_STS_REJECTED', awsCode });
  });
});

describe('afterwards', () => {
  it('no unhandled rejection was reported', () => {
    expect(unhandled).toEqual([]);
  });

  it('no timer or socket is left behind', async () => {
    await emulator.close();
    // Closed server-side connections reach the client's pool a few turns of
    // the event loop later; wait for that, boundedly, without a clock.
    for (let i = 0; i < 200; i++) {
      const now = resourceCounts(process.getActiveResourcesInfo());
      const base = resourceCounts(baseline);
      const extra = Object.keys(now).filter((k) => (now[k] ?? 0) > (base[k] ?? 0));
      if (extra.length === 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(resourceCounts(process.getActiveResourcesInfo())).toEqual(resourceCounts(baseline));
    // Restart for afterAll's close() to be a no-op on a fresh server.
    emulator = await startStsEmulator({ now: () => DATE });
  });
});
