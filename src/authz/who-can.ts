/**
 * `whoCan` (SPEC 4.9): every IAM principal the inputs name, that the
 * authentication mode lets in, that may make a request, with the path that
 * grants it. From the request to the RBAC subjects it is granted to (the
 * RBAC index, once), then from those subjects to principals by username
 * and group: never every principal against every binding.
 *
 * @module
 */
import type { PreparedResolve } from '../resolve/resolve.js';
import { LimitExceededError } from '../errors.js';
import { PARTITIONS } from '../partitions.js';
import type { ResolvedIdentity } from '../resolve/types.js';
import { evaluateAccessPolicies } from './access-policy-grants.js';
import {
  NODE_USERNAME_PREFIX,
  decisionCaveats,
  isNodeIdentity,
  nodeNameOf,
  startingCaveats,
  templateUndecidableCaveat,
} from './caveats.js';
import type { AuthenticationMode } from '../access-entries/types.js';
import { PRIVILEGED_GROUP, effectiveGroups } from './identity.js';
import { nodeAnswerFor, nodeAuthorizer, nodeReason } from './node-authorizer.js';
import type { NodeAuthorizerAnswer } from './node-authorizer.js';
import { prepareAuthz } from './options.js';
import { prepareWithMarkers, principalsLetIn, resolveAccountPrincipal } from './principals.js';
import type { Principal } from './principals.js';
import { rbacSubjectsGranted } from './rbac/subjects.js';
import type { RbacSubjectError, RbacSubjectGrant, RbacSubjectName } from './rbac/subjects.js';
import { evaluatedRequest } from './request.js';
import {
  describeValues,
  isTemplated,
  matchTemplate,
  templatePrefix,
  templateText,
} from './template-match.js';
import type { TemplateMatch, TemplatePart } from './template-match.js';
import type {
  AuthorizeOptions,
  AuthzRequest,
  Caveat,
  DecisionReason,
  RbacReason,
  WhoCanCondition,
  WhoCanPrincipal,
  WhoCanResult,
} from './types.js';

/** The username of a `mapAccounts` account row: each of its principals authenticates as its own ARN. */
const OWN_ARN = '(its own ARN)';

function reasonOf(granted: RbacSubjectGrant): RbacReason {
  const { binding, role, subject, ruleIndex, rule } = granted.grant;
  return { via: 'rbac', binding, role, subject, ruleIndex, rule };
}

/** Entries by the username or group name they are for, and the names sorted for prefix search. */
interface NameIndex<T> {
  readonly byName: Map<string, T[]>;
  readonly sorted: string[];
}

/** Index `entries` by the name their subject matches, users (and service accounts) apart from groups. */
function indexByName<E extends { readonly subject: RbacSubjectName }, T>(
  entries: readonly E[],
  value: (entry: E) => T,
): { users: NameIndex<T>; groups: NameIndex<T> } {
  const users = new Map<string, T[]>();
  const groups = new Map<string, T[]>();
  for (const entry of entries) {
    const map = entry.subject.kind === 'Group' ? groups : users;
    const list = map.get(entry.subject.matches);
    if (list === undefined) map.set(entry.subject.matches, [value(entry)]);
    else list.push(value(entry));
  }
  const sorted = (m: Map<string, unknown>): string[] => [...m.keys()].sort();
  return {
    users: { byName: users, sorted: sorted(users) },
    groups: { byName: groups, sorted: sorted(groups) },
  };
}

/** The granted names that start with `prefix` (binary search, then a walk). */
function namesWithPrefix(index: NameIndex<unknown>, prefix: string): string[] {
  let lo = 0;
  let hi = index.sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((index.sorted[mid] as string) < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < index.sorted.length; i += 1) {
    const name = index.sorted[i] as string;
    if (!name.startsWith(prefix)) break;
    out.push(name);
  }
  return out;
}

/** What one request is compared with: RBAC's grants and errors by name, and the Node authorizer's answer. */
interface RequestFacts {
  readonly users: NameIndex<RbacReason>;
  readonly groups: NameIndex<RbacReason>;
  /** Subjects of bindings to missing roles, by user and group name. */
  readonly errors: { users: NameIndex<RbacSubjectError>; groups: NameIndex<RbacSubjectError> };
  readonly finder: TemplateGrantFinder;
  readonly request: ReturnType<typeof evaluatedRequest>;
  /** The Node authorizer's answer for the request (it depends on the request alone). */
  readonly node: NodeAuthorizerAnswer;
  readonly mode: AuthenticationMode;
}

/** Grants to one template: unconditional ones, and the ones that hold for some sessions. */
interface TemplateGrants {
  readonly always: RbacReason[];
  readonly conditional: { condition: WhoCanCondition; reasons: DecisionReason[] }[];
  /** Names a template with several kinds of session placeholder might render (undecided). */
  readonly undecidable: { template: string; name: string }[];
}

/**
 * Most granted names one `whoCan` call compares with templates (a name
 * counts once per 64 characters). A templated username matches only the
 * granted names it can render, but finding them means trying every name
 * that starts with the template's literal prefix, for each distinct
 * template: 10,000 entries with templates of no prefix against 10,000
 * granted names cost 100,000,000 comparisons (4.6 s from 1.5 MB of input,
 * growing with the square of it). Identical templates are compared once.
 */
export const MAX_TEMPLATE_COMPARISONS = 10_000_000;

/** A name a template may render, and how. */
interface Rendering {
  readonly name: string;
  readonly match: Exclude<TemplateMatch, 'no-match'>;
}

/**
 * The names of an index each distinct template may render, compared once,
 * and the comparisons of one `whoCan` call counted.
 */
class TemplateGrantFinder {
  readonly #found = new Map<NameIndex<unknown>, Map<string, readonly Rendering[]>>();
  #comparisons = 0;

  /** Add the grants of `index` to `template` to `into`. */
  addTo(
    template: readonly TemplatePart[],
    index: NameIndex<RbacReason>,
    into: TemplateGrants,
  ): void {
    const text = templateText(template);
    if (!isTemplated(template)) {
      into.always.push(...(index.byName.get(text) ?? []));
      return;
    }
    for (const { name, match } of this.#renderings(template, index)) {
      if (match === 'undecidable') {
        into.undecidable.push({ template: text, name });
        continue;
      }
      into.conditional.push({
        condition: {
          template: text,
          renders: name,
          values: match.values,
          description: describeValues(match.values),
        },
        reasons: index.byName.get(name) ?? [],
      });
    }
  }

  /** The entries of `index` for the names `template` is or may render. */
  entriesFor<T>(template: readonly TemplatePart[], index: NameIndex<T>): readonly T[] {
    if (!isTemplated(template)) return index.byName.get(templateText(template)) ?? [];
    return this.#renderings(template, index).flatMap(({ name }) => index.byName.get(name) ?? []);
  }

  #renderings(template: readonly TemplatePart[], index: NameIndex<unknown>): readonly Rendering[] {
    let byTemplate = this.#found.get(index);
    if (byTemplate === undefined) {
      byTemplate = new Map();
      this.#found.set(index, byTemplate);
    }
    const key = JSON.stringify(template);
    let found = byTemplate.get(key);
    if (found === undefined) {
      found = this.#compare(template, index);
      byTemplate.set(key, found);
    }
    return found;
  }

  #compare(template: readonly TemplatePart[], index: NameIndex<unknown>): Rendering[] {
    const found: Rendering[] = [];
    for (const name of namesWithPrefix(index, templatePrefix(template))) {
      this.#comparisons += 1 + (name.length >> 6);
      if (this.#comparisons > MAX_TEMPLATE_COMPARISONS) {
        throw new LimitExceededError(
          `whoCan: comparing the templated usernames and groups with the names RBAC grants the request to needs more than ${MAX_TEMPLATE_COMPARISONS} comparisons`,
          { name: 'MAX_TEMPLATE_COMPARISONS', max: MAX_TEMPLATE_COMPARISONS },
        );
      }
      const match = matchTemplate(template, name);
      if (match !== 'no-match') found.push({ name, match });
    }
    return found;
  }
}

/**
 * RBAC's errors for a principal, as `evaluateRbac` reports them to one of
 * its callers: one per binding that applies, in RBAC's order. For a
 * templated name, the errors of the names it may render.
 */
function rbacErrorsFor(
  username: readonly TemplatePart[],
  groups: readonly (readonly TemplatePart[])[],
  facts: RequestFacts,
): string[] {
  const found = [...facts.finder.entriesFor(username, facts.errors.users)];
  for (const group of groups) found.push(...facts.finder.entriesFor(group, facts.errors.groups));
  found.sort((a, b) => a.order - b.order);
  return found
    .filter((e, i) => i === 0 || (found[i - 1] as RbacSubjectError).order !== e.order)
    .map((e) => e.error);
}

function viaOf(resolved: ResolvedIdentity): WhoCanPrincipal['via'] {
  return {
    source: resolved.source,
    matchedBy: resolved.matchedBy,
    ...(resolved.entryIndex === undefined ? {} : { entryIndex: resolved.entryIndex }),
    ...(resolved.sourceIndex === undefined ? {} : { sourceIndex: resolved.sourceIndex }),
  };
}

/**
 * The Node authorizer's answer for a node whose username is `template`
 * (`system:node:{{EC2PrivateDNSName}}`): an allow for the node's own object
 * holds for the sessions whose node name is the object's, a condition like
 * any templated grant.
 */
function nodeAnswerForTemplate(
  answer: NodeAuthorizerAnswer,
  template: readonly TemplatePart[],
  into: TemplateGrants,
): NodeAuthorizerAnswer {
  if (!isTemplated(template)) return nodeAnswerFor(answer, nodeNameOf(templateText(template)));
  if (typeof answer !== 'object' || !('ownObject' in answer)) return answer;
  const renders = `${NODE_USERNAME_PREFIX}${answer.ownObject}`;
  const match = matchTemplate(template, renders);
  if (match === 'undecidable')
    into.undecidable.push({ template: templateText(template), name: renders });
  else if (match !== 'no-match') {
    into.conditional.push({
      condition: {
        template: templateText(template),
        renders,
        values: match.values,
        description: describeValues(match.values),
      },
      reasons: [nodeReason(answer)],
    });
  }
  return 'no-opinion';
}

/** The rows of one principal. */
function rowsFor(principal: Principal, facts: RequestFacts): WhoCanPrincipal[] {
  const named =
    principal.principalArn !== undefined
      ? { principalArn: principal.principalArn }
      : { account: principal.account as string };
  const username = templateText(principal.username);
  const groupTexts = principal.groups.map(templateText);
  const base = {
    ...named,
    via: viaOf(principal.resolved),
    username,
    groups: groupTexts,
  };
  // system:authenticated as kube-apiserver adds it; a literal group is what the adder sees.
  const effective = effectiveGroups(username, groupTexts);
  const groups = effective.map((g, i) =>
    i < principal.groups.length ? (principal.groups[i] as readonly TemplatePart[]) : [g],
  );
  if (groups.some((g) => !isTemplated(g) && templateText(g) === PRIVILEGED_GROUP)) {
    return [
      {
        ...base,
        decision: 'allow',
        reasons: [{ via: 'privileged-group', group: PRIVILEGED_GROUP }],
        caveats: [],
      },
    ];
  }
  const found: TemplateGrants = { always: [], conditional: [], undecidable: [] };
  facts.finder.addTo(principal.username, facts.users, found);
  for (const group of groups) facts.finder.addTo(group, facts.groups, found);
  const policies = evaluateAccessPolicies(principal.resolved.accessPolicies, facts.request);
  const node = isNodeIdentity(username, effective)
    ? nodeAnswerForTemplate(facts.node, principal.username, found)
    : 'no-opinion';
  const caveatsOf = (allowed: boolean): Caveat[] =>
    decisionCaveats({
      allowed,
      username,
      node,
      policies,
      rbacErrors: allowed ? [] : rbacErrorsFor(principal.username, groups, facts),
      mode: facts.mode,
      backend: principal.resolved.backend,
    });
  const always: DecisionReason[] = [
    ...(typeof node === 'object' ? [nodeReason(node)] : []),
    ...found.always,
    ...policies.reasons,
  ];
  if (always.length > 0) {
    return [{ ...base, decision: 'allow', reasons: always, caveats: caveatsOf(true) }];
  }
  const rows: WhoCanPrincipal[] = [];
  const byCondition = new Map<string, { condition: WhoCanCondition; reasons: DecisionReason[] }>();
  for (const c of found.conditional) {
    const key = JSON.stringify(c.condition.values);
    const seen = byCondition.get(key);
    if (seen === undefined)
      byCondition.set(key, { condition: c.condition, reasons: [...c.reasons] });
    else seen.reasons.push(...c.reasons);
  }
  for (const { condition, reasons } of byCondition.values()) {
    rows.push({ ...base, decision: 'allow', reasons, caveats: caveatsOf(true), condition });
  }
  if (
    node === 'depends-on-live-objects' ||
    policies.undocumented.length > 0 ||
    found.undecidable.length > 0
  ) {
    const caveats: Caveat[] = [
      ...caveatsOf(false),
      ...found.undecidable.map((u) => templateUndecidableCaveat(u.template, u.name)),
    ];
    rows.push({ ...base, decision: 'unknown', reasons: [], caveats });
  }
  return rows;
}

/**
 * Every principal that may make `request` on the cluster the options
 * describe, and how: access entries (mode `API` or `API_AND_CONFIG_MAP`),
 * aws-auth `rolearn`/`userarn` entries (unless an access entry shadows them,
 * or the mode is `API`), the Go authenticator's ordered sources,
 * `mapAccounts` accounts; each with the RBAC bindings or access policies
 * that allow it. A grant to one rendering of a templated username (an RBAC
 * `User` subject `dev:alice` for the username `dev:{{SessionName}}`) is
 * listed with its `condition` (sessions named `alice`). Principals only an
 * undocumented access policy or the Node authorizer might allow are listed
 * with `decision: 'unknown'`.
 *
 * @example
 * ```ts
 * const { principals } = await whoCan('get secrets -n prod', { accessEntries, awsAuth, rbac });
 * for (const p of principals) console.log(p.principalArn ?? p.account, p.decision, p.condition?.description);
 * ```
 * @throws (rejects with) `TypeError` for a bad request or options; the
 *   parsers' errors for unusable sources; {@link LimitExceededError}
 *   (`ERR_LIMIT_EXCEEDED`) when templated usernames and groups would need
 *   more than 10,000,000 comparisons with the granted names.
 */
export async function whoCan(
  request: AuthzRequest,
  options: AuthorizeOptions,
): Promise<WhoCanResult> {
  const evaluated = evaluatedRequest(request);
  const prepared = prepareAuthz(options, 'whoCan');
  const rbac = rbacSubjectsGranted(prepared.rbac, evaluated);
  const facts: RequestFacts = {
    ...indexByName(rbac.grants, reasonOf),
    errors: indexByName(rbac.errors, (e) => e),
    finder: new TemplateGrantFinder(),
    request: evaluated,
    node: nodeAuthorizer(evaluated, prepared.rbac.bootstrap?.kubernetesVersion),
    mode: prepared.resolve.mode,
  };
  const marked = prepareWithMarkers(prepared.identityOptions);
  const principals = await principalsLetIn(prepared.identityOptions, marked);
  const rows: WhoCanPrincipal[] = [];
  for (const principal of principals) {
    if (principal.account !== undefined) {
      rows.push(...(await accountRows(principal, facts, marked)));
    } else {
      rows.push(...rowsFor(principal, facts));
    }
  }
  const caveats = startingCaveats(prepared.rbacGiven, prepared.resolve.mode);
  return { request: evaluated, principals: rows, caveats };
}

/**
 * A `mapAccounts` account: its principals authenticate as their canonical
 * ARN with no groups. A grant to a group (`system:authenticated`) is a row
 * for the account; a grant to a `User` named with the ARN of one of its
 * principals (that no entry names) is a row for that principal.
 */
async function accountRows(
  principal: Principal,
  facts: RequestFacts,
  prepared: PreparedResolve,
): Promise<WhoCanPrincipal[]> {
  const account = principal.account as string;
  const rows = rowsFor(principal, facts).map((row) => ({
    ...row,
    username: OWN_ARN,
  }));
  const listed = new Set<string>();
  for (const { id } of PARTITIONS) {
    for (const name of namesWithPrefix(facts.users, `arn:${id}:iam::${account}:`)) {
      if (listed.has(name)) continue;
      const resolved = await resolveAccountPrincipal(prepared, name);
      if (resolved === null) continue;
      listed.add(name);
      rows.push({
        principalArn: name,
        decision: 'allow',
        via: viaOf(resolved),
        username: resolved.username,
        groups: resolved.groups,
        reasons: facts.users.byName.get(name) ?? [],
        caveats: [],
      });
    }
  }
  return rows;
}
