/**
 * `parseAwsAuth` on hostile 1 MiB ConfigMaps (bench/hostile-inputs.ts), and
 * `parseRbac` and `parseAccessEntries` on hostile inputs of their own, each
 * in a fresh process with a 256 MiB heap limit (bench/hostile-worker.ts):
 * the worst parse time and heap (SPEC 4.1, for every parser of 4.5 and 4.8
 * too: under 2 s and 256 MiB).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { HOSTILE, HOSTILE_OTHER } from './hostile-inputs.js';
import { formatMs, verdict } from './report.js';
import type { Row, Section } from './report.js';

interface WorkerResult {
  name: string;
  length: number;
  ms: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  kept: number;
  diagnostics: number;
  /** The error code a reader refused the input with (counted as parsed). */
  refused?: string;
}

const HEAP_LIMIT_MIB = 256;

function runWorker(root: string, name: string): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        `--max-old-space-size=${HEAP_LIMIT_MIB}`,
        '--expose-gc',
        '--import',
        'tsx',
        path.join('bench', 'hostile-worker.ts'),
        name,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`hostile worker (${name}) exited ${code}: ${stderr.slice(0, 500)}`));
        return;
      }
      resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as WorkerResult);
    });
  });
}

/** Run the hostile-input benchmark: each input `rounds` times, the fastest kept (the machine is shared). */
export async function benchHostile(root: string, rounds: number): Promise<Section> {
  const rows: Row[] = [];
  const missed: string[] = [];
  for (const name of [...Object.keys(HOSTILE), ...Object.keys(HOSTILE_OTHER)]) {
    let best: WorkerResult | undefined;
    let heap = 0;
    for (let i = 0; i < rounds; i += 1) {
      const result = await runWorker(root, name);
      if (best === undefined || result.ms < best.ms) best = result;
      heap = Math.max(heap, result.heapTotalMiB);
    }
    if (best === undefined) continue;
    const ok = best.ms < 2000 && heap < HEAP_LIMIT_MIB;
    const parser = HOSTILE_OTHER[name]?.parser ?? 'parseAwsAuth';
    const outcome =
      best.refused === undefined
        ? `${best.kept.toLocaleString('en-US')} kept, ${best.diagnostics.toLocaleString('en-US')} diagnostics`
        : `refused, ${best.refused}`;
    rows.push({
      what: `${parser}, hostile ${(best.length / 1024).toFixed(0)} KiB: ${name} (${outcome})`,
      value: `${formatMs(best.ms)}, heap ${heap.toFixed(0)} MiB`,
      versus: '—',
      ratio: '—',
      target: '< 2 s, < 256 MiB',
      verdict: verdict(ok),
    });
    if (!ok) missed.push(`${name}: ${formatMs(best.ms)}, heap ${heap.toFixed(0)} MiB.`);
    process.stderr.write(`hostile ${name}: ${formatMs(best.ms)}, ${heap.toFixed(0)} MiB\n`);
  }
  return {
    title: 'Parsers: hostile inputs',
    method:
      'Each input is 1 MiB of `aws-auth` data built to hit one cost of the reader (many' +
      ' entries, duplicates, case-variant users, 100,000 groups, 1,020-character keys, 1,000-deep' +
      ' nesting, alias fan-out at go-yaml’s aliasing bound, tabs and escapes js-yaml refuses and' +
      ' the reader retries, NEL/LS line breaks, a syntax error through the aws-auth hints, a junk' +
      ' second document, 60,000 accounts). `parseRbac` and `parseAccessEntries` get their own:' +
      ' ClusterRole aggregation just under its work bound, many objects and subjects, deep' +
      ' nesting, aliases; many entries, 500,000-deep JSON, runs of escapes, a syntax error after' +
      ' 1 MiB. Each is parsed by its reader in a fresh process' +
      ' started with `--max-old-space-size=256`; the time is the fastest of the rounds, the heap' +
      ' the largest `heapTotal` right after the parse.',
    rows,
    notes: missed,
  };
}
