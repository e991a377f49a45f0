/**
 * The clock checks (SPEC 3.4 step 3) to the second, with an injected
 * `currentDate` and the emulator on the same clock unless a row says
 * otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenExpiredError, TokenNotYetValidError } from '../../src/errors.js';
import { generateToken } from '../../src/token/generate.js';
import { verifyToken } from '../../src/token/verify.js';
import { startStsEmulator } from '../support/sts-emulator.js';
import type { StsEmulator } from '../support/sts-emulator.js';

const SIGNED = new Date('2024-02-29T23:59:30Z');
const at = (seconds: number): Date => new Date(SIGNED.getTime() + seconds * 1000);

let emulator: StsEmulator;
let token: string;
beforeAll(async () => {
  emulator = await startStsEmulator();
  token = (
    await generateToken({
      clusterId: 'demo',
      credentials: emulator.credentialsFor('iam-user'),
      region: 'eu-west-1',
      signingDate: SIGNED,
    })
  ).token;
});
afterAll(async () => {
  await emulator.close();
});

// [name, verifier clock (s after signing), clockTolerance, STS clock (s after signing), outcome]
const ROWS: [string, number, number | undefined, number | undefined, string][] = [
  ['at signing time', 0, undefined, undefined, 'ok'],
  ['14:59 later', 899, undefined, undefined, 'ok'],
  ['exactly 15:00 later', 900, undefined, undefined, 'ok'],
  ['15:00.001 later', 900.001, undefined, undefined, 'ERR_TOKEN_EXPIRED'],
  ['15:01 later', 901, undefined, undefined, 'ERR_TOKEN_EXPIRED'],
  ['one day later', 86_400, undefined, undefined, 'ERR_TOKEN_EXPIRED'],
  ['a year later', 366 * 86_400, undefined, undefined, 'ERR_TOKEN_EXPIRED'],
  ['expiry has no tolerance', 901, 600, undefined, 'ERR_TOKEN_EXPIRED'],
  ['signed 4:59 ahead (default tolerance 300 s)', -299, undefined, undefined, 'ok'],
  ['signed exactly 5:00 ahead', -300, undefined, undefined, 'ok'],
  ['signed 5:00.001 ahead', -300.001, undefined, undefined, 'ERR_TOKEN_NOT_YET_VALID'],
  ['signed 5:01 ahead', -301, undefined, undefined, 'ERR_TOKEN_NOT_YET_VALID'],
  ['tolerance 0, signed now', 0, 0, undefined, 'ok'],
  ['tolerance 0, signed 1 s ahead', -1, 0, undefined, 'ERR_TOKEN_NOT_YET_VALID'],
  ['tolerance 0.5 s, signed 1 s ahead', -1, 0.5, undefined, 'ERR_TOKEN_NOT_YET_VALID'],
  ['tolerance 600, signed exactly 10:00 ahead', -600, 600, undefined, 'ok'],
  ['tolerance 600, signed 10:01 ahead', -601, 600, undefined, 'ERR_TOKEN_NOT_YET_VALID'],
  // The verifier's clock runs behind STS's: STS has the last word.
  ['verifier says fresh, STS says expired', 600, undefined, 901, 'ERR_STS_REJECTED'],
  ['verifier says fresh, STS says not yet current', 0, undefined, -901, 'ERR_STS_REJECTED'],
];

describe('clock boundaries', () => {
  it.each(ROWS)('%s', async (_name, verifierOffset, clockTolerance, stsOffset, expected) => {
    emulator.setNow(at(stsOffset ?? verifierOffset));
    const before = emulator.requests.length;
    const result = await verifyToken(token, {
      clusterId: 'demo',
      currentDate: at(verifierOffset),
      fetch: emulator.fetch,
      ...(clockTolerance === undefined ? {} : { clockTolerance }),
    }).then(
      (identity) =>
        identity.arn === 'arn:aws:iam::123456789012:user/Alice' ? 'ok' : 'wrong identity',
      (e: { code?: string }) => e.code,
    );
    expect(result).toBe(expected);
    // Clock failures are decided locally, without calling STS.
    const local = expected === 'ERR_TOKEN_EXPIRED' || expected === 'ERR_TOKEN_NOT_YET_VALID';
    expect(emulator.requests.length - before).toBe(local ? 0 : 1);
  });

  it('the errors carry the instants', async () => {
    const expired = await verifyToken(token, {
      clusterId: 'demo',
      currentDate: at(901),
      fetch: emulator.fetch,
    }).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(TokenExpiredError);
    expect((expired as TokenExpiredError).expiredAt).toEqual(at(900));
    expect((expired as TokenExpiredError).httpStatus).toBe(401);
    const early = await verifyToken(token, {
      clusterId: 'demo',
      currentDate: at(-301),
      fetch: emulator.fetch,
    }).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(TokenNotYetValidError);
    expect((early as TokenNotYetValidError).signedAt).toEqual(SIGNED);
  });

  it('STS rejecting for the clock names SignatureDoesNotMatch', async () => {
    emulator.setNow(at(901));
    await expect(
      verifyToken(token, { clusterId: 'demo', currentDate: at(0), fetch: emulator.fetch }),
    ).rejects.toMatchObject({
      code: 'ERR_STS_REJECTED',
      awsCode: 'SignatureDoesNotMatch',
    });
  });
});
