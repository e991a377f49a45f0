/**
 * Timing primitives for the benchmark: throughput with warm-up and
 * interleaved rounds, sequential latency percentiles, and throughput with a
 * fixed number of calls in flight.
 *
 * Rounds of the subjects being compared are interleaved (A B C, then C B A
 * rotated, …) so that CPU frequency drift, GC, JIT tiering and other load on
 * the machine hit every subject alike, and each timed round starts after a
 * short untimed settle of the same subject, so one subject's garbage is not
 * collected on the next one's clock. The reported figure is the median
 * round, which a single slow round cannot move.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';

/** One function to time. It may return a promise; it is then awaited. */
export interface Subject {
  /** Label in the report. */
  name: string;
  /** One operation. */
  fn: () => unknown;
}

/** Tuning for {@link compareThroughput}. */
export interface ThroughputOptions {
  /** Time each subject runs, untimed, before the first round. @default 1000 */
  warmupMs?: number;
  /** Duration of one timed round of one subject. @default 500 */
  roundMs?: number;
  /** Timed rounds per subject. @default 7 */
  rounds?: number;
  /**
   * What rounds are timed by: `wall`, the elapsed time (`performance.now()`);
   * or `cpu`, the CPU time this process used (`process.cpuUsage()`), for
   * subjects that only compute: on a machine other work shares, the time the
   * process waits for a core is not theirs. @default 'wall'
   */
  clock?: 'wall' | 'cpu';
}

type Clock = () => number;

const wallClock: Clock = () => performance.now();

/** Milliseconds of CPU time this process has used (user and system). */
const cpuClock: Clock = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Operations per second of one subject. */
export interface ThroughputResult {
  name: string;
  /** Median over rounds. */
  opsPerSec: number;
  /** Slowest round. */
  minOpsPerSec: number;
  /** Fastest round. */
  maxOpsPerSec: number;
  /** Operations counted over all timed rounds. */
  totalOps: number;
}

/** Sequential latency percentiles, in milliseconds. */
export interface LatencyResult {
  name: string;
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (0–100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  if (p === 50 && sorted.length % 2 === 0) {
    const hi = sorted.length / 2;
    return ((sorted[hi - 1] as number) + (sorted[hi] as number)) / 2;
  }
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/**
 * A sink that results are folded into, so the JIT cannot prove an operation
 * useless and remove it.
 */
let sink = 0;
function consume(value: unknown): void {
  if (typeof value === 'string') sink = (sink + value.length) | 0;
  else if (value !== null && typeof value === 'object') sink = (sink + 1) | 0;
}

/** Read the sink (printed once by the runner so it is observably used). */
export function sinkValue(): number {
  return sink;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Run `fn` for about `ms` milliseconds; return [operations, elapsed ms]. */
async function runFor(
  fn: () => unknown,
  ms: number,
  isAsync: boolean,
  clock: Clock = wallClock,
): Promise<[number, number]> {
  let ops = 0;
  const start = clock();
  const deadline = start + ms;
  // Check the clock once per batch: performance.now() costs about as much as
  // the cheapest operations measured here.
  let batch = 1;
  for (;;) {
    const batchStart = clock();
    if (isAsync) {
      for (let i = 0; i < batch; i++) consume(await fn());
    } else {
      for (let i = 0; i < batch; i++) consume(fn());
    }
    ops += batch;
    const now = clock();
    if (now >= deadline) return [ops, now - start];
    // Aim for batches of about 2 ms.
    const took = now - batchStart;
    if (took < 1 && batch < 1 << 20) batch *= 2;
  }
}

/**
 * The order of subjects in round `round`: rotated every round and reversed
 * every other round, so each subject follows each other one in turn.
 */
function roundOrder(count: number, round: number): number[] {
  const order = Array.from({ length: count }, (_, k) => (k + round) % count);
  return round % 2 === 1 ? order.reverse() : order;
}

/**
 * Throughput of each subject, rounds interleaved. Subjects that return a
 * promise are awaited one at a time (no concurrency).
 */
export async function compareThroughput(
  subjects: readonly Subject[],
  options: ThroughputOptions = {},
): Promise<ThroughputResult[]> {
  const { warmupMs = 1000, roundMs = 500, rounds = 7 } = options;
  const clock = options.clock === 'cpu' ? cpuClock : wallClock;
  const settleMs = Math.min(100, roundMs / 4);
  const asyncFlags: boolean[] = [];
  for (const subject of subjects) {
    const first = subject.fn();
    const isAsync = isThenable(first);
    if (isAsync) consume(await first);
    asyncFlags.push(isAsync);
    await runFor(subject.fn, warmupMs, isAsync, clock);
  }
  const perRound: number[][] = subjects.map(() => []);
  const totals: number[] = subjects.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    for (const index of roundOrder(subjects.length, round)) {
      const subject = subjects[index] as Subject;
      const isAsync = asyncFlags[index] as boolean;
      // Settle first: garbage left by the previous subject is collected on
      // this subject's untimed time, not its timed round.
      await runFor(subject.fn, settleMs, isAsync, clock);
      const [ops, elapsed] = await runFor(subject.fn, roundMs, isAsync, clock);
      (perRound[index] as number[]).push((ops / elapsed) * 1000);
      totals[index] = (totals[index] as number) + ops;
    }
  }
  return subjects.map((subject, i) => {
    const rates = perRound[i] as number[];
    return {
      name: subject.name,
      opsPerSec: median(rates),
      minOpsPerSec: Math.min(...rates),
      maxOpsPerSec: Math.max(...rates),
      totalOps: totals[i] as number,
    };
  });
}

/**
 * Sequential latency of each subject: `samples` calls each, interleaved call
 * by call (A B A B …) after `warmup` untimed calls each.
 */
export async function compareLatency(
  subjects: readonly Subject[],
  samples: number,
  warmup: number,
): Promise<LatencyResult[]> {
  for (const subject of subjects) {
    for (let i = 0; i < warmup; i++) consume(await subject.fn());
  }
  const times: number[][] = subjects.map(() => []);
  for (let i = 0; i < samples; i++) {
    for (let k = 0; k < subjects.length; k++) {
      const index = (k + i) % subjects.length;
      const start = performance.now();
      consume(await (subjects[index] as Subject).fn());
      (times[index] as number[]).push(performance.now() - start);
    }
  }
  return subjects.map((subject, i) => {
    const list = times[i] as number[];
    return {
      name: subject.name,
      samples: list.length,
      p50: percentile(list, 50),
      p90: percentile(list, 90),
      p99: percentile(list, 99),
      mean: list.reduce((a, b) => a + b, 0) / list.length,
    };
  });
}

/** Complete `total` calls of `fn` with at most `inFlight` pending; return calls per second. */
export async function concurrentThroughput(
  fn: () => Promise<unknown>,
  total: number,
  inFlight: number,
): Promise<number> {
  let started = 0;
  const start = performance.now();
  async function lane(): Promise<void> {
    while (started < total) {
      started++;
      consume(await fn());
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, lane));
  return (total / (performance.now() - start)) * 1000;
}

/**
 * Throughput at `inFlight` concurrency for each subject: `rounds` runs of
 * `total` calls, interleaved, after one warm-up run each; median of rounds.
 */
export async function compareConcurrent(
  subjects: readonly { name: string; fn: () => Promise<unknown> }[],
  options: { total: number; inFlight: number; rounds: number },
): Promise<ThroughputResult[]> {
  const { total, inFlight, rounds } = options;
  for (const subject of subjects) await concurrentThroughput(subject.fn, total, inFlight);
  const perRound: number[][] = subjects.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const index of roundOrder(subjects.length, round)) {
      const subject = subjects[index] as { fn: () => Promise<unknown> };
      (perRound[index] as number[]).push(await concurrentThroughput(subject.fn, total, inFlight));
    }
  }
  return subjects.map((subject, i) => {
    const rates = perRound[i] as number[];
    return {
      name: subject.name,
      opsPerSec: median(rates),
      minOpsPerSec: Math.min(...rates),
      maxOpsPerSec: Math.max(...rates),
      totalOps: total * rounds,
    };
  });
}

/** Median wall time, in milliseconds, of `runs` calls of `fn` (after one warm-up call). */
export async function medianTime(fn: () => unknown, runs: number): Promise<number> {
  consume(await fn());
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    consume(await fn());
    times.push(performance.now() - start);
  }
  return median(times);
}
