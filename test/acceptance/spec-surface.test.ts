/**
 * Acceptance: the package's public surface as SPEC.md sections 1 and 5 name
 * it, checked on the built package (`eks-iam-auth` resolves to
 * `dist/index.js`): every export of the section 1 table, every error code of
 * section 5 with its class and the HTTP status a server answers, and the two
 * documents that state that table (SECURITY.md "Error codes", docs/guide.md
 * §2.3) saying the same as `HTTP_STATUS_BY_CODE`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pkg from 'eks-iam-auth';
import { repoRoot } from '../support/vectors.js';

describe('SPEC 1: the exports of the table', () => {
  it.each([
    'generateToken',
    'formatExecCredential',
    'parseToken',
    'verifyToken',
    'parseAwsAuth',
    'mapIdentity',
    'canonicalizeArn',
    'reviewToken',
    'createVerifier',
    'parseAccessEntries',
    'resolveIdentity',
    'planAccessEntryMigration',
    'parseAuthenticatorConfig',
    'parseIdentityMappings',
    'parseDynamicFile',
    'parseRbac',
    'authorize',
    'whoCan',
    'redisStore',
  ])('%s is an exported function', (name) => {
    expect(typeof (pkg as Record<string, unknown>)[name]).toBe('function');
  });

  it.each(['explainIdentity', 'listPermissions', 'renderMigration'])(
    '%s (named in SPEC 4.6, 4.9, 4.7) is an exported function',
    (name) => {
      expect(typeof (pkg as Record<string, unknown>)[name]).toBe('function');
    },
  );

  it('ACCESS_POLICIES is frozen data keyed by policy name', () => {
    expect(Object.isFrozen(pkg.ACCESS_POLICIES)).toBe(true);
    const admin = pkg.ACCESS_POLICIES['AmazonEKSClusterAdminPolicy'];
    expect(admin).toMatchObject({ name: 'AmazonEKSClusterAdminPolicy', documented: true });
    expect(admin?.source.url).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/eks\//);
    expect(admin?.source.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('ships no runtime server and no emulator (SPEC 1, 6): no export names one', () => {
    const names = Object.keys(pkg);
    expect(names.filter((n) => /emulator|server|listen/i.test(n))).toEqual([]);
  });
});

/** SPEC 5's list, each with the status its "documented table" gives. */
const SPEC_CODES: readonly (readonly [pkg.ErrorCode, number])[] = [
  ['ERR_TOKEN_MALFORMED', 401],
  ['ERR_TOKEN_TOO_LARGE', 401],
  ['ERR_TOKEN_HOST_NOT_ALLOWED', 401],
  ['ERR_TOKEN_EXPIRED', 401],
  ['ERR_TOKEN_NOT_YET_VALID', 401],
  ['ERR_STS_REJECTED', 401],
  ['ERR_STS_THROTTLED', 429],
  ['ERR_STS_UNAVAILABLE', 503],
  ['ERR_STS_RESPONSE_INVALID', 503],
  ['ERR_ARN_INVALID', 401],
  ['ERR_AWS_AUTH_INVALID', 403],
  ['ERR_TEMPLATE', 403],
  ['ERR_CREDENTIALS_MISSING', 500],
];

const SIGNED_AT = new Date('2024-01-15T12:34:56Z');
const VERIFY = {
  clusterId: 'demo',
  currentDate: new Date(SIGNED_AT.getTime() + 60_000),
  retries: 0,
};

async function token(region = 'us-west-2'): Promise<string> {
  const generated = await pkg.generateToken({
    clusterId: 'demo',
    region,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    signingDate: SIGNED_AT,
  });
  return generated.token;
}

/** A `fetch` answering every request with `status` and `body` as JSON. */
function stsAnswer(status: number, body: unknown): typeof fetch {
  return () =>
    Promise.resolve(
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
    );
}

const sync = (run: () => unknown) => (): Promise<unknown> => {
  try {
    return Promise.resolve(run());
  } catch (error) {
    return Promise.reject(error as Error);
  }
};

/** Each SPEC 5 code, raised by a public function on input that earns it. */
const CAUSED: readonly (readonly [string, string, () => Promise<unknown>])[] = [
  ['ERR_TOKEN_MALFORMED', 'TokenFormatError', sync(() => pkg.parseToken('k8s-aws-v1.!'))],
  [
    'ERR_TOKEN_TOO_LARGE',
    'TokenFormatError',
    sync(() => pkg.parseToken('k8s-aws-v1.' + 'A'.repeat(16_384))),
  ],
  [
    'ERR_TOKEN_HOST_NOT_ALLOWED',
    'TokenHostError',
    async () => pkg.verifyToken(await token('us-madeup-9'), VERIFY),
  ],
  [
    'ERR_TOKEN_EXPIRED',
    'TokenExpiredError',
    async () =>
      pkg.verifyToken(await token(), {
        ...VERIFY,
        currentDate: new Date(SIGNED_AT.getTime() + 15 * 60_000 + 1),
      }),
  ],
  [
    'ERR_TOKEN_NOT_YET_VALID',
    'TokenNotYetValidError',
    async () =>
      pkg.verifyToken(await token(), {
        ...VERIFY,
        currentDate: new Date(SIGNED_AT.getTime() - 301_000),
      }),
  ],
  [
    'ERR_STS_REJECTED',
    'StsRejectedError',
    async () =>
      pkg.verifyToken(await token(), {
        ...VERIFY,
        fetch: stsAnswer(403, { Error: { Code: 'InvalidClientTokenId' } }),
      }),
  ],
  [
    'ERR_STS_THROTTLED',
    'StsThrottledError',
    async () =>
      pkg.verifyToken(await token(), {
        ...VERIFY,
        fetch: stsAnswer(400, { Error: { Code: 'Throttling' } }),
      }),
  ],
  [
    'ERR_STS_UNAVAILABLE',
    'StsUnavailableError',
    async () => pkg.verifyToken(await token(), { ...VERIFY, fetch: stsAnswer(503, {}) }),
  ],
  [
    'ERR_STS_RESPONSE_INVALID',
    'StsResponseError',
    async () => pkg.verifyToken(await token(), { ...VERIFY, fetch: stsAnswer(200, {}) }),
  ],
  ['ERR_ARN_INVALID', 'ArnError', sync(() => pkg.canonicalizeArn('arn:aws:s3:::bucket'))],
  ['ERR_AWS_AUTH_INVALID', 'AwsAuthError', sync(() => pkg.parseAwsAuth('kind: Secret\n'))],
  [
    'ERR_TEMPLATE',
    'TemplateError',
    () =>
      pkg.mapIdentity(
        {
          mapUsers: '- userarn: arn:aws:iam::111122223333:user/u\n  username: "{{AccessKeyID}}"\n',
        },
        'arn:aws:iam::111122223333:user/u',
      ),
  ],
  [
    'ERR_CREDENTIALS_MISSING',
    'CredentialsError',
    () =>
      pkg.generateToken({
        clusterId: 'demo',
        region: 'us-east-1',
        credentials: () => Promise.reject(new Error('no credentials here')),
      }),
  ],
];

describe('SPEC 5: error codes', () => {
  it.each(SPEC_CODES)('%s answers %i', (code, status) => {
    expect(pkg.HTTP_STATUS_BY_CODE[code]).toBe(status);
  });

  it.each(CAUSED)('%s: raised by the API as %s, an EksAuthError', async (code, name, cause) => {
    const error = await cause().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(pkg.EksAuthError);
    expect(error).toBeInstanceOf(Error);
    const known = error as pkg.EksAuthError;
    expect(known.code).toBe(code);
    expect(known.name).toBe(name);
    expect((pkg as Record<string, unknown>)[name]).toBeTypeOf('function');
    expect(known).toBeInstanceOf((pkg as unknown as Record<string, new () => Error>)[name]);
    expect(known.httpStatus).toBe(pkg.HTTP_STATUS_BY_CODE[known.code]);
    expect(pkg.isEksAuthError(known)).toBe(true);
  });

  it('StsRejectedError carries the AWS error code in awsCode', async () => {
    const error = await pkg
      .verifyToken(await token(), {
        ...VERIFY,
        fetch: stsAnswer(403, { Error: { Code: 'SignatureDoesNotMatch', Message: 'no' } }),
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_STS_REJECTED', awsCode: 'SignatureDoesNotMatch' });
  });

  it('bad options are a TypeError, not an EksAuthError', async () => {
    await expect(pkg.verifyToken(await token(), { clusterId: '' })).rejects.toThrow(TypeError);
    expect(() => pkg.parseToken('k8s-aws-v1.x', { maxTokenLength: -1 })).toThrow(TypeError);
  });

  it('every code of HTTP_STATUS_BY_CODE answers one of 401/403/429/503 (500 on the signing and rendering side)', () => {
    for (const [code, status] of Object.entries(pkg.HTTP_STATUS_BY_CODE)) {
      expect([401, 403, 429, 503, 500], code).toContain(status);
    }
  });
});

/** The `| `CODE` … | STATUS |` rows of a Markdown table, as code → status. */
function documentedStatuses(file: string): Map<string, number> {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  const table = new Map<string, number>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const status = Number(cells.at(-2));
    if (!line.startsWith('| `ERR_') || !Number.isInteger(status)) continue;
    for (const code of (cells[1] ?? '').matchAll(/`(ERR_[A-Z_]+)`/g)) {
      table.set(code[1] as string, status);
    }
  }
  return table;
}

describe('SPEC 5 "the documented table": the documents agree with HTTP_STATUS_BY_CODE', () => {
  it.each(['SECURITY.md', 'docs/guide.md'])('%s lists every code with its status', (file) => {
    expect(Object.fromEntries(documentedStatuses(file))).toEqual({ ...pkg.HTTP_STATUS_BY_CODE });
  });
});
