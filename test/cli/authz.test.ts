/**
 * `can-i` and `who-can` as users run them (the built tool): exit statuses
 * (SPEC 9: can-i 0 allowed, 1 denied, 3 unknown; who-can 0 complete, 3 some
 * answer unknown; every error 1, as the tool's table says), output shapes,
 * and text from the input files escaped (no terminal escapes, no forged
 * lines).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/vectors.js';
import { assertCliBuilt, makeHome, runCli } from './cli-process.js';

const example = (file: string): string => path.join(repoRoot, 'examples', 'authz', file);
const CLUSTER = [
  '--access-entries',
  example('access-entries.json'),
  '--aws-auth',
  example('aws-auth.yaml'),
  '--rbac',
  example('rbac.yaml'),
];
const session = (role: string, name: string): string =>
  `arn:aws:sts::111122223333:assumed-role/${role}/${name}`;

let home: string;
let remove: () => void;
let hostile: string;

beforeAll(() => {
  assertCliBuilt();
  ({ home, remove } = makeHome());
  hostile = path.join(home, 'hostile');
  mkdirSync(hostile);
  // A username and a group with a terminal escape, a carriage return and a line feed.
  writeFileSync(
    path.join(hostile, 'aws-auth.yaml'),
    'mapRoles: |\n  - rolearn: arn:aws:iam::111122223333:role/evil\n    username: "evil\\e[2J\\rFAKE"\n    groups: ["g\\nerror: forged"]\n',
  );
  writeFileSync(
    path.join(hostile, 'rbac.yaml'),
    [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: ClusterRoleBinding',
      'metadata: {name: evil-view}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
      'subjects:',
      '- {apiGroup: rbac.authorization.k8s.io, kind: User, name: "evil\\e[2J\\rFAKE"}',
      '',
    ].join('\n'),
  );
});
afterAll(() => remove());

describe('can-i', () => {
  it.each<[string, string[], number, RegExp]>([
    [
      'allowed through a RoleBinding to a templated username: 0',
      ['get', 'secrets', '-n', 'prod', '--arn', session('Developer', 'alice')],
      0,
      /^yes\n {2}as user dev:alice in groups \[developers system:authenticated\]\n {2}via RBAC: RoleBinding prod\/alice-reads-secrets → ClusterRole secret-reader/,
    ],
    [
      'denied: 1',
      ['get', 'secrets', '-n', 'prod', '--arn', session('Developer', 'bob')],
      1,
      /^no\n {2}as user dev:bob/,
    ],
    [
      'a node: unknown, 3, with the reason',
      [
        'get',
        'secrets',
        'db',
        '-n',
        'prod',
        '--arn',
        session('eks-nodes', 'i-0123456789abcdef0'),
        '--ec2-private-dns-name',
        'ip-10-0-0-1.ec2.internal',
      ],
      3,
      /^unknown\n.*\n {2}no RBAC binding or access policy allows it\n {2}caveat \(node-authorizer\)/,
    ],
    ['not mapped: 1', ['get', 'pods', '--arn', session('Nobody', 'x')], 1, /^no\n {2}not mapped/],
    [
      'an access policy within its dev-* style scope',
      ['create', 'pods/exec', 'web', '-n', 'team-a', '--arn', session('Developer', 'bob')],
      0,
      /via access policy AmazonEKSEditPolicy \(scope: namespaces team-\*\)/,
    ],
  ])('%s', async (_name, args, code, stdout) => {
    const r = await runCli(home, ['can-i', ...args, ...CLUSTER]);
    expect(r.stdout).toMatch(stdout);
    expect(r.code).toBe(code);
  });

  it('--format json is the Decision, with the same exit status', async () => {
    const r = await runCli(home, [
      'can-i',
      'get',
      'secrets',
      '-n',
      'prod',
      '--arn',
      session('Developer', 'bob'),
      '--format',
      'json',
      ...CLUSTER,
    ]);
    expect(r.code).toBe(1);
    const decision = JSON.parse(r.stdout) as { decision: string; request: { namespace: string } };
    expect(decision).toMatchObject({
      decision: 'deny',
      request: { namespace: 'prod', resource: 'secrets' },
    });
  });

  it('--list prints kubectl columns with a SOURCE column, access policies included', async () => {
    const r = await runCli(home, [
      'can-i',
      '--list',
      '-n',
      'team-a',
      '--arn',
      session('Developer', 'bob'),
      ...CLUSTER,
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Resources {2,}Non-Resource URLs {2,}Resource Names {2,}Verbs {2,}SOURCE$/,
    );
    expect(r.stdout).toMatch(
      /\npods {2,}\[\] {2,}\[\] {2,}\[create delete deletecollection patch update get list watch\] {2,}access policy AmazonEKSEditPolicy \(namespaces team-\*\)\n/,
    );
    expect(r.stdout).toMatch(
      /\n {10,}\[\/healthz\] {2,}\[\] {2,}\[get\] {2,}ClusterRoleBinding system:public-info-viewer/,
    );
  });

  it('the request notes go to standard error', async () => {
    const r = await runCli(home, [
      'can-i',
      'list',
      'deploy',
      '-A',
      '--arn',
      session('Auditor', 'x'),
      ...CLUSTER,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('note: "deploy" is deployments.apps');
  });

  it.each([
    ['can-i', 'api'],
    ['can-i', 'api-and-config-map'],
    ['who-can', 'Api_And_Config_Map'],
  ])('%s reads --authentication-mode %s in any letter case, as map does', async (command, mode) => {
    const args =
      command === 'can-i'
        ? ['get', 'pods', '-n', 'team-a', '--arn', session('Developer', 'bob')]
        : ['get', 'pods', '-n', 'team-a'];
    const r = await runCli(home, [command, ...args, '--authentication-mode', mode, ...CLUSTER]);
    expect(r.stderr).not.toMatch(/--authentication-mode must be one of/);
    expect(r.code).toBe(0);
  });

  it.each<[string, string[], RegExp]>([
    ['no --arn', ['get', 'pods', ...CLUSTER], /--arn is required/],
    ['no cluster', ['get', 'pods', '--arn', session('Dev', 'x')], /give the cluster/],
    ['no resource', ['get', '--arn', session('Dev', 'x'), ...CLUSTER], /give VERB and RESOURCE/],
    [
      '-n and -A',
      ['get', 'pods', '-n', 'a', '-A', '--arn', session('Dev', 'x'), ...CLUSTER],
      /not both/,
    ],
    [
      'bad mode',
      ['get', 'pods', '--arn', session('Dev', 'x'), '--authentication-mode', 'BOTH', ...CLUSTER],
      /--authentication-mode must be one of/,
    ],
    [
      'bad format',
      ['get', 'pods', '--arn', session('Dev', 'x'), '--format', 'yaml', ...CLUSTER],
      /--format must be one of/,
    ],
    [
      '--list with a resource',
      ['--list', 'pods', '--arn', session('Dev', 'x'), ...CLUSTER],
      /--list takes only/,
    ],
  ])('usage error, 1 as every error (exit-codes.ts): %s', async (_name, args, stderr) => {
    const r = await runCli(home, ['can-i', ...args]);
    expect(r.stderr).toMatch(stderr);
    expect(r.code).toBe(1);
  });

  it('escapes what the files say: no terminal escape, no forged line', async () => {
    const r = await runCli(home, [
      'can-i',
      'get',
      'pods',
      '-n',
      'x',
      '--arn',
      session('evil', 's'),
      '--aws-auth',
      path.join(hostile, 'aws-auth.yaml'),
      '--rbac',
      path.join(hostile, 'rbac.yaml'),
    ]);
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- what must not be printed
    expect(r.stdout).not.toMatch(/[\u001b\r]/);
    expect(r.stdout).toContain(
      'as user evil\\x1b[2J\\rFAKE in groups [g\\nerror: forged system:authenticated]',
    );
    expect(r.stdout).toContain('(subject User evil\\x1b[2J\\rFAKE)');
    expect(r.stdout.split('\n').filter((l) => l.startsWith('error'))).toEqual([]);
  });
});

describe('who-can', () => {
  it('a table of principals, paths and scopes; 3 when an answer is unknown', async () => {
    const r = await runCli(home, ['who-can', 'get', 'secrets', 'db', '-n', 'prod', ...CLUSTER]);
    expect(r.code).toBe(3);
    expect(r.stdout.split('\n').map((l) => l.replace(/ {2,}/g, ' | ').trimEnd())).toEqual([
      'PRINCIPAL | ANSWER | VIA | SCOPE',
      'arn:aws:iam::111122223333:role/PlatformAdmin | allow | access policy AmazonEKSClusterAdminPolicy | cluster',
      'arn:aws:iam::111122223333:role/Developer (role sessions named "alice") | allow | RoleBinding prod/alice-reads-secrets → ClusterRole secret-reader | namespace prod',
      'arn:aws:iam::111122223333:role/github-deploy | allow | RoleBinding prod/deployers-edit → ClusterRole edit | namespace prod',
      'arn:aws:iam::111122223333:role/eks-nodes | unknown | Node authorizer | —',
      'arn:aws:iam::111122223333:role/legacy-ci | allow | RoleBinding prod/deployers-edit → ClusterRole edit | namespace prod',
      '',
    ]);
  });

  it('0 when every answer is known', async () => {
    // The Node authorizer lets a node delete no Node object (node_authorizer.go
    // `authorizeNode`), nor read a secret it does not name (`authorize`).
    const r = await runCli(home, ['who-can', 'delete', 'nodes', 'x', ...CLUSTER]);
    expect(r.code).toBe(0);
    const s = await runCli(home, ['who-can', 'get', 'secrets', '-n', 'prod', ...CLUSTER]);
    expect(s.stdout).not.toMatch(/eks-nodes/);
    expect(s.code).toBe(0);
    const q = await runCli(home, ['who-can', 'create', 'clusterrolebindings', ...CLUSTER]);
    expect(q.stdout).toMatch(/PlatformAdmin/);
    expect(q.code).toBe(0);
  });

  it('--format json is the whoCan result', async () => {
    const r = await runCli(home, [
      'who-can',
      'create',
      'clusterrolebindings',
      '--format',
      'json',
      ...CLUSTER,
    ]);
    const result = JSON.parse(r.stdout) as {
      principals: { principalArn: string; decision: string }[];
    };
    expect(result.principals).toEqual([
      expect.objectContaining({
        principalArn: 'arn:aws:iam::111122223333:role/PlatformAdmin',
        decision: 'allow',
      }),
    ]);
    expect(r.code).toBe(0);
  });

  it('escapes what the files say', async () => {
    const r = await runCli(home, [
      'who-can',
      'get',
      'pods',
      '-n',
      'x',
      '--aws-auth',
      path.join(hostile, 'aws-auth.yaml'),
      '--rbac',
      path.join(hostile, 'rbac.yaml'),
      '--format',
      'json',
    ]);
    // eslint-disable-next-line no-control-regex -- what must not be printed
    expect(r.stdout).not.toMatch(/[\u001b\r]/);
    expect(r.code).toBe(0);
  });

  it('usage error, 1, without a request', async () => {
    const r = await runCli(home, ['who-can', ...CLUSTER]);
    expect(r.stderr).toMatch(/give VERB and RESOURCE/);
    expect(r.code).toBe(1);
  });

  it('a --rbac file that is not YAML or JSON is named, with the code', async () => {
    const broken = path.join(hostile, 'broken.yaml');
    writeFileSync(broken, 'kind: [unclosed\n');
    const r = await runCli(home, ['who-can', 'get', 'pods', ...CLUSTER, '--rbac', broken]);
    expect(r.stderr).toContain(`error ERR_RBAC_INVALID: ${broken}:`);
    expect(r.code).toBe(1);
  });
});
