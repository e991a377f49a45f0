/**
 * Shared set-up of the verifier tests: an STS emulator on a fixed clock, and
 * tokens signed by the emulator's keys for that clock.
 */
import { afterAll, beforeAll } from 'vitest';
import { generateToken } from '../../src/token/generate.js';
import { startStsEmulator } from '../support/sts-emulator.js';
import type { StsEmulator } from '../support/sts-emulator.js';

/** When every test token is signed, and the emulator's clock. */
export const SIGNED_AT: Date = new Date('2024-01-15T12:34:56Z');
/** One minute after signing: fresh for the verifier and for STS. */
export const NOW: Date = new Date(SIGNED_AT.getTime() + 60_000);
/** The token's expiry: 15 minutes after signing. */
export const EXPIRES_AT: Date = new Date(SIGNED_AT.getTime() + 15 * 60_000);
export const CLUSTER = 'demo';
export const REGION = 'us-west-2';

/** An emulator whose clock is {@link NOW}. */
export function startEmulator(): Promise<StsEmulator> {
  return startStsEmulator({ now: () => NOW });
}

/** A token for {@link CLUSTER} signed by the emulator's `iam-user` key (or `caseId`'s) at {@link SIGNED_AT}. */
export async function tokenFor(
  emulator: StsEmulator,
  options: { caseId?: string; clusterId?: string; signingDate?: Date } = {},
): Promise<string> {
  const generated = await generateToken({
    clusterId: options.clusterId ?? CLUSTER,
    region: REGION,
    credentials: emulator.credentialsFor(options.caseId ?? 'iam-user'),
    signingDate: options.signingDate ?? SIGNED_AT,
  });
  return generated.token;
}

/** `fetch` that counts the requests it passes on to `inner`. */
export function countingFetch(inner: typeof fetch): typeof fetch & { count: number } {
  const counted = Object.assign(
    (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      counted.count++;
      return inner(input, init);
    },
    { count: 0 },
  );
  return counted;
}

/** The running emulator and a token for it, set up by {@link useEmulator}. */
export interface EmulatorContext {
  emulator: StsEmulator;
  token: string;
}

/** Start an emulator and sign a token before the file's tests; stop it after them. */
export function useEmulator(): EmulatorContext {
  const context = {} as EmulatorContext;
  beforeAll(async () => {
    context.emulator = await startEmulator();
    context.token = await tokenFor(context.emulator);
  });
  afterAll(async () => {
    await context.emulator.close();
  });
  return context;
}
