/**
 * Regression (security audit of `parseRbac`): ClusterRole aggregation
 * bounded the rules it copied (`MAX_AGGREGATED_RULES`) but not the work it
 * did. Selectors that match nothing still examined every role the label
 * index could not rule out (`NotIn`, `DoesNotExist`), and aggregated roles
 * that select each other re-read (and re-serialized) every member's rules
 * on each pass. Measured before the fix: 600 roles that select each other
 * plus one role of 100 rules (93 KB of YAML, far under the 1 MiB default)
 * took 32 s; 5,000 selectors that match none of 5,000 roles (894 KB) 2.1 s;
 * both grow with the square of the input, and the CLI reads `--rbac` files
 * of up to 64 MiB.
 *
 * Aggregation now counts its steps (a role examined by a selector, weighted
 * by the selector's size, and a member's rule read on a pass) and refuses
 * the input with `ERR_RBAC_INVALID` past `MAX_AGGREGATION_WORK`; real
 * aggregation (Kubernetes' defaults plus thousands of roles labelled to
 * join them) stays far under it. Each case is a count of steps, never a
 * timing: the hostile ones are refused, the large honest ones parse.
 */
import { describe, expect, it } from 'vitest';
import { MAX_AGGREGATION_WORK } from '../../../src/authz/rbac/aggregate.js';
import { parseRbac } from '../../../src/authz/rbac/parse.js';

const V1 = 'apiVersion: rbac.authorization.k8s.io/v1';
const clusterRole = (body: string): string => `---\n${V1}\nkind: ClusterRole\n${body}\n`;

/** `count` roles that each aggregate every ClusterRole (each other included), and one role of `rules` rules. */
function selectingEachOther(count: number, rules: number): string {
  const base = clusterRole(
    `metadata: {name: base}\nrules:\n${Array.from({ length: rules }, (_, i) => `- {apiGroups: [""], resources: [r${i}], verbs: [get]}`).join('\n')}`,
  );
  const aggregated = Array.from({ length: count }, (_, i) =>
    clusterRole(`metadata: {name: a${i}}\naggregationRule: {clusterRoleSelectors: [{}]}`),
  );
  return base + aggregated.join('');
}

/** `roles` labelled roles, and one aggregated role of `selectors` selectors that match none of them. */
function selectorsMatchingNothing(selectors: number, roles: number): string {
  const labelled = Array.from({ length: roles }, (_, i) =>
    clusterRole(`metadata: {name: c${i}, labels: {x: a}}`),
  );
  const selector = '{matchExpressions: [{key: x, operator: DoesNotExist}]}';
  return (
    labelled.join('') +
    clusterRole(
      `metadata: {name: agg}\naggregationRule: {clusterRoleSelectors: [${Array(selectors).fill(selector).join(', ')}]}`,
    )
  );
}

/** `roles` roles labelled to join Kubernetes' `view` (and so `edit` and `admin`), one rule each. */
function joiningTheDefaults(roles: number): string {
  return Array.from({ length: roles }, (_, i) =>
    clusterRole(
      `metadata:\n  name: crd-${i}-view\n  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}\nrules:\n- {apiGroups: [example${i}.com], resources: [widgets], verbs: [get, list, watch]}`,
    ),
  ).join('');
}

describe('regression: aggregation work is bounded', () => {
  it.each([
    ['600 roles that select each other, and 100 rules (32 s before)', selectingEachOther(600, 100)],
    ['200 roles that select each other, and 100 rules', selectingEachOther(200, 100)],
    [
      '5,000 selectors that match none of 5,000 roles (2.1 s before)',
      selectorsMatchingNothing(5000, 5000),
    ],
  ])('refused (ERR_RBAC_INVALID): %s', (_, input) => {
    expect(input.length).toBeLessThan(1024 * 1024);
    expect(() => parseRbac(input, { bootstrap: false })).toThrow(
      expect.objectContaining({
        code: 'ERR_RBAC_INVALID',
        message: expect.stringMatching(/steps/),
      }),
    );
  });

  it.each([
    ['50 roles that select each other, and 100 rules', selectingEachOther(50, 100), false],
    ['1,000 selectors that match none of 1,000 roles', selectorsMatchingNothing(1000, 1000), false],
    ["3,000 CRD roles joining Kubernetes' view, edit and admin", joiningTheDefaults(3000), true],
  ])('parsed: %s', (_, input, bootstrap) => {
    const parsed = parseRbac(input, { bootstrap });
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parsed.clusterRoles.length).toBeGreaterThan(0);
  });

  it("the 3,000 CRD roles' rules reach admin through view and edit", () => {
    const parsed = parseRbac(joiningTheDefaults(3000));
    const admin = parsed.clusterRoles.find((r) => r.name === 'admin');
    expect(admin?.rules.filter((r) => r.resources.includes('widgets'))).toHaveLength(3000);
  });

  it('the bound', () => {
    expect(MAX_AGGREGATION_WORK).toBe(4_000_000);
  });
});
