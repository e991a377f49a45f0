/**
 * The data types of parsed EKS access entries (SPEC 4.5): the AWS API's own
 * shapes (`describe-access-entry`, `list-associated-access-policies`), read
 * once into plain, deeply frozen, JSON-serializable data.
 *
 * @module
 */

/**
 * An access entry's `type`. `STANDARD` is for people and workloads; the others
 * are node roles, for which EKS fixes the username and groups itself.
 */
export type AccessEntryType =
  | 'STANDARD'
  | 'EC2_LINUX'
  | 'EC2_WINDOWS'
  | 'FARGATE_LINUX'
  | 'HYBRID_LINUX'
  | 'EC2'
  | 'HYPERPOD_LINUX';

/**
 * A cluster's authentication mode: `CONFIG_MAP` reads only `aws-auth`, `API`
 * only access entries, `API_AND_CONFIG_MAP` both (an access entry for the
 * principal wins).
 */
export type AuthenticationMode = 'CONFIG_MAP' | 'API' | 'API_AND_CONFIG_MAP';

/** Where an access policy applies. */
export interface AccessScope {
  /** `cluster`: every namespace; `namespace`: only `namespaces`. */
  readonly type: 'cluster' | 'namespace';
  /**
   * For `namespace` scope: the namespaces, as written (`dev-*` wildcards
   * allowed). Empty for `cluster` scope.
   */
  readonly namespaces: readonly string[];
}

/** An access policy associated with an access entry. */
export interface AccessPolicyAssociation {
  /** `arn:<partition>:eks::aws:cluster-access-policy/<Name>`. */
  readonly policyArn: string;
  /** Where it applies. */
  readonly accessScope: AccessScope;
}

/** One valid access entry. */
export interface AccessEntry {
  /**
   * The IAM role (path kept) or user ARN, as written. A caller matches when
   * its canonical ARN equals this ARN with any role path removed (ignoring
   * case, as EKS compares lower-cased ARNs).
   */
  readonly principalArn: string;
  /** The entry's type. `STANDARD` when the input had none. */
  readonly type: AccessEntryType;
  /**
   * The effective username template: the input's `username`, or the default
   * EKS fills in for the type and principal (`{{…}}` placeholders are
   * rendered when an identity is resolved).
   */
  readonly username: string;
  /** True when {@link AccessEntry.username} is the default EKS sets, not one written in the input. */
  readonly defaultUsername: boolean;
  /**
   * The Kubernetes groups the entry gives: the input's `kubernetesGroups`
   * for `STANDARD`, the node groups EKS grants for node types.
   */
  readonly kubernetesGroups: readonly string[];
  /** Associated access policies, in input order. */
  readonly accessPolicies: readonly AccessPolicyAssociation[];
  /**
   * The principal's unique id (`AROA…`/`AIDA…`), when the input carries one
   * (an extension of the bundle shape: EKS stores it but does not show it). A
   * verified identity whose `userId` differs does not match.
   */
  readonly principalId?: string;
  /** 0-based position of the entry in the input, counting dropped entries too. */
  readonly index: number;
}

/**
 * Why EKS refuses to create an access entry (`CreateAccessEntry` answers
 * `InvalidParameterException`): the entry cannot exist on a cluster, so it is
 * dropped and maps nobody.
 *
 * - `username-reserved`: a custom username starting with `system:`, `eks:`,
 *   `aws:`, `amazon:` or `iam:`;
 * - `username-session-colon`: `{{SessionName}}` or `{{SessionNameRaw}}`
 *   without a `:` before it;
 * - `username-not-a-string`: the API takes a string;
 * - `username-on-node-type`: a username other than EKS's on a node type
 *   (only `STANDARD` entries take one);
 * - `groups-not-a-list`, `group-not-a-string`: the API takes a list of strings;
 * - `group-reserved`: a `system:` group on a `STANDARD` entry;
 * - `groups-on-node-type`: groups other than EKS's own on a node type.
 */
export type AccessEntryRefusalCode =
  | 'username-reserved'
  | 'username-session-colon'
  | 'username-not-a-string'
  | 'username-on-node-type'
  | 'groups-not-a-list'
  | 'group-not-a-string'
  | 'group-reserved'
  | 'groups-on-node-type';

/** A problem found while parsing access entries. */
export interface AccessEntriesDiagnostic {
  /**
   * `error`: the entry (or the field) was dropped; `warning`: kept, but
   * probably not what was meant, or a reading AWS does not document.
   */
  readonly severity: 'error' | 'warning';
  /** Always `accessEntries`, so diagnostics print like `aws-auth` ones. */
  readonly key: 'accessEntries';
  /** 0-based index of the entry in the input; absent for problems of the whole input. */
  readonly index?: number;
  /** The field concerned, e.g. `username`, `kubernetesGroups[1]`, `accessPolicies[0].accessScope`. */
  readonly field?: string;
  /**
   * Set when EKS refuses to create the entry (the entry is dropped): which
   * rule it breaks. Absent on other diagnostics.
   */
  readonly code?: AccessEntryRefusalCode;
  /** What is wrong, and what was expected. */
  readonly message: string;
}

/** The result of `parseAccessEntries`. Deeply frozen. */
export interface AccessEntries {
  /** The bundle's `clusterName`, when given. */
  readonly clusterName?: string;
  /** The bundle's `authenticationMode`: the default mode of `resolveIdentity`. */
  readonly authenticationMode?: AuthenticationMode;
  /** Valid entries, in input order. */
  readonly entries: readonly AccessEntry[];
  /** Errors and warnings, in input order. */
  readonly diagnostics: readonly AccessEntriesDiagnostic[];
}

/**
 * What `parseAccessEntries` accepts: JSON text or the parsed value of one
 * `aws eks describe-access-entry` answer (`{ accessEntry }`), a list of
 * access entries (or of such answers), or a bundle `{ clusterName?,
 * authenticationMode?, accessEntries: [...] }` whose entries may carry
 * `accessPolicies` (or `associatedAccessPolicies`) and `principalId`.
 */
export type AccessEntriesInput = string | { readonly [key: string]: unknown } | readonly unknown[];
