/**
 * What `lint` knows about one file, whatever it holds (aws-auth, access
 * entries, an authenticator source, told apart by content): its
 * diagnostics, every one with a `code`, and how many entries survive. The
 * output formats (`lint-text.ts`, `lint-sarif.ts`, `lint-github.ts`, JSON)
 * all print this.
 *
 * @module
 */
import { parseAwsAuth } from '../aws-auth/parse.js';
import { EksAuthError } from '../errors.js';
import { controlCharacterDiagnostics } from './control-characters.js';
import { lintAccessEntries, looksLikeAccessEntries } from './lint-access-entries.js';
import { positionOf } from './lint-diagnostic.js';
import type { LintDiagnostic, LintReport } from './lint-diagnostic.js';
import { authenticatorSourceKind, lintSource } from './lint-sources.js';

/** Lint one file's text: its kind told apart by content. */
export function lintText(file: string, text: string): LintReport {
  const controls = controlCharacterDiagnostics(text);
  let entries: number | undefined;
  let found: LintDiagnostic[];
  try {
    ({ entries, diagnostics: found } = lintByKind(text));
  } catch (error) {
    // Not a mapping source at all (ERR_AWS_AUTH_INVALID and kin): a fatal
    // error of this file, in every format; the other files go on.
    if (!(error instanceof EksAuthError)) throw error;
    found = [
      {
        severity: 'error',
        fatal: true,
        code: 'not-a-configmap',
        errorCode: error.code,
        key: '',
        message: error.message,
      },
    ];
  }
  const refused = found.some((d) => d.fatal === true || d.code === 'source-refused');
  if (entries === 0 && !refused) found.push(MAPS_NOTHING);
  // A value the parser already reports for its control character (same line)
  // needs no second error for the raw character.
  const reported = new Set(
    found.filter((d) => d.code === 'control-character').map((d) => positionOf(d)?.line),
  );
  const raw = controls.filter((d) => !reported.has(positionOf(d)?.line));
  // People read a file top to bottom; problems of the whole file first.
  const diagnostics = [...found, ...raw].sort(
    (a, b) =>
      (positionOf(a)?.line ?? 0) - (positionOf(b)?.line ?? 0) ||
      (positionOf(a)?.column ?? 0) - (positionOf(b)?.column ?? 0),
  );
  return { file, entries, diagnostics };
}

function lintByKind(text: string): { entries: number; diagnostics: LintDiagnostic[] } {
  const sourceKind = authenticatorSourceKind(text);
  if (sourceKind !== undefined) return lintSource(sourceKind, text);
  if (looksLikeAccessEntries(text)) return lintAccessEntries(text);
  const awsAuth = parseAwsAuth(text);
  return {
    entries: awsAuth.mapRoles.length + awsAuth.mapUsers.length + awsAuth.mapAccounts.length,
    diagnostics: awsAuth.diagnostics.map((d) => ({ ...d, code: d.code ?? 'aws-auth' })),
  };
}

// A problem of the whole file: no line, so it sorts first.
const MAPS_NOTHING: LintDiagnostic = Object.freeze({
  severity: 'warning',
  code: 'maps-nothing',
  key: '',
  message:
    'nothing would be mapped: no entry survives, so no IAM identity gets in through this file',
  fix: 'add the entries you mean, or fix the errors that drop them',
});
