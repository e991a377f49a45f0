/**
 * `eks-iam-auth lint FILE...`: report the problems `parseAwsAuth` finds in an
 * `aws-auth` ConfigMap (or the access-entry and authenticator-source parsers
 * in their files, told apart by content), one per line in the `FILE:LINE: severity: where:
 * message` shape editors and CI annotators understand.
 *
 * @module
 */
import { parseAwsAuth } from '../aws-auth/parse.js';
import type { AwsAuthDiagnostic } from '../mapping/types.js';
import { EksAuthError } from '../errors.js';
import { oneOf, parseCommandLine, UsageError } from './args.js';
import { readTextInput } from './input.js';
import { lintAccessEntries, looksLikeAccessEntries } from './lint-access-entries.js';
import { authenticatorSourceKind, lintSource } from './lint-sources.js';
import { EXIT, escapeControl, formatJson, out, reportError } from './output.js';

/** Usage text of `lint`. */
export const USAGE = `Usage: eks-iam-auth lint [options] FILE...

Check aws-auth ConfigMaps (YAML or JSON; the whole manifest or its data map)
for what EKS ignores or takes literally: a list where a string belongs (the
whole ConfigMap is rejected), YAML syntax, entries EKS drops or never matches
(role paths, assumed-role, sts or group ARNs), missing usernames, YAML 1.1
values (yes, 123), <…> and one-brace placeholders, misspelt fields and groups,
identical and conflicting duplicates, ... Each problem says what to write.
Access-entry JSON (as "aws eks describe-access-entry" prints it, a list, or
{ "accessEntries": [...] }) is told apart by content and checked against the
access-entry rules. So are the Go authenticator's other mapping sources: its
server config file (top-level server: or clusterID:), IAMIdentityMapping
objects (kind: IAMIdentityMapping, or a List of them) and a DynamicFile (JSON
with mapRoles/mapUsers/mapAccounts lists, LastUpdatedDateTime, Version); a
source the authenticator refuses as a whole says so (source-refused). FILE
"-" reads standard input.

Options:
  --format text|json  text: one "FILE:LINE: severity: key[index].field: message"
                      line per problem, with "(fix: …)" when there is one
                      (default); json: an array of diagnostics, each with its
                      file, fatal errors included
  -h, --help          show this help

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error or
unreadable file.
`;

/** Where a diagnostic points inside the ConfigMap: `key[index].field`. */
export function diagnosticLocation(diagnostic: AwsAuthDiagnostic): string {
  const index = diagnostic.index === undefined ? '' : `[${diagnostic.index}]`;
  const field = diagnostic.field === undefined ? '' : `.${diagnostic.field}`;
  return `${diagnostic.key}${index}${field}`;
}

/**
 * One text line: `FILE:LINE: severity: key[index].field: message (fix: …)`
 * (`:LINE` only when known). Everything is escaped: file names, keys, field
 * names and messages quote the input, and must not carry a terminal escape or
 * a line break that forges another diagnostic.
 */
export function formatDiagnostic(file: string, diagnostic: AwsAuthDiagnostic): string {
  const line = diagnostic.line === undefined ? '' : `:${diagnostic.line}`;
  const fix = diagnostic.fix === undefined ? '' : ` (fix: ${diagnostic.fix})`;
  return escapeControl(
    `${file}${line}: ${diagnostic.severity}: ${diagnosticLocation(diagnostic)}: ${diagnostic.message}${fix}`,
  );
}

/** A lint result line for a file that is not a ConfigMap at all (`parseAwsAuth` threw). */
interface FileError {
  severity: 'error';
  fatal: true;
  code: 'not-a-configmap';
  errorCode: string;
  key: '';
  message: string;
}

/** Run `lint` with its arguments; resolves to the exit status. */
export async function run(argv: string[]): Promise<number> {
  try {
    const args = parseCommandLine(
      argv,
      { options: { format: { type: 'string' } }, allowPositionals: true },
      USAGE,
    );
    if (args.help) {
      out(USAGE);
      return EXIT.ok;
    }
    const format = oneOf(
      args.values.format ?? 'text',
      ['text', 'json'] as const,
      '--format',
      USAGE,
    );
    const files = args.positionals;
    if (files.length === 0) throw new UsageError('a FILE to lint is required', USAGE);

    const results: { file: string; diagnostics: readonly (AwsAuthDiagnostic | FileError)[] }[] = [];
    for (const file of files) {
      const text = await readTextInput(file);
      const name = file === '-' ? '<stdin>' : file;
      // A file that is not a ConfigMap at all throws (ERR_AWS_AUTH_INVALID):
      // it is a fatal error of that file, in both formats; go on with the others.
      try {
        // Input order groups by key; people read a file top to bottom.
        const sourceKind = authenticatorSourceKind(text);
        if (sourceKind !== undefined) {
          results.push({ file: name, diagnostics: lintSource(sourceKind, text) });
          continue;
        }
        if (looksLikeAccessEntries(text)) {
          results.push({ file: name, diagnostics: lintAccessEntries(text) });
          continue;
        }
        const diagnostics = [...parseAwsAuth(text).diagnostics].sort(
          (a, b) => (a.line ?? 0) - (b.line ?? 0),
        );
        results.push({ file: name, diagnostics });
      } catch (error) {
        if (!(error instanceof EksAuthError)) throw error;
        const fileError: FileError = {
          severity: 'error',
          fatal: true,
          code: 'not-a-configmap',
          errorCode: error.code,
          key: '',
          message: error.message,
        };
        results.push({ file: name, diagnostics: [fileError] });
      }
    }
    if (format === 'json') {
      const all = results.flatMap(({ file, diagnostics }) =>
        diagnostics.map((d) => ({ file, ...d })),
      );
      out(formatJson(all));
    } else {
      for (const { file, diagnostics } of results) {
        for (const d of diagnostics) {
          out(
            `${'errorCode' in d ? escapeControl(`${file}: error: ${d.errorCode}: ${d.message}`) : formatDiagnostic(file, d)}\n`,
          );
        }
      }
    }
    const errors = results.some(({ diagnostics }) =>
      diagnostics.some((d) => d.severity === 'error'),
    );
    return errors ? EXIT.failure : EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}
