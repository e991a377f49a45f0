/**
 * Every rule that applies to a user in a namespace: what `RulesFor`
 * computes (pkg/registry/rbac/validation/rule.go at 05c351a9) and what a
 * `SelfSubjectRulesReview`, and so `kubectl auth can-i --list`, shows:
 * the rules of the ClusterRoleBindings and of the namespace's RoleBindings
 * that apply, and the errors of the ones that cannot be resolved.
 *
 * @module
 */
import type { RbacGrant, RbacUser, Rbac } from './types.js';
import { grantOf, visitRbacRules } from './visit.js';

/** The outcome of {@link rbacRulesFor}. */
export interface RbacRules {
  /** Each rule that applies, with its binding and role, cluster bindings first, in input order. */
  readonly rules: readonly RbacGrant[];
  /** Errors resolving bindings that apply (a missing role). The list of rules is then incomplete. */
  readonly errors: readonly string[];
}

/**
 * The rules that apply to `user` in `namespace`; with no namespace (or
 * `''`), those of ClusterRoleBindings only, as for a cluster-scoped request.
 */
export function rbacRulesFor(rbac: Rbac, user: RbacUser, namespace?: string): RbacRules {
  const rules: RbacGrant[] = [];
  const errors: string[] = [];
  visitRbacRules(rbac, user, namespace ?? '', {
    rule: (...visit) => rules.push(grantOf(...visit)) > 0,
    error: (message) => errors.push(message) > 0,
  });
  return { rules, errors };
}
