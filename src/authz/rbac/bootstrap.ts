/**
 * Kubernetes' default roles and bindings (`cluster-admin`, `admin`, `edit`,
 * `view`, `system:basic-user`, `system:discovery`, …, and their bindings to
 * `system:masters`, `system:authenticated`, `system:unauthenticated`), as
 * kube-apiserver creates them at start-up, for each Kubernetes minor version
 * the package ships. The data is generated from kubernetes/kubernetes
 * `plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/` (see
 * `bootstrap-data.ts` for the tag and commit of each version).
 *
 * EKS adds its own `eks:*` roles and bindings; they are not public, so only
 * a live dump of a cluster has them.
 *
 * @module
 */
import { BOOTSTRAP_RELEASES } from './bootstrap-data.js';
import type { CompactBinding, CompactRole, CompactRule } from './bootstrap-format.js';
import { RBAC_GROUP } from './decode.js';
import type { RbacBinding, RbacBootstrapInfo, RbacRole, RbacRule, RbacSubject } from './types.js';

/** The Kubernetes minor versions whose default roles and bindings the package ships, newest first. */
export const RBAC_KUBERNETES_VERSIONS: readonly string[] = Object.freeze(
  Object.keys(BOOTSTRAP_RELEASES).sort((a, b) => minor(b) - minor(a)),
);

/**
 * The default of `kubernetesVersion`: the newest minor version Amazon EKS
 * supports (AWS EKS user guide, "Understand the Kubernetes version lifecycle
 * on EKS", https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html,
 * read 2026-12-06).
 */
export const DEFAULT_RBAC_KUBERNETES_VERSION: string = RBAC_KUBERNETES_VERSIONS[0] as string;

function minor(version: string): number {
  return Number(version.split('.')[1]);
}

/** Kubernetes' default objects of one minor version, as parsed objects. */
export interface BootstrapPolicy {
  /** Where the data comes from. */
  readonly info: RbacBootstrapInfo;
  /** Default ClusterRoles (aggregated ones with no rules of their own). */
  readonly clusterRoles: readonly RbacRole[];
  /** Default Roles (in `kube-system` and `kube-public`). */
  readonly roles: readonly RbacRole[];
  /** Default ClusterRoleBindings. */
  readonly clusterRoleBindings: readonly RbacBinding[];
  /** Default RoleBindings. */
  readonly roleBindings: readonly RbacBinding[];
}

const SOURCE = Object.freeze({ bootstrap: true as const });

function rule(r: CompactRule): RbacRule {
  return {
    verbs: r[0],
    apiGroups: r[1] ?? [],
    resources: r[2] ?? [],
    resourceNames: r[3] ?? [],
    nonResourceURLs: r[4] ?? [],
  };
}

function role(kind: 'Role' | 'ClusterRole', r: CompactRole): RbacRole {
  return {
    kind,
    ...(r.namespace === undefined ? {} : { namespace: r.namespace }),
    name: r.name,
    labels: r.labels ?? {},
    rules: (r.rules ?? []).map(rule),
    ...(r.aggregate === undefined
      ? {}
      : {
          aggregationRule: {
            clusterRoleSelectors: r.aggregate.map((matchLabels) => ({
              matchLabels,
              matchExpressions: [],
            })),
          },
        }),
    source: SOURCE,
  };
}

const SUBJECT_KIND = { U: 'User', G: 'Group', S: 'ServiceAccount' } as const;

function binding(kind: 'RoleBinding' | 'ClusterRoleBinding', b: CompactBinding): RbacBinding {
  return {
    kind,
    ...(b.namespace === undefined ? {} : { namespace: b.namespace }),
    name: b.name,
    roleRef: { kind: b.roleKind ?? 'ClusterRole', name: b.role, apiGroup: RBAC_GROUP },
    subjects: (b.subjects ?? []).map(([k, name, namespace]): RbacSubject => {
      const subjectKind = SUBJECT_KIND[k];
      return {
        kind: subjectKind,
        name,
        ...(namespace === undefined ? {} : { namespace }),
        apiGroup: subjectKind === 'ServiceAccount' ? '' : RBAC_GROUP,
      };
    }),
    source: SOURCE,
  };
}

/**
 * Kubernetes' default roles and bindings of `version` (a minor version,
 * `1.36`).
 *
 * @throws `TypeError` for a version the package does not ship.
 */
export function bootstrapPolicy(version: string): BootstrapPolicy {
  const release = Object.hasOwn(BOOTSTRAP_RELEASES, version)
    ? BOOTSTRAP_RELEASES[version]
    : undefined;
  if (release === undefined) {
    throw new TypeError(
      `parseRbac: kubernetesVersion must be one of ${RBAC_KUBERNETES_VERSIONS.join(', ')} (a minor version), got ${JSON.stringify(String(version)).slice(0, 40)}`,
    );
  }
  return {
    info: {
      kubernetesVersion: version,
      ...(release.tag === null ? {} : { tag: release.tag }),
      ...(release.commit === null ? {} : { commit: release.commit }),
      files: release.files,
      source: release.source,
      provisional: release.tag === null,
    },
    clusterRoles: release.clusterRoles.map((r) => role('ClusterRole', r)),
    roles: release.roles.map((r) => role('Role', r)),
    clusterRoleBindings: release.clusterRoleBindings.map((b) => binding('ClusterRoleBinding', b)),
    roleBindings: release.roleBindings.map((b) => binding('RoleBinding', b)),
  };
}
