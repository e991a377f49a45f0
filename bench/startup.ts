/**
 * Process-level costs, measured by spawning fresh `node` processes: the cold
 * `import()` of the built package, and the command line's time to first byte
 * and to exit next to `aws eks get-token`.
 *
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { median } from './harness.js';
import { formatMs, formatRatio, verdict } from './report.js';
import type { Row, Section } from './report.js';

/** Wall time of one `node <args>` run, in milliseconds; throws if it fails. */
function timeNode(args: readonly string[], env?: NodeJS.ProcessEnv): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ?? process.env,
  });
  const elapsed = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(' ')} failed: ${String(result.stderr).slice(0, 500)}`);
  }
  return elapsed;
}

/** Run each command `runs` times, interleaved (paired runs); median wall time of each. */
function interleaved(
  commands: readonly (readonly string[])[],
  runs: number,
  env?: NodeJS.ProcessEnv,
): number[] {
  const times: number[][] = commands.map(() => []);
  for (const command of commands) timeNode(command, env); // warm the file cache
  for (let i = 0; i < runs; i++) {
    commands.forEach((command, c) => (times[c] as number[]).push(timeNode(command, env)));
  }
  return times.map((list) => median(list));
}

/** Targets (SPEC 8, 9). */
const IMPORT_TARGET_MS = 50;
const TOKEN_TARGET_RATIO = 1.3;

/** The import time a fresh process reports for itself, median of `runs`. */
function selfReportedImport(specifier: string, runs: number, cjs: boolean): number {
  const load = cjs
    ? `require(${JSON.stringify(specifier)})`
    : `await import(${JSON.stringify(specifier)})`;
  const script = `const t = performance.now(); ${load}; process.stdout.write(String(performance.now() - t));`;
  const args = cjs ? ['-e', script] : ['--input-type=module', '-e', script];
  const values: number[] = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', env: process.env });
    if (result.status !== 0) throw new Error(`import of ${specifier} failed: ${result.stderr}`);
    values.push(Number(result.stdout));
  }
  return median(values);
}

/**
 * The `aws` executable. Behind a pyenv shim (a bash script that starts pyenv
 * first) the real script is used, so the shim's own cost is not charged to
 * the AWS CLI.
 */
function resolveAws(): { path: string; viaPyenv: boolean } {
  const real = spawnSync('pyenv', ['which', 'aws'], { encoding: 'utf8' });
  const resolved = real.status === 0 ? real.stdout.trim() : '';
  return resolved !== '' && existsSync(resolved)
    ? { path: resolved, viaPyenv: true }
    : { path: 'aws', viaPyenv: false };
}

interface SpawnTiming {
  firstByteMs: number;
  exitMs: number;
}

/** Time to first stdout byte and to exit of one run; `undefined` if the command is missing. */
function timeCommand(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  check: (stdout: string) => void,
): Promise<SpawnTiming | undefined> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let firstByte: number | undefined;
    let stdout = '';
    let stderr = '';
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      firstByte ??= performance.now() - start;
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') resolve(undefined);
      else reject(error);
    });
    child.on('close', (code) => {
      const exitMs = performance.now() - start;
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
        return;
      }
      try {
        check(stdout);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      resolve({ firstByteMs: firstByte ?? exitMs, exitMs });
    });
  });
}

function checkExecCredential(stdout: string): void {
  const parsed = JSON.parse(stdout) as { kind?: string; status?: { token?: string } };
  if (parsed.kind !== 'ExecCredential' || !parsed.status?.token?.startsWith('k8s-aws-v1.')) {
    throw new Error('the command did not print an ExecCredential with a token');
  }
}

async function medianCommand(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  runs: number,
): Promise<SpawnTiming | undefined> {
  const first = await timeCommand(command, args, env, checkExecCredential); // warm-up
  if (first === undefined) return undefined;
  const firstBytes: number[] = [];
  const exits: number[] = [];
  for (let i = 0; i < runs; i++) {
    const timing = await timeCommand(command, args, env, checkExecCredential);
    if (timing === undefined) return undefined;
    firstBytes.push(timing.firstByteMs);
    exits.push(timing.exitMs);
  }
  return { firstByteMs: median(firstBytes), exitMs: median(exits) };
}

/** Run the process-level benchmark. */
export async function benchStartup(root: string, distDir: string, runs: number): Promise<Section> {
  const indexUrl = pathToFileURL(path.join(distDir, 'index.js')).href;
  const rows: Row[] = [];
  const notes: string[] = [];

  // Cold import: the wall time of `node -e "import(dist)"` minus `node -e 0`.
  const [baseline, withImport, withPeer] = interleaved(
    [
      ['-e', '0'],
      ['-e', `import(${JSON.stringify(indexUrl)})`],
      ['-e', `require(${JSON.stringify(path.join(root, 'node_modules', 'aws-eks-token'))})`],
    ],
    runs,
  ) as [number, number, number];
  const importCost = withImport - baseline;
  const peerCost = withPeer - baseline;
  const selfReported = selfReportedImport(indexUrl, runs, false);
  rows.push(
    {
      what: 'cold import() of dist/index.js (process wall time minus bare node)',
      value: formatMs(importCost),
      versus: `require('aws-eks-token') ${formatMs(peerCost)}`,
      ratio: formatRatio(importCost / peerCost),
      target: `≤ ${IMPORT_TARGET_MS} ms`,
      verdict: verdict(importCost <= IMPORT_TARGET_MS),
    },
    {
      what: 'bare `node -e 0` / `node -e "import(\'dist/index.js\')"`',
      value: `${formatMs(baseline)} / ${formatMs(withImport)}`,
      versus: '—',
      ratio: '—',
      target: '—',
      verdict: 'info',
    },
    {
      what: 'import() time measured inside the fresh process',
      value: formatMs(selfReported),
      versus: '—',
      ratio: '—',
      target: '—',
      verdict: 'info',
    },
  );

  if (importCost > IMPORT_TARGET_MS) {
    notes.push(
      `Cold import misses the ${IMPORT_TARGET_MS} ms target by ${formatMs(importCost - IMPORT_TARGET_MS)};` +
        ' the in-process figure above shows how much of it is module loading itself.',
    );
  }

  // The command line, with credentials in the environment and no AWS config
  // files, so neither tool reads a profile or calls a metadata service.
  const cli = path.join(distDir, 'cli.js');
  const home = mkdtempSync(path.join(os.tmpdir(), 'eks-iam-auth-bench-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_CONFIG_FILE: path.join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const args = ['token', '--cluster-name', 'demo', '--region', 'us-west-2'];
  try {
    if (existsSync(cli)) {
      // The floor of any ES-module Node tool that signs with node:crypto:
      // load it, compute one HMAC, print a line.
      const floorScript = path.join(home, 'floor.mjs');
      writeFileSync(
        floorScript,
        "import { createHmac } from 'node:crypto';\n" +
          "process.stdout.write(createHmac('sha256', 'k').update('x').digest('hex') + '\\n');\n",
      );
      // Paired runs: bare node, the floor and the command alternate, so drift
      // in the machine's load hits all alike.
      const [bare, floor, token] = interleaved(
        [['-e', '0'], [floorScript], [cli, ...args]],
        runs * 2,
        env,
      ) as [number, number, number];
      const ratio = token / bare;
      rows.push(
        {
          what: '`eks-iam-auth token` wall time vs bare `node -e 0` (paired runs)',
          value: formatMs(token),
          versus: `bare node ${formatMs(bare)}`,
          ratio: formatRatio(ratio),
          target: `≤ ${TOKEN_TARGET_RATIO}×`,
          verdict: verdict(ratio <= TOKEN_TARGET_RATIO),
        },
        {
          what: 'floor: an ES module that imports node:crypto, HMACs once and prints (same pairs)',
          value: formatMs(floor),
          versus: `bare node ${formatMs(bare)}`,
          ratio: formatRatio(floor / bare),
          target: '—',
          verdict: 'info',
        },
      );
      if (ratio > TOKEN_TARGET_RATIO) {
        notes.push(
          `\`token\` misses the ${TOKEN_TARGET_RATIO}× target: ${formatRatio(ratio)} of a bare node start;` +
            ` the floor row shows that loading the ES module loader and node:crypto alone costs` +
            ` ${formatRatio(floor / bare)} here.`,
        );
      }
    }
    const ours = existsSync(cli)
      ? await medianCommand(process.execPath, [cli, ...args], env, runs)
      : undefined;
    const awsBinary = resolveAws();
    const aws = await medianCommand(
      awsBinary.path,
      ['eks', 'get-token', '--cluster-name', 'demo', '--region', 'us-west-2'],
      env,
      runs,
    );
    const awsText = aws
      ? `aws eks get-token ${formatMs(aws.firstByteMs)} / ${formatMs(aws.exitMs)}`
      : '`aws` not installed on this machine';
    if (ours) {
      rows.push({
        what: '`eks-iam-auth token` CLI: first byte / exit',
        value: `${formatMs(ours.firstByteMs)} / ${formatMs(ours.exitMs)}`,
        versus: awsText,
        ratio: aws ? `${formatRatio(aws.exitMs / ours.exitMs)} faster` : '—',
        target: '—',
        verdict: 'info',
      });
    } else {
      rows.push({
        what: '`eks-iam-auth token` CLI',
        value: 'dist/cli.js not built',
        versus: awsText,
        ratio: '—',
        target: `≤ ${TOKEN_TARGET_RATIO}× bare node`,
        verdict: 'skipped',
      });
    }
    if (existsSync(path.join(root, 'node_modules', '@aws-sdk', 'credential-providers'))) {
      notes.push(
        'The optional peer `@aws-sdk/credential-providers` is installed here (as a dev dependency),' +
          ' but the environment holds static keys and names no `AWS_PROFILE`, so `token` signs with' +
          ' those keys without loading the SDK (its chain would return the same keys first).',
      );
    }
    notes.push(
      `Each command ran ${runs} times after one warm-up run; medians. Credentials come from` +
        ' `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `HOME` is an empty temporary directory,' +
        ' no AWS config files exist and instance metadata is disabled, so neither tool touches the' +
        ' network. Both print an ExecCredential, which the bench parses.',
    );
    if (aws) {
      const version = spawnSync(awsBinary.path, ['--version'], { encoding: 'utf8', env });
      notes.push(
        `AWS CLI: ${(version.stdout || version.stderr).trim()}` +
          (awsBinary.viaPyenv
            ? ` (run as ${awsBinary.path}, bypassing the pyenv shim that \`aws\` resolves to here).`
            : '.'),
      );
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  notes.push(
    `Cold import: each of \`node -e 0\`, \`node -e "import(dist/index.js)"\` and` +
      ` \`node -e "require('aws-eks-token')"\` ran ${runs} times, interleaved, after one untimed` +
      ' run each (so the OS file cache is warm, as on a developer machine); medians of wall time.',
  );
  return {
    title: 'Start-up',
    method:
      'Fresh `node` processes spawned from the bench; what a kubectl exec plugin or a short-lived' +
      ' tool pays on every run.',
    rows,
    notes,
  };
}
