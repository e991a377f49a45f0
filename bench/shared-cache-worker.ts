/**
 * One replica of the shared-cache benchmark (bench/shared-cache.ts), a child
 * process run with `--import tsx`: a `createVerifier` of the built package,
 * with the shared cache on a real redis-server when REDIS_URL is set, asking
 * the parent's STS emulator.
 *
 * The parent sends `{ run: tokens, lanes }`: every token is verified once,
 * `lanes` calls in flight, each call timed; the answer is the durations,
 * the number of failed calls, and `verifier.stats()` after the run (the
 * parent tells from the counters where the answers came from). `{ quit }`
 * ends the process.
 *
 * Environment: DIST (URL of the built package), EMULATOR_URL, CLUSTER,
 * REGION, NOW (epoch ms), and for the shared cache REDIS_URL and SECRET.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import type * as Library from 'eks-iam-auth';
import { createClient } from 'redis';
import { fetchToEmulator } from '../test/support/sts-emulator.js';

/** What one `run` reports. */
export interface RunReport {
  /** Milliseconds per successful call. */
  durations: number[];
  failed: number;
  /** `verifier.stats()` after the run. */
  stats: Record<string, number>;
}

/** A message to the worker. */
export type WorkerMessage = { run: string[]; lanes: number } | { quit: true };

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`shared-cache-worker: ${name} is not set`);
  return value;
}

const { createVerifier, redisStore } = (await import(
  process.env['DIST'] ?? 'eks-iam-auth'
)) as typeof Library;

const redisUrl = process.env['REDIS_URL'];
let client: ReturnType<typeof createClient> | undefined;
if (redisUrl !== undefined) {
  client = createClient({ url: redisUrl });
  client.on('error', () => {});
  await client.connect();
}

const verifier = createVerifier({
  clusterId: env('CLUSTER'),
  region: env('REGION'),
  currentDate: new Date(Number(env('NOW'))),
  retries: 0,
  fetch: fetchToEmulator(env('EMULATOR_URL')),
  ...(client === undefined
    ? {}
    : { sharedCache: { store: redisStore(client), secret: env('SECRET') } }),
});

async function run(tokens: string[], lanes: number): Promise<RunReport> {
  const report: RunReport = { durations: [], failed: 0, stats: {} };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tokens.length) {
      const token = tokens[next++] as string;
      const started = performance.now();
      try {
        await verifier.verify(token);
        report.durations.push(performance.now() - started);
      } catch {
        report.failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  const { throttledUntil: _, ...counters } = verifier.stats();
  report.stats = counters as Record<string, number>;
  return report;
}

process.on('message', (message: WorkerMessage) => {
  if ('quit' in message) {
    void (client?.close() ?? Promise.resolve()).finally(() => process.disconnect());
    return;
  }
  void run(message.run, message.lanes).then((report) => process.send?.(report));
});
process.send?.({ started: true });
