/**
 * One RBAC decision, as kube-apiserver's RBAC authorizer makes it
 * (`RBACAuthorizer.Authorize`, plugin/pkg/auth/authorizer/rbac/rbac.go at
 * 01aa0f3f): visit the rules that apply to the user, stop at the first that
 * allows the request; otherwise no opinion, with the errors met on the way
 * (a binding to a missing role is such an error, never a grant).
 *
 * @module
 */
import { ruleAllows } from './match.js';
import type { RbacGrant, RbacRequest, RbacUser, Rbac } from './types.js';
import { grantOf, visitRbacRules } from './visit.js';

/** The outcome of {@link evaluateRbac}. */
export interface RbacEvaluation {
  /** True when a rule allows the request (RBAC's "allow"); false is RBAC's "no opinion". */
  readonly allowed: boolean;
  /** The first rule that allows it, with its binding and role (kube-apiserver's reason). */
  readonly grant?: RbacGrant;
  /**
   * Errors met while resolving the bindings that apply, before the answer
   * was known (`clusterrole.rbac.authorization.k8s.io "x" not found`). On a
   * denial kube-apiserver reports them as its reason.
   */
  readonly errors: readonly string[];
}

/**
 * Does RBAC allow `user` to make `request`? ClusterRoleBindings first, then
 * the RoleBindings of `request.namespace` (which may refer to ClusterRoles);
 * the first allowing rule, in input order, is the grant.
 */
export function evaluateRbac(rbac: Rbac, user: RbacUser, request: RbacRequest): RbacEvaluation {
  let grant: RbacGrant | undefined;
  const errors: string[] = [];
  visitRbacRules(rbac, user, request.namespace, {
    rule: (binding, role, subject, ruleIndex, rule) => {
      if (!ruleAllows(rule, request)) return true;
      grant = grantOf(binding, role, subject, ruleIndex, rule);
      return false;
    },
    error: (message) => {
      errors.push(message);
      return true;
    },
  });
  return grant === undefined ? { allowed: false, errors } : { allowed: true, grant, errors };
}
