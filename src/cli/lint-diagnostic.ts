/**
 * The shape of what `lint` reports, shared by the readers of each input kind
 * and the output formats: one problem ({@link LintDiagnostic}), one file
 * ({@link LintReport}), and where a problem points.
 *
 * @module
 */

/**
 * One problem, as lint reports it. The library's diagnostics fit this shape;
 * `code` is always set here.
 */
export interface LintDiagnostic {
  /** `error` (exit status 1) or `warning`. */
  readonly severity: 'error' | 'warning';
  /** Stable identifier of the problem (the SARIF rule id). */
  readonly code: string;
  /** True when nothing in the file applies (Kubernetes or the authenticator refuses it whole). */
  readonly fatal?: boolean;
  /** For a file that is no mapping source at all: the library error code (`ERR_AWS_AUTH_INVALID`). */
  readonly errorCode?: string;
  /** The data key or top-level field concerned (`mapRoles`, `accessEntries`, …); empty for the whole file. */
  readonly key: string;
  /** 0-based index of the entry within its key's list. */
  readonly index?: number;
  /** The field of the entry concerned. */
  readonly field?: string;
  /** 1-based line of the entry. */
  readonly line?: number;
  /** 1-based line of the value concerned, when the parser can tell. */
  readonly fieldLine?: number;
  /** 1-based column of the value concerned, when the parser can tell. */
  readonly column?: number;
  /** What is wrong. */
  readonly message: string;
  /** What to write instead. */
  readonly fix?: string;
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
