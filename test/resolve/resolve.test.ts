/**
 * resolveIdentity / explainIdentity (SPEC 4.6) and reviewToken with access
 * entries. EKS runs the Go authenticator with access entries as a
 * DynamicFile mapper (user-id strict) before the aws-auth ConfigMap mapper:
 * - the first mapper that maps answers, a template error is the answer too:
 *   pkg/server/server.go:477-505;
 * - the caller's canonical ARN is lower-cased and, in user-id-strict mode,
 *   looked up by principal id, then compared with the entry ARN stripped of
 *   its path: pkg/mapper/dynamicfile/mapper.go:47-52 and :80-87;
 * - StripPath keeps the first and last segment (`role/x/y/name` → `role/name`):
 *   pkg/arn/arn.go:101-105.
 * AWS EKS user guide: "Migrating existing aws-auth ConfigMap entries to access
 * entries" (access entries take precedence over ConfigMap entries for the same
 * principal), https://docs.aws.amazon.com/eks/latest/userguide/migrating-access-entries.html,
 * and "Create access entries" (a recreated principal has a new id and its old
 * entry no longer works), https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html.
 */
import { describe, expect, it } from 'vitest';
import { parseAccessEntries } from '../../src/access-entries/parse.js';
import { mapIdentity } from '../../src/resolve/map-identity.js';
import { parseAwsAuth } from '../../src/aws-auth/parse.js';
import { TemplateError } from '../../src/errors.js';
import { explainIdentity } from '../../src/resolve/explain.js';
import { resolveIdentity } from '../../src/resolve/resolve.js';
import type { ResolveIdentityOptions } from '../../src/resolve/types.js';
import { reviewTokenWith } from '../../src/review.js';
import { parseDynamicFile } from '../../src/sources/dynamic-file.js';
import type { MappingSourceList } from '../../src/sources/types.js';
import type { VerifiedIdentity } from '../../src/token/verify.js';

const ACCOUNT = '111122223333';
const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
const ADMIN = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy';

const ENTRIES = parseAccessEntries({
  accessEntries: [
    {
      principalArn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef`,
      accessPolicies: [{ policyArn: ADMIN, accessScope: { type: 'cluster' } }],
    },
    {
      principalArn: `arn:aws:iam::${ACCOUNT}:role/ci`,
      username: 'ci:{{SessionName}}',
      kubernetesGroups: ['deployers'],
      principalId: 'AROAAAAAAAAAAAAAAAAAA',
      accessPolicies: [
        { policyArn: VIEW, accessScope: { type: 'namespace', namespaces: ['dev-*'] } },
      ],
    },
    { principalArn: `arn:aws:iam::${ACCOUNT}:role/nodes`, type: 'EC2_LINUX' },
    { principalArn: `arn:aws:iam::${ACCOUNT}:role/Fargate-Pods`, type: 'FARGATE_LINUX' },
    { principalArn: `arn:aws:iam::${ACCOUNT}:user/alice`, username: 'alice' },
    { principalArn: `arn:aws:iam::${ACCOUNT}:role/raw`, username: 'raw:{{SessionNameRaw}}' },
  ],
});

const AWS_AUTH = parseAwsAuth({
  mapRoles: [
    `- rolearn: arn:aws:iam::${ACCOUNT}:role/ci`,
    '  username: old-ci',
    '  groups: [legacy]',
    `- rolearn: arn:aws:iam::${ACCOUNT}:role/legacy`,
    '  username: legacy:{{SessionName}}',
    '  groups: [legacy]',
    `- rolearn: arn:aws:iam::${ACCOUNT}:role/raw`,
    '  username: raw:{{SessionNameRaw}}',
  ].join('\n'),
  mapAccounts: '- "444455556666"\n',
});

const DNS = { resolveEC2PrivateDNSName: (id: string) => `ip-10-0-0-1.${id}.internal` };
const both: ResolveIdentityOptions = { accessEntries: ENTRIES, awsAuth: AWS_AUTH, ...DNS };
const session = (role: string, name: string, account = ACCOUNT): string =>
  `arn:aws:sts::${account}:assumed-role/${role}/${name}`;

function verified(arn: string, userId: string): VerifiedIdentity {
  const at = new Date('2024-01-15T12:00:00Z');
  const role = arn.split('/')[1] as string;
  return {
    arn,
    canonicalArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
    principalType: 'assumed-role',
    accountId: ACCOUNT,
    userId,
    sessionName: arn.split('/')[2] as string,
    accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
    partition: 'aws',
    stsHost: 'sts.eu-west-1.amazonaws.com',
    signedAt: at,
    expiresAt: new Date(at.getTime() + 900_000),
  };
}

describe('CONFIG_MAP is exactly mapIdentity', () => {
  it.each([
    session('ci', 'build-1'),
    session('legacy', 'bob@example.com'),
    session('nodes', 'i-0123456789abcdef0'),
    session('anyone', 'x', '444455556666'),
    `arn:aws:iam::${ACCOUNT}:user/alice`,
  ])('%s', async (arn) => {
    const resolved = await resolveIdentity(arn, { ...both, authenticationMode: 'CONFIG_MAP' });
    const mapped = await mapIdentity(AWS_AUTH, arn, DNS);
    if (mapped === null) expect(resolved).toBeNull();
    else {
      expect(resolved).toEqual({
        username: mapped.username,
        groups: mapped.groups,
        source: 'aws-auth',
        matchedBy: mapped.matchedBy,
        ...(mapped.entryIndex === undefined ? {} : { entryIndex: mapped.entryIndex }),
        canonicalArn: mapped.canonicalArn,
        accessPolicies: [],
      });
    }
  });
});

describe('modes and precedence (server.go:477-505)', () => {
  it.each<
    [string, string, ResolveIdentityOptions['authenticationMode'], string | null, string[], string]
  >([
    [
      'API: the access entry',
      session('ci', 'build-1'),
      'API',
      'ci:build-1',
      ['deployers'],
      'accessEntry',
    ],
    [
      'API_AND_CONFIG_MAP: the access entry wins over aws-auth',
      session('ci', 'build-1'),
      'API_AND_CONFIG_MAP',
      'ci:build-1',
      ['deployers'],
      'accessEntry',
    ],
    [
      'API_AND_CONFIG_MAP: aws-auth when no entry',
      session('legacy', 'bob'),
      'API_AND_CONFIG_MAP',
      'legacy:bob',
      ['legacy'],
      'aws-auth',
    ],
    ['API: aws-auth is not read', session('legacy', 'bob'), 'API', null, [], ''],
    [
      'API_AND_CONFIG_MAP: mapAccounts still counts',
      session('anyone', 'x', '444455556666'),
      'API_AND_CONFIG_MAP',
      'arn:aws:iam::444455556666:role/anyone',
      [],
      'aws-auth',
    ],
    ['API: mapAccounts does not', session('anyone', 'x', '444455556666'), 'API', null, [], ''],
    [
      'CONFIG_MAP: access entries are not read',
      session('nodes', 'i-0123456789abcdef0'),
      'CONFIG_MAP',
      null,
      [],
      '',
    ],
  ])('%s', async (_name, arn, authenticationMode, username, groups, source) => {
    const resolved = await resolveIdentity(arn, {
      ...both,
      ...(authenticationMode === undefined ? {} : { authenticationMode }),
    });
    if (username === null) expect(resolved).toBeNull();
    else expect(resolved).toMatchObject({ username, groups, source });
  });

  it.each<[string, ResolveIdentityOptions, string]>([
    ['both sources: API_AND_CONFIG_MAP', both, 'ci:build-1'],
    ['access entries only: API', { accessEntries: ENTRIES }, 'ci:build-1'],
    ['aws-auth only: CONFIG_MAP', { awsAuth: AWS_AUTH }, 'old-ci'],
    [
      "a bundle's authenticationMode is the default",
      {
        awsAuth: AWS_AUTH,
        accessEntries: {
          authenticationMode: 'CONFIG_MAP',
          accessEntries: [{ principalArn: `arn:aws:iam::${ACCOUNT}:role/ci` }],
        },
      },
      'old-ci',
    ],
  ])('default mode, %s', async (_name, options, username) => {
    expect((await resolveIdentity(session('ci', 'build-1'), options))?.username).toBe(username);
  });

  it.each<[string, ResolveIdentityOptions]>([
    ['API without access entries', { awsAuth: AWS_AUTH, authenticationMode: 'API' }],
    ['CONFIG_MAP without aws-auth', { accessEntries: ENTRIES, authenticationMode: 'CONFIG_MAP' }],
    [
      'API_AND_CONFIG_MAP without aws-auth',
      { accessEntries: ENTRIES, authenticationMode: 'API_AND_CONFIG_MAP' },
    ],
    ['an unknown mode', { ...both, authenticationMode: 'CONFIGMAP' as never }],
    ['no sources', {}],
  ])('rejects with TypeError: %s', async (_name, options) => {
    await expect(resolveIdentity(session('ci', 'x'), options)).rejects.toThrow(TypeError);
  });
});

describe('access-entry matching', () => {
  it.each<[string, string, string, string[]]>([
    [
      'an entry with a path matches the path-less STS caller (mapper.go:80-87, arn.go:101-105)',
      session('AWSReservedSSO_Admin_0123456789abcdef', 'alice@example.com'),
      `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/{{SessionName}}`.replace(
        '{{SessionName}}',
        'alice-example.com',
      ),
      [],
    ],
    [
      'case-insensitive, as EKS lower-cases both ARNs (mapper.go:47, :87)',
      session('fargate-pods', 'fargate-ip-10-0-0-1'),
      'system:node:fargate-ip-10-0-0-1',
      ['system:bootstrappers', 'system:nodes', 'system:node-proxier'],
    ],
    [
      'EC2_LINUX renders {{EC2PrivateDNSName}} with the resolver',
      session('nodes', 'i-0123456789abcdef0'),
      'system:node:ip-10-0-0-1.i-0123456789abcdef0.internal',
      ['system:bootstrappers', 'system:nodes'],
    ],
    [
      '{{SessionNameRaw}} keeps the @',
      session('raw', 'bob@example.com'),
      'raw:bob@example.com',
      [],
    ],
    ['a user', `arn:aws:iam::${ACCOUNT}:user/alice`, 'alice', []],
  ])('%s', async (_name, arn, username, groups) => {
    expect(await resolveIdentity(arn, { accessEntries: ENTRIES, ...DNS })).toMatchObject({
      username,
      groups,
      source: 'accessEntry',
    });
  });

  it('returns the access policies, type and entry index', async () => {
    expect(await resolveIdentity(session('ci', 'build-1'), { accessEntries: ENTRIES })).toEqual({
      username: 'ci:build-1',
      groups: ['deployers'],
      source: 'accessEntry',
      matchedBy: 'accessEntry',
      entryIndex: 1,
      canonicalArn: `arn:aws:iam::${ACCOUNT}:role/ci`,
      type: 'STANDARD',
      accessPolicies: [
        { policyArn: VIEW, accessScope: { type: 'namespace', namespaces: ['dev-*'] } },
      ],
    });
  });

  it('a template error of the matching entry is the answer, not a fall-through (server.go:483-486)', async () => {
    await expect(
      resolveIdentity(session('nodes', 'not-an-instance'), {
        ...both,
        authenticationMode: 'API_AND_CONFIG_MAP',
      }),
    ).rejects.toBeInstanceOf(TemplateError);
  });

  it.each<[string, string, ResolveIdentityOptions['authenticationMode'], string | null]>([
    ['same principal id: matches', 'AROAAAAAAAAAAAAAAAAAA', 'API', 'ci:build-1'],
    [
      'another principal id (recreated role): no match under API',
      'AROABBBBBBBBBBBBBBBBB',
      'API',
      null,
    ],
    [
      'another principal id: aws-auth answers under API_AND_CONFIG_MAP',
      'AROABBBBBBBBBBBBBBBBB',
      'API_AND_CONFIG_MAP',
      'old-ci',
    ],
  ])(
    'principal-id binding (mapper.go:50-52): %s',
    async (_name, userId, authenticationMode, username) => {
      const resolved = await resolveIdentity(verified(session('ci', 'build-1'), userId), {
        ...both,
        ...(authenticationMode === undefined ? {} : { authenticationMode }),
      });
      expect(resolved?.username ?? null).toBe(username);
    },
  );

  it('an ARN string carries no principal id: the entry matches by ARN', async () => {
    expect((await resolveIdentity(session('ci', 'b'), { accessEntries: ENTRIES }))?.username).toBe(
      'ci:b',
    );
  });

  it('parses raw access-entry input and aws-auth text', async () => {
    const resolved = await resolveIdentity(session('ci', 'b'), {
      accessEntries: JSON.stringify([{ principalArn: `arn:aws:iam::${ACCOUNT}:role/ci` }]),
      awsAuth: `mapRoles: |\n  - rolearn: arn:aws:iam::${ACCOUNT}:role/ci\n    username: old\n`,
    });
    expect(resolved?.username).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/ci/b`);
  });
});

describe('explainIdentity near misses', () => {
  const entries = parseAccessEntries([
    { principalArn: `arn:aws:iam::${ACCOUNT}:role/team/deploy` },
    { principalArn: 'arn:aws:iam::999988887777:role/audit' },
    { principalArn: 'arn:aws-us-gov:iam::111122223333:role/gov' },
    { principalArn: `arn:aws:iam::${ACCOUNT}:role/ci`, principalId: 'AROAAAAAAAAAAAAAAAAAA' },
    { principalArn: `arn:aws:iam::${ACCOUNT}:role/admin` },
  ]);
  it.each<[string, string | VerifiedIdentity, ResolveIdentityOptions, string, number | undefined]>([
    [
      'path: a caller ARN with a role path',
      `arn:aws:iam::${ACCOUNT}:role/team/deploy`,
      { accessEntries: entries },
      'path',
      0,
    ],
    [
      'account: same name in another account',
      session('audit', 'x'),
      { accessEntries: entries },
      'account',
      1,
    ],
    [
      'partition: same name in another partition',
      session('gov', 'x'),
      { accessEntries: entries },
      'partition',
      2,
    ],
    [
      'principal id: the role was recreated',
      verified(session('ci', 'x'), 'AROABBBBBBBBBBBBBBBBB'),
      { accessEntries: entries },
      'principal-id',
      3,
    ],
    [
      'case: matched although written in another case',
      session('ADMIN', 'x'),
      { accessEntries: entries },
      'case',
      4,
    ],
    ['shadowed: aws-auth also maps the caller', session('ci', 'x'), both, 'shadowed', 0],
    [
      'ignored: aws-auth would map, API reads only access entries',
      session('legacy', 'x'),
      { ...both, authenticationMode: 'API' },
      'ignored',
      1,
    ],
    [
      'ignored: an access entry matches, CONFIG_MAP reads only aws-auth',
      session('nodes', 'i-0123456789abcdef0'),
      { ...both, authenticationMode: 'CONFIG_MAP' },
      'ignored',
      2,
    ],
  ])('%s', async (_name, identity, options, kind, index) => {
    const explanation = await explainIdentity(identity, { ...DNS, ...options });
    expect(explanation.nearMisses).toContainEqual(
      expect.objectContaining({ kind, ...(index === undefined ? {} : { index }) }),
    );
  });

  it('says when the shadowed aws-auth entry gives the same answer', async () => {
    const explanation = await explainIdentity(session('raw', 'x'), both);
    expect(explanation.resolved?.source).toBe('accessEntry');
    expect(explanation.nearMisses).toEqual([
      expect.objectContaining({
        kind: 'shadowed',
        reason: expect.stringContaining('same username'),
      }),
    ]);
  });

  it('has no near misses for a plain match', async () => {
    const explanation = await explainIdentity(session('nodes', 'i-0123456789abcdef0'), {
      accessEntries: ENTRIES,
      ...DNS,
    });
    expect(explanation).toMatchObject({ authenticationMode: 'API', nearMisses: [] });
  });
});

describe('reviewToken with access entries', () => {
  const token = 'k8s-aws-v1.c2VjcmV0LXRva2VuLWJvZHk';
  const request = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } };
  const verify = (identity: VerifiedIdentity) => async () => identity;

  it.each<
    [
      string,
      Partial<Parameters<typeof reviewTokenWith>[2]>,
      VerifiedIdentity,
      number,
      string | undefined,
    ]
  >([
    [
      'API_AND_CONFIG_MAP: the access entry',
      { accessEntries: ENTRIES, awsAuth: AWS_AUTH },
      verified(session('ci', 'b'), 'AROAAAAAAAAAAAAAAAAAA'),
      200,
      'ci:b',
    ],
    [
      'API without aws-auth',
      { accessEntries: ENTRIES, authenticationMode: 'API' },
      verified(session('ci', 'b'), 'AROAAAAAAAAAAAAAAAAAA'),
      200,
      'ci:b',
    ],
    [
      'a recreated principal: 403',
      { accessEntries: ENTRIES, authenticationMode: 'API' },
      verified(session('ci', 'b'), 'AROABBBBBBBBBBBBBBBBB'),
      403,
      undefined,
    ],
    [
      'CONFIG_MAP: aws-auth',
      { accessEntries: ENTRIES, awsAuth: AWS_AUTH, authenticationMode: 'CONFIG_MAP' },
      verified(session('ci', 'b'), 'AROAAAAAAAAAAAAAAAAAA'),
      200,
      'old-ci',
    ],
    [
      'a missing source is a server misconfiguration: 500',
      { authenticationMode: 'API' },
      verified(session('ci', 'b'), 'AROAAAAAAAAAAAAAAAAAA'),
      500,
      undefined,
    ],
  ])('%s', async (_name, options, identity, status, username) => {
    const result = await reviewTokenWith(verify(identity), request, {
      clusterId: 'prod',
      ...options,
    });
    expect(result.status).toBe(status);
    expect(result.body.status.user?.username).toBe(username);
  });

  it('names the sources when not mapped', async () => {
    const result = await reviewTokenWith(
      verify(verified(session('nobody', 'b'), 'AROACCCCCCCCCCCCCCCCC')),
      request,
      {
        clusterId: 'prod',
        accessEntries: ENTRIES,
        authenticationMode: 'API',
      },
    );
    expect(result.body.status.error).toBe('the identity is not mapped in the access entries (API)');
  });
});

// SPEC 4.8: "mapIdentity and resolveIdentity also accept an ordered array of
// sources" (the Go server's --backend-mode order: pkg/server/server.go:477-505
// tries its mappers in order and the first that maps the caller answers).
describe('an ordered array of sources as awsAuth', () => {
  const DYNAMIC = parseDynamicFile({
    mapRoles: [{ rolearn: `arn:aws:iam::${ACCOUNT}:role/ci`, username: 'dyn-ci', groups: ['d'] }],
  });
  const SOURCES: MappingSourceList = [DYNAMIC, AWS_AUTH];

  it.each<[string, string, string | null, string | undefined, number | undefined]>([
    ['the first source that maps the caller wins', session('ci', 'b'), 'dyn-ci', 'DynamicFile', 0],
    [
      'a caller the first source does not map falls through to the next',
      session('legacy', 'bob'),
      'legacy:bob',
      'EKSConfigMap',
      1,
    ],
    [
      "a later source's account list still counts",
      session('anyone', 'x', '444455556666'),
      'arn:aws:iam::444455556666:role/anyone',
      'EKSConfigMap',
      1,
    ],
    ['no source maps the caller', session('nobody', 'x'), null, undefined, undefined],
  ])('resolveIdentity: %s', async (_name, arn, username, backend, sourceIndex) => {
    const resolved = await resolveIdentity(arn, { awsAuth: SOURCES });
    expect(resolved?.username ?? null).toBe(username);
    expect(resolved?.backend).toBe(backend);
    expect(resolved?.sourceIndex).toBe(sourceIndex);
    const mapped = await mapIdentity(SOURCES, arn);
    expect(mapped?.username ?? null).toBe(username);
    if (resolved !== null) expect(resolved.source).toBe('aws-auth');
  });

  it('resolveIdentity: an access entry still comes first in API_AND_CONFIG_MAP', async () => {
    const resolved = await resolveIdentity(verified(session('ci', 'b'), 'AROAAAAAAAAAAAAAAAAAA'), {
      accessEntries: ENTRIES,
      awsAuth: SOURCES,
    });
    expect(resolved).toMatchObject({ username: 'ci:b', source: 'accessEntry' });
  });

  it('resolveIdentity: a username with a reserved prefix of its source is refused', async () => {
    const reserved: MappingSourceList = [
      { mode: 'EKSConfigMap', mappings: AWS_AUTH, reservedUsernamePrefixes: ['legacy:'] },
    ];
    await expect(
      resolveIdentity(session('legacy', 'bob'), { awsAuth: reserved }),
    ).rejects.toMatchObject({ code: 'ERR_AWS_AUTH_INVALID' });
  });

  it('resolveIdentity: an item that is no source is a TypeError, before anything is mapped', async () => {
    await expect(
      resolveIdentity(session('ci', 'b'), {
        awsAuth: [AWS_AUTH, { mode: 'Nope', mappings: AWS_AUTH }] as unknown as MappingSourceList,
      }),
    ).rejects.toThrow(TypeError);
  });

  const token = 'k8s-aws-v1.c2VjcmV0LXRva2VuLWJvZHk';
  const request = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } };
  it.each<[string, string, MappingSourceList, number, string | undefined]>([
    ['the first source that maps the caller', 'ci', SOURCES, 200, 'dyn-ci'],
    ['the next source', 'legacy', SOURCES, 200, 'legacy:b'],
    ['no source maps the caller: 403', 'nobody', SOURCES, 403, undefined],
    [
      'a reserved username prefix: 403',
      'legacy',
      [{ mode: 'EKSConfigMap', mappings: AWS_AUTH, reservedUsernamePrefixes: ['legacy:'] }],
      403,
      undefined,
    ],
    [
      'an item that is no source is a server misconfiguration: 500',
      'ci',
      [{ mode: 'Nope', mappings: AWS_AUTH }] as unknown as MappingSourceList,
      500,
      undefined,
    ],
  ])('reviewToken: %s', async (_name, role, awsAuth, status, username) => {
    const identity = verified(session(role, 'b'), 'AROAAAAAAAAAAAAAAAAAA');
    const result = await reviewTokenWith(async () => identity, request, {
      clusterId: 'prod',
      awsAuth,
    });
    expect(result.status).toBe(status);
    expect(result.body.status.user?.username).toBe(username);
    // SPEC 4.4 lists the extra keys; ordered sources add none.
    if (status === 200) {
      expect(Object.keys(result.body.status.user?.extra ?? {})).toEqual([
        'arn',
        'canonicalArn',
        'sessionName',
        'accessKeyId',
        'principalId',
      ]);
    }
  });
});
