/**
 * Builders for RBAC snapshots made directly (not through parseRbac), the way
 * Kubernetes' own authorizer tests put objects straight into listers: rules
 * the API server would refuse (upstream's `newRule("*", "*", "*", "*")`
 * mixes resources and non-resource URLs) are allowed here, as there.
 */
import { deepFreeze } from '../../../src/util/deep-freeze.js';
import type {
  Rbac,
  RbacBinding,
  RbacRequest,
  RbacRole,
  RbacRule,
  RbacSubject,
} from '../../../src/authz/rbac/types.js';

/** A rule from upstream's comma-separated `newRule(verbs, apiGroups, resources, nonResourceURLs)`. */
export function csvRule(
  verbs: string,
  apiGroups: string,
  resources: string,
  urls: string,
): RbacRule {
  // strings.Split("", ",") is [""], as upstream builds it.
  return {
    verbs: verbs.split(','),
    apiGroups: apiGroups.split(','),
    resources: resources.split(','),
    resourceNames: [],
    nonResourceURLs: urls.split(','),
  };
}

/** A rule with the lists given (absent ones empty). */
export function rule(r: Partial<RbacRule> & { verbs: readonly string[] }): RbacRule {
  return {
    apiGroups: [],
    resources: [],
    resourceNames: [],
    nonResourceURLs: [],
    ...r,
  };
}

export function clusterRole(
  name: string,
  rules: RbacRule[],
  labels: Record<string, string> = {},
): RbacRole {
  return { kind: 'ClusterRole', name, labels, rules, source: {} };
}

export function role(namespace: string, name: string, rules: RbacRule[]): RbacRole {
  return { kind: 'Role', namespace, name, labels: {}, rules, source: {} };
}

/** `Kind:name` subjects, as upstream's test helpers write them. */
export function subjects(...specs: string[]): RbacSubject[] {
  return specs.map((spec) => {
    const at = spec.indexOf(':');
    const kind = spec.slice(0, at) as RbacSubject['kind'];
    const name = spec.slice(at + 1);
    return { kind, name, apiGroup: kind === 'ServiceAccount' ? '' : 'rbac.authorization.k8s.io' };
  });
}

export function clusterRoleBinding(
  roleName: string,
  subs: RbacSubject[],
  name = `crb-${roleName}`,
): RbacBinding {
  return {
    kind: 'ClusterRoleBinding',
    name,
    roleRef: { kind: 'ClusterRole', name: roleName, apiGroup: 'rbac.authorization.k8s.io' },
    subjects: subs,
    source: {},
  };
}

export function roleBinding(
  namespace: string,
  roleKind: 'Role' | 'ClusterRole',
  roleName: string,
  subs: RbacSubject[],
  name = `rb-${roleName}`,
): RbacBinding {
  return {
    kind: 'RoleBinding',
    namespace,
    name,
    roleRef: { kind: roleKind, name: roleName, apiGroup: 'rbac.authorization.k8s.io' },
    subjects: subs,
    source: {},
  };
}

/** A frozen snapshot from objects. */
export function snapshot(parts: {
  clusterRoles?: RbacRole[];
  roles?: RbacRole[];
  clusterRoleBindings?: RbacBinding[];
  roleBindings?: RbacBinding[];
}): Rbac {
  return deepFreeze({
    clusterRoles: parts.clusterRoles ?? [],
    roles: parts.roles ?? [],
    clusterRoleBindings: parts.clusterRoleBindings ?? [],
    roleBindings: parts.roleBindings ?? [],
    diagnostics: [],
  });
}

/** A resource request (fields not given are ''). */
export function resourceRequest(r: Partial<RbacRequest> & { verb: string }): RbacRequest {
  return { apiGroup: '', resource: '', subresource: '', name: '', namespace: '', ...r };
}

/** A non-resource request. */
export function pathRequest(verb: string, path: string): RbacRequest {
  return {
    verb,
    apiGroup: '',
    resource: '',
    subresource: '',
    name: '',
    namespace: '',
    nonResourceURL: path,
  };
}
