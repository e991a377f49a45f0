/**
 * The shape of what `lint` reports, shared by the readers of each input kind
 * and the output formats: one problem ({@link LintDiagnostic}), one file
 * ({@link LintReport}), and where a problem points.
 *
 * @module
 */
import type { AwsAuthDiagnostic } from '../mapping/types.js';

/**
 * One problem, as lint reports it: the library's diagnostic shape, with
 * `code` always set here.
 */
export interface LintDiagnostic extends Omit<AwsAuthDiagnostic, 'code'> {
  /** Stable identifier of the problem (the SARIF rule id). */
  readonly code: string;
  /** For a file that is no mapping source at all: the library error code (`ERR_AWS_AUTH_INVALID`). */
  readonly errorCode?: string;
}

/** Everything lint found in one file. */
export interface LintReport {
  /** The file as named on the command line (`<stdin>` for `-`). */
  readonly file: string;
  /** Entries that survive (EKS keeps them); `undefined` when the file could not be read as a source at all. */
  readonly entries: number | undefined;
  /** Problems, file-wide ones first, then by line. */
  readonly diagnostics: readonly LintDiagnostic[];
}

/**
 * Where a diagnostic points: the value's line and column when the parser
 * knows them, else the entry's line and column 1; `undefined` for problems
 * of the whole file.
 */
export function positionOf(d: LintDiagnostic): { line: number; column: number } | undefined {
  const line = d.fieldLine ?? d.line;
  if (line === undefined) return undefined;
  return { line, column: d.fieldLine !== undefined && d.column !== undefined ? d.column : 1 };
}

/** `key[index].field`, the place inside the file a diagnostic is about ('' for the whole file). */
export function diagnosticLocation(d: LintDiagnostic): string {
  const index = d.index === undefined ? '' : `[${d.index}]`;
  const field = d.field === undefined ? '' : `.${d.field}`;
  return `${d.key}${index}${field}`;
}
