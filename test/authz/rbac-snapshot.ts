/**
 * Small RBAC snapshots for the authorization tests, written as data in the
 * shape `parseRbac` returns (so these tests do not depend on the YAML
 * reader): the RBAC tests' own builders, in the argument order these tests
 * read best in.
 */
import type { RbacBinding, RbacRole, RbacRule } from '../../src/authz/rbac/types.js';
import {
  clusterRole,
  clusterRoleBinding,
  role as namespacedRole,
  roleBinding,
  subjects,
} from './rbac/support.js';

export { rule, snapshot } from './rbac/support.js';

/** A ClusterRole (no namespace) or Role. */
export function role(name: string, rules: RbacRule[], namespace?: string): RbacRole {
  return namespace === undefined
    ? clusterRole(name, rules)
    : namespacedRole(namespace, name, rules);
}

/**
 * A ClusterRoleBinding (no namespace) or RoleBinding, to a ClusterRole
 * (`ClusterRole/x`) or a Role (`x`), for `Kind:name` subjects.
 */
export function binding(
  name: string,
  roleRef: string,
  specs: string[],
  namespace?: string,
): RbacBinding {
  const cluster = roleRef.startsWith('ClusterRole/');
  const roleName = cluster ? roleRef.slice('ClusterRole/'.length) : roleRef;
  if (namespace === undefined) return clusterRoleBinding(roleName, subjects(...specs), name);
  return roleBinding(
    namespace,
    cluster ? 'ClusterRole' : 'Role',
    roleName,
    subjects(...specs),
    name,
  );
}
