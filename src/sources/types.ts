/**
 * The data types of the Go authenticator's other mapping sources (SPEC 4.8):
 * its server config file (`MountedFile`), `IAMIdentityMapping` objects
 * (`CRD`) and the `DynamicFile`. Each parses into the `AwsAuth` shape, so the
 * same mapping core resolves all of them; a `mode` field says which backend a
 * result stands for, because each backend matches a little differently.
 *
 * @module
 */
import type { AwsAuth, AwsAuthDiagnostic } from '../mapping/types.js';

/**
 * A `--backend-mode` of the Go authenticator: where its server reads
 * mappings from. `EKSConfigMap` is the `aws-auth` ConfigMap (`parseAwsAuth`).
 */
export type BackendMode = 'MountedFile' | 'EKSConfigMap' | 'CRD' | 'DynamicFile';

/** Every backend mode, in the order the Go authenticator lists them. */
export const BACKEND_MODES: readonly BackendMode[] = Object.freeze([
  'MountedFile',
  'EKSConfigMap',
  'CRD',
  'DynamicFile',
]);

/** Fields every source result has beyond the `AwsAuth` shape. */
export interface SourceResult extends AwsAuth {
  /** The backend this result stands for; decides how its entries match. */
  readonly mode: BackendMode;
  /**
   * Set when the Go authenticator would refuse the input as a whole (its
   * server does not start with such a config file; it keeps its previous
   * mappings instead of such a DynamicFile). The mapping lists are then
   * empty, so nothing maps, and `diagnostics` says what is wrong.
   */
  readonly refusedBecause?: string;
}

/**
 * The Go authenticator's server config file (`aws-iam-authenticator server
 * --config FILE`), parsed by `parseAuthenticatorConfig`: its
 * `server.mapRoles`, `server.mapUsers`, `server.mapAccounts` as the
 * `MountedFile` backend, plus the server settings that decide how the other
 * sources are read.
 *
 * Role and user ARNs are stored canonicalized, as the Go server stores them
 * when it loads the file (an assumed-role ARN becomes its role ARN).
 */
export interface AuthenticatorConfig extends SourceResult {
  /** Always `MountedFile`. */
  readonly mode: 'MountedFile';
  /** Top-level `clusterID`, when set. */
  readonly clusterId?: string;
  /**
   * `server.backendMode`: the ordered sources the server reads (deprecated
   * names `File` and `ConfigMap` already replaced by `MountedFile` and
   * `EKSConfigMap`).
   *
   * @defaultValue `['MountedFile']`, the Go server's default
   */
  readonly backendMode: readonly BackendMode[];
  /**
   * `server.reservedPrefixConfig`: for each backend mode, the username
   * prefixes a mapping from that backend may not render (the Go server
   * refuses such a user).
   */
  readonly reservedPrefixConfig: Readonly<Partial<Record<BackendMode, readonly string[]>>>;
  /** `server.dynamicfilepath`: where the `DynamicFile` backend reads from, when set. */
  readonly dynamicFilePath?: string;
  /**
   * `server.dynamicfileUserIDStrict`: the `DynamicFile` matches by principal
   * id (`userid`) instead of ARN.
   *
   * @defaultValue `false`
   */
  readonly dynamicFileUserIdStrict: boolean;
}

/**
 * `IAMIdentityMapping` objects (`iamauthenticator.k8s.aws/v1alpha1`), parsed
 * by `parseIdentityMappings`: the `CRD` backend. Each object becomes a
 * `mapRoles` entry (role ARNs) or a `mapUsers` entry (any other principal),
 * with its ARN canonicalized and lower-cased as the Go controller indexes it;
 * an entry's `index` is the position of its object in the input.
 */
export interface IdentityMappings extends SourceResult {
  /** Always `CRD`. `refusedBecause` is never set: the Go authenticator reads each object on its own. */
  readonly mode: 'CRD';
}

/**
 * A `DynamicFile` (`server.dynamicfilepath`), parsed by `parseDynamicFile`.
 *
 * Without `userIdStrict`, entries match by ARN (stored canonicalized and
 * lower-cased, as the Go authenticator keys them) and `userid` is ignored.
 * With it, entries match by principal id (`userid`); an entry that also
 * names an ARN matches only a caller with that ARN (role paths stripped), and
 * its ARN is kept as written (`''` when absent).
 */
export interface DynamicFileMappings extends SourceResult {
  /** Always `DynamicFile`. */
  readonly mode: 'DynamicFile';
  /** Whether entries match by principal id (`server.dynamicfileUserIDStrict`). */
  readonly userIdStrict: boolean;
  /** The file's `LastUpdatedDateTime` (Unix seconds, as a string), when set. */
  readonly lastUpdatedDateTime?: string;
  /** The file's `Version`, when set. */
  readonly version?: string;
}

/**
 * One source of an ordered list: a parsed result and the username prefixes
 * its mappings may not render. A bare parse result stands for itself (a
 * `parseAwsAuth` result is `EKSConfigMap`; an `AuthenticatorConfig` brings
 * its own `MountedFile` reserved prefixes).
 */
export interface MappingSource {
  /** The parsed source. Its `mode`, if it has one, must equal {@link MappingSource.mode}. */
  readonly mappings: AwsAuth;
  /** Which backend it is; decides how its entries match. */
  readonly mode: BackendMode;
  /**
   * Usernames starting with one of these (case-sensitive, as the Go server
   * compares) are refused for this source; empty prefixes are ignored.
   *
   * @defaultValue `[]`
   */
  readonly reservedUsernamePrefixes?: readonly string[];
}

/** An ordered list of sources: the first that maps the caller wins. */
export type MappingSourceList = readonly (MappingSource | AwsAuth)[];

/** A diagnostic of one source in a {@link MappingSources} bundle. */
export interface SourceDiagnostic extends AwsAuthDiagnostic {
  /** The source the diagnostic comes from. */
  readonly source: BackendMode;
  /** Its position in the ordered list. */
  readonly sourceIndex: number;
}

/**
 * An ordered list of sources bundled into one `AwsAuth`-shaped value, for
 * APIs that take one `aws-auth` (such as `reviewToken`'s `awsAuth`). Its own
 * mapping lists are empty, so code that does not know about `sources` maps
 * nobody; `mapIdentity` uses `sources` in order. Deeply frozen.
 */
export interface MappingSources extends AwsAuth {
  /** The sources, in order, each with its mode and reserved prefixes resolved. */
  readonly sources: readonly Required<MappingSource>[];
  /** Every source's diagnostics, in source order. */
  readonly diagnostics: readonly SourceDiagnostic[];
}
