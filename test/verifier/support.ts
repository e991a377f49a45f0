/**
 * Shared set-up of the verifier tests: an STS emulator on a fixed clock, and
 * tokens signed by the emulator's keys for that clock.
 */
import { afterAll, beforeAll } from 'vitest';
import { generateToken } from '../../src/token/generate.js';
import { createVerifier } from '../../src/verifier/create.js';
import type { Verifier, VerifierOptions } from '../../src/verifier/create.js';
import { startStsEmulator } from '../support/sts-emulator.js';
import type { StsEmulator } from '../support/sts-emulator.js';

export { countingFetch } from './fake-sts.js';

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
  options: { caseId?: string; clusterId?: string; signingDate?: Date; region?: string } = {},
): Promise<string> {
  const generated = await generateToken({
    clusterId: options.clusterId ?? CLUSTER,
    region: options.region ?? REGION,
    credentials: emulator.credentialsFor(options.caseId ?? 'iam-user'),
    signingDate: options.signingDate ?? SIGNED_AT,
  });
  return generated.token;
}

const SESSION_SECRET = 'session/secret+key=';

/**
 * A fresh access key of `account` that `emulator` knows (as if a new role
 * session): `ASIA<account><n>`, answering
 * `arn:aws:sts::<account>:assumed-role/dev/session-<n>`.
 */
export function sessionKey(emulator: StsEmulator, account: string, n: number): string {
  const accessKeyId = `ASIA${account}${String(n).padStart(8, '0')}`;
  emulator.addPrincipal({
    accessKeyId,
    secretAccessKey: SESSION_SECRET,
    caseId: 'iam-user',
    identity: {
      arn: `arn:aws:sts::${account}:assumed-role/dev/session-${n}`,
      account,
      userId: `AROA${account}:session-${n}`,
    },
  });
  return accessKeyId;
}

/**
 * A token for {@link CLUSTER} in {@link REGION} of a {@link sessionKey} key,
 * signed `offsetMs` after one minute before {@link NOW} (offsets in whole
 * seconds give distinct tokens, all fresh at {@link NOW}).
 */
export async function sessionToken(accessKeyId: string, offsetMs = 0): Promise<string> {
  const generated = await generateToken({
    clusterId: CLUSTER,
    region: REGION,
    credentials: { accessKeyId, secretAccessKey: SESSION_SECRET },
    signingDate: new Date(NOW.getTime() - 60_000 + offsetMs),
  });
  return generated.token;
}

/**
 * A fresh login of someone else at `at(ms)`: a new key (the `step`-th) of
 * one of ten bystander accounts, signed `ms` after one minute before
 * {@link NOW}. True when the verifier refused it.
 */
export async function bystanderRefused(
  verifier: Verifier,
  emulator: StsEmulator,
  step: number,
  ms: number,
): Promise<boolean> {
  const account = `1000000000${String(step % 10).padStart(2, '0')}`;
  const key = sessionKey(emulator, account, step);
  const result = await verifier.verify(await sessionToken(key, ms), at(ms)).then(
    (identity) => identity.accountId,
    (error: { code?: string }) => error.code,
  );
  return result !== account;
}

/** A fixed clock `ms` after {@link NOW}, as call options. */
export function at(ms: number): { currentDate: Date } {
  return { currentDate: new Date(NOW.getTime() + ms) };
}

/** A `fetch` that holds every request until {@link GatedFetch.open} is called. */
export interface GatedFetch {
  fetch: typeof fetch;
  /** Requests received so far, with the signal each was given. */
  calls: { url: string; signal: AbortSignal | undefined }[];
  /** Let every held and later request through to `inner`. */
  open(): void;
}

/** See {@link GatedFetch}. */
export function gatedFetch(inner: typeof fetch): GatedFetch {
  let opened = false;
  let waiting: (() => void)[] = [];
  const gated: GatedFetch = {
    calls: [],
    fetch: async (input, init) => {
      gated.calls.push({ url: String(input), signal: init?.signal ?? undefined });
      if (!opened) await new Promise<void>((resolve) => waiting.push(resolve));
      return inner(input, init);
    },
    open() {
      opened = true;
      for (const resolve of waiting) resolve();
      waiting = [];
    },
  };
  return gated;
}

/** Resolve after pending promise reactions and I/O callbacks have run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A verifier for {@link CLUSTER} in {@link REGION} on the fixed clock {@link NOW}, without retries. */
export function verifierWith(
  fetch: typeof globalThis.fetch,
  options: Partial<VerifierOptions> = {},
): Verifier {
  return createVerifier({
    clusterId: CLUSTER,
    region: REGION,
    currentDate: NOW,
    retries: 0,
    fetch,
    ...options,
  });
}

/** The error code a promise rejects with, or `undefined` if it resolves. */
export function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: { code?: string }) => error.code ?? String(error),
  );
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
