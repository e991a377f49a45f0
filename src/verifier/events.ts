/**
 * Verification events for metrics (SPEC 3.6): one {@link VerifyEvent} per
 * `verifier.verify` call, given to `onEvent` and published on the
 * `node:diagnostics_channel` channel {@link VERIFY_CHANNEL} where that
 * module exists.
 *
 * The result names are the Go authenticator's `result` label values of
 * `aws_iam_authenticator_authenticate_latency_seconds`
 * (`pkg/metrics/metrics.go:12-17`, set in `pkg/server/server.go:348-438`),
 * so dashboards built on it keep working, and errors fall into them as the Go
 * authenticator's do: throttling → `sts_throttling` (server.go:379-380);
 * every other STS failure — network, non-200 answers including 4xx
 * rejections, unreadable or inconsistent bodies — is its `STSError`
 * (`pkg/token/token.go:692-727`, 745-747, 765) → `sts_error`
 * (server.go:387-388); everything else the verifier refuses → `invalid_token`
 * (server.go:389-390). `malformed_request` is, there, a request body that is
 * not a TokenReview (server.go:364-368); here, a call that carries no token
 * string or invalid call options.
 *
 * `node:diagnostics_channel` is imported dynamically, once, and its absence
 * (edge runtimes) only means there is no channel: the library is built for a
 * neutral platform and never imports `node:` modules statically.
 *
 * @module
 */
import { EksAuthError, TokenFormatError } from '../errors.js';
import { importOptional } from '../util/optional-import.js';
import type { SharedLookupOutcome } from './shared-cache.js';

/** The `diagnostics_channel` channel every {@link VerifyEvent} is published on. */
export const VERIFY_CHANNEL = 'eks-iam-auth:verify';

/**
 * How a verification ended, in the Go authenticator's metric label values:
 * - `success`: an identity was returned;
 * - `malformed_request`: the call was unusable (the token is not a string,
 *   or the call options are invalid);
 * - `invalid_token`: the token failed a local check (structure, host policy,
 *   clock);
 * - `sts_error`: STS rejected the token, was unavailable or answered
 *   something invalid, or the verifier was overloaded;
 * - `sts_throttling`: STS throttled, or the verifier is backing off the
 *   token's signer.
 */
export type VerifyResult =
  'success' | 'malformed_request' | 'invalid_token' | 'sts_error' | 'sts_throttling';

/** Where a verification's answer came from (see {@link VerifyEvent.source}). */
export type VerifySource = 'memory' | 'shared' | 'sts';

/** One `verifier.verify` call, for metrics. Never carries the token or any part of it. */
export interface VerifyEvent {
  /** Always `'verify'`. */
  type: 'verify';
  /** How the call ended. */
  result: VerifyResult;
  /**
   * True when the answer (identity or STS rejection) came from a cache:
   * the in-process one or the shared store (`source`).
   */
  cached: boolean;
  /**
   * Where the answer came from: the in-process cache (`memory`), the fleet's
   * shared store (`shared`), or an STS request (`sts`, whatever it ended
   * in), this call's or one it joined. Absent when the call ended before
   * any of them answered (a local check, a backoff refusal, a full queue,
   * the caller's abort).
   */
  source?: VerifySource;
  /**
   * How this call's look-up in the shared store ended, when it made one
   * (`verifier.stats()` counts the same): `hit`, `miss`, `rejected` (a value
   * was there but did not open as a sealed identity for this token: forged,
   * tampered, swapped or another fleet's; worth an alert), or `error` (the
   * store failed, timed out or was not ready). Absent for calls that joined
   * another's look-up.
   */
  sharedCache?: SharedLookupOutcome;
  /** Milliseconds from the call to its answer. */
  durationMs: number;
  /** The token's STS host, once the token parsed (a host is not a secret). */
  stsHost?: string;
  /**
   * The HTTP status of STS's answer to the request this call sent. Absent
   * for cache hits, for calls that joined another call's request (exactly
   * one event carries each STS answer, as for the Go authenticator's
   * `sts_responses_total`), and when STS never answered.
   */
  stsStatus?: number;
}

/** The result label of a failed call. */
export function resultOf(error: unknown): VerifyResult {
  if (!(error instanceof EksAuthError)) return 'malformed_request';
  switch (error.code) {
    case 'ERR_STS_THROTTLED':
      return 'sts_throttling';
    case 'ERR_STS_REJECTED':
    case 'ERR_STS_UNAVAILABLE':
    case 'ERR_STS_RESPONSE_INVALID':
      return 'sts_error';
    default:
      return error instanceof TokenFormatError && error.reason === 'not-a-string'
        ? 'malformed_request'
        : 'invalid_token';
  }
}

/** The part of a `diagnostics_channel` channel used here. */
export interface EventChannel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
}

/** Loads `node:diagnostics_channel`; rejects where there is no such module. */
export type DiagnosticsChannelImporter = () => Promise<{
  channel(name: string): EventChannel;
}>;

// Imported by name at run time (as node:crypto is): a literal `node:` import
// would break bundles for runtimes without it (workerd without nodejs_compat).
const importDiagnosticsChannel: DiagnosticsChannelImporter = () =>
  importOptional('node:diagnostics_channel') as ReturnType<DiagnosticsChannelImporter>;

/** The {@link VERIFY_CHANNEL} channel, or `undefined` where the module does not exist. Never rejects. */
export async function loadVerifyChannel(
  importer: DiagnosticsChannelImporter = importDiagnosticsChannel,
): Promise<EventChannel | undefined> {
  try {
    const channel = (await importer()).channel(VERIFY_CHANNEL);
    return typeof channel.publish === 'function' ? channel : undefined;
  } catch {
    return undefined;
  }
}

let processChannel: Promise<EventChannel | undefined> | undefined;

/** {@link loadVerifyChannel}, once per process. */
export function getVerifyChannel(): Promise<EventChannel | undefined> {
  processChannel ??= loadVerifyChannel();
  return processChannel;
}

/** Delivers events to `onEvent` and the channel; building an event is skipped when nobody listens. */
export class VerifyEventSink {
  readonly #onEvent: ((event: VerifyEvent) => void) | undefined;
  readonly #channel: EventChannel | undefined;

  constructor(
    onEvent: ((event: VerifyEvent) => void) | undefined,
    channel: EventChannel | undefined,
  ) {
    this.#onEvent = onEvent;
    this.#channel = channel;
  }

  /** True when an event would reach someone. */
  get listening(): boolean {
    return this.#onEvent !== undefined || this.#channel?.hasSubscribers === true;
  }

  /**
   * Deliver `event`. A listener that throws is ignored: metrics must never
   * change an authentication answer.
   */
  emit(event: VerifyEvent): void {
    if (this.#onEvent !== undefined) {
      try {
        this.#onEvent(event);
      } catch {
        // see above
      }
    }
    if (this.#channel?.hasSubscribers === true) {
      try {
        this.#channel.publish(event);
      } catch {
        // see above
      }
    }
  }
}
