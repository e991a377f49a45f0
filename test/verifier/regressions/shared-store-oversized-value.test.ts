/**
 * Regression (security audit of the shared cache): `redisStore` read a
 * value with `GET`, so whoever can write the store (no secret needed) made
 * every replica download whatever sat under a key before the verifier could
 * see it was no sealed value. `SETRANGE key 536870910 x` (one tiny command)
 * makes a 512 MiB value; one look-up of it took the replica's node-redis
 * client to 1 GiB of memory (a webhook pod with a 512 MiB limit is killed)
 * and then dropped its connection ("Cannot create a string longer than
 * 0x1fffffe8 characters"); 100 MiB cost 270 MiB. Keys are listed with
 * `SCAN`, so every live entry can be replaced: each replica looking one up
 * pays again.
 *
 * A sealed value is at most `MAX_SHARED_VALUE_LENGTH` characters, so the
 * store reads no more than one character beyond that (`GETRANGE key 0 N`):
 * a longer value is rejected after that many bytes, and the replica asks
 * STS. Measured here as the size of the reply the client received, against
 * a real redis-server and the real node-redis client.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier } from '../../../src/verifier/create.js';
import { redisStore } from '../../../src/verifier/redis-store.js';
import type { RedisClientLike } from '../../../src/verifier/redis-store.js';
import { MAX_SHARED_VALUE_LENGTH } from '../../../src/verifier/seal.js';
import { redisAvailability, startRedisServer } from '../../support/redis-server.js';
import type { RedisServer } from '../../support/redis-server.js';
import { generateToken } from '../../../src/token/generate.js';
import { startStsEmulator } from '../../support/sts-emulator.js';
import type { StsEmulator } from '../../support/sts-emulator.js';
import { CLUSTER, REGION, countingFetch } from '../support.js';

const { executable, missing } = redisAvailability();
/** Redis expires keys on the real clock: read it once; everything else runs at that instant. */
const ANCHOR = new Date(Math.floor(Date.now() / 1000) * 1000);
const SECRET = 'the fleet secret: at least 32 bytes of it';
const PREFIX = 'eks-iam-auth:v1:';
/** 64 MiB: far beyond any sealed value, small enough for a test machine. */
const OVERSIZED = 64 * 1024 * 1024;

let server: RedisServer;
let emulator: StsEmulator;
let client: ReturnType<typeof createClient>;

/** The client as the store sees it, recording the length of every reply to a read. */
function measuredClient(): RedisClientLike & { readLengths: number[] } {
  const readLengths: number[] = [];
  return {
    readLengths,
    get isReady() {
      return client.isReady;
    },
    async sendCommand(args) {
      const reply: unknown = await client.sendCommand(args);
      if (args[0] !== 'SET') readLengths.push(typeof reply === 'string' ? reply.length : 0);
      return reply;
    },
  };
}

function replica(
  store: RedisClientLike,
  fetch: typeof globalThis.fetch,
): ReturnType<typeof createVerifier> {
  return createVerifier({
    clusterId: CLUSTER,
    region: REGION,
    currentDate: ANCHOR,
    retries: 0,
    fetch,
    // A loaded machine must not turn the store's answer into a timeout.
    sharedCache: { store: redisStore(store), secret: SECRET, timeout: 10_000 },
  });
}

describe.runIf(executable !== undefined || process.env['CI'] === 'true')(
  'regression: an oversized value in the shared store',
  () => {
    beforeAll(async () => {
      if (executable === undefined) throw new Error(missing);
      server = await startRedisServer(executable);
      emulator = await startStsEmulator({ now: () => ANCHOR });
      client = createClient({ url: server.url });
      client.on('error', () => {});
      await client.connect();
    }, 60_000);

    afterAll(async () => {
      await client?.close().catch(() => undefined);
      await emulator?.close();
      await server?.stop();
    });

    it('is refused after at most MAX_SHARED_VALUE_LENGTH + 1 characters; STS answers', async () => {
      const { token } = await generateToken({
        clusterId: CLUSTER,
        region: REGION,
        credentials: emulator.credentialsFor('iam-user'),
        signingDate: new Date(ANCHOR.getTime() - 1_000),
      });
      const writer = replica(measuredClient(), emulator.fetch);
      await writer.verify(token);
      await vi.waitUntil(async () => (await client.keys(`${PREFIX}*`)).length === 1, {
        timeout: 10_000,
        interval: 10,
      });
      // Someone who can write the store, without the secret, finds the key and grows its value.
      const [key] = await client.keys(`${PREFIX}*`);
      await client.sendCommand(['SETRANGE', key as string, String(OVERSIZED - 1), 'x']);

      const measured = measuredClient();
      const fetch = countingFetch(emulator.fetch);
      const reader = replica(measured, fetch);
      await expect(reader.verify(token)).resolves.toMatchObject({
        arn: 'arn:aws:iam::123456789012:user/Alice',
      });
      expect(reader.stats()).toMatchObject({ sharedRejected: 1, sharedHits: 0, stsRequests: 1 });
      expect(fetch.count).toBe(1);
      expect(measured.readLengths).toHaveLength(1);
      expect(measured.readLengths[0]).toBeLessThanOrEqual(MAX_SHARED_VALUE_LENGTH + 1);
    });
  },
);
