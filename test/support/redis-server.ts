/**
 * A real `redis-server` for the shared-cache tests (SPEC 3.7): started from
 * `PATH` on a free loopback port, in a temporary directory, with persistence
 * off; paused (SIGSTOP), resumed, killed and restarted on the same port on
 * request; stopped and its directory removed at the end.
 *
 * Where `redis-server` is not installed the tests that need it are skipped
 * with the reason printed, except under CI (`CI=true`), where they fail:
 * `.ci/run` installs Debian's `redis-server` when it is missing.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findOnPath } from './tools.js';

/** Where `redis-server` is, or why the tests cannot run. */
export interface RedisAvailability {
  /** The executable, when found. */
  executable: string | undefined;
  /** Why the tests that need it are skipped (locally) or fail (under CI). */
  missing: string | undefined;
}

/** Look `redis-server` up once; print the reason when the tests will skip. */
export function redisAvailability(): RedisAvailability {
  const executable = findOnPath('redis-server');
  if (executable !== undefined) return { executable, missing: undefined };
  const missing =
    'redis-server is not on PATH: the shared-cache tests against a real Redis need it ' +
    '(Debian: apt-get install redis-server; .ci/run installs it)';
  if (process.env['CI'] !== 'true') console.warn(`skipped: ${missing}`);
  return { executable: undefined, missing };
}

/** A running redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** SIGSTOP: the server keeps its connections but answers nothing. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /** SIGKILL, and wait for the process to be gone (connections drop). */
  kill(): Promise<void>;
  /** Start it again on the same port (empty: nothing is persisted). */
  restart(): Promise<void>;
  /** Stop it for good and remove its directory. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Start `executable` on `port` in `dir`; resolves once it accepts connections. */
function launch(executable: string, port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    executable,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output}`)),
    );
  });
}

/** Start a redis-server on a free loopback port in a temporary directory. */
export async function startRedisServer(executable: string): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eks-iam-auth-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  // A port found free can be taken before redis binds it: try a few.
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launch(executable, port, dir);
    } catch (error) {
      if (attempt >= 4) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let current: ChildProcess = child;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pause: () => void current.kill('SIGSTOP'),
    resume: () => void current.kill('SIGCONT'),
    async kill() {
      current.kill('SIGKILL');
      await exited(current);
    },
    async restart() {
      current = await launch(executable, port, dir);
    },
    async stop() {
      current.kill('SIGCONT');
      current.kill('SIGTERM');
      await exited(current);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
