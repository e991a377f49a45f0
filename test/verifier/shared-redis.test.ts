/**
 * The shared cache (SPEC 3.7) against a real `redis-server` and the real
 * node-redis client, with each replica of the fleet its own process
 * (`shared-worker.ts`) asking one STS emulator:
 * - several processes, staggered: one STS request per distinct token;
 * - keys and values reveal neither token nor URL nor identity;
 * - a value written by hand, swapped between keys, sealed under another
 *   secret or for another cluster is refused, and STS's answer replaces it;
 * - the expiry (PEXPIRETIME) is never past the token's;
 * - the server paused (SIGSTOP) or killed mid-run costs latency only: no
 *   verification fails, no command sent while it was down reaches it later,
 *   and sharing resumes when it returns.
 *
 * Redis expires keys on the real clock, so the tests read it once, at the
 * start, and everything else (tokens, emulator, verifiers) runs on that
 * fixed instant; the suite finishes well inside the tokens' 15 minutes.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Valkey } from 'iovalkey';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateToken } from '../../src/token/generate.js';
import { parseToken } from '../../src/token/parse.js';
import { createVerifier } from '../../src/verifier/create.js';
import { deriveSharedKeys } from '../../src/verifier/seal.js';
import { valkeyStore } from '../../examples/guide/shared-cache-valkey.js';
import { redisAvailability, startRedisServer } from '../support/redis-server.js';
import type { RedisServer } from '../support/redis-server.js';
import { startStsEmulator } from '../support/sts-emulator.js';
import type { StsEmulator } from '../support/sts-emulator.js';
import type { WorkerRequest, WorkerResult } from './shared-worker.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { executable, missing } = redisAvailability();
const CLUSTER = 'fleet';
const REGION = 'us-west-2';
const SECRET = 'the fleet secret: at least 32 bytes of it';
const TTL_SECONDS = 600;
/** The real clock, read once (see the module comment), to the second. */
const ANCHOR = new Date(Math.floor(Date.now() / 1000) * 1000);
const PREFIX = 'eks-iam-auth:v1:';

/** One replica process. */
interface Replica {
  send<T>(request: WorkerRequest): Promise<T>;
  verify(tokens: string[]): Promise<WorkerResult[]>;
  close(): Promise<void>;
}

let server: RedisServer;
let emulator: StsEmulator;
let inspector: ReturnType<typeof createClient>;
/** The fleet: three replica processes, started once (each test uses fresh tokens). */
const replicas: Replica[] = [];
/** The replica that lives through the outages (its in-process cache never holds their tokens). */
let survivor: Replica;
const FLEET_STORE_TIMEOUT_MS = 10_000;
const SURVIVOR_STORE_TIMEOUT_MS = 1_000;
let signed = 0;

/**
 * Start a replica whose store calls time out after `storeTimeoutMs`: long
 * for the fleet (a loaded machine must never turn a store answer into a
 * miss where the test counts STS requests), shorter for the replica that
 * lives through the outages.
 */
async function startReplica(storeTimeoutMs: number): Promise<Replica> {
  const child: ChildProcess = fork(path.join(here, 'shared-worker.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      REDIS_URL: server.url,
      EMULATOR_URL: emulator.url,
      SHARED_SECRET: SECRET,
      CLUSTER,
      REGION,
      NOW: String(ANCHOR.getTime()),
      TTL: String(TTL_SECONDS),
      STORE_TIMEOUT: String(storeTimeoutMs),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies: ((message: unknown) => void)[] = [];
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`replica exited (${code}) before it started`)));
  });
  child.on('message', (message) => replies.shift()?.(message));
  const replica: Replica = {
    send<T>(request: WorkerRequest): Promise<T> {
      return new Promise<T>((resolve) => {
        replies.push((message) => resolve(message as T));
        child.send(request);
      });
    },
    verify: (tokens) => replica.send<WorkerResult[]>({ verify: tokens }),
    async close() {
      if (child.exitCode !== null || !child.connected) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.send({ quit: true });
      await gone;
    },
  };
  return replica;
}

/** `count` fresh tokens for the fleet, each one distinct. */
async function freshTokens(count: number, caseId = 'iam-user'): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const generated = await generateToken({
      clusterId: CLUSTER,
      region: REGION,
      credentials: emulator.credentialsFor(caseId),
      signingDate: new Date(ANCHOR.getTime() - 1000 * ++signed),
    });
    tokens.push(generated.token);
  }
  return tokens;
}

const stsRequests = (): number => emulator.requests.length;
const sharedKeys = async (): Promise<string[]> => inspector.keys(`${PREFIX}*`);
/** Wait until the store holds at least `count` of the fleet's keys (writes finish on their own). */
async function storeHolds(count: number): Promise<void> {
  await vi.waitUntil(async () => (await sharedKeys()).length >= count, {
    timeout: 10_000,
    interval: 10,
  });
}
const ok = (results: WorkerResult[]): number => results.filter((r) => r.accountId).length;

/** A replica's shared-cache counters, to compare before and after. */
async function sharedStats(replica: Replica): Promise<Record<string, number>> {
  return replica.send<Record<string, number>>({ stats: true });
}

/** What changed in `after` since `before`, for the given counters. */
function delta(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const names = ['stsRequests', 'sharedHits', 'sharedMisses', 'sharedRejected', 'sharedErrors'];
  return Object.fromEntries(names.map((n) => [n, (after[n] ?? 0) - (before[n] ?? 0)]));
}

describe.runIf(executable !== undefined || process.env['CI'] === 'true')(
  'sharedCache on a real redis-server',
  () => {
    beforeAll(async () => {
      if (executable === undefined) throw new Error(missing);
      server = await startRedisServer(executable);
      emulator = await startStsEmulator({ now: () => ANCHOR });
      inspector = createClient({ url: server.url });
      inspector.on('error', () => {});
      await inspector.connect();
      const fleet = await Promise.all([0, 1, 2].map(() => startReplica(FLEET_STORE_TIMEOUT_MS)));
      replicas.push(...fleet);
      survivor = await startReplica(SURVIVOR_STORE_TIMEOUT_MS);
    }, 60_000);

    afterAll(async () => {
      await Promise.all([...replicas, survivor].map((r) => r?.close()));
      await inspector?.close().catch(() => undefined);
      await emulator?.close();
      await server?.stop();
    }, 60_000);

    it('three processes, staggered: one STS request per distinct token', async () => {
      await inspector.flushAll();
      const [a, b, c] = replicas;
      const tokens = await freshTokens(40);
      const before = stsRequests();
      const first = await (a as Replica).verify(tokens);
      expect(ok(first)).toBe(40);
      expect(first.every((r) => r.source === 'sts' && r.sharedCache === 'miss')).toBe(true);
      await storeHolds(40);
      for (const replica of [b, c] as Replica[]) {
        const stats = await sharedStats(replica);
        const results = await replica.verify(tokens);
        expect(ok(results)).toBe(40);
        expect(new Set(results.map((r) => `${r.source}/${r.sharedCache}`))).toEqual(
          new Set(['shared/hit']),
        );
        expect(delta(stats, await sharedStats(replica))).toEqual({
          stsRequests: 0,
          sharedHits: 40,
          sharedMisses: 0,
          sharedRejected: 0,
          sharedErrors: 0,
        });
      }
      expect(stsRequests() - before).toBe(40);
    });

    it('keys and values reveal neither token, URL nor identity', async () => {
      await inspector.flushAll();
      const [replica] = replicas;
      const tokens = await freshTokens(5, 'assumed-role');
      await (replica as Replica).verify(tokens);
      await storeHolds(5);
      const keys = await sharedKeys();
      const texts = [...keys, ...(await Promise.all(keys.map((k) => inspector.get(k))))].map(
        String,
      );
      const credentials = emulator.credentialsFor('assumed-role');
      const forbidden = [
        CLUSTER,
        credentials.accessKeyId,
        'my-role-name',
        'my-role-session-name',
        '123456789012',
        'sts.us-west-2',
        'X-Amz',
      ];
      for (const token of tokens) {
        const parsed = parseToken(token);
        forbidden.push(token.slice(11, 51), parsed.signature, parsed.url.slice(0, 60));
        forbidden.push(encodeURIComponent(credentials.sessionToken as string).slice(0, 20));
      }
      for (const key of keys) expect(key).toMatch(/^eks-iam-auth:v1:[A-Za-z0-9_-]{43}$/);
      for (const text of texts) {
        expect(text).toMatch(/^[A-Za-z0-9_:-]+$/);
        for (const part of forbidden) expect(text).not.toContain(part);
      }
    });

    it('the expiry is min(now + ttl, token expiry), never past the token', async () => {
      await inspector.flushAll();
      const replica = replicas[0] as Replica;
      const young = (await freshTokens(1))[0] as string;
      // Signed 14 minutes before the anchor: one minute left, less than the ttl.
      const old = (
        await generateToken({
          clusterId: CLUSTER,
          region: REGION,
          credentials: emulator.credentialsFor('root'),
          signingDate: new Date(ANCHOR.getTime() - 14 * 60_000),
        })
      ).token;
      await replica.verify([young, old]);
      await storeHolds(2);
      const expiries = new Map<number, number>();
      for (const key of await sharedKeys()) {
        expiries.set(Number(await inspector.sendCommand(['PEXPIRETIME', key])), 1);
        expect(Number(await inspector.pTTL(key))).toBeGreaterThan(0);
      }
      const youngExpiry = parseToken(young).expiresAt.getTime();
      const oldExpiry = parseToken(old).expiresAt.getTime();
      expect([...expiries.keys()].sort()).toEqual(
        [Math.min(ANCHOR.getTime() + TTL_SECONDS * 1000, youngExpiry), oldExpiry].sort(),
      );
      for (const at of expiries.keys()) expect(at).toBeLessThanOrEqual(youngExpiry);
    });

    describe('a value that does not open is never an identity', () => {
      /** Rewrite every value in the store; then a fresh replica must refuse them all. */
      const TAMPER: [string, (keys: string[]) => Promise<void>][] = [
        [
          'written by hand',
          async (keys) => {
            const forged = Buffer.from(
              JSON.stringify({
                arn: 'arn:aws:iam::123456789012:role/Admin',
                account: '123456789012',
                userId: 'AROAADMIN',
                until: ANCHOR.getTime() + 60_000,
              }),
            ).toString('base64url');
            for (const key of keys) await inspector.set(key, forged);
          },
        ],
        [
          'swapped between keys',
          async (keys) => {
            const values = await Promise.all(keys.map((k) => inspector.get(k)));
            for (const [i, key] of keys.entries()) {
              await inspector.set(key, values[(i + 1) % keys.length] as string);
            }
          },
        ],
        [
          'sealed under another secret',
          async (keys) => {
            const other = await deriveSharedKeys(new TextEncoder().encode(`${SECRET}, not ours`));
            for (const key of keys) {
              const plain = JSON.stringify({
                arn: 'arn:aws:iam::123456789012:role/Admin',
                account: '123456789012',
                userId: 'AROAADMIN',
                until: ANCHOR.getTime() + 60_000,
              });
              await inspector.set(key, await other.seal(plain, key));
            }
          },
        ],
        [
          "another cluster's (same secret, same token)",
          async (keys) => {
            const ours = await deriveSharedKeys(new TextEncoder().encode(SECRET));
            for (const key of keys) {
              const otherKey = `${PREFIX}${await ours.nameOf(`other-cluster\nhttps://x/${key}`)}`;
              const plain = JSON.stringify({
                arn: 'arn:aws:iam::123456789012:role/Admin',
                account: '123456789012',
                userId: 'AROAADMIN',
                until: ANCHOR.getTime() + 60_000,
              });
              await inspector.set(key, await ours.seal(plain, otherKey));
            }
          },
        ],
      ];

      it.each(TAMPER)('%s: refused, STS asked, the value replaced', async (_, tamper) => {
        await inspector.flushAll();
        const [writer, reader, third] = replicas as [Replica, Replica, Replica];
        const tokens = [
          ...(await freshTokens(2)),
          ...(await freshTokens(1, 'root')),
          ...(await freshTokens(1, 'assumed-role')),
        ];
        await writer.verify(tokens);
        await storeHolds(4);
        const keys = await sharedKeys();
        const originals = await Promise.all(keys.map((k) => inspector.get(k)));
        await tamper(keys);
        const before = stsRequests();
        const stats = await sharedStats(reader);
        const results = await reader.verify(tokens);
        expect(results.map((r) => [r.accountId, r.source, r.sharedCache])).toEqual(
          tokens.map(() => ['123456789012', 'sts', 'rejected']),
        );
        expect(stsRequests() - before).toBe(4);
        expect(delta(stats, await sharedStats(reader))).toMatchObject({
          sharedRejected: 4,
          sharedHits: 0,
        });
        // STS's answers were written over the bad values: a third replica hits.
        await vi.waitUntil(
          async () => {
            const now = await Promise.all(keys.map((k) => inspector.get(k)));
            return now.every((v, i) => v !== originals[i] && v !== null);
          },
          { timeout: 10_000, interval: 10 },
        );
        const again = await third.verify(tokens);
        expect(again.every((r) => r.source === 'shared' && r.accountId === '123456789012')).toBe(
          true,
        );
        expect(stsRequests() - before).toBe(4);
      });
    });

    it('redis paused (SIGSTOP) mid-run: no verification fails, nothing sent meanwhile lands later, sharing resumes', async () => {
      await inspector.flushAll();
      const [writer] = replicas as [Replica];
      const reader = survivor;
      const known = await freshTokens(10);
      await writer.verify(known);
      await storeHolds(10);
      const fresh = await freshTokens(5);
      const before = stsRequests();
      server.pause();
      let paused: WorkerResult[];
      try {
        // Known to the store, but it does not answer: STS does, after one
        // store timeout; then fresh tokens, which must not be written.
        paused = await reader.verify([...known.slice(0, 5), ...fresh]);
      } finally {
        server.resume();
      }
      expect(paused.filter((r) => r.accountId === undefined)).toEqual([]);
      expect(paused.map((r) => r.sharedCache)).toEqual(Array(10).fill('error'));
      expect(stsRequests() - before).toBe(10);
      // Whatever the reader had sent has been answered once its PING is.
      await expect(reader.send({ ping: true })).resolves.toBe('PONG');
      expect(await sharedKeys()).toHaveLength(10);
      // Sharing resumes: the rest of the known tokens come from the store.
      const after = await reader.verify(known.slice(5));
      expect(after.map((r) => r.source)).toEqual(Array(5).fill('shared'));
      expect(stsRequests() - before).toBe(10);
    });

    it('redis killed mid-run: no verification fails, nothing queued meanwhile lands later, sharing resumes on restart', async () => {
      await inspector.flushAll();
      const [writer] = replicas as [Replica];
      const reader = survivor;
      const known = await freshTokens(5);
      await writer.verify(known);
      await storeHolds(5);
      const during = await freshTokens(5);
      const before = stsRequests();
      await server.kill();
      const down = await reader.verify([...known, ...during]);
      expect(down.filter((r) => r.accountId === undefined)).toEqual([]);
      expect(down.map((r) => r.sharedCache)).toEqual(Array(10).fill('error'));
      expect(stsRequests() - before).toBe(10);
      await server.restart();
      // node-redis reconnects on its own.
      for (const replica of [...replicas, survivor]) {
        await vi.waitUntil(
          async () => (await replica.send<{ isReady: boolean }>({ ready: true })).isReady,
          { timeout: 20_000, interval: 20 },
        );
        await expect(replica.send({ ping: true })).resolves.toBe('PONG');
      }
      await inspector.ping().catch(() => undefined);
      await vi.waitUntil(() => inspector.isReady, { timeout: 20_000, interval: 20 });
      // Nothing the replicas tried while it was down was replayed on reconnect.
      expect(await sharedKeys()).toEqual([]);
      const next = await freshTokens(3);
      await writer.verify(next);
      await storeHolds(3);
      const shared = await reader.verify(next);
      expect(shared.map((r) => r.source)).toEqual(['shared', 'shared', 'shared']);
      expect(stsRequests() - before).toBe(13);
    });

    it("the guide's iovalkey store (examples/guide/shared-cache-valkey.ts) shares the same way", async () => {
      await inspector.flushAll();
      const client = new Valkey(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
      client.on('error', () => {});
      try {
        await vi.waitUntil(() => client.status === 'ready', { timeout: 10_000, interval: 10 });
        const [token] = await freshTokens(1);
        const make = (): ReturnType<typeof createVerifier> =>
          createVerifier({
            clusterId: CLUSTER,
            region: REGION,
            currentDate: ANCHOR,
            retries: 0,
            fetch: emulator.fetch,
            sharedCache: { store: valkeyStore(client), secret: SECRET, timeout: 10_000 },
          });
        const before = stsRequests();
        await make().verify(token as string);
        await storeHolds(1);
        const [key] = await sharedKeys();
        expect(Number(await inspector.sendCommand(['PEXPIRETIME', key as string]))).toBe(
          ANCHOR.getTime() + 120_000,
        );
        const other = make();
        await expect(other.verify(token as string)).resolves.toMatchObject({
          accountId: '123456789012',
        });
        expect(other.stats()).toMatchObject({ sharedHits: 1, stsRequests: 0 });
        // A node-redis replica reads what the iovalkey one wrote, and back.
        const replica = replicas[2] as Replica;
        const results = await replica.verify([token as string]);
        expect(results[0]).toMatchObject({ source: 'shared' });
        expect(stsRequests() - before).toBe(1);
        // Not connected: refused at once, nothing queued.
        client.disconnect();
        await vi.waitUntil(() => client.status === 'end', { timeout: 10_000, interval: 10 });
        await expect(valkeyStore(client).get(key as string)).rejects.toThrow(/not connected/);
      } finally {
        client.disconnect();
      }
    });
  },
);
