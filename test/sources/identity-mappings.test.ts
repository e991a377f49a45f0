/**
 * parseIdentityMappings: IAMIdentityMapping objects (the Go authenticator's
 * CRD backend). Go facts cite kubernetes-sigs/aws-iam-authenticator at 81b1daba.
 */
import { describe, expect, it } from 'vitest';
import { mapIdentity } from '../../src/resolve/map-identity.js';
import { AwsAuthError } from '../../src/errors.js';
import { parseIdentityMappings } from '../../src/sources/identity-mappings.js';

const A = '111122223333';
// pkg/mapper/crd/apis/iamauthenticator/register.go:19 + v1alpha1/register.go:28
const HEAD = 'apiVersion: iamauthenticator.k8s.aws/v1alpha1\nkind: IAMIdentityMapping\n';

function object(name: string, spec: string): string {
  return `${HEAD}metadata:\n  name: ${name}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
}

describe('input shapes', () => {
  const admin = object(
    'admin',
    `arn: arn:aws:iam::${A}:user/KubernetesAdmin\nusername: kubernetes-admin\ngroups:\n- system:masters`,
  );
  const dev = object('dev', `arn: arn:aws:iam::${A}:role/Dev\nusername: dev`);

  it.each([
    ['one object (deploy/example-iamidentitymapping.yaml)', admin, 1],
    ['multi-document YAML', `---\n${admin}---\n${dev}...\n`, 2],
    [
      'a kind: List',
      `apiVersion: v1\nkind: List\nitems:\n- ${admin.replace(/\n(?=.)/g, '\n  ')}- ${dev.replace(/\n(?=.)/g, '\n  ')}`,
      2,
    ],
    ['a YAML list', `- ${admin.replace(/\n(?=.)/g, '\n  ')}`, 1],
  ])('%s', (_, text, count) => {
    const m = parseIdentityMappings(text);
    expect(m.mapRoles.length + m.mapUsers.length).toBe(count);
    expect(m.diagnostics).toEqual([]);
    expect(m.mode).toBe('CRD');
  });

  it('objects from a Kubernetes client (no lines)', () => {
    const m = parseIdentityMappings({
      apiVersion: 'iamauthenticator.k8s.aws/v1alpha1',
      kind: 'IAMIdentityMappingList',
      items: [
        {
          apiVersion: 'iamauthenticator.k8s.aws/v1alpha1',
          kind: 'IAMIdentityMapping',
          spec: { arn: `arn:aws:iam::${A}:role/Dev`, username: 'dev', groups: ['g'] },
        },
      ],
    });
    expect(m.mapRoles).toEqual([
      { roleArn: `arn:aws:iam::${A}:role/dev`, username: 'dev', groups: ['g'], index: 0 },
    ]);
  });

  it('lines point at each object in a multi-document text', () => {
    const m = parseIdentityMappings(
      `${object('a', 'arn: arn:aws:iam::1:user/x\nusername: a')}---\n${object('b', `username: b`)}`,
    );
    expect(m.diagnostics).toMatchObject([
      { index: 0, line: 1, field: 'spec.arn' },
      { index: 1, line: 9, field: 'spec.arn' },
    ]);
  });

  it('text that is not YAML throws ERR_AWS_AUTH_INVALID, with its line', () => {
    expect(() => parseIdentityMappings(`${object('a', 'username: a')}---\na: [\n`)).toThrow(
      /line 9/,
    );
    expect(() => parseIdentityMappings('a: [\n')).toThrow(AwsAuthError);
  });

  it('a text without objects maps nothing', () => {
    expect(parseIdentityMappings('# nothing but a comment\n---\n')).toMatchObject({
      mapRoles: [],
      mapUsers: [],
      diagnostics: [],
    });
  });

  it('a number is a TypeError', () => {
    expect(() => parseIdentityMappings(3 as never)).toThrow(TypeError);
  });
});

describe('objects the cluster would not hold or never index are dropped, the rest kept', () => {
  it.each([
    ['spec.arn missing (deploy/iamidentitymapping.yaml:25-27)', 'username: x', 'spec.arn'],
    [
      'spec.username missing (deploy/iamidentitymapping.yaml:25-27)',
      `arn: arn:aws:iam::${A}:user/x`,
      'spec.username',
    ],
    [
      'groups not a list of strings (deploy/iamidentitymapping.yaml:33-36)',
      `arn: arn:aws:iam::${A}:user/x\nusername: x\ngroups: admin`,
      'spec.groups',
    ],
    [
      'an ARN Canonicalize refuses: never indexed (controller/controller.go:212-215, 246-249)',
      'arn: arn:aws:s3:::bucket\nusername: x',
      'spec.arn',
    ],
    // Kubernetes field names are case-sensitive: "Username" is pruned, so username is missing.
    ['Username instead of username', `arn: arn:aws:iam::${A}:user/x\nUsername: x`, 'spec.username'],
    // The manifest is read as Go's YAML 1.1 (sigs.k8s.io/yaml): an unquoted 12345 or yes is no string.
    [
      'an unquoted numeric username (deploy/iamidentitymapping.yaml:31-32)',
      `arn: arn:aws:iam::${A}:user/x\nusername: 12345`,
      'spec.username',
    ],
    [
      'an unquoted yes in groups (deploy/iamidentitymapping.yaml:33-36)',
      `arn: arn:aws:iam::${A}:user/x\nusername: x\ngroups: [yes]`,
      'spec.groups',
    ],
  ])('%s', (_, spec, field) => {
    const m = parseIdentityMappings(
      `${object('bad', spec)}---\n${object('good', `arn: arn:aws:iam::${A}:user/good\nusername: good`)}`,
    );
    expect(m.mapUsers).toMatchObject([{ username: 'good', index: 1 }]);
    expect(m.diagnostics.filter((d) => d.severity === 'error')).toMatchObject([
      {
        index: 0,
        field,
        code: field === 'spec.arn' && spec.includes('s3') ? 'arn-invalid' : 'object-invalid',
      },
    ]);
  });

  it('an alias and a quoted number are read as the API server reads them', () => {
    const m = parseIdentityMappings(
      object('a', `arn: &arn arn:aws:iam::${A}:user/x\nusername: "12345"\ngroups: [*arn]`),
    );
    expect(m.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(m.mapUsers).toMatchObject([
      {
        userArn: `arn:aws:iam::${A}:user/x`,
        username: '12345',
        groups: [`arn:aws:iam::${A}:user/x`],
      },
    ]);
  });

  it('another kind is skipped with a warning, a wrong apiVersion is an error', () => {
    const m = parseIdentityMappings(
      `apiVersion: v1\nkind: ConfigMap\n---\napiVersion: iamauthenticator.k8s.aws/v1beta1\nkind: IAMIdentityMapping\nspec: {arn: "arn:aws:iam::${A}:user/x", username: x}\n`,
    );
    expect(m.mapUsers).toEqual([]);
    expect(m.diagnostics.map((d) => [d.severity, d.field])).toEqual([
      ['warning', 'kind'],
      ['error', 'apiVersion'],
    ]);
  });
});

describe('matching as the CRD mapper does (pkg/mapper/crd/mapper.go:111-139)', () => {
  it('the ARN is lower-cased and canonicalized: an assumed-role ARN matches its role (controller.go:212)', async () => {
    const m = parseIdentityMappings(
      object('a', `arn: ARN:AWS:STS::${A}:ASSUMED-ROLE/Ops/x\nusername: ops:{{SessionName}}`),
    );
    expect(m.diagnostics).toEqual([]);
    expect(m.mapRoles[0]?.roleArn).toBe(`arn:aws:iam::${A}:role/ops`);
    expect(
      await mapIdentity(m, `arn:aws:sts::${A}:assumed-role/Ops/alice@example.com`),
    ).toMatchObject({
      username: 'ops:alice-example.com',
      matchedBy: 'mapRoles',
      source: 'CRD',
    });
  });

  it('users, root and federated users are mapUsers entries', async () => {
    const m = parseIdentityMappings(
      `${object('root', `arn: arn:aws:iam::${A}:root\nusername: root`)}---\n${object('u', `arn: arn:aws:iam::${A}:user/U\nusername: u`)}`,
    );
    expect(m.mapUsers.map((u) => u.userArn)).toEqual([
      `arn:aws:iam::${A}:root`,
      `arn:aws:iam::${A}:user/u`,
    ]);
    expect(await mapIdentity(m, `arn:aws:iam::${A}:root`)).toMatchObject({ username: 'root' });
  });

  it('the CRD backend has no account list (crd/mapper.go:141-144)', () => {
    expect(
      parseIdentityMappings(object('a', `arn: arn:aws:iam::${A}:user/U\nusername: u`)).mapAccounts,
    ).toEqual([]);
  });

  it('two objects for one ARN: warned, the later one used (Go picks either: crd/mapper.go:121-127)', async () => {
    const m = parseIdentityMappings(
      `${object('a', `arn: arn:aws:iam::${A}:user/U\nusername: first`)}---\n${object('b', `arn: arn:aws:iam::${A}:user/u\nusername: second`)}`,
    );
    expect(m.diagnostics).toMatchObject([{ severity: 'warning', index: 1 }]);
    expect(await mapIdentity(m, `arn:aws:iam::${A}:user/U`)).toMatchObject({ username: 'second' });
  });
});
