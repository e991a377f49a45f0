/**
 * Backoff per signer after throttling (SPEC 3.6).
 *
 * STS throttles per account: a presigned call counts against the account
 * whose key signed it (AWS re:Post, "How do I resolve API throttling or
 * 'Rate exceeded' errors for IAM and AWS STS?": calls "contribute to a
 * maximum rate limit for your AWS account", which cannot be raised), and
 * anyone can throttle their own account for free by signing requests until
 * STS answers `Throttling`. Retrying a throttled signer only extends its
 * throttling; the Go authenticator has no guard at all
 * (`pkg/server/server.go:371` reads "TODO: rate limit here so we can't be
 * tricked into spamming AWS"). So after a throttling answer from an STS host
 * no new request goes to that host for tokens of that access key id, nor,
 * once the verifier knows the key's account, for any key of that account:
 * for a window that starts at 1 s and doubles, up to 30 s, while the probes
 * that follow each window are throttled too. STS answering that signer
 * again (an identity or a rejection, not a 5xx) resets it. Windows are kept
 * per STS host too (the endpoints are regional): a signer throttled at one
 * host still gets a probe at another. Every other signer's tokens go
 * through untouched: a backoff per STS host let one attacker's throttled
 * account refuse every fresh login on the host.
 *
 * @module
 */
import { StsThrottledError } from '../errors.js';
import { BoundedMap } from './bounded-map.js';

/** The first backoff window after a throttling answer. */
export const FIRST_BACKOFF_MS = 1_000;
/** The longest backoff window. */
export const MAX_BACKOFF_MS = 30_000;
// Access key ids are free to mint (a new role session is a new key): bound
// the state, dropping the least recently throttled signer.
const MAX_SIGNERS = 10_000;

/** Who signed a token for which STS host: its access key id, and its account once known. */
export interface Signer {
  /** The STS host the token is for. */
  readonly host: string;
  readonly accessKeyId: string;
  readonly accountId: string | undefined;
}

// Host names and key or account ids never contain a line feed.
const at = (host: string, id: string): string => `${host}\n${id}`;

/** One backoff window. */
export interface BackoffWindow {
  /** No new request before this instant (epoch ms). */
  readonly until: number;
  /** The window the next throttling answer after `until` opens. */
  readonly nextWindowMs: number;
  /** The throttling answer that opened the window. */
  readonly status: number;
  readonly awsCode: string | undefined;
}

/** Backoff windows by name (a host with an access key id, or with an account id), bounded. */
class Windows {
  readonly #windows = new BoundedMap<string, BackoffWindow>(MAX_SIGNERS);

  open(name: string, now: number, error: StsThrottledError): void {
    const window = this.#windows.peek(name);
    // Answers to requests sent before the window opened do not lengthen it:
    // a burst of throttled answers is one throttling event.
    if (window !== undefined && now < window.until) return;
    const windowMs = window?.nextWindowMs ?? FIRST_BACKOFF_MS;
    this.#windows.set(name, {
      until: now + windowMs,
      nextWindowMs: Math.min(windowMs * 2, MAX_BACKOFF_MS),
      status: error.status,
      awsCode: error.awsCode,
    });
  }

  /** The window `name` is inside at `now`, if any. */
  current(name: string, now: number): BackoffWindow | undefined {
    const window = this.#windows.peek(name);
    return window !== undefined && now < window.until ? window : undefined;
  }

  close(name: string): void {
    this.#windows.delete(name);
  }

  latestUntil(): number | undefined {
    let latest: number | undefined;
    for (const { until } of this.#windows.values()) {
      if (latest === undefined || until > latest) latest = until;
    }
    return latest;
  }
}

/** Backoff state per STS host and access key id, and per host and account. Instants are on the verifier's clock (epoch ms). */
export class SignerBackoff {
  readonly #keys = new Windows();
  readonly #accounts = new Windows();

  /** The error for a request signed by `signer` at `now` inside a window, else `undefined`. */
  refusal(signer: Signer, now: number): StsThrottledError | undefined {
    const { host, accessKeyId, accountId } = signer;
    const byKey = this.#keys.current(at(host, accessKeyId), now);
    const byAccount =
      accountId === undefined ? undefined : this.#accounts.current(at(host, accountId), now);
    const window =
      byKey === undefined || (byAccount !== undefined && byAccount.until > byKey.until)
        ? byAccount
        : byKey;
    if (window === undefined) return undefined;
    const retryAt = new Date(window.until);
    return new StsThrottledError(
      window.status,
      window.awsCode,
      `STS at ${host} throttled requests signed by ${window === byKey ? "this token's access key" : "this token's account"}; ` +
        `backing off, no new request for them before ${retryAt.toISOString()}`,
      { retryAt },
    );
  }

  /** STS throttled a request of `signer` that ended at `now`. */
  throttled(signer: Signer, now: number, error: StsThrottledError): void {
    const { host, accessKeyId, accountId } = signer;
    this.#keys.open(at(host, accessKeyId), now, error);
    if (accountId !== undefined) this.#accounts.open(at(host, accountId), now, error);
  }

  /** STS judged a token of `signer` (an identity or a rejection): its next throttling starts at 1 s again. */
  answered(signer: Signer): void {
    const { host, accessKeyId, accountId } = signer;
    this.#keys.close(at(host, accessKeyId));
    if (accountId !== undefined) this.#accounts.close(at(host, accountId));
  }

  /** The latest end of a backoff window over all signers (epoch ms), if any. */
  latestUntil(): number | undefined {
    const byKey = this.#keys.latestUntil();
    const byAccount = this.#accounts.latestUntil();
    if (byKey === undefined) return byAccount;
    return byAccount === undefined ? byKey : Math.max(byKey, byAccount);
  }
}
