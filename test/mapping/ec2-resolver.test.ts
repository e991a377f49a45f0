import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createEC2PrivateDNSNameResolver,
  createResolverWith,
} from '../../src/mapping/ec2-resolver.js';
import type { EC2PrivateDNSNameResolverOptions } from '../../src/mapping/ec2-resolver.js';
import { mapIdentity } from '../../src/resolve/map-identity.js';
import { parseAwsAuth } from '../../src/aws-auth/parse.js';
import { TemplateError } from '../../src/errors.js';

const I1 = 'i-0123456789abcdef0';
const I2 = 'i-0123456789abcdef1';
const I3 = 'i-01234567';
const dns = (id: string): string => `ip-10-0-${id.length}-1.${id}.eu-west-1.compute.internal`;

/** A fake EC2 client answering DescribeInstances for `known` ids, recording every call. */
function fakeEc2(
  options: { known?: string[]; fail?: (ids: string[]) => Error | undefined; noDns?: string[] } = {},
) {
  const known = new Set(options.known ?? [I1, I2, I3]);
  const calls: string[][] = [];
  const commands: unknown[] = [];
  const client = {
    send: vi.fn(async (command: unknown) => {
      commands.push(command);
      const ids = (command as { input: { InstanceIds: string[] } }).input.InstanceIds;
      calls.push(ids);
      const error = options.fail?.(ids);
      if (error) throw error;
      const instances = ids
        .filter((id) => known.has(id))
        .map((id) => ({
          InstanceId: id,
          PrivateDnsName: options.noDns?.includes(id) ? '' : dns(id),
        }));
      // Like EC2: reservations group instances; order is not the request's.
      return { Reservations: [{ Instances: instances.reverse() }] };
    }),
  };
  return { client, calls, commands };
}

function awsError(name: string): Error {
  const error = new Error(`${name}: something`);
  error.name = name;
  return error;
}

async function rejection(promise: Promise<unknown>): Promise<TemplateError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TemplateError);
  expect((error as TemplateError).code).toBe('ERR_TEMPLATE');
  expect((error as TemplateError).placeholder).toBe('EC2PrivateDNSName');
  return error as TemplateError;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createEC2PrivateDNSNameResolver with an injected client', () => {
  it('concurrent look-ups become one DescribeInstancesCommand', async () => {
    const ec2 = fakeEc2();
    const resolve = createEC2PrivateDNSNameResolver({ client: ec2.client, batchWindow: 0 });
    const names = await Promise.all([resolve(I1), resolve(I2), resolve(I3)]);
    expect(names).toEqual([dns(I1), dns(I2), dns(I3)]);
    expect(ec2.calls).toEqual([[I1, I2, I3]]);
    expect(ec2.commands[0]).toBeInstanceOf(DescribeInstancesCommand);
  });

  it('look-ups within the window share a call; later ones make the next', async () => {
    vi.useFakeTimers();
    const ec2 = fakeEc2();
    const resolve = createEC2PrivateDNSNameResolver({ client: ec2.client, batchWindow: 10 });
    const first = resolve(I1);
    await vi.advanceTimersByTimeAsync(5);
    const second = resolve(I2);
    expect(ec2.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(5);
    await expect(Promise.all([first, second])).resolves.toEqual([dns(I1), dns(I2)]);
    const third = resolve(I3);
    await vi.advanceTimersByTimeAsync(10);
    await expect(third).resolves.toBe(dns(I3));
    expect(ec2.calls).toEqual([[I1, I2], [I3]]);
  });

  it('identical look-ups in flight share one id in the call', async () => {
    const ec2 = fakeEc2();
    const resolve = createEC2PrivateDNSNameResolver({ client: ec2.client, batchWindow: 0 });
    const [a, b] = await Promise.all([resolve(I1), resolve(I1)]);
    expect(a).toBe(dns(I1));
    expect(b).toBe(dns(I1));
    expect(ec2.calls).toEqual([[I1]]);
  });

  it('answers are cached until the TTL passes (injected clock)', async () => {
    let now = 1_000_000;
    const ec2 = fakeEc2();
    const resolve = createEC2PrivateDNSNameResolver({
      client: ec2.client,
      batchWindow: 0,
      cacheTtl: 60_000,
      now: () => now,
    });
    await resolve(I1);
    now += 59_999;
    await resolve(I1);
    expect(ec2.calls).toHaveLength(1);
    now += 1;
    await resolve(I1);
    expect(ec2.calls).toHaveLength(2);
  });

  it('cacheTtl 0 disables the cache', async () => {
    const ec2 = fakeEc2();
    const resolve = createEC2PrivateDNSNameResolver({
      client: ec2.client,
      batchWindow: 0,
      cacheTtl: 0,
    });
    await resolve(I1);
    await resolve(I1);
    expect(ec2.calls).toEqual([[I1], [I1]]);
  });

  it('maxCacheEntries drops the oldest answer', async () => {
    const ec2 = fakeEc2();
    const resolve = createEC2PrivateDNSNameResolver({
      client: ec2.client,
      batchWindow: 0,
      maxCacheEntries: 2,
    });
    await resolve(I1);
    await resolve(I2);
    await resolve(I3);
    await resolve(I2);
    await resolve(I1);
    expect(ec2.calls).toEqual([[I1], [I2], [I3], [I1]]);
  });

  it('more ids than maxBatchSize are split into several calls', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `i-0000000${i}`);
    const ec2 = fakeEc2({ known: ids });
    const resolve = createEC2PrivateDNSNameResolver({
      client: ec2.client,
      batchWindow: 0,
      maxBatchSize: 2,
    });
    expect(await Promise.all(ids.map(resolve))).toEqual(ids.map(dns));
    expect(ec2.calls).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
  });

  it('1000 concurrent look-ups: one call (the EC2 maximum)', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `i-${String(i).padStart(8, '0')}`);
    const ec2 = fakeEc2({ known: ids });
    const resolve = createEC2PrivateDNSNameResolver({ client: ec2.client, batchWindow: 0 });
    await Promise.all(ids.map(resolve));
    expect(ec2.calls.map((c) => c.length)).toEqual([1000, 1]);
  });

  it('one unknown id fails the batch call: the others are asked again one by one', async () => {
    const ec2 = fakeEc2({
      known: [I1, I2],
      fail: (ids) => (ids.includes(I3) ? awsError('InvalidInstanceID.NotFound') : undefined),
    });
    const resolve = createEC2PrivateDNSNameResolver({ client: ec2.client, batchWindow: 0 });
    const [a, b, c] = await Promise.allSettled([resolve(I1), resolve(I2), resolve(I3)]);
    expect(a).toEqual({ status: 'fulfilled', value: dns(I1) });
    expect(b).toEqual({ status: 'fulfilled', value: dns(I2) });
    expect(c.status).toBe('rejected');
    await rejection(Promise.reject((c as PromiseRejectedResult).reason));
    expect(ec2.calls).toEqual([[I1, I2, I3], [I1], [I2], [I3]]);
  });

  it.each([
    ['not in the answer', { known: [I1] }],
    ['without a private DNS name', { noDns: [I2] }],
  ])('an instance %s rejects', async (_name, options) => {
    const resolve = createEC2PrivateDNSNameResolver({
      client: fakeEc2(options).client,
      batchWindow: 0,
    });
    const error = await rejection(resolve(I2));
    expect(error.message).toContain(I2);
  });

  it('an EC2 failure rejects every look-up of the batch, cause kept', async () => {
    const denied = awsError('UnauthorizedOperation');
    const ec2 = fakeEc2({ fail: () => denied });
    const resolve = createEC2PrivateDNSNameResolver({ client: ec2.client, batchWindow: 0 });
    const results = await Promise.allSettled([resolve(I1), resolve(I2)]);
    for (const r of results) {
      const error = await rejection(Promise.reject((r as PromiseRejectedResult).reason));
      expect(error.cause).toBe(denied);
      expect(error.message).toContain('UnauthorizedOperation');
    }
    expect(ec2.calls).toEqual([[I1, I2]]);
  });

  it('a failure is not cached: the next look-up asks again', async () => {
    let fail = true;
    const ec2 = fakeEc2({ fail: () => (fail ? awsError('RequestLimitExceeded') : undefined) });
    const resolve = createEC2PrivateDNSNameResolver({ client: ec2.client, batchWindow: 0 });
    await rejection(resolve(I1));
    fail = false;
    await expect(resolve(I1)).resolves.toBe(dns(I1));
  });

  it.each([['alice'], ['i-123'], [''], ['i-0123456789abcdef0x']])(
    'not an instance id (%j): rejected without a call',
    async (id) => {
      const ec2 = fakeEc2();
      const resolve = createEC2PrivateDNSNameResolver({ client: ec2.client, batchWindow: 0 });
      await rejection(resolve(id));
      expect(ec2.calls).toEqual([]);
    },
  );

  it.each<[string, EC2PrivateDNSNameResolverOptions]>([
    ['client without send', { client: {} as never }],
    ['empty region', { region: '' }],
    ['negative batchWindow', { batchWindow: -1 }],
    ['maxBatchSize over 1000', { maxBatchSize: 1001 }],
    ['maxBatchSize 0', { maxBatchSize: 0 }],
    ['fractional cacheTtl', { cacheTtl: 1.5 }],
    ['maxCacheEntries 0', { maxCacheEntries: 0 }],
    ['now not a function', { now: 5 as never }],
  ])('bad option (%s): TypeError at creation', (_name, options) => {
    expect(() => createEC2PrivateDNSNameResolver(options)).toThrow(TypeError);
  });
});

describe('the optional @aws-sdk/client-ec2 peer', () => {
  it('not installed and no client: TemplateError telling how to fix it', async () => {
    const missing = new Error("Cannot find package '@aws-sdk/client-ec2'");
    const resolve = createResolverWith({ batchWindow: 0 }, () => Promise.reject(missing));
    const error = await rejection(resolve(I1));
    expect(error.message).toContain('install');
    expect(error.message).toContain('options.client');
    expect(error.cause).toBe(missing);
  });

  it('not installed but a client is passed: the client gets a plain { input } command', async () => {
    const ec2 = fakeEc2();
    const resolve = createResolverWith({ client: ec2.client, batchWindow: 0 }, () =>
      Promise.reject(new Error('missing')),
    );
    await expect(resolve(I1)).resolves.toBe(dns(I1));
    expect(ec2.commands).toEqual([{ input: { InstanceIds: [I1] } }]);
  });

  it('installed and no client: one EC2Client is created with the region and reused', async () => {
    const ec2 = fakeEc2();
    const configs: unknown[] = [];
    class EC2Client {
      constructor(config: unknown) {
        configs.push(config);
      }
      send = ec2.client.send;
    }
    const sdk = { EC2Client, DescribeInstancesCommand };
    const resolve = createResolverWith({ region: 'eu-west-1', batchWindow: 0, cacheTtl: 0 }, () =>
      Promise.resolve(sdk),
    );
    await resolve(I1);
    await resolve(I2);
    expect(configs).toEqual([{ region: 'eu-west-1' }]);
    expect(ec2.calls).toEqual([[I1], [I2]]);
  });
});

describe('with mapIdentity', () => {
  it('a node role maps to system:node:<private DNS name>', async () => {
    const awsAuth = parseAwsAuth({
      mapRoles:
        '- rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes\n',
    });
    const ec2 = fakeEc2();
    const resolveEC2PrivateDNSName = createEC2PrivateDNSNameResolver({
      client: ec2.client,
      batchWindow: 0,
    });
    const nodes = await Promise.all(
      [I1, I2].map((id) =>
        mapIdentity(awsAuth, `arn:aws:sts::111122223333:assumed-role/NodeInstanceRole/${id}`, {
          resolveEC2PrivateDNSName,
        }),
      ),
    );
    expect(nodes.map((m) => m?.username)).toEqual([
      `system:node:${dns(I1)}`,
      `system:node:${dns(I2)}`,
    ]);
    expect(nodes[0]?.groups).toEqual(['system:bootstrappers', 'system:nodes']);
    expect(ec2.calls).toEqual([[I1, I2]]);
  });
});
