/**
 * `lint --format text`: one line per problem in the shape compilers print
 * and editors, terminals and CI log matchers jump to,
 * `FILE:LINE:COLUMN: severity code key[index].field: message (fix: …)`,
 * then one summary line per file. Every line goes through the one escaper
 * (`output.ts`): file names, keys and messages quote the input, and must not
 * carry a terminal escape or a line break that forges another line.
 *
 * @module
 */
import { diagnosticLocation, positionOf } from './lint-diagnostic.js';
import type { LintDiagnostic, LintReport } from './lint-diagnostic.js';
import { escapeControl } from './output.js';

/** The message of a diagnostic with its place and fix: `key[index].field: message (fix: …)`. */
export function diagnosticText(d: LintDiagnostic): string {
  const where = diagnosticLocation(d);
  const errorCode = d.errorCode === undefined ? '' : `${d.errorCode}: `;
  const fix = d.fix === undefined ? '' : ` (fix: ${d.fix})`;
  return `${where === '' ? '' : `${where}: `}${errorCode}${d.message}${fix}`;
}

/** One line: `FILE:LINE:COLUMN: severity code text` (`FILE: …` for the whole file). */
export function formatTextDiagnostic(file: string, d: LintDiagnostic): string {
  const position = positionOf(d);
  const at = position === undefined ? '' : `:${position.line}:${position.column}`;
  return escapeControl(`${file}${at}: ${d.severity} ${d.code} ${diagnosticText(d)}`);
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The file's summary: `aws-auth.yaml: 12 entries, no problems` or `…, 1 error, 2 warnings`. */
export function formatSummary(report: LintReport): string {
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.length - errors;
  const problems =
    errors + warnings === 0
      ? 'no problems'
      : [
          ...(errors > 0 ? [count(errors, 'error', 'errors')] : []),
          ...(warnings > 0 ? [count(warnings, 'warning', 'warnings')] : []),
        ].join(', ');
  const entries =
    report.entries === undefined ? '' : `${count(report.entries, 'entry', 'entries')}, `;
  return escapeControl(`${report.file}: ${entries}${problems}`);
}

/** The whole text output: each file's problems, then its summary line. */
export function formatText(reports: readonly LintReport[]): string {
  const lines = reports.flatMap((r) => [
    ...r.diagnostics.map((d) => formatTextDiagnostic(r.file, d)),
    formatSummary(r),
  ]);
  return `${lines.join('\n')}\n`;
}
