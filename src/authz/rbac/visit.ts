/**
 * Rule visiting as kube-apiserver does it (`DefaultRuleResolver.VisitRulesFor`,
 * pkg/registry/rbac/validation/rule.go at 05c351a9): the ClusterRoleBindings
 * that apply to the user, then, when a namespace is given, the RoleBindings
 * of that namespace that apply; for each, the rules of the role it refers to,
 * or the error of a role that cannot be found. The visitor stops the walk by
 * returning `false`.
 *
 * kube-apiserver walks its informer cache, whose order is a Go map's; here
 * bindings come in input order, so the first grant is deterministic. The
 * decision never depends on the order, only which grant is named.
 *
 * @module
 */
import { bindingsFor, rbacIndex } from './lookup.js';
import type { ResolvedRole } from './lookup.js';
import type {
  RbacBinding,
  RbacGrant,
  RbacRole,
  RbacRule,
  RbacSubject,
  RbacUser,
  Rbac,
} from './types.js';

/** The binding and role of a grant, as named in reasons. */
function grantPath(binding: RbacBinding, role: RbacRole): Pick<RbacGrant, 'binding' | 'role'> {
  return {
    binding: {
      kind: binding.kind,
      ...(binding.namespace === undefined ? {} : { namespace: binding.namespace }),
      name: binding.name,
    },
    role: {
      kind: role.kind,
      ...(role.namespace === undefined ? {} : { namespace: role.namespace }),
      name: role.name,
    },
  };
}

/** The grant a visited rule makes. */
export function grantOf(
  binding: RbacBinding,
  role: RbacRole,
  subject: RbacSubject,
  ruleIndex: number,
  rule: RbacRule,
): RbacGrant {
  return { ...grantPath(binding, role), subject, ruleIndex, rule };
}

/** Callbacks of {@link visitRbacRules}; each returns `false` to stop the walk. */
export interface RbacVisitor {
  /** A rule that applies, with the binding, role and subject it comes through (no object is built per rule). */
  readonly rule: (
    binding: RbacBinding,
    role: RbacRole,
    subject: RbacSubject,
    ruleIndex: number,
    rule: RbacRule,
  ) => boolean;
  /** A binding that applies but whose role cannot be resolved. */
  readonly error: (message: string) => boolean;
}

/** Walk the rules that apply to `user` in `namespace` (`''`: cluster bindings only). */
export function visitRbacRules(
  rbac: Rbac,
  user: RbacUser,
  namespace: string,
  visitor: RbacVisitor,
): void {
  const index = rbacIndex(rbac);
  const walk = (
    bindings: readonly RbacBinding[],
    resolved: readonly ResolvedRole[],
    refs: ReturnType<typeof bindingsFor>,
  ): boolean => {
    for (const ref of refs) {
      const role = resolved[ref.binding] as ResolvedRole;
      if ('error' in role) {
        if (!visitor.error(role.error)) return false;
        continue;
      }
      const binding = bindings[ref.binding] as RbacBinding;
      const subject = binding.subjects[ref.subject] as RbacSubject;
      const rules = role.role.rules;
      for (let i = 0; i < rules.length; i += 1) {
        if (!visitor.rule(binding, role.role, subject, i, rules[i] as RbacRule)) return false;
      }
    }
    return true;
  };
  const cluster = bindingsFor(index.cluster, user);
  if (!walk(rbac.clusterRoleBindings, index.clusterBindingRoles, cluster)) return;
  if (namespace.length > 0) {
    const inNamespace = index.namespaces.get(namespace);
    if (inNamespace !== undefined) {
      walk(rbac.roleBindings, index.bindingRoles, bindingsFor(inNamespace, user));
    }
  }
}
