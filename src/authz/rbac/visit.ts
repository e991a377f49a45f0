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
import { bindingsFor, rbacIndex, resolveRole } from './lookup.js';
import type { RbacBinding, RbacGrant, RbacRole, RbacUser, Rbac } from './types.js';

/** The binding and role of a grant, as named in reasons. */
export function grantPath(
  binding: RbacBinding,
  role: RbacRole,
): Pick<RbacGrant, 'binding' | 'role'> {
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

/** What the visitor sees: a rule that applies (with its path), or an error resolving one. */
export type RbacVisit = { readonly grant: RbacGrant } | { readonly error: string };

/** Walk the rules that apply to `user` in `namespace` (`''`: cluster bindings only). */
export function visitRbacRules(
  rbac: Rbac,
  user: RbacUser,
  namespace: string,
  visitor: (visit: RbacVisit) => boolean,
): void {
  const index = rbacIndex(rbac);
  const walk = (
    bindings: readonly RbacBinding[],
    refs: ReturnType<typeof bindingsFor>,
  ): boolean => {
    for (const ref of refs) {
      const binding = bindings[ref.binding] as RbacBinding;
      const resolved = resolveRole(index, binding);
      if ('error' in resolved) {
        if (!visitor({ error: resolved.error })) return false;
        continue;
      }
      const role = resolved.role;
      const subject = binding.subjects[ref.subject];
      if (subject === undefined) continue;
      const grantBase = { ...grantPath(binding, role), subject };
      for (let i = 0; i < role.rules.length; i += 1) {
        const rule = role.rules[i];
        if (rule === undefined) continue;
        if (!visitor({ grant: { ...grantBase, ruleIndex: i, rule } })) return false;
      }
    }
    return true;
  };
  if (!walk(rbac.clusterRoleBindings, bindingsFor(index.cluster, user))) return;
  if (namespace.length > 0) {
    const inNamespace = index.namespaces.get(namespace);
    if (inNamespace !== undefined) walk(rbac.roleBindings, bindingsFor(inNamespace, user));
  }
}
