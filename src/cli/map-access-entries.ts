/**
 * `eks-iam-auth map --access-entries FILE --authentication-mode MODE`: the
 * cluster's answer for an ARN when it reads access entries (and aws-auth,
 * under `API_AND_CONFIG_MAP`), with the near misses and surprises
 * `explainIdentity` finds. `map.ts` hands over when either flag is given.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import { parseAccessEntries } from '../access-entries/parse.js';
import type { MapIdentityOptions } from '../resolve/map-identity.js';
import { parseAwsAuth } from '../aws-auth/parse.js';
import type { MappingSourceList } from '../sources/types.js';
import type { VerifiedIdentity } from '../token/verify.js';
import { explainIdentity } from '../resolve/explain.js';
import type { IdentityNearMiss } from '../resolve/types.js';
import { requireFlag, UsageError } from './args.js';
import { parseAuthenticationMode } from './authentication-mode.js';
import { readInputFile } from './input.js';
import { findNearMisses } from './near-miss.js';
import { EXIT, formatJson, out, warn } from './output.js';
import { escapeControl, warnIgnoredErrors } from './output.js';

/** The `map` flags this mode reads. */
export interface AccessEntryMapFlags {
  /** `--access-entries FILE`. */
  accessEntries: string | undefined;
  /** `--aws-auth FILE`. */
  awsAuth: string | undefined;
  /** The `--source` files, parsed, in order: they take the place of `--aws-auth`. */
  sources?: MappingSourceList;
  /** Near-miss lines of the `--source` files, printed when the mode reads them and nothing matched. */
  sourceNearMisses?: readonly string[];
  /** The caller, when more than `--arn` is known (`--principal-id`). */
  identity?: string | VerifiedIdentity;
  /** `--authentication-mode MODE`. */
  authenticationMode: string | undefined;
  /** `--arn ARN`. */
  arn: string | undefined;
  /** The mapIdentity options the other flags give. */
  mapOptions: MapIdentityOptions;
}

function describe(miss: IdentityNearMiss): string {
  const where =
    miss.source === 'accessEntry'
      ? `access entry ${miss.index ?? ''}`
      : `aws-auth ${miss.key ?? ''}${miss.index === undefined ? '' : `[${miss.index}]`}`;
  return `  ${where} (${miss.kind}): ${escapeControl(miss.value)}\n    ${escapeControl(miss.reason)}`;
}

/**
 * Resolve `--arn` under the authentication mode; resolves to the exit status
 * (0 mapped, 1 not mapped).
 *
 * @throws what the parsers, `explainIdentity` and the flag checks throw; the
 *   caller reports it.
 */
export async function mapWithAccessEntries(
  flags: AccessEntryMapFlags,
  usage: string,
): Promise<number> {
  // The mode first: a typo in it must be reported as such, not as a missing file.
  const mode =
    flags.authenticationMode === undefined
      ? undefined
      : parseAuthenticationMode(flags.authenticationMode, usage);
  const arn = requireFlag(flags.arn, '--arn', usage);
  const file = flags.accessEntries;
  if (file === undefined && mode !== 'CONFIG_MAP') {
    throw new UsageError(
      mode === undefined
        ? '--access-entries is required'
        : `--authentication-mode ${mode} reads access entries: --access-entries FILE is required`,
      usage,
    );
  }
  const caller = canonicalizeArn(arn);
  const accessEntries =
    file === undefined ? undefined : await readInputFile(file, parseAccessEntries);
  if (accessEntries !== undefined && file !== undefined) {
    warnIgnoredErrors(file, accessEntries.diagnostics.filter((d) => d.severity === 'error').length);
  }
  const awsAuth =
    flags.awsAuth === undefined ? undefined : await readInputFile(flags.awsAuth, parseAwsAuth);
  const mappings = flags.sources ?? awsAuth;
  const explanation = await explainIdentity(flags.identity ?? arn, {
    ...flags.mapOptions,
    ...(accessEntries === undefined ? {} : { accessEntries }),
    ...(mappings === undefined ? {} : { awsAuth: mappings }),
    ...(mode === undefined ? {} : { authenticationMode: mode }),
  });
  const { resolved, nearMisses, authenticationMode } = explanation;
  if (resolved !== null) {
    out(formatJson({ ...resolved, authenticationMode }));
    if (nearMisses.length > 0) {
      warn('note:');
      for (const miss of nearMisses) warn(describe(miss));
    }
    return EXIT.ok;
  }
  warn(
    `not mapped under ${authenticationMode}: nothing matches ${escapeControl(caller.canonicalArn)}`,
  );
  // With --aws-auth, its entries that nearly match come from the file (below, with their
  // lines and the hint about a role path in --arn), not from the library's shorter list.
  const fromFile = awsAuth !== undefined && authenticationMode !== 'API';
  const lines = nearMisses
    .filter((miss) => !(fromFile && miss.source === 'aws-auth' && miss.kind !== 'shadowed'))
    .map(describe);
  if (fromFile) {
    // The aws-auth entries that nearly match: the same finder as plain "map".
    for (const m of findNearMisses(awsAuth, caller)) {
      const line = m.line === undefined ? '' : ` (line ${m.line})`;
      lines.push(
        `  aws-auth ${m.key}[${m.index}]${line}: ${escapeControl(m.value)}\n    ${escapeControl(m.reason)}`,
      );
    }
  }
  if (authenticationMode !== 'API') lines.push(...(flags.sourceNearMisses ?? []));
  if (lines.length > 0) {
    warn('nearest entries:');
    for (const line of lines) warn(line);
  }
  return EXIT.failure;
}
