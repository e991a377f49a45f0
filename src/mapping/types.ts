/**
 * The data types of a parsed `aws-auth` ConfigMap (SPEC 4.1). Everything here
 * is plain, JSON-serializable data: a parsed `aws-auth` can be logged, stored
 * or sent elsewhere and passed back to `mapIdentity` later.
 *
 * @module
 */
import type { PartitionId } from '../partitions.js';

/**
 * What `parseAwsAuth` (and `mapIdentity`) accept: the YAML or JSON text of a
 * whole ConfigMap manifest or of its `data` map, or either of those as an
 * object (for example from a Kubernetes client). Object values are read as
 * they are; only the YAML held in the `mapRoles`, `mapUsers` and `mapAccounts`
 * strings is parsed.
 */
export type AwsAuthInput = string | { readonly [key: string]: unknown };

/** One of the three `data` keys the EKS authenticator reads. Case-sensitive. */
export type AwsAuthKey = 'mapRoles' | 'mapUsers' | 'mapAccounts';

/** A `mapRoles` entry matched by role ARN (`rolearn`). */
export interface RoleMapping {
  /**
   * The `rolearn`, as written. Matched case-insensitively against the
   * canonical ARN of the caller (an assumed-role session becomes its role);
   * one that cannot be such an ARN is kept, as EKS keeps it, and never matches.
   */
  readonly roleArn: string;
  /** Never set on a `rolearn` entry, so `entry.sso !== undefined` tells the two kinds apart. */
  readonly sso?: undefined;
  /**
   * The Kubernetes username template, as written (`{{…}}` placeholders are
   * rendered by `mapIdentity`). Empty when the entry has none, or when Go's
   * YAML read it as something other than a string (`username: yes`): EKS then
   * authenticates the caller as the empty user `""` with the entry's groups.
   */
  readonly username: string;
  /**
   * Kubernetes group templates, as written. Empty when the entry has none. An
   * item Go's YAML reads as a number, boolean or null (`123`, `on`, `~`) is
   * `""`, as EKS has it.
   */
  readonly groups: readonly string[];
  /** The optional `userid` field, as written. Not used for matching. */
  readonly userId?: string;
  /** 0-based position of the entry in its key's list, counting dropped entries too. */
  readonly index: number;
  /** 1-based line of the entry's `- ` in the original text, when it can be told. */
  readonly line?: number;
}

/**
 * A `mapRoles` entry matched by an IAM Identity Center permission set: it
 * matches roles named `AWSReservedSSO_<permissionSetName>_<suffix>`, and only
 * when `mapIdentity` is called with `ssoRoleMatch: true`.
 */
export interface SsoRoleMapping {
  /** What the entry matches (the YAML `sso` block). */
  readonly sso: {
    /** Permission set name, `[\w+=,.@-]{1,32}`. */
    readonly permissionSetName: string;
    /** The 12-digit account the SSO role lives in (the YAML field is `accountID`). */
    readonly accountId: string;
    /**
     * Partition of the role ARN.
     *
     * @defaultValue `'aws'`
     */
    readonly partition: PartitionId;
    /**
     * True when the entry names `partition` itself. The Go authenticator then
     * builds its pattern with an empty partition (pkg/config/mapper.go:23-28),
     * so the entry never matches, in EKS or here.
     */
    readonly partitionWritten?: boolean;
  };
  /** Never set on an `sso` entry. */
  readonly roleArn?: undefined;
  /**
   * The Kubernetes username template, as written (`{{…}}` placeholders are
   * rendered by `mapIdentity`). Empty when the entry has none, or when Go's
   * YAML read it as something other than a string (`username: yes`): EKS then
   * authenticates the caller as the empty user `""` with the entry's groups.
   */
  readonly username: string;
  /**
   * Kubernetes group templates, as written. Empty when the entry has none. An
   * item Go's YAML reads as a number, boolean or null (`123`, `on`, `~`) is
   * `""`, as EKS has it.
   */
  readonly groups: readonly string[];
  /** The optional `userid` field, as written. Not used for matching. */
  readonly userId?: string;
  /** 0-based position of the entry in its key's list, counting dropped entries too. */
  readonly index: number;
  /** 1-based line of the entry's `- ` in the original text, when it can be told. */
  readonly line?: number;
}

/** A `mapUsers` entry. */
export interface UserMapping {
  /** The `userarn`, as written. Matched case-insensitively. */
  readonly userArn: string;
  /**
   * The Kubernetes username template, as written (`{{…}}` placeholders are
   * rendered by `mapIdentity`). Empty when the entry has none, or when Go's
   * YAML read it as something other than a string (`username: yes`): EKS then
   * authenticates the caller as the empty user `""` with the entry's groups.
   */
  readonly username: string;
  /**
   * Kubernetes group templates, as written. Empty when the entry has none. An
   * item Go's YAML reads as a number, boolean or null (`123`, `on`, `~`) is
   * `""`, as EKS has it.
   */
  readonly groups: readonly string[];
  /** The optional `userid` field, as written. Not used for matching. */
  readonly userId?: string;
  /** 0-based position of the entry in its key's list, counting dropped entries too. */
  readonly index: number;
  /** 1-based line of the entry's `- ` in the original text, when it can be told. */
  readonly line?: number;
}

/**
 * Stable identifiers of the problems `parseAwsAuth` reports, for tools that
 * filter or count them (the `message` is for people and may change).
 */
export type AwsAuthDiagnosticCode =
  | 'data-not-a-string'
  | 'data-key-invalid'
  | 'key-near-miss'
  | 'key-repeated'
  | 'yaml-syntax'
  | 'yaml-too-deep'
  | 'yaml-not-a-list'
  | 'yaml-extra-document'
  | 'entry-not-a-map'
  | 'entry-missing-arn'
  | 'entry-arn-and-sso'
  | 'sso-invalid'
  | 'sso-partition-never-matches'
  | 'sso-overlap'
  | 'unknown-field'
  | 'field-repeated'
  | 'field-wrong-type'
  | 'yaml11-scalar'
  | 'missing-username'
  | 'arn-invalid'
  | 'arn-path'
  | 'arn-assumed-role'
  | 'arn-sts-role'
  | 'arn-iam-group'
  | 'arn-wrong-list'
  | 'whitespace'
  | 'wildcard'
  | 'angle-brackets'
  | 'unbalanced-braces'
  | 'folded-list'
  | 'group-near-miss'
  | 'empty-group'
  | 'placeholder-unknown'
  | 'placeholder-angles'
  | 'placeholder-needs-session'
  | 'control-character'
  | 'dynamic-reference'
  | 'duplicate-identical'
  | 'duplicate-conflicting'
  | 'account-invalid'
  | 'account-not-a-string';

/**
 * Stable identifiers of the problems the source parsers report beyond the
 * `aws-auth` ones (`AwsAuthDiagnosticCode`, which they share for the
 * entries themselves), for tools that filter or count them.
 */
export type SourceDiagnosticCode =
  | 'source-refused'
  | 'setting-wrong-type'
  | 'setting-key-repeated'
  | 'setting-string-list'
  | 'setting-map-as-list'
  | 'backend-mode-invalid'
  | 'backend-mode-deprecated'
  | 'reserved-prefix-unknown-mode'
  | 'reserved-username'
  | 'dynamic-file-path-mismatch'
  | 'arn-canonicalized'
  | 'unquoted-scalar'
  | 'account-unquoted-number'
  | 'duplicate-entry'
  | 'json-wrong-type'
  | 'entry-missing-userid'
  | 'sso-ignored'
  | 'object-skipped'
  | 'object-invalid'
  | 'object-same-arn';

/** A problem found while parsing; parsing itself only fails for input that is not a ConfigMap. */
export interface AwsAuthDiagnostic {
  /**
   * `error`: EKS ignores the key or entry, the entry can never match, a
   * field was left empty, or a value is certainly a mistake. `warning`: the
   * entry takes effect but probably not as its author meant.
   */
  readonly severity: 'error' | 'warning';
  /**
   * What kind of problem this is: an {@link AwsAuthDiagnosticCode}, or a
   * {@link SourceDiagnosticCode} from the other mapping sources (absent only
   * on diagnostics made elsewhere).
   */
  readonly code?: AwsAuthDiagnosticCode | SourceDiagnosticCode;
  /**
   * True when Kubernetes refuses the whole ConfigMap object (a `data` value
   * that is not a string, usually a missing `|`): EKS never sees any of it,
   * so the parsed result maps nothing.
   */
  readonly fatal?: boolean;
  /** What to write instead, when there is one clear fix. */
  readonly fix?: string;
  /** The `data` key (`mapRoles`, `mapUsers`, `mapAccounts`, or a near miss) or top-level field concerned. */
  readonly key: string;
  /** 0-based index of the entry within its key's list. */
  readonly index?: number;
  /** The field of the entry concerned, e.g. `rolearn`, `groups`, `sso.accountID`. */
  readonly field?: string;
  /** 1-based line in the original text (the line of the entry's `- `), when it can be told. */
  readonly line?: number;
  /**
   * For a diagnostic about one field or value: the 1-based line of that value
   * in the original text (it may be below the entry's {@link line}), when it
   * can be told. Printed with {@link column} as `file:line:column`.
   */
  readonly fieldLine?: number;
  /** 1-based column of that value on {@link fieldLine} (UTF-16 code units, as editors count). */
  readonly column?: number;
  /** What is wrong, and what was expected. */
  readonly message: string;
}

/**
 * A parsed `aws-auth` ConfigMap: the result of `parseAwsAuth`. Deeply frozen,
 * so the lookup index `mapIdentity` builds for it can never go stale.
 */
export interface AwsAuth {
  /**
   * The `mapRoles` entries EKS keeps, in order, `rolearn` and `sso` entries
   * together. EKS keeps any entry with a non-empty `rolearn` (or a valid
   * `sso`), so some may never match (a path, a session ARN): `diagnostics`
   * says which.
   */
  readonly mapRoles: readonly (RoleMapping | SsoRoleMapping)[];
  /** The `mapUsers` entries EKS keeps (any non-empty `userarn`), in order. */
  readonly mapUsers: readonly UserMapping[];
  /** `mapAccounts` items, exactly as written (`012345678901` keeps its leading zero). */
  readonly mapAccounts: readonly string[];
  /** Errors and warnings: misspelt keys first, then `mapRoles`, `mapUsers`, `mapAccounts`, each in entry order. */
  readonly diagnostics: readonly AwsAuthDiagnostic[];
}
