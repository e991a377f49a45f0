/**
 * parseRbac: input shapes, located diagnostics (one row per code), the API
 * server's defaulting and validation, merging, limits and hostile input.
 * Facts: kubernetes/kubernetes pkg/apis/rbac/v1/defaults.go at 7c30c06e
 * (SetDefaults_Subject, SetDefaults_*RoleBinding), pkg/apis/rbac/validation/
 * validation.go at 1dc8b4f2 (ValidatePolicyRule, ValidateRoleBinding,
 * ValidateRoleBindingSubject), and the Go YAML path manifests take
 * (sigs.k8s.io/yaml over go-yaml v2, as src/mapping/go-yaml.ts mirrors it).
 */
import { describe, expect, it } from 'vitest';
import { MAX_AGGREGATED_RULES } from '../../../src/authz/rbac/aggregate.js';
import { evaluateRbac } from '../../../src/authz/rbac/evaluate.js';
import { MAX_RBAC_INPUT_LENGTH, parseRbac } from '../../../src/authz/rbac/parse.js';
import type { RbacDiagnostic, Rbac } from '../../../src/authz/rbac/types.js';
import { RbacError } from '../../../src/errors.js';
import { resourceRequest } from './support.js';

const V1 = 'apiVersion: rbac.authorization.k8s.io/v1';
const own = (text: string | object, options = {}): Rbac =>
  parseRbac(text as string, { bootstrap: false, ...options });
const codes = (r: Rbac): string[] => r.diagnostics.map((d) => `${d.severity}:${d.code}`);

const role = `${V1}
kind: Role
metadata:
  name: pod-reader
  namespace: dev
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list]
`;
const binding = `${V1}
kind: RoleBinding
metadata:
  name: read-pods
  namespace: dev
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: pod-reader
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: alice
`;

describe('input shapes', () => {
  const indent = (text: string): string => `- ${text.trimEnd().replace(/\n/g, '\n  ')}\n`;
  it.each([
    ['multi-document YAML', `---\n${role}---\n${binding}...\n`],
    [
      'a kind: List (kubectl get … -o yaml)',
      `apiVersion: v1\nkind: List\nitems:\n${indent(role)}${indent(binding)}metadata:\n  resourceVersion: ""\n`,
    ],
    [
      'a typed list (RoleBindingList style)',
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleList\nitems:\n${indent(role)}${indent(binding)}`,
    ],
    ['a YAML list', `${indent(role)}${indent(binding)}`],
    [
      'JSON text',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'Role',
            metadata: { name: 'pod-reader', namespace: 'dev' },
            rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
          },
          {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: 'read-pods', namespace: 'dev' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
            subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
          },
        ],
      }),
    ],
  ])('%s', (_, text) => {
    const r = own(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.roles.map((x) => x.name)).toEqual(['pod-reader']);
    expect(r.roleBindings.map((x) => x.name)).toEqual(['read-pods']);
    expect(
      evaluateRbac(
        r,
        { username: 'alice', groups: [] },
        resourceRequest({ verb: 'list', resource: 'pods', namespace: 'dev' }),
      ).allowed,
    ).toBe(true);
  });

  it('objects from a Kubernetes client, and an array of inputs merged in order (input index kept)', () => {
    const r = own([
      role,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'read-pods', namespace: 'dev' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
        subjects: [{ kind: 'Group', name: 'devs' }],
      },
    ] as never);
    expect(r.roleBindings[0]?.source).toEqual({ input: 1, index: 0 });
    expect(r.roles[0]?.source).toEqual({ input: 0, index: 0, line: 1 });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'api-group-defaulted',
        input: 1,
        index: 0,
        field: 'subjects[0].apiGroup',
      }),
    ]);
  });

  it('the result is deeply frozen', () => {
    const r = own(`${role}---\n${binding}`);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.roles[0]?.rules[0]?.verbs)).toBe(true);
    expect(Object.isFrozen(r.roleBindings[0]?.subjects[0])).toBe(true);
  });
});

/** The one diagnostic of a parse (bootstrap off), with its object dropped or kept. */
function only(text: string, options = {}): { d: RbacDiagnostic; r: Rbac } {
  const r = own(text, options);
  // A kept binding to `view` also reports the role missing (bootstrap is off here).
  const ds =
    r.diagnostics.length > 1
      ? r.diagnostics.filter((d) => d.code !== 'role-missing')
      : r.diagnostics;
  expect(ds).toHaveLength(1);
  return { d: ds[0] as RbacDiagnostic, r };
}

const crb = (
  subjectsYaml: string,
  roleRef = 'apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view',
): string =>
  `${V1}\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  ${roleRef}\nsubjects:\n${subjectsYaml}\n`;
const clusterRole = (body: string, meta = ''): string =>
  `${V1}\nkind: ClusterRole\nmetadata:\n  name: r${meta}\n${body}\n`;

describe('diagnostics, one row per rule (the object refused or kept as the API server would)', () => {
  it.each([
    // kinds
    [
      'another kind is skipped with a note',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}`,
      'info',
      'object-skipped',
      'kind',
      undefined,
      0,
    ],
    [
      'a kind that is nearly RBAC is skipped with a suggestion',
      `${V1}\nkind: Clusterrole\nmetadata: {name: x}`,
      'warning',
      'kind-near-miss',
      'kind',
      'ClusterRole',
      0,
    ],
    [
      'rbac v1beta1 was removed in 1.22: refused',
      `apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRole\nmetadata: {name: x}`,
      'error',
      'object-invalid',
      'apiVersion',
      'rbac.authorization.k8s.io/v1',
      0,
    ],
    // subjects (validation.go validateRoleBindingSubject)
    [
      'subject kind user (lower case): the binding is refused, with the fix',
      crb('- kind: user\n  name: bob'),
      'error',
      'subject-kind-invalid',
      'subjects[0].kind',
      'User',
      0,
    ],
    [
      'subject kind Users: refused, with the fix',
      crb('- kind: Users\n  name: bob'),
      'error',
      'subject-kind-invalid',
      'subjects[0].kind',
      'User',
      0,
    ],
    [
      'subject kind serviceaccount: refused, with the fix',
      crb('- kind: serviceaccount\n  name: ci\n  namespace: ci'),
      'error',
      'subject-kind-invalid',
      'subjects[0].kind',
      'ServiceAccount',
      0,
    ],
    [
      'subject kind Role: refused',
      crb('- kind: Role\n  name: bob'),
      'error',
      'subject-kind-invalid',
      'subjects[0].kind',
      undefined,
      0,
    ],
    [
      'a ServiceAccount in a ClusterRoleBinding needs a namespace',
      crb('- kind: ServiceAccount\n  name: ci'),
      'error',
      'object-invalid',
      'subjects[0].namespace',
      undefined,
      0,
    ],
    [
      'a ServiceAccount apiGroup must be empty',
      crb(
        '- kind: ServiceAccount\n  apiGroup: rbac.authorization.k8s.io\n  name: ci\n  namespace: ci',
      ),
      'error',
      'object-invalid',
      'subjects[0].apiGroup',
      '""',
      0,
    ],
    [
      'a User apiGroup must be rbac.authorization.k8s.io',
      crb('- kind: User\n  apiGroup: v1\n  name: bob'),
      'error',
      'object-invalid',
      'subjects[0].apiGroup',
      'rbac.authorization.k8s.io',
      0,
    ],
    [
      'a subject needs a name',
      crb('- kind: Group\n  apiGroup: rbac.authorization.k8s.io'),
      'error',
      'object-invalid',
      'subjects[0].name',
      undefined,
      0,
    ],
    [
      'a ServiceAccount name is a DNS subdomain',
      crb('- kind: ServiceAccount\n  name: CI_Bot\n  namespace: ci'),
      'error',
      'object-invalid',
      'subjects[0].name',
      undefined,
      0,
    ],
    // defaults.go: missing apiGroups are filled in, never a reason to drop
    [
      'a missing roleRef.apiGroup is defaulted (note)',
      crb(
        '- kind: Group\n  apiGroup: rbac.authorization.k8s.io\n  name: devs',
        'kind: ClusterRole\n  name: view',
      ),
      'info',
      'api-group-defaulted',
      'roleRef.apiGroup',
      undefined,
      1,
    ],
    [
      'a missing subject apiGroup is defaulted for a User (note)',
      crb('- kind: User\n  name: bob'),
      'info',
      'api-group-defaulted',
      'subjects[0].apiGroup',
      undefined,
      1,
    ],
    // roleRef (ValidateClusterRoleBinding / ValidateRoleBinding)
    [
      'a ClusterRoleBinding cannot refer to a Role',
      crb(
        '- kind: User\n  apiGroup: rbac.authorization.k8s.io\n  name: bob',
        'apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: view',
      ),
      'error',
      'object-invalid',
      'roleRef.kind',
      undefined,
      0,
    ],
    [
      'roleRef.kind clusterrole: refused, with the fix',
      crb(
        '- kind: User\n  apiGroup: rbac.authorization.k8s.io\n  name: bob',
        'apiGroup: rbac.authorization.k8s.io\n  kind: clusterrole\n  name: view',
      ),
      'error',
      'object-invalid',
      'roleRef.kind',
      'ClusterRole',
      0,
    ],
    [
      'roleRef.apiGroup must be rbac.authorization.k8s.io',
      crb(
        '- kind: User\n  apiGroup: rbac.authorization.k8s.io\n  name: bob',
        'apiGroup: rbac\n  kind: ClusterRole\n  name: view',
      ),
      'error',
      'object-invalid',
      'roleRef.apiGroup',
      'rbac.authorization.k8s.io',
      0,
    ],
    // rules (validatePolicyRule)
    [
      'a rule needs verbs',
      clusterRole('rules:\n- apiGroups: [""]\n  resources: [pods]'),
      'error',
      'object-invalid',
      'rules[0].verbs',
      undefined,
      0,
    ],
    [
      'a resource rule needs apiGroups',
      clusterRole('rules:\n- resources: [pods]\n  verbs: [get]'),
      'error',
      'object-invalid',
      'rules[0].apiGroups',
      'apiGroups: [""]',
      0,
    ],
    [
      'a resource rule needs resources',
      clusterRole('rules:\n- apiGroups: [""]\n  verbs: [get]'),
      'error',
      'object-invalid',
      'rules[0].resources',
      undefined,
      0,
    ],
    [
      'a rule cannot mix resources and non-resource URLs',
      clusterRole(
        'rules:\n- apiGroups: [""]\n  resources: [pods]\n  nonResourceURLs: [/healthz]\n  verbs: [get]',
      ),
      'error',
      'object-invalid',
      'rules[0].nonResourceURLs',
      undefined,
      0,
    ],
    [
      'a Role cannot have non-resource URLs',
      `${V1}\nkind: Role\nmetadata: {name: r, namespace: dev}\nrules:\n- nonResourceURLs: [/healthz]\n  verbs: [get]`,
      'error',
      'object-invalid',
      'rules[0].nonResourceURLs',
      undefined,
      0,
    ],
    // types as Go decodes them (YAML 1.1 scalars through sigs.k8s.io/yaml)
    [
      'verbs: [on] is a boolean in Go YAML: the object is refused',
      clusterRole('rules:\n- apiGroups: [""]\n  resources: [pods]\n  verbs: [get, on]'),
      'error',
      'object-invalid',
      'rules[0].verbs[1]',
      undefined,
      0,
    ],
    [
      'an unquoted label value true is a boolean: refused, quote it',
      clusterRole(
        'rules: []',
        '\n  labels:\n    rbac.authorization.k8s.io/aggregate-to-view: true',
      ),
      'error',
      'object-invalid',
      'metadata.labels.rbac.authorization.k8s.io/aggregate-to-view',
      '"true"',
      0,
    ],
    [
      'rules must be a list',
      clusterRole('rules:\n  verbs: [get]'),
      'error',
      'object-invalid',
      'rules',
      undefined,
      0,
    ],
    // metadata
    [
      'metadata.name is required',
      `${V1}\nkind: ClusterRole\nmetadata:\n  labels: {a: b}\nrules: []`,
      'error',
      'object-invalid',
      'metadata.name',
      undefined,
      0,
    ],
    [
      'a name may not contain /',
      `${V1}\nkind: ClusterRole\nmetadata:\n  name: a/b\nrules: []`,
      'error',
      'object-invalid',
      'metadata.name',
      undefined,
      0,
    ],
    [
      'a namespace is a DNS label',
      `${V1}\nkind: Role\nmetadata:\n  name: r\n  namespace: Dev_Team\nrules: []`,
      'error',
      'object-invalid',
      'metadata.namespace',
      undefined,
      0,
    ],
    [
      'a namespaced object without a namespace goes to the default namespace (note)',
      `${V1}\nkind: Role\nmetadata:\n  name: r\nrules: []`,
      'info',
      'namespace-defaulted',
      'metadata.namespace',
      undefined,
      1,
    ],
    [
      'a namespace on a ClusterRole is ignored (note)',
      `${V1}\nkind: ClusterRole\nmetadata:\n  name: r\n  namespace: dev\nrules: []`,
      'info',
      'namespace-ignored',
      'metadata.namespace',
      undefined,
      1,
    ],
    // unknown fields are pruned, with a suggestion
    [
      'subject: (singular) is pruned: the binding grants no one',
      `${V1}\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubject:\n- {kind: User, apiGroup: rbac.authorization.k8s.io, name: bob}`,
      'warning',
      'unknown-field',
      'subject',
      'subjects',
      1,
    ],
    [
      'Verbs (capital) is pruned: field names are case-sensitive',
      clusterRole(
        'rules:\n- apiGroups: [""]\n  resources: [pods]\n  verbs: [get]\n  ResourceNames: [x]',
      ),
      'warning',
      'unknown-field',
      'rules[0].ResourceNames',
      'resourceNames',
      1,
    ],
    // aggregation selectors (ValidateClusterRole + LabelSelectorAsSelector)
    [
      'an aggregationRule needs a selector',
      clusterRole('aggregationRule:\n  clusterRoleSelectors: []'),
      'error',
      'object-invalid',
      'aggregationRule.clusterRoleSelectors',
      undefined,
      0,
    ],
    [
      'a selector operator must be In, NotIn, Exists or DoesNotExist',
      clusterRole(
        'aggregationRule:\n  clusterRoleSelectors:\n  - matchExpressions:\n    - {key: a, operator: in, values: [b]}',
      ),
      'error',
      'object-invalid',
      'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator',
      'In',
      0,
    ],
    [
      'In needs values',
      clusterRole(
        'aggregationRule:\n  clusterRoleSelectors:\n  - matchExpressions:\n    - {key: a, operator: In}',
      ),
      'error',
      'object-invalid',
      'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values',
      undefined,
      0,
    ],
    [
      'Exists takes no values',
      clusterRole(
        'aggregationRule:\n  clusterRoleSelectors:\n  - matchExpressions:\n    - {key: a, operator: Exists, values: [b]}',
      ),
      'error',
      'object-invalid',
      'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values',
      undefined,
      0,
    ],
    [
      'a selector key must be a label key',
      clusterRole('aggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {"-bad-": x}'),
      'error',
      'object-invalid',
      'aggregationRule.clusterRoleSelectors[0].matchLabels.-bad-',
      undefined,
      0,
    ],
    [
      'a list where an object belongs',
      `- - ${V1}`,
      'error',
      'object-invalid',
      undefined,
      undefined,
      0,
    ],
  ] as const)('%s', (_, text, severity, code, field, fix, kept) => {
    const { d, r } = only(text);
    expect(d).toMatchObject({ severity, code, index: 0, line: 1 });
    expect(d.field).toBe(field);
    expect(d.fix).toBe(fix);
    const objects =
      r.clusterRoles.length + r.roles.length + r.clusterRoleBindings.length + r.roleBindings.length;
    expect(objects).toBe(kept);
  });

  // validation.go (at 1dc8b4f2, ValidatePolicyRule) has no rule against
  // resourceNames with several resources: it was proposed in
  // kubernetes/kubernetes#44659 and closed unmerged ("Specifying a resource
  // name with multiple resources is a valid scenario", liggitt), so the API
  // server stores such a role and RBAC allows each named object of each
  // resource (pkg/apis/rbac/v1/evaluation_helpers.go ResourceMatches,
  // ResourceNameMatches are independent).
  it('resourceNames with several resources: kept, and each named object allowed', () => {
    const r = own(
      `${clusterRole(
        'rules:\n- apiGroups: [""]\n  resources: [configmaps, secrets]\n  resourceNames: [app]\n  verbs: [get]',
      )}---\n${V1}\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\nsubjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]\n`,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.clusterRoles.map((c) => c.name)).toEqual(['r']);
    const alice = { username: 'alice', groups: [] };
    const get = (resource: string, name: string): boolean =>
      evaluateRbac(r, alice, resourceRequest({ verb: 'get', resource, name, namespace: 'dev' }))
        .allowed;
    expect([get('configmaps', 'app'), get('secrets', 'app'), get('secrets', 'db')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('every problem of a refused object is reported, each with its own line', () => {
    const r = own(
      `${V1}\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n- kind: user\n  name: bob\n- kind: Group\n  name: ""\n`,
    );
    expect(r.diagnostics.map((d) => [d.code, d.field, d.fieldLine])).toEqual([
      ['subject-kind-invalid', 'subjects[0].kind', 10],
      ['object-invalid', 'subjects[1].name', 12],
      ['api-group-defaulted', 'subjects[1].apiGroup', 12],
    ]);
    expect(r.clusterRoleBindings).toEqual([]);
  });

  it('a later object with the same kind, namespace and name replaces an earlier one (note)', () => {
    const r = own([
      `${role}---\n${role.replace('[get, list]', '[get]')}`,
      role.replace('[get, list]', '[watch]'),
    ]);
    expect(r.roles).toHaveLength(1);
    expect(r.roles[0]?.rules[0]?.verbs).toEqual(['watch']);
    expect(r.diagnostics.map((d) => [d.code, d.input, d.index, d.line])).toEqual([
      ['object-replaced', 0, 1, 11],
      ['object-replaced', 1, 0, 1],
    ]);
  });

  it('a Role and a ClusterRole of the same name are different objects', () => {
    const r = own(`${role}---\n${clusterRole('rules: []').replace('name: r', 'name: pod-reader')}`);
    expect(r.diagnostics).toEqual([]);
    expect([r.roles.length, r.clusterRoles.length]).toEqual([1, 1]);
  });

  it('a binding to a missing role is an error diagnostic; evaluating it is an error, never a grant', () => {
    const { d, r } = only(binding);
    expect(d).toMatchObject({
      severity: 'error',
      code: 'role-missing',
      key: 'RoleBinding',
      namespace: 'dev',
      name: 'read-pods',
      field: 'roleRef.name',
      line: 1,
    });
    expect(r.roleBindings).toHaveLength(1);
    expect(
      evaluateRbac(
        r,
        { username: 'alice', groups: [] },
        resourceRequest({ verb: 'get', resource: 'pods', namespace: 'dev' }),
      ),
    ).toEqual({
      allowed: false,
      errors: ['role.rbac.authorization.k8s.io "pod-reader" not found'],
    });
  });

  it('a Role of another namespace does not satisfy a RoleBinding', () => {
    const r = own(`${role}---\n${binding.replace('namespace: dev', 'namespace: prod')}`);
    expect(codes(r)).toEqual(['error:role-missing']);
  });

  it('defaultNamespace places namespaced objects written without one', () => {
    const r = own(`${role.replace('  namespace: dev\n', '')}`, { defaultNamespace: 'team-a' });
    expect(r.roles[0]?.namespace).toBe('team-a');
    expect(r.diagnostics[0]?.message).toContain('"team-a"');
  });

  it('a RoleBinding ServiceAccount without a namespace takes the binding namespace', () => {
    const r = own(
      `${role}---\n${binding.replace('- apiGroup: rbac.authorization.k8s.io\n  kind: User\n  name: alice', '- kind: ServiceAccount\n  name: deployer')}`,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.roleBindings[0]?.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'deployer', namespace: 'dev', apiGroup: '' },
    ]);
  });
});

describe('manifests read as the API server reads them (Go YAML)', () => {
  it('anchors and merge keys are expanded', () => {
    const r = own(
      `${V1}\nkind: ClusterRole\nmetadata: {name: r}\nrules:\n- &read\n  apiGroups: [""]\n  resources: [pods]\n  verbs: [get]\n- <<: *read\n  resources: [secrets]\n`,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.clusterRoles[0]?.rules.map((x) => [x.resources, x.verbs])).toEqual([
      [['pods'], ['get']],
      [['secrets'], ['get']],
    ]);
  });

  it('a quoted "on" stays a string', () => {
    const r = own(clusterRole('rules:\n- apiGroups: [""]\n  resources: [pods]\n  verbs: ["on"]'));
    expect(r.clusterRoles[0]?.rules[0]?.verbs).toEqual(['on']);
  });

  it('a null list item is "" (Go leaves the string empty)', () => {
    const r = own(clusterRole('rules:\n- apiGroups: [~]\n  resources: [pods]\n  verbs: [get]'));
    expect(r.clusterRoles[0]?.rules[0]?.apiGroups).toEqual(['']);
  });

  it('excessive aliasing refuses the object, not the input', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i += 1)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const r = own(
      `${V1}\nkind: ClusterRole\nmetadata: {name: r}\nx:\n${bomb.map((l) => `  ${l}`).join('\n')}\n---\n${role}`,
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(['object-invalid']);
    expect(r.diagnostics[0]?.message).toContain('excessive aliasing');
    expect(r.roles).toHaveLength(1);
  });
});

describe('the whole input: only ERR_RBAC_INVALID or TypeError', () => {
  it.each([
    ['not YAML', 'a: [b', 'ERR_RBAC_INVALID'],
    ['a %TAG directive', '%TAG ! tag:x,2000:\n---\na: b', 'ERR_RBAC_INVALID'],
    ['longer than maxInputLength', 'x'.repeat(11), 'ERR_RBAC_INVALID'],
  ])('%s', (_, text, code) => {
    expect(() => own(text, { maxInputLength: 10 })).toThrow(RbacError);
    try {
      own(text, { maxInputLength: 10 });
    } catch (error) {
      expect((error as RbacError).code).toBe(code);
      expect((error as RbacError).httpStatus).toBe(403);
    }
  });

  it('nesting deeper than the reader allows, from objects', () => {
    let deep: unknown = 'x';
    // Past the shared reader's 1,000 levels (MAX_YAML_DEPTH).
    for (let i = 0; i < 1100; i += 1) deep = [deep];
    expect(() => own(deep as object)).toThrow(
      expect.objectContaining({ code: 'ERR_RBAC_INVALID' }),
    );
  });

  it('the default limit is 1 MiB', () => {
    expect(MAX_RBAC_INPUT_LENGTH).toBe(1024 * 1024);
    expect(() => own(' '.repeat(MAX_RBAC_INPUT_LENGTH + 1))).toThrow(RbacError);
    expect(own(' '.repeat(MAX_RBAC_INPUT_LENGTH)).diagnostics).toEqual([]);
  });

  it.each([
    ['a number input', () => parseRbac(1 as never)],
    ['null', () => parseRbac(null as never)],
    ['bootstrap not a boolean', () => parseRbac('', { bootstrap: 'no' as never })],
    ['an unknown Kubernetes version', () => parseRbac('', { kubernetesVersion: '1.99' })],
    ['a version that is not a string', () => parseRbac('', { kubernetesVersion: 1.36 as never })],
    ['a negative maxInputLength', () => parseRbac('', { maxInputLength: -1 })],
    ['an empty defaultNamespace', () => parseRbac('', { defaultNamespace: '' })],
  ])('TypeError: %s', (_, run) => {
    expect(run).toThrow(TypeError);
  });
});

describe('aggregation through parseRbac', () => {
  const crd = (name: string, labels: string, resource: string): string =>
    `${V1}\nkind: ClusterRole\nmetadata:\n  name: ${name}\n  labels:\n${labels}\nrules:\n- apiGroups: [example.com]\n  resources: [${resource}]\n  verbs: [get]\n`;

  it('a CRD role labelled aggregate-to-view reaches view, edit and admin (to a fixed point)', () => {
    const r = parseRbac(
      crd('widgets-view', '    rbac.authorization.k8s.io/aggregate-to-view: "true"', 'widgets'),
    );
    const has = (name: string): boolean =>
      r.clusterRoles
        .find((x) => x.name === name)
        ?.rules.some((x) => x.resources.includes('widgets')) ?? false;
    expect([has('view'), has('edit'), has('admin')]).toEqual([true, true, true]);
  });

  it.each([
    ['In', '- {key: team, operator: In, values: [a, b]}', ['ra', 'rb']],
    [
      'NotIn (a role without the label matches too)',
      '- {key: team, operator: NotIn, values: [a]}',
      ['rb', 'rnone'],
    ],
    ['Exists', '- {key: team, operator: Exists}', ['ra', 'rb']],
    ['DoesNotExist', '- {key: team, operator: DoesNotExist}', ['rnone']],
  ])('matchExpressions %s', (_, expr, expected) => {
    const r = own([
      crd('ra', '    team: a', 'ra'),
      crd('rb', '    team: b', 'rb'),
      crd('rnone', '    other: x', 'rnone'),
      `${V1}\nkind: ClusterRole\nmetadata: {name: combined}\naggregationRule:\n  clusterRoleSelectors:\n  - matchExpressions:\n    ${expr.replace(/\n/g, '\n    ')}\n`,
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(
      r.clusterRoles.find((x) => x.name === 'combined')?.rules.map((x) => x.resources[0]),
    ).toEqual(expected);
  });

  it('roles that select each other in a ring never settle (the controller would rewrite them forever): a warning', () => {
    const ring = ['a', 'b', 'c'].map(
      (name, i, all) =>
        `${V1}\nkind: ClusterRole\nmetadata:\n  name: ${name}\n  labels: {ring: ${name}}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {ring: ${all[(i + 1) % 3]}}\nrules:\n- {verbs: [${name}], nonResourceURLs: [/x]}\n`,
    );
    const r = own(ring);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.key])).toEqual([
      ['warning', 'aggregation-unstable', 'ClusterRole'],
    ]);
    expect(r.clusterRoles).toHaveLength(3);
  });

  it('aggregation that would copy more than MAX_AGGREGATED_RULES rules refuses the input (ERR_RBAC_INVALID)', () => {
    // 2,000 roles that each select every other: 4,000,000 selections, twice the bound.
    const roles = Array.from(
      { length: 2000 },
      (_, i) =>
        `---\n${V1}\nkind: ClusterRole\nmetadata: {name: r${i}}\naggregationRule: {clusterRoleSelectors: [{}]}\n`,
    ).join('');
    expect(() => own(roles)).toThrow(expect.objectContaining({ code: 'ERR_RBAC_INVALID' }));
    expect(MAX_AGGREGATED_RULES).toBe(2_000_000);
  });

  it('an empty selector selects every other ClusterRole (metav1 LabelSelectorAsSelector)', () => {
    const r = own([
      crd('ra', '    team: a', 'ra'),
      `${V1}\nkind: ClusterRole\nmetadata: {name: all}\naggregationRule:\n  clusterRoleSelectors:\n  - {}\n`,
    ]);
    expect(r.clusterRoles.find((x) => x.name === 'all')?.rules.map((x) => x.resources[0])).toEqual([
      'ra',
    ]);
  });
});
