/**
 * EKS access entries as a mapping source. EKS reads them as the Go
 * authenticator's DynamicFile mapper in user-id-strict mode: the caller's
 * canonical ARN, lower-cased, against the entry's principal ARN without its
 * path, and the principal id when the entry carries one
 * (pkg/mapper/dynamicfile/mapper.go:47-52 and :80-87).
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { CanonicalArn } from '../arn.js';
import type { Caller } from '../mapping/caller.js';
import { principalBaseName, stripRolePath } from '../mapping/lookup.js';
import type { IdentityNearMiss, IdentitySource, SourceMatch } from '../mapping/source.js';
import { accessEntryIndex } from './lookup.js';
import { principalMatchKey } from './principal.js';
import type { AccessEntries, AccessEntry } from './types.js';

/** An access entry that maps the caller. */
export interface AccessEntryMatch extends SourceMatch {
  /** Always `accessEntry`. */
  readonly matchedBy: 'accessEntry';
  /** The entry, with its type and access policies. */
  readonly entry: AccessEntry;
}

/**
 * True when the entry for the caller's ARN is bound to another principal.
 * EKS stores the principal's unique id with the entry and looks callers up
 * by it, so a deleted and recreated role or user (same ARN, new id) no
 * longer matches (AWS EKS user guide, "Create access entries"). The id is
 * compared only when both the entry and the caller carry one.
 */
function boundToAnother(entry: AccessEntry, caller: Caller): boolean {
  return (
    entry.principalId !== undefined &&
    caller.principalId !== undefined &&
    entry.principalId !== caller.principalId
  );
}

/** Entries for the caller's name written with a path, or in another account or partition. */
function elsewhereMisses(entries: AccessEntries, caller: Caller): IdentityNearMiss[] {
  const misses: IdentityNearMiss[] = [];
  let callerArn: CanonicalArn;
  try {
    callerArn = canonicalizeArn(caller.canonicalArn);
  } catch {
    return misses;
  }
  const target = caller.matchKey;
  const wanted = principalBaseName(callerArn);
  for (const entry of entries.entries) {
    const key = principalMatchKey(entry.principalArn);
    if (key === target) continue; // the caller's own entry, reported by nearMisses itself
    if (stripRolePath(target) === key && target !== key) {
      misses.push({
        source: 'accessEntry',
        kind: 'path',
        index: entry.index,
        value: stripRolePath(caller.canonicalArn),
        reason: `the caller's ARN has a role path, which STS never reports; the cluster sees ${stripRolePath(caller.canonicalArn)}, which this entry matches`,
      });
      continue;
    }
    let entryArn: CanonicalArn;
    try {
      entryArn = canonicalizeArn(entry.principalArn);
    } catch {
      continue;
    }
    if (wanted === undefined || principalBaseName(entryArn) !== wanted) continue;
    if (entryArn.partition !== caller.partition) {
      misses.push({
        source: 'accessEntry',
        kind: 'partition',
        index: entry.index,
        value: entry.principalArn,
        reason: `same name in another partition (${entryArn.partition}, not ${caller.partition})`,
      });
    } else if (entryArn.accountId !== caller.accountId) {
      misses.push({
        source: 'accessEntry',
        kind: 'account',
        index: entry.index,
        value: entry.principalArn,
        reason: `same name in another account (${entryArn.accountId}, not ${caller.accountId}); an access entry names one principal in one account`,
      });
    }
  }
  return misses;
}

/**
 * Parsed access entries as a source (SPEC 4.6). Its near misses: the
 * caller's entry bound to another principal id, or matched only because
 * EKS ignores case; then entries for the caller's name written with a path,
 * or in another account or partition.
 */
export function accessEntrySource(entries: AccessEntries): IdentitySource<AccessEntryMatch> {
  const entryFor = (caller: Caller): AccessEntry | undefined =>
    accessEntryIndex(entries).get(caller.matchKey);
  return {
    lookup(caller) {
      const entry = entryFor(caller);
      if (entry === undefined || boundToAnother(entry, caller)) return undefined;
      return {
        matchedBy: 'accessEntry',
        username: entry.username,
        groups: entry.kubernetesGroups,
        entryIndex: entry.index,
        templated: true,
        entry,
      };
    },
    nearMisses(caller) {
      const misses: IdentityNearMiss[] = [];
      const entry = entryFor(caller);
      if (entry !== undefined && boundToAnother(entry, caller)) {
        misses.push({
          source: 'accessEntry',
          kind: 'principal-id',
          index: entry.index,
          value: entry.principalArn,
          reason: `the entry is bound to principal id ${entry.principalId ?? ''}, the caller is ${caller.principalId ?? ''}: the IAM principal was deleted and recreated, so EKS no longer matches it (delete and recreate the access entry)`,
        });
      } else if (
        // Found by the lower-cased, path-less key: written otherwise, it differs in case.
        entry !== undefined &&
        entry.principalArn !== caller.canonicalArn &&
        stripRolePath(entry.principalArn) !== caller.canonicalArn
      ) {
        misses.push({
          source: 'accessEntry',
          kind: 'case',
          index: entry.index,
          value: entry.principalArn,
          reason: `matched although written in another case: EKS compares lower-cased ARNs (the caller is ${caller.canonicalArn})`,
        });
      }
      misses.push(...elsewhereMisses(entries, caller));
      return misses;
    },
  };
}
