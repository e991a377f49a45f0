/**
 * Kubernetes' default roles and bindings (SPEC 4.9): the shipped data, what
 * parseRbac makes of it (aggregation: view feeds edit feeds admin), what it
 * lets the default groups do, and the generator that writes the data from a
 * kubernetes/kubernetes checkout. Upstream facts: kubernetes/kubernetes
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/ (the commits
 * each file was read at are in src/authz/rbac/bootstrap-data.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BOOTSTRAP_RELEASES } from '../../../src/authz/rbac/bootstrap-data.js';
import {
  DEFAULT_RBAC_KUBERNETES_VERSION,
  RBAC_KUBERNETES_VERSIONS,
  bootstrapPolicy,
} from '../../../src/authz/rbac/bootstrap.js';
import { evaluateRbac } from '../../../src/authz/rbac/evaluate.js';
import { parseRbac } from '../../../src/authz/rbac/parse.js';
import type { RbacRequest, RbacRule, RbacUser } from '../../../src/authz/rbac/types.js';
import { pathRequest, resourceRequest } from './support.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const rbac = parseRbac([]);
const roleNamed = (name: string) => rbac.clusterRoles.find((r) => r.name === name);
const key = (r: RbacRule): string => JSON.stringify(r);

describe('the shipped data', () => {
  it('names its versions, newest first, and defaults to the newest', () => {
    expect(RBAC_KUBERNETES_VERSIONS).toEqual(
      Object.keys(BOOTSTRAP_RELEASES).sort(
        (a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]),
      ),
    );
    expect(DEFAULT_RBAC_KUBERNETES_VERSION).toBe(RBAC_KUBERNETES_VERSIONS[0]);
    expect(rbac.bootstrap?.kubernetesVersion).toBe(DEFAULT_RBAC_KUBERNETES_VERSION);
  });

  it.each(RBAC_KUBERNETES_VERSIONS)(
    '%s: says where each file was read, and says so in a diagnostic when not at the tag',
    (version) => {
      const r = parseRbac([], { kubernetesVersion: version });
      const info = r.bootstrap;
      expect(Object.keys(info?.files ?? {}).sort()).toEqual([
        'cluster-role-bindings.yaml',
        'cluster-roles.yaml',
        'namespace-role-bindings.yaml',
        'namespace-roles.yaml',
      ]);
      for (const commit of Object.values(info?.files ?? {}))
        expect(commit).toMatch(/^[0-9a-f]{40}$/);
      // The data file's header names the same commits.
      const header =
        readFileSync(path.join(ROOT, 'src/authz/rbac/bootstrap-data.ts'), 'utf8').split('*/')[0] ??
        '';
      for (const [file, commit] of Object.entries(info?.files ?? {}))
        expect(header).toContain(`${file} at ${commit}`);
      expect(r.diagnostics.map((d) => d.code)).toEqual(
        info?.provisional === true ? ['bootstrap-provisional'] : [],
      );
    },
  );

  it('view, edit and admin have no rules of their own: they aggregate', () => {
    const policy = bootstrapPolicy(DEFAULT_RBAC_KUBERNETES_VERSION);
    for (const name of ['admin', 'edit', 'view']) {
      const own = policy.clusterRoles.find((r) => r.name === name);
      expect(own?.rules).toEqual([]);
      expect(own?.aggregationRule?.clusterRoleSelectors).toEqual([
        {
          matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${name}`]: 'true' },
          matchExpressions: [],
        },
      ]);
    }
  });

  it('after aggregation view ⊂ edit ⊂ admin, each built from system:aggregate-to-*', () => {
    const rules = (name: string): Set<string> => new Set(roleNamed(name)?.rules.map(key));
    const [view, edit, admin] = [rules('view'), rules('edit'), rules('admin')];
    expect(view.size).toBeGreaterThan(0);
    for (const r of view) expect(edit.has(r)).toBe(true);
    for (const r of edit) expect(admin.has(r)).toBe(true);
    expect(edit.size).toBeGreaterThan(view.size);
    expect(admin.size).toBeGreaterThan(edit.size);
    expect([...view]).toEqual(roleNamed('system:aggregate-to-view')?.rules.map(key));
  });

  it.each([
    ['cluster-admin', 'cluster-admin', [['Group', 'system:masters']]],
    ['system:basic-user', 'system:basic-user', [['Group', 'system:authenticated']]],
    ['system:discovery', 'system:discovery', [['Group', 'system:authenticated']]],
    [
      'system:public-info-viewer',
      'system:public-info-viewer',
      [
        ['Group', 'system:authenticated'],
        ['Group', 'system:unauthenticated'],
      ],
    ],
  ])('ClusterRoleBinding %s → %s', (binding, roleName, subjects) => {
    const b = rbac.clusterRoleBindings.find((x) => x.name === binding);
    expect(b?.roleRef).toEqual({
      kind: 'ClusterRole',
      name: roleName,
      apiGroup: 'rbac.authorization.k8s.io',
    });
    expect(b?.subjects.map((s) => [s.kind, s.name])).toEqual(subjects);
    expect(b?.source.bootstrap).toBe(true);
  });

  it('every default binding refers to a default role', () => {
    expect(parseRbac([]).diagnostics.filter((d) => d.code === 'role-missing')).toEqual([]);
  });

  it('bootstrap: false leaves them out', () => {
    const none = parseRbac([], { bootstrap: false });
    expect([none.clusterRoles, none.clusterRoleBindings, none.roles, none.roleBindings]).toEqual([
      [],
      [],
      [],
      [],
    ]);
    expect(none.bootstrap).toBeUndefined();
    expect(none.diagnostics).toEqual([]);
  });

  it('input objects replace defaults of the same name, with one note', () => {
    const r = parseRbac(
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: cluster-admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: []\n',
    );
    expect(r.diagnostics.map((d) => d.code)).toContain('bootstrap-replaced');
    expect(
      evaluateRbac(
        r,
        { username: 'x', groups: ['system:masters'] },
        resourceRequest({ verb: 'delete', resource: 'nodes' }),
      ).allowed,
    ).toBe(false);
  });
});

describe('what the defaults allow', () => {
  const authenticated: RbacUser = { username: 'alice', groups: ['system:authenticated'] };
  const anonymous: RbacUser = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
  const masters: RbacUser = {
    username: 'admin',
    groups: ['system:masters', 'system:authenticated'],
  };
  const withRoleBinding = (roleName: string) =>
    parseRbac(
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: dev}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${roleName}}\nsubjects:\n- {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}\n`,
    );

  it.each([
    [
      'system:masters may do anything (cluster-admin)',
      rbac,
      masters,
      resourceRequest({ verb: 'delete', resource: 'nodes', name: 'n1' }),
      true,
    ],
    ['… and any path', rbac, masters, pathRequest('post', '/anything'), true],
    [
      'an authenticated user may create a selfsubjectaccessreview (system:basic-user)',
      rbac,
      authenticated,
      resourceRequest({
        verb: 'create',
        apiGroup: 'authorization.k8s.io',
        resource: 'selfsubjectaccessreviews',
      }),
      true,
    ],
    [
      'an authenticated user may get /apis (system:discovery)',
      rbac,
      authenticated,
      pathRequest('get', '/apis/apps/v1'),
      true,
    ],
    [
      'an anonymous user may get /version (system:public-info-viewer)',
      rbac,
      anonymous,
      pathRequest('get', '/version'),
      true,
    ],
    ['… but not /apis', rbac, anonymous, pathRequest('get', '/apis'), false],
    [
      'an authenticated user may not list pods',
      rbac,
      authenticated,
      resourceRequest({ verb: 'list', resource: 'pods', namespace: 'dev' }),
      false,
    ],
    [
      'view in dev: get pods',
      withRoleBinding('view'),
      authenticated,
      resourceRequest({ verb: 'get', resource: 'pods', namespace: 'dev', name: 'p' }),
      true,
    ],
    [
      'view in dev: not secrets',
      withRoleBinding('view'),
      authenticated,
      resourceRequest({ verb: 'get', resource: 'secrets', namespace: 'dev', name: 's' }),
      false,
    ],
    [
      'view in dev: not in prod',
      withRoleBinding('view'),
      authenticated,
      resourceRequest({ verb: 'get', resource: 'pods', namespace: 'prod', name: 'p' }),
      false,
    ],
    [
      'edit in dev: read secrets',
      withRoleBinding('edit'),
      authenticated,
      resourceRequest({ verb: 'get', resource: 'secrets', namespace: 'dev', name: 's' }),
      true,
    ],
    [
      'edit in dev: exec into a pod',
      withRoleBinding('edit'),
      authenticated,
      resourceRequest({
        verb: 'create',
        resource: 'pods',
        subresource: 'exec',
        namespace: 'dev',
        name: 'p',
      }),
      true,
    ],
    [
      'edit in dev: not create roles',
      withRoleBinding('edit'),
      authenticated,
      resourceRequest({
        verb: 'create',
        apiGroup: 'rbac.authorization.k8s.io',
        resource: 'roles',
        namespace: 'dev',
      }),
      false,
    ],
    [
      'admin in dev: create roles',
      withRoleBinding('admin'),
      authenticated,
      resourceRequest({
        verb: 'create',
        apiGroup: 'rbac.authorization.k8s.io',
        resource: 'roles',
        namespace: 'dev',
      }),
      true,
    ],
    [
      'admin in dev: not namespaces (cluster-scoped)',
      withRoleBinding('admin'),
      authenticated,
      resourceRequest({ verb: 'delete', resource: 'namespaces', name: 'dev', namespace: 'dev' }),
      false,
    ],
  ] as const)('%s', (_, snapshot, user, request: RbacRequest, allowed) => {
    expect(evaluateRbac(snapshot, user, request).allowed).toBe(allowed);
  });
});

describe('scripts/generate-rbac-bootstrap.ts', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'rbac-bootstrap-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const testdata = 'plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata';
  const list = (items: string): string =>
    `apiVersion: v1\nitems:\n${items}kind: List\nmetadata: {}\n`;
  const files = (verb: string): Record<string, string> => ({
    'cluster-roles.yaml': list(
      `- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n  metadata:\n    name: reader\n  rules:\n  - apiGroups:\n    - ""\n    resources:\n    - pods\n    verbs:\n    - ${verb}\n`,
    ),
    'cluster-role-bindings.yaml': list(
      `- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRoleBinding\n  metadata:\n    name: reader\n  roleRef:\n    apiGroup: rbac.authorization.k8s.io\n    kind: ClusterRole\n    name: reader\n  subjects:\n  - apiGroup: rbac.authorization.k8s.io\n    kind: Group\n    name: readers\n`,
    ),
    'namespace-roles.yaml': list(''),
    'namespace-role-bindings.yaml': list(''),
  });
  const run = (...args: string[]): string =>
    execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts/generate-rbac-bootstrap.ts'), ...args],
      {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );

  it('reads each release at its tag from a git checkout and records the tag commit', () => {
    const repo = path.join(work, 'kubernetes');
    mkdirSync(path.join(repo, testdata), { recursive: true });
    const git = (...args: string[]): string =>
      execFileSync(
        'git',
        ['-C', repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args],
        { encoding: 'utf8' },
      );
    git('init', '-q');
    const commits: string[] = [];
    for (const [tag, verb] of [
      ['v1.35.0', 'get'],
      ['v1.36.0', 'list'],
    ] as const) {
      for (const [file, text] of Object.entries(files(verb)))
        writeFileSync(path.join(repo, testdata, file), text);
      git('add', '-A');
      git('commit', '-qm', tag);
      git('tag', tag);
      commits.push(git('rev-parse', 'HEAD').trim());
    }
    const out = path.join(work, 'data.ts');
    run('--checkout', repo, '--release', '1.36=v1.36.0', '--release', '1.35=v1.35.0', '--out', out);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`1.36: tag v1.36.0, commit ${commits[1]}`);
    expect(text).toContain(`1.35: tag v1.35.0, commit ${commits[0]}`);
    const data = JSON.parse(
      `{${text.split('= {')[1]?.split('\n};')[0]?.replace(/,\s*$/, '') ?? ''}}`,
    ) as Record<string, { commit: string; clusterRoles: { rules: string[][] }[] }>;
    expect(data['1.36']?.commit).toBe(commits[1]);
    expect(data['1.36']?.clusterRoles[0]?.rules).toEqual([[['list'], [''], ['pods']]]);
    expect(data['1.35']?.clusterRoles[0]?.rules).toEqual([[['get'], [''], ['pods']]]);
  });

  it.each([
    ['a tag of another minor', ['--release', '1.36=v1.35.0']],
    ['a subject kind upstream never writes', ['--release', '1.36=v1.36.0']],
  ])('refuses %s', (name, args) => {
    const dir = path.join(work, name.replace(/\W+/g, '-'));
    mkdirSync(path.join(dir, '1.36'), { recursive: true });
    const fs = files('get');
    fs['cluster-role-bindings.yaml'] =
      fs['cluster-role-bindings.yaml']?.replace('kind: Group', 'kind: Team') ?? '';
    for (const [file, text] of Object.entries(fs))
      writeFileSync(path.join(dir, '1.36', file), text);
    writeFileSync(
      path.join(dir, '1.36', 'SOURCE'),
      `tag none\n${Object.keys(fs)
        .map((f) => `${f} ${'a'.repeat(40)}`)
        .join('\n')}\n`,
    );
    expect(() => run('--files', dir, ...args, '--out', path.join(dir, 'out.ts'))).toThrow(
      /generate-rbac-bootstrap/,
    );
  });
});
