/**
 * The backoff after throttling (SPEC 3.6), on fixed clocks: no request for
 * a throttled signer (access key, and account once known) inside its window
 * (1 s, doubling to 30 s while the probes after each window are throttled
 * too), reset by an answer for that signer, the cache still answering, other
 * signers and other hosts unaffected, however many accounts STS throttles
 * at one host (no host-wide breaker). The per-signer cases run with and
 * without a shared cache: with one, STS is asked only after the store
 * could not answer, and the backoff must hold on that path too.
 */
import { describe, expect, it } from 'vitest';
import { StsThrottledError } from '../../src/errors.js';
import { createVerifier } from '../../src/verifier/create.js';
import type { VerifierOptions } from '../../src/verifier/create.js';
import type { VerifyEvent } from '../../src/verifier/events.js';
import type { FaultKind } from '../support/sts-emulator.js';
import { distinctTokens } from './fake-sts.js';
import { memoryStore } from './memory-store.js';
import type { MemoryStore } from './memory-store.js';
import {
  CLUSTER,
  EXPIRES_AT,
  NOW,
  REGION,
  SIGNED_AT,
  codeOf,
  countingFetch,
  sessionKey,
  sessionToken,
  tokenFor,
  useEmulator,
  verifierWith,
} from './support.js';

const context = useEmulator();
const SECRET = 'a fleet secret of at least 32 bytes, from a vault';

/**
 * The verifier's two ways to STS: straight, or after a shared store (empty
 * here) that could not answer.
 */
const WAYS_TO_STS: [string, () => Partial<VerifierOptions>][] = [
  ['without a shared cache', () => ({})],
  ['with a shared cache', () => ({ sharedCache: { store: memoryStore(), secret: SECRET } })],
];

/** A verifier whose STS throttles while `throttling.on` is true (else answers `throttling.otherwise`). */
function throttlingVerifier(options: Partial<VerifierOptions> = {}): {
  verifier: ReturnType<typeof createVerifier>;
  fetch: ReturnType<typeof countingFetch>;
  throttling: { on: boolean; otherwise?: FaultKind };
} {
  const throttling: { on: boolean; otherwise?: FaultKind } = { on: true };
  const fetch = countingFetch((input, init) => {
    const fault = throttling.on ? 'throttle' : throttling.otherwise;
    return (fault === undefined ? context.emulator.fetch : context.emulator.fetchWith({ fault }))(
      input,
      init,
    );
  });
  const verifier = createVerifier({
    clusterId: CLUSTER,
    region: REGION,
    retries: 0,
    fetch,
    ...options,
  });
  return { verifier, fetch, throttling };
}

const at = (ms: number): { currentDate: Date } => ({ currentDate: new Date(NOW.getTime() + ms) });
let keys = 0;
/** A new key of `account` (a fresh role session). */
const keyOf = (account: string): string => sessionKey(context.emulator, account, keys++);

async function errorOf(promise: Promise<unknown>): Promise<StsThrottledError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StsThrottledError);
  return error as StsThrottledError;
}

describe('createVerifier: backoff after throttling', () => {
  it.each(WAYS_TO_STS)(
    'refuses inside the window without asking STS, then probes (%s)',
    async (_, options) => {
      const { verifier, fetch } = throttlingVerifier(options());
      const first = await errorOf(verifier.verify(context.token, at(0)));
      expect(first).toMatchObject({ status: 400, awsCode: 'Throttling', retryAt: undefined });
      expect(verifier.stats().throttledUntil).toEqual(at(1_000).currentDate);

      const refused = await errorOf(verifier.verify(context.token, at(999)));
      expect(refused).toMatchObject({
        code: 'ERR_STS_THROTTLED',
        status: 400,
        awsCode: 'Throttling',
      });
      expect(refused.retryAt).toEqual(at(1_000).currentDate);
      expect(fetch.count).toBe(1);

      // The window is over: one probe goes out.
      await errorOf(verifier.verify(context.token, at(1_000)));
      expect(fetch.count).toBe(2);
    },
  );

  // The shared store is asked first; whatever it says short of an
  // identity, only STS could answer, and the signer is backed off.
  const STORE_CANNOT_ANSWER: [string, (store: MemoryStore) => void, VerifyEvent['sharedCache']][] =
    [
      ['the store has nothing', () => undefined, 'miss'],
      [
        'the store holds a forged value',
        (store) => {
          for (const call of store.calls) {
            const key = call.slice('GET '.length);
            store.values.set(key, { value: 'forged', expiresAtMs: EXPIRES_AT.getTime() });
          }
        },
        'rejected',
      ],
      [
        'the store fails',
        (store) => {
          store.mode = 'fail';
        },
        'error',
      ],
    ];
  it.each(STORE_CANNOT_ANSWER)(
    'with a shared cache: %s, the signer is refused inside the window without a request',
    async (_, prepare, outcome) => {
      const store = memoryStore();
      const events: VerifyEvent[] = [];
      const { verifier, fetch } = throttlingVerifier({
        sharedCache: { store, secret: SECRET },
        onEvent: (event) => events.push(event),
      });
      await errorOf(verifier.verify(context.token, at(0)));
      expect(fetch.count).toBe(1);
      prepare(store);
      const gets = store.calls.filter((call) => call.startsWith('GET ')).length;

      const refused = await errorOf(verifier.verify(context.token, at(500)));
      expect(refused).toMatchObject({ code: 'ERR_STS_THROTTLED', status: 400 });
      expect(refused.retryAt).toEqual(at(1_000).currentDate);
      expect(fetch.count).toBe(1);
      // The store was asked before the refusal, and could not answer.
      expect(store.calls.filter((call) => call.startsWith('GET ')).length).toBe(gets + 1);
      expect(events.at(-1)).toMatchObject({ result: 'sts_throttling', sharedCache: outcome });
      expect(verifier.stats().stsRequests).toBe(1);
    },
  );

  it('doubles the window while the probes are throttled, up to 30 s', async () => {
    const { verifier, fetch } = throttlingVerifier();
    let now = 0;
    const windows: number[] = [];
    for (let probe = 0; probe < 8; probe++) {
      await errorOf(verifier.verify(context.token, at(now)));
      const until = (verifier.stats().throttledUntil as Date).getTime() - NOW.getTime();
      windows.push(until - now);
      // Refused 1 ms before the window ends, probed when it ends.
      await errorOf(verifier.verify(context.token, at(until - 1)));
      now = until;
    }
    expect(windows).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(fetch.count).toBe(8);
  });

  it('a success resets the window to 1 s', async () => {
    const { verifier, throttling } = throttlingVerifier();
    await errorOf(verifier.verify(context.token, at(0)));
    await errorOf(verifier.verify(context.token, at(1_000))); // window now 2 s
    throttling.on = false;
    await verifier.verify(context.token, at(3_000));
    expect(verifier.stats().throttledUntil).toBeUndefined();
    throttling.on = true;
    const other = await tokenFor(context.emulator, {
      signingDate: new Date(SIGNED_AT.getTime() + 1_000),
    });
    await errorOf(verifier.verify(other, at(4_000)));
    expect(verifier.stats().throttledUntil).toEqual(at(5_000).currentDate);
  });

  const AFTER_WINDOW: [string, FaultKind, string, number][] = [
    // STS judged the token: it is answering again.
    ['a rejection (403) resets it', 'forbidden-html', 'ERR_STS_REJECTED', 1_000],
    // An outage says nothing about throttling: the next window keeps doubling.
    ['a 5xx does not', 'status-503', 'ERR_STS_UNAVAILABLE', 4_000],
  ];
  it.each(AFTER_WINDOW)('%s', async (_, fault, code, nextWindow) => {
    const { verifier, throttling } = throttlingVerifier();
    await errorOf(verifier.verify(context.token, at(0)));
    await errorOf(verifier.verify(context.token, at(1_000))); // window now 2 s, next 4 s
    throttling.on = false;
    throttling.otherwise = fault;
    await expect(verifier.verify(context.token, at(3_000))).rejects.toMatchObject({ code });
    throttling.on = true;
    // Another token (the rejection is cached for this one): throttled again.
    const [other] = distinctTokens(context.token, 1) as [string];
    await errorOf(verifier.verify(other, at(3_000)));
    expect(verifier.stats().throttledUntil).toEqual(at(3_000 + nextWindow).currentDate);
  });

  it('throttled answers to requests sent before the window opened do not lengthen it', async () => {
    const { verifier, fetch } = throttlingVerifier();
    const tokens = await Promise.all(
      [0, 1, 2, 3].map((s) =>
        tokenFor(context.emulator, { signingDate: new Date(SIGNED_AT.getTime() + s * 1000) }),
      ),
    );
    await Promise.all(tokens.map((t) => errorOf(verifier.verify(t, at(0)))));
    expect(fetch.count).toBe(4);
    expect(verifier.stats().throttledUntil).toEqual(at(1_000).currentDate);
  });

  it('the cache still answers inside the window', async () => {
    const { verifier, fetch, throttling } = throttlingVerifier();
    throttling.on = false;
    await verifier.verify(context.token, at(0));
    throttling.on = true;
    const other = await tokenFor(context.emulator, {
      signingDate: new Date(SIGNED_AT.getTime() + 1_000),
    });
    await errorOf(verifier.verify(other, at(10)));
    await expect(verifier.verify(context.token, at(20))).resolves.toMatchObject({
      arn: 'arn:aws:iam::123456789012:user/Alice',
    });
    expect(fetch.count).toBe(2);
    expect(verifier.stats().hits).toBe(1);
  });

  it('only the throttling host is backed off', async () => {
    const { verifier, fetch, throttling } = throttlingVerifier();
    await errorOf(verifier.verify(context.token, at(0)));
    throttling.on = false;
    const elsewhere = await tokenFor(context.emulator, { region: 'us-east-2' });
    await expect(verifier.verify(elsewhere, at(10))).resolves.toMatchObject({
      stsHost: 'sts.us-east-2.amazonaws.com',
    });
    await errorOf(verifier.verify(context.token, at(20)));
    expect(fetch.count).toBe(2);
  });
});

describe.each(WAYS_TO_STS)('createVerifier: backoff per signer (%s)', (_, options) => {
  /** A verifier on the emulator, which throttles the accounts in `throttledAccounts`. */
  function perAccount(): {
    verifier: ReturnType<typeof createVerifier>;
    fetch: ReturnType<typeof countingFetch>;
  } {
    const fetch = countingFetch(context.emulator.fetch);
    return { verifier: verifierWith(fetch, options()), fetch };
  }
  const outcome = (promise: Promise<{ accountId: string }>): Promise<string | undefined> =>
    promise.then(
      (identity) => identity.accountId,
      (error: { code?: string }) => error.code,
    );

  it('another signer on the same host goes through inside the window', async () => {
    const { verifier, fetch } = perAccount();
    const throttled = keyOf('200000000001');
    context.emulator.throttledAccounts.add('200000000001');
    try {
      await expect(codeOf(verifier.verify(await sessionToken(throttled), at(0)))).resolves.toBe(
        'ERR_STS_THROTTLED',
      );
      // Inside the window: the same key is refused unsent, another goes out.
      await expect(
        codeOf(verifier.verify(await sessionToken(throttled, 1_000), at(10))),
      ).resolves.toBe('ERR_STS_THROTTLED');
      await expect(
        outcome(verifier.verify(await sessionToken(keyOf('200000000002')), at(20))),
      ).resolves.toBe('200000000002');
      expect(fetch.count).toBe(2);
    } finally {
      context.emulator.throttledAccounts.delete('200000000001');
    }
  });

  it("once the account is known, the account's other known keys back off too; unknown keys probe once", async () => {
    const { verifier, fetch } = perAccount();
    const account = '200000000003';
    const [first, second, fresh] = [keyOf(account), keyOf(account), keyOf(account)];
    // Both keys answered once: the verifier knows their account.
    await verifier.verify(await sessionToken(first), at(0));
    await verifier.verify(await sessionToken(second), at(0));
    context.emulator.throttledAccounts.add(account);
    try {
      await expect(
        codeOf(verifier.verify(await sessionToken(first, 1_000), at(100))),
      ).resolves.toBe('ERR_STS_THROTTLED');
      expect(fetch.count).toBe(3);
      const refused = await verifier
        .verify(await sessionToken(second, 1_000), at(200))
        .catch((error: unknown) => error as StsThrottledError);
      expect(refused).toMatchObject({ code: 'ERR_STS_THROTTLED', status: 400 });
      expect((refused as StsThrottledError).retryAt).toEqual(at(1_100).currentDate);
      expect(fetch.count).toBe(3);
      // A key whose account STS never named costs one request, then backs off.
      await expect(codeOf(verifier.verify(await sessionToken(fresh), at(300)))).resolves.toBe(
        'ERR_STS_THROTTLED',
      );
      expect(fetch.count).toBe(4);
    } finally {
      context.emulator.throttledAccounts.delete(account);
    }
    // STS answers that signer again: every window of the account is gone.
    await expect(
      outcome(verifier.verify(await sessionToken(first, 2_000), at(1_100))),
    ).resolves.toBe(account);
    await expect(
      outcome(verifier.verify(await sessionToken(second, 2_000), at(1_100))),
    ).resolves.toBe(account);
  });
});

describe('createVerifier: no host-wide breaker', () => {
  /**
   * `accounts` known to the verifier (each answered once at `at(0)`), then
   * throttled by the emulator, one request each at `step` ms apart from
   * `at(1000)`. Returns the verifier and the instant of the last one.
   */
  async function throttleAccounts(
    accounts: string[],
    step: number,
  ): Promise<{ verifier: ReturnType<typeof createVerifier>; last: number }> {
    const verifier = verifierWith(context.emulator.fetch);
    const signers = accounts.map((account) => keyOf(account));
    for (const key of signers) await verifier.verify(await sessionToken(key), at(0));
    for (const account of accounts) context.emulator.throttledAccounts.add(account);
    let last = 1_000;
    try {
      for (const [i, key] of signers.entries()) {
        last = 1_000 + i * step;
        await expect(
          codeOf(verifier.verify(await sessionToken(key, 1_000), at(last))),
        ).resolves.toBe('ERR_STS_THROTTLED');
      }
    } finally {
      for (const account of accounts) context.emulator.throttledAccounts.delete(account);
    }
    return { verifier, last };
  }
  const accounts = (from: number, count: number): string[] =>
    Array.from({ length: count }, (_, i) => String(300000000000 + from + i));

  // STS throttles per account: however many accounts it throttles at one
  // host, another account's fresh token still goes to STS (one attacker
  // with a few accounts of their own held a host-wide breaker open).
  it.each<[string, string[], number]>([
    ['5 distinct accounts within 4 s', accounts(0, 5), 1_000],
    ['20 distinct accounts within 2 s', accounts(100, 20), 100],
    [
      'many keys of one account (keys are free to mint)',
      Array.from({ length: 10 }, () => '300000000300'),
      100,
    ],
  ])("another account's fresh token goes through: %s", async (_, throttled, step) => {
    const { verifier, last } = await throttleAccounts(throttled, step);
    await expect(
      verifier.verify(await sessionToken(keyOf('399999999998')), at(last + 1)),
    ).resolves.toMatchObject({ accountId: '399999999998' });
  });
});
