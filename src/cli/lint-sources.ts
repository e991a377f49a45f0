/**
 * `eks-iam-auth lint` on the Go authenticator's other mapping sources: its
 * server config file, `IAMIdentityMapping` objects and a `DynamicFile`, told
 * apart by content (`source-kind.ts`), checked by their library parsers and
 * reported in the lint's own diagnostic shape. A source the Go authenticator
 * refuses as a whole carries a `source-refused` error.
 *
 * @module
 */
import type { AwsAuthDiagnostic } from '../mapping/types.js';
import { parseSource, sourceKindOf } from './source-kind.js';
import type { SourceKind } from './source-kind.js';
import { escapeControl } from './output.js';

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
 * The diagnostics of `text` read as `kind`, in file order, with everything
 * quoted from the file (keys, field names, messages, fixes) escaped: a
 * hostile key must not forge a diagnostic line or drive the terminal. A
 * DynamicFile is read as the Go server reads it by default (matching by
 * ARN; its `userid` fields are not required).
 *
 * @throws `AwsAuthError` when `text` is not that source at all.
 */
export function lintSource(kind: LintedSourceKind, text: string): AwsAuthDiagnostic[] {
  return [...parseSource(kind, text).diagnostics]
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    .map((d) => ({
      ...d,
      key: escapeControl(d.key),
      ...(d.field === undefined ? {} : { field: escapeControl(d.field) }),
      message: escapeControl(d.message),
      ...(d.fix === undefined ? {} : { fix: escapeControl(d.fix) }),
    }));
}
