/**
 * Runs the built command-line tool (`dist/cli.js`) as a subprocess, the way
 * kubectl and users run it: the tests exercise the artifact, not the sources.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/vectors.js';

/**
 * The built tool: `dist/cli.js`, written by `npm run build` (tsup).
 * `EKS_IAM_AUTH_TEST_CLI` points the tests at another build of it (inside
 * the repository, so its dependencies resolve).
 */
export const CLI_PATH: string =
  process.env['EKS_IAM_AUTH_TEST_CLI'] ?? path.join(repoRoot, 'dist', 'cli.js');

/** Throw a clear error when the tool has not been built (use in `beforeAll`). */
export function assertCliBuilt(): void {
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${CLI_PATH} is missing: run "npm run build" before these tests`);
  }
}

/** What a run produced. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunOptions {
  /** Extra environment variables (on top of {@link baseEnv}). `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /** Run this build of the tool instead of {@link CLI_PATH} (a copy elsewhere). */
  cliPath?: string;
  /** The working directory (default: the throwaway HOME). */
  cwd?: string;
  /** Text written to standard input (closed right after). */
  stdin?: string | Buffer;
  /**
   * Kill the tool (SIGKILL) after this many milliseconds: a safety net for
   * tests whose failure mode is a tool that never stops (reading a device
   * forever); the result then has `code: null`. Never a timing assertion.
   */
  killAfterMs?: number;
}

/**
 * A sealed environment: no AWS settings or credentials of the machine running
 * the tests, no shared config files, no instance metadata (the SDK chain would
 * otherwise try the network), a throwaway HOME.
 */
export function baseEnv(home: string): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CACHE_HOME: path.join(home, '.cache'),
    AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** A temporary HOME for one test file; remove it with the returned function. */
export function makeHome(): { home: string; remove: () => void } {
  const home = mkdtempSync(path.join(tmpdir(), 'eks-iam-auth-cli-'));
  return { home, remove: () => rmSync(home, { recursive: true, force: true }) };
}

/**
 * A temporary HOME for the calling test file: made in `beforeAll` (after
 * checking the tool is built), removed in `afterAll`. Returns a getter,
 * valid once the hooks ran.
 */
export function useCliHome(): () => string {
  let made: { home: string; remove: () => void } | undefined;
  beforeAll(() => {
    assertCliBuilt();
    made = makeHome();
  });
  afterAll(() => made?.remove());
  return () => {
    if (made === undefined) throw new Error('useCliHome: used before beforeAll ran');
    return made.home;
  };
}

/**
 * Run `node dist/cli.js ...args`. Asynchronous on purpose: the STS emulator
 * and fake servers live in the test process and must keep answering.
 */
export function runCli(home: string, args: string[], options: RunOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = baseEnv(home);
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.cliPath ?? CLI_PATH, ...args], {
      env,
      cwd: options.cwd ?? home,
      ...(options.killAfterMs === undefined
        ? {}
        : { timeout: options.killAfterMs, killSignal: 'SIGKILL' as const }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A tool that stops reading early closes its end: that is not an error here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}
