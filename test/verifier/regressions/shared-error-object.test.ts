/**
 * Regression (security audit): coalesced callers shared one error object.
 * Concurrent calls for one token share one STS request (SPEC 3.6), and all
 * of them were rejected with the very same error: a caller that changed it
 * (an error handler rewriting `message`, a framework attaching a status)
 * changed what every other caller saw, and what the negative cache served
 * next. Every caller now gets its own copy, of the same class and fields.
 */
import { describe, expect, it } from 'vitest';
import { StsRejectedError, StsThrottledError } from '../../../src/errors.js';
import { gatedFetch, settle, tokenFor, useEmulator, verifierWith } from '../support.js';

const context = useEmulator();

async function errorsOf(promises: Promise<unknown>[]): Promise<unknown[]> {
  return Promise.all(
    promises.map((p) =>
      p.then(
        () => undefined,
        (error: unknown) => error,
      ),
    ),
  );
}

describe('regression: coalesced callers never share one error object', () => {
  it('a rejection: each caller its own error; mutating one changes no other, nor the cached one', async () => {
    const gate = gatedFetch(context.emulator.fetch);
    const verifier = verifierWith(gate.fetch);
    const foreign = await tokenFor(context.emulator, { clusterId: 'other-cluster' });
    const calls = [verifier.verify(foreign), verifier.verify(foreign), verifier.verify(foreign)];
    await settle();
    gate.open();
    const [first, second, third] = (await errorsOf(calls)) as StsRejectedError[];
    expect(gate.calls).toHaveLength(1);
    for (const error of [first, second, third]) {
      expect(error).toBeInstanceOf(StsRejectedError);
      expect(error).toMatchObject({
        code: 'ERR_STS_REJECTED',
        status: 403,
        awsCode: 'SignatureDoesNotMatch',
      });
    }
    expect(new Set([first, second, third]).size).toBe(3);

    (first as { message: string }).message = 'rewritten by one caller';
    (first as unknown as { awsCode: string }).awsCode = 'Mutated';
    expect(second?.message).not.toBe('rewritten by one caller');
    expect(third?.awsCode).toBe('SignatureDoesNotMatch');
    // The cached rejection did not change either.
    const cached = (await errorsOf([verifier.verify(foreign)]))[0] as StsRejectedError;
    expect(cached).toMatchObject({ awsCode: 'SignatureDoesNotMatch' });
    expect(cached.message).not.toBe('rewritten by one caller');
  });

  it('a throttling answer: each caller its own error', async () => {
    const gate = gatedFetch(context.emulator.fetchWith({ fault: 'throttle' }));
    const verifier = verifierWith(gate.fetch);
    const calls = [verifier.verify(context.token), verifier.verify(context.token)];
    await settle();
    gate.open();
    const [first, second] = (await errorsOf(calls)) as StsThrottledError[];
    expect(first).toBeInstanceOf(StsThrottledError);
    expect(second).toBeInstanceOf(StsThrottledError);
    expect(first).not.toBe(second);
    (first as { message: string }).message = 'rewritten';
    expect(second?.message).toMatch(/throttled/);
  });
});
