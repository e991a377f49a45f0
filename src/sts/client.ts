/**
 * The one HTTP call a verifier makes: `GET` the presigned STS URL (SPEC 3.4
 * step 4), with a deadline over the whole call, the caller's abort signal,
 * bounded retries, no redirects and a cap on the body.
 *
 * The URL carries the signature and, for temporary credentials, the session
 * token, so it never appears in an error message or `cause`: errors from
 * `fetch` (which may quote the URL) are reduced to their name and errno-style
 * code before they leave this module.
 *
 * @module
 */
import { StsUnavailableError } from '../errors.js';
import type { StsHttpAnswer } from './response.js';

/** The `fetch` shape the client needs (the global one, or any compatible function). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Options of {@link requestStsIdentity}. All are required: the verifier applies the defaults. */
export interface StsRequestOptions {
  /** Sent as `x-k8s-aws-id`: STS recomputes the signature with it, binding the token to this cluster. */
  clusterId: string;
  /** Performs the request; called with the URL and an init carrying the abort signal. */
  fetch: FetchLike;
  /** Milliseconds for the whole call: every attempt, backoff and body read. */
  timeout: number;
  /** The caller's signal; aborting it rejects the call at once. */
  signal: AbortSignal | undefined;
  /** Bytes of body read at most; beyond that the body is cancelled. */
  maxResponseBytes: number;
  /** Extra attempts after a network error or a 5xx. */
  retries: number;
}

/** First backoff between attempts; doubles each time, with jitter. Short: a verifier is on a login path. */
const BACKOFF_BASE_MS = 50;
const BACKOFF_MAX_MS = 1_000;
// errno-style codes (ECONNRESET, UND_ERR_SOCKET, ETIMEDOUT…) say what went
// wrong without quoting anything.
const SAFE_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;
const SAFE_NAME = /^[A-Za-z]{1,40}$/;

const noop = (): void => {};

/** Why the shared controller fired. */
type AbortCause = 'timeout' | 'signal';

/** Internal rejection value of the deadline promise; never leaves this module. */
class Aborted {
  constructor(readonly why: AbortCause) {}
}

/**
 * The per-call abort state: one object instead of several closures per call.
 */
class Call {
  readonly controller: AbortController = new AbortController();
  why: AbortCause | undefined = undefined;
  /** The body reader, once there is one: cancelled on abort. */
  reader: ReadableStreamDefaultReader<Uint8Array> | undefined = undefined;
  /**
   * Rejects when the deadline passes or the caller aborts. Raced against
   * every wait, so even a `fetch` that ignores its signal cannot hold the
   * call past the deadline.
   */
  readonly aborted: Promise<never>;
  private reject: (reason: Aborted) => void = noop;

  constructor() {
    this.aborted = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    this.aborted.catch(noop);
  }

  abort(cause: AbortCause): void {
    if (this.why !== undefined) return;
    this.why = cause;
    this.reject(new Aborted(cause));
    this.controller.abort();
    this.reader?.cancel().catch(noop);
  }
}

function onTimeout(call: Call): void {
  call.abort('timeout');
}

/** A network failure, reduced to what is safe to show. */
function networkError(error: unknown, attempts: number): StsUnavailableError {
  const name = error instanceof Error && SAFE_NAME.test(error.name) ? error.name : 'Error';
  const nested =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const rawCode = (error as { code?: unknown } | null)?.code ?? nested?.code;
  const code = typeof rawCode === 'string' && SAFE_CODE.test(rawCode) ? rawCode : undefined;
  const cause = Object.freeze(code === undefined ? { name } : { name, code });
  return new StsUnavailableError(
    `STS request failed: network error${code === undefined ? '' : ` ${code}`} after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
    { cause },
  );
}

function abortedError(why: AbortCause, timeout: number): StsUnavailableError {
  return new StsUnavailableError(
    why === 'timeout'
      ? `STS request timed out after ${timeout} ms`
      : "STS request aborted by the caller's signal",
  );
}

function cancelBody(response: Response): void {
  // Cancelling frees the connection; a body already read or locked may throw.
  try {
    response.body?.cancel().catch(noop);
  } catch {
    // already consumed
  }
}

const decoder = new TextDecoder();

/**
 * Read at most `max` bytes of the body, or return `null` when it is larger.
 * A `content-length` above the cap is refused before reading; otherwise the
 * stream is read chunk by chunk and cancelled as soon as it passes the cap,
 * so a huge or endless body costs at most `max` bytes of memory. The reader
 * is recorded on `call`, whose abort cancels it: a `fetch` that ignores its
 * signal still gets its stream cancelled at the deadline (the caller also
 * races this promise against `call.aborted`).
 */
async function readCapped(response: Response, max: number, call: Call): Promise<string | null> {
  const stream = response.body;
  if (stream === null) return '';
  const declared = response.headers.get('content-length');
  if (declared !== null && Number(declared) > max) {
    cancelBody(response);
    return null;
  }
  const reader = stream.getReader();
  call.reader = reader;
  if (call.why !== undefined) reader.cancel().catch(noop);
  let first: Uint8Array | undefined;
  let chunks: Uint8Array[] | undefined;
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        reader.cancel().catch(noop);
        return null;
      }
      // STS answers fit in one chunk: no array for the common case.
      if (first === undefined) first = value;
      else (chunks ??= [first]).push(value);
    }
  } catch (error) {
    reader.cancel().catch(noop);
    throw error;
  }
  if (first === undefined) return '';
  if (chunks === undefined) return decoder.decode(first);
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(joined);
}

/** Milliseconds to wait before attempt `attempt + 1`, or -1 when no retry fits. */
function backoffFor(attempt: number, retries: number, deadline: number): number {
  if (attempt >= retries) return -1;
  const cap = Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_MAX_MS);
  // Jitter spreads the retries of many verifiers hit by the same outage.
  const ms = Math.round(cap / 2 + (Math.random() * cap) / 2);
  // Leave the next attempt some time of its own, or do not retry at all.
  return Date.now() + ms * 2 < deadline ? ms : -1;
}

/** Wait `ms`, or reject as soon as `aborted` does; the timer never outlives the call. */
async function sleep(ms: number, aborted: Promise<never>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
      aborted,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET` the presigned URL and return STS's answer (status, content type,
 * capped body). Network errors and 5xx are retried up to `retries` times with
 * a short exponential backoff while time remains; 4xx and throttling are
 * answers, returned as they are. The last 5xx is returned, not thrown, so its
 * body can still name an AWS error code.
 *
 * Every path clears its timer, detaches from the caller's signal and cancels
 * any body it does not read.
 *
 * @throws {@link StsUnavailableError} on a redirect (never followed), a
 * network error after the last attempt, the timeout, or the caller's abort.
 */
export async function requestStsIdentity(
  url: string,
  options: StsRequestOptions,
): Promise<StsHttpAnswer> {
  const { clusterId, fetch: fetchImpl, timeout, signal, maxResponseBytes, retries } = options;
  if (signal?.aborted) throw abortedError('signal', timeout);

  const call = new Call();
  const { aborted } = call;
  // A listener only when there is a signal to listen to.
  const onSignal = signal === undefined ? undefined : (): void => call.abort('signal');
  if (onSignal !== undefined) signal?.addEventListener('abort', onSignal, { once: true });
  const timer = setTimeout(onTimeout, timeout, call);
  const deadline = Date.now() + timeout;

  const init: RequestInit = {
    method: 'GET',
    headers: { 'x-k8s-aws-id': clusterId, accept: 'application/json' },
    // A 3xx is an error: following it would send the signed request to a
    // host the policy never checked.
    redirect: 'manual',
    signal: call.controller.signal,
  };

  try {
    for (let attempt = 0; ; attempt++) {
      let pending: Promise<Response> | undefined;
      let response: Response;
      try {
        // `fetch` may throw synchronously: that lands in the catch below.
        pending = Promise.resolve(fetchImpl(url, init));
        response = await Promise.race([pending, aborted]);
      } catch (error) {
        if (call.why !== undefined) {
          // A response that still arrives is cancelled, freeing its connection.
          pending?.then(cancelBody, noop);
          throw abortedError(call.why, timeout);
        }
        const ms = backoffFor(attempt, retries, deadline);
        if (ms < 0) throw networkError(error, attempt + 1);
        await sleep(ms, aborted);
        continue;
      }

      const { status } = response;
      if (response.type === 'opaqueredirect' || status === 0 || (status >= 300 && status < 400)) {
        cancelBody(response);
        throw new StsUnavailableError(
          `STS answered a redirect (HTTP ${status}); redirects are never followed`,
          { status },
        );
      }
      if (status >= 500) {
        const ms = backoffFor(attempt, retries, deadline);
        if (ms >= 0) {
          cancelBody(response);
          await sleep(ms, aborted);
          continue;
        }
      }
      try {
        const body = await Promise.race([readCapped(response, maxResponseBytes, call), aborted]);
        return {
          status,
          contentType: response.headers.get('content-type'),
          body: body ?? '',
          truncated: body === null,
        };
      } catch (error) {
        if (call.why !== undefined) throw abortedError(call.why, timeout);
        // The connection broke mid-body: a network error like any other.
        const ms = backoffFor(attempt, retries, deadline);
        if (ms < 0) throw networkError(error, attempt + 1);
        await sleep(ms, aborted);
      }
    }
  } catch (error) {
    if (error instanceof Aborted) throw abortedError(error.why, timeout);
    throw error;
  } finally {
    clearTimeout(timer);
    if (onSignal !== undefined) signal?.removeEventListener('abort', onSignal);
  }
}
