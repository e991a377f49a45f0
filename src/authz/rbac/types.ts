/**
 * The data types of a parsed Kubernetes RBAC snapshot (SPEC 4.9) and of an
 * RBAC authorization question. Everything here is plain, JSON-serializable
 * data, shaped as `rbac.authorization.k8s.io/v1` shapes it.
 *
 * @module
 */

/**
 * A policy rule as `ruleAllows` reads it: the fields of
 * `rbac.authorization.k8s.io/v1` `PolicyRule`. An absent list is an empty
 * one (it matches nothing, except `resourceNames`, where empty means "any
 * name").
 */
export interface RbacRuleInput {
  /** Verbs (`get`, `list`, …), or `*` for all. */
  readonly verbs: readonly string[];
  /** API groups (`''` is the core group), or `*` for all. */
  readonly apiGroups?: readonly string[];
  /** Resources (`pods`, `pods/log`, or a star, a slash and a subresource), or `*` for all. */
  readonly resources?: readonly string[];
  /** Object names the rule is limited to; empty for any name. */
  readonly resourceNames?: readonly string[];
  /** Non-resource paths (`/healthz`, `/api/*`), or `*` for all. */
  readonly nonResourceURLs?: readonly string[];
}

/** A `PolicyRule` of a parsed role: every list present (empty when the manifest had none). */
export interface RbacRule extends RbacRuleInput {
  /** Verbs (`get`, `list`, …), or `*` for all. */
  readonly verbs: readonly string[];
  /** API groups (`''` is the core group), or `*` for all. */
  readonly apiGroups: readonly string[];
  /** Resources (`pods`, `pods/log`, or a star, a slash and a subresource), or `*` for all. */
  readonly resources: readonly string[];
  /** Object names the rule is limited to; empty for any name. */
  readonly resourceNames: readonly string[];
  /** Non-resource paths (`/healthz`, `/api/*`), or `*` for all. */
  readonly nonResourceURLs: readonly string[];
}

/** One `matchExpressions` item of a label selector. */
export interface RbacLabelSelectorRequirement {
  /** The label key. */
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  /** Values for `In` and `NotIn` (empty for the other two). */
  readonly values: readonly string[];
}

/** A `metav1.LabelSelector` of an `aggregationRule`. An empty one selects every ClusterRole. */
export interface RbacLabelSelector {
  /** Labels that must be present with exactly these values. */
  readonly matchLabels: Readonly<Record<string, string>>;
  /** Further requirements, all of which must hold. */
  readonly matchExpressions: readonly RbacLabelSelectorRequirement[];
}

/** Where an object came from, for diagnostics and reasons. */
export interface RbacSource {
  /**
   * 0-based position of the input in the `parseRbac` array; absent for a
   * single input, and for Kubernetes' default objects.
   */
  readonly input?: number;
  /** 0-based position of the object in its input (counting every object read, skipped ones too). */
  readonly index?: number;
  /** 1-based line of the object in its text, when it can be told. */
  readonly line?: number;
  /**
   * True for one of Kubernetes' default roles and bindings (see
   * `ParseRbacOptions.bootstrap`).
   */
  readonly bootstrap?: boolean;
}

/** A `Role` (namespaced) or `ClusterRole`. */
export interface RbacRole {
  /** `Role` or `ClusterRole`. */
  readonly kind: 'Role' | 'ClusterRole';
  /** The namespace of a `Role`; absent for a `ClusterRole`. */
  readonly namespace?: string;
  /** `metadata.name`. */
  readonly name: string;
  /** `metadata.labels` (aggregation selects ClusterRoles by them). */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * The rules in effect. For an aggregated ClusterRole these are the rules
   * the aggregation controller computes (its own are replaced).
   */
  readonly rules: readonly RbacRule[];
  /** A ClusterRole's `aggregationRule`, when it has one. */
  readonly aggregationRule?: {
    /** The selectors; a ClusterRole matching any of them contributes its rules. */
    readonly clusterRoleSelectors: readonly RbacLabelSelector[];
  };
  /** Where the object came from. */
  readonly source: RbacSource;
}

/** A subject of a binding, after the API server's defaulting. */
export interface RbacSubject {
  /** `User`, `Group` or `ServiceAccount` (the API server refuses any other kind). */
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  /** The user, group or service-account name. */
  readonly name: string;
  /**
   * A ServiceAccount's namespace: as written, or (in a RoleBinding) the
   * binding's namespace when none was written, as the authorizer reads it.
   */
  readonly namespace?: string;
  /** `rbac.authorization.k8s.io` for User and Group, `''` for ServiceAccount. */
  readonly apiGroup: string;
}

/** A `RoleBinding` (namespaced) or `ClusterRoleBinding`. */
export interface RbacBinding {
  /** `RoleBinding` or `ClusterRoleBinding`. */
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  /** The namespace of a `RoleBinding`; absent for a `ClusterRoleBinding`. */
  readonly namespace?: string;
  /** `metadata.name`. */
  readonly name: string;
  /** The role granted: a `Role` of the binding's namespace, or a `ClusterRole`. */
  readonly roleRef: {
    /** `Role` (RoleBinding only) or `ClusterRole`. */
    readonly kind: 'Role' | 'ClusterRole';
    /** The role's name. */
    readonly name: string;
    /** Always `rbac.authorization.k8s.io`. */
    readonly apiGroup: string;
  };
  /** Who the binding grants the role to. */
  readonly subjects: readonly RbacSubject[];
  /** Where the object came from. */
  readonly source: RbacSource;
}

/**
 * What kind of problem a diagnostic reports. Part of the API: a code is
 * never renamed or reused for another meaning.
 */
export type RbacDiagnosticCode =
  /** Not an RBAC object (another kind): skipped. */
  | 'object-skipped'
  /** A kind or apiVersion that is nearly an RBAC one (`Clusterrole`, `rbac.authorization.k8s.io/v1beta1`). */
  | 'kind-near-miss'
  /** The API server refuses the object (a missing or wrongly typed field, a failed validation). */
  | 'object-invalid'
  /** A subject kind other than User, Group or ServiceAccount: the API server refuses the binding. */
  | 'subject-kind-invalid'
  /** A field the API server does not know: kubectl refuses the object, other clients store it without the field. */
  | 'unknown-field'
  /** A missing `apiGroup` filled in as the API server's defaulting does. */
  | 'api-group-defaulted'
  /** A namespaced object written without a namespace: placed in the default namespace. */
  | 'namespace-defaulted'
  /** A namespace written on a cluster-scoped object: the API server ignores it. */
  | 'namespace-ignored'
  /** A later object with the same kind, namespace and name replaces an earlier one. */
  | 'object-replaced'
  /** Input objects replace Kubernetes' default objects of the same name. */
  | 'bootstrap-replaced'
  /** The default objects included were not read at the version's release tag. */
  | 'bootstrap-provisional'
  /** A binding refers to a role the snapshot does not hold: evaluating it is an error, never a grant. */
  | 'role-missing'
  /** Aggregated ClusterRoles that select each other and do not settle on one set of rules. */
  | 'aggregation-unstable';

/** A problem found while parsing RBAC objects. */
export interface RbacDiagnostic {
  /**
   * `error`: the API server refuses the object (dropped here too), or a
   * reference cannot be resolved. `warning`: kept, but probably not what was
   * meant. `info`: a reading worth knowing (a default filled in, an object
   * skipped or replaced).
   */
  readonly severity: 'error' | 'warning' | 'info';
  /** What kind of problem this is. */
  readonly code: RbacDiagnosticCode;
  /** The object's kind as written (`RoleBinding`, `ConfigMap`, …), or `rbac` for the whole input. */
  readonly key: string;
  /** 0-based position of the input in the `parseRbac` array, when an array was given. */
  readonly input?: number;
  /** 0-based position of the object in its input (counting every object read). */
  readonly index?: number;
  /** 0-based number of the YAML document (`---`) the object is in, counting the non-empty documents of its text. */
  readonly document?: number;
  /** The object's namespace, when it has one. */
  readonly namespace?: string;
  /** The object's name, when it has one. */
  readonly name?: string;
  /** The field concerned, e.g. `subjects[1].kind`, `roleRef.apiGroup`. */
  readonly field?: string;
  /** 1-based line of the object in the original text, when it can be told. */
  readonly line?: number;
  /** 1-based line of the field concerned, when it can be told. */
  readonly fieldLine?: number;
  /** 1-based column on {@link fieldLine} of the value concerned (UTF-16 code units, as editors count), when it can be told. */
  readonly column?: number;
  /** What to write instead, when there is one clear fix. */
  readonly fix?: string;
  /** What is wrong, and what was expected. */
  readonly message: string;
}

/** Which of Kubernetes' default roles and bindings a snapshot holds, and where they come from. */
export interface RbacBootstrapInfo {
  /** The Kubernetes minor version, e.g. `1.36`. */
  readonly kubernetesVersion: string;
  /**
   * The kubernetes/kubernetes release tag the data was read at, e.g.
   * `v1.36.0`; absent when it was not read at a tag (see `provisional`).
   */
  readonly tag?: string;
  /** The commit of that tag. */
  readonly commit?: string;
  /** Each upstream file and the kubernetes/kubernetes commit it was read at. */
  readonly files: Readonly<Record<string, string>>;
  /** The upstream folder of the files. */
  readonly source: string;
  /**
   * True when the data was not read at the version's release tag: it stands
   * in for that version and may differ from it (a diagnostic says so).
   */
  readonly provisional: boolean;
}

/**
 * A parsed RBAC snapshot: the result of `parseRbac`. Deeply frozen, so the
 * subject and namespace index built on it can never go stale.
 */
export interface Rbac {
  /** ClusterRoles, in input order (Kubernetes' defaults first). */
  readonly clusterRoles: readonly RbacRole[];
  /** Roles, in input order (Kubernetes' defaults first). */
  readonly roles: readonly RbacRole[];
  /** ClusterRoleBindings, in input order (Kubernetes' defaults first). */
  readonly clusterRoleBindings: readonly RbacBinding[];
  /** RoleBindings, in input order (Kubernetes' defaults first). */
  readonly roleBindings: readonly RbacBinding[];
  /** The default roles and bindings included, or absent with `bootstrap: false`. */
  readonly bootstrap?: RbacBootstrapInfo;
  /** Errors, warnings and notes, in input order. */
  readonly diagnostics: readonly RbacDiagnostic[];
}

/**
 * An RBAC authorization question, as kube-apiserver's authorizer attributes
 * carry it. Fields that do not apply are `''`. A non-resource request has
 * `nonResourceURL` set and every resource field `''`.
 */
export interface RbacRequest {
  /** The verb (`get`, `list`, `create`, …). */
  readonly verb: string;
  /** The API group, `''` for the core group. */
  readonly apiGroup: string;
  /** The resource (`pods`), `''` for a non-resource request. */
  readonly resource: string;
  /** The subresource (`log`, `status`), or `''`. */
  readonly subresource: string;
  /** The object's name, or `''` (`list`, `create` of a top-level object). */
  readonly name: string;
  /**
   * The namespace, or `''` for a cluster-scoped or all-namespaces request.
   * A request on `namespaces` with a name carries that name here (the
   * caller sets it, as kube-apiserver's request info does).
   */
  readonly namespace: string;
  /** The path of a non-resource request (`/healthz`). */
  readonly nonResourceURL?: string;
}

/** Who asks: the username and groups kube-apiserver's authenticator produced. */
export interface RbacUser {
  /** The Kubernetes username. */
  readonly username: string;
  /** The groups (`system:authenticated` included when the caller adds it). */
  readonly groups: readonly string[];
}

/** A rule that applies to a user, with the binding and role it comes through. */
export interface RbacGrant {
  /** The binding that grants the role. */
  readonly binding: {
    /** `ClusterRoleBinding` or `RoleBinding`. */
    readonly kind: 'ClusterRoleBinding' | 'RoleBinding';
    /** A RoleBinding's namespace. */
    readonly namespace?: string;
    /** The binding's name. */
    readonly name: string;
  };
  /** The role the rule belongs to. */
  readonly role: {
    /** `ClusterRole` or `Role`. */
    readonly kind: 'ClusterRole' | 'Role';
    /** A Role's namespace. */
    readonly namespace?: string;
    /** The role's name. */
    readonly name: string;
  };
  /** The binding subject through which the grant applies (the first that applies, as kube-apiserver picks it). */
  readonly subject: RbacSubject;
  /** 0-based index of the rule in the role's (aggregated) rules. */
  readonly ruleIndex: number;
  /** The rule. */
  readonly rule: RbacRule;
}
