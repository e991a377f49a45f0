/**
 * Hosts that are not trusted STS endpoints parse (SPEC 3.3: parseToken does
 * not judge the host policy) and are refused by verifyToken's host policy
 * with ERR_TOKEN_HOST_NOT_ALLOWED, before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { TokenHostError } from '../../src/errors.js';
import { parseToken } from '../../src/token/parse.js';
import { verifyToken } from '../../src/token/verify.js';
import { loadVector, tokenFromUrl } from '../support/vectors.js';
import type { BotocoreVectorFile } from '../support/vectors.js';

const vectors = loadVector<BotocoreVectorFile>('botocore-tokens.json').vectors;
const regional = vectors.find((v) => v.id === 'us-east-1-regional-static-demo');
const global = vectors.find((v) => v.id === 'us-east-1-legacy-static-demo');
if (!regional || !global) throw new Error('shared vectors changed: us-east-1 demo vectors missing');
const S = regional.expected.presignedUrl;
const G = global.expected.presignedUrl;
const signedAt = new Date(regional.input.signingTime);

function withHost(url: string, from: string, to: string): string {
  if (!url.includes(from)) throw new Error(`test bug: ${from} not in URL`);
  return url.replace(from, to);
}

// Every host keeps the us-east-1 scope region of the vector it edits.
const FOREIGN_HOSTS: Array<[name: string, url: string]> = [
  ['IPv4 host', withHost(S, 'sts.us-east-1.amazonaws.com', '127.0.0.1')],
  ['non-STS host', withHost(S, 'sts.us-east-1.amazonaws.com', 'evil.example.com')],
  ['another AWS service', withHost(S, 'sts.us-east-1', 'ec2.us-east-1')],
  ['sts- service label that is not fips', withHost(S, 'sts.us-east-1', 'sts-x.us-east-1')],
  ['STS label under a look-alike domain', withHost(S, 'amazonaws.com', 'amazonaws.co')],
  [
    'STS label under an attacker suffix',
    withHost(S, 'amazonaws.com', 'amazonaws.com.evil.example'),
  ],
  [
    'global host under an attacker suffix',
    withHost(G, 'sts.amazonaws.com', 'sts.amazonaws.com.evil.example'),
  ],
  [
    'global host with a subdomain',
    withHost(G, 'https://sts.amazonaws.com', 'https://x.sts.amazonaws.com'),
  ],
  ['localhost', withHost(S, 'sts.us-east-1.amazonaws.com', 'localhost')],
  [
    'region label that is no region',
    withHost(S, 'sts.us-east-1.amazonaws.com', 'sts.not-a-region.amazonaws.com'),
  ],
];

describe('parseToken leaves foreign hosts to the verifier', () => {
  it.each(FOREIGN_HOSTS)('%s parses, with no partition', (_name, url) => {
    const parsed = parseToken(tokenFromUrl(url));
    expect(parsed.partition).toBeUndefined();
    expect(parsed.region).toBe('us-east-1');
    expect(parsed.url).toBe(url);
  });
});

describe('verifyToken refuses foreign hosts before any request', () => {
  it.each(FOREIGN_HOSTS)('%s → ERR_TOKEN_HOST_NOT_ALLOWED', async (_name, url) => {
    let requests = 0;
    const fetchSpy: typeof fetch = () => {
      requests++;
      return Promise.reject(new Error('must not be called'));
    };
    const error = await verifyToken(tokenFromUrl(url), {
      clusterId: 'demo',
      currentDate: signedAt,
      fetch: fetchSpy,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenHostError);
    expect(error).toMatchObject({ code: 'ERR_TOKEN_HOST_NOT_ALLOWED' });
    expect(requests).toBe(0);
  });

  it('a known STS host still needs the scope region it implies (parse rejects the mismatch)', () => {
    const moved = withHost(S, 'sts.us-east-1.amazonaws.com', 'sts.us-west-2.amazonaws.com');
    expect(() => parseToken(tokenFromUrl(moved))).toThrow(
      expect.objectContaining({ code: 'ERR_TOKEN_MALFORMED', reason: 'credential' }),
    );
  });
});

describe('a foreign host does not relax the credential scope', () => {
  it.each([
    ['no region', 'AKIDEXAMPLE%2F20240115%2F%2Fsts%2Faws4_request'],
    ['upper-case region', 'AKIDEXAMPLE%2F20240115%2FUS-EAST-1%2Fsts%2Faws4_request'],
    ['region with a dot', 'AKIDEXAMPLE%2F20240115%2Fus.east%2Fsts%2Faws4_request'],
  ])('%s → ERR_TOKEN_MALFORMED (credential)', (_name, credential) => {
    const foreign = withHost(S, 'sts.us-east-1.amazonaws.com', 'evil.example.com').replace(
      'AKIDEXAMPLE%2F20240115%2Fus-east-1%2Fsts%2Faws4_request',
      credential,
    );
    expect(() => parseToken(tokenFromUrl(foreign))).toThrow(
      expect.objectContaining({ code: 'ERR_TOKEN_MALFORMED', reason: 'credential' }),
    );
  });
});
