/**
 * The shared cache (SPEC 3.7) on an in-memory store: replicas share
 * verified identities; names reveal neither token nor URL; a value that is
 * forged, tampered with, swapped, sealed under another secret or for
 * another cluster is refused (counted, evented) and overwritten by STS's
 * answer; values expire with the token and carry that instant sealed;
 * rejections and mappings are never shared; a failing, hung or unready
 * store costs an STS call, never an answer. The same against a real
 * redis-server: `shared-redis.test.ts`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVerifier } from '../../src/verifier/create.js';
import type { Verifier, VerifierOptions } from '../../src/verifier/create.js';
import type { VerifyEvent } from '../../src/verifier/events.js';
import { deriveSharedKeys } from '../../src/verifier/seal.js';
import type { SharedStore } from '../../src/verifier/shared-cache.js';
import { STALL_RETRY_MS } from '../../src/verifier/shared-cache.js';
import {
  CLUSTER,
  EXPIRES_AT,
  NOW,
  REGION,
  SIGNED_AT,
  codeOf,
  countingFetch,
  tokenFor,
  useEmulator,
} from './support.js';
import { memoryStore } from './memory-store.js';
import type { MemoryStore } from './memory-store.js';

const context = useEmulator();
const SECRET = 'a fleet secret of at least 32 bytes, from a vault';
const utf8 = new TextEncoder();

afterEach(() => {
  vi.useRealTimers();
});

interface Replica {
  verifier: Verifier;
  fetch: ReturnType<typeof countingFetch>;
  events: VerifyEvent[];
}

function replica(store: SharedStore, options: Partial<VerifierOptions> = {}): Replica {
  const fetch = countingFetch(context.emulator.fetch);
  const events: VerifyEvent[] = [];
  const verifier = createVerifier({
    clusterId: CLUSTER,
    region: REGION,
    currentDate: NOW,
    retries: 0,
    fetch,
    onEvent: (event) => events.push(event),
    sharedCache: { store, secret: SECRET },
    ...options,
  });
  return { verifier, fetch, events };
}

/** Wait for the fire-and-forget write of the last verification. */
async function written(store: MemoryStore, count = 1): Promise<void> {
  await vi.waitUntil(() => store.values.size >= count);
}

const ALICE = { arn: 'arn:aws:iam::123456789012:user/Alice', accountId: '123456789012' };

describe('sharedCache: replicas share verified identities', () => {
  it('the second replica answers from the store: no STS request, source "shared"', async () => {
    const store = memoryStore();
    const first = replica(store);
    const second = replica(store);
    await expect(first.verifier.verify(context.token)).resolves.toMatchObject(ALICE);
    await written(store);
    const identity = await second.verifier.verify(context.token);
    expect(identity).toEqual(await first.verifier.verify(context.token));
    expect(first.fetch.count + second.fetch.count).toBe(1);
    expect(second.events[0]).toMatchObject({
      result: 'success',
      cached: true,
      source: 'shared',
      sharedCache: 'hit',
    });
    expect(first.events[0]).toMatchObject({ source: 'sts', sharedCache: 'miss' });
    expect(second.verifier.stats()).toMatchObject({
      stsRequests: 0,
      sharedHits: 1,
      sharedMisses: 0,
      sharedRejected: 0,
      sharedErrors: 0,
    });
    // Then from the second replica's own memory.
    await second.verifier.verify(context.token);
    expect(second.events[1]).toMatchObject({ source: 'memory', cached: true });
    expect(second.events[1]?.sharedCache).toBeUndefined();
  });

  it('concurrent calls in one replica make one store look-up', async () => {
    const store = memoryStore();
    const { verifier, fetch } = replica(store);
    await Promise.all(Array.from({ length: 20 }, () => verifier.verify(context.token)));
    expect(store.calls.filter((c) => c.startsWith('GET'))).toHaveLength(1);
    expect(fetch.count).toBe(1);
  });

  it('without a shared cache, stats() has no shared counters', () => {
    const verifier = createVerifier({ clusterId: CLUSTER, fetch: context.emulator.fetch });
    expect(Object.keys(verifier.stats()).filter((k) => k.startsWith('shared'))).toEqual([]);
  });
});

describe('sharedCache: what the store holds', () => {
  it('the key reveals neither token nor URL; the value holds the identity only, sealed', async () => {
    const store = memoryStore();
    await replica(store).verifier.verify(context.token);
    await written(store);
    const [key, { value }] = [...store.values][0] as [string, { value: string }];
    expect(key).toMatch(/^eks-iam-auth:v1:[A-Za-z0-9_-]{43}$/);
    const url = Buffer.from(context.token.slice('k8s-aws-v1.'.length), 'base64url').toString();
    const signature = /X-Amz-Signature=(\w+)/.exec(url)?.[1] as string;
    const secrets = [context.token.slice(11, 40), signature, 'AKIAEMULATOR', 'Alice', CLUSTER];
    for (const text of [key, value]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    const keys = await deriveSharedKeys(utf8.encode(SECRET));
    const opened = JSON.parse((await keys.open(value, key)) as string) as Record<string, unknown>;
    expect(opened).toEqual({
      arn: ALICE.arn,
      account: ALICE.accountId,
      userId: expect.any(String),
      until: NOW.getTime() + 120_000,
    });
  });

  it.each([
    ['ttl ends first', { ttl: 120 }, NOW.getTime() + 120_000],
    ['the token ends first', { ttl: 86_400 }, EXPIRES_AT.getTime()],
  ])('expiry (PXAT) is min(now + ttl, token expiry): %s', async (_, cache, expected) => {
    const store = memoryStore();
    await replica(store, { cache }).verifier.verify(context.token);
    await written(store);
    const { expiresAtMs } = [...store.values.values()][0] as { expiresAtMs: number };
    expect(expiresAtMs).toBe(expected);
    expect(expiresAtMs).toBeLessThanOrEqual(EXPIRES_AT.getTime());
  });

  it('a value kept past its sealed instant (a store ignoring expiry) is a miss', async () => {
    const store = memoryStore();
    await replica(store, { cache: { ttl: 30 } }).verifier.verify(context.token);
    await written(store);
    const late = replica(store);
    await late.verifier.verify(context.token, { currentDate: new Date(NOW.getTime() + 30_001) });
    expect(late.fetch.count).toBe(1);
    expect(late.events[0]).toMatchObject({ source: 'sts', sharedCache: 'miss' });
  });

  it('a shared identity is served in memory no longer than its sealed instant', async () => {
    const store = memoryStore();
    await replica(store, { cache: { ttl: 30 } }).verifier.verify(context.token);
    await written(store);
    // This replica's own ttl is longer: the writer's instant still bounds it.
    const reader = replica(store, { cache: { ttl: 600 } });
    await reader.verifier.verify(context.token);
    await reader.verifier.verify(context.token, { currentDate: new Date(NOW.getTime() + 30_000) });
    expect(reader.fetch.count).toBe(0);
    await reader.verifier.verify(context.token, { currentDate: new Date(NOW.getTime() + 30_001) });
    expect(reader.fetch.count).toBe(1);
  });

  it('rejections are never shared', async () => {
    const store = memoryStore();
    const foreign = await tokenFor(context.emulator, { clusterId: 'other-cluster' });
    const { verifier } = replica(store);
    await expect(codeOf(verifier.verify(foreign))).resolves.toBe('ERR_STS_REJECTED');
    await vi.waitUntil(() => store.calls.length >= 1);
    expect(store.calls.filter((c) => c.startsWith('SET'))).toEqual([]);
    expect(store.values.size).toBe(0);
  });
});

describe('sharedCache: a value that does not open is a miss, never an identity', () => {
  /** Alice's entry written by one replica, Bob's (another principal) too. */
  async function twoEntries(store: MemoryStore): Promise<{ alice: string; bob: string }> {
    const writer = replica(store);
    const bob = await tokenFor(context.emulator, { caseId: 'root' });
    await writer.verifier.verify(context.token);
    await writer.verifier.verify(bob);
    await written(store, 2);
    return { alice: context.token, bob };
  }

  const CASES: [string, (store: MemoryStore) => Promise<void>][] = [
    [
      'a value written by hand (no seal)',
      async (store) => {
        const forged = JSON.stringify({
          arn: 'arn:aws:iam::123456789012:role/Admin',
          account: '123456789012',
          userId: 'AROAADMIN',
          until: EXPIRES_AT.getTime(),
        });
        for (const [k, entry] of store.values) {
          store.values.set(k, { ...entry, value: Buffer.from(forged).toString('base64url') });
        }
      },
    ],
    [
      'one bit flipped',
      async (store) => {
        for (const [k, entry] of store.values) {
          const bytes = Buffer.from(entry.value, 'base64url');
          bytes[bytes.length - 20] = (bytes[bytes.length - 20] as number) ^ 1;
          store.values.set(k, { ...entry, value: bytes.toString('base64url') });
        }
      },
    ],
    [
      'the values swapped between two keys',
      async (store) => {
        const [[k1, v1], [k2, v2]] = [...store.values] as [
          [string, { value: string; expiresAtMs: number }],
          [string, { value: string; expiresAtMs: number }],
        ];
        store.values.set(k1, v2);
        store.values.set(k2, v1);
      },
    ],
    [
      'sealed under another secret',
      async (store) => {
        const other = await deriveSharedKeys(utf8.encode(`${SECRET} but another one`));
        for (const [k, entry] of store.values) {
          const plain = JSON.stringify({
            arn: 'arn:aws:iam::123456789012:role/Admin',
            account: '123456789012',
            userId: 'AROAADMIN',
            until: EXPIRES_AT.getTime(),
          });
          store.values.set(k, { ...entry, value: await other.seal(plain, k) });
        }
      },
    ],
    [
      "another cluster's value for the same token (same secret)",
      async (store) => {
        // What a replica of cluster other-cluster would have written for it.
        const keys = await deriveSharedKeys(utf8.encode(SECRET));
        const url = Buffer.from(context.token.slice(11), 'base64url').toString('latin1');
        const otherKey = `eks-iam-auth:v1:${await keys.nameOf(`other-cluster\n${url}`)}`;
        const sealed = await keys.seal(
          JSON.stringify({
            arn: 'arn:aws:iam::123456789012:root',
            account: '123456789012',
            userId: '123456789012',
            until: EXPIRES_AT.getTime(),
          }),
          otherKey,
        );
        for (const [k, entry] of store.values) store.values.set(k, { ...entry, value: sealed });
      },
    ],
    [
      'not base64url at all',
      async (store) => {
        for (const [k, entry] of store.values)
          store.values.set(k, { ...entry, value: '{"arn":1}' });
      },
    ],
  ];

  it.each(CASES)(
    '%s: refused, counted, evented; STS answers and the value is overwritten',
    async (_, tamper) => {
      const store = memoryStore();
      const { alice, bob } = await twoEntries(store);
      await tamper(store);
      const reader = replica(store);
      await expect(reader.verifier.verify(alice)).resolves.toMatchObject(ALICE);
      await expect(reader.verifier.verify(bob)).resolves.toMatchObject({
        arn: 'arn:aws:iam::123456789012:root',
      });
      expect(reader.fetch.count).toBe(2);
      expect(reader.verifier.stats()).toMatchObject({ sharedRejected: 2, sharedHits: 0 });
      expect(reader.events.map((e) => e.sharedCache)).toEqual(['rejected', 'rejected']);
      // STS's answer replaced the bad values: a third replica hits.
      await vi.waitUntil(() => store.calls.filter((c) => c.startsWith('SET')).length >= 4);
      const third = replica(store);
      await third.verifier.verify(alice);
      await third.verifier.verify(bob);
      expect(third.fetch.count).toBe(0);
      expect(third.verifier.stats()).toMatchObject({ sharedHits: 2 });
    },
  );

  // Sealed with the right secret for the right key (a replica with a bug,
  // or of another partition sharing the secret): still checked as STS's
  // own answer is, for this verifier's partition.
  it.each<[string, Record<string, unknown>]>([
    [
      'an ARN of another partition',
      { arn: 'arn:aws-cn:iam::123456789012:user/Alice', account: '123456789012', userId: 'AIDA1' },
    ],
    [
      "an account that is not the ARN's",
      { arn: ALICE.arn, account: '210987654321', userId: 'AIDA1' },
    ],
    [
      'an assumed role whose UserId lacks the session',
      {
        arn: 'arn:aws:sts::123456789012:assumed-role/Admin/s',
        account: '123456789012',
        userId: 'AROA1',
      },
    ],
    ['no instant', { arn: ALICE.arn, account: ALICE.accountId, userId: 'AIDA1', until: 'later' }],
    ['a field missing', { arn: ALICE.arn, userId: 'AIDA1' }],
  ])('a sealed value with %s is refused', async (_, fields) => {
    const store = memoryStore();
    await replica(store).verifier.verify(context.token);
    await written(store);
    const keys = await deriveSharedKeys(utf8.encode(SECRET));
    for (const [k, entry] of store.values) {
      const sealed = await keys.seal(JSON.stringify({ until: EXPIRES_AT.getTime(), ...fields }), k);
      store.values.set(k, { ...entry, value: sealed });
    }
    const reader = replica(store);
    await expect(reader.verifier.verify(context.token)).resolves.toMatchObject(ALICE);
    expect(reader.fetch.count).toBe(1);
    expect(reader.verifier.stats()).toMatchObject({ sharedRejected: 1, sharedHits: 0 });
  });
});

describe('sharedCache: the store is never in the way', () => {
  it('a store that fails: every call a miss (error), STS answers', async () => {
    const store = memoryStore();
    store.mode = 'fail';
    const { verifier, fetch, events } = replica(store);
    await expect(verifier.verify(context.token)).resolves.toMatchObject(ALICE);
    expect(fetch.count).toBe(1);
    expect(events[0]).toMatchObject({ source: 'sts', sharedCache: 'error' });
    expect(verifier.stats()).toMatchObject({ sharedErrors: 1 });
  });

  it('a hung store: the call times out (50 ms), STS answers; nothing more is sent until the hung call returns', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const store = memoryStore();
    store.mode = 'hang';
    const { verifier, fetch } = replica(store);
    const tokens = await Promise.all(
      [0, 1, 2].map((s) =>
        tokenFor(context.emulator, { signingDate: new Date(SIGNED_AT.getTime() + s * 1000) }),
      ),
    );
    const [a, b, c] = tokens as [string, string, string];
    const first = verifier.verify(a);
    await vi.advanceTimersByTimeAsync(49);
    expect(fetch.count).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await expect(first).resolves.toMatchObject(ALICE);
    expect(fetch.count).toBe(1);
    // While the GET that timed out is out, the store is left alone: no
    // look-up, and no write of what STS answered.
    await expect(verifier.verify(b)).resolves.toMatchObject(ALICE);
    expect(store.calls).toHaveLength(1);
    expect(verifier.stats()).toMatchObject({ sharedErrors: 2, stsRequests: 2 });
    // The store comes back: the hung call returns, and sharing resumes.
    store.mode = 'ok';
    store.wake();
    await vi.advanceTimersByTimeAsync(0);
    await verifier.verify(c);
    expect(store.calls.slice(1)).toEqual([
      expect.stringMatching(/^GET /),
      expect.stringMatching(/^SET /),
    ]);
  });

  it(`a call that never returns: the store is tried again after ${STALL_RETRY_MS} ms`, async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const store = memoryStore();
    store.mode = 'hang';
    const { verifier } = replica(store);
    const tokens = await Promise.all(
      [0, 1, 2].map((s) =>
        tokenFor(context.emulator, { signingDate: new Date(SIGNED_AT.getTime() + s * 1000) }),
      ),
    );
    const first = verifier.verify(tokens[0] as string);
    await vi.advanceTimersByTimeAsync(50);
    await first;
    await verifier.verify(tokens[1] as string);
    expect(store.calls).toHaveLength(1);
    store.mode = 'ok';
    await vi.advanceTimersByTimeAsync(STALL_RETRY_MS);
    await verifier.verify(tokens[2] as string);
    expect(store.calls.map((c) => c.slice(0, 3))).toEqual(['GET', 'GET', 'SET']);
  });

  it('the store is not contacted at start-up', () => {
    const store = memoryStore();
    replica(store);
    expect(store.calls).toEqual([]);
  });
});

describe('sharedCache options', () => {
  const store = memoryStore();
  const BAD: [string, Partial<VerifierOptions>, RegExp][] = [
    ['no store', { sharedCache: { secret: SECRET } as never }, /sharedCache.store/],
    [
      'a store without set',
      { sharedCache: { store: { get: store.get } as never, secret: SECRET } },
      /sharedCache.store/,
    ],
    ['a short secret', { sharedCache: { store, secret: 'x'.repeat(31) } }, /at least 32 bytes/],
    [
      'short secret bytes',
      { sharedCache: { store, secret: new Uint8Array(31) } },
      /at least 32 bytes/,
    ],
    ['a secret of another type', { sharedCache: { store, secret: 42 as never } }, /secret/],
    ...[
      ['a line feed', 'a\nb'],
      ['an ESC', 'a\u001b[31mb'],
      ['a DEL', 'a\u007fb'],
      ['a C1 control (NEL)', 'a\u0085b'],
      ['a right-to-left override', 'a\u202eb'],
      ['a line separator', 'a\u2028b'],
      ['a lone surrogate', 'a\ud800b'],
      ['257 characters', 'p'.repeat(257)],
    ].map(([what, prefix]): [string, Partial<VerifierOptions>, RegExp] => [
      `a prefix with ${what}`,
      { sharedCache: { store, secret: SECRET, prefix } },
      /options\.sharedCache\.prefix must be a string of at most 256 characters without control characters/,
    ]),
    [
      'a prefix of another type',
      { sharedCache: { store, secret: SECRET, prefix: 7 as never } },
      /prefix/,
    ],
    ['timeout 0', { sharedCache: { store, secret: SECRET, timeout: 0 } }, /timeout/],
    ['cache: false', { cache: false, sharedCache: { store, secret: SECRET } }, /in-process cache/],
    ['ttl 0', { cache: { ttl: 0 }, sharedCache: { store, secret: SECRET } }, /ttl above 0/],
  ];
  it.each(BAD)('%s → TypeError', (_, options, message) => {
    expect(() =>
      createVerifier({ clusterId: CLUSTER, fetch: context.emulator.fetch, ...options }),
    ).toThrow(TypeError);
    expect(() =>
      createVerifier({ clusterId: CLUSTER, fetch: context.emulator.fetch, ...options }),
    ).toThrow(message);
  });

  it('a 32-byte secret, as a string or bytes, and a custom prefix of 256 characters are accepted', async () => {
    for (const secret of ['s'.repeat(32), new Uint8Array(32).fill(7)]) {
      const local = memoryStore();
      const { verifier } = replica(local, {
        sharedCache: { store: local, secret, prefix: `fleet-a:${'p'.repeat(248)}`, timeout: 100 },
      });
      await verifier.verify(context.token);
      await written(local);
      expect([...local.values.keys()][0]).toMatch(/^fleet-a:p{248}[A-Za-z0-9_-]{43}$/);
    }
  });
});
