/**
 * Small RBAC snapshots for the authorization tests, written as data in the
 * shape `parseRbac` returns (so these tests do not depend on the YAML
 * reader), deeply frozen as a parse result is.
 */
import type {
  Rbac,
  RbacBinding,
  RbacRole,
  RbacRule,
  RbacSubject,
} from '../../src/authz/rbac/types.js';
import { deepFreeze } from '../../src/util/deep-freeze.js';

/** A rule with every list present. */
export function rule(partial: Partial<RbacRule> & { verbs: readonly string[] }): RbacRule {
  return {
    apiGroups: [],
    resources: [],
    resourceNames: [],
    nonResourceURLs: [],
    ...partial,
  };
}

/** A ClusterRole (no namespace) or Role. */
export function role(name: string, rules: RbacRule[], namespace?: string): RbacRole {
  return {
    kind: namespace === undefined ? 'ClusterRole' : 'Role',
    ...(namespace === undefined ? {} : { namespace }),
    name,
    labels: {},
    rules,
    source: { index: 0 },
  };
}

/** `User:alice`, `Group:devs`, `ServiceAccount:ns:name`. */
export function subject(spec: string): RbacSubject {
  const [kind, ...rest] = spec.split(':');
  if (kind === 'ServiceAccount') {
    const [namespace, name] = [rest[0] ?? '', rest.slice(1).join(':')];
    return { kind, name, namespace, apiGroup: '' };
  }
  if (kind !== 'User' && kind !== 'Group') throw new Error(`bad subject ${spec}`);
  return { kind, name: rest.join(':'), apiGroup: 'rbac.authorization.k8s.io' };
}

/** A ClusterRoleBinding (no namespace) or RoleBinding to a ClusterRole (`ClusterRole/x`) or Role (`x`). */
export function binding(
  name: string,
  roleRef: string,
  subjects: string[],
  namespace?: string,
): RbacBinding {
  const cluster = roleRef.startsWith('ClusterRole/');
  return {
    kind: namespace === undefined ? 'ClusterRoleBinding' : 'RoleBinding',
    ...(namespace === undefined ? {} : { namespace }),
    name,
    roleRef: {
      kind: cluster ? 'ClusterRole' : 'Role',
      name: cluster ? roleRef.slice('ClusterRole/'.length) : roleRef,
      apiGroup: 'rbac.authorization.k8s.io',
    },
    subjects: subjects.map(subject),
    source: { index: 0 },
  };
}

/** A frozen snapshot of these objects. */
export function snapshot(objects: {
  clusterRoles?: RbacRole[];
  roles?: RbacRole[];
  clusterRoleBindings?: RbacBinding[];
  roleBindings?: RbacBinding[];
}): Rbac {
  return deepFreeze({
    clusterRoles: objects.clusterRoles ?? [],
    roles: objects.roles ?? [],
    clusterRoleBindings: objects.clusterRoleBindings ?? [],
    roleBindings: objects.roleBindings ?? [],
    diagnostics: [],
  });
}
