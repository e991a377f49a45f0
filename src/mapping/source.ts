/**
 * The one small interface every mapping source implements: access entries,
 * the `aws-auth` ConfigMap and the Go authenticator's config file,
 * `IAMIdentityMapping` objects and DynamicFile. `resolve/` asks sources in
 * the order of the authentication mode, and the first that maps the caller
 * answers, as the Go authenticator's server asks its mappers in order
 * (kubernetes-sigs/aws-iam-authenticator
 * pkg/server/server.go:476-505 at commit 81b1dab): a source only finds the entry; rendering
 * its templates, refusing reserved usernames and shaping the answer are
 * `resolve/`'s.
 *
 * @module
 */
import type { Caller } from './caller.js';

/** Which rule of a source matched the caller. */
export type MatchedBy = 'accessEntry' | 'mapRoles' | 'sso' | 'mapUsers' | 'mapAccounts';

/** Options of a question that change how entries match. */
export interface LookupOptions {
  /** Match `rolearn` entries written with a path (`mapIdentity`'s `stripRolePaths`). */
  readonly stripRolePaths: boolean;
  /** Match `sso` entries (`mapIdentity`'s `ssoRoleMatch`). */
  readonly ssoRoleMatch: boolean;
}

/** The entry a source found for the caller, before its templates are rendered. */
export interface SourceMatch {
  /** The rule that matched. */
  readonly matchedBy: MatchedBy;
  /**
   * The username template, as written; for `mapAccounts`, the caller's
   * canonical ARN, which is a value, never a template.
   */
  readonly username: string;
  /** The group templates, as written (none for `mapAccounts`). */
  readonly groups: readonly string[];
  /** 0-based index of the entry in its source; `undefined` for `mapAccounts`. */
  readonly entryIndex: number | undefined;
  /**
   * False for an account-list match: its username is the caller's ARN, so
   * it is neither rendered nor checked against reserved prefixes (the Go
   * server returns it straight away, pkg/server/server.go:496-498).
   */
  readonly templated: boolean;
}

/** An entry that nearly matched, or that matched but surprises. */
export interface IdentityNearMiss {
  /** The source of the entry. */
  source: 'accessEntry' | 'aws-auth';
  /**
   * `path`: the caller's ARN carries a role path STS never reports (or an
   * aws-auth `rolearn` is written with one, which EKS never matches);
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

/**
 * A mapping source: one question, "which entry maps this caller?".
 *
 * @typeParam M - what a match carries besides {@link SourceMatch} (an
 *   access entry also brings its type and access policies).
 */
export interface IdentitySource<M extends SourceMatch = SourceMatch> {
  /**
   * The entry that maps the caller, or `undefined` when none does. An index
   * probe, never a scan: its cost does not grow with the number of entries.
   */
  lookup(caller: Caller, options: LookupOptions): M | undefined;
  /**
   * The entries that nearly match the caller, or match only by a quirk, for
   * `explainIdentity`. Optional: a source without it reports none.
   */
  nearMisses?(caller: Caller): IdentityNearMiss[];
  /**
   * Rendered usernames beginning with one of these (case-sensitive; empty
   * prefixes never count) are refused rather than passed on, as the Go
   * server refuses them per mapper (pkg/server/server.go:487-489).
   *
   * @defaultValue none
   */
  readonly reservedUsernamePrefixes?: readonly string[];
}
