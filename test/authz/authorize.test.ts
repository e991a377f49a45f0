/**
 * authorize: decisions as an EKS API server makes them. Facts, with where
 * they come from:
 * - access policy scopes: "You can use wildcard characters for a namespace
 *   name ... `dev-*`" (AWS EKS user guide, "Associate access policies with
 *   access entries", https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html);
 * - impersonation: "you're forcing the use of Kubernetes RBAC authorization.
 *   As a result, the IAM principal has no permissions assigned by any access
 *   policies" (same page);
 * - policy rules: the user guide's "Review access policy permissions" tables
 *   (test/fixtures/access-policies/);
 * - `system:masters` first: pkg/kubeapiserver/authorizer/config.go
 *   (`NewPrivilegedGroups(user.SystemPrivilegedGroup)`);
 * - `system:authenticated` added unless `system:authenticated` or
 *   `system:unauthenticated` is already there:
 *   staging/src/k8s.io/apiserver/pkg/authentication/group/authenticated_group_adder.go;
 * - a node is `system:node:<name>` in `system:nodes`: pkg/auth/nodeidentifier/default.go;
 *   the Node authorizer subdivides secrets, configmaps, volumes, pods, … and
 *   otherwise allows what its static rules (the `system:node` ClusterRole)
 *   allow: plugin/pkg/auth/authorizer/node/node_authorizer.go `Authorize`;
 * - the cluster creator under CONFIG_MAP: AWS EKS user guide, "Grant IAM
 *   users and roles access to Kubernetes APIs".
 */
import { describe, expect, it } from 'vitest';
import { authorize } from '../../src/authz/authorize.js';
import type { AuthorizeOptions, AuthzRequest, CaveatCode } from '../../src/authz/types.js';
import { parseAuthenticatorConfig } from '../../src/sources/authenticator-config.js';
import { binding, role, rule, snapshot } from './rbac-snapshot.js';

const ACCOUNT = '111122223333';
const policy = (name: string): string => `arn:aws:eks::aws:cluster-access-policy/${name}`;
const roleArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const session = (name: string, s = 'alice'): string =>
  `arn:aws:sts::${ACCOUNT}:assumed-role/${name}/${s}`;

type Scope = 'cluster' | string[];
const entry = (
  name: string,
  policies: [string, Scope][],
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  principalArn: roleArn(name),
  accessPolicies: policies.map(([p, scope]) => ({
    policyArn: policy(p),
    accessScope:
      scope === 'cluster' ? { type: 'cluster' } : { type: 'namespace', namespaces: scope },
  })),
  ...extra,
});

const rbac = snapshot({
  clusterRoles: [
    role('pod-reader', [rule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] })]),
    role('health', [rule({ verbs: ['get'], nonResourceURLs: ['/healthz'] })]),
  ],
  clusterRoleBindings: [
    binding('devs-read-pods', 'ClusterRole/pod-reader', ['Group:devs']),
    binding('everyone-health', 'ClusterRole/health', ['Group:system:authenticated']),
    binding('dangling', 'ClusterRole/gone', ['Group:devs']),
  ],
  roleBindings: [binding('bob-reads-pods', 'ClusterRole/pod-reader', ['User:bob'], 'dev')],
});

const accessEntries = {
  accessEntries: [
    entry('viewer-dev', [['AmazonEKSViewPolicy', ['dev-*']]]),
    entry('viewer-literal', [['AmazonEKSViewPolicy', ['d*v', '*-prod']]]),
    entry('viewer-any', [['AmazonEKSViewPolicy', ['*']]]),
    entry('admin-ns', [['AmazonEKSClusterAdminPolicy', ['dev']]]),
    entry('admin', [['AmazonEKSClusterAdminPolicy', 'cluster']]),
    entry('adminview', [['AmazonEKSAdminViewPolicy', 'cluster']]),
    entry('auto', [['AmazonEKSComputeClusterPolicy', 'cluster']]),
    entry('made-up', [['AmazonEKSMadeUpPolicy', 'cluster']]),
    entry('auto-dev', [['AmazonEKSComputeClusterPolicy', ['dev']]]),
    entry('both', [
      ['AmazonEKSComputeClusterPolicy', 'cluster'],
      ['AmazonEKSViewPolicy', 'cluster'],
    ]),
    entry('devs', [['AmazonEKSComputeClusterPolicy', 'cluster']], { kubernetesGroups: ['devs'] }),
    entry('bob', [], { username: 'bob' }),
  ],
};

const api: AuthorizeOptions = { accessEntries, authenticationMode: 'API', rbac };

async function decisionOf(
  who: string,
  request: AuthzRequest,
  options: AuthorizeOptions = api,
): Promise<string> {
  return (await authorize(session(who), request, options)).decision;
}

describe('access policy scopes', () => {
  it.each<[string, string, AuthzRequest, 'allow' | 'deny' | 'unknown']>([
    ['dev-* covers dev-team', 'viewer-dev', 'get pods -n dev-team', 'allow'],
    ['dev-* does not cover dev', 'viewer-dev', 'get pods -n dev', 'deny'],
    ['dev-* does not cover prod', 'viewer-dev', 'get pods -n prod', 'deny'],
    // AWS documents only a trailing `*` ("dev-*", access-policies.html above) and says
    // nothing of a `*` elsewhere or alone: reading such a `*` as literal, and a lone `*` as
    // a trailing `*` with no prefix (every namespace), is this project's reading.
    ['a * inside is literal: d*v does not cover dev', 'viewer-literal', 'get pods -n dev', 'deny'],
    [
      'a leading * is literal: *-prod does not cover a-prod',
      'viewer-literal',
      'get pods -n a-prod',
      'deny',
    ],
    ['a lone * covers every namespace', 'viewer-any', 'get pods -n anything', 'allow'],
    ['a lone * does not cover all namespaces at once', 'viewer-any', 'list pods -A', 'deny'],
    [
      'namespace scope never covers an all-namespaces request',
      'viewer-dev',
      'list pods -A',
      'deny',
    ],
    ['namespace scope never covers a cluster-scoped resource', 'admin-ns', 'get nodes', 'deny'],
    ['namespace scope never covers a non-resource URL', 'admin-ns', 'get /metrics', 'deny'],
    ['cluster scope covers a cluster-scoped resource', 'adminview', 'list nodes', 'allow'],
    ['cluster scope covers a non-resource URL', 'admin', 'get /metrics', 'allow'],
    // requestinfo.go (staging/src/k8s.io/apiserver/pkg/endpoints/request/ at
    // kubernetes/kubernetes@01bb682e, `NewRequestInfo`, "URL forms: /namespaces/{namespace}/…"):
    // /api/v1/namespaces/dev-a sets Namespace to "dev-a", resource namespaces, name dev-a.
    ['a namespace object is in its own namespace', 'viewer-dev', 'get namespaces dev-a', 'allow'],
    ['listing namespaces is in none', 'viewer-dev', 'list namespaces', 'deny'],
    ['ViewPolicy has no secrets', 'viewer-any', 'get secrets -n dev', 'deny'],
    ['AdminView has secrets', 'adminview', 'get secrets -n dev', 'allow'],
    ['ViewPolicy has pods/log', 'viewer-any', 'get pods/log -n dev', 'allow'],
    ['ViewPolicy has no pods/exec', 'viewer-any', 'create pods/exec web -n dev', 'deny'],
  ])('%s', async (_name, who, request, expected) => {
    expect(await decisionOf(who, request)).toBe(expected);
  });

  it('names the policy, its scope and the rule', async () => {
    const d = await authorize(session('viewer-dev'), 'list deployments.apps -n dev-a', api);
    expect(d.reasons).toEqual([
      {
        via: 'access-policy',
        policyArn: policy('AmazonEKSViewPolicy'),
        scope: { type: 'namespace', namespaces: ['dev-*'] },
        ruleIndex: 0,
        rule: expect.objectContaining({ apiGroups: ['apps'] }) as unknown,
      },
    ]);
  });
});

describe('undocumented policies and precedence', () => {
  it.each<[string, string, AuthzRequest, 'allow' | 'deny' | 'unknown']>([
    ['an undocumented policy in scope: unknown', 'auto', 'delete nodes x', 'unknown'],
    ['a name AWS does not list counts as undocumented', 'made-up', 'get pods -n dev', 'unknown'],
    ['an undocumented policy out of scope: deny', 'auto-dev', 'get pods -n prod', 'deny'],
    ['a documented policy wins over an undocumented one', 'both', 'get pods -n dev', 'allow'],
    ['RBAC wins over an undocumented policy', 'devs', 'get pods -n dev', 'allow'],
    ['neither allows, the undocumented one might', 'both', 'delete pods x -n dev', 'unknown'],
  ])('%s', async (_name, who, request, expected) => {
    expect(await decisionOf(who, request)).toBe(expected);
  });

  it('unknown names the policy in a caveat, and gives no reason', async () => {
    const d = await authorize(session('auto'), 'delete nodes x', api);
    expect(d.reasons).toEqual([]);
    expect(d.caveats).toContainEqual(
      expect.objectContaining({
        code: 'undocumented-policy',
        policyArn: policy('AmazonEKSComputeClusterPolicy'),
      }),
    );
  });

  it('an allow by RBAC lists the RBAC grant first, then each policy that also allows', async () => {
    const d = await authorize(session('devs'), 'get pods -n dev', {
      ...api,
      accessEntries: {
        accessEntries: [
          entry('devs', [['AmazonEKSViewPolicy', 'cluster']], { kubernetesGroups: ['devs'] }),
        ],
      },
    });
    expect(d.reasons.map((r) => r.via)).toEqual(['rbac', 'access-policy']);
    expect(d.reasons[0]).toMatchObject({
      binding: { kind: 'ClusterRoleBinding', name: 'devs-read-pods' },
      role: { kind: 'ClusterRole', name: 'pod-reader' },
      subject: { kind: 'Group', name: 'devs' },
    });
  });
});

/**
 * The real request, not a review of it: kube-apiserver reads the attributes
 * from the URL (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go,
 * `NewRequestInfo`): a create POSTs to the collection and carries no name,
 * so a `resourceNames` rule never allows it (pkg/apis/rbac/v1/evaluation_helpers.go
 * `ResourceNameMatches`: an empty name never matches a non-empty list); a
 * path under `/api/v1/` with a resource is a resource request, never matched
 * by a `nonResourceURLs: [/api/*]` rule such as `system:discovery`'s.
 */
describe('the real request, as kube-apiserver reads it', () => {
  const named = snapshot({
    clusterRoles: [
      role('named', [
        rule({
          verbs: ['create', 'get', 'list'],
          apiGroups: [''],
          resources: ['configmaps', 'namespaces'],
          resourceNames: ['cfg'],
        }),
      ]),
      role('discovery', [rule({ verbs: ['get'], nonResourceURLs: ['/api', '/api/*'] })]),
      role('impersonator', [
        rule({ verbs: ['impersonate'], apiGroups: [''], resources: ['users'] }),
      ]),
    ],
    clusterRoleBindings: [
      binding('bob-named', 'ClusterRole/named', ['User:bob']),
      binding('discovery', 'ClusterRole/discovery', ['Group:system:authenticated']),
    ],
    // Impersonation is checked without a namespace (impersonation.go): a
    // RoleBinding in default never lets anyone impersonate.
    roleBindings: [
      binding('bob-impersonates', 'ClusterRole/impersonator', ['User:bob'], 'default'),
    ],
  });
  const options: AuthorizeOptions = { ...api, rbac: named };

  it.each<[string, AuthzRequest, 'allow' | 'deny']>([
    ['get of the named object: allowed', 'get configmaps cfg -n dev', 'allow'],
    ['a list of the named object (fieldSelector): allowed', 'list configmaps cfg -n dev', 'allow'],
    [
      'a create names no object: never allowed by resourceNames',
      'create configmaps cfg -n dev',
      'deny',
    ],
    ['create namespaces NAME: no name, not in itself', 'create namespaces cfg', 'deny'],
    ['discovery paths are non-resource: allowed', 'get /api/v1', 'allow'],
    [
      'a resource path is not a non-resource URL: /api/* does not allow reading secrets',
      'get /api/v1/namespaces/prod/secrets',
      'deny',
    ],
    [
      'a resource path is the resource request',
      'get /api/v1/namespaces/dev/configmaps/cfg',
      'allow',
    ],
    ['impersonating a user is asked in no namespace', 'impersonate users alice', 'deny'],
  ])('%s', async (_name, request, expected) => {
    expect((await authorize(session('bob'), request, options)).decision).toBe(expected);
  });
});

describe('identity and RBAC', () => {
  it('a RoleBinding grants in its namespace only', async () => {
    expect(await decisionOf('bob', 'get pods -n dev')).toBe('allow');
    expect(await decisionOf('bob', 'get pods -n prod')).toBe('deny');
  });

  it('system:authenticated is added, so a binding to it applies to every mapped caller', async () => {
    const d = await authorize(session('bob'), 'get /healthz', api);
    expect(d.decision).toBe('allow');
    expect(d.identity?.effectiveGroups).toEqual(['system:authenticated']);
  });

  it('an unmapped caller is denied (EKS answers 401), even for what every user may do', async () => {
    const d = await authorize(session('nobody'), 'get /healthz', api);
    expect(d).toMatchObject({ decision: 'deny', identity: null, reasons: [] });
  });

  it('system:unauthenticated in the groups keeps system:authenticated out', async () => {
    const d = await authorize(session('odd'), 'get /healthz', {
      awsAuth: `mapRoles: |\n  - rolearn: ${roleArn('odd')}\n    username: odd\n    groups: [system:unauthenticated]\n`,
      rbac,
    });
    expect(d.identity?.effectiveGroups).toEqual(['system:unauthenticated']);
    expect(d.decision).toBe('deny');
  });

  it('system:masters is allowed everything, before any authorizer', async () => {
    const d = await authorize(session('admin'), 'delete clusterrolebindings x', {
      awsAuth: `mapRoles: |\n  - rolearn: ${roleArn('admin')}\n    username: admin\n    groups: [system:masters]\n`,
      rbac,
    });
    expect(d).toMatchObject({
      decision: 'allow',
      reasons: [{ via: 'privileged-group', group: 'system:masters' }],
    });
  });

  it('a binding to a missing role grants nothing and is a caveat on a denial', async () => {
    const d = await authorize(session('devs'), 'delete pods x -n dev', {
      ...api,
      accessEntries: { accessEntries: [entry('devs', [], { kubernetesGroups: ['devs'] })] },
    });
    expect(d.decision).toBe('deny');
    expect(d.caveats).toContainEqual(
      expect.objectContaining({
        code: 'rbac-error',
        message: expect.stringContaining('"gone" not found') as unknown,
      }),
    );
  });
});

describe('<<Name>> spellings stay literal, as EKS reads them (SPEC 4.3)', () => {
  const awsAuth = `mapRoles: |\n  - rolearn: ${roleArn('angles')}\n    username: dev:<<SessionName>>\n`;
  const angles = snapshot({
    clusterRoles: [role('r', [rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] })])],
    clusterRoleBindings: [binding('b', 'ClusterRole/r', ['User:dev:alice'])],
  });

  it('the username is "dev:<<SessionName>>" for every session, so dev:alice is not reached', async () => {
    const d = await authorize(session('angles'), 'get pods -n x', { awsAuth, rbac: angles });
    expect(d.identity?.username).toBe('dev:<<SessionName>>');
    expect(d.decision).toBe('deny');
  });

  it('angleBracketTemplates: true substitutes them, as mapIdentity does by default', async () => {
    const d = await authorize(session('angles'), 'get pods -n x', {
      awsAuth,
      rbac: angles,
      angleBracketTemplates: true,
    });
    expect(d.decision).toBe('allow');
  });
});

describe('caveats', () => {
  const codes = async (
    who: string,
    request: AuthzRequest,
    options: AuthorizeOptions,
  ): Promise<[string, CaveatCode[]]> => {
    const d = await authorize(session(who, 'i-0123456789abcdef0'), request, options);
    return [d.decision, d.caveats.map((c) => c.code)];
  };

  it('a node: unknown when nothing else allows, with the Node authorizer named', async () => {
    const options: AuthorizeOptions = {
      awsAuth: `mapRoles: |\n  - rolearn: ${roleArn('nodes')}\n    username: system:node:{{EC2PrivateDNSName}}\n    groups: [system:bootstrappers, system:nodes]\n`,
      rbac,
      resolveEC2PrivateDNSName: () => 'ip-10-0-0-1.ec2.internal',
    };
    expect(await codes('nodes', 'get secrets db -n dev', options)).toEqual([
      'unknown',
      ['node-authorizer', 'cluster-creator'],
    ]);
    // RBAC still allows what it allows.
    expect((await codes('nodes', 'get /healthz', options))[0]).toBe('allow');
    // What the static node rules (the system:node ClusterRole) allow, the Node authorizer allows.
    const services = await authorize(
      session('nodes', 'i-0123456789abcdef0'),
      'list services -A',
      options,
    );
    expect(services.decision).toBe('allow');
    expect(services.reasons[0]).toMatchObject({
      via: 'node-authorizer',
      rule: { resources: ['services'] },
    });
    // Beyond them and the resources it subdivides, the Node authorizer has no opinion.
    expect(await codes('nodes', 'create clusterrolebindings', options)).toEqual([
      'deny',
      ['cluster-creator'],
    ]);
  });

  it('a node username without system:nodes is not a node', async () => {
    const options: AuthorizeOptions = {
      awsAuth: `mapRoles: |\n  - rolearn: ${roleArn('fake')}\n    username: system:node:x\n`,
      rbac,
    };
    expect((await codes('fake', 'get secrets db -n dev', options))[0]).toBe('deny');
  });

  it('CONFIG_MAP: an unmapped caller may still be the hidden cluster creator', async () => {
    expect(
      await codes('nobody', 'get pods -n dev', {
        awsAuth: 'mapRoles: ""\n',
        rbac,
        authenticationMode: 'CONFIG_MAP',
      }),
    ).toEqual(['deny', ['cluster-creator']]);
    expect(await codes('nobody', 'get pods -n dev', api)).toEqual(['deny', []]);
  });

  it('an allow through an access policy warns that impersonation drops it', async () => {
    expect(await codes('admin', 'get pods -n dev', api)).toEqual(['allow', ['impersonation']]);
    expect(await codes('bob', 'get pods -n dev', api)).toEqual(['allow', []]);
  });

  it("the Go authenticator's sources: other authorizers may run", async () => {
    const config = parseAuthenticatorConfig(
      `server:\n  mapRoles:\n  - roleARN: ${roleArn('ops')}\n    username: ops\n`,
    );
    expect(await codes('ops', 'get pods -n dev', { awsAuth: [config], rbac })).toEqual([
      'deny',
      ['cluster-creator', 'webhook-authorizer'],
    ]);
  });

  it('without RBAC objects, says only the defaults were evaluated', async () => {
    const { rbac: _rbac, ...noRbac } = api;
    expect(await codes('admin', 'get /healthz', noRbac)).toEqual([
      'allow',
      ['rbac-defaults-only', 'impersonation'],
    ]);
  });
});

describe('inputs', () => {
  it('rejects a bad request with a TypeError, before resolving', async () => {
    await expect(authorize(session('admin'), 'get', api)).rejects.toThrow(TypeError);
  });

  it('rejects bad options with a TypeError', async () => {
    await expect(authorize(session('admin'), 'get pods', null as never)).rejects.toThrow(TypeError);
  });

  it('the request as evaluated is part of the answer', async () => {
    const d = await authorize(session('admin'), 'get deploy web -n dev', api);
    expect(d.request).toMatchObject({ apiGroup: 'apps', resource: 'deployments', name: 'web' });
  });
});
