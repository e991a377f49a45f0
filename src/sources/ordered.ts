/**
 * Ordered mapping sources (SPEC 4.8): the Go server's `--backend-mode` chain.
 * Sources are tried in order and the first that maps the caller wins; a
 * source's account list counts right after its own entries (before the next
 * source); a mapped username that begins with a prefix reserved for its
 * source is refused, not passed on; a `DynamicFile` in user-id-strict mode
 * matches by principal id.
 *
 * @module
 */
import { isParsedAwsAuth } from '../mapping/lookup.js';
import type { MapIdentityOptions, Mapping } from '../resolve/map-identity.js';
import type { AwsAuth, RoleMapping, UserMapping } from '../mapping/types.js';
import { AwsAuthError } from '../errors.js';
import { isPartitionId } from '../partitions.js';
import type { VerifiedIdentity } from '../token/verify.js';
import { deepFreeze } from '../util/deep-freeze.js';
import { reservedUsernameWarnings } from './reserved-usernames.js';
import { BACKEND_MODES } from './types.js';
import type {
  AuthenticatorConfig,
  BackendMode,
  DynamicFileMappings,
  IdentityMappings,
  MappingSource,
  MappingSourceList,
  MappingSources,
  SourceDiagnostic,
  SourceResult,
} from './types.js';

type ResolvedSource = Required<MappingSource>;

/** The single-source `mapIdentity`, passed in by `aws-auth/map.ts` (no import cycle). */
export type MapOne = (
  awsAuth: AwsAuth,
  identity: string | VerifiedIdentity,
  options?: MapIdentityOptions,
) => Promise<Mapping | null>;

/** A mapping found through ordered sources: which source, and where in the list. */
export interface SourceMapping extends Mapping {
  /** The backend of the source that matched. */
  source: BackendMode;
  /** Its position in the ordered list. */
  sourceIndex: number;
}

function isMode(value: unknown): value is BackendMode {
  return typeof value === 'string' && (BACKEND_MODES as readonly string[]).includes(value);
}

function isBundle(value: unknown): value is MappingSources {
  return isParsedAwsAuth(value) && Array.isArray((value as { sources?: unknown }).sources);
}

/**
 * True for what only the ordered path may map: a list of sources, a
 * {@link MappingSources} bundle, or a single parse result with a `mode`
 * (a strict `DynamicFile` must never be matched by ARN alone).
 */
export function isMappingSourceList(
  value: unknown,
): value is MappingSourceList | MappingSources | SourceResult {
  if (Array.isArray(value)) return true;
  return isBundle(value) || (isParsedAwsAuth(value) && isMode((value as { mode?: unknown }).mode));
}

function asSource(item: unknown, position: number): ResolvedSource {
  if (typeof item === 'object' && item !== null && 'mappings' in item && !isParsedAwsAuth(item)) {
    const { mappings, mode, reservedUsernamePrefixes } = item as MappingSource;
    if (!isMode(mode)) {
      throw new TypeError(
        `mapIdentity: sources[${position}].mode must be one of ${BACKEND_MODES.join(', ')}`,
      );
    }
    if (!isParsedAwsAuth(mappings) || isBundle(mappings)) {
      throw new TypeError(`mapIdentity: sources[${position}].mappings must be a parsed source`);
    }
    const own = (mappings as Partial<SourceResult>).mode;
    if (own !== undefined ? own !== mode : mode !== 'EKSConfigMap' && mode !== 'MountedFile') {
      throw new TypeError(
        `mapIdentity: sources[${position}] says ${mode} but holds ${own ?? 'an aws-auth'} mappings`,
      );
    }
    const prefixes = reservedUsernamePrefixes ?? [];
    if (!Array.isArray(prefixes) || prefixes.some((p) => typeof p !== 'string')) {
      throw new TypeError(
        `mapIdentity: sources[${position}].reservedUsernamePrefixes must be strings`,
      );
    }
    return { mappings, mode, reservedUsernamePrefixes: prefixes };
  }
  if (!isParsedAwsAuth(item) || isBundle(item)) {
    throw new TypeError(
      `mapIdentity: sources[${position}] must be a parse result or { mode, mappings }`,
    );
  }
  const mode = (item as Partial<SourceResult>).mode ?? 'EKSConfigMap';
  if (!isMode(mode))
    throw new TypeError(`mapIdentity: sources[${position}].mode is not a backend mode`);
  const config = item as Partial<AuthenticatorConfig>;
  const reserved = mode === 'MountedFile' ? (config.reservedPrefixConfig?.MountedFile ?? []) : [];
  return { mappings: item, mode, reservedUsernamePrefixes: reserved };
}

function resolveSources(
  input: MappingSourceList | MappingSources | SourceResult,
): readonly ResolvedSource[] {
  if (isBundle(input)) return input.sources;
  if (!Array.isArray(input)) return [asSource(input, 0)];
  return (input as readonly unknown[]).map(asSource);
}

/**
 * Bundle ordered sources into one `AwsAuth`-shaped value that `mapIdentity`
 * maps in order, and that fits wherever one `aws-auth` is taken (for example
 * `reviewToken`'s `awsAuth`). Its own mapping lists are empty, so code
 * unaware of `sources` maps nobody rather than the wrong user.
 *
 * @param sources - parse results (`parseAuthenticatorConfig`,
 *   `parseAwsAuth`, `parseIdentityMappings`, `parseDynamicFile`) or
 *   `{ mode, mappings, reservedUsernamePrefixes }`, first match wins.
 * @throws `TypeError` for anything else.
 */
export function mappingSources(sources: MappingSourceList): MappingSources {
  if (!Array.isArray(sources)) throw new TypeError('mappingSources: expected a list of sources');
  const resolved = resolveSources(sources);
  const diagnostics: SourceDiagnostic[] = resolved.flatMap((s, sourceIndex) => [
    ...s.mappings.diagnostics.map((d) => ({ ...d, source: s.mode, sourceIndex })),
    ...reservedUsernames(s, sourceIndex),
  ]);
  return deepFreeze({
    mapRoles: [],
    mapUsers: [],
    mapAccounts: [],
    diagnostics,
    sources: resolved,
  });
}

/**
 * A warning for each entry whose username template already begins with a
 * prefix reserved for its source: whoever it maps is refused. (A config
 * file warns about its own entries when it is parsed.)
 */
function reservedUsernames(source: ResolvedSource, sourceIndex: number): SourceDiagnostic[] {
  const own = (source.mappings as Partial<SourceResult>).mode === 'MountedFile';
  if (own || source.reservedUsernamePrefixes.length === 0) return [];
  return reservedUsernameWarnings(
    source.mappings,
    source.reservedUsernamePrefixes,
    `reserved for ${source.mode}: everyone this entry maps is refused`,
  ).map((diagnostic) => ({ ...diagnostic, source: source.mode, sourceIndex }));
}

/** The other sources a config file's `server.backendMode` names. */
export interface BackendSources {
  /** The `aws-auth` ConfigMap (`parseAwsAuth`), for `EKSConfigMap`. */
  EKSConfigMap?: AwsAuth;
  /** `IAMIdentityMapping` objects (`parseIdentityMappings`), for `CRD`. */
  CRD?: IdentityMappings;
  /** The DynamicFile (`parseDynamicFile`), for `DynamicFile`. */
  DynamicFile?: DynamicFileMappings;
}

/**
 * The sources of a Go authenticator server, in its `server.backendMode`
 * order (or `backendMode` when given, like the `--backend-mode` flag), each
 * with its `server.reservedPrefixConfig` prefixes: the config file itself
 * is `MountedFile`, the others come from `backends`.
 *
 * @throws `TypeError` when a listed mode has no source in `backends`.
 */
export function sourcesFromConfig(
  config: AuthenticatorConfig,
  backends: BackendSources = {},
  backendMode: readonly BackendMode[] = config.backendMode,
): MappingSources {
  return mappingSources(
    backendMode.map((mode): MappingSource => {
      const mappings = mode === 'MountedFile' ? config : backends[mode];
      if (mappings === undefined) {
        throw new TypeError(
          `sourcesFromConfig: backend mode ${mode} is listed but no ${mode} source was given`,
        );
      }
      return {
        mode,
        mappings,
        reservedUsernamePrefixes: config.reservedPrefixConfig[mode] ?? [],
      };
    }),
  );
}

// ---- matching ------------------------------------------------------------

/** A source's entries without its `mode`, so the single-source mapper reads them as `aws-auth`. */
const plainViews = new WeakMap<AwsAuth, AwsAuth>();
function plainView(mappings: AwsAuth, accountsOnly = false): AwsAuth {
  if (accountsOnly) {
    return { mapRoles: [], mapUsers: [], mapAccounts: mappings.mapAccounts, diagnostics: [] };
  }
  let view = plainViews.get(mappings);
  if (view === undefined) {
    const { mapRoles, mapUsers, mapAccounts } = mappings;
    view = Object.freeze({ mapRoles, mapUsers, mapAccounts, diagnostics: [] });
    plainViews.set(mappings, view);
  }
  return view;
}

interface StrictIndex {
  readonly roles: ReadonlyMap<string, RoleMapping>;
  readonly users: ReadonlyMap<string, UserMapping>;
}
const strictIndexes = new WeakMap<AwsAuth, StrictIndex>();
function strictIndex(mappings: AwsAuth): StrictIndex {
  let index = strictIndexes.get(mappings);
  if (index === undefined) {
    const roles = new Map<string, RoleMapping>();
    const users = new Map<string, UserMapping>();
    for (const e of mappings.mapRoles) {
      if (e.sso === undefined && typeof e.userId === 'string') roles.set(e.userId, e);
    }
    for (const e of mappings.mapUsers) if (typeof e.userId === 'string') users.set(e.userId, e);
    index = { roles, users };
    strictIndexes.set(mappings, index);
  }
  return index;
}

/**
 * The Go authenticator's `arn.StripPath`: a role ARN loses its path, any
 * other ARN is kept; `undefined` for what it cannot parse.
 */
function stripPath(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || !isPartitionId(parts[1] ?? '')) return undefined;
  const segments = parts.slice(5).join(':').split('/');
  if (segments[0] !== 'role' || segments.length <= 2) return arn;
  return `arn:${parts[1]}:iam::${parts[4]}:role/${segments[segments.length - 1]}`;
}

/** Strict mode binds an entry to a principal id; an ARN it also names must be the caller's. */
function arnAgrees(entryArn: string, canonicalArn: string): boolean {
  if (entryArn === '') return true;
  const stripped = stripPath(entryArn);
  return stripped !== undefined && stripped.toLowerCase() === canonicalArn.toLowerCase();
}

function canonicalOf(identity: string | VerifiedIdentity): string | undefined {
  if (
    typeof identity === 'object' &&
    identity !== null &&
    typeof identity.canonicalArn === 'string'
  ) {
    return identity.canonicalArn;
  }
  return undefined;
}

async function matchStrict(
  source: ResolvedSource,
  identity: string | VerifiedIdentity,
  options: MapIdentityOptions | undefined,
  mapOne: MapOne,
): Promise<Mapping | null> {
  // An ARN string carries no principal id: only the account list can match it.
  const userId = typeof identity === 'object' && identity !== null ? identity.userId : undefined;
  const canonicalArn = canonicalOf(identity);
  if (typeof userId === 'string' && canonicalArn !== undefined) {
    const index = strictIndex(source.mappings);
    const role = index.roles.get(userId);
    const user = role === undefined ? index.users.get(userId) : undefined;
    const entry = role ?? user;
    // A role entry for the id decides alone: on an ARN mismatch the users are not tried.
    if (entry !== undefined && arnAgrees(role?.roleArn ?? user?.userArn ?? '', canonicalArn)) {
      const one: AwsAuth =
        role !== undefined
          ? {
              mapRoles: [{ ...role, roleArn: canonicalArn }],
              mapUsers: [],
              mapAccounts: [],
              diagnostics: [],
            }
          : {
              mapRoles: [],
              mapUsers: [{ ...(user as UserMapping), userArn: canonicalArn }],
              mapAccounts: [],
              diagnostics: [],
            };
      return mapOne(one, identity, options);
    }
  }
  return mapOne(plainView(source.mappings, true), identity, options);
}

function checkReserved(source: ResolvedSource, mapping: Mapping): void {
  const prefix = source.reservedUsernamePrefixes.find(
    (p) => p !== '' && mapping.username.startsWith(p),
  );
  if (prefix === undefined) return;
  throw new AwsAuthError(
    `the ${source.mode} mapping gives username "${mapping.username.slice(0, 128)}", which begins with "${prefix}", a prefix reserved for ${source.mode}; refused`,
  );
}

/**
 * `mapIdentity` over ordered sources (called by `mapIdentity` itself).
 *
 * @throws the errors of `mapIdentity`; `AwsAuthError` when the matching
 * source's username begins with one of its reserved prefixes.
 */
export async function mapIdentityFromSources(
  input: MappingSourceList | MappingSources | SourceResult,
  identity: string | VerifiedIdentity,
  options: MapIdentityOptions | undefined,
  mapOne: MapOne,
): Promise<SourceMapping | null> {
  const sources = resolveSources(input);
  for (const [sourceIndex, source] of sources.entries()) {
    const strict =
      source.mode === 'DynamicFile' &&
      (source.mappings as DynamicFileMappings).userIdStrict === true;
    const mapping = strict
      ? await matchStrict(source, identity, options, mapOne)
      : await mapOne(plainView(source.mappings), identity, options);
    if (mapping === null) continue;
    // An account-list match takes the caller's ARN as username; the Go server checks no prefix there.
    if (mapping.matchedBy !== 'mapAccounts') checkReserved(source, mapping);
    return { ...mapping, source: source.mode, sourceIndex };
  }
  return null;
}
