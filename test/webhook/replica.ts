/**
 * One replica of examples/webhook for test/webhook/shared-cache.test.ts, as
 * its own process: `startWebhook` with the shared cache `--redis-url` builds
 * (`redisSharedCache`), STS requests routed to the test's emulator, on the
 * test's fixed clock. Logs (the `listening` line first) go to stdout.
 *
 * Environment: CONFIG_FILE, REDIS_URL, VERIFIER_CACHE_SECRET, EMULATOR_URL,
 * REGION, NOW (epoch ms).
 */
import { redisSharedCache } from '../../examples/webhook/shared-cache.js';
import { startWebhook } from '../../examples/webhook/server.js';
import type { Webhook } from '../../examples/webhook/server.js';
import { fetchToEmulator } from '../support/sts-emulator.js';

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`replica: ${name} is not set`);
  return value;
}

const shared = await redisSharedCache(env('REDIS_URL'), env('VERIFIER_CACHE_SECRET'));
const running: { webhook?: Webhook } = {};
// From the start: the test may stop a replica as soon as it listens.
process.on('SIGTERM', () => {
  void Promise.resolve(running.webhook?.close())
    .then(() => shared.close())
    .then(() => process.exit(0));
});
running.webhook = await startWebhook({
  configFile: env('CONFIG_FILE'),
  port: 0,
  verifier: {
    region: env('REGION'),
    currentDate: new Date(Number(env('NOW'))),
    retries: 0,
    fetch: fetchToEmulator(env('EMULATOR_URL')),
    sharedCache: { ...shared.options, timeout: 10_000 },
  },
});
