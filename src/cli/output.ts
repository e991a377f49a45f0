/**
 * How the command-line tool talks to the terminal: exit codes, the
 * `error CODE: message` line, and JSON in the exact shape other tools print.
 *
 * @module
 */
import { EksAuthError } from '../errors.js';
import { UsageError } from './args.js';
import { EXIT } from './exit-codes.js';
import {
  describeReadError,
  InputFileError,
  isSystemError,
  translateLibraryMessage,
} from './translate-error.js';
import type { FlagNames } from './translate-error.js';
import {
  escapeLegacyWorkflowCommands,
  LEADING_WORKFLOW_COMMAND,
  LEGACY_WORKFLOW_COMMAND,
} from '../util/workflow-commands.js';

export { EXIT } from './exit-codes.js';

/**
 * Characters a terminal or a log viewer acts on: C0 and C1 controls (ESC
 * sequences, CR that rewinds a line, LF that forges a new one), DEL, line and
 * paragraph separators, and the bidirectional overrides that reorder what is
 * shown ("Trojan Source").
 */
export const UNSAFE_CHARACTERS: RegExp =
  // eslint-disable-next-line no-control-regex -- control characters are what this escapes
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const UNSAFE_IN_JSON =
  /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * Text taken from an input file, made safe to print on one line: every
 * control character is shown as an escape (`\x1b`, `\n`, `\u{202e}`), so a
 * quoted YAML key cannot move the cursor, recolour the terminal or forge a
 * `FILE:LINE: error:` line in a CI log; and a GitHub Actions workflow
 * command it would start (`::` at its start) or hold (`##[`) is broken by
 * the same kind of escape (`\x3a:`, `##\x5b`), since a file name or a
 * table cell may begin a line.
 */
export function escapeControl(text: string): string {
  const escaped = text.replace(UNSAFE_CHARACTERS, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
  return escaped
    .replace(LEGACY_WORKFLOW_COMMAND, '##\\x5b')
    .replace(LEADING_WORKFLOW_COMMAND, '$1\\x3a:');
}

/** Write `text` to standard output. */
export function out(text: string): void {
  process.stdout.write(text);
}

/** Write one line to standard error. */
export function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Warn that `file` has `errors` error diagnostics, whose entries or fields
 * the answer leaves out (as EKS does), and point at `eks-iam-auth lint` for
 * where they are; nothing when `errors` is 0. `kind` (a mapping source's
 * kind) is shown after the file name. The whole line is escaped: a file
 * name is input too.
 */
export function warnIgnoredErrors(file: string, errors: number, kind?: string): void {
  if (errors === 0) return;
  const name = kind === undefined ? file : `${file} (${kind})`;
  warn(
    escapeControl(
      `warning: ${name} has ${errors} error(s); some entries or fields are ignored (run "eks-iam-auth lint ${file}")`,
    ),
  );
}

/**
 * Report a failure on standard error and return the exit status for it (1:
 * every error is a failure in the exit-status table). Typed errors print
 * `error CODE: message`; a `UsageError` also prints the command's synopsis;
 * nothing prints a stack trace, since a user mistake is not a crash (set
 * `EKS_IAM_AUTH_DEBUG=1` to see the stack of an unexpected error).
 *
 * Messages are put in the command line's words first
 * (`translate-error.ts`): `flags` says which flag supplies each library
 * option the command passed on, so `options.partition` reads `--partition`;
 * a system error names no errno code. Everything is escaped: messages quote
 * file names, flag values and input.
 */
export function reportError(error: unknown, flags: FlagNames = {}): number {
  if (error instanceof UsageError) {
    warn(`error: ${escapeControl(translateLibraryMessage(error.message, flags))}`);
    // The synopsis and a pointer to --help: the whole help text would bury the error.
    const synopsis = error.usage.split('\n')[0];
    if (synopsis) {
      const command = /^Usage: (eks-iam-auth [\w-]+)/.exec(synopsis)?.[1] ?? 'eks-iam-auth';
      warn(`${synopsis}\nRun "${command} --help" for details.`);
    }
    return EXIT.usage;
  }
  if (error instanceof InputFileError) {
    const message = translateLibraryMessage(error.error.message, flags);
    warn(`error ${error.error.code}: ${escapeControl(`${error.file}: ${message}`)}`);
    return EXIT.failure;
  }
  // Messages may quote the input (a kind, a key): escaped like any text from a file.
  if (error instanceof EksAuthError) {
    warn(`error ${error.code}: ${escapeControl(translateLibraryMessage(error.message, flags))}`);
    return EXIT.failure;
  }
  // The library throws TypeError for bad options; from the command line those
  // come from flag values, so they are usage errors, not crashes.
  if (error instanceof TypeError) {
    warn(`error: ${escapeControl(translateLibraryMessage(error.message, flags))}`);
    return EXIT.usage;
  }
  if (isSystemError(error)) {
    // A read or write the command did not wrap: say what failed in words, no errno code.
    const where = typeof error.path === 'string' ? `${error.path}: ` : '';
    warn(`error: ${escapeControl(`${where}${describeReadError(error)}`)}`);
    return EXIT.failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  warn(`error: ${escapeControl(translateLibraryMessage(message, flags))}`);
  if (process.env['EKS_IAM_AUTH_DEBUG'] && error instanceof Error && error.stack) warn(error.stack);
  return EXIT.failure;
}

/**
 * Pretty JSON for people and `jq`: two-space indent, trailing newline. The
 * characters `JSON.stringify` leaves raw but a terminal acts on (DEL, C1
 * controls, bidirectional overrides, U+2028/9) are written as `\uXXXX`, which
 * is the same JSON, and so is the `[` of a `##[` (`##\u005b`: the old GitHub Actions
 * workflow command syntax, read anywhere in a line of a log). No line of it
 * starts with `::`: each starts with indentation and a JSON token.
 */
export function formatJson(value: unknown): string {
  // C0 controls inside strings are already escaped by JSON.stringify; its own line breaks stay.
  const json = JSON.stringify(value, null, 2).replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${escapeLegacyWorkflowCommands(json)}\n`;
}

/**
 * JSON in the layout of Python's `json.dumps` defaults (`", "` and `": "`
 * separators, non-ASCII as `\uXXXX`), which is what `aws eks get-token` of
 * awscli v2 prints: tools that compare or cache that output byte for byte keep
 * working when this tool replaces it.
 */
export function formatPythonJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') {
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (Array.isArray(value)) return `[${value.map(formatPythonJson).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    return `{${entries.map(([k, v]) => `${formatPythonJson(k)}: ${formatPythonJson(v)}`).join(', ')}}`;
  }
  throw new TypeError(`cannot serialize a ${typeof value} as JSON`);
}
