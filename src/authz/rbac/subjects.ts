/**
 * Who may make a request, by RBAC: every binding subject whose bound role
 * has a rule that allows it. This is the question of a "who can" audit; the
 * subjects are then matched to principals (by username and groups) by the
 * caller. Each role is checked once per request, however many bindings
 * refer to it.
 *
 * @module
 */
import { rbacIndex } from './lookup.js';
import type { ResolvedRole } from './lookup.js';
import { ruleAllows } from './match.js';
import { grantOf } from './visit.js';
import type { RbacBinding, RbacGrant, RbacRequest, RbacRole, Rbac } from './types.js';

/** One binding subject that the request is allowed for, and the path that allows it. */
export interface RbacSubjectGrant {
  /** The subject as the authorizer reads it (a RoleBinding's ServiceAccount takes its namespace). */
  readonly subject: {
    /** `User`, `Group` or `ServiceAccount`. */
    readonly kind: 'User' | 'Group' | 'ServiceAccount';
    /** The user, group or service-account name. */
    readonly name: string;
    /** A ServiceAccount's namespace. */
    readonly namespace?: string;
  };
  /** The binding, role and first allowing rule. */
  readonly grant: RbacGrant;
}

/**
 * Every subject of every ClusterRoleBinding, and of every RoleBinding of
 * `request.namespace`, whose role allows `request`: one entry per subject
 * and binding (with the role's first allowing rule), ClusterRoleBindings
 * first, in input order, subjects in their written order. Bindings to
 * missing roles grant nothing; a ServiceAccount subject of a
 * ClusterRoleBinding without a namespace matches no one and is left out.
 */
export function rbacSubjectsGranted(rbac: Rbac, request: RbacRequest): readonly RbacSubjectGrant[] {
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
  const out: RbacSubjectGrant[] = [];
  const collect = (binding: RbacBinding, resolved: ResolvedRole | undefined): void => {
    if (resolved === undefined || 'error' in resolved) return;
    const role = resolved.role;
    const ruleIndex = allowingRule(role);
    const rule = role.rules[ruleIndex];
    if (rule === undefined) return;
    for (const subject of binding.subjects) {
      const namespace =
        subject.kind === 'ServiceAccount' ? (subject.namespace ?? binding.namespace) : undefined;
      if (subject.kind === 'ServiceAccount' && (namespace === undefined || namespace === '')) {
        continue;
      }
      out.push({
        subject: {
          kind: subject.kind,
          name: subject.name,
          ...(namespace === undefined ? {} : { namespace }),
        },
        grant: grantOf(binding, role, subject, ruleIndex, rule),
      });
    }
  };
  rbac.clusterRoleBindings.forEach((binding, i) => collect(binding, index.clusterBindingRoles[i]));
  if (request.namespace.length > 0) {
    for (const i of index.roleBindingsByNamespace.get(request.namespace) ?? []) {
      collect(rbac.roleBindings[i] as RbacBinding, index.bindingRoles[i]);
    }
  }
  return out;
}
