/**
 * Acceptance: SPEC 4.1–4.8 (aws-auth, mapping, templates, TokenReview,
 * access entries, resolution, migration, the Go authenticator's other
 * sources) on the built package, one case per promise. EKS's behaviour is
 * decided from the Go authenticator's code and the EKS user guide; the
 * cases that restate it in depth live beside the code's own tests
 * (test/aws-auth/eks-fidelity.test.ts, go-oracle.test.ts, …).
 */
import { describe, expect, it } from 'vitest';
import * as pkg from 'eks-iam-auth';
import type { AwsAuthDiagnostic } from 'eks-iam-auth';

const A = '111122223333';
const ROLE = (name: string): string => `arn:aws:iam::${A}:role/${name}`;
const SESSION = (role: string, session: string): string =>
  `arn:aws:sts::${A}:assumed-role/${role}/${session}`;

/** What verifyToken returns for a session `s` of role `role` whose principal id is `userId`. */
function verifiedSession(role: string, userId: string): pkg.VerifiedIdentity {
  return {
    arn: SESSION(role, 's'),
    canonicalArn: ROLE(role),
    principalType: 'assumed-role',
    accountId: A,
    userId,
    sessionName: 's',
    accessKeyId: 'ASIA',
    partition: 'aws',
    stsHost: 'sts.us-west-2.amazonaws.com',
    signedAt: new Date(),
    expiresAt: new Date(),
  };
}

const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: ${ROLE('admin')}
      username: admin:{{SessionName}}
      groups:
        - system:masters
    - RoLeArN: ${ROLE('dev')}
      username: dev
      groups:
        - a
         - b
  mapUsers: |
    - userarn: arn:aws:iam::${A}:user/bob
      username: bob
  mapAccounts: |
    - "012345678901"
`;

const codes = (diagnostics: readonly { code?: string }[]): (string | undefined)[] =>
  diagnostics.map((d) => d.code);

describe('SPEC 4.1 parseAwsAuth', () => {
  it('a whole manifest (YAML) → { mapRoles, mapUsers, mapAccounts, diagnostics }', () => {
    const awsAuth = pkg.parseAwsAuth(MANIFEST);
    expect(Object.keys(awsAuth).sort()).toEqual([
      'diagnostics',
      'mapAccounts',
      'mapRoles',
      'mapUsers',
    ]);
    expect(awsAuth.mapRoles.map((r) => 'roleArn' in r && r.roleArn)).toEqual([
      ROLE('admin'),
      ROLE('dev'),
    ]);
    expect(awsAuth.mapUsers).toHaveLength(1);
    expect(awsAuth.mapAccounts).toEqual(['012345678901']);
  });

  it.each([
    [
      'the data map as YAML',
      `mapUsers: |\n  - userarn: arn:aws:iam::${A}:user/bob\n    username: bob\n`,
    ],
    [
      'the manifest as JSON',
      JSON.stringify({
        kind: 'ConfigMap',
        data: { mapUsers: `- userarn: arn:aws:iam::${A}:user/bob\n  username: bob\n` },
      }),
    ],
    [
      'the data map as an object',
      { mapUsers: `- userarn: arn:aws:iam::${A}:user/bob\n  username: bob\n` },
    ],
    [
      'the manifest as an object',
      {
        kind: 'ConfigMap',
        data: { mapUsers: `- userarn: arn:aws:iam::${A}:user/bob\n  username: bob\n` },
      },
    ],
  ])('input: %s', async (_name, input) => {
    const mapping = await pkg.mapIdentity(
      pkg.parseAwsAuth(input as string),
      `arn:aws:iam::${A}:user/bob`,
    );
    expect(mapping?.username).toBe('bob');
  });

  it('keys are case-sensitive: a near miss is ignored with a warning', () => {
    const awsAuth = pkg.parseAwsAuth({ maproles: `- rolearn: ${ROLE('x')}\n  username: x\n` });
    expect(awsAuth.mapRoles).toEqual([]);
    expect(awsAuth.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', key: 'maproles' }),
    ]);
  });

  it('a value that is a list (the "|" is missing) is fatal: nothing is mapped', async () => {
    const awsAuth = pkg.parseAwsAuth({
      data: {
        mapRoles: [{ rolearn: ROLE('x'), username: 'x' }],
        mapUsers: `- userarn: arn:aws:iam::${A}:user/bob\n  username: bob\n`,
      },
    });
    expect(awsAuth.diagnostics.some((d) => d.severity === 'error' && d.fatal === true)).toBe(true);
    expect(await pkg.mapIdentity(awsAuth, `arn:aws:iam::${A}:user/bob`)).toBeNull();
  });

  it.each([[''], ['  '], ['``'], ['""'], ["''"]])('value %j is empty, no diagnostic', (value) => {
    expect(pkg.parseAwsAuth({ mapRoles: value }).diagnostics).toEqual([]);
  });

  it('field names are case-insensitive; YAML quirks are the YAML\'s ("a - b" is one group)', () => {
    const dev = pkg.parseAwsAuth(MANIFEST).mapRoles[1];
    expect(dev).toMatchObject({ roleArn: ROLE('dev'), username: 'dev', groups: ['a - b'] });
  });

  it('bad entries are dropped and reported with their location; good ones are kept', () => {
    const awsAuth = pkg.parseAwsAuth({
      mapUsers: `- username: nobody\n- userarn: arn:aws:iam::${A}:user/bob\n  username: bob\n`,
    });
    expect(awsAuth.mapUsers).toHaveLength(1);
    expect(awsAuth.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', key: 'mapUsers', index: 0, line: 1 }),
    ]);
  });

  it('the result is deeply frozen', () => {
    const awsAuth = pkg.parseAwsAuth(MANIFEST);
    expect(Object.isFrozen(awsAuth)).toBe(true);
    expect(Object.isFrozen(awsAuth.mapRoles)).toBe(true);
    expect(Object.isFrozen(awsAuth.mapRoles[0])).toBe(true);
    expect(Object.isFrozen(awsAuth.mapRoles[0]?.groups)).toBe(true);
    expect(Object.isFrozen(awsAuth.diagnostics)).toBe(true);
  });

  it('a value diagnostic carries line (of the "- "), fieldLine and column (1-based) of the value', () => {
    const awsAuth = pkg.parseAwsAuth(
      'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/a\n      username: a\n      groups: ["system:master"]\n',
    );
    expect(awsAuth.diagnostics).toEqual([
      expect.objectContaining({
        code: 'group-near-miss',
        key: 'mapRoles',
        index: 0,
        field: 'groups',
        line: 3,
        fieldLine: 5,
        column: 16,
      }),
    ]);
  });

  it('a mapAccounts item is a value: its diagnostic has fieldLine and column too', () => {
    const awsAuth = pkg.parseAwsAuth('data:\n  mapAccounts: |\n    - "12345"\n    -   [a]\n');
    const located = awsAuth.diagnostics.map((d: AwsAuthDiagnostic) => [
      d.code,
      d.line,
      d.fieldLine,
      d.column,
    ]);
    expect(located).toEqual([
      ['account-invalid', 3, 3, 7],
      ['account-not-a-string', 4, 4, 9],
    ]);
  });

  it('input over 1 MiB is refused before parsing (ERR_AWS_AUTH_INVALID); maxInputLength moves the bound', () => {
    expect(pkg.MAX_AWS_AUTH_INPUT_LENGTH).toBe(1024 * 1024);
    const big = 'mapRoles: |\n  # ' + 'x'.repeat(1024 * 1024) + '\n';
    expect(() => pkg.parseAwsAuth(big)).toThrow(
      expect.objectContaining({ code: 'ERR_AWS_AUTH_INVALID' }),
    );
    expect(pkg.parseAwsAuth(big, { maxInputLength: 2 * 1024 * 1024 }).diagnostics).toEqual([]);
  });

  it('hostile YAML fails only with ERR_* errors (alias chains included)', () => {
    const chain = ['a0: &a0 [x]'];
    for (let i = 1; i < 400; i++) chain.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`);
    for (const input of [chain.join('\n'), 'a: &a [*a]', '{'.repeat(100_000), 'kind: Secret\n']) {
      try {
        pkg.parseAwsAuth(input);
      } catch (error) {
        expect(pkg.isEksAuthError(error)).toBe(true);
      }
    }
  });

  it.each([
    [
      'a rolearn with a path',
      `- rolearn: ${ROLE('team/a')}\n  username: a\n`,
      'mapRoles',
      'arn-path',
    ],
    [
      'an unknown placeholder',
      `- rolearn: ${ROLE('a')}\n  username: "{{Foo}}"\n`,
      'mapRoles',
      'placeholder-unknown',
    ],
    [
      'a <<Placeholder>> spelling',
      `- rolearn: ${ROLE('a')}\n  username: "<<SessionName>>"\n`,
      'mapRoles',
      'placeholder-angles',
    ],
    [
      'a duplicate',
      `- rolearn: ${ROLE('a')}\n  username: a\n- rolearn: ${ROLE('a')}\n  username: b\n`,
      'mapRoles',
      'duplicate-conflicting',
    ],
    [
      'no username (the empty user)',
      `- rolearn: ${ROLE('a')}\n  groups: [g]\n`,
      'mapRoles',
      'missing-username',
    ],
  ])('warns on %s', (_name, text, key, code) => {
    expect(codes(pkg.parseAwsAuth({ [key]: text }).diagnostics)).toContain(code);
  });
});

describe('SPEC 4.2 mapIdentity', () => {
  const awsAuth = pkg.parseAwsAuth({
    mapRoles: [
      `- rolearn: ${ROLE('admin')}`,
      '  username: first',
      `- rolearn: ${ROLE('Admin')}`,
      '  username: later',
      `- rolearn: ${ROLE('team/pathy')}`,
      '  username: pathy',
      `- rolearn: ${ROLE('nouser')}`,
      '  groups: [viewers]',
      `- sso: {permissionSetName: Ops, accountID: "${A}"}`,
      '  username: sso',
      `- sso: {permissionSetName: Pinned, accountID: "${A}", partition: aws}`,
      '  username: pinned',
    ].join('\n'),
    mapUsers: `- userarn: arn:aws:iam::${A}:user/bob\n  username: bob\n`,
    mapAccounts: '- "444455556666"\n',
  });

  it.each([
    [
      'rolearn, case-insensitive; a later duplicate overrides',
      SESSION('ADMIN', 's'),
      {},
      { username: 'later', matchedBy: 'mapRoles', entryIndex: 1 },
    ],
    [
      'sso only with ssoRoleMatch (off by default)',
      SESSION('AWSReservedSSO_Ops_0123abcd', 's'),
      {},
      null,
    ],
    [
      'sso with ssoRoleMatch',
      SESSION('AWSReservedSSO_Ops_0123abcd', 's'),
      { ssoRoleMatch: true },
      { username: 'sso', matchedBy: 'sso', entryIndex: 4 },
    ],
    [
      'an sso entry naming partition never matches (as in Go)',
      SESSION('AWSReservedSSO_Pinned_0123abcd', 's'),
      { ssoRoleMatch: true },
      null,
    ],
    [
      'mapUsers',
      `arn:aws:iam::${A}:user/BOB`,
      {},
      { username: 'bob', matchedBy: 'mapUsers', entryIndex: 0 },
    ],
    [
      'mapAccounts: username = the canonical ARN, no groups',
      'arn:aws:sts::444455556666:assumed-role/any/s',
      {},
      { username: 'arn:aws:iam::444455556666:role/any', groups: [], matchedBy: 'mapAccounts' },
    ],
    [
      'a rolearn with a path never matches (stripRolePaths off by default)',
      SESSION('pathy', 's'),
      {},
      null,
    ],
    [
      'stripRolePaths matches it',
      SESSION('pathy', 's'),
      { stripRolePaths: true },
      { username: 'pathy' },
    ],
    [
      "no username: the empty user with the entry's groups",
      SESSION('nouser', 's'),
      {},
      { username: '', groups: ['viewers'] },
    ],
    ['no match: exactly null', `arn:aws:iam::999988887777:user/x`, {}, null],
  ] as const)('%s', async (_name, arn, options, expected) => {
    const mapping = await pkg.mapIdentity(awsAuth, arn, options);
    if (expected === null) expect(mapping).toBeNull();
    else expect(mapping).toMatchObject(expected);
  });

  it('result: { username, groups, matchedBy, entryIndex?, canonicalArn }', async () => {
    expect(await pkg.mapIdentity(awsAuth, `arn:aws:iam::${A}:user/bob`)).toEqual({
      username: 'bob',
      groups: [],
      matchedBy: 'mapUsers',
      entryIndex: 0,
      canonicalArn: `arn:aws:iam::${A}:user/bob`,
    });
  });

  it('takes the input parseAwsAuth takes, not only its result', async () => {
    expect(await pkg.mapIdentity(MANIFEST, SESSION('admin', 'alice'))).toMatchObject({
      username: 'admin:alice',
    });
  });
});

describe('SPEC 4.3 templates', () => {
  const templated = (username: string, groups: string[] = []): pkg.AwsAuth =>
    pkg.parseAwsAuth({
      mapRoles: `- rolearn: ${ROLE('r')}\n  username: ${JSON.stringify(username)}\n  groups: ${JSON.stringify(groups)}\n`,
    });

  it('one pass: {{AccountID}}, {{SessionName}} (@ → -), {{SessionNameRaw}}, {{AccessKeyID}}; unknown stay literal', async () => {
    const mapping = await pkg.mapIdentity(
      templated('{{AccountID}}|{{SessionName}}|{{SessionNameRaw}}|{{AccessKeyID}}|{{Nope}}', [
        'g-{{AccountID}}',
      ]),
      SESSION('r', 'a@b.c'),
      { accessKeyId: 'ASIAKEY' },
    );
    expect(mapping).toMatchObject({
      username: `${A}|a-b.c|a@b.c|ASIAKEY|{{Nope}}`,
      groups: [`g-${A}`],
    });
  });

  it('a session name holding a placeholder is not expanded again', async () => {
    const mapping = await pkg.mapIdentity(
      templated('{{SessionName}}'),
      SESSION('r', '{{AccountID}}'),
    );
    expect(mapping?.username).toBe('{{AccountID}}');
  });

  it('{{AccessKeyID}} of an ARN string without options.accessKeyId is ERR_TEMPLATE', async () => {
    await expect(
      pkg.mapIdentity(templated('{{AccessKeyID}}'), SESSION('r', 's')),
    ).rejects.toMatchObject({ code: 'ERR_TEMPLATE' });
  });

  it.each([
    ['no resolver', SESSION('r', 'i-0123456789abcdef0'), {}],
    [
      'not an instance id',
      SESSION('r', 'alice'),
      { resolveEC2PrivateDNSName: () => Promise.resolve('x') },
    ],
  ])('{{EC2PrivateDNSName}} with %s is ERR_TEMPLATE', async (_name, arn, options) => {
    await expect(
      pkg.mapIdentity(templated('system:node:{{EC2PrivateDNSName}}'), arn, options),
    ).rejects.toMatchObject({
      code: 'ERR_TEMPLATE',
    });
  });

  it.each([['i-01234567'], ['i-0123456789abcdef0']])(
    '{{EC2PrivateDNSName}} of instance %s asks the resolver',
    async (id) => {
      const mapping = await pkg.mapIdentity(
        templated('system:node:{{EC2PrivateDNSName}}'),
        SESSION('r', id),
        {
          resolveEC2PrivateDNSName: (instance) => Promise.resolve(`ip-of-${instance}`),
        },
      );
      expect(mapping?.username).toBe(`system:node:ip-of-${id}`);
    },
  );

  const angles = templated('u-<<SessionName>>', ['g-<<AccountID>>']);
  const substituted = { username: 'u-alice', groups: [`g-${A}`] };
  const literal = { username: 'u-<<SessionName>>', groups: ['g-<<AccountID>>'] };

  it('<<Name>>: mapIdentity substitutes by default, not with angleBracketTemplates: false', async () => {
    expect(await pkg.mapIdentity(angles, SESSION('r', 'alice'))).toMatchObject(substituted);
    expect(
      await pkg.mapIdentity(angles, SESSION('r', 'alice'), { angleBracketTemplates: false }),
    ).toMatchObject(literal);
  });

  it.each([
    [
      'resolveIdentity',
      (o: object) => pkg.resolveIdentity(SESSION('r', 'alice'), { awsAuth: angles, ...o }),
    ],
    [
      'explainIdentity',
      async (o: object) =>
        (await pkg.explainIdentity(SESSION('r', 'alice'), { awsAuth: angles, ...o })).resolved,
    ],
    [
      'authorize',
      async (o: object) =>
        (await pkg.authorize(SESSION('r', 'alice'), 'get pods', { awsAuth: angles, ...o }))
          .identity,
    ],
  ] as const)(
    '<<Name>>: %s keeps it literal as EKS does, unless angleBracketTemplates: true',
    async (_name, ask) => {
      expect(await ask({})).toMatchObject(literal);
      expect(await ask({ angleBracketTemplates: true })).toMatchObject(substituted);
    },
  );
});

describe('SPEC 4.4 reviewToken', () => {
  const SIGNED_AT = new Date('2024-01-15T12:34:56Z');
  const NOW = new Date(SIGNED_AT.getTime() + 60_000);
  const answer = (status: number, body: unknown): typeof fetch => {
    const answered: typeof globalThis.fetch = () =>
      Promise.resolve(
        new Response(JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json' },
        }),
      );
    return answered;
  };
  const ALICE = answer(200, {
    GetCallerIdentityResponse: {
      GetCallerIdentityResult: {
        Arn: SESSION('dev', 'alice'),
        Account: A,
        UserId: 'AROADEV:alice',
      },
    },
  });
  const awsAuth = {
    mapRoles: `- rolearn: ${ROLE('dev')}\n  username: dev:{{SessionName}}\n  groups: [devs]\n`,
  };
  const review = async (apiVersion: string, token?: string): Promise<unknown> => ({
    apiVersion: `authentication.k8s.io/${apiVersion}`,
    kind: 'TokenReview',
    spec: {
      token:
        token ??
        (
          await pkg.generateToken({
            clusterId: 'demo',
            region: 'us-west-2',
            credentials: { accessKeyId: 'ASIADEV', secretAccessKey: 's', sessionToken: 't' },
            signingDate: SIGNED_AT,
          })
        ).token,
    },
  });
  const options = { clusterId: 'demo', currentDate: NOW, retries: 0, awsAuth };

  it.each([['v1'], ['v1beta1']])(
    'authenticated (%s): 200, the same apiVersion, the user with uid and string-array extras',
    async (version) => {
      const result = await pkg.reviewToken(await review(version), { ...options, fetch: ALICE });
      expect(result.status).toBe(200);
      expect(result.body).toEqual({
        apiVersion: `authentication.k8s.io/${version}`,
        kind: 'TokenReview',
        status: {
          authenticated: true,
          user: {
            username: 'dev:alice',
            uid: `aws-iam-authenticator:${A}:AROADEV`,
            groups: ['devs'],
            extra: {
              arn: [SESSION('dev', 'alice')],
              canonicalArn: [ROLE('dev')],
              sessionName: ['alice'],
              accessKeyId: ['ASIADEV'],
              principalId: ['AROADEV'],
            },
          },
        },
      });
    },
  );

  it('JSON text is accepted as the review', async () => {
    const result = await pkg.reviewToken(JSON.stringify(await review('v1')), {
      ...options,
      fetch: ALICE,
    });
    expect(result.status).toBe(200);
  });

  it.each([
    [
      'unmapped → 403',
      async () => pkg.reviewToken(await review('v1'), { ...options, awsAuth: {}, fetch: ALICE }),
      403,
    ],
    [
      'invalid token → 403',
      async () => pkg.reviewToken(await review('v1', 'k8s-aws-v1.!'), { ...options, fetch: ALICE }),
      403,
    ],
    [
      'throttled → 429',
      async () =>
        pkg.reviewToken(await review('v1'), {
          ...options,
          fetch: answer(400, { Error: { Code: 'Throttling' } }),
        }),
      429,
    ],
    [
      'malformed review → 400',
      () => pkg.reviewToken('{not json', { ...options, fetch: ALICE }),
      400,
    ],
    [
      'a review of another kind → 400',
      () => pkg.reviewToken({ kind: 'Pod' }, { ...options, fetch: ALICE }),
      400,
    ],
  ] as const)('%s, authenticated: false, never a throw', async (_name, run, status) => {
    const result = await run();
    expect(result.status).toBe(status);
    expect(result.body).toMatchObject({ kind: 'TokenReview', status: { authenticated: false } });
  });

  it('accepts accessEntries and authenticationMode (SPEC 4.6)', async () => {
    const result = await pkg.reviewToken(await review('v1'), {
      ...options,
      fetch: ALICE,
      authenticationMode: 'API',
      accessEntries: {
        accessEntries: [{ principalArn: ROLE('dev'), kubernetesGroups: ['entry'] }],
      },
    });
    expect(result.body).toMatchObject({
      status: { user: { username: SESSION('dev', 'alice'), groups: ['entry'] } },
    });
  });
});

describe('SPEC 4.5 parseAccessEntries', () => {
  const P = 'arn:aws:eks::aws:cluster-access-policy/';
  const describeAnswer = {
    accessEntry: {
      clusterName: 'prod',
      principalArn: ROLE('team/dev'),
      kubernetesGroups: ['devs'],
      accessEntryArn: `arn:aws:eks:us-west-2:${A}:access-entry/prod/role/${A}/dev/x`,
      createdAt: '2024-01-01T00:00:00Z',
      modifiedAt: '2024-01-01T00:00:00Z',
      tags: {},
      username: `arn:aws:sts::${A}:assumed-role/dev/{{SessionName}}`,
      type: 'STANDARD',
    },
  };

  it.each([
    ['one describe-access-entry answer', describeAnswer],
    ['a list of them', [describeAnswer]],
    [
      'a bundle',
      {
        clusterName: 'prod',
        authenticationMode: 'API',
        accessEntries: [describeAnswer.accessEntry],
      },
    ],
    ['JSON text', JSON.stringify(describeAnswer)],
  ])('reads %s', (_name, input) => {
    const parsed = pkg.parseAccessEntries(input);
    expect(parsed.entries).toEqual([
      expect.objectContaining({
        principalArn: ROLE('team/dev'),
        type: 'STANDARD',
        username: `arn:aws:sts::${A}:assumed-role/dev/{{SessionName}}`,
        kubernetesGroups: ['devs'],
        accessPolicies: [],
      }),
    ]);
    expect(parsed.diagnostics).toEqual([]);
    expect(Object.isFrozen(parsed.entries[0])).toBe(true);
  });

  it.each([
    [
      'a user: the user ARN',
      { principalArn: `arn:aws:iam::${A}:user/bob` },
      `arn:aws:iam::${A}:user/bob`,
    ],
    [
      'a STANDARD role: its assumed-role ARN, no path',
      { principalArn: ROLE('team/dev') },
      `arn:aws:sts::${A}:assumed-role/dev/{{SessionName}}`,
    ],
    [
      'EC2_LINUX',
      { principalArn: ROLE('n'), type: 'EC2_LINUX' },
      'system:node:{{EC2PrivateDNSName}}',
    ],
    [
      'EC2_WINDOWS',
      { principalArn: ROLE('n'), type: 'EC2_WINDOWS' },
      'system:node:{{EC2PrivateDNSName}}',
    ],
    [
      'FARGATE_LINUX',
      { principalArn: ROLE('n'), type: 'FARGATE_LINUX' },
      'system:node:{{SessionName}}',
    ],
    [
      'HYBRID_LINUX',
      { principalArn: ROLE('n'), type: 'HYBRID_LINUX' },
      'system:node:{{SessionName}}',
    ],
  ])('default username of %s', (_name, entry, username) => {
    expect(pkg.parseAccessEntries({ accessEntries: [entry] }).entries[0]?.username).toBe(username);
  });

  it.each([
    [
      'a reserved username prefix',
      { principalArn: ROLE('a'), username: 'eks:admin' },
      'username-reserved',
    ],
    [
      '{{SessionName}} without a ":" before it',
      { principalArn: ROLE('a'), username: 'x{{SessionName}}' },
      'username-session-colon',
    ],
    [
      'groups on a node type',
      { principalArn: ROLE('a'), type: 'EC2_LINUX', kubernetesGroups: ['x'] },
      'groups-on-node-type',
    ],
  ])(
    'an entry EKS refuses (%s) is dropped with its diagnostic, never repaired',
    async (_name, entry, code) => {
      const parsed = pkg.parseAccessEntries({
        accessEntries: [entry, { principalArn: ROLE('ok') }],
      });
      expect(parsed.entries.map((e) => e.principalArn)).toEqual([ROLE('ok')]);
      expect(parsed.diagnostics).toEqual([
        expect.objectContaining({ severity: 'error', index: 0, code }),
      ]);
      expect(
        await pkg.resolveIdentity(SESSION('a', 's'), {
          accessEntries: parsed,
          authenticationMode: 'API',
        }),
      ).toBeNull();
    },
  );

  it.each([
    ['an STS session ARN', SESSION('a', 'b')],
    [
      'a service-linked role',
      ROLE('aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS'),
    ],
  ])('principalArn that is %s is invalid: dropped', (_name, principalArn) => {
    const parsed = pkg.parseAccessEntries({ accessEntries: [{ principalArn }] });
    expect(parsed.entries).toEqual([]);
    expect(parsed.diagnostics[0]).toMatchObject({
      severity: 'error',
      index: 0,
      field: 'principalArn',
    });
  });

  it('accessPolicies and associatedAccessPolicies, scopes with dev-* namespaces', () => {
    const parsed = pkg.parseAccessEntries({
      accessEntries: [
        {
          principalArn: ROLE('a'),
          accessPolicies: [
            {
              policyArn: `${P}AmazonEKSViewPolicy`,
              accessScope: { type: 'namespace', namespaces: ['dev-*'] },
            },
          ],
        },
        {
          principalArn: ROLE('b'),
          associatedAccessPolicies: [
            { policyArn: `${P}AmazonEKSAdminPolicy`, accessScope: { type: 'cluster' } },
          ],
        },
      ],
    });
    expect(
      parsed.entries.map((e) =>
        e.accessPolicies.map((p) => [p.policyArn.split('/')[1], p.accessScope.type]),
      ),
    ).toEqual([[['AmazonEKSViewPolicy', 'namespace']], [['AmazonEKSAdminPolicy', 'cluster']]]);
  });

  it('a describe-access-entry answer merged with its list-associated-access-policies answer (jq -s add) keeps the policies', () => {
    const policies = [
      {
        policyArn: `${P}AmazonEKSViewPolicy`,
        accessScope: { type: 'cluster', namespaces: [] },
        associatedAt: '2024-01-01T00:00:00Z',
        modifiedAt: '2024-01-01T00:00:00Z',
      },
    ];
    const merged = {
      ...describeAnswer,
      clusterName: 'prod',
      principalArn: ROLE('team/dev'),
      associatedAccessPolicies: policies,
    };
    const parsed = pkg.parseAccessEntries(merged);
    expect(parsed.entries[0]?.accessPolicies.map((p) => p.policyArn)).toEqual([
      `${P}AmazonEKSViewPolicy`,
    ]);
    expect(parsed.diagnostics).toEqual([]);
    const another = pkg.parseAccessEntries({ ...merged, principalArn: ROLE('other') });
    expect(another.entries[0]?.accessPolicies).toEqual([]);
    expect(another.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', field: 'associatedAccessPolicies' }),
    ]);
    expect(pkg.parseAccessEntries({ ...describeAnswer, junk: 1 }).diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', field: 'junk' }),
    ]);
  });

  it('input that is not access entries at all is ERR_ACCESS_ENTRIES_INVALID', () => {
    for (const input of ['not json', '{"x":1}', '42']) {
      expect(() => pkg.parseAccessEntries(input)).toThrow(
        expect.objectContaining({ code: 'ERR_ACCESS_ENTRIES_INVALID' }),
      );
    }
  });
});

describe('SPEC 4.6 resolveIdentity', () => {
  const accessEntries = {
    accessEntries: [{ principalArn: ROLE('team/dev'), kubernetesGroups: ['from-entry'] }],
  };
  const awsAuth = {
    mapRoles: `- rolearn: ${ROLE('dev')}\n  username: from-aws-auth\n- rolearn: ${ROLE('ops')}\n  username: ops\n`,
  };

  it.each([
    [
      'CONFIG_MAP: aws-auth only',
      'CONFIG_MAP',
      'dev',
      { username: 'from-aws-auth', source: 'aws-auth' },
    ],
    [
      'API: access entries only (path stripped to match)',
      'API',
      'dev',
      { groups: ['from-entry'], source: 'accessEntry', type: 'STANDARD' },
    ],
    [
      'API_AND_CONFIG_MAP: an access entry wins',
      'API_AND_CONFIG_MAP',
      'dev',
      { source: 'accessEntry' },
    ],
    [
      'API_AND_CONFIG_MAP: otherwise aws-auth',
      'API_AND_CONFIG_MAP',
      'ops',
      { username: 'ops', source: 'aws-auth' },
    ],
    ['API: aws-auth is not read', 'API', 'ops', null],
  ] as const)('%s', async (_name, authenticationMode, role, expected) => {
    const resolved = await pkg.resolveIdentity(SESSION(role, 's'), {
      accessEntries,
      awsAuth,
      authenticationMode,
    });
    if (expected === null) expect(resolved).toBeNull();
    else
      expect(resolved).toMatchObject({ ...expected, canonicalArn: ROLE(role), accessPolicies: [] });
  });

  it("a bundle's authenticationMode is the default mode", async () => {
    const resolved = await pkg.resolveIdentity(SESSION('ops', 's'), {
      accessEntries: { ...accessEntries, authenticationMode: 'API' },
      awsAuth,
    });
    expect(resolved).toBeNull();
  });

  it("principal-id binding: an entry whose principalId is not the caller's userId does not match", async () => {
    const bound = {
      accessEntries: [{ principalArn: ROLE('dev'), principalId: 'AROAOLDROLE123456789' }],
    };
    const identity = verifiedSession('dev', 'AROANEWROLE123456789');
    expect(
      await pkg.resolveIdentity(identity, { accessEntries: bound, authenticationMode: 'API' }),
    ).toBeNull();
    const explained = await pkg.explainIdentity(identity, {
      accessEntries: bound,
      authenticationMode: 'API',
    });
    expect(explained.resolved).toBeNull();
    expect(explained.nearMisses.map((m) => m.kind)).toContain('principal-id');
    expect(
      await pkg.resolveIdentity(
        { ...identity, userId: 'AROAOLDROLE123456789' },
        { accessEntries: bound, authenticationMode: 'API' },
      ),
    ).not.toBeNull();
  });

  it.each([
    ["the caller's ARN with a role path", ROLE('team/ops'), 'path', ROLE('ops')],
    ['an aws-auth entry written with a path', SESSION('pathy', 's'), 'path', ROLE('team/pathy')],
    [
      "the caller's name in another account",
      'arn:aws:sts::999988887777:assumed-role/ops/s',
      'account',
      ROLE('ops'),
    ],
  ])('explainIdentity names aws-auth near misses: %s', async (_name, arn, kind, value) => {
    const withPath = {
      mapRoles: `${awsAuth.mapRoles}- rolearn: ${ROLE('team/pathy')}\n  username: pathy\n`,
    };
    for (const authenticationMode of ['CONFIG_MAP', 'API_AND_CONFIG_MAP'] as const) {
      const explained = await pkg.explainIdentity(arn, {
        awsAuth: withPath,
        accessEntries,
        authenticationMode,
      });
      expect(explained.resolved).toBeNull();
      expect(explained.nearMisses).toContainEqual(
        expect.objectContaining({ source: 'aws-auth', kind, value }),
      );
    }
  });
});

describe('SPEC 4.7 planAccessEntryMigration', () => {
  const awsAuth = pkg.parseAwsAuth({
    mapRoles: [
      `- rolearn: ${ROLE('admin')}`,
      '  username: admin',
      '  groups: [system:masters, ops]',
      `- rolearn: ${ROLE('node')}`,
      '  username: system:node:{{EC2PrivateDNSName}}',
      '  groups: [system:bootstrappers, system:nodes]',
      `- rolearn: ${ROLE('fargate')}`,
      '  username: system:node:{{SessionName}}',
      '  groups: [system:bootstrappers, system:nodes, system:node-proxier]',
    ].join('\n'),
    mapAccounts: `- "${A}"\n`,
  });
  const principalArns = { [ROLE('admin')]: ROLE('admin') };

  it('result shape; system:masters → AmazonEKSClusterAdminPolicy at cluster scope, other groups kept', () => {
    const plan = pkg.planAccessEntryMigration(awsAuth, { clusterName: 'prod', principalArns });
    expect(plan).toMatchObject({
      entries: expect.any(Array),
      losses: expect.any(Array),
      warnings: expect.any(Array),
    });
    expect(typeof plan.canSwitchToApi).toBe('boolean');
    expect(typeof plan.check).toBe('function');
    expect(plan.entries[0]).toMatchObject({
      principalArn: ROLE('admin'),
      type: 'STANDARD',
      username: 'admin',
      kubernetesGroups: ['ops'],
      accessPolicies: [
        expect.objectContaining({
          policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          accessScope: expect.objectContaining({ type: 'cluster' }),
        }),
      ],
    });
  });

  it('losses are { key, index, line?, code, message }; mapAccounts is one; canSwitchToApi only without losses', () => {
    const plan = pkg.planAccessEntryMigration(awsAuth, { clusterName: 'prod', principalArns });
    expect(plan.losses).toEqual([
      expect.objectContaining({
        key: 'mapAccounts',
        index: 0,
        code: 'map-accounts',
        message: expect.any(String),
      }),
    ]);
    const lossy = pkg.planAccessEntryMigration(
      { mapRoles: `- rolearn: ${ROLE('a')}\n  username: a\n  groups: [system:nodes]\n` },
      { clusterName: 'prod', principalArns },
    );
    expect(lossy.losses).toEqual([
      expect.objectContaining({ key: 'mapRoles', index: 0, line: 1, code: 'system-group' }),
    ]);
    expect(plan.canSwitchToApi).toBe(false);
  });

  it('node and Fargate roles: a warning that says why, unless includeNodeRoles', () => {
    const plan = pkg.planAccessEntryMigration(awsAuth, { clusterName: 'prod', principalArns });
    expect(plan.entries.map((e) => e.type)).toEqual(['STANDARD']);
    expect(
      plan.warnings.filter((w) => w.code === 'node-role-not-planned').map((w) => w.index),
    ).toEqual([1, 2]);
    const withNodes = pkg.planAccessEntryMigration(awsAuth, {
      clusterName: 'prod',
      principalArns,
      includeNodeRoles: true,
    });
    expect(withNodes.entries.map((e) => e.type)).toEqual([
      'STANDARD',
      'EC2_LINUX',
      'FARGATE_LINUX',
    ]);
  });

  it('check(): the same username and groups both ways, or the difference', async () => {
    const plan = pkg.planAccessEntryMigration(
      { mapRoles: `- rolearn: ${ROLE('admin')}\n  username: admin\n  groups: [system:masters]\n` },
      { clusterName: 'prod', principalArns },
    );
    expect(await plan.check()).toMatchObject({ equivalent: true, differences: [] });
    expect(plan.canSwitchToApi).toBe(true);
  });

  it.each([
    ['{{resolve:', '{{resolve:ssm:/secret}}', 'dynamic-reference'],
    ['a control character', 'a\u0007b', 'control-character'],
    ['a bidi override', 'a\u202eb', 'control-character'],
  ])('a value with %s is a loss', (_name, username, code) => {
    const plan = pkg.planAccessEntryMigration(
      { mapRoles: `- rolearn: ${ROLE('a')}\n  username: ${JSON.stringify(username)}\n` },
      { clusterName: 'prod', principalArns },
    );
    expect(plan.losses.map((l) => l.code)).toContain(code);
  });

  it('renderers: json, aws-cli (--cli-input-json, set -euo pipefail), cloudformation, terraform', () => {
    const plan = pkg.planAccessEntryMigration(
      {
        mapRoles: `- rolearn: ${ROLE('admin')}\n  username: admin\n  groups: [system:masters, system:masters]\n`,
      },
      { clusterName: 'prod', principalArns },
    );
    const json = JSON.parse(pkg.renderMigration(plan, { format: 'json' })) as {
      associateAccessPolicy: unknown[];
    };
    expect(json.associateAccessPolicy).toHaveLength(1);
    const script = pkg.renderMigration(plan, { format: 'aws-cli' });
    expect(script).toMatch(/^#!.*\n(#.*\n)*set -euo pipefail\n/);
    expect(script).toMatch(/^aws eks create-access-entry --cli-input-json '/m);
    expect(script).toMatch(/^aws eks associate-access-policy --cli-input-json '/m);
    expect(pkg.renderMigration(plan, { format: 'cloudformation' })).toContain(
      'AWS::EKS::AccessEntry',
    );
    const hcl = pkg.renderMigration(plan, { format: 'terraform' });
    expect(hcl).toContain('resource "aws_eks_access_entry"');
    expect(hcl).toContain('resource "aws_eks_access_policy_association"');
  });

  it('an empty plan renders no CloudFormation template (ERR_MIGRATION_RENDER)', () => {
    const plan = pkg.planAccessEntryMigration({}, { clusterName: 'prod' });
    expect(() => pkg.renderMigration(plan, { format: 'cloudformation' })).toThrow(
      expect.objectContaining({ code: 'ERR_MIGRATION_RENDER' }),
    );
  });

  it('Terraform escapes ${ and %{ so that they stay literal', () => {
    const plan = pkg.planAccessEntryMigration(
      { mapRoles: `- rolearn: ${ROLE('a')}\n  username: "x-\${var.db}-%{if 1}"\n` },
      { clusterName: 'prod', principalArns: { [ROLE('a')]: ROLE('a') } },
    );
    expect(pkg.renderMigration(plan, { format: 'terraform' })).toContain('"x-$${var.db}-%%{if 1}"');
  });
});

describe("SPEC 4.8 the Go authenticator's other sources", () => {
  const config = pkg.parseAuthenticatorConfig(
    `server:\n  mapRoles:\n  - roleARN: ${ROLE('a')}\n    username: from-config\n  mapAccounts: ["444455556666"]\n`,
  );
  const crd = pkg.parseIdentityMappings(
    [
      'apiVersion: iamauthenticator.k8s.aws/v1alpha1',
      'kind: IAMIdentityMapping',
      'metadata: {name: a}',
      `spec: {arn: "${ROLE('a')}", username: from-crd, groups: [g]}`,
      '---',
      'apiVersion: iamauthenticator.k8s.aws/v1alpha1',
      'kind: IAMIdentityMapping',
      'metadata: {name: b}',
      `spec: {arn: "arn:aws:iam::${A}:user/b", username: b}`,
    ].join('\n'),
  );
  const dynamic = pkg.parseDynamicFile(
    JSON.stringify({
      LastUpdatedDateTime: '2024-01-01',
      Version: '1',
      mapRoles: [{ rolearn: ROLE('strict'), username: 'strict', userid: 'AROASTRICT1234567890' }],
      mapUsers: [],
      mapAccounts: [],
    }),
    { userIdStrict: true },
  );

  it('each parser returns the AwsAuth shape with diagnostics', () => {
    for (const source of [config, crd, dynamic]) {
      expect(source).toMatchObject({
        mapRoles: expect.any(Array),
        mapUsers: expect.any(Array),
        mapAccounts: expect.any(Array),
        diagnostics: [],
      });
      expect(Object.isFrozen(source)).toBe(true);
    }
    expect(crd.mapUsers).toHaveLength(1);
  });

  it('an ordered array of sources: the first source that matches wins (mapIdentity and resolveIdentity)', async () => {
    expect(await pkg.mapIdentity([crd, config], SESSION('a', 's'))).toMatchObject({
      username: 'from-crd',
    });
    expect(await pkg.mapIdentity([config, crd], SESSION('a', 's'))).toMatchObject({
      username: 'from-config',
    });
    expect(
      await pkg.resolveIdentity(SESSION('a', 's'), {
        awsAuth: [config, crd],
        authenticationMode: 'CONFIG_MAP',
      }),
    ).toMatchObject({
      username: 'from-config',
    });
  });

  it('mapAccounts counts per source', async () => {
    expect(await pkg.mapIdentity([crd, config], 'arn:aws:iam::444455556666:user/x')).toMatchObject({
      matchedBy: 'mapAccounts',
    });
  });

  it('user-id-strict DynamicFile: an entry with userid matches only that principal id', async () => {
    const identity = (userId: string): pkg.VerifiedIdentity => verifiedSession('strict', userId);
    expect(await pkg.mapIdentity([dynamic], identity('AROASTRICT1234567890'))).toMatchObject({
      username: 'strict',
    });
    expect(await pkg.mapIdentity([dynamic], identity('AROAOTHER12345678901'))).toBeNull();
  });

  it.each([
    ['a group one letter off a well-known one', 'groups: [system:master]'],
    ['a role ARN with a path', '', 'team/'],
    ['a group with a space around it', 'groups: [" ops"]'],
    ['a literal "*" group', 'groups: ["*"]'],
  ])(
    "the config file: %s is the linter's error, not the Go server's: it starts and maps every entry",
    async (_name, extra, path = '') => {
      const config = pkg.parseAuthenticatorConfig(
        `server:\n  mapRoles:\n  - roleARN: ${ROLE(`${path}flagged`)}\n    username: flagged\n${extra === '' ? '' : `    ${extra}\n`}  - roleARN: ${ROLE('fine')}\n    username: fine\n`,
      );
      expect(config.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      expect(config.refusedBecause).toBeUndefined();
      expect(await pkg.mapIdentity([config], SESSION('fine', 's'))).toMatchObject({
        username: 'fine',
      });
    },
  );

  it('the config file: an entry the Go server cannot start with (an ARN Canonicalize refuses) maps nothing', async () => {
    const config = pkg.parseAuthenticatorConfig(
      `server:\n  mapRoles:\n  - roleARN: arn:aws:s3:::bucket\n    username: x\n  - roleARN: ${ROLE('fine')}\n    username: fine\n`,
    );
    expect(config.refusedBecause).toBeDefined();
    expect(await pkg.mapIdentity([config], SESSION('fine', 's'))).toBeNull();
  });

  it("IAMIdentityMapping diagnostics about a value carry its fieldLine and column, as aws-auth's do", () => {
    const mappings = pkg.parseIdentityMappings(
      [
        'apiVersion: iamauthenticator.k8s.aws/v1alpha1',
        'kind: IAMIdentityMapping',
        'metadata: {name: a}',
        'spec:',
        `  arn: ${ROLE('team/a')}`,
        '  username: a',
        '  groups: ["system:master"]',
        '  Groups: [x]',
      ].join('\n'),
    );
    expect(mappings.diagnostics.map((d) => [d.code, d.line, d.fieldLine, d.column])).toEqual([
      ['unknown-field', 1, 8, 3],
      ['arn-path', 1, 5, 8],
      ['group-near-miss', 1, 7, 12],
    ]);
  });

  it('DynamicFile JSON errors never quote the input', () => {
    try {
      pkg.parseDynamicFile('{"mapRoles": [secret-value');
      expect.unreachable();
    } catch (error) {
      expect(pkg.isEksAuthError(error)).toBe(true);
      expect((error as Error).message).not.toContain('secret-value');
    }
  });
});
