/**
 * Ordered mapping sources (SPEC 4.8): the Go server's `--backend-mode` chain,
 * read from what callers pass (a list, a `mappingSources` bundle, one parse
 * result) into sources that `resolve/` asks in order. Each source's account
 * list counts right after its own entries (before the next source); a
 * mapped username that begins with a prefix reserved for its source is
 * refused; a `DynamicFile` in user-id-strict mode matches by principal id.
 *
 * @module
 */
import { isParsedAwsAuth, lookupEntry } from '../mapping/lookup.js';
import type { IdentitySource } from '../mapping/source.js';
import type { AwsAuth } from '../mapping/types.js';
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
import { lookupByPrincipalId } from './user-id-strict.js';

type ResolvedSource = Required<MappingSource>;

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

/**
 * The sources of ordered input, each with its backend mode and reserved
 * prefixes: a bundle's own, or each item of a list (or one parse result)
 * read as `mappingSources` reads it.
 *
 * @throws `TypeError` for an item that is neither a parse result nor `{ mode, mappings }`.
 */
export function resolveSources(
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

/** One backend of an ordered list, as a source `resolve/` asks. */
export interface BackendSource extends IdentitySource {
  /** The backend it stands for; answers name it. */
  readonly mode: BackendMode;
  /** Its reserved username prefixes (`server.reservedPrefixConfig`). */
  readonly reservedUsernamePrefixes: readonly string[];
}

function backendSource(source: ResolvedSource): BackendSource {
  const { mappings, mode, reservedUsernamePrefixes } = source;
  const strict = mode === 'DynamicFile' && (mappings as DynamicFileMappings).userIdStrict === true;
  return {
    mode,
    reservedUsernamePrefixes,
    // Every backend but a strict DynamicFile matches by ARN, as aws-auth does.
    lookup: strict
      ? (caller) => lookupByPrincipalId(mappings, caller)
      : (caller, options) => lookupEntry(mappings, caller, options, mode === 'EKSConfigMap'),
  };
}

/**
 * The sources of an ordered list, in order, for `resolve/` to ask.
 *
 * @throws `TypeError` for an item that is no source.
 */
export function backendSources(
  input: MappingSourceList | MappingSources | SourceResult,
): readonly BackendSource[] {
  return resolveSources(input).map(backendSource);
}
