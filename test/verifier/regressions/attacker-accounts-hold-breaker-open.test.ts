/**
 * Regression (security audit of the shared cache and the throttling guard):
 * the verifier had a host-wide breaker that refused every new STS request
 * to a host for 2 s once STS had throttled 5 distinct known accounts there
 * within 10 s. One attacker with 5 AWS accounts of their own (free: an AWS
 * Organization creates them) could hold it open. Each account needs one
 * login the verifier sees (so it learns the account of the key; the caller
 * need not be mapped in the cluster), then, once a second, a token that STS
 * answers (the attacker lets their own account's STS budget refill: the
 * answer resets that signer's backoff) and one that STS throttles (the
 * attacker spends the budget from elsewhere). Each time the breaker closed,
 * the next round of throttled answers opened it again: measured on the
 * emulator, 119 of 120 fresh logins of other accounts (2 logins/s for 60 s)
 * were refused with `ERR_STS_THROTTLED`.
 *
 * STS throttles per account (the backoff per signer already stops asking
 * for a throttled account), so a host-wide refusal protects nothing the
 * backoff does not, and it is a lever for whoever controls a handful of
 * accounts: there is no breaker any more (SPEC 3.6 allows one, never
 * requires it). The attacker's own tokens are still backed off.
 *
 * Reproduced on the STS emulator, which throttles by account as STS does,
 * on a fixed clock advanced call by call; the attacker's control of their
 * own accounts' STS budget is the emulator's `throttledAccounts`.
 */
import { describe, expect, it } from 'vitest';
import {
  at,
  bystanderRefused,
  codeOf,
  countingFetch,
  sessionKey,
  sessionToken,
  useEmulator,
  verifierWith,
} from '../support.js';

const context = useEmulator();

/** Five accounts of one attacker: what the breaker counted. */
const ATTACKER_ACCOUNTS = Array.from(
  { length: 5 },
  (_, i) => `6666666666${String(i).padStart(2, '0')}`,
);

describe('regression: an attacker with several AWS accounts never refuses anyone else', () => {
  it('5 attacker accounts throttled once a second for 60 s; 120 fresh logins of others: 0 refused', async () => {
    const { emulator } = context;
    const fetch = countingFetch(emulator.fetch);
    const verifier = verifierWith(fetch);
    // Distinct tokens of one key: signed a second apart, all fresh for the
    // verifier and for the emulator through the minute simulated.
    let signed = 0;
    const tokenOf = (key: string): Promise<string> =>
      sessionToken(key, -700_000 + 1_000 * signed++);

    // One login per account: the verifier learns the account of each key.
    const keys = ATTACKER_ACCOUNTS.map((account, i) => sessionKey(emulator, account, 900 + i));
    for (const [i, key] of keys.entries()) {
      await expect(verifier.verify(await tokenOf(key), at(0))).resolves.toMatchObject({
        accountId: ATTACKER_ACCOUNTS[i],
      });
    }

    const outcomes = { victims: 0, refused: 0, attackerThrottled: 0 };
    try {
      for (let step = 1; step <= 120; step++) {
        const ms = step * 500;
        if (step % 2 === 0) {
          for (const [i, key] of keys.entries()) {
            const account = ATTACKER_ACCOUNTS[i] as string;
            // The budget refilled: STS answers, and the signer's backoff resets.
            emulator.throttledAccounts.delete(account);
            await verifier.verify(await tokenOf(key), at(ms)).catch(() => undefined);
            // The budget spent from elsewhere: STS throttles.
            emulator.throttledAccounts.add(account);
            const code = await codeOf(verifier.verify(await tokenOf(key), at(ms)));
            if (code === 'ERR_STS_THROTTLED') outcomes.attackerThrottled++;
          }
        }
        outcomes.victims++;
        if (await bystanderRefused(verifier, emulator, step, ms)) outcomes.refused++;
      }
    } finally {
      for (const account of ATTACKER_ACCOUNTS) emulator.throttledAccounts.delete(account);
    }
    expect(outcomes).toEqual({ victims: 120, refused: 0, attackerThrottled: 300 });
  });
});
