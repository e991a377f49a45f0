/**
 * Regression (security audit, issue "Hostile input never reaches AWS"): tokens
 * for invented regions (`sts.us-madeup-9.amazonaws.com`) passed the host
 * policy, needed no credentials to make, cost fetch attempts against a host
 * that does not exist, and filled the verifier's queue: 1,288 of them made a
 * real login fail as `overloaded`. Now they are refused before any network
 * call (SPEC 3.4 step 2) and the real login goes through.
 */
import { describe, expect, it } from 'vitest';
import { generateToken } from '../../../src/token/generate.js';
import { distinctTokens } from '../fake-sts.js';
import { CLUSTER, SIGNED_AT, codeOf, useEmulator, verifierWith } from '../support.js';

const context = useEmulator();

describe('regression: invented regions never fill the queue', () => {
  it('1,288 invented-region tokens, then a real login: refused unsent, and the login succeeds', async () => {
    const invented = await generateToken({
      clusterId: CLUSTER,
      region: 'us-madeup-9',
      credentials: { accessKeyId: 'AKIAATTACKER00000001', secretAccessKey: 'anything' },
      signingDate: SIGNED_AT,
    });
    expect(invented.host).toBe('sts.us-madeup-9.amazonaws.com');
    const shutdown = new AbortController();
    const sentTo: string[] = [];
    // A host that does not exist never answers in time (DNS, connect): hold
    // the request until the verifier gives up on it.
    const fetch = ((url: string, init: RequestInit) => {
      sentTo.push(new URL(url).host);
      if (new URL(url).host === invented.host) {
        return new Promise<Response>((_, reject) =>
          init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      }
      return context.emulator.fetch(url, init);
    }) as typeof globalThis.fetch;
    // The defaults: 64 STS requests at once, 1,024 queued.
    const verifier = verifierWith(fetch, { signal: shutdown.signal });
    try {
      const attack = distinctTokens(invented.token, 1_288).map((t) => codeOf(verifier.verify(t)));
      const login = await codeOf(verifier.verify(context.token));
      expect(login).toBeUndefined();
      const codes = await Promise.all(attack);
      expect(new Set(codes)).toEqual(new Set(['ERR_TOKEN_HOST_NOT_ALLOWED']));
      expect(sentTo).toEqual([`sts.us-west-2.amazonaws.com`]);
    } finally {
      shutdown.abort();
    }
  });
});
