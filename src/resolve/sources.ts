/**
 * The sources a question asks, built from what callers pass: parsed access
 * entries, one `aws-auth`, or the Go authenticator's sources in their
 * order. Built once per parsed input: sources hold no state of their own
 * (lookups go through the indexes, which never go stale on frozen input).
 *
 * @module
 */
import { accessEntrySource } from '../access-entries/source.js';
import type { AccessEntryMatch } from '../access-entries/source.js';
import type { AccessEntries } from '../access-entries/types.js';
import { resolveAwsAuth } from '../aws-auth/input.js';
import { awsAuthSource } from '../aws-auth/source.js';
import type { AwsAuth, AwsAuthInput } from '../mapping/types.js';
import { backendSources, isMappingSourceList } from '../sources/ordered.js';
import type { MappingSourceList, MappingSources, SourceResult } from '../sources/types.js';
import { derivedWhileFrozen } from '../util/frozen-cache.js';
import type { AskedSource } from './union.js';

/** aws-auth (or the Go authenticator's sources in its place), ready to be asked. */
export interface ConfigMapSources {
  /** The parsed aws-auth, bundle or source result as given; `undefined` for an array. */
  readonly table: AwsAuth | undefined;
  /** Its sources, in order. */
  readonly sources: readonly AskedSource[];
}

const configMapCache = new WeakMap<object, ConfigMapSources>();
const entryCache = new WeakMap<AccessEntries, AskedSource<AccessEntryMatch>>();

function orderedSources(
  input: MappingSourceList | MappingSources | SourceResult,
): readonly AskedSource[] {
  return backendSources(input).map((source, sourceIndex): AskedSource => ({
    source,
    kind: 'aws-auth',
    backend: source.mode,
    sourceIndex,
  }));
}

/**
 * aws-auth as sources: one `aws-auth` (anything `parseAwsAuth` takes), or
 * the Go authenticator's sources in their order.
 *
 * @throws the errors of `parseAwsAuth`; `TypeError` for a list item that is
 *   no source.
 */
export function configMapSourcesOf(
  awsAuth: AwsAuthInput | AwsAuth | MappingSourceList,
): ConfigMapSources {
  // A list is checked on every call, before any STS call: its items may change.
  if (Array.isArray(awsAuth)) return { table: undefined, sources: orderedSources(awsAuth) };
  const ordered = isMappingSourceList(awsAuth);
  const table: AwsAuth = ordered
    ? (awsAuth as MappingSources | SourceResult)
    : resolveAwsAuth(awsAuth as AwsAuthInput | AwsAuth);
  // A bundle or source result read from a mutable object is read afresh each time.
  return derivedWhileFrozen(configMapCache, table, () => ({
    table,
    sources: ordered
      ? orderedSources(table as MappingSources | SourceResult)
      : [{ source: awsAuthSource(table), kind: 'aws-auth' }],
  }));
}

/** Parsed access entries as a source. */
export function entrySourceOf(entries: AccessEntries): AskedSource<AccessEntryMatch> {
  let asked = entryCache.get(entries);
  if (asked === undefined) {
    asked = { source: accessEntrySource(entries), kind: 'accessEntry' };
    entryCache.set(entries, asked);
  }
  return asked;
}
