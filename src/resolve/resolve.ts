/**
 * `resolveIdentity` (SPEC 4.6): the one place that knows the EKS
 * authentication modes and their precedence. Access entries and aws-auth are
 * sources; the template engine and EC2 resolver are aws-auth's, shared.
 *
 * EKS runs the Go authenticator with its mappers in order (access entries as
 * a DynamicFile mapper in user-id-strict mode, then the aws-auth ConfigMap):
 * the first mapper that maps the identity answers, and an error rendering its
 * templates is the answer too (pkg/server/server.go:477-505).
 *
 * @module
 */
import type { AccessEntries, AccessEntry, AuthenticationMode } from '../access-entries/types.js';
import { resolveAwsAuth } from '../aws-auth/input.js';
import { mapIdentity } from './map-identity.js';
import type { MapIdentityOptions } from './map-identity.js';
import { renderMapping } from '../mapping/template.js';
import type { AwsAuth } from '../mapping/types.js';
import { mappingSources } from '../sources/ordered.js';
import type { MappingSourceList } from '../sources/types.js';
import type { VerifiedIdentity } from '../token/verify.js';
import { accessEntryIndex, resolveAccessEntries } from '../access-entries/lookup.js';
import { readCaller } from '../mapping/caller.js';
import type { Caller } from '../mapping/caller.js';
import type { ResolvedIdentity, ResolveIdentityOptions } from './types.js';

/** The authentication modes, in the order EKS introduced them. */
export const AUTHENTICATION_MODES: readonly AuthenticationMode[] = Object.freeze([
  'CONFIG_MAP',
  'API_AND_CONFIG_MAP',
  'API',
]);

/** Options checked and sources parsed, once per call. */
export interface PreparedResolve {
  /** The mode applied. */
  readonly mode: AuthenticationMode;
  /** Parsed access entries, when given. */
  readonly accessEntries: AccessEntries | undefined;
  /** Parsed aws-auth (ordered sources bundled by `mappingSources`), when given. */
  readonly awsAuth: AwsAuth | undefined;
  /** What is passed on to `mapIdentity`. */
  readonly mapOptions: MapIdentityOptions;
}

/**
 * Check the options, parse the sources and pick the mode.
 *
 * @throws `TypeError` for bad options or a mode whose source is missing; the
 *   parsers' errors for unusable sources.
 */
export function prepareResolve(options: ResolveIdentityOptions): PreparedResolve {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('resolveIdentity: options must be an object');
  }
  const { authenticationMode, accessEntries, awsAuth, ...mapOptions } = options;
  if (authenticationMode !== undefined && !AUTHENTICATION_MODES.includes(authenticationMode)) {
    throw new TypeError(
      `resolveIdentity: options.authenticationMode must be one of ${AUTHENTICATION_MODES.join(', ')}`,
    );
  }
  const entries = accessEntries === undefined ? undefined : resolveAccessEntries(accessEntries);
  // An ordered array of sources is checked and bundled here, before any STS call.
  const parsedAwsAuth =
    awsAuth === undefined
      ? undefined
      : Array.isArray(awsAuth)
        ? mappingSources(awsAuth)
        : resolveAwsAuth(awsAuth as Exclude<typeof awsAuth, MappingSourceList>);
  const mode: AuthenticationMode =
    authenticationMode ??
    entries?.authenticationMode ??
    (entries !== undefined && parsedAwsAuth !== undefined
      ? 'API_AND_CONFIG_MAP'
      : entries !== undefined
        ? 'API'
        : 'CONFIG_MAP');
  if (mode !== 'CONFIG_MAP' && entries === undefined) {
    throw new TypeError(`resolveIdentity: authentication mode ${mode} needs options.accessEntries`);
  }
  if (mode !== 'API' && parsedAwsAuth === undefined) {
    throw new TypeError(`resolveIdentity: authentication mode ${mode} needs options.awsAuth`);
  }
  return { mode, accessEntries: entries, awsAuth: parsedAwsAuth, mapOptions };
}

/** The access entry for the caller, or why the one for its ARN does not take it. */
export type AccessEntryMatch =
  | { readonly entry: AccessEntry; readonly matched: true }
  | { readonly entry: AccessEntry; readonly matched: false; readonly reason: 'principal-id' }
  | undefined;

/**
 * Find the caller's access entry. EKS stores the principal's unique id with
 * the entry and looks callers up by it, so a deleted and recreated role or
 * user (same ARN, new id) no longer matches (AWS EKS user guide, "Create
 * access entries"; pkg/mapper/dynamicfile/mapper.go:50-52). The id is compared
 * only when both the entry and the identity carry one.
 */
export function findAccessEntry(entries: AccessEntries, caller: Caller): AccessEntryMatch {
  const entry = accessEntryIndex(entries).get(caller.canonicalArn.toLowerCase());
  if (entry === undefined) return undefined;
  if (
    entry.principalId !== undefined &&
    caller.userId !== undefined &&
    entry.principalId !== caller.userId
  ) {
    return { entry, matched: false, reason: 'principal-id' };
  }
  return { entry, matched: true };
}

/** Render an access entry's templates for the caller (SPEC 4.3, one pass). */
export async function renderAccessEntry(
  entry: AccessEntry,
  caller: Caller,
  options: MapIdentityOptions,
): Promise<ResolvedIdentity> {
  const rendered = await renderMapping(entry.username, entry.kubernetesGroups, {
    accountId: caller.accountId,
    sessionName: caller.sessionName,
    accessKeyId: caller.accessKeyId,
    resolveEC2PrivateDNSName: options.resolveEC2PrivateDNSName,
  });
  return {
    username: rendered.username,
    groups: rendered.groups,
    source: 'accessEntry',
    matchedBy: 'accessEntry',
    entryIndex: entry.index,
    canonicalArn: caller.canonicalArn,
    type: entry.type,
    accessPolicies: entry.accessPolicies.map((p) => ({
      policyArn: p.policyArn,
      accessScope: { type: p.accessScope.type, namespaces: [...p.accessScope.namespaces] },
    })),
  };
}

/** The aws-auth answer, as a `ResolvedIdentity`. */
export async function resolveThroughAwsAuth(
  awsAuth: AwsAuth,
  identity: string | VerifiedIdentity,
  options: MapIdentityOptions,
): Promise<ResolvedIdentity | null> {
  const mapping = await mapIdentity(awsAuth, identity, options);
  if (mapping === null) return null;
  return {
    username: mapping.username,
    groups: mapping.groups,
    source: 'aws-auth',
    matchedBy: mapping.matchedBy,
    ...(mapping.entryIndex === undefined ? {} : { entryIndex: mapping.entryIndex }),
    canonicalArn: mapping.canonicalArn,
    ...(mapping.source === undefined ? {} : { backend: mapping.source }),
    ...(mapping.sourceIndex === undefined ? {} : { sourceIndex: mapping.sourceIndex }),
    accessPolicies: [],
  };
}

/** `resolveIdentity` on prepared options. */
export async function resolvePrepared(
  prepared: PreparedResolve,
  identity: string | VerifiedIdentity,
): Promise<ResolvedIdentity | null> {
  const caller = readCaller(identity, prepared.mapOptions.accessKeyId);
  if (prepared.mode !== 'CONFIG_MAP' && prepared.accessEntries !== undefined) {
    const match = findAccessEntry(prepared.accessEntries, caller);
    if (match?.matched) return renderAccessEntry(match.entry, caller, prepared.mapOptions);
  }
  if (prepared.mode !== 'API' && prepared.awsAuth !== undefined) {
    return resolveThroughAwsAuth(prepared.awsAuth, identity, prepared.mapOptions);
  }
  return null;
}

/**
 * What the cluster answers for an identity under an authentication mode:
 * `CONFIG_MAP` is exactly `mapIdentity` on `awsAuth` (one `aws-auth`, or an
 * ordered array of sources, SPEC 4.8: the first that maps the caller wins,
 * and `backend` / `sourceIndex` name it); `API` reads only
 * `accessEntries`; `API_AND_CONFIG_MAP` takes the caller's access entry if
 * there is one, else `mapIdentity`.
 *
 * An access entry matches the caller whose canonical ARN equals its
 * `principalArn` with any role path removed, ignoring case (STS reports roles
 * without their path). When the entry carries a `principalId` and the
 * identity is a `VerifiedIdentity`, the ids must be equal too.
 *
 * @param identity - an IAM/STS ARN string, or the `VerifiedIdentity` of `verifyToken`.
 * @example
 * ```ts
 * const who = await resolveIdentity('arn:aws:sts::111122223333:assumed-role/Admin/alice', {
 *   accessEntries: parseAccessEntries(json),
 *   awsAuth: parseAwsAuth(yaml),
 *   authenticationMode: 'API_AND_CONFIG_MAP',
 * });
 * // { username, groups, source: 'accessEntry', accessPolicies: [...], … } or null
 * ```
 * @throws (rejects with) `TypeError` for bad options or a mode whose source is
 * missing, `ArnError`, `TemplateError`, `AwsAuthError`, `AccessEntriesError`
 * as the parsers and `mapIdentity` do. Never throws synchronously.
 */
export async function resolveIdentity(
  identity: string | VerifiedIdentity,
  options: ResolveIdentityOptions,
): Promise<ResolvedIdentity | null> {
  return resolvePrepared(prepareResolve(options), identity);
}
