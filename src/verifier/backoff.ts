/**
 * Per-STS-host backoff after throttling (SPEC 3.6). STS throttles per
 * endpoint with limits that cannot be raised, and retrying while throttled
 * only extends the throttling; the Go authenticator has no such guard (its
 * `pkg/server/server.go:371` still reads "TODO: rate limit here so we can't
 * be tricked into spamming AWS"). After a throttling answer no new request
 * goes to that host for a window that starts at 1 s and doubles, up to 30 s,
 * while the probes that follow each window are throttled too; STS answering
 * a token again (an identity or a rejection, not a 5xx) resets it.
 *
 * @module
 */
import { StsThrottledError } from '../errors.js';

/** The first backoff window after a throttling answer. */
export const FIRST_BACKOFF_MS = 1_000;
/** The longest backoff window. */
export const MAX_BACKOFF_MS = 30_000;
// Only throttling answers from real STS hosts add state; bound it anyway.
const MAX_HOSTS = 256;

interface HostState {
  /** No new request before this instant (epoch ms). */
  until: number;
  /** The window the next throttling answer after `until` opens. */
  nextWindowMs: number;
  /** The throttling answer that opened the window. */
  status: number;
  awsCode: string | undefined;
}

/** Backoff state per STS host. Instants are on the verifier's clock (epoch ms). */
export class StsHostBackoff {
  readonly #hosts = new Map<string, HostState>();

  /** The error for a call to `host` at `now` inside a window, else `undefined`. */
  refusal(host: string, now: number): StsThrottledError | undefined {
    const state = this.#hosts.get(host);
    if (state === undefined || now >= state.until) return undefined;
    const retryAt = new Date(state.until);
    return new StsThrottledError(
      state.status,
      state.awsCode,
      `STS throttled requests to ${host}; backing off, no new request before ${retryAt.toISOString()}`,
      { retryAt },
    );
  }

  /**
   * STS at `host` throttled a request that ended at `now`. Answers to
   * requests sent before the current window opened do not lengthen it: a
   * burst of throttled answers is one throttling event.
   */
  throttled(host: string, now: number, error: StsThrottledError): void {
    const state = this.#hosts.get(host);
    if (state !== undefined && now < state.until) return;
    const windowMs = state?.nextWindowMs ?? FIRST_BACKOFF_MS;
    this.#hosts.delete(host);
    if (this.#hosts.size >= MAX_HOSTS) {
      const oldest = this.#hosts.keys().next();
      if (oldest.done !== true) this.#hosts.delete(oldest.value);
    }
    this.#hosts.set(host, {
      until: now + windowMs,
      nextWindowMs: Math.min(windowMs * 2, MAX_BACKOFF_MS),
      status: error.status,
      awsCode: error.awsCode,
    });
  }

  /** STS at `host` judged a token (an identity or a rejection): the next throttling starts at 1 s again. */
  succeeded(host: string): void {
    this.#hosts.delete(host);
  }

  /** The latest end of a backoff window over all hosts (epoch ms), if any host has one. */
  latestUntil(): number | undefined {
    let latest: number | undefined;
    for (const state of this.#hosts.values()) {
      if (latest === undefined || state.until > latest) latest = state.until;
    }
    return latest;
  }
}
