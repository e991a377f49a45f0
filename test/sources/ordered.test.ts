/**
 * Ordered sources in mapIdentity: the Go server's backend-mode chain
 * (pkg/server/server.go:476-505 at kubernetes-sigs/aws-iam-authenticator 81b1daba).
 */
import { describe, expect, it } from 'vitest';
import { mapIdentity } from '../../src/resolve/map-identity.js';
import { parseAwsAuth } from '../../src/aws-auth/parse.js';
import { AwsAuthError, TemplateError } from '../../src/errors.js';
import { reviewTokenWith } from '../../src/review.js';
import { parseAuthenticatorConfig } from '../../src/sources/authenticator-config.js';
import { parseDynamicFile } from '../../src/sources/dynamic-file.js';
import { parseIdentityMappings } from '../../src/sources/identity-mappings.js';
import { mappingSources, sourcesFromConfig } from '../../src/sources/ordered.js';
import type { VerifiedIdentity } from '../../src/token/verify.js';

const A = '111122223333';
const ROLE = `arn:aws:sts::${A}:assumed-role/Dev/alice`;

const configMap = parseAwsAuth({
  mapRoles: `- rolearn: arn:aws:iam::${A}:role/Dev\n  username: from-configmap\n`,
  mapAccounts: `- "999988887777"\n`,
});
const crd = parseIdentityMappings(
  `apiVersion: iamauthenticator.k8s.aws/v1alpha1\nkind: IAMIdentityMapping\nspec:\n  arn: arn:aws:iam::${A}:role/Dev\n  username: from-crd\n`,
);
const fileWithAccount = parseAuthenticatorConfig(`server:\n  mapAccounts: ["${A}"]\n`);

describe('first source that maps wins (cmd/aws-iam-authenticator/server.go:126-128, README.md:123-131)', () => {
  it.each([
    ['EKSConfigMap, CRD', [configMap, crd], 'from-configmap', 'EKSConfigMap', 0],
    ['CRD, EKSConfigMap', [crd, configMap], 'from-crd', 'CRD', 0],
    ['an empty source first', [parseAwsAuth({}), crd], 'from-crd', 'CRD', 1],
  ] as const)('%s', async (_, sources, username, source, sourceIndex) => {
    expect(await mapIdentity(sources, ROLE)).toMatchObject({ username, source, sourceIndex });
  });

  it('no source maps: null', async () => {
    expect(await mapIdentity([configMap, crd], `arn:aws:iam::${A}:user/nobody`)).toBeNull();
    expect(await mapIdentity([], ROLE)).toBeNull();
  });

  // server.go:492-498: after a mapper misses, its own account list is checked
  // before the next mapper runs.
  it("a source's account list beats a later source's explicit entry", async () => {
    expect(await mapIdentity([fileWithAccount, crd], ROLE)).toMatchObject({
      username: `arn:aws:iam::${A}:role/Dev`,
      matchedBy: 'mapAccounts',
      source: 'MountedFile',
    });
    expect(await mapIdentity([crd, fileWithAccount], ROLE)).toMatchObject({ username: 'from-crd' });
  });

  it('a template that cannot render stops the chain (server.go:483-486)', async () => {
    const node = parseAwsAuth({
      mapRoles: `- rolearn: arn:aws:iam::${A}:role/Dev\n  username: system:node:{{EC2PrivateDNSName}}\n`,
    });
    await expect(mapIdentity([node, crd], ROLE)).rejects.toBeInstanceOf(TemplateError);
  });
});

describe('reserved username prefixes (server.go:466-474, 487-489)', () => {
  const sources = (prefixes: string[]) => [
    { mode: 'CRD' as const, mappings: crd, reservedUsernamePrefixes: prefixes },
    configMap,
  ];

  it.each([
    [['from-'], true],
    [['FROM-'], false], // strings.HasPrefix is case-sensitive
    [[''], false], // empty prefixes are skipped
    [['aws:', 'from-crd'], true],
  ])('prefixes %j: refused %s, never passed on to the next source', async (prefixes, refused) => {
    const run = mapIdentity(sources(prefixes), ROLE);
    if (refused) {
      const error = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AwsAuthError);
      expect((error as AwsAuthError).message).toMatch(/reserved for CRD/);
    } else {
      expect(await run).toMatchObject({ username: 'from-crd' });
    }
  });

  it('the rendered username is checked: a session name can produce a reserved prefix', async () => {
    const file = parseAuthenticatorConfig(
      `server:\n  reservedPrefixConfig:\n  - backendmode: MountedFile\n    usernamePrefixReserveList: ["system:"]\n  mapRoles:\n  - rolearn: arn:aws:iam::${A}:role/Dev\n    username: "{{SessionName}}"\n`,
    );
    expect(await mapIdentity([file], `arn:aws:sts::${A}:assumed-role/Dev/alice`)).toMatchObject({
      username: 'alice',
    });
    await expect(
      mapIdentity([file], `arn:aws:sts::${A}:assumed-role/Dev/system:admin`),
    ).rejects.toThrow(/reserved/);
  });

  it('an account-list match is not checked (server.go:496-498 returns before the check)', async () => {
    const s = [
      { mode: 'EKSConfigMap' as const, mappings: configMap, reservedUsernamePrefixes: ['arn:'] },
    ];
    expect(await mapIdentity(s, 'arn:aws:iam::999988887777:user/x')).toMatchObject({
      matchedBy: 'mapAccounts',
    });
  });
});

describe('sourcesFromConfig and mappingSources', () => {
  const config = parseAuthenticatorConfig(`server:
  backendMode: [CRD, MountedFile, DynamicFile]
  dynamicfilepath: /d.json
  dynamicfileUserIDStrict: true
  reservedPrefixConfig:
  - backendmode: DynamicFile
    usernamePrefixReserveList: ["eks:"]
  mapUsers:
  - userarn: arn:aws:iam::${A}:user/Alice
    username: alice
`);
  const dynamic = parseDynamicFile(`{"mapRoles":[{"userid":"AROADEV","username":"eks:dev"}]}`, {
    userIdStrict: config.dynamicFileUserIdStrict,
  });
  const bundle = sourcesFromConfig(config, { CRD: crd, DynamicFile: dynamic });
  const dev: VerifiedIdentity = {
    arn: ROLE,
    canonicalArn: `arn:aws:iam::${A}:role/Dev2`,
    principalType: 'assumed-role',
    accountId: A,
    userId: 'AROADEV',
    sessionName: 'alice',
    accessKeyId: 'ASIA',
    partition: 'aws',
  } as VerifiedIdentity;

  it("follows server.backendMode with each mode's reserved prefixes", async () => {
    expect(bundle.sources.map((s) => [s.mode, s.reservedUsernamePrefixes])).toEqual([
      ['CRD', []],
      ['MountedFile', []],
      ['DynamicFile', ['eks:']],
    ]);
    expect(await mapIdentity(bundle, `arn:aws:iam::${A}:user/Alice`)).toMatchObject({
      username: 'alice',
      sourceIndex: 1,
    });
    await expect(mapIdentity(bundle, dev)).rejects.toThrow(/reserved for DynamicFile/);
  });

  it('an entry whose username template begins with a reserved prefix is a warning of the bundle', () => {
    expect(bundle.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        code: 'reserved-username',
        key: 'mapRoles',
        index: 0,
        field: 'username',
        source: 'DynamicFile',
        sourceIndex: 2,
      }),
    );
  });

  it('a listed mode without its source is a TypeError', () => {
    expect(() => sourcesFromConfig(config, { CRD: crd })).toThrow(TypeError);
  });

  it('the bundle is an aws-auth with no entries of its own: reviewToken maps through it in order', async () => {
    expect(bundle.mapRoles).toEqual([]);
    const identity = { ...dev, canonicalArn: `arn:aws:iam::${A}:role/Dev`, userId: 'AROAOTHER' };
    const result = await reviewTokenWith(
      () => Promise.resolve(identity),
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        spec: { token: 'k8s-aws-v1.x' },
      },
      { clusterId: 'c', awsAuth: bundle },
    );
    expect(result.status).toBe(200);
    expect(result.body.status.user?.username).toBe('from-crd');
  });

  it('diagnostics of every source, tagged with the source', () => {
    const b = mappingSources([parseAwsAuth({ maproles: '' }), crd]);
    expect(b.diagnostics).toMatchObject([
      { source: 'EKSConfigMap', sourceIndex: 0, severity: 'warning' },
    ]);
    expect(Object.isFrozen(b.sources)).toBe(true);
  });

  it.each([
    ['raw text', ['mapRoles: ""']],
    ['an unknown mode', [{ mode: 'Nope', mappings: configMap }]],
    ['a mode that disagrees with the result', [{ mode: 'CRD', mappings: dynamic }]],
    ['aws-auth mappings labelled DynamicFile', [{ mode: 'DynamicFile', mappings: configMap }]],
    [
      'reserved prefixes that are not strings',
      [{ mode: 'CRD', mappings: crd, reservedUsernamePrefixes: [1] }],
    ],
  ])('%s is a TypeError', async (_, list) => {
    await expect(mapIdentity(list as never, ROLE)).rejects.toBeInstanceOf(TypeError);
  });
});
