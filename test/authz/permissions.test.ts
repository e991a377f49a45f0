/**
 * listPermissions: what `kubectl auth can-i --list` shows (RBAC rules of
 * the bindings that apply: pkg/registry/rbac/validation/rule.go `RulesFor`)
 * plus what it cannot: "If you run the `kubectl auth can-i --list` command,
 * you won't see any Kubernetes permissions assigned by access policies"
 * (AWS EKS user guide, "Associate access policies with access entries").
 */
import { describe, expect, it } from 'vitest';
import { ACCESS_POLICIES } from '../../src/access-entries/access-policies.js';
import { listPermissions } from '../../src/authz/permissions.js';
import type { AuthorizeOptions } from '../../src/authz/types.js';
import { binding, role, rule, snapshot } from './rbac-snapshot.js';

const A = '111122223333';
const arn = (name: string): string => `arn:aws:iam::${A}:role/${name}`;
const session = (name: string): string => `arn:aws:sts::${A}:assumed-role/${name}/s`;
const policy = (name: string): string => `arn:aws:eks::aws:cluster-access-policy/${name}`;

const options: AuthorizeOptions = {
  accessEntries: {
    accessEntries: [
      {
        principalArn: arn('Dev'),
        kubernetesGroups: ['devs'],
        accessPolicies: [
          {
            policyArn: policy('AmazonEKSSecretReaderPolicy'),
            accessScope: { type: 'namespace', namespaces: ['dev-*'] },
          },
          {
            policyArn: policy('AmazonEKSComputeClusterPolicy'),
            accessScope: { type: 'cluster' },
          },
        ],
      },
    ],
  },
  rbac: snapshot({
    clusterRoles: [role('pods', [rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] })])],
    roles: [
      role('cm', [rule({ verbs: ['list'], apiGroups: [''], resources: ['configmaps'] })], 'dev-a'),
    ],
    clusterRoleBindings: [binding('devs-pods', 'ClusterRole/pods', ['Group:devs'])],
    roleBindings: [binding('devs-cm', 'cm', ['Group:devs'], 'dev-a')],
  }),
};

describe('listPermissions', () => {
  it('in a namespace: RBAC of cluster and namespace bindings, and the policies whose scope covers it', async () => {
    const p = await listPermissions(session('Dev'), { ...options, namespace: 'dev-a' });
    expect(p.rules.map((r) => [r.source.via, r.resources.join(','), r.verbs.join(',')])).toEqual([
      ['rbac', 'pods', 'get'],
      ['rbac', 'configmaps', 'list'],
      ['access-policy', 'secrets', 'get,list,watch'],
    ]);
    expect(p.caveats.map((c) => c.code)).toEqual(['undocumented-policy']);
    expect(p.identity?.username).toBe(`arn:aws:sts::${A}:assumed-role/Dev/s`);
  });

  it('cluster-wide: no RoleBindings, no namespace-scoped policies', async () => {
    const p = await listPermissions(session('Dev'), options);
    expect(p.namespace).toBe('');
    expect(p.rules.map((r) => r.source.via)).toEqual(['rbac']);
  });

  it('a namespace the scope does not cover gets nothing from the policy', async () => {
    const p = await listPermissions(session('Dev'), { ...options, namespace: 'prod' });
    expect(p.rules.map((r) => r.source.via)).toEqual(['rbac']);
  });

  it('each policy rule comes with the policy and scope it is from', async () => {
    const p = await listPermissions(session('Dev'), { ...options, namespace: 'dev-b' });
    const fromPolicy = p.rules.filter((r) => r.source.via === 'access-policy');
    expect(fromPolicy).toHaveLength(
      ACCESS_POLICIES['AmazonEKSSecretReaderPolicy']?.rules.length ?? -1,
    );
    expect(fromPolicy[0]?.source).toEqual({
      via: 'access-policy',
      policyArn: policy('AmazonEKSSecretReaderPolicy'),
      scope: { type: 'namespace', namespaces: ['dev-*'] },
    });
  });

  // kube-apiserver's privileged-group authorizer (pkg/kubeapiserver/authorizer/config.go
  // at kubernetes/kubernetes@77a8c258, `NewPrivilegedGroups`) allows system:masters before
  // any other, but has no `RulesFor`: `kubectl auth can-i --list` shows only the rules of
  // the cluster-admin binding. These two synthetic rows are this package's addition, so a
  // listing says what the decision does (docs/authorization.md says so).
  it("system:masters lists everything (two synthetic rows, the package's addition)", async () => {
    const p = await listPermissions(session('Root'), {
      awsAuth: `mapRoles: |\n  - rolearn: ${arn('Root')}\n    username: root\n    groups: [system:masters]\n`,
      rbac: snapshot({}),
    });
    expect(p.rules.map((r) => [r.resources, r.nonResourceURLs ?? []])).toEqual([
      [['*'], []],
      [[], ['*']],
    ]);
  });

  it("a node: the list is incomplete, as kube-apiserver says of a node's rules (the Node authorizer's RulesFor)", async () => {
    const p = await listPermissions(`arn:aws:sts::${A}:assumed-role/Nodes/i-0123456789abcdef0`, {
      awsAuth: `mapRoles: |\n  - rolearn: ${arn('Nodes')}\n    username: system:node:{{SessionName}}\n    groups: [system:nodes]\n`,
      rbac: snapshot({}),
      namespace: 'dev',
    });
    expect(p.caveats).toEqual([
      expect.objectContaining({
        code: 'node-authorizer',
        message: expect.stringContaining('no rules list shows those') as unknown,
      }),
    ]);
  });

  it('an unmapped identity has no rules', async () => {
    const p = await listPermissions(session('Nobody'), options);
    expect(p).toMatchObject({ identity: null, rules: [] });
  });

  it('rejects a non-string namespace', async () => {
    await expect(
      listPermissions(session('Dev'), { ...options, namespace: 3 as never }),
    ).rejects.toThrow(TypeError);
  });
});
