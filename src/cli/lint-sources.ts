/**
 * `eks-iam-auth lint` on the Go authenticator's other mapping sources: its
 * server config file, `IAMIdentityMapping` objects and a `DynamicFile`, told
 * apart by content (`source-kind.ts`), checked by their library parsers and
 * reported in lint's own diagnostic shape. A source the Go authenticator
 * refuses as a whole carries a `source-refused` error.
 *
 * @module
 */
import type { LintDiagnostic } from './lint-diagnostic.js';
import { parseSource, sourceKindOf } from './source-kind.js';
import type { SourceKind } from './source-kind.js';

/** The authenticator source kinds `lint` reads with {@link lintSource}. */
export type LintedSourceKind = Exclude<SourceKind, 'aws-auth'>;

/**
 * The authenticator source kind of `text`, or `undefined` for anything else
 * (an aws-auth ConfigMap, access entries, junk).
 */
export function authenticatorSourceKind(text: string): LintedSourceKind | undefined {
  const kind = sourceKindOf(text);
  return kind === 'aws-auth' ? undefined : kind;
}

/**
 * The entries that survive in `text` read as `kind`, and its diagnostics. A
 * DynamicFile is read as the Go server reads it by default (matching by
 * ARN; its `userid` fields are not required). Text is returned as the parser
 * wrote it: the output formats escape it.
 *
 * @throws `AwsAuthError` when `text` is not that source at all.
 */
export function lintSource(
  kind: LintedSourceKind,
  text: string,
): { entries: number; diagnostics: LintDiagnostic[] } {
  const parsed = parseSource(kind, text);
  return {
    entries: parsed.mapRoles.length + parsed.mapUsers.length + parsed.mapAccounts.length,
    diagnostics: parsed.diagnostics.map((d) => ({ ...d, code: d.code ?? kind })),
  };
}
