/**
 * `<<Name>>` spellings (SPEC 4.3). EKS substitutes only the `{{…}}`
 * placeholders: the Go authenticator's `renderTemplate`
 * (kubernetes-sigs/aws-iam-authenticator pkg/server/server.go:529-548 at
 * commit 81b1dab) replaces exactly `{{EC2PrivateDNSName}}`, `{{AccountID}}`,
 * `{{SessionName}}`, `{{SessionNameRaw}}` and `{{AccessKeyID}}`, and nothing
 * else. So everything that answers "what the cluster does" (resolveIdentity,
 * explainIdentity, reviewToken, the migration plan's check) keeps
 * `<<AccountID>>` and friends literal, while mapIdentity keeps substituting
 * them (the package's promise); `angleBracketTemplates` switches each.
 */
import { describe, expect, it, vi } from 'vitest';
import { parseAccessEntries } from '../../src/access-entries/parse.js';
import { parseAwsAuth } from '../../src/aws-auth/parse.js';
import { planAccessEntryMigration } from '../../src/migrate/plan.js';
import { explainIdentity } from '../../src/resolve/explain.js';
import { mapIdentity } from '../../src/resolve/map-identity.js';
import { resolveIdentity } from '../../src/resolve/resolve.js';
import type { MapIdentityOptions } from '../../src/resolve/types.js';
import { reviewTokenWith } from '../../src/review.js';
import { parseAuthenticatorConfig } from '../../src/sources/authenticator-config.js';
import type { VerifiedIdentity } from '../../src/token/verify.js';

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/dev`;
const CALLER = `arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice`;
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/nodes`;
const NODE = `arn:aws:sts::${ACCOUNT}:assumed-role/nodes/i-0123456789abcdef0`;

const USERNAME = 'dev:<<SessionName>>';
const GROUP = 'team-<<AccountID>>';
const LITERAL = { username: USERNAME, groups: [GROUP] };
const SUBSTITUTED = { username: 'dev:alice', groups: [`team-${ACCOUNT}`] };

const AWS_AUTH = parseAwsAuth({
  mapRoles: [
    `- rolearn: ${ROLE}`,
    `  username: "${USERNAME}"`,
    `  groups: ["${GROUP}"]`,
    `- rolearn: ${NODE_ROLE}`,
    '  username: "system:node:<<EC2PrivateDNSName>>"',
    '  groups: [system:nodes]',
  ].join('\n'),
});
const ACCESS_ENTRIES = parseAccessEntries({
  accessEntries: [{ principalArn: ROLE, username: USERNAME, kubernetesGroups: [GROUP] }],
});
const CONFIG_FILE = parseAuthenticatorConfig(
  [
    'server:',
    '  mapRoles:',
    `  - roleARN: ${ROLE}`,
    `    username: "${USERNAME}"`,
    `    groups: ["${GROUP}"]`,
  ].join('\n'),
);

type Who = { username: string; groups: string[] } | null;
const who = (r: Who): Who => (r === null ? null : { username: r.username, groups: r.groups });

describe('the sources hold the <<…>> spellings as written', () => {
  it('no source drops or rewrites them', () => {
    expect(AWS_AUTH.mapRoles[0]).toMatchObject(LITERAL);
    expect(ACCESS_ENTRIES.entries[0]).toMatchObject({
      username: USERNAME,
      kubernetesGroups: [GROUP],
    });
    expect(CONFIG_FILE.mapRoles[0]).toMatchObject(LITERAL);
  });
});

describe('defaults: mapIdentity substitutes, the cluster answers keep them literal', () => {
  it.each<[string, () => Promise<Who>, Who]>([
    ['mapIdentity (the package’s promise)', () => mapIdentity(AWS_AUTH, CALLER), SUBSTITUTED],
    ['mapIdentity over ordered sources', () => mapIdentity([CONFIG_FILE], CALLER), SUBSTITUTED],
    [
      'resolveIdentity, CONFIG_MAP',
      () => resolveIdentity(CALLER, { awsAuth: AWS_AUTH, authenticationMode: 'CONFIG_MAP' }),
      LITERAL,
    ],
    [
      'resolveIdentity, API (an access entry)',
      () => resolveIdentity(CALLER, { accessEntries: ACCESS_ENTRIES, authenticationMode: 'API' }),
      LITERAL,
    ],
    [
      'resolveIdentity, the authenticator’s config file as a source',
      () => resolveIdentity(CALLER, { awsAuth: [CONFIG_FILE] }),
      LITERAL,
    ],
    [
      'explainIdentity',
      async () => (await explainIdentity(CALLER, { awsAuth: AWS_AUTH })).resolved,
      LITERAL,
    ],
  ])('%s', async (_name, ask, expected) => {
    expect(who(await ask())).toEqual(expected);
  });

  it('reviewToken: the TokenReview user keeps them literal', async () => {
    const result = await review({ awsAuth: AWS_AUTH });
    expect(result.status).toBe(200);
    expect(result.body.status.user).toMatchObject(LITERAL);
  });

  it('plan.check compares as EKS does: <<SessionName>> in aws-auth is not {{SessionName}} in an access entry', async () => {
    // The principal already has an access entry written with {{…}}; the
    // aws-auth entry it replaces was never substituted by EKS.
    const existing = parseAccessEntries({
      accessEntries: [
        { principalArn: ROLE, username: 'dev:{{SessionName}}', kubernetesGroups: [GROUP] },
      ],
    });
    const plan = planAccessEntryMigration(
      parseAwsAuth({
        mapRoles: `- rolearn: ${ROLE}\n  username: "${USERNAME}"\n  groups: ["${GROUP}"]\n`,
      }),
      { clusterName: 'prod', existingAccessEntries: existing, target: 'API_AND_CONFIG_MAP' },
    );
    const check = await plan.check();
    expect(check.equivalent).toBe(false);
    expect(check.differences[0]?.before).toMatchObject({ username: USERNAME });
    expect(check.differences[0]?.after).toMatchObject({
      username: expect.stringMatching(/^dev:[^<]/),
    });
  });

  it('<<EC2PrivateDNSName>> stays literal without asking EC2 (EKS never does for it)', async () => {
    const resolveEC2PrivateDNSName = vi.fn((id: string) => `ip-10-0-0-1.${id}.internal`);
    const resolved = await resolveIdentity(NODE, { awsAuth: AWS_AUTH, resolveEC2PrivateDNSName });
    expect(resolved?.username).toBe('system:node:<<EC2PrivateDNSName>>');
    expect(resolveEC2PrivateDNSName).not.toHaveBeenCalled();
    // mapIdentity substitutes it, and so asks the resolver.
    const mapped = await mapIdentity(AWS_AUTH, NODE, { resolveEC2PrivateDNSName });
    expect(mapped?.username).toBe('system:node:ip-10-0-0-1.i-0123456789abcdef0.internal');
    expect(resolveEC2PrivateDNSName).toHaveBeenCalledTimes(1);
  });
});

describe('angleBracketTemplates switches each', () => {
  it.each<[string, (options: MapIdentityOptions) => Promise<Who>, Who, Who]>([
    ['mapIdentity', (o) => mapIdentity(AWS_AUTH, CALLER, o), LITERAL, SUBSTITUTED],
    [
      'mapIdentity over ordered sources',
      (o) => mapIdentity([CONFIG_FILE], CALLER, o),
      LITERAL,
      SUBSTITUTED,
    ],
    [
      'resolveIdentity, CONFIG_MAP',
      (o) => resolveIdentity(CALLER, { ...o, awsAuth: AWS_AUTH }),
      LITERAL,
      SUBSTITUTED,
    ],
    [
      'resolveIdentity, API',
      (o) => resolveIdentity(CALLER, { ...o, accessEntries: ACCESS_ENTRIES }),
      LITERAL,
      SUBSTITUTED,
    ],
    [
      'explainIdentity',
      async (o) => (await explainIdentity(CALLER, { ...o, awsAuth: AWS_AUTH })).resolved,
      LITERAL,
      SUBSTITUTED,
    ],
    [
      'reviewToken',
      async (o) => (await review({ ...o, awsAuth: AWS_AUTH })).body.status.user ?? null,
      LITERAL,
      SUBSTITUTED,
    ],
  ])('%s: false keeps them literal, true substitutes', async (_name, ask, off, on) => {
    expect(who(await ask({ angleBracketTemplates: false }))).toEqual(off);
    expect(who(await ask({ angleBracketTemplates: true }))).toEqual(on);
  });

  it('explainIdentity: the shadowed aws-auth answer is rendered the same way', async () => {
    const options = { awsAuth: AWS_AUTH, accessEntries: ACCESS_ENTRIES };
    const literal = await explainIdentity(CALLER, options);
    expect(literal.resolved).toMatchObject(LITERAL);
    expect(literal.nearMisses.map((m) => m.reason)).toEqual([
      'aws-auth also maps this identity, to the same username and groups; the access entry wins',
    ]);
    const substituted = await explainIdentity(CALLER, { ...options, angleBracketTemplates: true });
    expect(substituted.resolved).toMatchObject(SUBSTITUTED);
    expect(substituted.nearMisses).toHaveLength(1);
  });

  it.each([
    ['mapIdentity', () => mapIdentity(AWS_AUTH, CALLER, { angleBracketTemplates: 'yes' as never })],
    [
      'resolveIdentity',
      () => resolveIdentity(CALLER, { awsAuth: AWS_AUTH, angleBracketTemplates: 1 as never }),
    ],
  ])('%s: a value that is not a boolean is a TypeError', async (_name, ask) => {
    await expect(ask()).rejects.toThrow(TypeError);
  });
});

describe('lint says so', () => {
  it('the placeholder-angles warning names who substitutes and who does not', () => {
    const diagnostic = AWS_AUTH.diagnostics.find(
      (d) => d.code === 'placeholder-angles' && d.index === 0 && d.field === 'username',
    );
    expect(diagnostic).toMatchObject({ severity: 'warning', fix: 'dev:{{SessionName}}' });
    expect(diagnostic?.message).toBe(
      'EKS reads only {{SessionName}} and keeps <<SessionName>> literally, as resolveIdentity, explainIdentity and reviewToken do; only mapIdentity substitutes it (angleBracketTemplates)',
    );
  });
});

function verified(arn: string): VerifiedIdentity {
  const at = new Date('2024-01-15T12:00:00Z');
  return {
    arn,
    canonicalArn: ROLE,
    principalType: 'assumed-role',
    accountId: ACCOUNT,
    userId: 'AROAAAAAAAAAAAAAAAAAA',
    sessionName: 'alice',
    accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
    partition: 'aws',
    stsHost: 'sts.eu-west-1.amazonaws.com',
    signedAt: at,
    expiresAt: new Date(at.getTime() + 900_000),
  };
}

function review(
  options: Omit<Parameters<typeof reviewTokenWith>[2], 'clusterId'>,
): ReturnType<typeof reviewTokenWith> {
  const request = {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    spec: { token: 'k8s-aws-v1.c2VjcmV0LXRva2VuLWJvZHk' },
  };
  return reviewTokenWith(async () => verified(CALLER), request, { clusterId: 'prod', ...options });
}
