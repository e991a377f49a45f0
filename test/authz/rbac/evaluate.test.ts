/**
 * evaluateRbac, rbacRulesFor and rbacSubjectsGranted beyond the upstream
 * tables: the visiting order, RoleBindings to ClusterRoles, missing roles,
 * service-account subjects, the grant named, the index (no scan), and
 * properties checked against a plain scan of every binding. Facts from
 * kubernetes/kubernetes pkg/registry/rbac/validation/rule.go at 05c351a9
 * (`VisitRulesFor`, `appliesTo`, `GetRoleReferenceRules`) and
 * plugin/pkg/auth/authorizer/rbac/rbac.go at 01aa0f3f (`Authorize`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRbac } from '../../../src/authz/rbac/evaluate.js';
import { ruleAllows } from '../../../src/authz/rbac/match.js';
import { rbacRulesFor } from '../../../src/authz/rbac/rules.js';
import { rbacSubjectsGranted } from '../../../src/authz/rbac/subjects.js';
import type { RbacSubjectName } from '../../../src/authz/rbac/subjects.js';
import type {
  Rbac,
  RbacBinding,
  RbacRequest,
  RbacRole,
  RbacUser,
} from '../../../src/authz/rbac/types.js';
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

const readPods = rule({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] });
const readSecrets = rule({ verbs: ['get'], apiGroups: [''], resources: ['secrets'] });
const alice: RbacUser = { username: 'alice', groups: ['dev', 'system:authenticated'] };
const getPod = (namespace: string): RbacRequest =>
  resourceRequest({ verb: 'get', resource: 'pods', namespace, name: 'web' });

describe('visiting order and the grant named', () => {
  const rbac = snapshot({
    clusterRoles: [clusterRole('pod-reader', [readSecrets, readPods])],
    roles: [role('dev', 'local-reader', [readPods])],
    clusterRoleBindings: [
      clusterRoleBinding(
        'pod-reader',
        subjects('Group:nobody', 'Group:dev', 'User:alice'),
        'everyone-reads',
      ),
    ],
    roleBindings: [roleBinding('dev', 'Role', 'local-reader', subjects('User:alice'), 'local')],
  });

  it('a ClusterRoleBinding is visited before the namespace RoleBindings (rule.go VisitRulesFor)', () => {
    const r = evaluateRbac(rbac, alice, getPod('dev'));
    expect(r).toEqual({
      allowed: true,
      errors: [],
      grant: {
        binding: { kind: 'ClusterRoleBinding', name: 'everyone-reads' },
        role: { kind: 'ClusterRole', name: 'pod-reader' },
        // appliesTo returns the first subject that applies: Group:dev, not User:alice.
        subject: { kind: 'Group', name: 'dev', apiGroup: 'rbac.authorization.k8s.io' },
        ruleIndex: 1,
        rule: readPods,
      },
    });
  });

  it('rbacRulesFor lists cluster rules, then the namespace rules, each once per binding', () => {
    const { rules, errors } = rbacRulesFor(rbac, alice, 'dev');
    expect(errors).toEqual([]);
    expect(rules.map((g) => `${g.binding.name}:${g.role.name}#${g.ruleIndex}`)).toEqual([
      'everyone-reads:pod-reader#0',
      'everyone-reads:pod-reader#1',
      'local:local-reader#0',
    ]);
    expect(rbacRulesFor(rbac, alice).rules).toHaveLength(2);
  });
});

describe('RoleBindings', () => {
  const rbac = snapshot({
    clusterRoles: [clusterRole('view', [readPods])],
    roles: [role('dev', 'reader', [readSecrets]), role('prod', 'reader', [readPods])],
    roleBindings: [
      roleBinding('dev', 'ClusterRole', 'view', subjects('User:alice'), 'view-in-dev'),
      roleBinding('dev', 'Role', 'reader', subjects('User:alice'), 'reader-in-dev'),
    ],
  });

  it.each([
    ['a RoleBinding to a ClusterRole grants it in its namespace', getPod('dev'), true],
    ['… and nowhere else', getPod('prod'), false],
    ['… and not cluster-wide (no namespace: RoleBindings are not visited)', getPod(''), false],
    [
      'a RoleBinding to a Role takes the Role of its own namespace (dev reader: secrets)',
      resourceRequest({ verb: 'get', resource: 'secrets', namespace: 'dev' }),
      true,
    ],
  ] as const)('%s', (_, request, allowed) => {
    expect(evaluateRbac(rbac, alice, request).allowed).toBe(allowed);
  });
});

describe('a binding to a missing role is an error, never a grant', () => {
  const rbac = snapshot({
    clusterRoles: [clusterRole('pod-reader', [readPods])],
    clusterRoleBindings: [
      clusterRoleBinding('gone', subjects('User:alice'), 'to-gone'),
      clusterRoleBinding('also-gone', subjects('User:bob'), 'bobs'),
    ],
    roleBindings: [
      roleBinding('dev', 'Role', 'missing', subjects('User:alice'), 'to-missing-role'),
      roleBinding('dev', 'ClusterRole', 'pod-reader', subjects('User:alice'), 'reads'),
    ],
  });

  it('denied, with the error kube-apiserver reports (only for bindings that apply to the user)', () => {
    expect(
      evaluateRbac(
        rbac,
        alice,
        resourceRequest({ verb: 'delete', resource: 'pods', namespace: 'dev' }),
      ),
    ).toEqual({
      allowed: false,
      errors: [
        'clusterrole.rbac.authorization.k8s.io "gone" not found',
        'role.rbac.authorization.k8s.io "missing" not found',
      ],
    });
  });

  it('a later binding still allows; the errors met before it are kept', () => {
    const r = evaluateRbac(rbac, alice, getPod('dev'));
    expect(r.allowed).toBe(true);
    expect(r.grant?.binding.name).toBe('reads');
    expect(r.errors).toHaveLength(2);
  });

  it('rbacRulesFor reports the errors beside the rules it could resolve', () => {
    const r = rbacRulesFor(rbac, alice, 'dev');
    expect(r.rules.map((g) => g.binding.name)).toEqual(['reads']);
    expect(r.errors).toHaveLength(2);
  });

  it('rbacSubjectsGranted lists no one for a missing role, and reports its subjects with the error', () => {
    const { grants, errors } = rbacSubjectsGranted(
      rbac,
      resourceRequest({ verb: 'delete', resource: 'pods', namespace: 'dev' }),
    );
    expect(grants).toEqual([]);
    // Each subject's error, in RBAC's order: alice's are the ones evaluateRbac reports to her.
    expect(errors.map((e) => [e.subject.matches, e.order, e.error])).toEqual([
      ['alice', 0, 'clusterrole.rbac.authorization.k8s.io "gone" not found'],
      ['bob', 1, 'clusterrole.rbac.authorization.k8s.io "also-gone" not found'],
      ['alice', 2, 'role.rbac.authorization.k8s.io "missing" not found'],
    ]);
    expect(errors.filter((e) => e.subject.matches === 'alice').map((e) => e.error)).toEqual(
      evaluateRbac(rbac, alice, getPod('dev')).errors,
    );
  });
});

describe('service-account subjects (appliesToUser)', () => {
  const sa = (name: string, namespace?: string): RbacBinding['subjects'][number] => ({
    kind: 'ServiceAccount',
    name,
    ...(namespace === undefined ? {} : { namespace }),
    apiGroup: '',
  });
  const rbac = snapshot({
    clusterRoles: [clusterRole('pod-reader', [readPods])],
    clusterRoleBindings: [clusterRoleBinding('pod-reader', [sa('ci')], 'sa-without-namespace')],
    roleBindings: [roleBinding('dev', 'ClusterRole', 'pod-reader', [sa('deployer')], 'local-sa')],
  });
  const as = (username: string): RbacUser => ({ username, groups: ['system:serviceaccounts'] });

  it.each([
    [
      'a RoleBinding ServiceAccount without a namespace is of the binding namespace',
      'system:serviceaccount:dev:deployer',
      'dev',
      true,
    ],
    ['… not of another namespace', 'system:serviceaccount:prod:deployer', 'dev', false],
    [
      'a ClusterRoleBinding ServiceAccount without a namespace matches no one',
      'system:serviceaccount::ci',
      'dev',
      false,
    ],
  ] as const)('%s', (_, username, namespace, allowed) => {
    expect(evaluateRbac(rbac, as(username), getPod(namespace)).allowed).toBe(allowed);
  });

  it('rbacSubjectsGranted gives the account its namespace and leaves the unmatched one out', () => {
    expect(rbacSubjectsGranted(rbac, getPod('dev')).grants.map((e) => e.subject)).toEqual([
      {
        kind: 'ServiceAccount',
        name: 'deployer',
        namespace: 'dev',
        matches: 'system:serviceaccount:dev:deployer',
      },
    ]);
  });
});

describe('rbacSubjectsGranted', () => {
  const rbac = snapshot({
    clusterRoles: [
      clusterRole('pod-reader', [readSecrets, readPods]),
      clusterRole('secrets', [readSecrets]),
    ],
    clusterRoleBindings: [
      clusterRoleBinding('pod-reader', subjects('Group:dev', 'User:alice'), 'readers'),
      clusterRoleBinding('secrets', subjects('User:mallory'), 'secret-readers'),
    ],
    roleBindings: [
      roleBinding('dev', 'ClusterRole', 'pod-reader', subjects('User:bob'), 'bob-dev'),
      roleBinding('prod', 'ClusterRole', 'pod-reader', subjects('User:carol'), 'carol-prod'),
    ],
  });

  it('every subject of every binding that allows, cluster bindings first, in order', () => {
    const got = rbacSubjectsGranted(rbac, getPod('dev')).grants;
    expect(
      got.map(
        (e) =>
          `${e.subject.kind}:${e.subject.name} via ${e.grant.binding.name}#${e.grant.ruleIndex}`,
      ),
    ).toEqual(['Group:dev via readers#1', 'User:alice via readers#1', 'User:bob via bob-dev#1']);
  });

  it('an all-namespaces request sees cluster bindings only', () => {
    expect(
      rbacSubjectsGranted(rbac, resourceRequest({ verb: 'list', resource: 'pods' })).grants.map(
        (e) => e.subject.name,
      ),
    ).toEqual(['dev', 'alice']);
  });
});

describe('the index: evaluation never scans every binding', () => {
  /** Counts reads of the snapshot's binding lists by position. */
  function counted(rbac: Rbac): { rbac: Rbac; reads: () => number; reset: () => void } {
    let reads = 0;
    const watch = <T extends object>(list: readonly T[]): readonly T[] =>
      new Proxy(list, {
        get(target, prop, receiver) {
          if (typeof prop === 'string' && /^\d+$/.test(prop)) reads += 1;
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
    const wrapped: Rbac = Object.freeze({
      ...rbac,
      clusterRoleBindings: watch(rbac.clusterRoleBindings),
      roleBindings: watch(rbac.roleBindings),
    });
    return { rbac: wrapped, reads: () => reads, reset: () => (reads = 0) };
  }

  const bindings = 10_000;
  const base = snapshot({
    clusterRoles: [clusterRole('pod-reader', [readPods])],
    clusterRoleBindings: Array.from({ length: bindings }, (_, i) =>
      clusterRoleBinding('pod-reader', subjects(`User:user-${i}`, `Group:team-${i}`), `crb-${i}`),
    ),
    roleBindings: Array.from({ length: bindings }, (_, i) =>
      roleBinding(
        `ns-${i % 100}`,
        'ClusterRole',
        'pod-reader',
        subjects(`User:user-${i}`),
        `rb-${i}`,
      ),
    ),
  });

  it('reads only the bindings that name the user (2 of 20,000)', () => {
    const c = counted(base);
    expect(evaluateRbac(c.rbac, { username: 'alice', groups: [] }, getPod('ns-1')).allowed).toBe(
      false,
    ); // builds the index
    c.reset();
    expect(
      evaluateRbac(
        c.rbac,
        { username: 'user-7001', groups: ['team-7001'] },
        resourceRequest({ verb: 'delete', resource: 'pods', namespace: 'ns-1' }),
      ).allowed,
    ).toBe(false);
    expect(c.reads()).toBe(2);
    c.reset();
    expect(
      evaluateRbac(c.rbac, { username: 'nobody', groups: ['no-team'] }, getPod('ns-1')).allowed,
    ).toBe(false);
    expect(c.reads()).toBe(0);
  });
});

// A plain reading of rule.go + rbac.go: scan every binding, appliesTo on each subject.
function scanAllows(rbac: Rbac, user: RbacUser, request: RbacRequest): boolean {
  const applies = (b: RbacBinding, ns: string): boolean =>
    b.subjects.some((s) => {
      if (s.kind === 'User') return s.name === user.username;
      if (s.kind === 'Group') return user.groups.includes(s.name);
      const saNs = s.namespace ?? ns;
      return saNs !== '' && user.username === `system:serviceaccount:${saNs}:${s.name}`;
    });
  const rolesOf = (b: RbacBinding): RbacRole | undefined =>
    b.roleRef.kind === 'ClusterRole'
      ? rbac.clusterRoles.find((r) => r.name === b.roleRef.name)
      : rbac.roles.find((r) => r.name === b.roleRef.name && r.namespace === b.namespace);
  const allowing = (b: RbacBinding, ns: string): boolean =>
    applies(b, ns) && (rolesOf(b)?.rules.some((r) => ruleAllows(r, request)) ?? false);
  return (
    rbac.clusterRoleBindings.some((b) => allowing(b, '')) ||
    (request.namespace !== '' &&
      rbac.roleBindings.some(
        (b) => b.namespace === request.namespace && allowing(b, request.namespace),
      ))
  );
}

describe('properties', () => {
  const word = fc.constantFrom('a', 'b', 'c', '*', '');
  const ruleArb = fc.record({
    verbs: fc.array(fc.constantFrom('get', 'list', '*'), { maxLength: 2 }),
    apiGroups: fc.array(fc.constantFrom('', 'apps', '*'), { maxLength: 2 }),
    resources: fc.array(fc.constantFrom('pods', 'pods/log', '*', '*/log', 'deployments'), {
      maxLength: 2,
    }),
    resourceNames: fc.array(word, { maxLength: 1 }),
    nonResourceURLs: fc.constant([] as string[]),
  });
  const subjectArb = fc.oneof(
    fc.record({
      kind: fc.constant('User' as const),
      name: word,
      apiGroup: fc.constant('rbac.authorization.k8s.io'),
    }),
    fc.record({
      kind: fc.constant('Group' as const),
      name: word,
      apiGroup: fc.constant('rbac.authorization.k8s.io'),
    }),
    fc.record({
      kind: fc.constant('ServiceAccount' as const),
      name: word,
      apiGroup: fc.constant(''),
      namespace: fc.constantFrom('x', 'y'),
    }),
  );
  const rbacArb = fc
    .record({
      roles: fc.array(fc.array(ruleArb, { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
      crbs: fc.array(
        fc.record({ role: fc.nat(3), subjects: fc.array(subjectArb, { maxLength: 3 }) }),
        { maxLength: 4 },
      ),
      rbs: fc.array(
        fc.record({
          ns: fc.constantFrom('x', 'y'),
          cluster: fc.boolean(),
          role: fc.nat(3),
          subjects: fc.array(subjectArb, { maxLength: 3 }),
        }),
        { maxLength: 4 },
      ),
    })
    .map(({ roles, crbs, rbs }) =>
      snapshot({
        clusterRoles: roles.map((rules, i) => clusterRole(`r${i}`, rules)),
        roles: roles.flatMap((rules, i) => [role('x', `r${i}`, rules)]),
        clusterRoleBindings: crbs.map((b, i) =>
          clusterRoleBinding(`r${b.role}`, b.subjects, `c${i}`),
        ),
        roleBindings: rbs.map((b, i) =>
          roleBinding(b.ns, b.cluster ? 'ClusterRole' : 'Role', `r${b.role}`, b.subjects, `b${i}`),
        ),
      }),
    );
  const userArb = fc.record({
    username: fc.oneof(
      word,
      fc.constantFrom('system:serviceaccount:x:a', 'system:serviceaccount:y:b'),
    ),
    groups: fc.array(word, { maxLength: 2 }),
  });
  const requestArb = fc
    .record({
      verb: fc.constantFrom('get', 'list'),
      apiGroup: fc.constantFrom('', 'apps'),
      resource: fc.constantFrom('pods', 'deployments'),
      subresource: fc.constantFrom('', 'log'),
      name: word,
      namespace: fc.constantFrom('', 'x', 'y'),
    })
    .map((r) => resourceRequest(r));

  it('the indexed decision equals a scan of every binding', () => {
    fc.assert(
      fc.property(rbacArb, userArb, requestArb, (rbac, user, request) => {
        const r = evaluateRbac(rbac, user, request);
        expect(r.allowed).toBe(scanAllows(rbac, user, request));
        if (r.grant !== undefined) expect(ruleAllows(r.grant.rule, request)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  const userOf = (subject: RbacSubjectName): RbacUser =>
    subject.kind === 'User'
      ? { username: subject.name, groups: [] }
      : subject.kind === 'Group'
        ? { username: '', groups: [subject.name] }
        : {
            username: `system:serviceaccount:${subject.namespace ?? ''}:${subject.name}`,
            groups: [],
          };

  it('every subject rbacSubjectsGranted lists is allowed when it asks', () => {
    fc.assert(
      fc.property(rbacArb, requestArb, (rbac, request) => {
        for (const { subject } of rbacSubjectsGranted(rbac, request).grants) {
          expect(subject.matches).toBe(
            subject.kind === 'Group' ? subject.name : userOf(subject).username,
          );
          expect(evaluateRbac(rbac, userOf(subject), request).allowed).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every error rbacSubjectsGranted reports for a subject is one evaluateRbac reports when it asks', () => {
    fc.assert(
      fc.property(rbacArb, requestArb, (rbac, request) => {
        for (const { subject, error } of rbacSubjectsGranted(rbac, request).errors) {
          const r = evaluateRbac(rbac, userOf(subject), request);
          if (!r.allowed) expect(r.errors).toContain(error);
        }
      }),
      { numRuns: 300 },
    );
  });
});
