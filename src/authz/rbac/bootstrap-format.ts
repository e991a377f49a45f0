/**
 * The compact shape of the generated default-policy data
 * (`bootstrap-data.ts`, written by `scripts/generate-rbac-bootstrap.ts`).
 * Lists that are empty in the upstream YAML are `null`; a ClusterRole's
 * aggregation selectors are `matchLabels` maps (upstream uses no others).
 *
 * @module
 */

/** `[verbs, apiGroups, resources, resourceNames, nonResourceURLs]`. */
export type CompactRule = readonly [
  verbs: readonly string[],
  apiGroups?: readonly string[] | null,
  resources?: readonly string[] | null,
  resourceNames?: readonly string[] | null,
  nonResourceURLs?: readonly string[] | null,
];

/** A Role or ClusterRole. */
export interface CompactRole {
  /** `metadata.name`. */
  readonly name: string;
  /** A Role's namespace. */
  readonly namespace?: string;
  /** `metadata.labels`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The role's own rules. */
  readonly rules?: readonly CompactRule[];
  /** `aggregationRule.clusterRoleSelectors`, each a `matchLabels` map. */
  readonly aggregate?: readonly Readonly<Record<string, string>>[];
}

/** `[kind initial (User, Group, ServiceAccount), name, namespace?]`. */
export type CompactSubject = readonly [kind: 'U' | 'G' | 'S', name: string, namespace?: string];

/** A RoleBinding or ClusterRoleBinding. */
export interface CompactBinding {
  /** `metadata.name`. */
  readonly name: string;
  /** A RoleBinding's namespace. */
  readonly namespace?: string;
  /** `roleRef.kind` when it is `Role` (otherwise `ClusterRole`). */
  readonly roleKind?: 'Role';
  /** `roleRef.name`. */
  readonly role: string;
  /** The subjects. */
  readonly subjects?: readonly CompactSubject[];
}

/** The default objects of one Kubernetes minor version, and where they were read. */
export interface CompactRelease {
  /** The kubernetes/kubernetes release tag the files were read at, or `null` when they were not. */
  readonly tag: string | null;
  /** The commit of that tag, or `null`. */
  readonly commit: string | null;
  /** Each file and the kubernetes/kubernetes commit it was read at. */
  readonly files: Readonly<Record<string, string>>;
  /** The folder of the four files. */
  readonly source: string;
  /** `cluster-roles.yaml`. */
  readonly clusterRoles: readonly CompactRole[];
  /** `namespace-roles.yaml`. */
  readonly roles: readonly CompactRole[];
  /** `cluster-role-bindings.yaml`. */
  readonly clusterRoleBindings: readonly CompactBinding[];
  /** `namespace-role-bindings.yaml`. */
  readonly roleBindings: readonly CompactBinding[];
}
