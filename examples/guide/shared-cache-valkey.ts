/**
 * Guide §2.6, "A fleet of replicas", with iovalkey (or ioredis, the same
 * API): any object with `get(key)` and `set(key, value, expiresAtMs)` is a
 * store. Turn the offline queue off, so that no command waits for a
 * connection and none runs late after a reconnect, and refuse at once while
 * the client is not ready. Read a value with `GETRANGE`, never more than one
 * character beyond the longest sealed value: whoever can write the store
 * could otherwise make every replica download a 512 MiB value.
 */
import { Valkey } from 'iovalkey';
import { MAX_SHARED_VALUE_LENGTH, createVerifier } from 'eks-iam-auth';
import type { SharedStore } from 'eks-iam-auth';

/** An iovalkey (or ioredis) client as the verifier's shared store. */
export function valkeyStore(client: Valkey): SharedStore {
  const ready = (): boolean => client.status === 'ready';
  return {
    get: (key) =>
      ready()
        ? client.getrange(key, 0, MAX_SHARED_VALUE_LENGTH)
        : Promise.reject(new Error('not connected')),
    set: (key, value, expiresAtMs) =>
      ready()
        ? client.set(key, value, 'PXAT', expiresAtMs)
        : Promise.reject(new Error('not connected')),
  };
}

export function createFleetVerifier(
  url: string,
  secret: string,
): ReturnType<typeof createVerifier> {
  const client = new Valkey(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  client.on('error', () => {}); // it reconnects on its own; the verifier asks STS meanwhile
  return createVerifier({
    clusterId: 'prod',
    region: 'eu-west-1',
    sharedCache: { store: valkeyStore(client), secret },
  });
}
