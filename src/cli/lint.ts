/**
 * `eks-iam-auth lint FILE...`: report the problems `parseAwsAuth` finds in an
 * `aws-auth` ConfigMap (or the access-entry and authenticator-source parsers
 * in their files, told apart by content), where people look: a terminal or
 * editor (`text`, `FILE:LINE:COLUMN: severity code message`), scripts
 * (`json`), GitHub code scanning (`sarif`) and pull-request annotations
 * (`github`).
 *
 * @module
 */
import { oneOf, parseCommandLine, UsageError } from './args.js';
import { exitStatusHelp } from './exit-codes.js';
import { readTextInput } from './input.js';
import { formatGithub } from './lint-github.js';
import { lintText } from './lint-report.js';
import type { LintReport } from './lint-diagnostic.js';
import { formatSarif } from './lint-sarif.js';
import { formatText } from './lint-text.js';
import { EXIT, escapeControl, formatJson, out, reportError } from './output.js';
import { packageVersion } from './version.js';

/** Usage text of `lint`. */
export const USAGE: string = `Usage: eks-iam-auth lint [options] FILE...

Check aws-auth ConfigMaps (YAML or JSON; the whole manifest or its data map)
for what EKS ignores or takes literally: a list where a string belongs (the
whole ConfigMap is rejected), YAML syntax, entries EKS drops or never matches
(role paths, assumed-role, sts or group ARNs), missing usernames, YAML 1.1
values (yes, 123), <…> and one-brace placeholders, misspelt fields and groups,
identical and conflicting duplicates, raw control and bidirectional
characters, a file that maps nobody, ... Each problem says what to write.
Access-entry JSON (as "aws eks describe-access-entry" prints it, a list, or
{ "accessEntries": [...] }) is told apart by content and checked against the
access-entry rules. So are the Go authenticator's other mapping sources: its
server config file (top-level server: or clusterID:), IAMIdentityMapping
objects (kind: IAMIdentityMapping, or a List of them) and a DynamicFile (JSON
with mapRoles/mapUsers/mapAccounts lists, LastUpdatedDateTime, Version); a
source the authenticator refuses as a whole says so (source-refused). FILE
"-" reads standard input. Files larger than 1 MiB are refused.

Options:
  --format FORMAT  text (default): one "FILE:LINE:COLUMN: severity code
                   key[index].field: message (fix: …)" line per problem, then
                   "FILE: N entries, no problems" (or the counts) per file;
                   json: an array of diagnostics, each with its file, fatal
                   errors included;
                   sarif: a SARIF 2.1.0 log for GitHub code scanning;
                   github: GitHub Actions annotations
                   ("::error title=…,file=…,line=…,col=…::message").
  -h, --help       show this help

${exitStatusHelp('lint')}
`;

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

/** The JSON format: every diagnostic with its file, text escaped like every other format. */
function toJson(reports: readonly LintReport[]): unknown[] {
  return reports.flatMap(({ file, diagnostics }) =>
    diagnostics.map((d) => ({
      file,
      ...d,
      key: escapeControl(d.key),
      ...(d.field === undefined ? {} : { field: escapeControl(d.field) }),
      message: escapeControl(d.message),
      ...(d.fix === undefined ? {} : { fix: escapeControl(d.fix) }),
    })),
  );
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
    const format = oneOf(args.values.format ?? 'text', FORMATS, '--format', USAGE);
    const files = args.positionals;
    if (files.length === 0) throw new UsageError('a FILE to lint is required', USAGE);
    if (files.filter((f) => f === '-').length > 1) {
      throw new UsageError('standard input ("-") can be linted once', USAGE);
    }

    // Every file is read before anything is printed: an unreadable one is an
    // error of the command, not half a report.
    const reports: LintReport[] = [];
    for (const file of files) {
      const text = await readTextInput(file);
      reports.push(lintText(file === '-' ? '<stdin>' : file, text));
    }
    switch (format) {
      case 'json':
        out(formatJson(toJson(reports)));
        break;
      case 'sarif':
        out(formatJson(formatSarif(reports, await packageVersion())));
        break;
      case 'github':
        out(formatGithub(reports));
        break;
      case 'text':
        out(formatText(reports));
        break;
    }
    const errors = reports.some(({ diagnostics }) =>
      diagnostics.some((d) => d.severity === 'error'),
    );
    return errors ? EXIT.failure : EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}
