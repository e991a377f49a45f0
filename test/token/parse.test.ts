import { afterEach, describe, expect, it, vi } from 'vitest';
import { EksAuthError, TokenFormatError } from '../../src/errors.js';
import { QUERY_PARAMETER_ORDER } from '../../src/token/constants.js';
import { parseToken } from '../../src/token/parse.js';
import type { ParsedToken, ParseTokenOptions } from '../../src/token/parse.js';
import { loadVector, tokenFromUrl } from '../support/vectors.js';
import type { AuthenticatorVectorFile, BotocoreVectorFile } from '../support/vectors.js';

const botocore = loadVector<BotocoreVectorFile>('botocore-tokens.json');
const authenticator = loadVector<AuthenticatorVectorFile>('aws-iam-authenticator-tokens.json');

const FIFTEEN_MINUTES = 15 * 60 * 1000;

/** Replace `from` by `to` in `text`, failing loudly if `from` is not there. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at === -1) throw new Error(`test setup: "${from}" not found`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** The URL's query pairs, reordered into botocore's order (names are unique in vectors). */
function inBotocoreOrder(url: string): string {
  const q = url.indexOf('?');
  const pairs = url.slice(q + 1).split('&');
  const rank = (pair: string): number =>
    QUERY_PARAMETER_ORDER.indexOf(pair.slice(0, pair.indexOf('=')) as never);
  return url.slice(0, q + 1) + [...pairs].sort((a, b) => rank(a) - rank(b)).join('&');
}

/**
 * The SigV4 canonical query string of a presigned URL: every pair but the
 * signature, sorted by name. If the rebuilt URL gives the same one as the
 * signer's canonical request, STS computes the same signature for it.
 */
function canonicalQuery(url: string): string {
  return url
    .slice(url.indexOf('?') + 1)
    .split('&')
    .filter((pair) => !pair.startsWith('X-Amz-Signature='))
    .sort((a, b) => {
      const an = a.slice(0, a.indexOf('='));
      const bn = b.slice(0, b.indexOf('='));
      return an < bn ? -1 : an > bn ? 1 : 0;
    })
    .join('&');
}

function canonicalQueryOfRequest(canonicalRequest: string): string {
  return canonicalRequest.split('\n')[2] as string;
}

describe('botocore vectors', () => {
  describe.each(botocore.vectors.map((v) => [v.id, v] as const))('%s', (_id, vector) => {
    const parsed = parseToken(vector.expected.token);

    it('decodes every field', () => {
      expect(parsed.host).toBe(vector.expected.host);
      expect(parsed.region).toBe(vector.expected.signingRegion);
      expect(parsed.accessKeyId).toBe(vector.input.accessKeyId);
      expect(parsed.signedAt.toISOString()).toBe(new Date(vector.input.signingTime).toISOString());
      expect(parsed.expiresAt.getTime() - parsed.signedAt.getTime()).toBe(FIFTEEN_MINUTES);
      expect(parsed.expiresIn).toBe(60);
      expect(parsed.hasSessionToken).toBe(vector.input.sessionToken !== null);
      expect(parsed.sessionToken).toBe(vector.input.sessionToken ?? undefined);
      expect(parsed.credentialScope).toBe(vector.expected.credentialScope);
      expect(parsed.signature).toBe(vector.expected.signature);
      expect(parsed.signedHeaders).toEqual(vector.expected.signedHeaders.split(';'));
    });

    it('rebuilds the URL byte for byte', () => {
      expect(parsed.url).toBe(vector.expected.presignedUrl);
    });

    it('rebuilds a URL with the canonical query the signer signed', () => {
      expect(canonicalQuery(parsed.url)).toBe(
        canonicalQueryOfRequest(vector.expected.canonicalRequest),
      );
    });

    it.each((vector.alternateEncodings ?? []).map((a) => [a.by, a] as const))(
      'alternate encoding by %s parses to the same token',
      (_by, alternate) => {
        expect(alternate.token).not.toBe(vector.expected.token);
        expect(parseToken(alternate.token)).toEqual(parsed);
        expect(parseToken(alternate.token).url).toBe(vector.expected.presignedUrl);
      },
    );
  });

  it('covers global, regional, session, China and GovCloud vectors', () => {
    const kinds = botocore.vectors.map((v) => parseToken(v.expected.token));
    expect(new Set(kinds.map((p) => p.endpointKind))).toEqual(new Set(['global', 'regional']));
    expect(new Set(kinds.map((p) => p.partition))).toEqual(
      new Set(['aws', 'aws-cn', 'aws-us-gov']),
    );
    expect(kinds.some((p) => p.hasSessionToken)).toBe(true);
    expect(botocore.vectors.every((v) => (v.alternateEncodings ?? []).length > 0)).toBe(true);
  });
});

describe('aws-iam-authenticator vectors', () => {
  const botocoreOrder = QUERY_PARAMETER_ORDER.join(',');

  describe.each(authenticator.vectors.map((v) => [v.id, v] as const))('%s', (_id, vector) => {
    const parsed = parseToken(vector.expected.token);

    it('decodes every field', () => {
      expect(parsed.host).toBe(vector.expected.host);
      expect(parsed.region).toBe(vector.expected.signingRegion);
      expect(parsed.accessKeyId).toBe(vector.input.accessKeyId);
      expect(parsed.signedAt.toISOString()).toBe(new Date(vector.input.signingTime).toISOString());
      expect(parsed.expiresIn).toBe(Number(vector.expected.xAmzExpires));
      expect(parsed.hasSessionToken).toBe(vector.input.sessionToken !== null);
      expect(parsed.sessionToken).toBe(vector.input.sessionToken ?? undefined);
      expect(parsed.signedHeaders).toEqual(['host', 'x-k8s-aws-id']);
    });

    it('rebuilds the URL in botocore order', () => {
      const order = vector.expected.queryParamOrder.join(',');
      const withoutToken = QUERY_PARAMETER_ORDER.filter((n) => n !== 'X-Amz-Security-Token');
      if (order === botocoreOrder || order === withoutToken.join(',')) {
        expect(parsed.url).toBe(vector.expected.presignedUrl);
      } else {
        expect(parsed.url).not.toBe(vector.expected.presignedUrl);
        expect(parsed.url).toBe(inBotocoreOrder(vector.expected.presignedUrl));
      }
      expect(canonicalQuery(parsed.url)).toBe(
        canonicalQueryOfRequest(vector.expected.canonicalRequest),
      );
    });
  });

  it('includes X-Amz-Expires=0 tokens and a sorted-order session token', () => {
    expect(authenticator.vectors.every((v) => parseToken(v.expected.token).expiresIn === 0)).toBe(
      true,
    );
    expect(
      authenticator.vectors.some(
        (v) => v.expected.queryParamOrder.join(',') !== botocoreOrder && v.input.sessionToken,
      ),
    ).toBe(true);
  });
});

// Built from the session vector so that every parameter is present.
const base = botocore.vectors.find((v) => v.id === 'us-east-1-regional-session-demo');
if (!base) throw new Error('test setup: session vector missing');
const BASE_URL = base.expected.presignedUrl;
const BASE = parseToken(base.expected.token);

describe('accepted spellings normalise to the canonical URL', () => {
  it.each([
    ['lower-case hex escapes', BASE_URL.replaceAll('%2F', '%2f').replaceAll('%3D', '%3d')],
    [
      'an escaped unreserved character',
      replaceOnce(BASE_URL, 'Action=GetCaller', 'Action=%47etCaller'),
    ],
    [
      'an escaped hyphen in a value',
      replaceOnce(BASE_URL, 'Version=2011-06-15', 'Version=2011%2D06-15'),
    ],
  ])('%s', (_name, url) => {
    expect(url).not.toBe(BASE_URL);
    const parsed = parseToken(tokenFromUrl(url));
    expect(parsed.url).toBe(BASE_URL);
    expect(parsed).toEqual(BASE);
  });

  it('any parameter order', () => {
    const q = BASE_URL.indexOf('?');
    const pairs = BASE_URL.slice(q + 1).split('&');
    const reversed = BASE_URL.slice(0, q + 1) + [...pairs].reverse().join('&');
    expect(reversed).not.toBe(BASE_URL);
    expect(parseToken(tokenFromUrl(reversed))).toEqual(BASE);
  });

  it('lower-case parameter names when strictParameterCase is false', () => {
    const q = BASE_URL.indexOf('?');
    const lowered =
      BASE_URL.slice(0, q + 1) +
      BASE_URL.slice(q + 1)
        .split('&')
        .map((pair) => {
          const eq = pair.indexOf('=');
          return pair.slice(0, eq).toLowerCase() + pair.slice(eq);
        })
        .join('&');
    expect(lowered).toContain('x-amz-signature=');
    const parsed = parseToken(tokenFromUrl(lowered), { strictParameterCase: false });
    expect(parsed.url).toBe(BASE_URL);
    expect(() => parseToken(tokenFromUrl(lowered))).toThrow(TokenFormatError);
  });
});

describe('host shapes', () => {
  function forHost(host: string, region: string): ParsedToken {
    const url = replaceOnce(
      replaceOnce(BASE_URL, 'https://sts.us-east-1.amazonaws.com/', `https://${host}/`),
      '%2Fus-east-1%2F',
      `%2F${region}%2F`,
    );
    return parseToken(tokenFromUrl(url));
  }

  it.each([
    ['sts.us-west-2.amazonaws.com', 'us-west-2', 'regional', 'aws'],
    ['sts-fips.us-west-2.amazonaws.com', 'us-west-2', 'fips', 'aws'],
    ['sts.us-west-2.api.aws', 'us-west-2', 'dualstack', 'aws'],
    ['sts-fips.us-west-2.api.aws', 'us-west-2', 'fips-dualstack', 'aws'],
    ['sts.us-gov-west-1.amazonaws.com', 'us-gov-west-1', 'regional', 'aws-us-gov'],
    ['sts-fips.us-gov-east-1.api.aws', 'us-gov-east-1', 'fips-dualstack', 'aws-us-gov'],
    ['sts.cn-northwest-1.amazonaws.com.cn', 'cn-northwest-1', 'regional', 'aws-cn'],
    ['sts.cn-north-1.api.amazonwebservices.com.cn', 'cn-north-1', 'dualstack', 'aws-cn'],
    ['sts.us-iso-east-1.c2s.ic.gov', 'us-iso-east-1', 'regional', 'aws-iso'],
    ['sts.us-isob-east-1.sc2s.sgov.gov', 'us-isob-east-1', 'regional', 'aws-iso-b'],
    ['sts.eusc-de-east-1.amazonaws.eu', 'eusc-de-east-1', 'regional', 'aws-eusc'],
    // Shape is fine, the data does not know the region: parseToken leaves
    // the decision to the verifier's host policy (its `region` option).
    ['sts.xx-future-1.amazonaws.com', 'xx-future-1', 'regional', undefined],
    // A region of one partition with another partition's suffix.
    ['sts.us-west-2.amazonaws.com.cn', 'us-west-2', 'regional', undefined],
  ])('%s → region %s, %s, partition %s', (host, region, kind, partition) => {
    const parsed = forHost(host, region);
    expect(parsed.host).toBe(host);
    expect(parsed.region).toBe(region);
    expect(parsed.endpointKind).toBe(kind);
    expect(parsed.partition).toBe(partition);
    expect(parsed.credentialScope).toBe(`20240115/${region}/sts/aws4_request`);
    expect(parsed.url.startsWith(`https://${host}/?Action=`)).toBe(true);
  });

  it('stays right past the valid-host cache (200 distinct hosts, then the first again)', () => {
    const regions = Array.from({ length: 200 }, (_, i) => `xx-new-${i + 1}`);
    for (const region of [...regions, regions[0] as string]) {
      const parsed = forHost(`sts.${region}.amazonaws.com`, region);
      expect(parsed.region).toBe(region);
      expect(parsed.partition).toBeUndefined();
    }
    expect(forHost('sts.us-gov-east-1.amazonaws.com', 'us-gov-east-1').partition).toBe(
      'aws-us-gov',
    );
  });

  it('the global host signs for us-east-1', () => {
    const parsed = forHost('sts.amazonaws.com', 'us-east-1');
    expect(parsed).toMatchObject({ region: 'us-east-1', endpointKind: 'global', partition: 'aws' });
  });
});

describe('boundaries that are accepted', () => {
  it.each([
    ['X-Amz-Expires=0', replaceOnce(BASE_URL, 'X-Amz-Expires=60', 'X-Amz-Expires=0'), 0],
    ['X-Amz-Expires=900', replaceOnce(BASE_URL, 'X-Amz-Expires=60', 'X-Amz-Expires=900'), 900],
    ['X-Amz-Expires=1', replaceOnce(BASE_URL, 'X-Amz-Expires=60', 'X-Amz-Expires=1'), 1],
  ])('%s', (_name, url, expires) => {
    expect(parseToken(tokenFromUrl(url)).expiresIn).toBe(expires);
  });

  it.each([
    ['leap day 2024-02-29', '20240229T000000Z', '2024-02-29T00:00:00.000Z'],
    ['leap day 2000-02-29 (divisible by 400)', '20000229T235959Z', '2000-02-29T23:59:59.000Z'],
    ['end of year', '20231231T235959Z', '2023-12-31T23:59:59.000Z'],
    ['start of year', '20240101T000000Z', '2024-01-01T00:00:00.000Z'],
    ['30 April', '20240430T120000Z', '2024-04-30T12:00:00.000Z'],
  ])('X-Amz-Date %s', (_name, amzDate, iso) => {
    const url = replaceOnce(
      replaceOnce(BASE_URL, 'X-Amz-Date=20240115T123456Z', `X-Amz-Date=${amzDate}`),
      '%2F20240115%2F',
      `%2F${amzDate.slice(0, 8)}%2F`,
    );
    const parsed = parseToken(tokenFromUrl(url));
    expect(parsed.signedAt.toISOString()).toBe(iso);
    expect(parsed.expiresAt.getTime()).toBe(Date.parse(iso) + FIFTEEN_MINUTES);
    expect(parsed.credentialScope).toBe(`${amzDate.slice(0, 8)}/us-east-1/sts/aws4_request`);
  });

  it('a token exactly maxTokenLength long', () => {
    const token = base.expected.token;
    expect(parseToken(token, { maxTokenLength: token.length }).host).toBe(base.expected.host);
  });

  it('an AWS-style 20-character access key id and a long session token', () => {
    const longToken = 'A'.repeat(4000);
    const url = replaceOnce(
      replaceOnce(BASE_URL, 'ASIAIOSFODNN7EXAMPLE', 'ASIA0123456789ABCDEF'),
      /X-Amz-Security-Token=[^&]*/.exec(BASE_URL)?.[0] ?? 'missing',
      `X-Amz-Security-Token=${longToken}`,
    );
    const parsed = parseToken(tokenFromUrl(url));
    expect(parsed.accessKeyId).toBe('ASIA0123456789ABCDEF');
    expect(parsed.sessionToken).toBe(longToken);
    expect(tokenFromUrl(url).length).toBeGreaterThan(4096);
  });
});

describe('the result', () => {
  it('is frozen, and so is signedHeaders', () => {
    expect(Object.isFrozen(BASE)).toBe(true);
    expect(Object.isFrozen(BASE.signedHeaders)).toBe(true);
  });

  it('has no sessionToken key without a session token', () => {
    const parsed = parseToken(botocore.vectors[0]?.expected.token ?? '');
    expect('sessionToken' in parsed).toBe(false);
    expect(parsed.hasSessionToken).toBe(false);
  });

  it('can be rebuilt from its fields alone', () => {
    const encode = (v: string): string =>
      encodeURIComponent(v).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
      );
    const amzDate = BASE.signedAt.toISOString().replace(/[-:]|\.\d{3}/g, '');
    const fromFields =
      `https://${BASE.host}/?Action=GetCallerIdentity&Version=2011-06-15` +
      `&X-Amz-Algorithm=AWS4-HMAC-SHA256` +
      `&X-Amz-Credential=${encode(`${BASE.accessKeyId}/${BASE.credentialScope}`)}` +
      `&X-Amz-Date=${amzDate}&X-Amz-Expires=${BASE.expiresIn}` +
      `&X-Amz-SignedHeaders=${encode(BASE.signedHeaders.join(';'))}` +
      `&X-Amz-Security-Token=${encode(BASE.sessionToken ?? '')}` +
      `&X-Amz-Signature=${BASE.signature}`;
    expect(fromFields).toBe(BASE.url);
  });
});

describe('purity', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['1970', '1970-01-01T00:00:00Z'],
    ['2099', '2099-01-01T00:00:00Z'],
  ])('does not read the clock (system time %s)', (_name, now) => {
    vi.useFakeTimers({ now: new Date(now) });
    expect(parseToken(base.expected.token)).toEqual(BASE);
  });

  it('returns a fresh result each call', () => {
    const again = parseToken(base.expected.token);
    expect(again).toEqual(BASE);
    expect(again).not.toBe(BASE);
    expect(again.signedAt).not.toBe(BASE.signedAt);
  });
});

describe('options', () => {
  const token = base.expected.token;

  it.each<[string, unknown]>([
    ['options null', null],
    ['options a string', 'strict'],
    ['options a number', 4096],
    ['maxTokenLength 0', { maxTokenLength: 0 }],
    ['maxTokenLength -1', { maxTokenLength: -1 }],
    ['maxTokenLength 1.5', { maxTokenLength: 1.5 }],
    ['maxTokenLength NaN', { maxTokenLength: Number.NaN }],
    ['maxTokenLength Infinity', { maxTokenLength: Number.POSITIVE_INFINITY }],
    ['maxTokenLength a string', { maxTokenLength: '4096' }],
    ['maxTokenLength null', { maxTokenLength: null }],
    ['strictParameterCase a string', { strictParameterCase: 'false' }],
    ['strictParameterCase 0', { strictParameterCase: 0 }],
    ['strictParameterCase null', { strictParameterCase: null }],
  ])('%s → TypeError', (_name, options) => {
    expect(() => parseToken(token, options as ParseTokenOptions)).toThrow(TypeError);
  });

  it.each<[string, ParseTokenOptions | undefined]>([
    ['no options', undefined],
    ['empty options', {}],
    ['explicit undefined fields', { maxTokenLength: undefined, strictParameterCase: undefined }],
    ['strictParameterCase false', { strictParameterCase: false }],
    ['a larger maxTokenLength', { maxTokenLength: 1 << 20 }],
  ])('%s are accepted', (_name, options) => {
    expect(parseToken(token, options)).toEqual(BASE);
  });

  it('bad options are reported before a bad token', () => {
    expect(() => parseToken(42 as unknown as string, { maxTokenLength: -1 })).toThrow(TypeError);
  });
});

describe('errors', () => {
  it('are TokenFormatError and EksAuthError with HTTP status 401', () => {
    let caught: unknown;
    try {
      parseToken('k8s-aws-v1.!');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TokenFormatError);
    expect(caught).toBeInstanceOf(EksAuthError);
    expect(caught).toMatchObject({
      code: 'ERR_TOKEN_MALFORMED',
      reason: 'base64url',
      httpStatus: 401,
    });
    expect((caught as Error).name).toBe('TokenFormatError');
  });
});
