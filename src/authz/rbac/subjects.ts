/**
 * Who may make a request, by RBAC: every binding subject whose bound role
 * has a rule that allows it. This is the question of a "who can" audit; the
 * subjects are then matched to principals (by username and groups) by the
 * caller. Each role is checked once per request, however many bindings
 * refer to it. The subjects of bindings to missing roles come with the
 * error, for the caller to report to the users they name.
 *
 * @module
 */
import { rbacIndex, subjectMatchName } from './lookup.js';
import type { ResolvedRole } from './lookup.js';
import { ruleAllows } from './match.js';
import { grantOf } from './visit.js';
import type { RbacBinding, RbacGrant, RbacRequest, RbacRole, RbacSubject, Rbac } from './types.js';

/** A binding subject as the authorizer reads it (a RoleBinding's ServiceAccount takes its namespace). */
export interface RbacSubjectName {
  /** `User`, `Group` or `ServiceAccount`. */
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  /** The user, group or service-account name. */
  readonly name: string;
  /** A ServiceAccount's namespace. */
  readonly namespace?: string;
  /** The username (User, ServiceAccount) or group name (Group) it matches. */
  readonly matches: string;
}

/** One binding subject that the request is allowed for, and the path that allows it. */
export interface RbacSubjectGrant {
  /** The subject. */
  readonly subject: RbacSubjectName;
  /** The binding, role and first allowing rule. */
  readonly grant: RbacGrant;
}

/**
 * One subject of a binding that applies to the request's namespace but
 * whose role cannot be found: for a user that subject matches, an RBAC
 * evaluation error (kube-apiserver reports it; it never grants).
 */
export interface RbacSubjectError {
  /** The subject. */
  readonly subject: RbacSubjectName;
  /** kube-apiserver's error (`clusterrole.rbac.authorization.k8s.io "x" not found`). */
  readonly error: string;
  /**
   * The binding's place in RBAC's walk (ClusterRoleBindings, then the
   * namespace's RoleBindings, in input order): one user's errors come in
   * this order, one per binding, as `evaluateRbac` reports them.
   */
  readonly order: number;
}

/** The outcome of {@link rbacSubjectsGranted}. */
export interface RbacSubjectsGranted {
  /** The subjects the request is allowed for. */
  readonly grants: readonly RbacSubjectGrant[];
  /** The subjects of bindings to roles that cannot be found. */
  readonly errors: readonly RbacSubjectError[];
}

/** A written subject as the authorizer reads it; `undefined` for one that matches no one. */
function subjectName(written: RbacSubject, binding: RbacBinding): RbacSubjectName | undefined {
  const matches = subjectMatchName(written, binding.namespace);
  if (matches === undefined) return undefined;
  const namespace =
    written.kind === 'ServiceAccount' ? (written.namespace ?? binding.namespace) : undefined;
  return {
    kind: written.kind,
    name: written.name,
    ...(namespace === undefined ? {} : { namespace }),
    matches,
  };
}

/**
 * Every subject of every ClusterRoleBinding, and of every RoleBinding of
 * `request.namespace`, whose role allows `request`: one entry per subject
 * and binding (with the role's first allowing rule), ClusterRoleBindings
 * first, in input order, subjects in their written order. Bindings to
 * missing roles grant nothing: their subjects are listed with the error. A
 * ServiceAccount subject of a ClusterRoleBinding without a namespace
 * matches no one and is left out.
 */
export function rbacSubjectsGranted(rbac: Rbac, request: RbacRequest): RbacSubjectsGranted {
  const index = rbacIndex(rbac);
  const firstAllowing = new Map<RbacRole, number>();
  const allowingRule = (role: RbacRole): number => {
    let at = firstAllowing.get(role);
    if (at === undefined) {
      at = role.rules.findIndex((rule) => ruleAllows(rule, request));
      firstAllowing.set(role, at);
    }
    return at;
  };
  const grants: RbacSubjectGrant[] = [];
  const errors: RbacSubjectError[] = [];
  const collect = (binding: RbacBinding, resolved: ResolvedRole, order: number): void => {
    if ('error' in resolved) {
      for (const written of binding.subjects) {
        const subject = subjectName(written, binding);
        if (subject !== undefined) errors.push({ subject, error: resolved.error, order });
      }
      return;
    }
    const role = resolved.role;
    const ruleIndex = allowingRule(role);
    const rule = role.rules[ruleIndex];
    if (rule === undefined) return;
    for (const written of binding.subjects) {
      const subject = subjectName(written, binding);
      if (subject !== undefined) {
        grants.push({ subject, grant: grantOf(binding, role, written, ruleIndex, rule) });
      }
    }
  };
  rbac.clusterRoleBindings.forEach((binding, i) =>
    collect(binding, index.clusterBindingRoles[i] as ResolvedRole, i),
  );
  if (request.namespace.length > 0) {
    const first = rbac.clusterRoleBindings.length;
    for (const i of index.roleBindingsByNamespace.get(request.namespace) ?? []) {
      collect(
        rbac.roleBindings[i] as RbacBinding,
        index.bindingRoles[i] as ResolvedRole,
        first + i,
      );
    }
  }
  return { grants, errors };
}
