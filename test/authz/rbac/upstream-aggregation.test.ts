/**
 * The ClusterRole aggregation controller's tests, restated as this
 * project's table-driven cases: kubernetes/kubernetes
 * pkg/controller/clusterroleaggregation/clusterroleaggregation_controller_test.go
 * at 04791b49 (`TestSyncClusterRole`). Upstream syncs the role named
 * "combined" once and checks the rules it applies (or that it applies
 * nothing when they are already right); here the aggregation runs to its
 * fixed point, which for these cases is that one sync.
 */
import { describe, expect, it } from 'vitest';
import { aggregateClusterRoles } from '../../../src/authz/rbac/aggregate.js';
import type { RbacDiagnostic, RbacRole, RbacRule } from '../../../src/authz/rbac/types.js';
import { clusterRole, rule } from './support.js';

// Upstream's rules have verbs and resources only (the controller never validates).
const hammerRules = (): RbacRule[] => [
  rule({ verbs: ['hammer'], resources: ['nails'] }),
  rule({ verbs: ['hammer'], resources: ['wedges'] }),
];
const chiselRules = (): RbacRule[] => [rule({ verbs: ['chisel'], resources: ['mortises'] })];
const sawRules = (): RbacRule[] => [rule({ verbs: ['saw'], resources: ['boards'] })];

function combinedRole(selectors: Record<string, string>[], ...rules: RbacRule[][]): RbacRole {
  return {
    kind: 'ClusterRole',
    name: 'combined',
    labels: {},
    rules: rules.flat(),
    aggregationRule: {
      clusterRoleSelectors: selectors.map((matchLabels) => ({ matchLabels, matchExpressions: [] })),
    },
    source: {},
  };
}

describe('TestSyncClusterRole (clusterroleaggregation_controller_test.go at 04791b49)', () => {
  it.each([
    {
      name: 'remove dead rules',
      starting: [
        clusterRole('hammer', hammerRules(), { foo: 'bar' }),
        combinedRole([{ foo: 'bar' }], sawRules()),
      ],
      expected: hammerRules(),
    },
    {
      name: 'strip rules',
      starting: [
        clusterRole('hammer', hammerRules(), { foo: 'not-bar' }),
        combinedRole([{ foo: 'bar' }], hammerRules()),
      ],
      expected: [],
    },
    {
      name: 'select properly and put in order',
      starting: [
        clusterRole('hammer', hammerRules(), { foo: 'bar' }),
        clusterRole('chisel', chiselRules(), { foo: 'bar' }),
        clusterRole('saw', sawRules(), { foo: 'not-bar' }),
        combinedRole([{ foo: 'bar' }]),
      ],
      expected: [...chiselRules(), ...hammerRules()],
    },
    {
      name: 'select properly with multiple selectors',
      starting: [
        clusterRole('hammer', hammerRules(), { foo: 'bar' }),
        clusterRole('chisel', chiselRules(), { foo: 'bar' }),
        clusterRole('saw', sawRules(), { foo: 'not-bar' }),
        combinedRole([{ foo: 'bar' }, { foo: 'not-bar' }]),
      ],
      expected: [...chiselRules(), ...hammerRules(), ...sawRules()],
    },
    {
      name: 'select properly remove duplicates',
      starting: [
        clusterRole('hammer', hammerRules(), { foo: 'bar' }),
        clusterRole('chisel', chiselRules(), { foo: 'bar' }),
        clusterRole('saw', sawRules(), { foo: 'bar' }),
        clusterRole('other-saw', sawRules(), { foo: 'not-bar' }),
        combinedRole([{ foo: 'bar' }, { foo: 'not-bar' }]),
      ],
      expected: [...chiselRules(), ...hammerRules(), ...sawRules()],
    },
    {
      name: 'no diff skip',
      starting: [
        clusterRole('hammer', hammerRules(), { foo: 'bar' }),
        combinedRole([{ foo: 'bar' }], hammerRules()),
      ],
      expected: hammerRules(),
    },
  ])('$name', ({ starting, expected }) => {
    const diagnostics: RbacDiagnostic[] = [];
    const out = aggregateClusterRoles(starting, diagnostics);
    expect(out.find((r) => r.name === 'combined')?.rules).toEqual(expected);
    // The roles it selects are never changed, and nothing is reported.
    expect(out.filter((r) => r.name !== 'combined')).toEqual(
      starting.filter((r) => r.name !== 'combined'),
    );
    expect(diagnostics).toEqual([]);
  });
});
