/**
 * The host-wide breaker (SPEC 3.6): when STS at one host throttles many
 * distinct accounts at once, the trouble is likely STS's or this server's,
 * not one caller's, and every new request would only add to it. The breaker
 * then refuses new requests to that host for a short while.
 *
 * It opens only on throttling from {@link BREAKER_ACCOUNTS} distinct
 * **accounts** within {@link BREAKER_WINDOW_MS}, and for
 * {@link BREAKER_OPEN_MS} at most. Accounts, not access keys: one attacker
 * mints access keys for free (every role session is a new one), but each
 * account counted here was vouched for by STS in an earlier answer, so one
 * attacker who throttles their own account never opens it.
 *
 * @module
 */
import { StsThrottledError } from '../errors.js';
import { BoundedMap } from './bounded-map.js';

/** Distinct accounts throttled within {@link BREAKER_WINDOW_MS} that open the breaker. */
export const BREAKER_ACCOUNTS = 5;
/** How far back throttling answers count. */
export const BREAKER_WINDOW_MS = 10_000;
/** How long the breaker stays open. */
export const BREAKER_OPEN_MS = 2_000;
// Hosts come from the allowlist (a few hundred at most); bound them anyway.
const MAX_HOSTS = 256;

interface HostState {
  /** Account → when STS last throttled it at this host (epoch ms), oldest first. */
  readonly recent: Map<string, number>;
  /** Refuse new requests before this instant (epoch ms); 0 when never opened. */
  openUntil: number;
  status: number;
  awsCode: string | undefined;
}

/** Breaker state per STS host. Instants are on the verifier's clock (epoch ms). */
export class HostBreaker {
  readonly #hosts = new BoundedMap<string, HostState>(MAX_HOSTS);

  /** The error for a request to `host` at `now` while its breaker is open, else `undefined`. */
  refusal(host: string, now: number): StsThrottledError | undefined {
    const state = this.#hosts.peek(host);
    if (state === undefined || now >= state.openUntil) return undefined;
    const retryAt = new Date(state.openUntil);
    return new StsThrottledError(
      state.status,
      state.awsCode,
      `STS at ${host} is throttling ${BREAKER_ACCOUNTS} or more accounts at once; ` +
        `no new request to it before ${retryAt.toISOString()}`,
      { retryAt },
    );
  }

  /**
   * STS at `host` throttled a request of `accountId` (`undefined`: a signer
   * whose account is not known yet, which does not count) ending at `now`.
   */
  throttled(
    host: string,
    accountId: string | undefined,
    now: number,
    error: StsThrottledError,
  ): void {
    if (accountId === undefined) return;
    let state = this.#hosts.get(host);
    if (state === undefined) {
      state = { recent: new Map(), openUntil: 0, status: error.status, awsCode: error.awsCode };
      this.#hosts.set(host, state);
    }
    const { recent } = state;
    recent.delete(accountId);
    recent.set(accountId, now);
    for (const [account, at] of recent) {
      if (at > now - BREAKER_WINDOW_MS) break;
      recent.delete(account);
    }
    if (recent.size >= BREAKER_ACCOUNTS && now >= state.openUntil) {
      state.openUntil = now + BREAKER_OPEN_MS;
      state.status = error.status;
      state.awsCode = error.awsCode;
      // Opening again takes as many accounts throttled afresh.
      recent.clear();
    }
  }

  /** The latest end of an open breaker (epoch ms), if any host's has opened. */
  latestUntil(): number | undefined {
    let latest: number | undefined;
    for (const { openUntil } of this.#hosts.values()) {
      if (openUntil > 0 && (latest === undefined || openUntil > latest)) latest = openUntil;
    }
    return latest;
  }
}
