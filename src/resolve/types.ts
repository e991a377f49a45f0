/**
 * The options and results of `resolveIdentity` and `explainIdentity`
 * (SPEC 4.6).
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
import type { MapIdentityOptions } from './map-identity.js';
import type { AwsAuth, AwsAuthInput } from '../mapping/types.js';
import type { BackendMode, MappingSourceList } from '../sources/types.js';

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

/** An entry that nearly matched, or that matched but surprises. */
export interface IdentityNearMiss {
  /** The source of the entry. */
  source: 'accessEntry' | 'aws-auth';
  /**
   * `path`: the caller's ARN carries a role path STS never reports;
   * `case`: matched although written in another case; `account` /
   * `partition`: same name elsewhere; `principal-id`: the entry is bound to
   * another principal id (a deleted and recreated principal); `shadowed`: an
   * aws-auth entry also matches but the access entry wins; `ignored`: a
   * source the authentication mode does not read would have matched.
   */
  kind: 'path' | 'case' | 'account' | 'partition' | 'principal-id' | 'shadowed' | 'ignored';
  /** Index of the entry in its source, when one entry is meant. */
  index?: number;
  /** For aws-auth entries: `mapRoles`, `mapUsers` or `mapAccounts`. */
  key?: string;
  /** What the entry says (its ARN), or the ARN to use instead. */
  value: string;
  /** Why it did not match (or why it surprises), and what to change. */
  reason: string;
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
