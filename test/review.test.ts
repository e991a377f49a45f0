/**
 * reviewToken: the status logic with a stubbed verifier (every outcome, both
 * apiVersions), then end to end — generateToken → reviewToken → the STS
 * emulator → aws-auth — for every HTTP status a webhook answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAwsAuth } from '../src/aws-auth/parse.js';
import {
  AwsAuthError,
  StsRejectedError,
  StsResponseError,
  StsThrottledError,
  StsUnavailableError,
  TemplateError,
  TokenExpiredError,
  TokenFormatError,
  TokenHostError,
  TokenNotYetValidError,
} from '../src/errors.js';
import { reviewToken, reviewTokenWith } from '../src/review.js';
import type { ReviewTokenOptions, TokenReviewResult } from '../src/review.js';
import { generateToken } from '../src/token/generate.js';
import type { VerifiedIdentity } from '../src/token/verify.js';
import { startStsEmulator } from './support/sts-emulator.js';
import type { FaultKind, StsEmulator } from './support/sts-emulator.js';

const V1 = 'authentication.k8s.io/v1';
const V1BETA1 = 'authentication.k8s.io/v1beta1';
const TOKEN = 'k8s-aws-v1.c2VjcmV0LXRva2VuLWJvZHk';
const DATE = new Date('2024-01-15T12:34:56Z');

const AWS_AUTH = parseAwsAuth({
  mapRoles: [
    '- rolearn: arn:aws:iam::123456789012:role/my-role-name',
    '  username: "dev:{{SessionName}}"',
    '  groups: [developers]',
    '- rolearn: arn:aws:iam::123456789012:role/eks-node-role',
    '  username: system:node:{{EC2PrivateDNSName}}',
    '  groups: [system:bootstrappers, system:nodes]',
    '- sso: {permissionSetName: AdministratorAccess, accountID: "123456789012"}',
    '  username: "sso-admin:{{SessionName}}"',
    '  groups: [system:masters]',
    '- rolearn: arn:aws:iam::123456789012:role/broken',
    '  username: "{{EC2PrivateDNSName}}"',
  ].join('\n'),
  mapUsers: '- userarn: arn:aws:iam::123456789012:user/Alice\n  username: alice\n',
});

const ROLE_IDENTITY: VerifiedIdentity = {
  arn: 'arn:aws:sts::123456789012:assumed-role/my-role-name/jane@example.com',
  canonicalArn: 'arn:aws:iam::123456789012:role/my-role-name',
  principalType: 'assumed-role',
  accountId: '123456789012',
  userId: 'AROA3XFRBF535PLBIFPI4',
  sessionName: 'jane@example.com',
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  partition: 'aws',
  stsHost: 'sts.us-west-2.amazonaws.com',
  signedAt: DATE,
  expiresAt: new Date(DATE.getTime() + 15 * 60_000),
};

function review(apiVersion = V1, token: unknown = TOKEN): Record<string, unknown> {
  return { apiVersion, kind: 'TokenReview', spec: { token } };
}

const base: ReviewTokenOptions = { clusterId: 'demo', awsAuth: AWS_AUTH };

/** reviewTokenWith a verifier that returns `identity` or throws `error`. */
function stubbed(
  outcome: VerifiedIdentity | Error,
  options: ReviewTokenOptions = base,
  request: unknown = review(),
) {
  const seen: string[] = [];
  const result = reviewTokenWith(
    async (token) => {
      seen.push(token);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    request,
    options,
  );
  return { result, seen };
}

function expectNoSecrets(result: TokenReviewResult): void {
  const text = JSON.stringify(result.body);
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain('c2VjcmV0');
}

describe('with a stubbed verifier', () => {
  it.each([
    ['v1', V1],
    ['v1beta1', V1BETA1],
  ])(
    'authenticated (%s): 200, user, uid and extra as the Go authenticator',
    async (_name, apiVersion) => {
      const { result, seen } = stubbed(ROLE_IDENTITY, base, review(apiVersion));
      const r = await result;
      expect(seen).toEqual([TOKEN]);
      expect(r).toEqual({
        status: 200,
        body: {
          apiVersion,
          kind: 'TokenReview',
          status: {
            authenticated: true,
            user: {
              username: 'dev:jane-example.com',
              uid: 'aws-iam-authenticator:123456789012:AROA3XFRBF535PLBIFPI4',
              groups: ['developers'],
              extra: {
                arn: [ROLE_IDENTITY.arn],
                canonicalArn: [ROLE_IDENTITY.canonicalArn],
                sessionName: ['jane@example.com'],
                accessKeyId: ['ASIAIOSFODNN7EXAMPLE'],
                principalId: ['AROA3XFRBF535PLBIFPI4'],
              },
            },
          },
        },
        identity: ROLE_IDENTITY,
      });
    },
  );

  it('a user has no session name: extra.sessionName is [""]', async () => {
    const user: VerifiedIdentity = {
      ...ROLE_IDENTITY,
      arn: 'arn:aws:iam::123456789012:user/Alice',
      canonicalArn: 'arn:aws:iam::123456789012:user/Alice',
      principalType: 'user',
      userId: 'AIDACKCEVSQ6C2EXAMPLE',
    };
    delete (user as { sessionName?: string }).sessionName;
    const r = await stubbed(user).result;
    expect(r.status).toBe(200);
    expect(r.body.status.user?.username).toBe('alice');
    expect(r.body.status.user?.extra['sessionName']).toEqual(['']);
    expect(r.body.status.user?.uid).toBe(
      'aws-iam-authenticator:123456789012:AIDACKCEVSQ6C2EXAMPLE',
    );
  });

  it('JSON text in, same answer', async () => {
    const r = await stubbed(ROLE_IDENTITY, base, JSON.stringify(review(V1BETA1))).result;
    expect(r.status).toBe(200);
    expect(r.body.apiVersion).toBe(V1BETA1);
  });

  it('not mapped: 403, authenticated false, no user', async () => {
    const r = await stubbed({
      ...ROLE_IDENTITY,
      canonicalArn: 'arn:aws:iam::123456789012:role/unknown',
    }).result;
    expect(r.status).toBe(403);
    expect(r.body).toEqual({
      apiVersion: V1,
      kind: 'TokenReview',
      status: { authenticated: false, error: 'the identity is not mapped in aws-auth' },
    });
    expect(r.error).toBeUndefined();
  });

  it.each<[string, Error, number, string]>([
    ['malformed token', new TokenFormatError('prefix', 'bad prefix'), 403, 'ERR_TOKEN_MALFORMED'],
    ['token too large', new TokenFormatError('too-large', 'too large'), 403, 'ERR_TOKEN_TOO_LARGE'],
    [
      'host not allowed',
      new TokenHostError('sts.evil.example', 'no'),
      403,
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
    ['expired', new TokenExpiredError(DATE, 'expired'), 403, 'ERR_TOKEN_EXPIRED'],
    ['not yet valid', new TokenNotYetValidError(DATE, 'future'), 403, 'ERR_TOKEN_NOT_YET_VALID'],
    [
      'STS rejected',
      new StsRejectedError(403, 'SignatureDoesNotMatch', 'rejected'),
      403,
      'ERR_STS_REJECTED',
    ],
    [
      'STS throttled',
      new StsThrottledError(400, 'Throttling', 'slow down'),
      429,
      'ERR_STS_THROTTLED',
    ],
    [
      'STS unavailable',
      new StsUnavailableError('down', { status: 503 }),
      503,
      'ERR_STS_UNAVAILABLE',
    ],
    ['STS answer invalid', new StsResponseError('bad body'), 503, 'ERR_STS_RESPONSE_INVALID'],
    ['unexpected error', new Error('boom'), 500, 'internal error'],
    ['caller bug', new TypeError('options.clusterId must be a string'), 500, 'internal error'],
  ])('verifier fails (%s): %i', async (_name, error, status, inMessage) => {
    const r = await stubbed(error).result;
    expect(r.status).toBe(status);
    expect(r.body.status.authenticated).toBe(false);
    expect(r.body.status.user).toBeUndefined();
    expect(r.body.status.error).toContain(inMessage);
    expect(r.error).toBe(error);
    expectNoSecrets(r);
  });

  it('a template that cannot render: 403 ERR_TEMPLATE', async () => {
    const r = await stubbed({
      ...ROLE_IDENTITY,
      canonicalArn: 'arn:aws:iam::123456789012:role/broken',
    }).result;
    expect(r.status).toBe(403);
    expect(r.body.status.error).toContain('ERR_TEMPLATE');
    expect(r.error).toBeInstanceOf(TemplateError);
  });

  it('an aws-auth that is not a ConfigMap: 403 before STS is called', async () => {
    const { result, seen } = stubbed(ROLE_IDENTITY, { ...base, awsAuth: '- just a list' });
    const r = await result;
    expect(r.status).toBe(403);
    expect(r.error).toBeInstanceOf(AwsAuthError);
    expect(seen).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['not JSON', '{"apiVersion": ', V1],
    ['JSON but a list', '[]', V1],
    ['null', null, V1],
    ['a number', 42, V1],
    ['unknown apiVersion', review('authentication.k8s.io/v2'), V1],
    ['no apiVersion', { kind: 'TokenReview', spec: { token: TOKEN } }, V1],
    ['wrong kind', { ...review(V1BETA1), kind: 'SubjectAccessReview' }, V1BETA1],
    ['no spec', { apiVersion: V1, kind: 'TokenReview' }, V1],
    ['spec not an object', { apiVersion: V1, kind: 'TokenReview', spec: 'x' }, V1],
    ['no token', { apiVersion: V1BETA1, kind: 'TokenReview', spec: {} }, V1BETA1],
    ['token not a string', review(V1, 42), V1],
    ['text over 1 MiB', JSON.stringify(review(V1, 'x'.repeat(1024 * 1024))), V1],
  ])('malformed review (%s): 400, verifier never called', async (_name, request, apiVersion) => {
    const { result, seen } = stubbed(ROLE_IDENTITY, base, request);
    const r = await result;
    expect(r.status).toBe(400);
    expect(r.body.apiVersion).toBe(apiVersion);
    expect(r.body.kind).toBe('TokenReview');
    expect(r.body.status.authenticated).toBe(false);
    expect(r.body.status.error).toMatch(/^malformed TokenReview: /);
    expect(seen).toEqual([]);
  });

  // Issue: the refused caller's ARN was lost, so a webhook could not log who
  // was refused (the Go server logs "arn" with "access denied",
  // pkg/server/server.go:410-417). The body stays as before: the API server
  // learns no more than from the Go authenticator.
  it.each<[string, VerifiedIdentity | Error, number]>([
    [
      'not mapped',
      { ...ROLE_IDENTITY, canonicalArn: 'arn:aws:iam::123456789012:role/unknown' },
      403,
    ],
    [
      'mapped, but the username cannot be rendered (ERR_TEMPLATE)',
      { ...ROLE_IDENTITY, canonicalArn: 'arn:aws:iam::123456789012:role/broken' },
      403,
    ],
  ])(
    'refused after STS vouched (%s): the verified identity stays with the caller, not in the body',
    async (_name, identity, status) => {
      const r = await stubbed(identity).result;
      expect(r.status).toBe(status);
      expect(r.identity).toEqual(identity);
      expect(JSON.stringify(r.body)).not.toContain('assumed-role');
      expect(JSON.stringify(r.body)).not.toContain('123456789012');
    },
  );

  it('no verified identity when STS did not vouch, or the review was malformed', async () => {
    expect(
      (await stubbed(new StsRejectedError(403, 'InvalidClientTokenId', 'no')).result).identity,
    ).toBeUndefined();
    expect((await stubbed(ROLE_IDENTITY, base, review(V1, 42)).result).identity).toBeUndefined();
  });

  it('an empty token is a review to answer: the verifier decides (403)', async () => {
    const { result, seen } = stubbed(
      new TokenFormatError('prefix', 'bad prefix'),
      base,
      review(V1, ''),
    );
    expect((await result).status).toBe(403);
    expect(seen).toEqual(['']);
  });

  it.each([
    ['options missing', undefined],
    ['awsAuth missing', { clusterId: 'demo' }],
  ])('never throws: %s → 500', async (_name, options) => {
    const r = await reviewTokenWith(
      async () => ROLE_IDENTITY,
      review(),
      options as unknown as ReviewTokenOptions,
    );
    expect(r.status).toBe(500);
    expect(r.error).toBeInstanceOf(TypeError);
  });

  it('a verifier that throws synchronously is still an answer', async () => {
    const r = await reviewTokenWith(
      (() => {
        throw new StsThrottledError(429, undefined, 'x');
      }) as never,
      review(),
      base,
    );
    expect(r.status).toBe(429);
  });

  it('verify options reach the verifier; aws-auth options stay with the mapper', async () => {
    let received: unknown;
    const r = await reviewTokenWith(
      async (_token, options) => {
        received = options;
        return {
          ...ROLE_IDENTITY,
          canonicalArn: 'arn:aws:iam::123456789012:role/AWSReservedSSO_AdministratorAccess_abc',
        };
      },
      review(),
      { ...base, region: 'us-west-2', ssoRoleMatch: true, stripRolePaths: false },
    );
    expect(received).toEqual({ clusterId: 'demo', region: 'us-west-2' });
    expect(r.body.status.user?.username).toBe('sso-admin:jane-example.com');
  });
});

describe('end to end: generateToken → reviewToken → STS emulator', () => {
  let emulator: StsEmulator;
  beforeAll(async () => {
    emulator = await startStsEmulator({ now: () => DATE });
  });
  afterAll(async () => {
    await emulator.close();
  });

  async function tokenFor(caseId: string, clusterId = 'demo', signingDate = DATE): Promise<string> {
    const generated = await generateToken({
      clusterId,
      credentials: emulator.credentialsFor(caseId),
      region: 'us-west-2',
      signingDate,
    });
    return generated.token;
  }

  function options(extra: Partial<ReviewTokenOptions> = {}): ReviewTokenOptions {
    return {
      clusterId: 'demo',
      region: 'us-west-2',
      currentDate: DATE,
      fetch: emulator.fetch,
      retries: 0,
      awsAuth: AWS_AUTH,
      ...extra,
    };
  }

  it.each([
    ['v1', V1],
    ['v1beta1', V1BETA1],
  ])('assumed role, %s: 200', async (_name, apiVersion) => {
    const token = await tokenFor('assumed-role');
    const r = await reviewToken(review(apiVersion, token), options());
    expect(r.status).toBe(200);
    expect(r.body.apiVersion).toBe(apiVersion);
    expect(r.body.status.user).toEqual({
      username: 'dev:my-role-session-name',
      uid: 'aws-iam-authenticator:123456789012:AROA3XFRBF535PLBIFPI4',
      groups: ['developers'],
      extra: {
        arn: ['arn:aws:sts::123456789012:assumed-role/my-role-name/my-role-session-name'],
        canonicalArn: ['arn:aws:iam::123456789012:role/my-role-name'],
        sessionName: ['my-role-session-name'],
        accessKeyId: [emulator.credentialsFor('assumed-role').accessKeyId],
        principalId: ['AROA3XFRBF535PLBIFPI4'],
      },
    });
    expect(JSON.stringify(r.body)).not.toContain(token);
  });

  it('IAM user, JSON text review: 200 with sessionName [""]', async () => {
    const r = await reviewToken(JSON.stringify(review(V1, await tokenFor('iam-user'))), options());
    expect(r.status).toBe(200);
    expect(r.body.status.user).toMatchObject({ username: 'alice', extra: { sessionName: [''] } });
  });

  it('SSO role with ssoRoleMatch: 200', async () => {
    const r = await reviewToken(
      review(V1, await tokenFor('assumed-role-sso')),
      options({ ssoRoleMatch: true }),
    );
    expect(r.status).toBe(200);
    expect(r.body.status.user).toMatchObject({
      username: 'sso-admin:jane.doe-example.com',
      groups: ['system:masters'],
    });
  });

  it('EC2 node role with a resolver: 200 as system:node:<dns>', async () => {
    const r = await reviewToken(
      review(V1BETA1, await tokenFor('ec2-instance-role')),
      options({ resolveEC2PrivateDNSName: (id) => `ip-10-0-0-7.${id}.compute.internal` }),
    );
    expect(r.status).toBe(200);
    expect(r.body.status.user?.username).toBe(
      'system:node:ip-10-0-0-7.i-0123456789abcdef0.compute.internal',
    );
  });

  it('EC2 node role without a resolver: 403 ERR_TEMPLATE', async () => {
    const r = await reviewToken(review(V1, await tokenFor('ec2-instance-role')), options());
    expect(r.status).toBe(403);
    expect(r.body.status.error).toContain('ERR_TEMPLATE');
  });

  it('verified but not mapped (federated user): 403', async () => {
    const r = await reviewToken(review(V1, await tokenFor('federated-user')), options());
    expect(r.status).toBe(403);
    expect(r.error).toBeUndefined();
  });

  const VERSIONS = [V1, V1BETA1] as const;
  const invalid: [string, () => Promise<string>, Partial<ReviewTokenOptions>, string][] = [
    [
      'token for another cluster',
      () => tokenFor('assumed-role', 'other-cluster'),
      {},
      'ERR_STS_REJECTED',
    ],
    [
      'expired token',
      () => tokenFor('assumed-role', 'demo', new Date(DATE.getTime() - 16 * 60_000)),
      {},
      'ERR_TOKEN_EXPIRED',
    ],
    ['not a token', async () => 'Bearer nonsense', {}, 'ERR_TOKEN_MALFORMED'],
    [
      'verifier in another partition',
      () => tokenFor('assumed-role'),
      { partition: 'aws-cn', region: 'cn-north-1' },
      'ERR_TOKEN_HOST_NOT_ALLOWED',
    ],
  ];
  it.each(VERSIONS.flatMap((v) => invalid.map((row) => [...row, v] as const)))(
    'invalid token (%s): 403 (%s, %o, %s)',
    async (_name, token, extra, code, apiVersion) => {
      const r = await reviewToken(review(apiVersion, await token()), options(extra));
      expect(r.status).toBe(403);
      expect(r.body.apiVersion).toBe(apiVersion);
      expect(r.body.status).toEqual({
        authenticated: false,
        error: expect.stringContaining(code) as string,
      });
    },
  );

  const faults: [FaultKind, number, string][] = [
    ['throttle', 429, 'ERR_STS_THROTTLED'],
    ['throttle-429', 429, 'ERR_STS_THROTTLED'],
    ['request-limit-exceeded', 429, 'ERR_STS_THROTTLED'],
    ['status-503', 503, 'ERR_STS_UNAVAILABLE'],
    ['status-500', 503, 'ERR_STS_UNAVAILABLE'],
    ['reset', 503, 'ERR_STS_UNAVAILABLE'],
    ['redirect', 503, 'ERR_STS_UNAVAILABLE'],
    ['malformed-json', 503, 'ERR_STS_RESPONSE_INVALID'],
  ];
  it.each(VERSIONS.flatMap((v) => faults.map((row) => [...row, v] as const)))(
    'STS fault %s: %i (%s, %s)',
    async (fault, status, code, apiVersion) => {
      const token = await tokenFor('assumed-role');
      const r = await reviewToken(
        review(apiVersion, token),
        options({ fetch: emulator.fetchWith({ fault }) }),
      );
      expect(r.status).toBe(status);
      expect(r.body.apiVersion).toBe(apiVersion);
      expect(r.body.status.authenticated).toBe(false);
      expect(r.body.status.error).toContain(code);
      expect(JSON.stringify(r.body)).not.toContain(token);
    },
  );

  it('malformed review: 400 without calling STS', async () => {
    const before = emulator.requests.length;
    const r = await reviewToken('{"kind":"TokenReview"', options());
    expect(r.status).toBe(400);
    expect(emulator.requests.length).toBe(before);
  });
});
