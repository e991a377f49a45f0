/**
 * Kubernetes' rule-resolver tests, restated as this project's table-driven
 * cases: kubernetes/kubernetes pkg/registry/rbac/validation/rule_test.go at
 * 00bdb3fa (`TestDefaultRuleResolver`, `TestAppliesTo`). `RulesFor` is
 * `rbacRulesFor` here; `appliesTo` is observed through `evaluateRbac` on a
 * binding to a role that allows everything (a RoleBinding in the case's
 * namespace, or a ClusterRoleBinding when the case has none).
 */
import { describe, expect, it } from 'vitest';
import { evaluateRbac } from '../../../src/authz/rbac/evaluate.js';
import { rbacRulesFor } from '../../../src/authz/rbac/rules.js';
import type { RbacRule, RbacSubject, RbacUser } from '../../../src/authz/rbac/types.js';
import {
  clusterRole,
  clusterRoleBinding,
  resourceRequest,
  role,
  roleBinding,
  rule,
  snapshot,
  subjects,
} from './support.js';

const ruleReadPods = rule({ verbs: ['GET', 'WATCH'], apiGroups: ['v1'], resources: ['pods'] });
const ruleReadServices = rule({
  verbs: ['GET', 'WATCH'],
  apiGroups: ['v1'],
  resources: ['services'],
});
const ruleWriteNodes = rule({
  verbs: ['PUT', 'CREATE', 'UPDATE'],
  apiGroups: ['v1'],
  resources: ['nodes'],
});
const ruleAdmin = rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });

const staticRoles1 = snapshot({
  roles: [role('namespace1', 'readthings', [ruleReadPods, ruleReadServices])],
  clusterRoles: [
    clusterRole('cluster-admin', [ruleAdmin]),
    clusterRole('write-nodes', [ruleWriteNodes]),
  ],
  roleBindings: [
    roleBinding('namespace1', 'Role', 'readthings', subjects('User:foobar', 'Group:group1'), ''),
  ],
  clusterRoleBindings: [
    clusterRoleBinding('cluster-admin', subjects('User:admin', 'Group:admin'), ''),
  ],
});

const key = (r: RbacRule): string => JSON.stringify(r);

describe('TestDefaultRuleResolver (rule_test.go at 00bdb3fa)', () => {
  it.each([
    {
      name: 'foobar in namespace1 gets the Role of its RoleBinding',
      user: { username: 'foobar', groups: [] },
      namespace: 'namespace1',
      effective: [ruleReadPods, ruleReadServices],
    },
    {
      name: 'foobar in namespace2 gets nothing',
      user: { username: 'foobar', groups: [] },
      namespace: 'namespace2',
      effective: [],
    },
    {
      name: 'without a namespace only cluster rules apply (group admin)',
      user: { username: 'foobar', groups: ['admin'] },
      namespace: '',
      effective: [ruleAdmin],
    },
    {
      name: 'an empty user gets nothing',
      user: { username: '', groups: [] },
      namespace: '',
      effective: [],
    },
  ] as { name: string; user: RbacUser; namespace: string; effective: RbacRule[] }[])(
    '$name',
    ({ user, namespace, effective }) => {
      const got = rbacRulesFor(staticRoles1, user, namespace);
      expect(got.errors).toEqual([]);
      // Upstream sorts both sides by a hash before comparing: order is not the point.
      expect(got.rules.map((g) => key(g.rule)).sort()).toEqual(effective.map(key).sort());
    },
  );
});

const allowAll = clusterRole('all', [ruleAdmin]);
const sa = (namespace: string, name: string): RbacSubject => ({
  kind: 'ServiceAccount',
  name,
  namespace,
  apiGroup: '',
});

describe('TestAppliesTo (rule_test.go at 00bdb3fa)', () => {
  it.each([
    {
      testCase: 'single subject that matches username',
      subjects: subjects('User:foobar'),
      user: { username: 'foobar', groups: [] },
      namespace: '',
      appliesTo: true,
    },
    {
      testCase: 'multiple subjects, one that matches username',
      subjects: subjects('User:barfoo', 'User:foobar'),
      user: { username: 'foobar', groups: [] },
      namespace: '',
      appliesTo: true,
    },
    {
      testCase: 'multiple subjects, none that match username',
      subjects: subjects('User:barfoo', 'User:foobar'),
      user: { username: 'zimzam', groups: [] },
      namespace: '',
      appliesTo: false,
    },
    {
      testCase: 'multiple subjects, one that match group',
      subjects: subjects('User:barfoo', 'Group:foobar'),
      user: { username: 'zimzam', groups: ['foobar'] },
      namespace: '',
      appliesTo: true,
    },
    {
      testCase: 'multiple subjects, one that match group, should ignore namespace',
      subjects: subjects('User:barfoo', 'Group:foobar'),
      user: { username: 'zimzam', groups: ['foobar'] },
      namespace: 'namespace1',
      appliesTo: true,
    },
    {
      testCase: 'multiple subjects with a service account that matches',
      subjects: [...subjects('User:barfoo', 'Group:foobar'), sa('kube-system', 'default')],
      user: { username: 'system:serviceaccount:kube-system:default', groups: [] },
      namespace: 'default',
      appliesTo: true,
    },
    {
      testCase: "* user subject name doesn't match all users",
      subjects: subjects('User:*'),
      user: { username: 'foobar', groups: [] },
      namespace: 'default',
      appliesTo: false,
    },
    {
      testCase:
        'binding to all authenticated and unauthenticated subjects matches authenticated user',
      subjects: subjects('Group:system:authenticated', 'Group:system:unauthenticated'),
      user: { username: 'foobar', groups: ['system:authenticated'] },
      namespace: 'default',
      appliesTo: true,
    },
    {
      testCase: 'binding to all authenticated and unauthenticated subjects matches anonymous user',
      subjects: subjects('Group:system:authenticated', 'Group:system:unauthenticated'),
      user: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
      namespace: 'default',
      appliesTo: true,
    },
  ] as {
    testCase: string;
    subjects: RbacSubject[];
    user: RbacUser;
    namespace: string;
    appliesTo: boolean;
  }[])('$testCase', ({ subjects: subs, user, namespace, appliesTo }) => {
    const rbac =
      namespace === ''
        ? snapshot({
            clusterRoles: [allowAll],
            clusterRoleBindings: [clusterRoleBinding('all', subs)],
          })
        : snapshot({
            clusterRoles: [allowAll],
            roleBindings: [roleBinding(namespace, 'ClusterRole', 'all', subs)],
          });
    const request = resourceRequest({ verb: 'get', resource: 'pods', namespace });
    expect(evaluateRbac(rbac, user, request).allowed).toBe(appliesTo);
  });
});
