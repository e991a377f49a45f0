/**
 * Rules as `kubectl auth can-i --list` prints them
 * (staging/src/k8s.io/kubectl/pkg/cmd/auth/cani.go `printStatus` at 08ea6733,
 * over staging/src/k8s.io/kubectl/pkg/util/rbac/rbac.go): each rule broken
 * down into one row per API group, resource, verb and resource name (and
 * per non-resource URL and verb); rows of one group, resource and name
 * merged, their verbs in first-seen order without repeats; sorted by the
 * rule's Go `String()` (`&PolicyRule{Verbs:[…],APIGroups:[…],…}`: verbs
 * first); the resource printed as `describe.CombineResourceGroup` does
 * (`deployments.apps/scale`). Here every row also has its source, and rows
 * of different sources are not merged.
 *
 * @module
 */
import type { PermissionRule } from '../authz/types.js';
import { compareGoStrings } from '../util/go-strings.js';
import { goList } from './authz-text.js';

/** One printed row: kubectl's four cells and the source. */
export interface RulesTableRow {
  /** `Resources`: `pods`, `deployments.apps/scale`, or `''` for a non-resource row. */
  readonly resource: string;
  /** `Non-Resource URLs`: `[/healthz]` or `[]`. */
  readonly nonResourceURLs: string;
  /** `Resource Names`: `[name]` or `[]`. */
  readonly resourceNames: string;
  /** `Verbs`: `[get list watch]`. */
  readonly verbs: string;
  /** The row's source, as `sourceKey` names it. */
  readonly source: string;
}

/** `describe.CombineResourceGroup`: `resource.group/subresource`. */
function combineResourceGroup(resource: string, group: string): string {
  const slash = resource.indexOf('/');
  const base = slash === -1 ? resource : resource.slice(0, slash);
  const withGroup = group === '' ? base : `${base}.${group}`;
  return slash === -1 ? withGroup : `${withGroup}${resource.slice(slash)}`;
}

/** A row before printing: the Go rule it stands for, and its source. */
interface Broken {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly resourceNames: string[];
  readonly nonResourceURLs: string[];
  readonly verbs: string[];
  readonly source: number;
}

/** `(*PolicyRule).String()`, the key kubectl sorts by. */
function goString(r: Broken): string {
  return `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;
}

/**
 * The rows `kubectl auth can-i --list` prints for `rules`, each with its
 * source (`sourceKey(rule)` names it), in kubectl's order.
 */
export function rulesTableRows(
  rules: readonly PermissionRule[],
  sourceKey: (rule: PermissionRule) => string,
): RulesTableRow[] {
  const sources = new Map<string, number>();
  const other: Broken[] = [];
  const simple = new Map<string, Broken>();
  // The verbs of each merged row, for a membership test in constant time.
  const verbsOf = new Map<Broken, Set<string>>();
  for (const rule of rules) {
    const key = sourceKey(rule);
    let source = sources.get(key);
    if (source === undefined) {
      source = sources.size;
      sources.set(key, source);
    }
    // BreakdownRule: one verb, one group, one resource, one name per rule.
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        for (const verb of rule.verbs) {
          for (const name of rule.resourceNames?.length ? rule.resourceNames : [undefined]) {
            // CompactRules: rows of one group, resource and name merge their verbs.
            const id = JSON.stringify([source, group, resource, name ?? null]);
            const seen = simple.get(id);
            if (seen === undefined) {
              const row: Broken = {
                apiGroups: [group],
                resources: [resource],
                resourceNames: name === undefined ? [] : [name],
                nonResourceURLs: [],
                verbs: [verb],
                source,
              };
              simple.set(id, row);
              verbsOf.set(row, new Set([verb]));
            } else {
              const verbs = verbsOf.get(seen) as Set<string>;
              if (!verbs.has(verb)) {
                verbs.add(verb);
                seen.verbs.push(verb);
              }
            }
          }
        }
      }
    }
    for (const url of rule.nonResourceURLs ?? []) {
      for (const verb of rule.verbs) {
        other.push({
          apiGroups: [],
          resources: [],
          resourceNames: [],
          nonResourceURLs: [url],
          verbs: [verb],
          source,
        });
      }
    }
  }
  const keyed = [...other, ...simple.values()].map((r) => ({ r, key: goString(r) }));
  // A stable sort by kubectl's key (strings.Compare: UTF-8 byte order);
  // rows of one key stay in their sources' order.
  keyed.sort((a, b) => compareGoStrings(a.key, b.key) || a.r.source - b.r.source);
  const names = [...sources.keys()];
  return keyed.map(({ r }) => ({
    resource:
      r.resources.length === 0
        ? ''
        : combineResourceGroup(r.resources[0] as string, r.apiGroups[0] ?? ''),
    nonResourceURLs: goList(r.nonResourceURLs),
    resourceNames: goList(r.resourceNames),
    verbs: goList(r.verbs),
    source: names[r.source] as string,
  }));
}
