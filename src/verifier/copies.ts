/**
 * Every caller of `verifier.verify` gets objects of its own (SPEC 3.6): an
 * identity or error that the cache keeps, or that coalesced callers share,
 * is handed out as a copy, so one caller that edits what it got (an error
 * handler that rewrites `message`, a middleware that sets a field on the
 * identity) never changes what the cache serves next or what another
 * caller sees.
 *
 * @module
 */
import type { VerifiedIdentity } from '../token/verify.js';

/** A copy of `identity`, its dates included. */
export function copyIdentity(identity: VerifiedIdentity): VerifiedIdentity {
  return {
    ...identity,
    signedAt: new Date(identity.signedAt.getTime()),
    expiresAt: new Date(identity.expiresAt.getTime()),
  };
}

/**
 * A copy of a thrown value: for an `Error`, an object of the same class with
 * copies of its own properties (`message`, `stack`, `code`, `status`,
 * `awsCode`, `retryAt`, `reason`, …; dates copied, an `Error` cause copied
 * the same way); anything else as it is.
 */
export function copyError<T>(error: T): T {
  if (!(error instanceof Error)) return error;
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, name) as PropertyDescriptor;
    if ('value' in descriptor) descriptor.value = copyValue(descriptor.value);
    Object.defineProperty(copy, name, descriptor);
  }
  return copy as T;
}

function copyValue(value: unknown): unknown {
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Error) return copyError(value);
  return value;
}

/** Rethrows a copy of `error` (a rejection handler). */
export function throwCopy(error: unknown): never {
  throw copyError(error);
}
