/**
 * Acceptance: SPEC 4.9 (authorization) on the built package: the shapes
 * and options it promises (`ACCESS_POLICIES`, `parseRbac` with `bootstrap`
 * and `kubernetesVersion`, `authorize` request forms and `Decision`,
 * `listPermissions`, `whoCan`). The semantics, case by case against
 * Kubernetes' own tables, are in test/authz/.
 */
import { describe, expect, it } from 'vitest';
import * as pkg from 'eks-iam-auth';
import type { Decision } from 'eks-iam-auth';

const A = '111122223333';
const ROLE = (name: string): string => `arn:aws:iam::${A}:role/${name}`;
const SESSION = (role: string, session: string): string =>
  `arn:aws:sts::${A}:assumed-role/${role}/${session}`;
const POLICY = (name: string): string => `arn:aws:eks::aws:cluster-access-policy/${name}`;

const RBAC_YAML = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs-edit, namespace: dev-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
- {kind: Group, name: devs}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-alice}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: User, name: "ops:alice"}
`;

const cluster = {
  accessEntries: {
    authenticationMode: 'API_AND_CONFIG_MAP' as const,
    accessEntries: [
      {
        principalArn: ROLE('dev'),
        kubernetesGroups: ['devs'],
        accessPolicies: [
          {
            policyArn: POLICY('AmazonEKSViewPolicy'),
            accessScope: { type: 'namespace', namespaces: ['view-*'] },
          },
        ],
      },
      {
        principalArn: ROLE('compute'),
        accessPolicies: [
          { policyArn: POLICY('AmazonEKSComputePolicy'), accessScope: { type: 'cluster' } },
        ],
      },
    ],
  },
  awsAuth: {
    mapRoles: `- rolearn: ${ROLE('admin')}\n  username: admin\n  groups: [system:masters]\n- rolearn: ${ROLE('ops')}\n  username: "ops:{{SessionName}}"\n`,
    mapAccounts: '- "444455556666"\n',
  },
  rbac: pkg.parseRbac(RBAC_YAML),
};

describe('SPEC 4.9 ACCESS_POLICIES', () => {
  it('every policy by name: documented rules with their source page and date, or documented: false', () => {
    const policies = Object.values(pkg.ACCESS_POLICIES);
    expect(policies.length).toBeGreaterThanOrEqual(7);
    for (const policy of policies) {
      expect(pkg.ACCESS_POLICIES[policy.name]).toBe(policy);
      expect(policy.source.url).toMatch(/^https:\/\//);
      expect(policy.source.updated ?? policy.source.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (policy.documented) expect(policy.rules.length).toBeGreaterThan(0);
    }
    for (const name of [
      'AmazonEKSClusterAdminPolicy',
      'AmazonEKSAdminPolicy',
      'AmazonEKSEditPolicy',
      'AmazonEKSViewPolicy',
    ]) {
      expect(pkg.ACCESS_POLICIES[name]?.documented).toBe(true);
    }
    expect(pkg.ACCESS_POLICIES['AmazonEKSAutoNodePolicy']?.documented).toBe(false);
  });
});

describe('SPEC 4.9 parseRbac', () => {
  it("the result is frozen; Kubernetes' default roles and bindings are included for the default version", () => {
    const rbac = pkg.parseRbac(RBAC_YAML);
    expect(Object.isFrozen(rbac)).toBe(true);
    expect(rbac.bootstrap?.kubernetesVersion).toBe(pkg.DEFAULT_RBAC_KUBERNETES_VERSION);
    expect(pkg.RBAC_KUBERNETES_VERSIONS).toContain(pkg.DEFAULT_RBAC_KUBERNETES_VERSION);
    const names = new Set(rbac.clusterRoles.map((r) => r.name));
    for (const name of [
      'cluster-admin',
      'admin',
      'edit',
      'view',
      'system:basic-user',
      'system:discovery',
      'system:public-info-viewer',
    ]) {
      expect(names.has(name), name).toBe(true);
    }
    expect(rbac.clusterRoleBindings.some((b) => b.name === 'system:discovery')).toBe(true);
  });

  it('bootstrap: false adds no defaults; an unknown kubernetesVersion is a TypeError', () => {
    const rbac = pkg.parseRbac(RBAC_YAML, { bootstrap: false });
    expect(rbac.clusterRoles).toEqual([]);
    expect(rbac.roleBindings.map((b) => b.name)).toEqual(['devs-edit']);
    expect(() => pkg.parseRbac('', { kubernetesVersion: '0.1' })).toThrow(TypeError);
    for (const version of pkg.RBAC_KUBERNETES_VERSIONS) {
      expect(pkg.parseRbac('', { kubernetesVersion: version }).bootstrap?.kubernetesVersion).toBe(
        version,
      );
    }
  });

  it('reads YAML, JSON, kind: List, objects and arrays of them', () => {
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'x' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', name: 'g', apiGroup: 'rbac.authorization.k8s.io' }],
    };
    for (const input of [
      JSON.stringify(binding),
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [binding] }),
      binding,
      [binding],
    ]) {
      expect(
        pkg.parseRbac(input as string, { bootstrap: false }).clusterRoleBindings.map((b) => b.name),
      ).toEqual(['x']);
    }
  });

  it('a subject kind the API server refuses: the binding is dropped with an error at FILE:LINE:COLUMN', () => {
    const rbac = pkg.parseRbac(
      [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRoleBinding',
        'metadata: {name: typo}',
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}',
        'subjects:',
        '- {kind: Usr, name: alice}',
      ].join('\n'),
      { bootstrap: false },
    );
    expect(rbac.clusterRoleBindings).toEqual([]);
    expect(rbac.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'subject-kind-invalid',
        key: 'ClusterRoleBinding',
        field: 'subjects[0].kind',
        line: 1,
        fieldLine: 6,
        column: 10,
      }),
    ]);
  });

  it('a missing apiGroup is defaulted with a note, never a reason to drop', () => {
    const rbac = pkg.parseRbac(
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {kind: ClusterRole, name: view}\nsubjects:\n- {kind: User, name: u}\n',
      { bootstrap: false },
    );
    expect(rbac.clusterRoleBindings).toHaveLength(1);
    expect(rbac.diagnostics.map((d) => [d.severity, d.code, d.field])).toEqual([
      ['info', 'api-group-defaulted', 'roleRef.apiGroup'],
      ['info', 'api-group-defaulted', 'subjects[0].apiGroup'],
      // bootstrap: false, and no "view" in the input.
      ['error', 'role-missing', 'roleRef.name'],
    ]);
  });

  it('input that is not YAML or JSON is ERR_RBAC_INVALID', () => {
    expect(() => pkg.parseRbac('a: [')).toThrow(
      expect.objectContaining({ code: 'ERR_RBAC_INVALID' }),
    );
  });
});

describe('SPEC 4.9 authorize', () => {
  const decide = (arn: string, request: pkg.AuthzRequest): Promise<Decision> =>
    pkg.authorize(arn, request, cluster);

  it('Decision: { decision, identity, reasons, caveats }', async () => {
    const decision = await decide(SESSION('admin', 'x'), 'delete nodes');
    expect(decision).toMatchObject({
      decision: 'allow',
      identity: expect.objectContaining({ username: 'admin', groups: ['system:masters'] }),
      reasons: [{ via: 'privileged-group', group: 'system:masters' }],
      caveats: [],
    });
  });

  it.each([
    [
      'get pods/log -n dev-a',
      { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'dev-a' },
    ],
    [
      'list deployments.apps -n dev-a',
      { verb: 'list', resource: 'deployments', apiGroup: 'apps', namespace: 'dev-a' },
    ],
    [
      'create pods/exec debug-pod -n dev-a',
      {
        verb: 'create',
        resource: 'pods',
        subresource: 'exec',
        name: 'debug-pod',
        namespace: 'dev-a',
      },
    ],
    ['get /healthz', { verb: 'get', nonResourceURL: '/healthz' }],
  ] as const)('request "%s" reads as the object form', async (text, object) => {
    const asText = await decide(SESSION('dev', 's'), text);
    const asObject = await decide(SESSION('dev', 's'), object);
    expect(asText.decision).toBe(asObject.decision);
    expect(asText.reasons).toEqual(asObject.reasons);
  });

  it('RBAC: a RoleBinding to a ClusterRole grants within its namespace; the reason names binding, role and rule', async () => {
    const decision = await decide(SESSION('dev', 's'), 'create deployments.apps -n dev-a');
    expect(decision.decision).toBe('allow');
    expect(decision.reasons[0]).toMatchObject({
      via: 'rbac',
      binding: { kind: 'RoleBinding', namespace: 'dev-a', name: 'devs-edit' },
      role: { kind: 'ClusterRole', name: 'edit' },
      rule: expect.objectContaining({ verbs: expect.arrayContaining(['create']) }),
    });
    expect((await decide(SESSION('dev', 's'), 'create deployments.apps -n prod')).decision).toBe(
      'deny',
    );
  });

  it('access policies within their scope: dev-* style namespaces, never an all-namespaces request', async () => {
    const allowed = await decide(SESSION('dev', 's'), 'get pods -n view-1');
    expect(allowed.decision).toBe('allow');
    expect(allowed.reasons[0]).toMatchObject({
      via: 'access-policy',
      policyArn: POLICY('AmazonEKSViewPolicy'),
      scope: { type: 'namespace', namespaces: ['view-*'] },
    });
    expect((await decide(SESSION('dev', 's'), 'list pods -A')).decision).toBe('deny');
    expect((await decide(SESSION('dev', 's'), 'get nodes')).decision).toBe('deny');
  });

  it('not mapped → deny', async () => {
    expect((await decide(SESSION('nobody', 's'), 'get pods')).decision).toBe('deny');
  });

  it('an undocumented policy is unknown, with the policy named in caveats', async () => {
    const decision = await decide(SESSION('compute', 's'), 'get pods -n x');
    expect(decision.decision).toBe('unknown');
    expect(decision.caveats).toContainEqual(
      expect.objectContaining({ policyArn: POLICY('AmazonEKSComputePolicy') }),
    );
  });

  it('a templated username gets the grant of its rendered name', async () => {
    expect((await decide(SESSION('ops', 'alice'), 'list pods -A')).decision).toBe('allow');
    expect((await decide(SESSION('ops', 'bob'), 'list pods -A')).decision).toBe('deny');
  });

  it('a request on namespaces with a name has that name as its namespace', async () => {
    expect((await decide(SESSION('dev', 's'), 'get namespaces dev-a')).decision).toBe('allow');
  });

  it('a request that is not a request is a TypeError', async () => {
    await expect(decide(SESSION('dev', 's'), 'frobnicate')).rejects.toThrow(TypeError);
    await expect(decide(SESSION('dev', 's'), { verb: 'get' })).rejects.toThrow(TypeError);
  });
});

describe('SPEC 4.9 listPermissions', () => {
  it('{ identity, rules: [{ verbs, apiGroups, resources, resourceNames?, nonResourceURLs?, source }], caveats }', async () => {
    const permissions = await pkg.listPermissions(SESSION('dev', 's'), {
      ...cluster,
      namespace: 'view-1',
    });
    expect(permissions).toMatchObject({
      identity: expect.any(Object),
      rules: expect.any(Array),
      caveats: expect.any(Array),
    });
    for (const rule of permissions.rules) {
      expect(rule).toMatchObject({
        verbs: expect.any(Array),
        source: expect.objectContaining({ via: expect.any(String) }),
      });
    }
    expect(permissions.rules.some((r) => r.source.via === 'access-policy')).toBe(true);
    expect(permissions.rules.some((r) => r.source.via === 'rbac')).toBe(true);
  });
});

describe('SPEC 4.9 whoCan', () => {
  it('{ principals: [{ principalArn | account, decision, reasons, condition? }] }', async () => {
    const { principals } = await pkg.whoCan('list pods -A', cluster);
    const byName = new Map(principals.map((p) => [p.principalArn ?? p.account, p]));
    expect(byName.get(ROLE('admin'))).toMatchObject({
      decision: 'allow',
      reasons: [{ via: 'privileged-group' }],
    });
    expect(byName.get(ROLE('compute'))).toMatchObject({ decision: 'unknown' });
    expect(byName.get(ROLE('ops'))).toMatchObject({
      decision: 'allow',
      condition: expect.objectContaining({
        template: 'ops:{{SessionName}}',
        values: { SessionName: 'alice' },
      }),
    });
    expect(byName.has(ROLE('dev'))).toBe(false);
  });

  it('mapAccounts accounts are principals', async () => {
    const { principals } = await pkg.whoCan('get /healthz', cluster);
    expect(principals).toContainEqual(
      expect.objectContaining({ account: '444455556666', decision: 'allow' }),
    );
  });

  it('aws-auth entries shadowed by an access entry, or under API, are not principals', async () => {
    const shadow = {
      ...cluster,
      awsAuth: {
        mapRoles: `- rolearn: ${ROLE('dev')}\n  username: dev\n  groups: [system:masters]\n`,
      },
    };
    const { principals } = await pkg.whoCan('delete nodes', shadow);
    expect(principals.map((p) => p.principalArn)).not.toContain(ROLE('dev'));
    const api = await pkg.whoCan('delete nodes', { ...cluster, authenticationMode: 'API' });
    expect(api.principals.map((p) => p.principalArn)).not.toContain(ROLE('admin'));
  });
});
