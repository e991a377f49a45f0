/**
 * examples/webhook with `--redis-url`: two webhook processes on one real
 * redis-server share their verifications (a token reviewed by one replica
 * costs no STS request at the other), and Redis is never a start-up
 * dependency. Skipped with the reason printed where `redis-server` is not
 * installed, failed under CI (`.ci/run` installs it).
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateToken } from '../../src/token/generate.js';
import { redisAvailability, startRedisServer } from '../support/redis-server.js';
import type { RedisServer } from '../support/redis-server.js';
import { startStsEmulator } from '../support/sts-emulator.js';
import type { StsEmulator } from '../support/sts-emulator.js';

const { executable, missing } = redisAvailability();
const REGION = 'us-west-2';
const SECRET = 'a webhook fleet secret of 32 bytes or more';
/** The real clock, read once: Redis expires keys on it (see test/verifier/shared-redis.test.ts). */
const ANCHOR = new Date(Math.floor(Date.now() / 1000) * 1000);
const CONFIG = `clusterID: demo
server:
  mapUsers:
  - userarn: arn:aws:iam::123456789012:user/Alice
    username: alice
    groups: [eks-admins]
`;

/** A webhook process and the URL it listens on. */
interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

let dir: string;
let server: RedisServer;
let emulator: StsEmulator;
let inspector: ReturnType<typeof createClient>;
const running: Running[] = [];

/** Run `script` under tsx (the examples' paths) until it logs `listening`. */
async function start(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(
    process.execPath,
    [
      path.resolve('node_modules/tsx/dist/cli.mjs'),
      '--tsconfig',
      'examples/tsconfig.json',
      script,
      ...args,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let output = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line !== undefined) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.on('exit', (code) => reject(new Error(`exited (${code}) before listening: ${output}`)));
  });
  const process_ = { child, url, output: () => output };
  running.push(process_);
  return process_;
}

async function stop(webhook: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) =>
    webhook.child.on('exit', (code) => resolve(code)),
  );
  webhook.child.kill('SIGTERM');
  return exited;
}

/** What kube-apiserver POSTs. */
async function review(url: string, token: string): Promise<{ status: number; username?: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token },
    }),
  });
  const body = (await response.json()) as { status: { user?: { username: string } } };
  return body.status.user === undefined
    ? { status: response.status }
    : { status: response.status, username: body.status.user.username };
}

let signed = 0;
async function token(): Promise<string> {
  const generated = await generateToken({
    clusterId: 'demo',
    region: REGION,
    credentials: emulator.credentialsFor('iam-user'),
    signingDate: new Date(ANCHOR.getTime() - 1000 * ++signed),
  });
  return generated.token;
}

describe.runIf(executable !== undefined || process.env['CI'] === 'true')(
  'examples/webhook --redis-url on a real redis-server',
  () => {
    beforeAll(async () => {
      if (executable === undefined) throw new Error(missing);
      dir = mkdtempSync(path.join(tmpdir(), 'webhook-shared-'));
      writeFileSync(path.join(dir, 'config.yaml'), CONFIG);
      server = await startRedisServer(executable);
      emulator = await startStsEmulator({ now: () => ANCHOR });
      inspector = createClient({ url: server.url });
      inspector.on('error', () => {});
      await inspector.connect();
    }, 60_000);

    afterAll(async () => {
      await Promise.all(running.map((r) => (r.child.exitCode === null ? stop(r) : null)));
      await inspector?.close().catch(() => undefined);
      await emulator?.close();
      await server?.stop();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    }, 60_000);

    it('two replicas share verifications: one STS request per token for the pair', async () => {
      const env = {
        CONFIG_FILE: path.join(dir, 'config.yaml'),
        REDIS_URL: server.url,
        VERIFIER_CACHE_SECRET: SECRET,
        EMULATOR_URL: emulator.url,
        REGION,
        NOW: String(ANCHOR.getTime()),
      };
      const [a, b] = await Promise.all([
        start('test/webhook/replica.ts', [], env),
        start('test/webhook/replica.ts', [], env),
      ]);
      const tokens = [await token(), await token()];
      const before = emulator.requests.length;
      // The first token reaches replica a first, the second replica b.
      for (const [index, [first, second]] of [
        [a, b],
        [b, a],
      ].entries()) {
        const t = tokens[index] as string;
        await expect(review((first as Running).url, t)).resolves.toEqual({
          status: 200,
          username: 'alice',
        });
        await vi.waitUntil(async () => (await inspector.dbSize()) > index, {
          timeout: 10_000,
          interval: 10,
        });
        await expect(review((second as Running).url, t)).resolves.toEqual({
          status: 200,
          username: 'alice',
        });
      }
      expect(emulator.requests.length - before).toBe(2);
      expect(await stop(a as Running)).toBe(0);
      expect(await stop(b as Running)).toBe(0);
    });

    it('main.ts --redis-url starts and serves with Redis unreachable (not a start-up dependency)', async () => {
      const webhook = await start(
        'examples/webhook/main.ts',
        [
          '--config',
          path.join(dir, 'config.yaml'),
          '--port',
          '0',
          '--redis-url',
          'redis://127.0.0.1:1',
        ],
        { VERIFIER_CACHE_SECRET: SECRET },
      );
      const health = await fetch(webhook.url.replace('/authenticate', '/healthz'));
      expect(await health.text()).toBe('ok');
      expect(await stop(webhook)).toBe(0);
    });

    // Found while adding --redis-url: main.ts looked the partition up with
    // Object.hasOwn on PARTITIONS, which is a list, so every --partition failed.
    it('main.ts --partition aws-cn is accepted', async () => {
      const webhook = await start(
        'examples/webhook/main.ts',
        ['--config', path.join(dir, 'config.yaml'), '--port', '0', '--partition', 'aws-cn'],
        {},
      );
      expect(await stop(webhook)).toBe(0);
    });

    it('main.ts --redis-url without VERIFIER_CACHE_SECRET: exit 1, saying so', async () => {
      const env = { ...process.env };
      delete env['VERIFIER_CACHE_SECRET'];
      const child = spawn(
        process.execPath,
        [
          path.resolve('node_modules/tsx/dist/cli.mjs'),
          '--tsconfig',
          'examples/tsconfig.json',
          'examples/webhook/main.ts',
          '--config',
          path.join(dir, 'config.yaml'),
          '--redis-url',
          server.url,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], env },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toMatch(/--redis-url needs VERIFIER_CACHE_SECRET/);
    });
  },
);
