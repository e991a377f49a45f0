/**
 * The shared cache (SPEC 3.7, 8): 4 replica processes verifying the same
 * 1,000 tokens through one real redis-server, against the loopback STS
 * emulator in this process.
 *
 * - Staggered: the first replica verifies the 1,000 tokens, then the other
 *   three do, at once. STS requests: target 1,000 (each token once in the
 *   fleet). The same without the shared cache: 4,000.
 * - Latencies: a shared hit (the other three replicas' first pass), an
 *   in-process hit (a replica's second pass), an STS round trip (a replica
 *   without the shared cache, first pass), p50 of every call.
 * - Racing: 4 fresh replicas start on the same 1,000 fresh tokens at the
 *   same instant, in the same order: how many STS requests beyond 1,000 the
 *   race costs (no distributed lock: replicas asking at the same instant
 *   each ask STS).
 *
 * Needs `redis-server` on PATH; without it the section says so and measures
 * nothing.
 *
 * @module
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateToken } from 'eks-iam-auth';
import { createClient } from 'redis';
import { startRedisServer } from '../test/support/redis-server.js';
import { findOnPath } from '../test/support/tools.js';
import type { RedisServer } from '../test/support/redis-server.js';
import { startStsEmulator } from '../test/support/sts-emulator.js';
import type { StsEmulator } from '../test/support/sts-emulator.js';
import { percentile } from './harness.js';
import { formatMs, formatRatio, verdict } from './report.js';
import type { Row, Section } from './report.js';
import type { RunReport, WorkerMessage } from './shared-cache-worker.js';

const REPLICAS = 4;
const TOKENS = 1_000;
/** Calls in flight in each replica for the request counts. */
const LANES = 4;
const CLUSTER = 'fleet';
const REGION = 'us-west-2';
const SECRET = 'the benchmark fleet secret, 32 bytes or more';

interface Replica {
  /** Verify every token once, `lanes` calls in flight (default {@link LANES}). */
  run(tokens: string[], lanes?: number): Promise<RunReport>;
  close(): Promise<void>;
}

interface Fleet {
  root: string;
  distDir: string;
  emulator: StsEmulator;
  redis: RedisServer;
  now: Date;
}

async function startReplica(fleet: Fleet, shared: boolean): Promise<Replica> {
  const child: ChildProcess = fork(path.join('bench', 'shared-cache-worker.ts'), [], {
    cwd: fleet.root,
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      DIST: pathToFileURL(path.join(fleet.distDir, 'index.js')).href,
      EMULATOR_URL: fleet.emulator.url,
      CLUSTER,
      REGION,
      NOW: String(fleet.now.getTime()),
      SECRET,
      ...(shared ? { REDIS_URL: fleet.redis.url } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`replica exited (${code}) before it started`)));
  });
  return {
    run: (tokens, lanes = LANES) =>
      new Promise<RunReport>((resolve) => {
        child.once('message', (report) => resolve(report as RunReport));
        child.send({ run: tokens, lanes } satisfies WorkerMessage);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (!child.connected) return resolve();
        child.once('exit', () => resolve());
        child.send({ quit: true } satisfies WorkerMessage);
      }),
  };
}

async function startReplicas(fleet: Fleet, shared: boolean): Promise<Replica[]> {
  return Promise.all(Array.from({ length: REPLICAS }, () => startReplica(fleet, shared)));
}

/** `TOKENS` tokens the emulator accepts, each signed with its own access key. */
async function fleetTokens(emulator: StsEmulator, now: Date, tag: string): Promise<string[]> {
  const base = emulator.credentialsFor('iam-user');
  const tokens: string[] = [];
  for (let i = 0; i < TOKENS; i++) {
    const accessKeyId = `AKIA${tag}${i.toString().padStart(16 - tag.length, '0')}`;
    emulator.addPrincipal({
      accessKeyId,
      secretAccessKey: base.secretAccessKey,
      caseId: 'iam-user',
    });
    const generated = await generateToken({
      clusterId: CLUSTER,
      region: REGION,
      credentials: { accessKeyId, secretAccessKey: base.secretAccessKey },
      signingDate: new Date(now.getTime() - 30_000),
    });
    tokens.push(generated.token);
  }
  return tokens;
}

function check(report: RunReport, expected: Record<string, number>, what: string): void {
  if (report.failed > 0) throw new Error(`${what}: ${report.failed} verifications failed`);
  for (const [name, value] of Object.entries(expected)) {
    if (report.stats[name] !== value) {
      throw new Error(`${what}: ${name} is ${report.stats[name]}, expected ${value}`);
    }
  }
}

const p50 = (values: number[]): number => percentile(values, 50);
const count = (n: number): string => n.toLocaleString('en-US');

/** Run the shared-cache benchmark against the built package in `distDir`. */
export async function benchSharedCache(root: string, distDir: string): Promise<Section> {
  const title = 'A fleet sharing one cache: createVerifier on Redis';
  const executable = findOnPath('redis-server');
  if (executable === undefined) {
    return {
      title,
      method: 'Needs `redis-server` on PATH (Debian: `apt-get install redis-server`).',
      rows: [
        {
          what: 'shared cache (not measured: no redis-server)',
          value: '—',
          versus: '—',
          ratio: '—',
          target: '—',
          verdict: 'skipped',
        },
      ],
      notes: [],
    };
  }
  // Redis expires keys on the real clock: the fleet runs on a fixed instant read from it once.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const emulator = await startStsEmulator({ now: () => now });
  const redis = await startRedisServer(executable);
  const inspector = createClient({ url: redis.url });
  inspector.on('error', () => {});
  await inspector.connect();
  const fleet: Fleet = { root, distDir, emulator, redis, now };
  const replicas: Replica[] = [];
  const started = async (shared: boolean): Promise<Replica[]> => {
    const group = await startReplicas(fleet, shared);
    replicas.push(...group);
    return group;
  };
  try {
    const tokens = await fleetTokens(emulator, now, 'STAG');
    const requests = (): number => emulator.requests.length;

    // Staggered, with the shared cache.
    const [first, ...others] = await started(true);
    let before = requests();
    const leading = await (first as Replica).run(tokens);
    check(leading, { stsRequests: TOKENS }, 'first replica');
    // Its writes finish on their own: wait until the store holds them (a
    // write skipped while the store seemed hung is a miss for the others).
    const deadline = Date.now() + 30_000;
    while ((await inspector.dbSize()) < TOKENS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const written = await inspector.dbSize();
    const behind = await Promise.all(others.map((r) => r.run(tokens)));
    for (const report of behind) check(report, {}, 'replica behind');
    const storeErrors = [leading, ...behind].reduce(
      (n, r) => n + (r.stats['sharedErrors'] ?? 0),
      0,
    );
    const staggered = requests() - before;

    // Latencies, one call at a time: a fifth replica reads the store (shared
    // hits), then its own memory; one without the shared cache asks STS.
    const [reader] = await started(true);
    const shared = await (reader as Replica).run(tokens, 1);
    check(shared, { stsRequests: 0, sharedHits: TOKENS }, 'reader, first pass');
    const memory = await (reader as Replica).run(tokens, 1);
    check(memory, { hits: TOKENS }, 'reader, second pass');

    // Staggered, without the shared cache (the first replica's pass timed).
    const [alone, ...alsoAlone] = await started(false);
    before = requests();
    const sts = await (alone as Replica).run(tokens, 1);
    check(sts, { stsRequests: TOKENS }, 'replica without the shared cache');
    await Promise.all(alsoAlone.map((r) => r.run(tokens)));
    const withoutShared = requests() - before;

    // Racing: fresh replicas, fresh tokens, an empty store, all at once.
    await inspector.flushAll();
    const racingTokens = await fleetTokens(emulator, now, 'RACE');
    const racers = await started(true);
    before = requests();
    const raced = await Promise.all(racers.map((r) => r.run(racingTokens)));
    for (const report of raced) check(report, {}, 'racing replica');
    const racing = requests() - before;
    const racingHits = raced.reduce((n, r) => n + (r.stats['sharedHits'] ?? 0), 0);

    const sharedHit = p50(shared.durations);
    const memoryHit = p50(memory.durations);
    const stsTrip = p50(sts.durations);
    const rows: Row[] = [
      {
        what: `STS requests, ${REPLICAS} replicas × the same ${count(TOKENS)} tokens, first replica ahead`,
        value: count(staggered),
        versus: `without the shared cache ${count(withoutShared)}`,
        ratio: formatRatio(staggered / withoutShared),
        target: `= ${count(TOKENS)}`,
        verdict: verdict(staggered === TOKENS),
      },
      {
        what: `STS requests without the shared cache (${REPLICAS} × ${count(TOKENS)})`,
        value: count(withoutShared),
        versus: '—',
        ratio: '—',
        target: `= ${count(REPLICAS * TOKENS)}`,
        verdict: verdict(withoutShared === REPLICAS * TOKENS),
      },
      {
        what: 'shared hit p50 (a replica behind, first pass, one call at a time)',
        value: formatMs(sharedHit),
        versus: `STS round trip ${formatMs(stsTrip)}`,
        ratio: formatRatio(sharedHit / stsTrip),
        target: '< the STS round trip',
        verdict: verdict(sharedHit < stsTrip),
      },
      {
        what: 'in-process hit p50 (the same replica, second pass)',
        value: formatMs(memoryHit),
        versus: `shared hit ${formatMs(sharedHit)}`,
        ratio: formatRatio(memoryHit / sharedHit),
        target: '—',
        verdict: 'info',
      },
      {
        what: 'STS round trip p50 (a replica without the shared cache, to the emulator)',
        value: formatMs(stsTrip),
        versus: '—',
        ratio: '—',
        target: '—',
        verdict: 'info',
      },
      {
        what: `STS requests, ${REPLICAS} replicas racing on ${count(TOKENS)} fresh tokens`,
        value: count(racing),
        versus: `${count(TOKENS)} if staggered`,
        ratio: formatRatio(racing / TOKENS),
        target: '—',
        verdict: 'info',
      },
    ];
    return {
      title,
      method:
        `${REPLICAS} replica processes, each a \`createVerifier\` of the built package with` +
        ' `sharedCache` on one real `redis-server` (Debian package, loopback, no persistence)' +
        ' through the node-redis client and `redisStore`, asking the loopback STS emulator in the' +
        ` bench process. ${count(TOKENS)} tokens, each signed with its own access key; every` +
        ` replica verifies each once, ${LANES} calls in flight. Staggered: the first replica` +
        ' verifies them all, then (once its writes are in the store) the other three at once.' +
        ' Without the shared cache: the same with four replicas that have none. Racing: four' +
        ' fresh replicas on fresh tokens and an empty store, all starting at once, in the same' +
        ' order. STS requests are counted by the emulator. Latencies are of whole' +
        ' `verifier.verify` calls made one at a time (p50 of 1,000): a fifth replica reading' +
        ' the tokens the fleet stored (shared hits), then again (in-process hits), and a' +
        ' replica without the shared cache (an STS round trip). Default options throughout' +
        ' (store timeout 50 ms).',
      rows,
      notes: [
        `The first replica's writes in the store: ${count(written)} of ${count(TOKENS)};` +
          ` store calls that failed or timed out (50 ms) in the staggered run: ${count(storeErrors)}.`,
        `Racing costs ${count(racing - TOKENS)} STS requests beyond ${count(TOKENS)}` +
          ` (${formatRatio(racing / TOKENS)}); the racers still found ${count(racingHits)} of` +
          ` their ${count(REPLICAS * TOKENS)} answers in the store. There is no distributed` +
          ' lock: replicas that ask for one token at the same instant each ask STS (SPEC 3.7).',
        'A shared hit is the local checks, the in-process miss, the HMAC name of the key, one' +
          ' Redis GET round trip, the AES-256-GCM open and the identity checks of an STS answer.',
      ],
    };
  } finally {
    await Promise.all(replicas.map((r) => r.close()));
    await inspector.close().catch(() => undefined);
    await redis.stop();
    await emulator.close();
  }
}
