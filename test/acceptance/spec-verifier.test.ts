/**
 * Acceptance: SPEC 3.6 (createVerifier) and 3.7 (the shared cache and
 * redisStore) on the built package, with an in-process STS stand-in that
 * answers per access key, and an in-memory store. The real redis-server
 * runs in test/verifier/shared-redis.test.ts; these cases pin the contract.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import * as pkg from 'eks-iam-auth';
import type { SharedStore, VerifyEvent } from 'eks-iam-auth';
import { tokenFromUrl } from '../support/vectors.js';

const SIGNED_AT = new Date('2024-01-15T12:34:56Z');
const at = (seconds: number): { currentDate: Date } => ({
  currentDate: new Date(SIGNED_AT.getTime() + 60_000 + seconds * 1000),
});

/** A token of `accessKeyId`, signed `second` seconds after {@link SIGNED_AT}. */
async function tokenOf(accessKeyId: string, second = 0): Promise<string> {
  const generated = await pkg.generateToken({
    clusterId: 'demo',
    region: 'us-west-2',
    credentials: { accessKeyId, secretAccessKey: 'secret' },
    signingDate: new Date(SIGNED_AT.getTime() + second * 1000),
  });
  return generated.token;
}

type Behaviour = 'ok' | 'reject' | 'throttle' | 'unavailable' | 'invalid';

/** STS answering per access key: users of account 1111222233NN, or the failure set for the key. */
function fakeSts(): typeof fetch & { calls: number; behave: Map<string, Behaviour> } {
  const behave = new Map<string, Behaviour>();
  const json = (status: number, body: unknown): Response =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  const sts = Object.assign(
    (input: string | URL | Request): Promise<Response> => {
      sts.calls++;
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const key = (url.searchParams.get('X-Amz-Credential') ?? '').split('/')[0] ?? '';
      const account = `1111222233${key.slice(-2).replace(/\D/g, '0').padStart(2, '0')}`;
      switch (behave.get(key) ?? 'ok') {
        case 'reject':
          return Promise.resolve(json(403, { Error: { Code: 'SignatureDoesNotMatch' } }));
        case 'throttle':
          return Promise.resolve(json(400, { Error: { Code: 'Throttling' } }));
        case 'unavailable':
          return Promise.resolve(json(503, {}));
        case 'invalid':
          return Promise.resolve(json(200, {}));
        default:
          return Promise.resolve(
            json(200, {
              GetCallerIdentityResponse: {
                GetCallerIdentityResult: {
                  Arn: `arn:aws:iam::${account}:user/${key}`,
                  Account: account,
                  UserId: `AIDA${key}`,
                },
              },
            }),
          );
      }
    },
    { calls: 0, behave },
  );
  return sts;
}

const verifierWith = (
  sts: typeof fetch,
  options: Partial<pkg.VerifierOptions> = {},
): pkg.Verifier => pkg.createVerifier({ clusterId: 'demo', fetch: sts, retries: 0, ...options });

const codeOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'ok',
    (error: unknown) => (error as pkg.EksAuthError).code,
  );

describe('SPEC 3.6 createVerifier: cache', () => {
  it('a positive result is cached for ttl = 120 s by default', async () => {
    const sts = fakeSts();
    const verifier = verifierWith(sts);
    const token = await tokenOf('AKIDUSER01');
    await verifier.verify(token, at(0));
    await verifier.verify(token, at(119));
    expect(sts.calls).toBe(1);
    await verifier.verify(token, at(121));
    expect(sts.calls).toBe(2);
  });

  it('a definitive rejection (ERR_STS_REJECTED) is cached for negativeTtl = 10 s by default', async () => {
    const sts = fakeSts();
    sts.behave.set('AKIDREJECT', 'reject');
    const verifier = verifierWith(sts);
    const token = await tokenOf('AKIDREJECT');
    expect(await codeOf(verifier.verify(token, at(0)))).toBe('ERR_STS_REJECTED');
    expect(await codeOf(verifier.verify(token, at(9)))).toBe('ERR_STS_REJECTED');
    expect(sts.calls).toBe(1);
    await verifier.verify(token, at(11)).catch(() => undefined);
    expect(sts.calls).toBe(2);
  });

  it.each([
    ['throttling', 'throttle', 'ERR_STS_THROTTLED'],
    ['unavailability', 'unavailable', 'ERR_STS_UNAVAILABLE'],
    ['an invalid response', 'invalid', 'ERR_STS_RESPONSE_INVALID'],
  ] as const)('%s is never cached', async (_name, behaviour, code) => {
    const sts = fakeSts();
    // Another signer each time, so no backoff window stands in the way.
    const verifier = verifierWith(sts);
    sts.behave.set('AKIDFAIL01', behaviour);
    sts.behave.set('AKIDFAIL02', behaviour);
    const token = await tokenOf('AKIDFAIL01');
    expect(await codeOf(verifier.verify(token, at(0)))).toBe(code);
    if (behaviour === 'throttle') {
      // The signer is backing off: the same token is refused without STS.
      expect(await codeOf(verifier.verify(token, at(0.1)))).toBe(code);
      expect(await codeOf(verifier.verify(token, at(31)))).toBe(code);
      expect(sts.calls).toBe(2);
    } else {
      expect(await codeOf(verifier.verify(token, at(0.1)))).toBe(code);
      expect(sts.calls).toBe(2);
    }
    expect(verifier.stats().entries).toBe(0);
  });

  it('structural failures (parse, host policy, clock) never reach STS and are never cached', async () => {
    const sts = fakeSts();
    const verifier = verifierWith(sts);
    expect(await codeOf(verifier.verify('k8s-aws-v1.!', at(0)))).toBe('ERR_TOKEN_MALFORMED');
    const madeUp = (
      await pkg.generateToken({
        clusterId: 'demo',
        region: 'us-madeup-9',
        credentials: { accessKeyId: 'AKIDX', secretAccessKey: 's' },
        signingDate: SIGNED_AT,
      })
    ).token;
    expect(await codeOf(verifier.verify(madeUp, at(0)))).toBe('ERR_TOKEN_HOST_NOT_ALLOWED');
    expect(await codeOf(verifier.verify(await tokenOf('AKIDUSER01'), at(900)))).toBe(
      'ERR_TOKEN_EXPIRED',
    );
    expect(sts.calls).toBe(0);
    expect(verifier.stats().entries).toBe(0);
  });

  it('the key is the canonical URL: another spelling of one signed URL shares its entry', async () => {
    const sts = fakeSts();
    const verifier = verifierWith(sts);
    const token = await tokenOf('AKIDUSER01');
    const respelled = tokenFromUrl(pkg.parseToken(token).url.replace(/%2F/g, '%2f'));
    expect(respelled).not.toBe(token);
    await verifier.verify(token, at(0));
    await verifier.verify(respelled, at(1));
    expect(sts.calls).toBe(1);
  });

  it('an entry never outlives its token, whatever ttl says (the clock checks rerun on every hit)', async () => {
    const sts = fakeSts();
    const verifier = verifierWith(sts, { cache: { ttl: 3600 } });
    const token = await tokenOf('AKIDUSER01');
    await verifier.verify(token, at(0));
    expect(await codeOf(verifier.verify(token, at(14 * 60 - 1)))).toBe('ok');
    expect(await codeOf(verifier.verify(token, at(14 * 60 + 1)))).toBe('ERR_TOKEN_EXPIRED');
    expect(sts.calls).toBe(1);
  });

  it('cache: false asks STS on every call', async () => {
    const sts = fakeSts();
    const verifier = verifierWith(sts, { cache: false });
    const token = await tokenOf('AKIDUSER01');
    await verifier.verify(token, at(0));
    await verifier.verify(token, at(0));
    expect(sts.calls).toBe(2);
  });

  it('bounded: maxEntries caps the entries', async () => {
    const verifier = verifierWith(fakeSts(), { cache: { maxEntries: 3 } });
    for (let second = 0; second < 6; second++)
      await verifier.verify(await tokenOf('AKIDUSER01', second), at(10));
    expect(verifier.stats().entries).toBe(3);
  });

  it('rejected tokens live in their own LRU: they never evict cached identities', async () => {
    const sts = fakeSts();
    sts.behave.set('AKIDREJECT', 'reject');
    const verifier = verifierWith(sts, { cache: { maxEntries: 2 } });
    const good = await tokenOf('AKIDUSER01');
    await verifier.verify(good, at(0));
    for (let second = 0; second < 20; second++) {
      await verifier.verify(await tokenOf('AKIDREJECT', second), at(30)).catch(() => undefined);
    }
    const before = sts.calls;
    await verifier.verify(good, at(31));
    expect(sts.calls).toBe(before);
  });
});

describe('SPEC 3.6 createVerifier: coalescing, the queue, errors per caller', () => {
  it('concurrent calls for one key share one STS request', async () => {
    const sts = fakeSts();
    const verifier = verifierWith(sts);
    const token = await tokenOf('AKIDUSER01');
    const results = await Promise.all(
      Array.from({ length: 100 }, () => verifier.verify(token, at(0))),
    );
    expect(sts.calls).toBe(1);
    expect(new Set(results.map((r) => r.arn)).size).toBe(1);
    expect(verifier.stats()).toMatchObject({ stsRequests: 1, misses: 1, coalesced: 99 });
  });

  it('each coalesced caller gets its own error object', async () => {
    const sts = fakeSts();
    sts.behave.set('AKIDREJECT', 'reject');
    const verifier = verifierWith(sts);
    const token = await tokenOf('AKIDREJECT');
    const [a, b] = await Promise.all([
      verifier.verify(token, at(0)).catch((e: unknown) => e),
      verifier.verify(token, at(0)).catch((e: unknown) => e),
    ]);
    expect(a).toBeInstanceOf(pkg.StsRejectedError);
    expect(b).toBeInstanceOf(pkg.StsRejectedError);
    expect(a).not.toBe(b);
    expect(sts.calls).toBe(1);
  });

  it('beyond maxConcurrentStsRequests calls queue; a full maxQueue rejects at once as overloaded', async () => {
    const waiting: (() => void)[] = [];
    const sts = fakeSts();
    const slow: typeof fetch = (input, init) =>
      new Promise((resolve) => waiting.push(() => resolve(sts(input, init))));
    const verifier = verifierWith(slow, { maxConcurrentStsRequests: 1, maxQueue: 1 });
    const first = verifier.verify(await tokenOf('AKIDUSER01'), at(0));
    const second = verifier.verify(await tokenOf('AKIDUSER02'), at(0));
    const third = await verifier
      .verify(await tokenOf('AKIDUSER03'), at(0))
      .catch((e: unknown) => e);
    expect(third).toBeInstanceOf(pkg.StsUnavailableError);
    expect(third).toMatchObject({ code: 'ERR_STS_UNAVAILABLE', reason: 'overloaded' });
    while (waiting.length > 0 || sts.calls < 2) {
      waiting.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await expect(first).resolves.toMatchObject({ userId: 'AIDAAKIDUSER01' });
    await expect(second).resolves.toMatchObject({ userId: 'AIDAAKIDUSER02' });
  });
});

describe('SPEC 3.6 createVerifier: throttling is per signer', () => {
  it("after a throttling answer, the signer's new tokens are refused without STS; other signers go through", async () => {
    const sts = fakeSts();
    sts.behave.set('AKIDATTACK', 'throttle');
    const verifier = verifierWith(sts);
    expect(await codeOf(verifier.verify(await tokenOf('AKIDATTACK', 0), at(0)))).toBe(
      'ERR_STS_THROTTLED',
    );
    const calls = sts.calls;
    const refused = await verifier
      .verify(await tokenOf('AKIDATTACK', 1), at(0.5))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(pkg.StsThrottledError);
    expect(refused).toMatchObject({ httpStatus: 429 });
    expect(sts.calls).toBe(calls);
    for (let n = 10; n < 30; n++) {
      expect(await codeOf(verifier.verify(await tokenOf(`AKIDUSER${n}`), at(0.6)))).toBe('ok');
    }
    expect(verifier.stats().throttledUntil).toBeInstanceOf(Date);
  });

  it('the window is 1 s, then doubles; an answer from STS resets it', async () => {
    const sts = fakeSts();
    sts.behave.set('AKIDSLOW01', 'throttle');
    const verifier = verifierWith(sts);
    const ask = async (second: number, signed: number): Promise<number> => {
      const before = sts.calls;
      await verifier.verify(await tokenOf('AKIDSLOW01', signed), at(second)).catch(() => undefined);
      return sts.calls - before;
    };
    expect(await ask(0, 0)).toBe(1); // throttled: 1 s window
    expect(await ask(0.9, 1)).toBe(0);
    expect(await ask(1.1, 2)).toBe(1); // throttled again: 2 s window
    expect(await ask(3.0, 3)).toBe(0);
    sts.behave.delete('AKIDSLOW01');
    expect(await ask(3.2, 4)).toBe(1); // answered: reset
    expect(await ask(3.3, 5)).toBe(1);
  });
});

describe('SPEC 3.6 createVerifier: events, stats, reviewToken', () => {
  it("onEvent and the diagnostics channel 'eks-iam-auth:verify' get { type, result, cached, durationMs, stsHost?, stsStatus? }", async () => {
    const sts = fakeSts();
    sts.behave.set('AKIDREJECT', 'reject');
    sts.behave.set('AKIDTHROTL', 'throttle');
    const events: VerifyEvent[] = [];
    const published: unknown[] = [];
    const listener = (message: unknown): void => void published.push(message);
    expect(pkg.VERIFY_CHANNEL).toBe('eks-iam-auth:verify');
    subscribe(pkg.VERIFY_CHANNEL, listener);
    try {
      const verifier = verifierWith(sts, { onEvent: (event) => events.push(event) });
      const token = await tokenOf('AKIDUSER01');
      await verifier.verify(token, at(0));
      await verifier.verify(token, at(1));
      await verifier.verify(await tokenOf('AKIDREJECT'), at(0)).catch(() => undefined);
      await verifier.verify(await tokenOf('AKIDTHROTL'), at(0)).catch(() => undefined);
      await verifier.verify('k8s-aws-v1.!', at(0)).catch(() => undefined);
    } finally {
      unsubscribe(pkg.VERIFY_CHANNEL, listener);
    }
    expect(events.map((e) => [e.result, e.cached])).toEqual([
      ['success', false],
      ['success', true],
      ['sts_error', false],
      ['sts_throttling', false],
      ['invalid_token', false],
    ]);
    expect(events[0]).toMatchObject({
      type: 'verify',
      stsHost: 'sts.us-west-2.amazonaws.com',
      stsStatus: 200,
      source: 'sts',
    });
    expect(events[1]).toMatchObject({ source: 'memory' });
    for (const event of events) expect(event.durationMs).toBeGreaterThanOrEqual(0);
    expect(published).toEqual(events);
  });

  it('stats() → { hits, misses, coalesced, stsRequests, entries }; clear() empties the cache', async () => {
    const sts = fakeSts();
    const verifier = verifierWith(sts);
    expect(verifier.stats()).toEqual({
      hits: 0,
      misses: 0,
      coalesced: 0,
      stsRequests: 0,
      entries: 0,
    });
    const token = await tokenOf('AKIDUSER01');
    await verifier.verify(token, at(0));
    await verifier.verify(token, at(1));
    expect(verifier.stats()).toEqual({
      hits: 1,
      misses: 1,
      coalesced: 0,
      stsRequests: 1,
      entries: 1,
    });
    verifier.clear();
    expect(verifier.stats().entries).toBe(0);
    await verifier.verify(token, at(2));
    expect(sts.calls).toBe(2);
  });

  it('reviewToken accepts a verifier instead of verify options', async () => {
    const sts = fakeSts();
    const verifier = verifierWith(sts, { currentDate: at(0).currentDate });
    const review = {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token: await tokenOf('AKIDUSER01') },
    };
    const awsAuth = {
      mapUsers:
        '- userarn: arn:aws:iam::111122223301:user/AKIDUSER01\n  username: alice\n  groups: [devs]\n',
    };
    const first = await pkg.reviewToken(review, { verifier, awsAuth });
    const second = await pkg.reviewToken(review, { verifier, awsAuth });
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(sts.calls).toBe(1);
  });

  it('verify option checks are TypeErrors naming the option', () => {
    for (const options of [
      { cache: { maxEntries: 0 } },
      { cache: { ttl: -1 } },
      { maxConcurrentStsRequests: 0 },
      { maxQueue: -1 },
    ]) {
      expect(() => pkg.createVerifier({ clusterId: 'demo', ...options })).toThrow(TypeError);
    }
  });
});

/** A store in memory that records every `set`. */
function memoryStore(): SharedStore & {
  map: Map<string, string>;
  sets: [string, string, number][];
} {
  const map = new Map<string, string>();
  const sets: [string, string, number][] = [];
  return {
    map,
    sets,
    get: (key) => Promise.resolve(map.get(key) ?? null),
    set: (key, value, expiresAtMs) => {
      sets.push([key, value, expiresAtMs]);
      map.set(key, value);
      return Promise.resolve();
    },
  };
}

const SECRET = 'a fleet secret of at least 32 bytes!';
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe('SPEC 3.7 sharedCache', () => {
  it('a secret shorter than 32 bytes, or a store without get/set, is a TypeError', () => {
    expect(() =>
      pkg.createVerifier({
        clusterId: 'demo',
        sharedCache: { store: memoryStore(), secret: 'short' },
      }),
    ).toThrow(TypeError);
    expect(() =>
      pkg.createVerifier({
        clusterId: 'demo',
        sharedCache: { store: {} as SharedStore, secret: SECRET },
      }),
    ).toThrow(TypeError);
  });

  it('a second replica answers from the store: one STS request for the fleet', async () => {
    const sts = fakeSts();
    const store = memoryStore();
    const events: VerifyEvent[] = [];
    const a = verifierWith(sts, { sharedCache: { store, secret: SECRET } });
    const b = verifierWith(sts, {
      sharedCache: { store, secret: SECRET },
      onEvent: (e) => events.push(e),
    });
    const token = await tokenOf('AKIDUSER01');
    await a.verify(token, at(0));
    await settle();
    const identity = await b.verify(token, at(1));
    expect(identity.arn).toBe('arn:aws:iam::111122223301:user/AKIDUSER01');
    expect(sts.calls).toBe(1);
    expect(b.stats()).toMatchObject({
      sharedHits: 1,
      sharedMisses: 0,
      sharedRejected: 0,
      sharedErrors: 0,
    });
    expect(events[0]).toMatchObject({ result: 'success', source: 'shared' });
  });

  it('key: the default prefix and an HMAC (base64url); neither the token, the URL nor the signature is in key or value', async () => {
    const store = memoryStore();
    const token = await tokenOf('AKIDUSER01');
    await verifierWith(fakeSts(), { sharedCache: { store, secret: SECRET } }).verify(token, at(0));
    await settle();
    expect(store.sets).toHaveLength(1);
    const [key, value] = store.sets[0] as [string, string, number];
    expect(pkg.DEFAULT_SHARED_PREFIX).toBe('eks-iam-auth:v1:');
    expect(key).toMatch(/^eks-iam-auth:v1:[A-Za-z0-9_-]{43}$/);
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    const signature = /X-Amz-Signature=(\w+)/.exec(pkg.parseToken(token).url)?.[1] ?? '';
    for (const secret of [token.slice(11), signature, 'AKIDUSER01', 'arn:aws']) {
      expect(key + value).not.toContain(secret);
    }
  });

  it("expiry: min(now + cache.ttl, the token's X-Amz-Date + 15 min)", async () => {
    const store = memoryStore();
    const short = verifierWith(fakeSts(), {
      cache: { ttl: 30 },
      sharedCache: { store, secret: SECRET },
    });
    await short.verify(await tokenOf('AKIDUSER01'), at(0));
    const late = verifierWith(fakeSts(), { sharedCache: { store, secret: SECRET } });
    await late.verify(await tokenOf('AKIDUSER02'), at(13 * 60 + 30));
    await settle();
    expect(store.sets.map(([, , expires]) => new Date(expires).toISOString())).toEqual([
      new Date(at(30).currentDate).toISOString(),
      new Date(SIGNED_AT.getTime() + 15 * 60_000).toISOString(),
    ]);
  });

  it.each([
    [
      'tampered',
      (value: string) => value.slice(0, -4) + (value.endsWith('AAAA') ? 'BBBB' : 'AAAA'),
    ],
    [
      'written by hand',
      () => Buffer.from('{"arn":"arn:aws:iam::999999999999:root"}').toString('base64url'),
    ],
  ])('a value %s is a miss, counted as rejected, never an identity', async (_name, forge) => {
    const sts = fakeSts();
    const store = memoryStore();
    const token = await tokenOf('AKIDUSER01');
    await verifierWith(sts, { sharedCache: { store, secret: SECRET } }).verify(token, at(0));
    await settle();
    const [key, value] = store.sets[0] as [string, string, number];
    store.map.set(key, forge(value));
    const other = verifierWith(sts, { sharedCache: { store, secret: SECRET } });
    const identity = await other.verify(token, at(1));
    expect(identity.accountId).toBe('111122223301');
    expect(sts.calls).toBe(2);
    expect(other.stats()).toMatchObject({ sharedRejected: 1, sharedHits: 0 });
  });

  it.each<[string, { clusterId?: string; secret?: string }]>([
    ['under another secret', { secret: SECRET + '!' }],
    ['for another cluster', { clusterId: 'other' }],
  ])("a value sealed %s, moved under this verifier's key, is refused", async (_name, other) => {
    const sts = fakeSts();
    const token = await tokenOf('AKIDUSER01');
    const theirs = memoryStore();
    await verifierWith(sts, { sharedCache: { store: theirs, secret: SECRET } }).verify(
      token,
      at(0),
    );
    const ours = memoryStore();
    const options = { clusterId: other.clusterId ?? 'demo', secret: other.secret ?? SECRET };
    await verifierWith(sts, {
      clusterId: options.clusterId,
      sharedCache: { store: ours, secret: options.secret },
    }).verify(token, at(0));
    await settle();
    const [theirKey, theirValue] = theirs.sets[0] as [string, string, number];
    const [ourKey] = ours.sets[0] as [string, string, number];
    expect(ourKey).not.toBe(theirKey);
    ours.map.set(ourKey, theirValue);
    const calls = sts.calls;
    const verifier = verifierWith(sts, {
      clusterId: options.clusterId,
      sharedCache: { store: ours, secret: options.secret },
    });
    await verifier.verify(token, at(1));
    expect(verifier.stats()).toMatchObject({ sharedRejected: 1, sharedHits: 0 });
    expect(sts.calls).toBe(calls + 1);
  });

  it('the store is never in the way: a store that never answers costs the timeout, then STS answers', async () => {
    const sts = fakeSts();
    const hung: SharedStore = {
      get: () => new Promise(() => undefined),
      set: () => new Promise(() => undefined),
    };
    const verifier = verifierWith(sts, {
      sharedCache: { store: hung, secret: SECRET, timeout: 5 },
    });
    await expect(verifier.verify(await tokenOf('AKIDUSER01'), at(0))).resolves.toMatchObject({
      userId: 'AIDAAKIDUSER01',
    });
    expect(sts.calls).toBe(1);
    expect(verifier.stats().sharedErrors).toBe(1);
  });

  it('only positive results are shared', async () => {
    const sts = fakeSts();
    sts.behave.set('AKIDREJECT', 'reject');
    const store = memoryStore();
    await verifierWith(sts, { sharedCache: { store, secret: SECRET } })
      .verify(await tokenOf('AKIDREJECT'), at(0))
      .catch(() => undefined);
    await settle();
    expect(store.sets).toHaveLength(0);
  });
});

describe('SPEC 3.7 redisStore(client)', () => {
  const client = (ready: boolean) => {
    const commands: string[][] = [];
    return {
      commands,
      isReady: ready,
      sendCommand: (args: string[]): Promise<unknown> => {
        commands.push(args);
        return Promise.resolve(args[0] === 'SET' ? 'OK' : 'stored');
      },
    };
  };

  it('a bounded read (GETRANGE to MAX_SHARED_VALUE_LENGTH) and SET … PXAT through sendCommand', async () => {
    const c = client(true);
    const store = pkg.redisStore(c);
    expect(await store.get('k')).toBe('stored');
    await store.set('k', 'v', 1_700_000_000_123.7);
    expect(c.commands).toEqual([
      ['GETRANGE', 'k', '0', String(pkg.MAX_SHARED_VALUE_LENGTH)],
      ['SET', 'k', 'v', 'PXAT', '1700000000123'],
    ]);
  });

  it('a client that is not ready is never handed a command: the call fails at once (a miss)', async () => {
    const c = client(false);
    const store = pkg.redisStore(c);
    await expect(store.get('k')).rejects.toThrow();
    await expect(store.set('k', 'v', 1)).rejects.toThrow();
    expect(c.commands).toEqual([]);
  });

  it('anything that is not a node-redis client is a TypeError', () => {
    expect(() => pkg.redisStore({} as pkg.RedisClientLike)).toThrow(TypeError);
  });
});
