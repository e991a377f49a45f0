/**
 * Real external tools for tests that prove an output with its consumer:
 * found on `PATH` (never at a fixed path), run with an environment built
 * from nothing but what the test gives.
 */
import { spawn } from 'node:child_process';
import { findOnPath } from './tools.js';

/**
 * Why a test needing `name` cannot run here, or `undefined` when it can.
 * Locally a missing tool skips the test with this reason printed; under CI
 * (`CI=true`) it is an error unless `optionalUnderCi` (terraform: "where
 * the image has it").
 */
export function missingTool(name: string, optionalUnderCi = false): string | undefined {
  if (findOnPath(name) !== undefined) return undefined;
  const reason = `${name} is not on PATH`;
  if (process.env['CI'] === 'true' && !optionalUnderCi) {
    throw new Error(`${reason}: CI must install it (.ci/run)`);
  }
  console.warn(`skipped: ${reason}`);
  return reason;
}

/** What a finished process printed and how it ended. */
export interface ToolResult {
  /** Exit status (`null` if killed by a signal). */
  code: number | null;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Run `command` with exactly `env`, feeding it `input`, collecting its output. */
export function runTool(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; input?: string; timeoutMs?: number },
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 300_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
