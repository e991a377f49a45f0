/**
 * What bench/soak.ts and its child process (bench/soak-worker.ts) exchange.
 *
 * @module
 */

/** Environment variable naming the `index.js` (file URL) the worker imports. */
export const DIST_ENV = 'EKS_IAM_AUTH_BENCH_DIST';

/** What the worker prints, as one JSON line. */
export interface SoakSamples {
  iterations: number;
  /** `[iterations done, heapUsed bytes after GC]`, first at 0 (after warm-up). */
  samples: [number, number][];
  seconds: number;
}
