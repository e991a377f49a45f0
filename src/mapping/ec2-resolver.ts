/**
 * A batching, caching EC2 private-DNS-name resolver for
 * `{{EC2PrivateDNSName}}`, the template EKS node roles use
 * (`system:node:{{EC2PrivateDNSName}}`).
 *
 * Many nodes authenticate at once when a node group scales, so concurrent
 * look-ups are gathered into one `DescribeInstances` call (as the Go
 * authenticator does, to stay under EC2's API rate limits), identical
 * look-ups in flight are shared, and answers are cached: an instance keeps its
 * private DNS name for life.
 *
 * `@aws-sdk/client-ec2` is an optional peer: it is imported only when the
 * first look-up needs it, and not at all when a `client` is passed.
 *
 * @module
 */
import { TemplateError } from '../errors.js';
import { importOptional } from '../util/optional-import.js';

/** Options of {@link createEC2PrivateDNSNameResolver}. */
export interface EC2PrivateDNSNameResolverOptions {
  /**
   * The EC2 client to call: an `EC2Client` of `@aws-sdk/client-ec2`, or
   * anything with the same `send(command)` (a test double reads
   * `command.input.InstanceIds`). Credentials and region are the client's.
   *
   * @defaultValue a new `EC2Client` from `@aws-sdk/client-ec2` (the SDK's
   * default credential chain; region from {@link EC2PrivateDNSNameResolverOptions.region})
   */
  client?: {
    /** Sends an SDK command (here `DescribeInstancesCommand`) and resolves with its output. */
    send(command: unknown): Promise<unknown>;
  };
  /**
   * Region of the `EC2Client` created when no `client` is passed (the
   * cluster's region).
   *
   * @defaultValue the SDK's own resolution (`AWS_REGION`, profile, …)
   */
  region?: string;
  /**
   * Milliseconds to wait for more look-ups before calling EC2, so that a
   * burst of nodes costs one call. `0` still batches the look-ups made in
   * the same turn of the event loop.
   *
   * @defaultValue `10`
   */
  batchWindow?: number;
  /**
   * Most instance ids per `DescribeInstances` call (EC2 allows 1000).
   *
   * @defaultValue `1000`
   */
  maxBatchSize?: number;
  /**
   * Milliseconds an answer is cached. `0` disables the cache (in-flight
   * look-ups are still shared).
   *
   * @defaultValue `3_600_000` (one hour)
   */
  cacheTtl?: number;
  /**
   * Most cached answers; the oldest is dropped first.
   *
   * @defaultValue `10_000`
   */
  maxCacheEntries?: number;
  /**
   * The clock, in epoch milliseconds, for cache expiry (inject one in tests).
   *
   * @defaultValue `Date.now`
   */
  now?: () => number;
}

/** Loads `@aws-sdk/client-ec2`; rejects when it is not installed. */
export type Ec2Importer = () => Promise<unknown>;

interface Ec2Module {
  EC2Client: new (config: Record<string, unknown>) => { send(command: unknown): Promise<unknown> };
  DescribeInstancesCommand: new (input: { InstanceIds: string[] }) => unknown;
}

interface Waiter {
  id: string;
  resolve: (name: string) => void;
  reject: (error: unknown) => void;
}

const PLACEHOLDER = { placeholder: 'EC2PrivateDNSName' } as const;
const INSTANCE_ID = /^i-(\w{8}|\w{17})$/;
// One unknown (or terminated and purged) id fails a whole DescribeInstances call.
const BATCH_POISON = new Set(['InvalidInstanceID.NotFound', 'InvalidInstanceID.Malformed']);

// Imported at run time by name, so bundlers do not try to resolve the peer.
const defaultImporter: Ec2Importer = () => importOptional('@aws-sdk/client-ec2');

function count(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(
      `createEC2PrivateDNSNameResolver: options.${name} must be an integer from ${min} to ${max}`,
    );
  }
  return value;
}

function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'Error';
}

/** Instance id → private DNS name, from a `DescribeInstances` output. */
function namesOf(output: unknown): Map<string, string> {
  const names = new Map<string, string>();
  const reservations = (output as { Reservations?: unknown } | null)?.Reservations;
  if (!Array.isArray(reservations)) return names;
  for (const reservation of reservations) {
    const instances = (reservation as { Instances?: unknown } | null)?.Instances;
    if (!Array.isArray(instances)) continue;
    for (const instance of instances) {
      const { InstanceId, PrivateDnsName } = (instance ?? {}) as Record<string, unknown>;
      if (
        typeof InstanceId === 'string' &&
        typeof PrivateDnsName === 'string' &&
        PrivateDnsName !== ''
      ) {
        names.set(InstanceId, PrivateDnsName);
      }
    }
  }
  return names;
}

/**
 * {@link createEC2PrivateDNSNameResolver} with the SDK importer as a seam for tests.
 *
 * @internal
 */
export function createResolverWith(
  options: EC2PrivateDNSNameResolverOptions,
  importEc2: Ec2Importer,
): (instanceId: string) => Promise<string> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createEC2PrivateDNSNameResolver: options must be an object');
  }
  const { client, region } = options;
  if (client !== undefined && typeof client?.send !== 'function') {
    throw new TypeError(
      'createEC2PrivateDNSNameResolver: options.client must have a send(command) method',
    );
  }
  if (region !== undefined && (typeof region !== 'string' || region === '')) {
    throw new TypeError(
      'createEC2PrivateDNSNameResolver: options.region must be a non-empty string',
    );
  }
  const batchWindow = count('batchWindow', options.batchWindow, 10, 0, 60_000);
  const maxBatchSize = count('maxBatchSize', options.maxBatchSize, 1000, 1, 1000);
  const cacheTtl = count('cacheTtl', options.cacheTtl, 3_600_000, 0, Number.MAX_SAFE_INTEGER);
  const maxCacheEntries = count(
    'maxCacheEntries',
    options.maxCacheEntries,
    10_000,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const now = options.now ?? Date.now;
  if (typeof now !== 'function')
    throw new TypeError('createEC2PrivateDNSNameResolver: options.now must be a function');

  const cache = new Map<string, { name: string; expiresAt: number }>();
  const inFlight = new Map<string, Promise<string>>();
  let queue: Waiter[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let api: Promise<(ids: string[]) => Promise<unknown>> | undefined;

  const describeInstances = (ids: string[]): Promise<unknown> => {
    api ??= (async () => {
      let sdk: Ec2Module | undefined;
      try {
        sdk = (await importEc2()) as Ec2Module;
      } catch (error) {
        if (client === undefined) {
          throw new TemplateError(
            '{{EC2PrivateDNSName}} needs @aws-sdk/client-ec2: install it, or pass options.client to createEC2PrivateDNSNameResolver',
            { ...PLACEHOLDER, cause: error },
          );
        }
      }
      const ec2 =
        client ?? new (sdk as Ec2Module).EC2Client(region === undefined ? {} : { region });
      return (batch: string[]) =>
        ec2.send(
          sdk === undefined
            ? { input: { InstanceIds: batch } }
            : new sdk.DescribeInstancesCommand({ InstanceIds: batch }),
        );
    })();
    return api.then((send) => send(ids));
  };

  const remember = (id: string, name: string): void => {
    if (cacheTtl === 0) return;
    cache.delete(id);
    if (cache.size >= maxCacheEntries) cache.delete(cache.keys().next().value as string);
    cache.set(id, { name, expiresAt: now() + cacheTtl });
  };

  const settle = async (batch: Waiter[]): Promise<void> => {
    let names: Map<string, string>;
    try {
      names = namesOf(await describeInstances(batch.map((w) => w.id)));
    } catch (error) {
      if (batch.length > 1 && BATCH_POISON.has(errorName(error))) {
        // Ask again one by one, so one bad id does not fail its neighbours.
        await Promise.all(batch.map((w) => settle([w])));
        return;
      }
      const failure =
        error instanceof TemplateError
          ? error
          : new TemplateError(`EC2 DescribeInstances failed (${errorName(error)})`, {
              ...PLACEHOLDER,
              cause: error,
            });
      for (const w of batch) w.reject(failure);
      return;
    }
    for (const w of batch) {
      const name = names.get(w.id);
      if (name === undefined) {
        w.reject(
          new TemplateError(
            `EC2 instance ${w.id} was not found or has no private DNS name`,
            PLACEHOLDER,
          ),
        );
      } else {
        remember(w.id, name);
        w.resolve(name);
      }
    }
  };

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    for (let i = 0; i < batch.length; i += maxBatchSize)
      void settle(batch.slice(i, i + maxBatchSize));
  };

  return (instanceId: string): Promise<string> => {
    if (typeof instanceId !== 'string' || !INSTANCE_ID.test(instanceId)) {
      return Promise.reject(new TemplateError('expected an EC2 instance id (i-…)', PLACEHOLDER));
    }
    const hit = cache.get(instanceId);
    if (hit !== undefined) {
      if (hit.expiresAt > now()) return Promise.resolve(hit.name);
      cache.delete(instanceId);
    }
    const pending = inFlight.get(instanceId);
    if (pending !== undefined) return pending;
    const promise = new Promise<string>((resolve, reject) => {
      queue.push({ id: instanceId, resolve, reject });
      if (queue.length >= maxBatchSize) flush();
      else timer ??= setTimeout(flush, batchWindow);
    });
    inFlight.set(instanceId, promise);
    const forget = (): void => {
      inFlight.delete(instanceId);
    };
    promise.then(forget, forget);
    return promise;
  };
}

/**
 * Create a resolver for `mapIdentity`'s `resolveEC2PrivateDNSName` option:
 * instance id → private DNS name, via EC2 `DescribeInstances` (the caller
 * needs `ec2:DescribeInstances`).
 *
 * @example
 * ```ts
 * const resolveEC2PrivateDNSName = createEC2PrivateDNSNameResolver({ region: 'eu-west-1' });
 * await mapIdentity(awsAuth, identity, { resolveEC2PrivateDNSName });
 * // node role → { username: 'system:node:ip-10-0-1-23.eu-west-1.compute.internal', … }
 * ```
 * @returns a function that rejects with a `TemplateError` (`ERR_TEMPLATE`,
 * placeholder `EC2PrivateDNSName`) when `@aws-sdk/client-ec2` is not installed
 * and no `client` was passed, when EC2 fails (the SDK error is the `cause`), or
 * when the instance is unknown.
 * @throws `TypeError` for invalid options.
 */
export function createEC2PrivateDNSNameResolver(
  options: EC2PrivateDNSNameResolverOptions = {},
): (instanceId: string) => Promise<string> {
  return createResolverWith(options, defaultImporter);
}
