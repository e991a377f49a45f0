/**
 * What the verifier does about STS throttling (SPEC 3.6), in one place: the
 * backoff per signer (`backoff.ts`) and the accounts of signers it has
 * learned from STS's answers, which the backoff needs. A token tells only
 * its access key id; the account behind a key is known once STS (or the
 * shared cache, which holds only what STS said) has vouched for an identity
 * signed with it.
 *
 * There is no host-wide breaker: STS throttles per account, so a host-wide
 * refusal protects nothing the backoff per signer does not, and an attacker
 * with a handful of AWS accounts of their own held one open (every fresh
 * login of everyone else at that host refused; see
 * `test/verifier/regressions/attacker-accounts-hold-breaker-open.test.ts`).
 *
 * @module
 */
import type { StsThrottledError } from '../errors.js';
import { SignerBackoff } from './backoff.js';
import type { Signer } from './backoff.js';
import { BoundedMap } from './bounded-map.js';

// Access key id → account, learned from identities: as many as a busy
// cache holds.
const MAX_KNOWN_SIGNERS = 10_000;

/** The parts of a parsed token the throttling state keys on. */
export interface SignedRequest {
  /** The STS host the token is for. */
  readonly host: string;
  /** The access key id that signed it. */
  readonly accessKeyId: string;
}

/** Backoff per signer, and the accounts of known signers. */
export class ThrottleGuard {
  readonly #accounts = new BoundedMap<string, string>(MAX_KNOWN_SIGNERS);
  readonly #backoff = new SignerBackoff();

  /** STS vouched that `accessKeyId` belongs to `accountId`. */
  learn(accessKeyId: string, accountId: string): void {
    if (this.#accounts.peek(accessKeyId) !== accountId) this.#accounts.set(accessKeyId, accountId);
  }

  #signer(request: SignedRequest): Signer {
    const { host, accessKeyId } = request;
    return { host, accessKeyId, accountId: this.#accounts.peek(accessKeyId) };
  }

  /**
   * The error for a new STS request for `request` at `now` while its
   * signer is backing off; `undefined` when it may go.
   */
  refusal(request: SignedRequest, now: number): StsThrottledError | undefined {
    return this.#backoff.refusal(this.#signer(request), now);
  }

  /** STS throttled `request`; the answer came at `now`. */
  throttled(request: SignedRequest, now: number, error: StsThrottledError): void {
    this.#backoff.throttled(this.#signer(request), now, error);
  }

  /** STS judged `request` (an identity, whose account is `accountId`, or a rejection). */
  answered(request: SignedRequest, accountId?: string): void {
    if (accountId !== undefined) this.learn(request.accessKeyId, accountId);
    this.#backoff.answered(this.#signer(request));
  }

  /** The latest end of any backoff window (epoch ms), if there was one. */
  latestUntil(): number | undefined {
    return this.#backoff.latestUntil();
  }
}
