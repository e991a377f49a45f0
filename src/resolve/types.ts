/**
 * The options and results of `mapIdentity`, `resolveIdentity` and
 * `explainIdentity` (SPEC 4.2, 4.6).
 *
 * @module
 */
import type {
  AccessEntries,
  AccessEntriesInput,
  AccessEntryType,
  AccessPolicyAssociation,
  AuthenticationMode,
} from '../access-entries/types.js';
import type { IdentityNearMiss } from '../mapping/source.js';
import type { AwsAuth, AwsAuthInput } from '../mapping/types.js';
import type { BackendMode, MappingSourceList } from '../sources/types.js';

export type { IdentityNearMiss };

/** Options of `mapIdentity`. */
export interface MapIdentityOptions {
  /**
   * Also match `rolearn` entries written with a path (`role/team/name`)
   * against a role without one. EKS never matches those (STS reports roles
   * without their path), so the default is faithful to EKS. An entry written
   * without a path (the one EKS uses) always beats a path-stripped one,
   * whatever their order.
   *
   * @defaultValue `false`
   */
  stripRolePaths?: boolean;
  /**
   * Match `mapRoles` entries with an `sso` block against IAM Identity Center
   * roles (`AWSReservedSSO_<permissionSetName>_<suffix>`). Off by default, as
   * the Go authenticator's `SSORoleMatch` feature gate.
   *
   * @defaultValue `false`
   */
  ssoRoleMatch?: boolean;
  /**
   * The access key id for `{{AccessKeyID}}` when `identity` is an ARN string
   * (a verified identity carries its own).
   */
  accessKeyId?: string;
  /**
   * Looks up the private DNS name of an EC2 instance, for
   * `{{EC2PrivateDNSName}}` (node roles: `system:node:{{EC2PrivateDNSName}}`).
   * `mapIdentity` never calls EC2 by itself; see
   * `createEC2PrivateDNSNameResolver`. Without it, such a template fails with
   * `ERR_TEMPLATE`.
   */
  resolveEC2PrivateDNSName?: (instanceId: string) => Promise<string> | string;
  /**
   * Also substitute the `<<AccountID>>`, `<<SessionName>>`,
   * `<<SessionNameRaw>>`, `<<AccessKeyID>>` and `<<EC2PrivateDNSName>>`
   * spellings. EKS reads only the `{{…}}` ones (the Go authenticator's
   * `renderTemplate`, pkg/server/server.go:529-548) and keeps `<<…>>`
   * literally, so everything that answers "what the cluster does"
   * (`resolveIdentity`, `explainIdentity`, `reviewToken`, the migration
   * plan's `check`) keeps them literal unless this is `true`;
   * `mapIdentity` substitutes them, as this package has always promised,
   * unless this is `false`.
   *
   * @defaultValue `true` for `mapIdentity`; `false` for `resolveIdentity`,
   *   `explainIdentity` and `reviewToken`
   */
  angleBracketTemplates?: boolean;
}

/** The Kubernetes identity an IAM identity maps to. */
export interface Mapping {
  /**
   * Rendered username. Empty when the entry has none: EKS then authenticates
   * the caller as the empty user `""` with the entry's groups
   * (pkg/server/server.go:507-526 copies it unchecked).
   */
  username: string;
  /** Rendered groups, in the entry's order (empty for `mapAccounts`). */
  groups: string[];
  /** Which rule matched; they are tried in this order. */
  matchedBy: 'mapRoles' | 'sso' | 'mapUsers' | 'mapAccounts';
  /**
   * 0-based index of the matching entry in its key's list, as in diagnostics
   * (dropped entries count). Absent for `mapAccounts`.
   */
  entryIndex?: number;
  /** The caller's canonical IAM ARN (an assumed-role session becomes its role). */
  canonicalArn: string;
  /** With ordered sources: the backend of the source that matched. */
  source?: BackendMode;
  /** With ordered sources: that source's position in the list. */
  sourceIndex?: number;
}

/** Options of `resolveIdentity` and `explainIdentity`. */
export interface ResolveIdentityOptions extends MapIdentityOptions {
  /**
   * Which sources the cluster reads: `CONFIG_MAP` (aws-auth only, exactly
   * `mapIdentity`), `API` (access entries only) or `API_AND_CONFIG_MAP` (an
   * access entry for the principal wins, otherwise aws-auth).
   *
   * @defaultValue the `authenticationMode` of an access-entries bundle; else
   *   `API_AND_CONFIG_MAP` when both sources are given, `API` with access
   *   entries only, `CONFIG_MAP` with aws-auth only.
   */
  authenticationMode?: AuthenticationMode;
  /**
   * The cluster's access entries: a `parseAccessEntries` result (parse once,
   * resolve many) or anything `parseAccessEntries` accepts. Required by the
   * `API` modes.
   */
  accessEntries?: AccessEntriesInput | AccessEntries;
  /**
   * The `aws-auth` ConfigMap: a `parseAwsAuth` result or anything
   * `parseAwsAuth` accepts; or, as for `mapIdentity`, the Go authenticator's
   * ordered sources (an array of parse results or `{ mode, mappings }`, a
   * `mappingSources` bundle, or one `parseAuthenticatorConfig` /
   * `parseIdentityMappings` / `parseDynamicFile` result). Required by the
   * `CONFIG_MAP` modes.
   */
  awsAuth?: AwsAuthInput | AwsAuth | MappingSourceList;
}

/** The cluster's answer for an identity. */
export interface ResolvedIdentity {
  /** Rendered username. */
  username: string;
  /** Rendered groups: an access entry's groups, or the aws-auth entry's. */
  groups: string[];
  /** Which source answered. */
  source: 'accessEntry' | 'aws-auth';
  /** `accessEntry`, or the aws-auth rule that matched (as `mapIdentity`'s `matchedBy`). */
  matchedBy: 'accessEntry' | 'mapRoles' | 'sso' | 'mapUsers' | 'mapAccounts';
  /**
   * 0-based index of the matching entry in its source (access entries in
   * input order; aws-auth as in its diagnostics). Absent for `mapAccounts`.
   */
  entryIndex?: number;
  /** The caller's canonical IAM ARN. */
  canonicalArn: string;
  /** With ordered sources as `awsAuth`: the backend of the source that matched. */
  backend?: BackendMode;
  /** With ordered sources as `awsAuth`: that source's position in the list. */
  sourceIndex?: number;
  /** The access entry's type, when an access entry answered. */
  type?: AccessEntryType;
  /**
   * The access policies EKS authorizes the caller with, on top of RBAC for
   * `groups` (what `kubectl auth can-i --list` cannot show). Empty for aws-auth.
   */
  accessPolicies: AccessPolicyAssociation[];
}

/** What `explainIdentity` returns. */
export interface IdentityExplanation {
  /** The mode that was applied. */
  authenticationMode: AuthenticationMode;
  /** `resolveIdentity`'s answer; `null` when nothing matched. */
  resolved: ResolvedIdentity | null;
  /** Near misses and surprises, access entries first, in entry order. */
  nearMisses: IdentityNearMiss[];
}
