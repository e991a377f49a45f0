/**
 * reviewToken with a verifier from createVerifier (SPEC 4.4, 3.6): the same
 * answers as with verify options, STS asked once for a repeated token, and
 * bad combinations refused as caller bugs (500, never a verdict).
 */
import { describe, expect, it } from 'vitest';
import { parseAwsAuth } from '../../src/aws-auth/parse.js';
import { reviewToken } from '../../src/review.js';
import type { ReviewTokenVerifierOptions } from '../../src/review.js';
import { createVerifier } from '../../src/verifier/create.js';
import type { Verifier } from '../../src/verifier/create.js';
import { CLUSTER, NOW, REGION, countingFetch, useEmulator } from './support.js';

const AWS_AUTH = parseAwsAuth({
  mapUsers:
    '- userarn: arn:aws:iam::123456789012:user/Alice\n  username: alice\n  groups: [devs]\n',
});

const context = useEmulator();

function review(t: unknown): Record<string, unknown> {
  return { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: t } };
}

describe('reviewToken with a verifier', () => {
  it('authenticates through the verifier; a repeated review costs no STS request', async () => {
    const fetch = countingFetch(context.emulator.fetch);
    const verifier = createVerifier({
      clusterId: CLUSTER,
      region: REGION,
      currentDate: NOW,
      fetch,
    });
    const options: ReviewTokenVerifierOptions = { verifier, awsAuth: AWS_AUTH };
    const first = await reviewToken(review(context.token), options);
    const second = await reviewToken(review(context.token), options);
    expect(first.status).toBe(200);
    expect(second).toEqual(first);
    expect(first.body.status.user).toMatchObject({ username: 'alice', groups: ['devs'] });
    expect(fetch.count).toBe(1);
  });

  it('a rejection through the verifier is a 403', async () => {
    const verifier = createVerifier({
      clusterId: 'other',
      region: REGION,
      currentDate: NOW,
      fetch: context.emulator.fetch,
    });
    const result = await reviewToken(review(context.token), { verifier, awsAuth: AWS_AUTH });
    expect(result.status).toBe(403);
    expect(result.body.status.error).toContain('ERR_STS_REJECTED');
  });

  const bad: [string, Record<string, unknown>][] = [
    ['verifier without verify()', { verifier: {} }],
    ['verifier and verify options together', { clusterId: CLUSTER }],
  ];
  it.each(bad)('%s: 500, a caller bug', async (_, extra) => {
    const verifier: Verifier = createVerifier({
      clusterId: CLUSTER,
      fetch: context.emulator.fetch,
    });
    const options = {
      verifier,
      awsAuth: AWS_AUTH,
      ...extra,
    } as unknown as ReviewTokenVerifierOptions;
    const result = await reviewToken(review(context.token), options);
    expect(result.status).toBe(500);
    expect(result.error).toBeInstanceOf(TypeError);
  });
});
