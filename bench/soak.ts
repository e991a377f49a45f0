/**
 * Memory soak: a million generate → parse → map iterations in a child process
 * with `--expose-gc` (bench/soak-worker.ts), `heapUsed` sampled after forced
 * collections. A leak of even a few bytes per iteration shows as megabytes.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatBytes, verdict } from './report.js';
import type { Section } from './report.js';
import { DIST_ENV } from './soak-protocol.js';
import type { SoakSamples } from './soak-protocol.js';

/** Growth allowed over the whole soak before it counts as a leak. */
const NOISE_BYTES = 2_000_000;

function runWorker(root: string, distDir: string, iterations: number): Promise<SoakSamples> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', path.join('bench', 'soak-worker.ts'), String(iterations)],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, [DIST_ENV]: pathToFileURL(path.join(distDir, 'index.js')).href },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`soak worker exited ${code}: ${stderr.slice(0, 1000)}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as SoakSamples);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** Least-squares slope of heapUsed over iterations, in bytes per iteration. */
function slope(samples: readonly [number, number][]): number {
  const n = samples.length;
  const mx = samples.reduce((a, [x]) => a + x, 0) / n;
  const my = samples.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of samples) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** Run the soak. */
export async function benchSoak(
  root: string,
  distDir: string,
  iterations: number,
): Promise<Section> {
  const result = await runWorker(root, distDir, iterations);
  const first = result.samples[0]?.[1] ?? 0;
  const last = result.samples[result.samples.length - 1]?.[1] ?? 0;
  const heaps = result.samples.map(([, heap]) => heap);
  const growth = last - first;
  const perIteration = slope(result.samples);
  return {
    title: 'Memory soak',
    method:
      `${iterations.toLocaleString('en-US')} iterations of generateToken → parseToken →` +
      ' mapIdentity (1,000-entry aws-auth) in a child process run with `--expose-gc`;' +
      ` \`heapUsed\` after two forced collections, sampled ${result.samples.length - 1} times` +
      ' after a 20,000-iteration warm-up.',
    rows: [
      {
        what: 'heapUsed before → after',
        value: `${formatBytes(first)} → ${formatBytes(last)}`,
        versus: '—',
        ratio: '—',
        target: `growth < ${formatBytes(NOISE_BYTES)}`,
        verdict: verdict(growth < NOISE_BYTES),
      },
      {
        what: 'heapUsed range over the samples / trend',
        value: `${formatBytes(Math.min(...heaps))} – ${formatBytes(Math.max(...heaps))}`,
        versus: '—',
        ratio: `${perIteration.toFixed(3)} B/iteration`,
        target: '—',
        verdict: 'info',
      },
    ],
    notes: [
      ...(growth >= NOISE_BYTES
        ? [
            `The heap grew by ${formatBytes(growth)} (${(growth / iterations).toFixed(1)} bytes per` +
              ' iteration): something retains memory per call; a heap snapshot of the worker shows what.',
          ]
        : []),
      `The soak took ${result.seconds.toFixed(1)} s (${Math.round(iterations / result.seconds).toLocaleString('en-US')} iterations/s).`,
      `Samples (iterations: heapUsed): ${result.samples
        .map(([i, heap]) => `${i.toLocaleString('en-US')}: ${formatBytes(heap)}`)
        .join('; ')}.`,
    ],
  };
}
