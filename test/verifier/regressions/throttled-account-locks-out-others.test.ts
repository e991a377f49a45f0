/**
 * Regression (security audit, issue "one account cannot lock everyone out"):
 * the verifier's backoff was per STS host, so an attacker who throttled their
 * own AWS account (free, from anywhere: sign requests until STS says
 * `Throttling`) made `createVerifier` refuse every uncached token for that
 * host: 100% of fresh logins refused at 2 logins/s, for 4 to 8 attacker
 * calls. STS counts a presigned call against the account whose key signed
 * it, so the backoff is now per signer (SPEC 3.6), and other signers' fresh
 * tokens go through untouched.
 *
 * Reproduced on the STS emulator, which throttles by account as STS does,
 * on a fixed clock advanced call by call.
 */
import { describe, expect, it } from 'vitest';
import {
  at,
  bystanderRefused,
  codeOf,
  countingFetch,
  sessionKey,
  sessionToken as tokenOf,
  useEmulator,
  verifierWith,
} from '../support.js';

const context = useEmulator();

const ATTACKER_ACCOUNT = '666666666666';

describe('regression: one throttled account never refuses anyone else', () => {
  it('attacker throttles their account for 60 s; 120 fresh logins of 10 other accounts: 0 refused', async () => {
    const { emulator } = context;
    const fetch = countingFetch(emulator.fetch);
    const verifier = verifierWith(fetch);
    let attackerKeys = 0;
    const newAttackerKey = (): string => sessionKey(emulator, ATTACKER_ACCOUNT, attackerKeys++);

    // The attacker logs in once (the verifier learns the account of that key),
    // then throttles the account.
    const known = newAttackerKey();
    await expect(verifier.verify(await tokenOf(known, 0), at(0))).resolves.toMatchObject({
      accountId: ATTACKER_ACCOUNT,
    });
    emulator.throttledAccounts.add(ATTACKER_ACCOUNT);

    const outcomes = { victims: 0, refused: 0, attackerCalls: 0, attackerThrottled: 0 };
    try {
      // 2 logins/s for 60 s, each a fresh token of one of 10 other accounts,
      // and before them an attacker call every second (a fresh key or the
      // known one).
      for (let step = 1; step <= 120; step++) {
        const ms = step * 500;
        if (step % 2 === 0) {
          const key = step % 4 === 0 ? known : newAttackerKey();
          outcomes.attackerCalls++;
          const code = await codeOf(verifier.verify(await tokenOf(key, ms), at(ms)));
          if (code === 'ERR_STS_THROTTLED') outcomes.attackerThrottled++;
        }
        outcomes.victims++;
        if (await bystanderRefused(verifier, emulator, step, ms)) outcomes.refused++;
      }
    } finally {
      emulator.throttledAccounts.delete(ATTACKER_ACCOUNT);
    }
    expect(outcomes).toEqual({
      victims: 120,
      refused: 0,
      attackerCalls: 60,
      attackerThrottled: 60,
    });
    // The attacker's known key was backed off after its first throttling
    // answer: its later calls never reached STS (1 success + 1 throttled
    // answer + one probe per expired window, and one call per fresh key).
    const attackerRequests = emulator.requests.filter((r) =>
      r.accessKeyId?.startsWith(`ASIA${ATTACKER_ACCOUNT}`),
    );
    expect(attackerRequests.length).toBeLessThan(1 + 60);
  });
});
