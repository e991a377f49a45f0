/**
 * createVerifier's options and verify()'s call options: a caller bug is a
 * `TypeError` (thrown by the factory, a rejection from verify), never a
 * verdict; verify never throws synchronously.
 */
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../../src/verifier/create.js';
import type { VerifierOptions } from '../../src/verifier/create.js';
import { fakeStsFetch } from './fake-sts.js';
import { CLUSTER, NOW } from './support.js';

const fetch = fakeStsFetch();
const valid: VerifierOptions = { clusterId: CLUSTER, fetch };

describe('createVerifier options', () => {
  const BAD: [string, Record<string, unknown>, RegExp][] = [
    ['no clusterId', { clusterId: undefined }, /createVerifier: options.clusterId/],
    ['verifyToken rule: bad partition', { partition: 'mars' }, /createVerifier: options.partition/],
    ['verifyToken rule: bad timeout', { timeout: 0 }, /createVerifier: options.timeout/],
    ['cache not an object', { cache: 'yes' }, /options.cache must be/],
    ['cache: true', { cache: true }, /options.cache must be/],
    ['maxEntries 0', { cache: { maxEntries: 0 } }, /maxEntries/],
    ['maxEntries fractional', { cache: { maxEntries: 1.5 } }, /maxEntries/],
    ['ttl negative', { cache: { ttl: -1 } }, /ttl/],
    ['ttl infinite', { cache: { ttl: Infinity } }, /ttl/],
    ['negativeTtl not a number', { cache: { negativeTtl: '10' } }, /negativeTtl/],
    ['maxConcurrentStsRequests 0', { maxConcurrentStsRequests: 0 }, /maxConcurrentStsRequests/],
    ['maxQueue negative', { maxQueue: -1 }, /maxQueue/],
    ['maxQueue fractional', { maxQueue: 0.5 }, /maxQueue/],
    ['onEvent not a function', { onEvent: 'log' }, /onEvent/],
  ];
  it.each(BAD)('%s → TypeError', (_, change, message) => {
    expect(() => createVerifier({ ...valid, ...change } as VerifierOptions)).toThrow(TypeError);
    expect(() => createVerifier({ ...valid, ...change } as VerifierOptions)).toThrow(message);
  });

  it('options that are not an object → TypeError', () => {
    expect(() => createVerifier(null as unknown as VerifierOptions)).toThrow(TypeError);
  });

  const GOOD: [string, Partial<VerifierOptions>][] = [
    ['defaults', {}],
    ['cache: false', { cache: false }],
    ['ttl 0 and negativeTtl 0', { cache: { ttl: 0, negativeTtl: 0 } }],
    ['maxQueue 0', { maxQueue: 0 }],
  ];
  it.each(GOOD)('%s is accepted', (_, change) => {
    expect(createVerifier({ ...valid, ...change }).stats()).toEqual({
      hits: 0,
      misses: 0,
      coalesced: 0,
      stsRequests: 0,
      entries: 0,
    });
  });
});

describe('verify() call options', () => {
  const BAD: [string, unknown][] = [
    ['options not an object', 'now'],
    ['currentDate not a Date', { currentDate: '2024-01-15' }],
    ['currentDate invalid', { currentDate: new Date(Number.NaN) }],
    ['signal not a signal', { signal: {} }],
  ];
  it.each(BAD)('%s → rejected TypeError, never a synchronous throw', async (_, options) => {
    const verifier = createVerifier({ ...valid, currentDate: NOW });
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = verifier.verify('k8s-aws-v1.x', options as never);
    }).not.toThrow();
    await expect(promise).rejects.toBeInstanceOf(TypeError);
  });

  it('a token that is not a string → rejected ERR_TOKEN_MALFORMED', async () => {
    const verifier = createVerifier(valid);
    await expect(verifier.verify(undefined as unknown as string)).rejects.toMatchObject({
      code: 'ERR_TOKEN_MALFORMED',
      reason: 'not-a-string',
    });
  });
});
