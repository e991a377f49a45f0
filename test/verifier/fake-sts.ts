/**
 * An in-process stand-in for STS, for volume tests and benchmarks where the
 * loopback emulator's HTTP and signature work would dominate: a `fetch` that
 * answers every request at once with the shared `iam-user` JSON body, and a
 * generator of many distinct tokens from one signed token. It checks
 * nothing: the emulator tests cover the answers; these cover the volume.
 */
import { TOKEN_PREFIX } from '../../src/token/constants.js';
import { loadVector, tokenFromUrl } from '../support/vectors.js';

interface IdentityVectors {
  cases: { id: string; json: { headers: Record<string, string>; body: string } }[];
}

const aliceJson = (() => {
  const found = loadVector<IdentityVectors>('sts-responses/get-caller-identity.json').cases.find(
    (c) => c.id === 'iam-user',
  );
  if (found === undefined) throw new Error('vector iam-user is missing');
  return found.json;
})();

/** A `fetch` answering every request with IAM user Alice, counting requests. */
export type FakeStsFetch = typeof fetch & { count: number };

const aliceBytes = new TextEncoder().encode(aliceJson.body);
const aliceHeaders = new Headers(aliceJson.headers);

/**
 * The parts of a `Response` the STS client reads (status, type, headers, a
 * one-chunk body stream), without the cost of a real `Response`, which
 * would dominate a soak of a million calls.
 */
function lightResponse(): Response {
  let read = false;
  const reader = {
    read: (): Promise<ReadableStreamReadResult<Uint8Array>> => {
      if (read) return Promise.resolve({ done: true, value: undefined });
      read = true;
      return Promise.resolve({ done: false, value: aliceBytes });
    },
    cancel: (): Promise<void> => Promise.resolve(),
  };
  return {
    status: 200,
    type: 'basic',
    headers: aliceHeaders,
    body: { getReader: () => reader, cancel: () => Promise.resolve() },
  } as unknown as Response;
}

/**
 * See {@link FakeStsFetch}. With `light`, the answers are minimal
 * `Response` look-alikes (see {@link lightResponse}); otherwise real ones.
 */
export function fakeStsFetch(options: { light?: boolean } = {}): FakeStsFetch {
  const fake = Object.assign(
    (): Promise<Response> => {
      fake.count++;
      return Promise.resolve(
        options.light === true
          ? lightResponse()
          : new Response(aliceJson.body, { status: 200, headers: aliceJson.headers }),
      );
    },
    { count: 0 },
  );
  return fake;
}

/**
 * `count` distinct tokens made from `token` by giving it other signatures
 * (the i-th signature is `i` in hex, zero-padded): each is structurally
 * valid with its own canonical URL, so each is its own cache key.
 */
export function distinctTokens(token: string, count: number): string[] {
  const url = Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('latin1');
  const match = /X-Amz-Signature=[0-9a-f]{64}/.exec(url);
  if (match === null) throw new Error('token has no signature');
  const before = url.slice(0, match.index);
  const after = url.slice(match.index + match[0].length);
  return Array.from({ length: count }, (_, i) =>
    tokenFromUrl(`${before}X-Amz-Signature=${i.toString(16).padStart(64, '0')}${after}`),
  );
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
