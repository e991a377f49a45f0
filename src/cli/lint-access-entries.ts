/**
 * `eks-iam-auth lint` on access-entry JSON: told apart from an aws-auth
 * ConfigMap by content, checked by `parseAccessEntries`, reported in the
 * lint's own diagnostic shape (`accessEntries[index].field`).
 *
 * @module
 */
import { parseAccessEntries } from '../access-entries/parse.js';
import type { AwsAuthDiagnostic } from '../mapping/types.js';
import { escapeControl } from './output.js';

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
 * The access-entry diagnostics of `text`, as lint prints them (messages
 * escaped: they quote the file).
 *
 * @throws `AccessEntriesError` when `text` is not access entries at all.
 */
export function lintAccessEntries(text: string): AwsAuthDiagnostic[] {
  return parseAccessEntries(text).diagnostics.map((d) => ({
    severity: d.severity,
    key: d.key,
    ...(d.index === undefined ? {} : { index: d.index }),
    ...(d.field === undefined ? {} : { field: escapeControl(d.field) }),
    message: escapeControl(d.message),
  }));
}
