/**
 * `redisStore` on a stand-in client (the real node-redis client against a
 * real redis-server: `shared-redis.test.ts`): the two commands it sends, and
 * that a client that is not ready is never handed a command (node-redis
 * would queue it offline and run it on reconnect).
 */
import { describe, expect, it } from 'vitest';
import { redisStore } from '../../src/verifier/redis-store.js';
import type { RedisClientLike } from '../../src/verifier/redis-store.js';

function client(reply: unknown = 'OK'): RedisClientLike & { sent: string[][]; isReady: boolean } {
  const fake = {
    isReady: true,
    sent: [] as string[][],
    sendCommand(args: string[]) {
      fake.sent.push(args);
      return Promise.resolve(reply);
    },
  };
  return fake;
}

describe('redisStore', () => {
  it('GETRANGE key 0 4096 (never more than a sealed value can be, plus one), and SET key value PXAT ms', async () => {
    const c = client('sealed');
    const store = redisStore(c);
    await expect(store.get('k')).resolves.toBe('sealed');
    await store.set('k', 'v', 1_705_322_196_789.4);
    expect(c.sent).toEqual([
      ['GETRANGE', 'k', '0', '4096'],
      ['SET', 'k', 'v', 'PXAT', '1705322196789'],
    ]);
  });

  it.each([
    ['null', null],
    ['"" (GETRANGE of a missing key)', ''],
  ])('a missing key is null: the reply %s', async (_, reply) => {
    await expect(redisStore(client(reply)).get('k')).resolves.toBeNull();
  });

  it('a client that is not ready: both calls reject at once, nothing reaches the client', async () => {
    const c = client();
    c.isReady = false;
    const store = redisStore(c);
    await expect(store.get('k')).rejects.toThrow(/not ready/);
    await expect(store.set('k', 'v', 1)).rejects.toThrow(/not ready/);
    expect(c.sent).toEqual([]);
  });

  it.each([
    ['null', null],
    ['an object without sendCommand', { isReady: true }],
    ['an object without isReady', { sendCommand: () => Promise.resolve(null) }],
  ])('%s is not a client → TypeError', (_, value) => {
    expect(() => redisStore(value as never)).toThrow(TypeError);
  });
});
