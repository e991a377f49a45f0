/**
 * Acceptance: SPEC 3.1–3.5 (the token: generate, format, parse, verify,
 * canonicalize) on the built package, one case per promise, named after
 * its SPEC line. Reference tokens are botocore's and the Go
 * authenticator's (test/fixtures/vectors/README.md says how they were made).
 */
import { describe, expect, it } from 'vitest';
import * as pkg from 'eks-iam-auth';
import type { ParsedToken } from 'eks-iam-auth';
import { loadVector, tokenFromUrl } from '../support/vectors.js';
import type { AuthenticatorVectorFile, BotocoreVectorFile } from '../support/vectors.js';

const botocore = loadVector<BotocoreVectorFile>('botocore-tokens.json');
const SIGNED_AT = new Date('2024-01-15T12:34:56Z');
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

async function generate(
  options: Partial<pkg.GenerateTokenOptions> = {},
): Promise<pkg.GeneratedToken> {
  return pkg.generateToken({
    clusterId: 'demo',
    region: 'us-west-2',
    credentials: CREDENTIALS,
    signingDate: SIGNED_AT,
    ...options,
  });
}

/** The token of `url` (latin1 bytes, as every generator encodes it). */
const tokenOf = tokenFromUrl;

function reasonOf(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof pkg.TokenFormatError)) throw error;
    return `${error.code}/${error.reason}`;
  }
}

describe('SPEC 3.1 generateToken: byte-exact output', () => {
  it.each(botocore.vectors.map((v) => [v.id, v] as const))(
    '%s: the identical token, URL, host and ExecCredential',
    async (_id, vector) => {
      const input = vector.input;
      const generated = await pkg.generateToken({
        clusterId: input.clusterId,
        region: input.region,
        stsRegionalEndpoints: input.stsRegionalEndpoints,
        credentials: {
          accessKeyId: input.accessKeyId,
          secretAccessKey: input.secretAccessKey,
          ...(input.sessionToken === null ? {} : { sessionToken: input.sessionToken }),
        },
        signingDate: new Date(input.signingTime),
      });
      expect(generated.token).toBe(vector.expected.token);
      expect(generated.url).toBe(vector.expected.presignedUrl);
      expect(generated.host).toBe(vector.expected.host);
      const execInfo = input.env['KUBERNETES_EXEC_INFO'];
      const credential = pkg.formatExecCredential(
        generated,
        execInfo === undefined ? {} : { execInfo },
      );
      expect(credential).toEqual(vector.expected.execCredential);
    },
  );

  it.each(botocore.vectors.map((v) => [v.id, v] as const))(
    'formatExecCredential(token string) reads the token back: same bytes as the generated form (%s)',
    (_id, vector) => {
      const execInfo = vector.input.env['KUBERNETES_EXEC_INFO'];
      const credential = pkg.formatExecCredential(
        vector.expected.token,
        execInfo === undefined ? {} : { execInfo },
      );
      expect(JSON.stringify(credential)).toBe(JSON.stringify(vector.expected.execCredential));
    },
  );

  it('formatExecCredential of a string that is no token throws TokenFormatError', () => {
    expect(() => pkg.formatExecCredential('k8s-aws-v1.bm90IGEgdXJs')).toThrow(pkg.TokenFormatError);
  });

  it('result: { token, url, host, region, signedAt, expiresAt } with expiresAt = signedAt + 14 min', async () => {
    const generated = await generate();
    expect(generated).toMatchObject({
      host: 'sts.us-west-2.amazonaws.com',
      region: 'us-west-2',
      signedAt: SIGNED_AT,
      expiresAt: new Date(SIGNED_AT.getTime() + 14 * 60_000),
    });
    expect(generated.token.startsWith('k8s-aws-v1.')).toBe(true);
    expect(generated.url.startsWith('https://sts.us-west-2.amazonaws.com/?')).toBe(true);
  });

  it("parameters in botocore's order, upper-case hex, X-Amz-Expires=60, the cluster id not in the URL", async () => {
    const { url } = await generate({ credentials: { ...CREDENTIALS, sessionToken: 'a/b+c=' } });
    const names = new URL(url).search
      .slice(1)
      .split('&')
      .map((pair) => pair.split('=')[0]);
    expect(names).toEqual([
      'Action',
      'Version',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-SignedHeaders',
      'X-Amz-Security-Token',
      'X-Amz-Signature',
    ]);
    expect(url).toContain('X-Amz-SignedHeaders=host%3Bx-k8s-aws-id');
    expect(url).toContain('X-Amz-Security-Token=a%2Fb%2Bc%3D');
    expect(url).toContain('X-Amz-Expires=60&');
    expect(url).not.toContain('demo');
  });

  it.each([
    ['regional (default)', {}, 'sts.us-west-2.amazonaws.com', 'us-west-2'],
    ['legacy', { stsRegionalEndpoints: 'legacy' }, 'sts.amazonaws.com', 'us-east-1'],
    ['FIPS', { useFipsEndpoint: true }, 'sts-fips.us-west-2.amazonaws.com', 'us-west-2'],
    ['dual-stack', { useDualstackEndpoint: true }, 'sts.us-west-2.api.aws', 'us-west-2'],
    ['endpoint override', { endpoint: 'sts.example.test' }, 'sts.example.test', 'us-west-2'],
  ] as const)('host: %s', async (_name, options, host, region) => {
    const generated = await generate(options);
    expect(generated.host).toBe(host);
    expect(pkg.parseToken(generated.token).region).toBe(region);
  });

  it.each([
    ['empty', ''],
    ['a control character', 'de\u0001mo'],
    ['256 characters', 'c'.repeat(256)],
  ])('clusterId %s is a TypeError', async (_name, clusterId) => {
    await expect(generate({ clusterId })).rejects.toThrow(TypeError);
  });

  it('clusterId of 255 characters is accepted', async () => {
    await expect(generate({ clusterId: 'c'.repeat(255) })).resolves.toBeDefined();
  });

  it.each([[-1], [901], [1.5]])('expiresIn %d is a TypeError (0..900)', async (expiresIn) => {
    await expect(generate({ expiresIn })).rejects.toThrow(TypeError);
  });

  it.each([[0], [900]])('expiresIn %d is X-Amz-Expires', async (expiresIn) => {
    expect((await generate({ expiresIn })).url).toContain(`X-Amz-Expires=${expiresIn}&`);
  });

  it('credentials may be an async provider (the SDK v3 provider type)', async () => {
    const generated = await generate({
      credentials: () => Promise.resolve({ accessKeyId: 'AKIDPROVIDER', secretAccessKey: 's' }),
    });
    expect(pkg.parseToken(generated.token).accessKeyId).toBe('AKIDPROVIDER');
  });
});

describe('SPEC 3.2 formatExecCredential: apiVersion negotiation', () => {
  const V1 = 'client.authentication.k8s.io/v1';
  const V1BETA1 = 'client.authentication.k8s.io/v1beta1';
  const V1ALPHA1 = 'client.authentication.k8s.io/v1alpha1';
  it.each([
    ['missing → v1beta1, no warning', undefined, V1BETA1, 0],
    ['v1 echoed', JSON.stringify({ apiVersion: V1 }), V1, 0],
    ['v1beta1 echoed', JSON.stringify({ apiVersion: V1BETA1 }), V1BETA1, 0],
    ['v1alpha1 echoed with a warning', JSON.stringify({ apiVersion: V1ALPHA1 }), V1ALPHA1, 1],
    ['malformed → v1beta1 with a warning', '{not json', V1BETA1, 1],
    ['unknown → v1beta1 with a warning', JSON.stringify({ apiVersion: 'x/v9' }), V1BETA1, 1],
  ] as const)('%s', async (_name, execInfo, apiVersion, warnings) => {
    const generated = await generate();
    const seen: string[] = [];
    const credential = pkg.formatExecCredential(generated, {
      ...(execInfo === undefined ? {} : { execInfo }),
      onWarning: (message) => seen.push(message),
    });
    expect(credential).toEqual({
      kind: 'ExecCredential',
      apiVersion,
      spec: {},
      status: { expirationTimestamp: '2024-01-15T12:48:56Z', token: generated.token },
    });
    expect(seen).toHaveLength(warnings);
  });
});

describe('SPEC 3.3 parseToken: the checks, in order, each with its own reason', () => {
  const base = async (): Promise<string> =>
    pkg.parseToken((await generate({ credentials: { ...CREDENTIALS, sessionToken: 'ST' } })).token)
      .url;
  const swap = (
    url: string,
    from: RegExp | string,
    to: string | ((match: string, ...groups: string[]) => string),
  ): string => (typeof to === 'string' ? url.replace(from, to) : url.replace(from, to));

  it.each([
    ['1: not a string', () => 42, 'ERR_TOKEN_MALFORMED/not-a-string'],
    [
      '1: longer than 16384',
      () => 'k8s-aws-v1.' + 'A'.repeat(16_374),
      'ERR_TOKEN_TOO_LARGE/too-large',
    ],
    [
      '1 before 2: too long and no prefix',
      () => 'x'.repeat(20_000),
      'ERR_TOKEN_TOO_LARGE/too-large',
    ],
    [
      '2: prefix',
      (u: string) => 'k8s-aws-v2.' + tokenOf(u).slice(11),
      'ERR_TOKEN_MALFORMED/prefix',
    ],
    ['3: padding', (u: string) => tokenOf(u) + '=', 'ERR_TOKEN_MALFORMED/base64url'],
    [
      '3: "+" is not base64url',
      (u: string) => tokenOf(u).replace(/.$/, '+'),
      'ERR_TOKEN_MALFORMED/base64url',
    ],
    ['4: http', (u: string) => tokenOf(swap(u, 'https:', 'http:')), 'ERR_TOKEN_MALFORMED/url'],
    [
      '4: userinfo',
      (u: string) => tokenOf(swap(u, 'https://', 'https://u@')),
      'ERR_TOKEN_MALFORMED/url',
    ],
    ['4: port', (u: string) => tokenOf(swap(u, '.com/', '.com:443/')), 'ERR_TOKEN_MALFORMED/url'],
    ['4: fragment', (u: string) => tokenOf(u + '#f'), 'ERR_TOKEN_MALFORMED/url'],
    [
      '4: upper-case host',
      (u: string) => tokenOf(swap(u, 'sts.', 'STS.')),
      'ERR_TOKEN_MALFORMED/url',
    ],
    [
      '4: path not /',
      (u: string) => tokenOf(swap(u, '.com/?', '.com/x?')),
      'ERR_TOKEN_MALFORMED/url',
    ],
    [
      '5: ";" separator',
      (u: string) => tokenOf(swap(u, '&Version', ';Version')),
      'ERR_TOKEN_MALFORMED/query',
    ],
    [
      '5: raw "+"',
      (u: string) => tokenOf(swap(u, 'Version=2011-06-15', 'Version=2011+06-15')),
      'ERR_TOKEN_MALFORMED/query',
    ],
    [
      '5: a name twice',
      (u: string) => tokenOf(u + '&Action=GetCallerIdentity'),
      'ERR_TOKEN_MALFORMED/duplicate-parameter',
    ],
    [
      '5: a name outside the allowlist',
      (u: string) => tokenOf(u + '&Foo=1'),
      'ERR_TOKEN_MALFORMED/unknown-parameter',
    ],
    [
      '5: other casing',
      (u: string) => tokenOf(swap(u, 'X-Amz-Date', 'x-amz-date')),
      'ERR_TOKEN_MALFORMED/unknown-parameter',
    ],
    [
      '5 before 6: unknown and missing',
      (u: string) => tokenOf(swap(u, /&X-Amz-Expires=\d+/, '') + '&Foo=1'),
      'ERR_TOKEN_MALFORMED/unknown-parameter',
    ],
    [
      '6: missing',
      (u: string) => tokenOf(swap(u, /&X-Amz-Expires=\d+/, '')),
      'ERR_TOKEN_MALFORMED/missing-parameter',
    ],
    [
      '6: empty security token',
      (u: string) => tokenOf(swap(u, /X-Amz-Security-Token=[^&]*/, 'X-Amz-Security-Token=')),
      'ERR_TOKEN_MALFORMED/parameter-value',
    ],
    [
      '6: Action',
      (u: string) => tokenOf(swap(u, 'GetCallerIdentity', 'GetSessionToken')),
      'ERR_TOKEN_MALFORMED/parameter-value',
    ],
    [
      '6: Version',
      (u: string) => tokenOf(swap(u, '2011-06-15', '2011-06-16')),
      'ERR_TOKEN_MALFORMED/parameter-value',
    ],
    [
      '6 before 7: Action and date',
      (u: string) =>
        tokenOf(swap(swap(u, 'GetCallerIdentity', 'X'), /X-Amz-Date=\w+/, 'X-Amz-Date=bad')),
      'ERR_TOKEN_MALFORMED/parameter-value',
    ],
    [
      '7: not a real instant',
      (u: string) => tokenOf(swap(u, /X-Amz-Date=\w+/, 'X-Amz-Date=20240230T000000Z')),
      'ERR_TOKEN_MALFORMED/date',
    ],
    [
      '7: expires 901',
      (u: string) => tokenOf(swap(u, /X-Amz-Expires=\d+/, 'X-Amz-Expires=901')),
      'ERR_TOKEN_MALFORMED/expires',
    ],
    [
      '7 before 8: date and credential',
      (u: string) =>
        tokenOf(
          swap(swap(u, /X-Amz-Date=\w+/, 'X-Amz-Date=bad'), '%2Fus-west-2%2F', '%2Fus-east-1%2F'),
        ),
      'ERR_TOKEN_MALFORMED/date',
    ],
    [
      '8: credential date',
      (u: string) => tokenOf(swap(u, '%2F20240115%2F', '%2F20240116%2F')),
      'ERR_TOKEN_MALFORMED/credential',
    ],
    [
      "8: credential region not the host's",
      (u: string) => tokenOf(swap(u, '%2Fus-west-2%2F', '%2Fus-east-1%2F')),
      'ERR_TOKEN_MALFORMED/credential',
    ],
    [
      '8 before 9: credential and signature',
      (u: string) =>
        tokenOf(
          swap(
            swap(u, '%2Fus-west-2%2F', '%2Fus-east-1%2F'),
            /X-Amz-Signature=\w+/,
            'X-Amz-Signature=zz',
          ),
        ),
      'ERR_TOKEN_MALFORMED/credential',
    ],
    [
      '9: signed headers',
      (u: string) => tokenOf(swap(u, 'host%3Bx-k8s-aws-id', 'host')),
      'ERR_TOKEN_MALFORMED/signed-headers',
    ],
    [
      '9: upper-case signature',
      (u: string) =>
        tokenOf(
          swap(
            u,
            /X-Amz-Signature=(\w+)/,
            (_m: string, s: string) => `X-Amz-Signature=${s.toUpperCase()}`,
          ),
        ),
      'ERR_TOKEN_MALFORMED/signature',
    ],
  ] as const)('%s', async (_name, make, expected) => {
    const url = await base();
    expect(reasonOf(() => pkg.parseToken((make as (u: string) => unknown)(url) as string))).toBe(
      expected,
    );
  });

  it('3: a non-canonical encoding (unused bits set in the last character) is refused', async () => {
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // A session token of one of three lengths makes the URL's byte count leave spare bits.
    for (const sessionToken of ['ST', 'STX', 'STXY']) {
      const { token } = await generate({ credentials: { ...CREDENTIALS, sessionToken } });
      const body = token.slice('k8s-aws-v1.'.length);
      if (body.length % 4 === 0) continue;
      const last = ALPHABET.indexOf(body.at(-1) as string);
      const respelled = body.slice(0, -1) + (ALPHABET[last | 1] as string);
      expect(Buffer.from(respelled, 'base64url')).toEqual(Buffer.from(body, 'base64url'));
      expect(reasonOf(() => pkg.parseToken(`k8s-aws-v1.${respelled}`))).toBe(
        'ERR_TOKEN_MALFORMED/base64url',
      );
      return;
    }
    expect.unreachable('no URL length left spare bits');
  });

  it('X-Amz-Expires=0 (older Go authenticators) and 900 parse', async () => {
    const url = await base();
    for (const expires of ['0', '900']) {
      expect(
        pkg.parseToken(tokenOf(url.replace(/X-Amz-Expires=\d+/, `X-Amz-Expires=${expires}`)))
          .expiresIn,
      ).toBe(Number(expires));
    }
  });

  it('strictParameterCase: false accepts any casing, still refuses two names equal ignoring case (CVE-2022-2385)', async () => {
    const url = await base();
    const lower = tokenOf(url.replace('X-Amz-Date', 'x-amz-date'));
    expect(pkg.parseToken(lower, { strictParameterCase: false }).host).toBe(
      'sts.us-west-2.amazonaws.com',
    );
    const twice = tokenOf(url + '&x-amz-date=20240115T123456Z');
    expect(reasonOf(() => pkg.parseToken(twice, { strictParameterCase: false }))).toBe(
      'ERR_TOKEN_MALFORMED/duplicate-parameter',
    );
  });

  it('maxTokenLength: 16384 accepted, 16385 refused, and the option moves it', async () => {
    expect(reasonOf(() => pkg.parseToken('k8s-aws-v1.' + 'A'.repeat(16_384 - 11)))).not.toBe(
      'ERR_TOKEN_TOO_LARGE/too-large',
    );
    expect(reasonOf(() => pkg.parseToken('k8s-aws-v1.' + 'A'.repeat(16_385 - 11)))).toBe(
      'ERR_TOKEN_TOO_LARGE/too-large',
    );
    const { token } = await generate();
    expect(reasonOf(() => pkg.parseToken(token, { maxTokenLength: 100 }))).toBe(
      'ERR_TOKEN_TOO_LARGE/too-large',
    );
  });

  it('messages never include the token or the signature', async () => {
    const url = await base();
    const signature = /X-Amz-Signature=(\w+)/.exec(url)?.[1] ?? '';
    for (const bad of [
      url + '&Foo=1',
      url.replace('https:', 'http:'),
      url.replace(signature, signature + '0'),
    ]) {
      const token = tokenOf(bad);
      try {
        pkg.parseToken(token);
        expect.unreachable();
      } catch (error) {
        expect((error as Error).message).not.toContain(signature);
        expect((error as Error).message).not.toContain(token);
      }
    }
  });

  it('the decoded fields, expiresAt = signedAt + 15 min, the URL rebuilt', async () => {
    const generated = await generate({ credentials: { ...CREDENTIALS, sessionToken: 'ST' } });
    const parsed: ParsedToken = pkg.parseToken(generated.token);
    expect(parsed).toMatchObject({
      url: generated.url,
      host: 'sts.us-west-2.amazonaws.com',
      region: 'us-west-2',
      partition: 'aws',
      endpointKind: 'regional',
      accessKeyId: 'AKIDEXAMPLE',
      signedAt: SIGNED_AT,
      expiresAt: new Date(SIGNED_AT.getTime() + 15 * 60_000),
      expiresIn: 60,
      signedHeaders: ['host', 'x-k8s-aws-id'],
      hasSessionToken: true,
    });
  });

  it.each([
    ['global', { stsRegionalEndpoints: 'legacy' }],
    ['regional', {}],
    ['fips', { useFipsEndpoint: true }],
    ['dualstack', { useDualstackEndpoint: true }],
    ['fips-dualstack', { useFipsEndpoint: true, useDualstackEndpoint: true }],
  ] as const)('endpointKind %s', async (kind, options) => {
    expect(
      pkg.parseToken((await generate({ region: 'us-east-1', ...options })).token).endpointKind,
    ).toBe(kind);
  });

  it.each(
    botocore.vectors.flatMap((v) =>
      (v.alternateEncodings ?? []).map((alt) => [`${v.id} (${alt.by})`, v, alt] as const),
    ),
  )(
    '%s: another spelling of the same signed URL parses to the same rebuilt URL',
    (_id, vector, alt) => {
      expect(pkg.parseToken(alt.token).url).toBe(pkg.parseToken(vector.expected.token).url);
    },
  );

  it.each(
    loadVector<AuthenticatorVectorFile>('aws-iam-authenticator-tokens.json').vectors.map(
      (v) => [v.id, v] as const,
    ),
  )('Go authenticator token %s parses', (_id, vector) => {
    const parsed = pkg.parseToken(tokenOf(vector.expected.presignedUrl));
    expect(parsed.host).toBe(vector.expected.host);
  });
});

describe('SPEC 3.4 verifyToken', () => {
  const NOW = new Date(SIGNED_AT.getTime() + 60_000);
  const identity = (arn: string, account: string, userId: string): typeof fetch => {
    const answer = (): Promise<Response> =>
      Promise.resolve(
        new Response(
          JSON.stringify({
            GetCallerIdentityResponse: {
              GetCallerIdentityResult: { Arn: arn, Account: account, UserId: userId },
            },
          }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        ),
      );
    return answer;
  };
  const ALICE = identity('arn:aws:iam::111122223333:user/alice', '111122223333', 'AIDAALICE');
  const verify = async (
    token: string,
    options: Partial<pkg.VerifyTokenOptions> = {},
  ): Promise<string> =>
    pkg
      .verifyToken(token, {
        clusterId: 'demo',
        currentDate: NOW,
        fetch: ALICE,
        retries: 0,
        ...options,
      })
      .then(
        (id) => `ok ${id.stsHost}`,
        (error: unknown) => (error as pkg.EksAuthError).code,
      );

  it.each([
    [
      'regional host of a known region',
      { region: 'eu-west-1' },
      {},
      'ok sts.eu-west-1.amazonaws.com',
    ],
    ['sts.amazonaws.com for aws', { stsRegionalEndpoints: 'legacy' }, {}, 'ok sts.amazonaws.com'],
    [
      'sts.amazonaws.com for aws-cn',
      { stsRegionalEndpoints: 'legacy' },
      { partition: 'aws-cn' },
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
    [
      'FIPS',
      { region: 'us-east-1', useFipsEndpoint: true },
      {},
      'ok sts-fips.us-east-1.amazonaws.com',
    ],
    [
      'dual-stack',
      { region: 'us-east-1', useDualstackEndpoint: true },
      {},
      'ok sts.us-east-1.api.aws',
    ],
    [
      'a region that only fits the pattern',
      { region: 'us-madeup-9' },
      {},
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
    [
      "… unless it is the server's own region",
      { region: 'us-madeup-9' },
      { region: 'us-madeup-9' },
      'ok sts.us-madeup-9.amazonaws.com',
    ],
    [
      '… or listed in extraRegions',
      { region: 'us-madeup-9' },
      { extraRegions: ['us-madeup-9'] },
      'ok sts.us-madeup-9.amazonaws.com',
    ],
    ['a GovCloud host for aws', { region: 'us-gov-west-1' }, {}, 'ERR_TOKEN_HOST_NOT_ALLOWED'],
    [
      'sts.not-a-region.amazonaws.com',
      { region: 'not-a-region' },
      {},
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
    ['an endpoint override', { endpoint: 'sts.example.test' }, {}, 'ERR_TOKEN_HOST_NOT_ALLOWED'],
  ] as const)('2: host policy: %s', async (_name, signing, verifying, expected) => {
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls++;
      return ALICE(input, init);
    };
    const answer = await verify((await generate(signing)).token, { ...verifying, fetch: counting });
    expect(answer).toBe(expected);
    if (!answer.startsWith('ok')) expect(calls).toBe(0);
  });

  it.each([
    ['15 min after signing: valid', 15 * 60_000, 'ok sts.us-west-2.amazonaws.com'],
    ['15 min and 1 ms: expired', 15 * 60_000 + 1, 'ERR_TOKEN_EXPIRED'],
    ['300 s in the future: valid', -300_000, 'ok sts.us-west-2.amazonaws.com'],
    ['301 s in the future: not yet valid', -301_000, 'ERR_TOKEN_NOT_YET_VALID'],
  ])('3: clock: %s', async (_name, offset, expected) => {
    const { token } = await generate();
    expect(await verify(token, { currentDate: new Date(SIGNED_AT.getTime() + offset) })).toBe(
      expected,
    );
  });

  it('4: GET of the rebuilt URL with x-k8s-aws-id and accept: application/json, redirect manual', async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const recording: typeof fetch = (input, init) => {
      seen.push({ url: String(input), init });
      return ALICE(input, init);
    };
    const generated = await generate();
    await pkg.verifyToken(generated.token, {
      clusterId: 'demo',
      currentDate: NOW,
      fetch: recording,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(generated.url);
    expect(seen[0]?.init?.redirect).toBe('manual');
    expect(seen[0]?.init?.method ?? 'GET').toBe('GET');
    const headers = new Headers(seen[0]?.init?.headers);
    expect(headers.get('x-k8s-aws-id')).toBe('demo');
    expect(headers.get('accept')).toBe('application/json');
  });

  const answered = (status: number, body: string, type = 'application/json'): typeof fetch => {
    const answer = (): Promise<Response> =>
      Promise.resolve(new Response(body, { status, headers: { 'content-type': type } }));
    return answer;
  };
  it.each([
    ['400 Throttling', answered(400, '{"Error":{"Code":"Throttling"}}'), 'ERR_STS_THROTTLED'],
    [
      '400 ThrottlingException',
      answered(400, '{"Error":{"Code":"ThrottlingException"}}'),
      'ERR_STS_THROTTLED',
    ],
    [
      '400 RequestLimitExceeded',
      answered(400, '{"Error":{"Code":"RequestLimitExceeded"}}'),
      'ERR_STS_THROTTLED',
    ],
    ['429', answered(429, ''), 'ERR_STS_THROTTLED'],
    ['503', answered(503, ''), 'ERR_STS_UNAVAILABLE'],
    ['302 (never followed)', answered(302, ''), 'ERR_STS_UNAVAILABLE'],
    [
      '403 SignatureDoesNotMatch',
      answered(403, '{"Error":{"Code":"SignatureDoesNotMatch"}}'),
      'ERR_STS_REJECTED',
    ],
    [
      '200, body over maxResponseBytes',
      answered(200, 'x'.repeat(64 * 1024 + 1)),
      'ERR_STS_RESPONSE_INVALID',
    ],
    [
      "200, Account not the ARN's",
      identity('arn:aws:iam::111122223333:user/a', '111122223334', 'AIDA'),
      'ERR_STS_RESPONSE_INVALID',
    ],
    [
      '200, Account not 12 digits',
      identity('arn:aws:iam::11112222333:user/a', '11112222333', 'AIDA'),
      'ERR_STS_RESPONSE_INVALID',
    ],
    [
      '200, ARN of another partition',
      identity('arn:aws-cn:iam::111122223333:user/a', '111122223333', 'AIDA'),
      'ERR_STS_RESPONSE_INVALID',
    ],
    [
      '200, assumed role without <id>:<session>',
      identity('arn:aws:sts::111122223333:assumed-role/R/s', '111122223333', 'AROA'),
      'ERR_STS_RESPONSE_INVALID',
    ],
    [
      '200, empty UserId',
      identity('arn:aws:iam::111122223333:user/a', '111122223333', ''),
      'ERR_STS_RESPONSE_INVALID',
    ],
  ] as const)('5: %s', async (_name, fetch, code) => {
    expect(await verify((await generate()).token, { fetch })).toBe(code);
  });

  it('5: an XML GetCallerIdentityResponse is read by its content type', async () => {
    const xml =
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
      '<Arn>arn:aws:iam::012345678901:user/bob</Arn><UserId>AIDABOB</UserId><Account>012345678901</Account>' +
      '</GetCallerIdentityResult></GetCallerIdentityResponse>';
    const verified = await pkg.verifyToken((await generate()).token, {
      clusterId: 'demo',
      currentDate: NOW,
      fetch: answered(200, xml, 'text/xml'),
    });
    expect(verified.accountId).toBe('012345678901');
  });

  it('retries: network errors and 5xx only, 2 by default', async () => {
    const counts: number[] = [];
    for (const make of [
      () => new Response('', { status: 503 }),
      () => new Response('', { status: 429 }),
    ]) {
      let calls = 0;
      const counting: typeof globalThis.fetch = () => {
        calls++;
        return Promise.resolve(make());
      };
      await pkg
        .verifyToken((await generate()).token, {
          clusterId: 'demo',
          currentDate: NOW,
          fetch: counting,
        })
        .catch(() => undefined);
      counts.push(calls);
    }
    expect(counts).toEqual([3, 1]);
  });

  it('6: the result for an assumed role: userId is the id, sessionName the session', async () => {
    const verified = await pkg.verifyToken((await generate()).token, {
      clusterId: 'demo',
      currentDate: NOW,
      fetch: identity(
        'arn:aws:sts::111122223333:assumed-role/Dev/alice',
        '111122223333',
        'AROADEV:alice',
      ),
    });
    expect(verified).toEqual({
      arn: 'arn:aws:sts::111122223333:assumed-role/Dev/alice',
      canonicalArn: 'arn:aws:iam::111122223333:role/Dev',
      principalType: 'assumed-role',
      accountId: '111122223333',
      userId: 'AROADEV',
      sessionName: 'alice',
      accessKeyId: 'AKIDEXAMPLE',
      partition: 'aws',
      stsHost: 'sts.us-west-2.amazonaws.com',
      signedAt: SIGNED_AT,
      expiresAt: new Date(SIGNED_AT.getTime() + 15 * 60_000),
    });
  });

  it('6: for a user the whole UserId is the id and sessionName is absent', async () => {
    const verified = await pkg.verifyToken((await generate()).token, {
      clusterId: 'demo',
      currentDate: NOW,
      fetch: ALICE,
    });
    expect(verified.userId).toBe('AIDAALICE');
    expect('sessionName' in verified).toBe(false);
  });

  it('never throws synchronously: a bad token and bad options reject', async () => {
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = pkg.verifyToken(42 as unknown as string, { clusterId: 'demo' });
    }).not.toThrow();
    await expect(promise).rejects.toMatchObject({ code: 'ERR_TOKEN_MALFORMED' });
    expect(() => {
      promise = pkg.verifyToken('x', undefined as unknown as pkg.VerifyTokenOptions);
    }).not.toThrow();
    await expect(promise).rejects.toThrow(TypeError);
  });
});

describe('SPEC 3.5 canonicalizeArn', () => {
  it.each([
    [
      'role with a path',
      'arn:aws:iam::111122223333:role/team/Admin',
      'arn:aws:iam::111122223333:role/team/Admin',
      'role',
    ],
    ['user', 'arn:aws:iam::111122223333:user/bob', 'arn:aws:iam::111122223333:user/bob', 'user'],
    ['root', 'arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:root', 'root'],
    [
      'assumed role',
      'arn:aws-cn:sts::111122223333:assumed-role/Admin/alice',
      'arn:aws-cn:iam::111122223333:role/Admin',
      'assumed-role',
    ],
    [
      'federated user (unchanged)',
      'arn:aws:sts::111122223333:federated-user/bob',
      'arn:aws:sts::111122223333:federated-user/bob',
      'federated-user',
    ],
  ])('%s', (_name, arn, canonicalArn, principalType) => {
    expect(pkg.canonicalizeArn(arn)).toMatchObject({ canonicalArn, principalType });
  });

  it.each([
    ['unknown partition', 'arn:aws-mars:iam::111122223333:role/x'],
    ['unknown service', 'arn:aws:s3::111122223333:role/x'],
    ['unknown resource', 'arn:aws:iam::111122223333:group/x'],
    ['not an ARN', 'admin'],
  ])('%s → ERR_ARN_INVALID', (_name, arn) => {
    expect(() => pkg.canonicalizeArn(arn)).toThrow(
      expect.objectContaining({ code: 'ERR_ARN_INVALID' }),
    );
  });
});
