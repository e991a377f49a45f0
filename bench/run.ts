/**
 * The benchmark entry point (`npm run bench`, which builds first): runs every
 * section against the built package and writes `docs/benchmarks.md`.
 * `npm run bench` sets `TSX_TSCONFIG_PATH=bench/tsconfig.json`, which drops
 * the root tsconfig's `paths` entry, so `import 'eks-iam-auth'` resolves as
 * Node resolves it (the package's own `exports`: `dist/`) in this process
 * and in the worker processes it starts, not to `src/`.
 *
 * Flags:
 * - `--quick`: short rounds, for checking the harness.
 * - `--only=generate,parse,verify,map,lookup,hostile,startup,size,soak,verifier,verifier-soak,shared-cache,authz`: run only these sections.
 * - `--no-soak`: skip the memory soaks (they run by default and take the longest).
 *
 * With `--quick`, `--only` or `--no-soak` nothing is written unless `--out` is given, so a
 * partial run never replaces the full report.
 * - `--soak-iterations=N`: soak length (default 1,000,000).
 * - `--out=FILE`: where to write the report (default docs/benchmarks.md).
 *
 * Numbers are printed to standard error as sections finish. Never run from
 * the test suite: timings are not assertions.
 *
 * @module
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { benchAuthz } from './authz.js';
import { benchGenerate } from './generate.js';
import { benchHostile } from './hostile.js';
import { sinkValue } from './harness.js';
import type { ThroughputOptions } from './harness.js';
import { benchLookup } from './lookup.js';
import { benchMap } from './map.js';
import { benchParse } from './parse.js';
import { benchSharedCache } from './shared-cache.js';
import { renderReport } from './report.js';
import type { Section } from './report.js';
import { benchSize } from './size.js';
import { snapshotDist } from './snapshot.js';
import { benchSoak } from './soak.js';
import { benchStartup } from './startup.js';
import { benchVerify } from './verify.js';
import { benchVerifier } from './verifier.js';
import { benchVerifierSoak } from './verifier-soak.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const SECTIONS = [
  'generate',
  'parse',
  'verify',
  'map',
  'lookup',
  'hostile',
  'startup',
  'size',
  'soak',
  'verifier',
  'verifier-soak',
  'shared-cache',
  'authz',
] as const;
type SectionName = (typeof SECTIONS)[number];

interface Flags {
  quick: boolean;
  only: Set<SectionName>;
  soakIterations: number;
  out: string | undefined;
}

function parseFlags(argv: readonly string[]): Flags {
  let quick = false;
  let only = new Set<SectionName>(SECTIONS);
  let soakIterations = 1_000_000;
  let out: string | undefined = path.join(root, 'docs', 'benchmarks.md');
  let outGiven = false;
  let noSoak = false;
  for (const arg of argv) {
    const [name, value] = arg.split('=', 2) as [string, string | undefined];
    if (name === '--quick') quick = true;
    else if (name === '--no-soak') noSoak = true;
    else if (name === '--soak') noSoak = false;
    else if (name === '--only' && value) {
      const wanted = value.split(',');
      const unknown = wanted.filter((w) => !(SECTIONS as readonly string[]).includes(w));
      if (unknown.length > 0) throw new Error(`unknown section(s): ${unknown.join(', ')}`);
      only = new Set(wanted as SectionName[]);
    } else if (name === '--soak-iterations' && value && /^\d+$/.test(value)) {
      soakIterations = Number(value);
    } else if (name === '--out' && value) {
      out = path.resolve(value);
      outGiven = true;
    } else {
      throw new Error(`unknown flag ${arg} (see bench/run.ts)`);
    }
  }
  if (noSoak) only.delete('soak');
  if (noSoak) only.delete('verifier-soak');
  // A partial or quick run must not replace the full report by accident.
  if ((quick || only.size < SECTIONS.length) && !outGiven) out = undefined;
  if (quick && soakIterations === 1_000_000) soakIterations = 50_000;
  return { quick, only, soakIterations, out };
}

function log(message: string): void {
  process.stderr.write(message + '\n');
}

function printSection(section: Section): void {
  log(`\n## ${section.title}`);
  for (const row of section.rows) {
    log(
      `  ${row.what}: ${row.value} | ${row.versus} | ${row.ratio} | ${row.target} | ${row.verdict}`,
    );
  }
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  // Spawned processes use a private copy of dist/ (see bench/snapshot.ts).
  const snapshot = snapshotDist(root);
  try {
    await runSections(flags, snapshot.dir);
  } finally {
    snapshot.remove();
  }
}

async function runSections(flags: Flags, distDir: string): Promise<void> {
  const throughput: ThroughputOptions = flags.quick
    ? { warmupMs: 200, roundMs: 150, rounds: 3 }
    : { warmupMs: 1500, roundMs: 500, rounds: 13 };
  const started = performance.now();
  const loadAtStart = os.loadavg();
  const sections: Section[] = [];
  const run = async (name: SectionName, bench: () => Promise<Section> | Section): Promise<void> => {
    if (!flags.only.has(name)) return;
    log(`running ${name}…`);
    const section = await bench();
    printSection(section);
    sections.push(section);
  };

  await run('generate', () => benchGenerate(throughput));
  await run('parse', () => benchParse(throughput));
  await run('verify', () =>
    benchVerify(
      flags.quick
        ? { latencySamples: 200, concurrentTotal: 500, concurrentRounds: 2 }
        : { latencySamples: 3000, concurrentTotal: 4000, concurrentRounds: 7 },
    ),
  );
  await run('map', () => benchMap(throughput));
  await run('lookup', () => benchLookup(throughput));
  await run('hostile', () => benchHostile(root, flags.quick ? 1 : 3));
  await run('startup', () => benchStartup(root, distDir, flags.quick ? 3 : 10));
  await run('size', () => benchSize(root, distDir));
  await run('soak', () => benchSoak(root, distDir, flags.soakIterations));
  await run('verifier', () =>
    benchVerifier(
      flags.quick
        ? {
            latencySamples: 200,
            hitSamples: 2_000,
            concurrentTotal: 500,
            concurrentRounds: 2,
            volume: 100_000,
          }
        : {
            latencySamples: 3_000,
            hitSamples: 20_000,
            concurrentTotal: 4_000,
            concurrentRounds: 7,
            volume: 1_000_000,
          },
    ),
  );
  await run('verifier-soak', () =>
    flags.quick ? benchVerifierSoak(100_000, 10_000) : benchVerifierSoak(1_000_000, 100_000),
  );
  await run('shared-cache', () => benchSharedCache(root, distDir));
  await run('authz', () => benchAuthz(throughput, flags.quick ? 3 : 9));

  const durationSeconds = (performance.now() - started) / 1000;
  const argv = process.argv.slice(2);
  const markdown = renderReport(
    {
      date: new Date(),
      command: argv.length > 0 ? `npm run bench -- ${argv.join(' ')}` : 'npm run bench',
      durationSeconds,
      loadAverage: { start: loadAtStart, end: os.loadavg() },
    },
    sections,
  );
  if (flags.out) {
    // Written as the repository's Prettier would format it, so `prettier --check .` passes.
    const options = (await prettier.resolveConfig(flags.out)) ?? {};
    writeFileSync(flags.out, await prettier.format(markdown, { ...options, filepath: flags.out }));
    log(`\nwrote ${path.relative(process.cwd(), flags.out)} (${Math.round(durationSeconds)} s)`);
  } else {
    log(`\n(nothing written; ${Math.round(durationSeconds)} s; sink ${sinkValue()})`);
  }
}

try {
  await main();
} catch (error) {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
}
