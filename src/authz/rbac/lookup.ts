/**
 * The index of a parsed RBAC snapshot, by subject and namespace: built once
 * per `Rbac` object and cached, so an authorization decision costs the
 * bindings that name the caller (and their rules), never a scan of every
 * binding. kube-apiserver lists every ClusterRoleBinding and every
 * RoleBinding of the namespace and asks `appliesTo` of each
 * (pkg/registry/rbac/validation/rule.go at 05c351a9, `VisitRulesFor`); the
 * index gives the same bindings, each with the first subject that applies.
 *
 * @module
 */
import type { RbacBinding, RbacRole, RbacSubject, RbacUser, Rbac } from './types.js';

/** A binding (by position in its list) and the position of one of its subjects. */
interface SubjectRef {
  readonly binding: number;
  readonly subject: number;
}

/** Bindings by the username and group names their subjects match. */
interface SubjectIndex {
  /** User subjects by name, ServiceAccount subjects by their username `system:serviceaccount:NS:NAME`. */
  readonly byUser: Map<string, SubjectRef[]>;
  /** Group subjects by name. */
  readonly byGroup: Map<string, SubjectRef[]>;
}

/** Hash maps over one `Rbac` snapshot. */
export interface RbacIndex {
  /** ClusterRoleBindings by subject. */
  readonly cluster: SubjectIndex;
  /** RoleBindings by namespace, then by subject. */
  readonly namespaces: ReadonlyMap<string, SubjectIndex>;
  /** RoleBindings (positions in `rbac.roleBindings`) by namespace, in input order. */
  readonly roleBindingsByNamespace: ReadonlyMap<string, readonly number[]>;
  /** ClusterRoles by name. */
  readonly clusterRoles: ReadonlyMap<string, RbacRole>;
  /** Roles by `namespace/name`. */
  readonly roles: ReadonlyMap<string, RbacRole>;
  /** Each ClusterRoleBinding's role, or the error resolving it, by position. */
  readonly clusterBindingRoles: readonly ResolvedRole[];
  /** Each RoleBinding's role, or the error resolving it, by position. */
  readonly bindingRoles: readonly ResolvedRole[];
}

/** A binding's role, or the error kube-apiserver reports when it cannot be found. */
export type ResolvedRole = { readonly role: RbacRole } | { readonly error: string };

/** The prefix kube-apiserver gives service-account usernames (serviceaccount/util.go). */
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/**
 * The username or group name a binding subject matches, as `appliesToUser`
 * reads it (pkg/registry/rbac/validation/rule.go): a `User`'s or `Group`'s
 * name; a `ServiceAccount`'s username `system:serviceaccount:NS:NAME`, its
 * namespace defaulting to the RoleBinding's (`bindingNamespace`). A
 * ServiceAccount left without a namespace (in a ClusterRoleBinding) matches
 * no one: `undefined`.
 */
export function subjectMatchName(
  subject: Pick<RbacSubject, 'kind' | 'name' | 'namespace'>,
  bindingNamespace: string | undefined,
): string | undefined {
  if (subject.kind !== 'ServiceAccount') return subject.name;
  const namespace = subject.namespace ?? bindingNamespace ?? '';
  return namespace.length > 0 ? `${SERVICE_ACCOUNT_PREFIX}${namespace}:${subject.name}` : undefined;
}

function roleKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function add(map: Map<string, SubjectRef[]>, key: string, ref: SubjectRef): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [ref]);
  else list.push(ref);
}

function newSubjectIndex(): SubjectIndex {
  return { byUser: new Map(), byGroup: new Map() };
}

/**
 * Index one binding's subjects as `appliesToUser` reads them: a
 * ServiceAccount subject without a namespace takes the RoleBinding's
 * namespace, and matches nothing in a ClusterRoleBinding.
 */
function indexSubjects(into: SubjectIndex, binding: RbacBinding, position: number): void {
  binding.subjects.forEach((subject, s) => {
    const name = subjectMatchName(subject, binding.namespace);
    if (name === undefined) return;
    add(subject.kind === 'Group' ? into.byGroup : into.byUser, name, {
      binding: position,
      subject: s,
    });
  });
}

function build(rbac: Rbac): RbacIndex {
  const cluster = newSubjectIndex();
  rbac.clusterRoleBindings.forEach((b, i) => indexSubjects(cluster, b, i));
  const namespaces = new Map<string, SubjectIndex>();
  const roleBindingsByNamespace = new Map<string, number[]>();
  rbac.roleBindings.forEach((b, i) => {
    const ns = b.namespace ?? '';
    let idx = namespaces.get(ns);
    if (idx === undefined) {
      idx = newSubjectIndex();
      namespaces.set(ns, idx);
    }
    indexSubjects(idx, b, i);
    const list = roleBindingsByNamespace.get(ns);
    if (list === undefined) roleBindingsByNamespace.set(ns, [i]);
    else list.push(i);
  });
  const { clusterRoles, roles, resolve } = roleLookup(rbac);
  return {
    cluster,
    namespaces,
    roleBindingsByNamespace,
    clusterRoles,
    roles,
    clusterBindingRoles: rbac.clusterRoleBindings.map(resolve),
    bindingRoles: rbac.roleBindings.map(resolve),
  };
}

const cache = new WeakMap<Rbac, RbacIndex>();

/**
 * The index of `rbac`, built on first use. Cached only for a frozen
 * snapshot (a `parseRbac` result): a mutable one could change under it.
 */
export function rbacIndex(rbac: Rbac): RbacIndex {
  const cached = cache.get(rbac);
  if (cached !== undefined) return cached;
  const index = build(rbac);
  if (
    Object.isFrozen(rbac) &&
    Object.isFrozen(rbac.clusterRoleBindings) &&
    Object.isFrozen(rbac.roleBindings) &&
    Object.isFrozen(rbac.clusterRoles) &&
    Object.isFrozen(rbac.roles)
  ) {
    cache.set(rbac, index);
  }
  return index;
}

/**
 * The bindings of one subject index that apply to `user`, each with the
 * first of its subjects that applies (`appliesTo`), in input order.
 */
export function bindingsFor(index: SubjectIndex, user: RbacUser): readonly SubjectRef[] {
  // Each list is in input order already: only a merge of several needs sorting.
  const own = index.byUser.get(user.username);
  let single: readonly SubjectRef[] | undefined = own;
  let merged: SubjectRef[] | undefined;
  for (const group of user.groups) {
    const more = index.byGroup.get(group);
    if (more === undefined) continue;
    if (single === undefined && merged === undefined) single = more;
    else {
      merged ??= [...(single as readonly SubjectRef[])];
      for (const ref of more) merged.push(ref);
    }
  }
  if (merged === undefined) return dedupe(single ?? NO_REFS);
  return dedupe(merged.sort((a, b) => a.binding - b.binding || a.subject - b.subject));
}

const NO_REFS: readonly SubjectRef[] = [];

/** One ref per binding, the first subject that applies (refs sorted by binding, then subject). */
function dedupe(refs: readonly SubjectRef[]): readonly SubjectRef[] {
  let previous = -1;
  let duplicates = false;
  for (const ref of refs) {
    if (ref.binding === previous) duplicates = true;
    previous = ref.binding;
  }
  if (!duplicates) return refs;
  return refs.filter((ref, i) => i === 0 || (refs[i - 1] as SubjectRef).binding !== ref.binding);
}

/** The roles of a snapshot by name, and what finds a binding's role among them. */
interface RoleLookup {
  /** ClusterRoles by name. */
  readonly clusterRoles: ReadonlyMap<string, RbacRole>;
  /** Roles by `namespace/name`. */
  readonly roles: ReadonlyMap<string, RbacRole>;
  /** The role a binding refers to, or the error kube-apiserver's listers report for a missing one. */
  readonly resolve: (binding: RbacBinding) => ResolvedRole;
}

/**
 * The role lookup of `rbac`, as kube-apiserver's `GetRoleReferenceRules`
 * does it (rule.go): a ClusterRole by name; a Role by the binding's
 * namespace and name (a ClusterRoleBinding looks one up in namespace '',
 * the API server refuses such a binding); any other kind an error.
 */
export function roleLookup(rbac: Pick<Rbac, 'clusterRoles' | 'roles'>): RoleLookup {
  const clusterRoles = new Map<string, RbacRole>();
  for (const r of rbac.clusterRoles) clusterRoles.set(r.name, r);
  const roles = new Map<string, RbacRole>();
  for (const r of rbac.roles) roles.set(roleKey(r.namespace ?? '', r.name), r);
  const resolve = (binding: RbacBinding): ResolvedRole => {
    const ref = binding.roleRef;
    if (ref.kind === 'ClusterRole') {
      const role = clusterRoles.get(ref.name);
      return role === undefined
        ? { error: `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found` }
        : { role };
    }
    if (ref.kind === 'Role') {
      const role = roles.get(roleKey(binding.namespace ?? '', ref.name));
      return role === undefined
        ? { error: `role.rbac.authorization.k8s.io "${ref.name}" not found` }
        : { role };
    }
    return { error: `unsupported role reference kind: "${String(ref.kind)}"` };
  };
  return { clusterRoles, roles, resolve };
}
