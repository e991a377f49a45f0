/**
 * `eks-iam-auth map --source FILE...`: the Go authenticator's ordered
 * mapping sources (its `--backend-mode` chain) read from files, each told
 * apart by content, tried in the order given; the first that maps the
 * caller wins. `map.ts` hands over when `--source` is given.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { CanonicalArn } from '../arn.js';
import { mapIdentity } from '../resolve/map-identity.js';
import type { MapIdentityOptions } from '../resolve/map-identity.js';
import type { AwsAuth } from '../mapping/types.js';
import { mappingSources } from '../sources/ordered.js';
import type {
  AuthenticatorConfig,
  BackendMode,
  DynamicFileMappings,
  MappingSource,
  SourceResult,
} from '../sources/types.js';
import type { VerifiedIdentity } from '../token/verify.js';
import { UsageError, requireFlag } from './args.js';
import { EksAuthError } from '../errors.js';
import { inputLabel, readTextInput } from './input.js';
import { mapWithAccessEntries } from './map-access-entries.js';
import { findNearMisses } from './near-miss.js';
import { EXIT, escapeControl, formatJson, out, warn, warnIgnoredErrors } from './output.js';
import { SOURCE_KIND_NAMES, parseSource, sourceKindOf } from './source-kind.js';
import type { ParseSourceOptions, SourceKind } from './source-kind.js';
import { InputFileError } from './translate-error.js';

/** The `map` flags this mode reads. */
export interface SourceMapFlags {
  /** `--source FILE`, in order. */
  sources: readonly string[];
  /** `--arn ARN`. */
  arn: string | undefined;
  /** `--principal-id ID`: the caller's unique id, for a user-id-strict DynamicFile. */
  principalId: string | undefined;
  /** `--user-id-strict`: DynamicFile sources match by principal id. */
  userIdStrict: boolean;
  /** `--aws-auth FILE`: refused together with `--source`. */
  awsAuth: string | undefined;
  /** `--access-entries FILE`. */
  accessEntries: string | undefined;
  /** `--authentication-mode MODE`. */
  authenticationMode: string | undefined;
  /** The mapIdentity options the other flags give. */
  mapOptions: MapIdentityOptions;
}

/** One `--source` file, read and parsed. */
export interface LoadedSource {
  readonly file: string;
  readonly kind: SourceKind;
  readonly parsed: AwsAuth | SourceResult;
}

function modeOf(parsed: AwsAuth | SourceResult): BackendMode {
  return (parsed as Partial<SourceResult>).mode ?? 'EKSConfigMap';
}

function isConfig(source: LoadedSource): source is LoadedSource & { parsed: AuthenticatorConfig } {
  return source.kind === 'authenticator-config';
}

/**
 * Read every `--source` file: config files first, because a config file's
 * `server.dynamicfileUserIDStrict` decides how a DynamicFile is read, and
 * its `server.reservedPrefixConfig` applies to the other sources, as in the
 * Go server that reads them all.
 */
export async function loadSources(
  files: readonly string[],
  userIdStrict: boolean,
): Promise<LoadedSource[]> {
  const texts = await Promise.all(files.map((file) => readTextInput(file)));
  // A file that is no source at all is read as aws-auth, whose parser says why it is not one.
  const kinds = texts.map((text) => sourceKindOf(text) ?? 'aws-auth');
  const loaded: (LoadedSource | undefined)[] = files.map(() => undefined);
  // A source that is no source at all is reported with its file name.
  const parse = (i: number, kind: SourceKind, options?: ParseSourceOptions): LoadedSource => {
    const file = files[i] ?? '';
    try {
      return { file, kind, parsed: parseSource(kind, texts[i] ?? '', options) };
    } catch (error) {
      if (error instanceof EksAuthError) throw new InputFileError(inputLabel(file), error);
      throw error;
    }
  };
  kinds.forEach((kind, i) => {
    if (kind === 'authenticator-config') loaded[i] = parse(i, kind);
  });
  const configStrict = loaded.some(
    (s) => s !== undefined && isConfig(s) && s.parsed.dynamicFileUserIdStrict,
  );
  kinds.forEach((kind, i) => {
    if (loaded[i] === undefined) {
      loaded[i] = parse(i, kind, { userIdStrict: userIdStrict || configStrict });
    }
  });
  return loaded.filter((s): s is LoadedSource => s !== undefined);
}

/** The ordered list for `mappingSources`, with the config file's reserved prefixes. */
export function sourceList(loaded: readonly LoadedSource[]): (MappingSource | AwsAuth)[] {
  const config = loaded.find(isConfig)?.parsed;
  return loaded.map(({ parsed }) => {
    const mode = modeOf(parsed);
    // A config file brings its own MountedFile prefixes.
    if (mode === 'MountedFile' || config === undefined) return parsed;
    return {
      mode,
      mappings: parsed,
      reservedUsernamePrefixes: config.reservedPrefixConfig[mode] ?? [],
    };
  });
}

/** Say, per file, what the Go authenticator refuses or ignores in it. */
export function warnAboutSources(loaded: readonly LoadedSource[]): void {
  for (const { file, kind, parsed } of loaded) {
    const name = `${file} (${SOURCE_KIND_NAMES[kind]})`;
    const refused = (parsed as Partial<SourceResult>).refusedBecause;
    const fatal = parsed.diagnostics.find((d) => d.fatal === true);
    if (refused !== undefined) {
      warn(escapeControl(`error: ${name}: refused as a whole, nothing maps from it: ${refused}`));
    } else if (fatal !== undefined) {
      const line = fatal.line === undefined ? '' : `:${fatal.line}`;
      warn(escapeControl(`error: ${file}${line}: ${fatal.message}`));
    } else {
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error').length;
      warnIgnoredErrors(file, errors, SOURCE_KIND_NAMES[kind]);
    }
  }
}

/**
 * The caller as `mapIdentity` reads it. An ARN string carries no principal
 * id, so with `--principal-id` the ARN's parts and the id are passed as an
 * identity object: `mapIdentity` reads `canonicalArn`, `principalType`,
 * `accountId`, `partition`, `sessionName` and `userId` from it, the fields
 * `verifyToken` fills from STS.
 */
function callerIdentity(
  caller: CanonicalArn,
  principalId: string | undefined,
): string | VerifiedIdentity {
  if (principalId === undefined) return caller.arn;
  const identity: Partial<VerifiedIdentity> = {
    arn: caller.arn,
    canonicalArn: caller.canonicalArn,
    principalType: caller.principalType,
    accountId: caller.accountId,
    partition: caller.partition,
    userId: principalId,
    ...(caller.sessionName === undefined ? {} : { sessionName: caller.sessionName }),
  };
  return identity as VerifiedIdentity;
}

function isStrictDynamicFile(parsed: AwsAuth | SourceResult): boolean {
  return modeOf(parsed) === 'DynamicFile' && (parsed as DynamicFileMappings).userIdStrict;
}

/** Why each source did not map the caller: its nearest entries, or how strict matching works. */
function nearMissLines(
  loaded: readonly LoadedSource[],
  caller: CanonicalArn,
  principalId: string | undefined,
): string[] {
  const lines: string[] = [];
  loaded.forEach(({ file, parsed }, sourceIndex) => {
    const where = `source ${sourceIndex} ${escapeControl(file)} (${modeOf(parsed)})`;
    if (isStrictDynamicFile(parsed)) {
      if (principalId === undefined) {
        lines.push(
          `  ${where}: user-id strict: its entries match by principal id only (userid); pass --principal-id`,
        );
      } else {
        const ids = [...parsed.mapRoles, ...parsed.mapUsers].map((e) => e.userId);
        if (!ids.includes(principalId)) {
          lines.push(
            `  ${where}: user-id strict: no entry has userid ${escapeControl(principalId)}`,
          );
        } else {
          lines.push(
            `  ${where}: user-id strict: the entry with userid ${escapeControl(principalId)} names another ARN`,
          );
        }
      }
      return;
    }
    for (const m of findNearMisses(parsed, caller)) {
      const line = m.line === undefined ? '' : ` (line ${m.line})`;
      // The value and reason quote the file: escaped, one line each.
      lines.push(
        `  ${where} ${m.key}[${m.index}]${line}: ${escapeControl(m.value)}\n    ${escapeControl(m.reason)}`,
      );
    }
  });
  return lines;
}

/**
 * Map `--arn` through the `--source` files in order (and access entries,
 * when given); resolves to the exit status (0 mapped, 1 not mapped).
 *
 * @throws what the parsers, `mapIdentity` and the flag checks throw; the
 *   caller reports it.
 */
export async function mapWithSources(flags: SourceMapFlags, usage: string): Promise<number> {
  if (flags.awsAuth !== undefined) {
    throw new UsageError(
      '--aws-auth and --source cannot be combined: give the ConfigMap as a --source, where it comes in the backend order',
      usage,
    );
  }
  const arn = requireFlag(flags.arn, '--arn', usage);
  if (flags.sources.filter((file) => file === '-').length > 1) {
    throw new UsageError('standard input ("-") can be only one --source', usage);
  }
  if (flags.principalId === '') throw new UsageError('--principal-id must not be empty', usage);
  const caller = canonicalizeArn(arn);
  const loaded = await loadSources(flags.sources, flags.userIdStrict);
  if (flags.userIdStrict && !loaded.some((s) => s.kind === 'dynamic-file')) {
    throw new UsageError(
      '--user-id-strict applies to a DynamicFile, and no --source is one',
      usage,
    );
  }
  warnAboutSources(loaded);
  const list = sourceList(loaded);
  const identity = callerIdentity(caller, flags.principalId);
  if (flags.accessEntries !== undefined || flags.authenticationMode !== undefined) {
    return mapWithAccessEntries(
      {
        accessEntries: flags.accessEntries,
        awsAuth: undefined,
        sources: list,
        identity,
        sourceNearMisses: nearMissLines(loaded, caller, flags.principalId),
        authenticationMode: flags.authenticationMode,
        arn,
        mapOptions: flags.mapOptions,
      },
      usage,
    );
  }
  const mapping = await mapIdentity(mappingSources(list), identity, flags.mapOptions);
  if (mapping !== null) {
    const { sourceIndex } = mapping;
    const file = sourceIndex === undefined ? undefined : loaded[sourceIndex]?.file;
    out(formatJson({ ...mapping, ...(file === undefined ? {} : { sourceFile: file }) }));
    return EXIT.ok;
  }
  warn(`not mapped: no source maps ${escapeControl(caller.canonicalArn)}`);
  const lines = nearMissLines(loaded, caller, flags.principalId);
  if (lines.length > 0) {
    warn('nearest entries:');
    for (const line of lines) warn(line);
  }
  return EXIT.failure;
}
