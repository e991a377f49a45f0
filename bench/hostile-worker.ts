/**
 * One hostile input parsed in a fresh process (bench/hostile.ts starts it
 * with a 256 MiB heap limit): prints the parse time and the heap it took.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { parseAwsAuth } from 'eks-iam-auth';
import { HOSTILE } from './hostile-inputs.js';

const name = process.argv[2] as string;
const make = HOSTILE[name];
if (make === undefined) throw new Error(`no hostile input ${name}`);
const input = make();
const length =
  typeof input === 'string' ? input.length : Object.values(input).reduce((n, v) => n + v.length, 0);
globalThis.gc?.();
const before = process.memoryUsage().heapUsed;
const start = performance.now();
const parsed = parseAwsAuth(input);
const ms = performance.now() - start;
const after = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    name,
    length,
    ms,
    heapUsedMiB: (after.heapUsed - before) / 1024 / 1024,
    heapTotalMiB: after.heapTotal / 1024 / 1024,
    kept: parsed.mapRoles.length + parsed.mapUsers.length + parsed.mapAccounts.length,
    diagnostics: parsed.diagnostics.length,
  })}\n`,
);
