/**
 * `eks-iam-auth lint` on access-entry JSON: told apart from an aws-auth
 * ConfigMap by content, checked by `parseAccessEntries`, reported in lint's
 * own diagnostic shape (`accessEntries[index].field`).
 *
 * @module
 */
import { parseAccessEntries } from '../access-entries/parse.js';
import type { LintDiagnostic } from './lint-diagnostic.js';

/**
 * True when `text` is JSON in one of the access-entry shapes: a list, or an
 * object with `accessEntry`, `accessEntries` or `principalArn`. An aws-auth
 * ConfigMap in JSON has `data`/`mapRoles`/… instead.
 */
export function looksLikeAccessEntries(text: string): boolean {
  const start = text.trimStart();
  if (!start.startsWith('{') && !start.startsWith('[')) return false;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  return ['accessEntry', 'accessEntries', 'principalArn'].some((k) => Object.hasOwn(value, k));
}

/**
 * The access entries that survive in `text`, and its diagnostics (JSON has
 * no lines: `index` and `field` say where). Access-entry diagnostics that
 * carry no code of their own get `access-entry`.
 *
 * @throws `AccessEntriesError` when `text` is not access entries at all.
 */
export function lintAccessEntries(text: string): {
  entries: number;
  diagnostics: LintDiagnostic[];
} {
  const parsed = parseAccessEntries(text);
  return {
    entries: parsed.entries.length,
    diagnostics: parsed.diagnostics.map((d) => ({
      ...d,
      code: (d as { readonly code?: string }).code ?? 'access-entry',
    })),
  };
}
