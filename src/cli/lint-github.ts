/**
 * `lint --format github`: GitHub Actions workflow commands, so a pull
 * request that edits an aws-auth shows its mistakes on the changed lines:
 * `::error title=T,file=F,line=L,col=C::MESSAGE`.
 *
 * Escaped exactly as the Actions runner unescapes (actions/runner
 * `src/Runner.Common/ActionCommand.cs` at commit
 * 258d6c857db3519913f7deb6004b60172f8043ae): `TryParseV2` (lines 51–119)
 * takes a line that starts with `::` (after leading spaces), cuts the
 * command at the next `::`, splits its properties on `,` and each on the
 * first `=`, then `UnescapeProperty` (lines 227–241) maps `%0D`, `%0A`,
 * `%3A`, `%2C`, `%25` back (table at lines 25–32) and `UnescapeData`
 * (lines 243–257) maps `%0D`, `%0A`, `%25` (lines 18–23). So `%` is written
 * `%25` first, then CR, LF (and in properties `:` and `,`); nothing else
 * has an escape. Text from the input first goes through the one escaper
 * (`output.ts`), so no raw control character reaches the log either.
 *
 * Every line this format prints is a workflow command: a plain line holding
 * a hostile file name could otherwise be read as one (the runner also parses
 * the old `##[command]` syntax anywhere in a line that is not a `::`
 * command: `ActionCommandManager.cs` lines 70–71).
 *
 * @module
 */
import { diagnosticText, formatSummary } from './lint-text.js';
import { positionOf } from './lint-diagnostic.js';
import type { LintDiagnostic, LintReport } from './lint-diagnostic.js';
import { escapeControl } from './output.js';

/** A workflow command's message (after `::`): `%`, CR and LF escaped. */
export function escapeCommandData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** A workflow command property value: `%`, CR, LF, `:` and `,` escaped. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * One annotation: `::error title=…,file=…,line=…,col=…::message`, the
 * property order of GitHub's own toolkit (`@actions/core`), so its output
 * and this one can be compared byte for byte.
 */
export function formatAnnotation(file: string, d: LintDiagnostic): string {
  const position = positionOf(d);
  const properties = [
    `title=${escapeCommandProperty(`eks-iam-auth lint: ${d.code}`)}`,
    `file=${escapeCommandProperty(escapeControl(file))}`,
    ...(position === undefined ? [] : [`line=${position.line}`, `col=${position.column}`]),
  ];
  return `::${d.severity} ${properties.join(',')}::${escapeCommandData(escapeControl(diagnosticText(d)))}`;
}

/**
 * The whole output: one annotation per problem, then each file's summary
 * as a `notice` (a command too, never a plain line).
 */
export function formatGithub(reports: readonly LintReport[]): string {
  const lines = reports.flatMap((r) => [
    ...r.diagnostics.map((d) => formatAnnotation(r.file, d)),
    `::notice title=${escapeCommandProperty('eks-iam-auth lint')}::${escapeCommandData(formatSummary(r))}`,
  ]);
  return `${lines.join('\n')}\n`;
}
