/**
 * Kubernetes' RBAC authorizer tests, restated as this project's table-driven
 * cases: kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/rbac_test.go
 * at 00bdb3fa (`TestAuthorizer`, `TestRuleMatches`). Each upstream request
 * is one row, named after the upstream case and its expectation. Upstream's
 * objects go straight into listers, so these snapshots are built directly
 * (some upstream rules, such as `newRule("*", "*", "*", "*")`, mix resources
 * and non-resource URLs, which only validation refuses).
 */
import { describe, expect, it } from 'vitest';
import { evaluateRbac } from '../../../src/authz/rbac/evaluate.js';
import { ruleAllows } from '../../../src/authz/rbac/match.js';
import type { RbacRequest, RbacRule, Rbac } from '../../../src/authz/rbac/types.js';
import {
  clusterRole,
  clusterRoleBinding,
  csvRule,
  pathRequest,
  resourceRequest,
  roleBinding,
  rule,
  snapshot,
  subjects,
} from './support.js';

/** Upstream's `defaultAttributes{user, groups, verb, resource, subresource, namespace, apiGroup}` (name always ""). */
function attrs(
  user: string,
  groups: string,
  verb: string,
  resource: string,
  subresource: string,
  namespace: string,
  apiGroup: string,
): { user: { username: string; groups: string[] }; request: RbacRequest } {
  return {
    // strings.Split(groups, ","): "" is one empty group, as upstream has it.
    user: { username: user, groups: groups.split(',') },
    request: resourceRequest({ verb, resource, subresource, namespace, apiGroup }),
  };
}

function pathAttrs(
  user: { name?: string; groups?: string[] },
  verb: string,
  path: string,
): { user: { username: string; groups: string[] }; request: RbacRequest } {
  return {
    user: { username: user.name ?? '', groups: user.groups ?? [] },
    request: pathRequest(verb, path),
  };
}

type Attr = ReturnType<typeof attrs>;

interface AuthorizerCase {
  readonly name: string;
  readonly rbac: Rbac;
  readonly shouldPass: readonly Attr[];
  readonly shouldFail: readonly Attr[];
}

const AUTHORIZER_CASES: readonly AuthorizerCase[] = [
  {
    name: 'RoleBinding in ns1 to ClusterRole admin (*,*,*,*) for User:admin and Group:admins',
    rbac: snapshot({
      clusterRoles: [clusterRole('admin', [csvRule('*', '*', '*', '*')])],
      roleBindings: [
        roleBinding('ns1', 'ClusterRole', 'admin', subjects('User:admin', 'Group:admins')),
      ],
    }),
    shouldPass: [
      attrs('admin', '', 'get', 'Pods', '', 'ns1', ''),
      attrs('admin', '', 'watch', 'Pods', '', 'ns1', ''),
      attrs('admin', 'group1', 'watch', 'Foobar', '', 'ns1', ''),
      attrs('joe', 'admins', 'watch', 'Foobar', '', 'ns1', ''),
      attrs('joe', 'group1,admins', 'watch', 'Foobar', '', 'ns1', ''),
    ],
    shouldFail: [
      attrs('admin', '', 'GET', 'Pods', '', 'ns2', ''),
      attrs('admin', '', 'GET', 'Nodes', '', '', ''),
      attrs('admin', 'admins', 'GET', 'Pods', '', 'ns2', ''),
      attrs('admin', 'admins', 'GET', 'Nodes', '', '', ''),
    ],
  },
  {
    name: 'non-resource URLs: exact, any verb, and a prefix',
    rbac: snapshot({
      clusterRoles: [
        clusterRole('non-resource-url-getter', [csvRule('get', '', '', '/apis')]),
        clusterRole('non-resource-url', [csvRule('*', '', '', '/apis')]),
        clusterRole('non-resource-url-prefix', [csvRule('get', '', '', '/apis/*')]),
      ],
      clusterRoleBindings: [
        clusterRoleBinding('non-resource-url-getter', subjects('User:foo', 'Group:bar')),
        clusterRoleBinding('non-resource-url', subjects('User:admin', 'Group:admin')),
        clusterRoleBinding('non-resource-url-prefix', subjects('User:prefixed', 'Group:prefixed')),
      ],
    }),
    shouldPass: [
      pathAttrs({ name: 'foo' }, 'get', '/apis'),
      pathAttrs({ groups: ['bar'] }, 'get', '/apis'),
      pathAttrs({ name: 'admin' }, 'get', '/apis'),
      pathAttrs({ groups: ['admin'] }, 'get', '/apis'),
      pathAttrs({ name: 'admin' }, 'watch', '/apis'),
      pathAttrs({ groups: ['admin'] }, 'watch', '/apis'),
      pathAttrs({ name: 'prefixed' }, 'get', '/apis/v1'),
      pathAttrs({ groups: ['prefixed'] }, 'get', '/apis/v1'),
      pathAttrs({ name: 'prefixed' }, 'get', '/apis/v1/foobar'),
      pathAttrs({ groups: ['prefixed'] }, 'get', '/apis/v1/foorbar'),
    ],
    shouldFail: [
      // wrong verb
      pathAttrs({ name: 'foo' }, 'watch', '/apis'),
      pathAttrs({ groups: ['bar'] }, 'watch', '/apis'),
      // wrong path
      pathAttrs({ name: 'foo' }, 'get', '/api/v1'),
      pathAttrs({ groups: ['bar'] }, 'get', '/api/v1'),
      pathAttrs({ name: 'admin' }, 'get', '/api/v1'),
      pathAttrs({ groups: ['admin'] }, 'get', '/api/v1'),
      // not covered by prefix
      pathAttrs({ name: 'prefixed' }, 'get', '/api/v1'),
      pathAttrs({ groups: ['prefixed'] }, 'get', '/api/v1'),
    ],
  },
  {
    name: 'subresource resolution: a rule on pods does not cover pods/status',
    rbac: snapshot({
      clusterRoles: [clusterRole('admin', [csvRule('*', '*', 'pods', '*')])],
      roleBindings: [
        roleBinding('ns1', 'ClusterRole', 'admin', subjects('User:admin', 'Group:admins')),
      ],
    }),
    shouldPass: [attrs('admin', '', 'get', 'pods', '', 'ns1', '')],
    shouldFail: [attrs('admin', '', 'get', 'pods', 'status', 'ns1', '')],
  },
  {
    name: 'subresource resolution: a rule on pods/status does not cover pods',
    rbac: snapshot({
      clusterRoles: [clusterRole('admin', [csvRule('*', '*', 'pods/status', '*')])],
      roleBindings: [
        roleBinding('ns1', 'ClusterRole', 'admin', subjects('User:admin', 'Group:admins')),
      ],
    }),
    shouldPass: [attrs('admin', '', 'get', 'pods', 'status', 'ns1', '')],
    shouldFail: [attrs('admin', '', 'get', 'pods', '', 'ns1', '')],
  },
];

function describeAttr(a: Attr): string {
  const r = a.request;
  const what =
    r.nonResourceURL === undefined
      ? `${r.verb} ${r.resource}${r.subresource === '' ? '' : `/${r.subresource}`} in "${r.namespace}"`
      : `${r.verb} ${r.nonResourceURL}`;
  return `user "${a.user.username}" groups [${a.user.groups.join(',')}] ${what}`;
}

describe('TestAuthorizer (rbac_test.go at 00bdb3fa)', () => {
  const rows = AUTHORIZER_CASES.flatMap((c) => [
    ...c.shouldPass.map((a) => ({
      name: `${c.name}: allows ${describeAttr(a)}`,
      rbac: c.rbac,
      a,
      allowed: true,
    })),
    ...c.shouldFail.map((a) => ({
      name: `${c.name}: refuses ${describeAttr(a)}`,
      rbac: c.rbac,
      a,
      allowed: false,
    })),
  ]);
  it.each(rows)('$name', ({ rbac, a, allowed }) => {
    const result = evaluateRbac(rbac, a.user, a.request);
    expect(result.allowed).toBe(allowed);
    expect(result.errors).toEqual([]);
  });
});

interface RuleMatchCase {
  readonly name: string;
  readonly rule: RbacRule;
  readonly requests: readonly (readonly [RbacRequest, boolean])[];
}

const r = (verb: string, group: string, resource: string, subresource = ''): RbacRequest =>
  resourceRequest({ verb, apiGroup: group, resource, subresource });

const RULE_MATCH_CASES: readonly RuleMatchCase[] = [
  {
    name: 'star verb, exact match other',
    rule: rule({ verbs: ['*'], apiGroups: ['group1'], resources: ['resource1'] }),
    requests: [
      [r('verb1', 'group1', 'resource1'), true],
      [r('verb1', 'group2', 'resource1'), false],
      [r('verb1', 'group1', 'resource2'), false],
      [r('verb1', 'group2', 'resource2'), false],
      [r('verb2', 'group1', 'resource1'), true],
      [r('verb2', 'group2', 'resource1'), false],
      [r('verb2', 'group1', 'resource2'), false],
      [r('verb2', 'group2', 'resource2'), false],
    ],
  },
  {
    name: 'star group, exact match other',
    rule: rule({ verbs: ['verb1'], apiGroups: ['*'], resources: ['resource1'] }),
    requests: [
      [r('verb1', 'group1', 'resource1'), true],
      [r('verb1', 'group2', 'resource1'), true],
      [r('verb1', 'group1', 'resource2'), false],
      [r('verb1', 'group2', 'resource2'), false],
      [r('verb2', 'group1', 'resource1'), false],
      [r('verb2', 'group2', 'resource1'), false],
      [r('verb2', 'group1', 'resource2'), false],
      [r('verb2', 'group2', 'resource2'), false],
    ],
  },
  {
    name: 'star resource, exact match other',
    rule: rule({ verbs: ['verb1'], apiGroups: ['group1'], resources: ['*'] }),
    requests: [
      [r('verb1', 'group1', 'resource1'), true],
      [r('verb1', 'group2', 'resource1'), false],
      [r('verb1', 'group1', 'resource2'), true],
      [r('verb1', 'group2', 'resource2'), false],
      [r('verb2', 'group1', 'resource1'), false],
      [r('verb2', 'group2', 'resource1'), false],
      [r('verb2', 'group1', 'resource2'), false],
      [r('verb2', 'group2', 'resource2'), false],
    ],
  },
  {
    name: 'tuple expansion',
    rule: rule({
      verbs: ['verb1', 'verb2'],
      apiGroups: ['group1', 'group2'],
      resources: ['resource1', 'resource2'],
    }),
    requests: [
      [r('verb1', 'group1', 'resource1'), true],
      [r('verb1', 'group2', 'resource1'), true],
      [r('verb1', 'group1', 'resource2'), true],
      [r('verb1', 'group2', 'resource2'), true],
      [r('verb2', 'group1', 'resource1'), true],
      [r('verb2', 'group2', 'resource1'), true],
      [r('verb2', 'group1', 'resource2'), true],
      [r('verb2', 'group2', 'resource2'), true],
    ],
  },
  {
    name: 'subresource expansion',
    rule: rule({ verbs: ['*'], apiGroups: ['*'], resources: ['resource1/subresource1'] }),
    requests: [
      [r('verb1', 'group1', 'resource1', 'subresource1'), true],
      [r('verb1', 'group2', 'resource1', 'subresource2'), false],
      [r('verb1', 'group1', 'resource2', 'subresource1'), false],
      [r('verb1', 'group2', 'resource2', 'subresource1'), false],
      [r('verb2', 'group1', 'resource1', 'subresource1'), true],
      [r('verb2', 'group2', 'resource1', 'subresource2'), false],
      [r('verb2', 'group1', 'resource2', 'subresource1'), false],
      [r('verb2', 'group2', 'resource2', 'subresource1'), false],
    ],
  },
  {
    name: 'star nonresource, exact match other',
    rule: rule({ verbs: ['verb1'], nonResourceURLs: ['*'] }),
    requests: [
      [pathRequest('verb1', '/foo'), true],
      [pathRequest('verb1', '/foo/bar'), true],
      [pathRequest('verb1', '/foo/baz'), true],
      [pathRequest('verb1', '/foo/bar/one'), true],
      [pathRequest('verb1', '/foo/baz/one'), true],
      [pathRequest('verb2', '/foo'), false],
      [pathRequest('verb2', '/foo/bar'), false],
      [pathRequest('verb2', '/foo/baz'), false],
      [pathRequest('verb2', '/foo/bar/one'), false],
      [pathRequest('verb2', '/foo/baz/one'), false],
    ],
  },
  {
    name: 'star nonresource subpath',
    rule: rule({ verbs: ['verb1'], nonResourceURLs: ['/foo/*'] }),
    requests: [
      [pathRequest('verb1', '/foo'), false],
      [pathRequest('verb1', '/foo/bar'), true],
      [pathRequest('verb1', '/foo/baz'), true],
      [pathRequest('verb1', '/foo/bar/one'), true],
      [pathRequest('verb1', '/foo/baz/one'), true],
      [pathRequest('verb1', '/notfoo'), false],
      [pathRequest('verb1', '/notfoo/bar'), false],
      [pathRequest('verb1', '/notfoo/baz'), false],
      [pathRequest('verb1', '/notfoo/bar/one'), false],
      [pathRequest('verb1', '/notfoo/baz/one'), false],
    ],
  },
  {
    name: 'star verb, exact nonresource',
    rule: rule({ verbs: ['*'], nonResourceURLs: ['/foo', '/foo/bar/one'] }),
    requests: [
      [pathRequest('verb1', '/foo'), true],
      [pathRequest('verb1', '/foo/bar'), false],
      [pathRequest('verb1', '/foo/baz'), false],
      [pathRequest('verb1', '/foo/bar/one'), true],
      [pathRequest('verb1', '/foo/baz/one'), false],
      [pathRequest('verb2', '/foo'), true],
      [pathRequest('verb2', '/foo/bar'), false],
      [pathRequest('verb2', '/foo/baz'), false],
      [pathRequest('verb2', '/foo/bar/one'), true],
      [pathRequest('verb2', '/foo/baz/one'), false],
    ],
  },
];

function describeRequest(req: RbacRequest): string {
  return req.nonResourceURL === undefined
    ? `${req.verb} ${req.apiGroup}/${req.resource}${req.subresource === '' ? '' : `/${req.subresource}`}`
    : `${req.verb} ${req.nonResourceURL}`;
}

describe('TestRuleMatches (rbac_test.go at 00bdb3fa)', () => {
  const rows = RULE_MATCH_CASES.flatMap((c) =>
    c.requests.map(([request, expected]) => ({
      name: `${c.name}: ${describeRequest(request)} → ${expected ? 'allowed' : 'not allowed'}`,
      rule: c.rule,
      request,
      expected,
    })),
  );
  it.each(rows)('$name', ({ rule: ruleUnderTest, request, expected }) => {
    expect(ruleAllows(ruleUnderTest, request)).toBe(expected);
  });
});
