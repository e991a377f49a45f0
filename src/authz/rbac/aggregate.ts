/**
 * ClusterRole aggregation, as the clusterrole aggregation controller does it
 * (pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go
 * at 003e8629, `syncClusterRole`): for a ClusterRole with an
 * `aggregationRule`, for each selector in order, the ClusterRoles it selects
 * sorted by name (the role itself skipped), each of their rules appended
 * unless an equal one is already there (`equality.Semantic.DeepEqual`: same
 * lists in the same order, a missing list equal to an empty one). The result
 * **replaces** the role's rules. The controller re-syncs every aggregated
 * role whenever any ClusterRole changes, so aggregation runs here until
 * nothing changes (upstream `view` feeds `edit`, which feeds `admin`).
 *
 * Labels never change during aggregation, so which roles a selector picks is
 * computed once (through a label index, not a scan per role), and a role is
 * re-synced only when one it selects has changed.
 *
 * The work is bounded as well as the result ({@link MAX_AGGREGATION_WORK}):
 * selectors that match nothing still examine every role their index cannot
 * rule out, and roles that all select each other re-read every member's
 * rules on each pass, so a hostile input of under 100 KiB (600 roles that
 * select each other, 100 rules) once took 32 s, and one of 900 KiB (5,000
 * selectors that match none of 5,000 roles) 2 s, growing with the square of
 * the input.
 *
 * @module
 */
import { RbacError } from '../../errors.js';
import { compareGoStrings } from '../../util/go-strings.js';
import { selectorMatches } from './labels.js';
import type { RbacDiagnostic, RbacLabelSelector, RbacRole, RbacRule } from './types.js';

/**
 * Most rules aggregation may copy in all (a bound on hostile inputs whose
 * selectors make every role aggregate every other: the result alone would be
 * quadratic in the input).
 */
export const MAX_AGGREGATED_RULES = 2_000_000;

/**
 * Most steps aggregation may take: a role examined by a selector (counted
 * as the selector's size), and a member's rule read on a pass. Real
 * clusters need a few thousand; beyond this the input is refused.
 */
export const MAX_AGGREGATION_WORK = 4_000_000;

const ruleKeys = new WeakMap<RbacRule, string>();

/** The identity of a rule for `ruleExists`: its five lists, in order (computed once per rule). */
function ruleKey(rule: RbacRule): string {
  let key = ruleKeys.get(rule);
  if (key === undefined) {
    key = JSON.stringify([
      rule.verbs,
      rule.apiGroups,
      rule.resources,
      rule.resourceNames,
      rule.nonResourceURLs,
    ]);
    ruleKeys.set(rule, key);
  }
  return key;
}

/** What matching one role against `selector` costs: one step per label and per listed value. */
function selectorSize(selector: RbacLabelSelector): number {
  let size = 1 + Object.keys(selector.matchLabels).length;
  for (const req of selector.matchExpressions) size += 1 + req.values.length;
  return size;
}

/** Counts aggregation's steps; refuses the input past {@link MAX_AGGREGATION_WORK}. */
class WorkBudget {
  #spent = 0;

  spend(steps: number): void {
    this.#spent += steps;
    if (this.#spent > MAX_AGGREGATION_WORK) {
      throw new RbacError(
        `ClusterRole aggregation needs more than ${MAX_AGGREGATION_WORK} steps to compute (selectors and rules of aggregated roles that multiply)`,
      );
    }
  }
}

/** Label index over ClusterRoles sorted by name: who has key=value, who has key. */
class LabelIndex {
  readonly sorted: readonly RbacRole[];
  readonly #byPair = new Map<string, RbacRole[]>();
  readonly #byKey = new Map<string, RbacRole[]>();

  constructor(roles: readonly RbacRole[]) {
    this.sorted = [...roles].sort((a, b) => compareGoStrings(a.name, b.name));
    for (const role of this.sorted) {
      for (const [k, v] of Object.entries(role.labels)) {
        push(this.#byPair, `${k}\u0000${v}`, role);
        push(this.#byKey, k, role);
      }
    }
  }

  /** The smallest list of roles that can match `selector`, sorted by name. */
  candidates(selector: RbacLabelSelector): readonly RbacRole[] {
    let best: readonly RbacRole[] = this.sorted;
    const consider = (list: readonly RbacRole[]): void => {
      if (list.length < best.length) best = list;
    };
    for (const [k, v] of Object.entries(selector.matchLabels)) {
      consider(this.#byPair.get(`${k}\u0000${v}`) ?? []);
    }
    for (const req of selector.matchExpressions) {
      if (req.operator === 'Exists') consider(this.#byKey.get(req.key) ?? []);
      if (req.operator === 'In') {
        const union = new Set<RbacRole>();
        for (const v of req.values)
          for (const r of this.#byPair.get(`${req.key}\u0000${v}`) ?? []) union.add(r);
        if (union.size < best.length) {
          best = [...union].sort((a, b) => compareGoStrings(a.name, b.name));
        }
      }
    }
    return best;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/**
 * The ClusterRoles with every aggregated role's rules computed, in the same
 * order. Roles without an `aggregationRule` are returned as they are.
 *
 * @throws {@link RbacError} when aggregation would copy more than
 * {@link MAX_AGGREGATED_RULES} rules or take more than
 * {@link MAX_AGGREGATION_WORK} steps.
 */
export function aggregateClusterRoles(
  clusterRoles: readonly RbacRole[],
  diagnostics: RbacDiagnostic[],
): RbacRole[] {
  const aggregated = clusterRoles.filter((r) => r.aggregationRule !== undefined);
  if (aggregated.length === 0) return [...clusterRoles];
  const labels = new LabelIndex(clusterRoles);
  // Which roles each aggregated role takes its rules from, in the controller's order.
  const members = new Map<string, RbacRole[]>();
  const dependents = new Map<string, string[]>();
  let budget = MAX_AGGREGATED_RULES;
  const work = new WorkBudget();
  for (const role of aggregated) {
    const from: RbacRole[] = [];
    for (const selector of role.aggregationRule?.clusterRoleSelectors ?? []) {
      const size = selectorSize(selector);
      work.spend(size);
      const candidates = labels.candidates(selector);
      work.spend(candidates.length * size);
      for (const candidate of candidates) {
        if (candidate.name === role.name || !selectorMatches(selector, candidate.labels)) continue;
        from.push(candidate);
        push(dependents, candidate.name, role.name);
        budget -= 1;
      }
    }
    if (budget < 0)
      throw new RbacError('ClusterRole aggregation selects too many roles to compute');
    members.set(role.name, from);
  }
  const current = new Map<string, readonly RbacRule[]>();
  for (const role of clusterRoles) current.set(role.name, role.rules);
  const byName = new Map(aggregated.map((r) => [r.name, r]));
  const queue = [...aggregated].sort((a, b) => compareGoStrings(a.name, b.name)).map((r) => r.name);
  const queued = new Set(queue);
  let head = 0;
  let steps = 0;
  const maxSteps = aggregated.length * (aggregated.length + 2) + 16;
  while (head < queue.length) {
    const name = queue[head] as string;
    head += 1;
    queued.delete(name);
    steps += 1;
    if (steps > maxSteps) {
      diagnostics.push({
        severity: 'warning',
        code: 'aggregation-unstable',
        key: 'ClusterRole',
        name,
        message:
          'ClusterRole aggregation does not settle (aggregated roles select each other); the rules shown are those after a bounded number of passes, and the cluster may show others',
      });
      break;
    }
    const seen = new Set<string>();
    const rules: RbacRule[] = [];
    for (const member of members.get(name) ?? []) {
      const memberRules = current.get(member.name) ?? [];
      work.spend(1 + memberRules.length);
      for (const rule of memberRules) {
        const key = ruleKey(rule);
        if (seen.has(key)) continue;
        seen.add(key);
        rules.push(rule);
        budget -= 1;
      }
    }
    if (budget < 0) throw new RbacError('ClusterRole aggregation copies too many rules to compute');
    const before = current.get(name) ?? [];
    if (
      before.length === rules.length &&
      before.every((r, i) => ruleKey(r) === ruleKey(rules[i] as RbacRule))
    ) {
      continue;
    }
    current.set(name, rules);
    for (const dependent of dependents.get(name) ?? []) {
      if (byName.has(dependent) && !queued.has(dependent)) {
        queued.add(dependent);
        queue.push(dependent);
      }
    }
  }
  return clusterRoles.map((role) =>
    role.aggregationRule === undefined ? role : { ...role, rules: current.get(role.name) ?? [] },
  );
}
