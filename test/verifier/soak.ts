/**
 * The verifier's memory soak, shared by the test suite (a short run) and the
 * benchmark (`bench/verifier.ts`, 1,000,000 verifications of 100,000
 * distinct tokens): many verifications of many distinct tokens through a
 * bounded cache, against the in-process fake STS, sampling the cache size
 * and `heapUsed` after forced collections.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Verifier, VerifierOptions } from '../../src/verifier/create.js';
import { loadVector } from '../support/vectors.js';
import type { BotocoreVectorFile } from '../support/vectors.js';
import { distinctTokens, fakeStsFetch } from './fake-sts.js';

/** How long and how wide the soak is. */
export interface SoakOptions {
  verifications: number;
  distinct: number;
  maxEntries: number;
  /** Heap samples after the warm-up (the first sample is taken after it). */
  samples: number;
  /** Calls in flight at once. */
  inFlight: number;
}

/** One sample: after how many verifications, the heap and the cache. */
export interface SoakSample {
  after: number;
  heapUsed: number;
  entries: number;
}

/** What the soak measured. */
export interface SoakResult {
  samples: SoakSample[];
  /** The largest `stats().entries` seen at any sample. */
  maxEntriesSeen: number;
  stats: ReturnType<Verifier['stats']>;
  /** Requests the fake STS received. */
  stsRequests: number;
  seconds: number;
}

/** `global.gc`, exposing it first if the process was started without `--expose-gc`. */
export function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing !== undefined) return existing;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** The token the soak varies, and an instant at which it is fresh. */
export function soakToken(): { token: string; now: Date } {
  const vector = loadVector<BotocoreVectorFile>('botocore-tokens.json').vectors.find(
    (v) => v.id === 'us-west-2-regional-static-demo',
  );
  if (vector === undefined) throw new Error('vector us-west-2-regional-static-demo is missing');
  return {
    token: vector.expected.token,
    now: new Date(Date.parse(vector.input.signingTime) + 60_000),
  };
}

/** Run the soak with `create` (the source's or the built package's `createVerifier`). */
export async function runVerifierSoak(
  create: (options: VerifierOptions) => Verifier,
  options: SoakOptions,
): Promise<SoakResult> {
  const gc = exposeGc();
  const heap = (): number => {
    // Twice: the first collection may only promote what the second frees.
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const { token, now } = soakToken();
  const tokens = distinctTokens(token, options.distinct);
  const fetch = fakeStsFetch({ light: true });
  const verifier = create({
    clusterId: 'demo',
    region: 'us-west-2',
    currentDate: now,
    fetch,
    cache: { maxEntries: options.maxEntries },
  });
  // A fixed pseudo-random walk over the tokens (some repeat while cached).
  let state = 0x2545f491;
  const next = (): string => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return tokens[state % tokens.length] as string;
  };
  let started = 0;
  const run = async (until: number): Promise<void> => {
    const lane = async (): Promise<void> => {
      while (started < until) {
        started++;
        await verifier.verify(next());
      }
    };
    await Promise.all(Array.from({ length: options.inFlight }, lane));
  };

  // Warm-up: fill the cache and tier up the JIT before the first sample.
  const warmup = Math.min(options.verifications, options.maxEntries * 2);
  await run(warmup);
  const samples: SoakSample[] = [];
  const sample = (): void => {
    samples.push({ after: started, heapUsed: heap(), entries: verifier.stats().entries });
  };
  sample();
  const begin = performance.now();
  const step = Math.max(1, Math.floor(options.verifications / options.samples));
  for (let target = step; target <= options.verifications; target += step) {
    await run(target);
    sample();
  }
  const seconds = (performance.now() - begin) / 1000;
  return {
    samples,
    maxEntriesSeen: Math.max(...samples.map((s) => s.entries)),
    stats: verifier.stats(),
    stsRequests: fetch.count,
    seconds,
  };
}
