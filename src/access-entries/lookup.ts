/**
 * The lookup index of parsed access entries: built once per frozen
 * `AccessEntries` object (every `parseAccessEntries` result) and cached, so a
 * lookup is one hash probe whatever the number of entries; rebuilt on each
 * call for an object that can still change, so removing an entry revokes. Keyed as EKS compares: the lower-cased principal ARN with any role
 * path removed (pkg/mapper/dynamicfile/mapper.go:47 and :80-87).
 *
 * @module
 */
import { isParsedAccessEntries, parseAccessEntries } from './parse.js';
import { principalMatchKey } from './principal.js';
import type { AccessEntries, AccessEntriesInput, AccessEntry } from './types.js';
import { derivedWhileFrozen } from '../util/frozen-cache.js';

const cache = new WeakMap<AccessEntries, ReadonlyMap<string, AccessEntry>>();

function build(entries: AccessEntries): ReadonlyMap<string, AccessEntry> {
  const index = new Map<string, AccessEntry>();
  for (const entry of entries.entries) {
    // A parsed result may also come from JSON written elsewhere: skip what cannot match.
    if (typeof entry !== 'object' || entry === null || typeof entry.principalArn !== 'string')
      continue;
    if (typeof entry.username !== 'string' || !Array.isArray(entry.kubernetesGroups)) continue;
    const key = principalMatchKey(entry.principalArn);
    // The parser keeps the first entry per principal, as EKS allows only one.
    if (!index.has(key)) index.set(key, entry);
  }
  return index;
}

/** The index of `entries` by {@link principalMatchKey}, cached while `entries` is frozen. */
export function accessEntryIndex(entries: AccessEntries): ReadonlyMap<string, AccessEntry> {
  return derivedWhileFrozen(cache, entries, build);
}

let lastText: { text: string; parsed: AccessEntries } | undefined;

/**
 * Parsed access entries for anything `resolveIdentity` accepts: a parsed
 * result as is, the last text seen from a one-entry memo, anything else
 * parsed afresh.
 *
 * @throws the errors of `parseAccessEntries`.
 */
export function resolveAccessEntries(input: AccessEntriesInput | AccessEntries): AccessEntries {
  if (isParsedAccessEntries(input)) return input;
  if (typeof input === 'string') {
    if (lastText?.text === input) return lastText.parsed;
    const parsed = parseAccessEntries(input);
    lastText = { text: input, parsed };
    return parsed;
  }
  return parseAccessEntries(input as AccessEntriesInput);
}
