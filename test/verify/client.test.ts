/**
 * The HTTP layer (src/sts/client.ts) against scripted `fetch` doubles: what
 * is sent, redirects, the body cap, retries, the deadline, the caller's
 * signal, and that every body it does not read is cancelled.
 */
import { describe, expect, it } from 'vitest';
import { EksAuthError } from '../../src/errors.js';
import { requestStsIdentity } from '../../src/sts/client.js';
import type { FetchLike, StsRequestOptions } from '../../src/sts/client.js';

const URL_WITH_SECRETS =
  'https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&X-Amz-Security-Token=SESSIONTOKENSECRET&X-Amz-Signature=deadbeefsignature';

/** How a body ended: read to the end, cancelled by the reader, or broken by the source. */
interface BodyState {
  cancelled: boolean;
  done: boolean;
  errored: boolean;
}

/** A body stream that records whether it was read to the end or cancelled. */
function trackedBody(
  text: string,
  options: { chunks?: number; endless?: boolean; errorAfter?: number } = {},
): { stream: ReadableStream<Uint8Array>; state: BodyState } {
  const state: BodyState = { cancelled: false, done: false, errored: false };
  const bytes = new TextEncoder().encode(text);
  const count = options.chunks ?? 1;
  const size = Math.ceil(bytes.length / count) || 1;
  let offset = 0;
  let pulls = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      if (options.errorAfter !== undefined && pulls > options.errorAfter) {
        state.errored = true;
        controller.error(new TypeError('terminated'));
        return;
      }
      if (options.endless) {
        controller.enqueue(new Uint8Array(1024));
        return;
      }
      if (offset >= bytes.length) {
        state.done = true;
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

interface Script {
  fetch: FetchLike;
  calls: { url: string; init: RequestInit }[];
  bodies: BodyState[];
}

type Step =
  | {
      status: number;
      body?: string;
      headers?: Record<string, string>;
      chunks?: number;
      endless?: boolean;
      errorAfter?: number;
    }
  | { reject: unknown }
  | { throwSync: unknown }
  | { hang: true };

/** A fetch that plays `steps` in order (the last one repeats). */
function script(steps: Step[]): Script {
  const calls: Script['calls'] = [];
  const bodies: Script['bodies'] = [];
  const fetch = ((url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    const step = steps[Math.min(calls.length - 1, steps.length - 1)] as Step;
    if ('throwSync' in step) throw step.throwSync;
    if ('reject' in step) return Promise.reject(step.reject);
    if ('hang' in step) return new Promise<Response>(() => {});
    const { stream, state } = trackedBody(step.body ?? '', step);
    bodies.push(state);
    return Promise.resolve(
      new Response(stream, {
        status: step.status,
        headers: { 'content-type': 'application/json', ...step.headers },
      }),
    );
  }) as FetchLike;
  return { fetch, calls, bodies };
}

function options(fetch: FetchLike, extra: Partial<StsRequestOptions> = {}): StsRequestOptions {
  return {
    clusterId: 'demo',
    fetch,
    timeout: 2_000,
    signal: undefined,
    maxResponseBytes: 65_536,
    retries: 2,
    ...extra,
  };
}

async function failure(promise: Promise<unknown>): Promise<EksAuthError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EksAuthError);
  // Nothing from the URL (signature, session token) in message, cause or fields.
  const text = JSON.stringify({
    ...(error as object),
    message: (error as Error).message,
    stack: (error as Error).stack,
  });
  expect(text).not.toMatch(/SESSIONTOKENSECRET|deadbeefsignature|X-Amz/);
  return error as EksAuthError;
}

describe('the request', () => {
  it('is a GET of the URL with x-k8s-aws-id, accept json and manual redirects', async () => {
    const s = script([{ status: 200, body: '{}' }]);
    const answer = await requestStsIdentity(
      URL_WITH_SECRETS,
      options(s.fetch, { clusterId: 'prod-cluster' }),
    );
    expect(answer).toEqual({
      status: 200,
      contentType: 'application/json',
      body: '{}',
      truncated: false,
    });
    expect(s.calls).toHaveLength(1);
    const { url, init } = s.calls[0]!;
    expect(url).toBe(URL_WITH_SECRETS);
    expect(init.method).toBe('GET');
    expect(init.redirect).toBe('manual');
    expect(init.headers).toEqual({ 'x-k8s-aws-id': 'prod-cluster', accept: 'application/json' });
    expect(init.signal).toBeInstanceOf(AbortSignal);
    expect(s.bodies[0]).toEqual({ cancelled: false, done: true, errored: false });
  });

  it('decodes a body that arrives in many chunks, UTF-8 split across them', async () => {
    const text = '{"x":"' + 'é€'.repeat(500) + '"}';
    const s = script([{ status: 200, body: text, chunks: 333 }]);
    expect((await requestStsIdentity(URL_WITH_SECRETS, options(s.fetch))).body).toBe(text);
  });
});

describe('redirects are errors, never followed', () => {
  it.each([301, 302, 303, 307, 308])('%i → ERR_STS_UNAVAILABLE', async (status) => {
    const s = script([
      { status, body: 'moved', headers: { location: 'https://attacker.example/' } },
    ]);
    const error = await failure(requestStsIdentity(URL_WITH_SECRETS, options(s.fetch)));
    expect(error.code).toBe('ERR_STS_UNAVAILABLE');
    expect(s.calls).toHaveLength(1);
    expect(s.bodies[0]?.cancelled).toBe(true);
  });

  it('an opaque redirect (browsers) → ERR_STS_UNAVAILABLE', async () => {
    const fetch = (() =>
      Promise.resolve({
        type: 'opaqueredirect',
        status: 0,
        body: null,
        headers: new Headers(),
      } as unknown as Response)) as FetchLike;
    expect((await failure(requestStsIdentity(URL_WITH_SECRETS, options(fetch)))).code).toBe(
      'ERR_STS_UNAVAILABLE',
    );
  });
});

describe('body cap', () => {
  const rows: [string, Step, number, boolean, boolean][] = [
    ['exactly the cap', { status: 200, body: 'x'.repeat(100) }, 100, false, false],
    [
      'one byte over, no content-length',
      { status: 200, body: 'x'.repeat(101), chunks: 3 },
      100,
      true,
      true,
    ],
    [
      'content-length over the cap: not read at all',
      { status: 200, body: 'x'.repeat(10), headers: { 'content-length': '1000000' } },
      100,
      true,
      true,
    ],
    ['endless stream', { status: 200, endless: true }, 4096, true, true],
    ['oversized error body', { status: 403, body: 'x'.repeat(5000), chunks: 5 }, 4096, true, true],
  ];
  it.each(rows)('%s', async (_name, step, max, truncated, cancelled) => {
    const s = script([step]);
    const answer = await requestStsIdentity(
      URL_WITH_SECRETS,
      options(s.fetch, { maxResponseBytes: max }),
    );
    expect(answer.truncated).toBe(truncated);
    if (truncated) expect(answer.body).toBe('');
    // Over the cap: cancelled, unless the source had already finished.
    const body = s.bodies[0]!;
    if (cancelled) expect(body.cancelled || body.done).toBe(true);
    else expect(body).toMatchObject({ cancelled: false, done: true });
  });

  it('a content-length over the cap is refused before reading anything', async () => {
    const s = script([
      { status: 200, body: 'x'.repeat(10), headers: { 'content-length': '1000000' } },
    ]);
    expect(
      (await requestStsIdentity(URL_WITH_SECRETS, options(s.fetch, { maxResponseBytes: 100 })))
        .truncated,
    ).toBe(true);
    expect(s.bodies[0]).toMatchObject({ cancelled: true, done: false });
  });

  it('an endless body is cancelled at the cap', async () => {
    const s = script([{ status: 200, endless: true }]);
    expect(
      (await requestStsIdentity(URL_WITH_SECRETS, options(s.fetch, { maxResponseBytes: 10_000 })))
        .truncated,
    ).toBe(true);
    expect(s.bodies[0]).toMatchObject({ cancelled: true });
  });
});

describe('retries: network errors and 5xx only, bounded', () => {
  const network = { reject: new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }) };
  const rows: [string, Step[], number, number, number | string][] = [
    ['503 then 200', [{ status: 503 }, { status: 200, body: '{}' }], 2, 2, 200],
    ['500, 502 then 200', [{ status: 500 }, { status: 502 }, { status: 200 }], 2, 3, 200],
    ['three 503 with retries 2: last 503 returned', [{ status: 503 }], 2, 3, 503],
    ['503 with retries 0', [{ status: 503 }], 0, 1, 503],
    ['network error then 200', [network, { status: 200 }], 2, 2, 200],
    ['network errors exhaust retries', [network], 2, 3, 'ERR_STS_UNAVAILABLE'],
    ['sync throw then 200', [{ throwSync: new TypeError('bad') }, { status: 200 }], 2, 2, 200],
    [
      'body breaks mid-read then 200',
      [{ status: 200, body: 'x'.repeat(100), chunks: 10, errorAfter: 2 }, { status: 200 }],
      2,
      2,
      200,
    ],
    ['400 not retried', [{ status: 400 }, { status: 200 }], 2, 1, 400],
    ['403 not retried', [{ status: 403 }, { status: 200 }], 2, 1, 403],
    ['429 not retried', [{ status: 429 }, { status: 200 }], 2, 1, 429],
    ['302 not retried', [{ status: 302 }, { status: 200 }], 2, 1, 'ERR_STS_UNAVAILABLE'],
  ];
  it.each(rows)('%s', async (_name, steps, retries, calls, outcome) => {
    const s = script(steps);
    const run = requestStsIdentity(URL_WITH_SECRETS, options(s.fetch, { retries }));
    if (typeof outcome === 'number') expect((await run).status).toBe(outcome);
    else expect((await failure(run)).code).toBe(outcome);
    expect(s.calls).toHaveLength(calls);
    // Every body but the last read one was cancelled: no connection left dangling.
    for (const body of s.bodies) expect(body.cancelled || body.done || body.errored).toBe(true);
  });

  it('stops retrying when the timeout leaves no room, even with many retries left', async () => {
    const s = script([{ status: 503 }]);
    const answer = await requestStsIdentity(
      URL_WITH_SECRETS,
      options(s.fetch, { retries: 1_000, timeout: 300 }),
    );
    expect(answer.status).toBe(503);
    expect(s.calls.length).toBeGreaterThan(1);
    expect(s.calls.length).toBeLessThan(10);
  });
});

describe('deadline and abort', () => {
  it('a fetch that never settles → timed out', async () => {
    const s = script([{ hang: true }]);
    const error = await failure(
      requestStsIdentity(URL_WITH_SECRETS, options(s.fetch, { timeout: 30 })),
    );
    expect(error.code).toBe('ERR_STS_UNAVAILABLE');
    expect(error.message).toMatch(/timed out after 30 ms/);
    expect(s.calls[0]?.init.signal?.aborted).toBe(true);
  });

  it('a body that never ends within the deadline → timed out, body cancelled', async () => {
    const state = { cancelled: false };
    const fetch = (() =>
      Promise.resolve(
        new Response(
          new ReadableStream({
            pull: () => new Promise<void>(() => {}),
            cancel() {
              state.cancelled = true;
            },
          }),
          { status: 200 },
        ),
      )) as FetchLike;
    const error = await failure(
      requestStsIdentity(URL_WITH_SECRETS, options(fetch, { timeout: 30 })),
    );
    expect(error.message).toMatch(/timed out/);
    expect(state.cancelled).toBe(true);
  });

  it('a response arriving after the deadline is cancelled', async () => {
    const { stream, state } = trackedBody('{}');
    let resolveLate: (r: Response) => void = () => {};
    const fetch = (() => new Promise<Response>((resolve) => (resolveLate = resolve))) as FetchLike;
    await failure(requestStsIdentity(URL_WITH_SECRETS, options(fetch, { timeout: 20 })));
    resolveLate(new Response(stream, { status: 200 }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(state.cancelled).toBe(true);
  });

  it('the caller aborts mid-flight → aborted', async () => {
    const controller = new AbortController();
    const s = script([{ hang: true }]);
    const run = requestStsIdentity(
      URL_WITH_SECRETS,
      options(s.fetch, { signal: controller.signal }),
    );
    controller.abort(new Error('user gave up'));
    const error = await failure(run);
    expect(error.code).toBe('ERR_STS_UNAVAILABLE');
    expect(error.message).toMatch(/aborted/);
  });

  it('the caller aborts during backoff → aborted, no further attempt', async () => {
    const controller = new AbortController();
    const s = script([{ status: 503 }]);
    const run = requestStsIdentity(
      URL_WITH_SECRETS,
      options(s.fetch, { signal: controller.signal, retries: 5 }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect((await failure(run)).message).toMatch(/aborted/);
    expect(s.calls).toHaveLength(1);
  });

  it('an already aborted signal → rejected without calling fetch', async () => {
    const s = script([{ status: 200 }]);
    const error = await failure(
      requestStsIdentity(URL_WITH_SECRETS, options(s.fetch, { signal: AbortSignal.abort() })),
    );
    expect(error.code).toBe('ERR_STS_UNAVAILABLE');
    expect(s.calls).toHaveLength(0);
  });

  it('detaches from the caller signal when done', async () => {
    const controller = new AbortController();
    const added: unknown[] = [];
    const removed: unknown[] = [];
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((
      type: string,
      listener: EventListener,
      opts?: AddEventListenerOptions,
    ) => {
      added.push(listener);
      add(type, listener, opts);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((type: string, listener: EventListener) => {
      removed.push(listener);
      remove(type, listener);
    }) as typeof signal.removeEventListener;
    const s = script([{ status: 200 }]);
    await requestStsIdentity(URL_WITH_SECRETS, options(s.fetch, { signal }));
    expect(added).toHaveLength(1);
    expect(removed).toEqual(added);
  });
});

describe('errors never carry the URL', () => {
  const rows: [string, unknown][] = [
    ['TypeError quoting the URL', new TypeError(`Failed to parse URL from ${URL_WITH_SECRETS}`)],
    [
      'cause quoting the URL',
      new TypeError('fetch failed', {
        cause: new Error(`connect ECONNREFUSED ${URL_WITH_SECRETS}`),
      }),
    ],
    ['code field with the URL', Object.assign(new Error('x'), { code: URL_WITH_SECRETS })],
    ['a string', URL_WITH_SECRETS],
    ['null', null],
  ];
  it.each(rows)('%s', async (_name, thrown) => {
    const error = await failure(
      requestStsIdentity(
        URL_WITH_SECRETS,
        options((() => Promise.reject(thrown)) as FetchLike, { retries: 0 }),
      ),
    );
    expect(error.code).toBe('ERR_STS_UNAVAILABLE');
  });

  it('keeps a safe errno code', async () => {
    const thrown = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }),
    });
    const error = await failure(
      requestStsIdentity(
        URL_WITH_SECRETS,
        options((() => Promise.reject(thrown)) as FetchLike, { retries: 0 }),
      ),
    );
    expect(error.message).toMatch(/ECONNRESET/);
    expect(error.cause).toEqual({ name: 'TypeError', code: 'ECONNRESET' });
  });
});
