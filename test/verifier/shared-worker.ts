/**
 * One replica of a fleet, as a child process (`fork` with `--import tsx`):
 * a verifier with the shared cache on a real redis-server through the real
 * node-redis client, asking the parent's STS emulator. The parent sends
 * `{ verify: tokens }` and gets one result per token, in order; `{ stats }`
 * gets `verifier.stats()`; `{ ready }` whether the client is connected;
 * `{ ping }` a PING's answer on the client's connection; `{ quit }` closes
 * the client and exits.
 *
 * Environment: REDIS_URL, EMULATOR_URL, SHARED_SECRET, CLUSTER, REGION,
 * NOW (epoch ms: the verifier's clock), TTL (seconds), STORE_TIMEOUT (ms).
 */
import { createClient } from 'redis';
import { createVerifier } from '../../src/verifier/create.js';
import type { VerifyEvent } from '../../src/verifier/events.js';
import { redisStore } from '../../src/verifier/redis-store.js';
import { fetchToEmulator } from '../support/sts-emulator.js';

/** What a replica says about one token. */
export interface WorkerResult {
  accountId?: string;
  code?: string;
  source?: string;
  sharedCache?: string;
}

/** A message to a replica. */
export type WorkerRequest =
  | { verify: string[]; currentDate?: number }
  | { stats: true }
  | { ready: true }
  | { ping: true }
  | { quit: true };

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`shared-worker: ${name} is not set`);
  return value;
}

const client = createClient({ url: env('REDIS_URL') });
// node-redis reconnects on its own; meanwhile the verifier asks STS.
client.on('error', () => {});
await client.connect();

const events: VerifyEvent[] = [];
const verifier = createVerifier({
  clusterId: env('CLUSTER'),
  region: env('REGION'),
  currentDate: new Date(Number(env('NOW'))),
  retries: 0,
  fetch: fetchToEmulator(env('EMULATOR_URL')),
  cache: { ttl: Number(env('TTL')) },
  sharedCache: {
    store: redisStore(client),
    secret: env('SHARED_SECRET'),
    timeout: Number(env('STORE_TIMEOUT')),
  },
  onEvent: (event) => events.push(event),
});

const send = (message: unknown): void => {
  process.send?.(message);
};

process.on('message', (message: WorkerRequest) => {
  void (async () => {
    if ('quit' in message) {
      await client.close().catch(() => undefined);
      process.disconnect();
      return;
    }
    if ('stats' in message) return send(verifier.stats());
    if ('ready' in message) return send({ isReady: client.isReady });
    // A round trip on the client's own connection: whatever it sent before
    // has been answered once this comes back.
    if ('ping' in message) {
      return send(await client.sendCommand(['PING']).catch((error: Error) => error.message));
    }
    const results: WorkerResult[] = [];
    const options =
      message.currentDate === undefined ? {} : { currentDate: new Date(message.currentDate) };
    for (const token of message.verify) {
      const before = events.length;
      const result: WorkerResult = await verifier.verify(token, options).then(
        (identity) => ({ accountId: identity.accountId }),
        (error: { code?: string }) => ({ code: error.code ?? String(error) }),
      );
      const event = events[before];
      if (event?.source !== undefined) result.source = event.source;
      if (event?.sharedCache !== undefined) result.sharedCache = event.sharedCache;
      results.push(result);
    }
    send(results);
  })();
});
send({ started: true });
