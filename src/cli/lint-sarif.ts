/**
 * `lint --format sarif`: a SARIF 2.1.0 log (OASIS, "Static Analysis Results
 * Interchange Format Version 2.1.0") for GitHub code scanning and other
 * SARIF viewers. One run, one rule per diagnostic code that occurs, one
 * result per problem.
 *
 * Shaped for GitHub's subset ("SARIF support for code scanning",
 * docs.github.com): every result has a location with `startLine` (1 for a
 * problem of the whole file), `ruleId` stable across runs, the URI relative
 * as given (GitHub resolves it against the repository root). Messages are
 * plain text through the one escaper (`output.ts`): GitHub shows them, and
 * they quote the input. The tests validate the log against the official
 * schema and with the SARIF SDK's validator.
 *
 * @module
 */
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { positionOf } from './lint-diagnostic.js';
import type { LintDiagnostic, LintReport } from './lint-diagnostic.js';
import { ruleDescription } from './lint-rules.js';
import { diagnosticText } from './lint-text.js';
import { escapeControl } from './output.js';

/** Where the schema of the version written lives (what SARIF viewers and validators look up). */
export const SARIF_SCHEMA_URI =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/**
 * A file name as a SARIF URI reference: each path segment percent-encoded
 * (RFC 3986), so spaces, `#`, `?`, `%` and control characters stay part of
 * the path; an absolute path becomes a `file://` URI.
 */
export function artifactUri(file: string): string {
  const encoded = file
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return file.startsWith('/') ? `file://${encoded}` : encoded;
}

function result(file: string, d: LintDiagnostic, ruleIndex: number): Result {
  const position = positionOf(d) ?? { line: 1, column: 1 };
  return {
    ruleId: d.code,
    ruleIndex,
    level: d.severity,
    message: { text: escapeControl(diagnosticText(d)) },
    // Standard input has no file to point at.
    ...(file === '<stdin>'
      ? {}
      : {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(file) },
                region: { startLine: position.line, startColumn: position.column },
              },
            },
          ],
        }),
  };
}

/** The SARIF log of `reports`, produced by eks-iam-auth `version`. */
export function formatSarif(reports: readonly LintReport[], version: string): Log {
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const results: Result[] = [];
  for (const report of reports) {
    for (const d of report.diagnostics) {
      let index = ruleIndex.get(d.code);
      if (index === undefined) {
        index = rules.length;
        ruleIndex.set(d.code, index);
        const description = ruleDescription(d.code);
        rules.push({
          id: d.code,
          shortDescription: { text: description },
          fullDescription: { text: description },
          help: {
            text: `${description} Run "eks-iam-auth lint FILE" for the fix of each problem.`,
          },
          defaultConfiguration: { level: d.severity },
        });
      }
      results.push(result(report.file, d, index));
    }
  }
  return {
    version: '2.1.0',
    $schema: SARIF_SCHEMA_URI,
    runs: [
      {
        tool: {
          driver: {
            name: 'eks-iam-auth',
            version,
            semanticVersion: version,
            informationUri: 'https://www.npmjs.com/package/eks-iam-auth',
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
