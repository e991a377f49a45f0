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
import { RbacError } from '../errors.js';
import { PARTITIONS } from '../partitions.js';
import type { ResolvedIdentity } from '../resolve/types.js';
import { evaluateAccessPolicies } from './access-policy-grants.js';
import {
  CLUSTER_CREATOR_CAVEAT,
  RBAC_DEFAULTS_ONLY_CAVEAT,
  NODE_USERNAME_PREFIX,
  isNodeIdentity,
  nodeAuthorizerCaveat,
  nodeNameOf,
  templateUndecidableCaveat,
  undocumentedPolicyCaveat,
} from './caveats.js';
import { PRIVILEGED_GROUP, effectiveGroups } from './identity.js';
import { nodeAnswerFor, nodeAuthorizer, nodeReason } from './node-authorizer.js';
import type { NodeAuthorizerAnswer } from './node-authorizer.js';
import { prepareAuthz } from './options.js';
import { prepareWithMarkers, principalsLetIn, resolveAccountPrincipal } from './principals.js';
import type { Principal } from './principals.js';
import { serviceAccountUsername } from './rbac/lookup.js';
import { rbacSubjectsGranted } from './rbac/subjects.js';
import type { RbacSubjectGrant } from './rbac/subjects.js';
import { evaluatedRequest } from './request.js';
import {
  describeValues,
  isTemplated,
  matchTemplate,
  templatePrefix,
  templateText,
} from './template-match.js';
import type { TemplatePart } from './template-match.js';
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

/** RBAC grants by subject name, and the names sorted for prefix search. */
interface GrantIndex {
  readonly byName: Map<string, RbacReason[]>;
  readonly sorted: string[];
}

function reasonOf(granted: RbacSubjectGrant): RbacReason {
  const { binding, role, subject, ruleIndex, rule } = granted.grant;
  return { via: 'rbac', binding, role, subject, ruleIndex, rule };
}

function indexGrants(granted: readonly RbacSubjectGrant[]): {
  users: GrantIndex;
  groups: GrantIndex;
} {
  const users = new Map<string, RbacReason[]>();
  const groups = new Map<string, RbacReason[]>();
  for (const g of granted) {
    const { kind, name, namespace } = g.subject;
    const key = kind === 'ServiceAccount' ? serviceAccountUsername(namespace ?? '', name) : name;
    const map = kind === 'Group' ? groups : users;
    const list = map.get(key);
    if (list === undefined) map.set(key, [reasonOf(g)]);
    else list.push(reasonOf(g));
  }
  const sorted = (m: Map<string, unknown>): string[] => [...m.keys()].sort();
  return {
    users: { byName: users, sorted: sorted(users) },
    groups: { byName: groups, sorted: sorted(groups) },
  };
}

/** The granted names that start with `prefix` (binary search, then a walk). */
function namesWithPrefix(index: GrantIndex, prefix: string): string[] {
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

/** The RBAC grants of one request, by user and group name, and what compares templates with them. */
interface Grants {
  readonly users: GrantIndex;
  readonly groups: GrantIndex;
  readonly finder: TemplateGrantFinder;
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

/**
 * Grants to templates, each distinct template compared with an index's
 * names once, and the comparisons of one `whoCan` call counted.
 */
class TemplateGrantFinder {
  readonly #found = new Map<GrantIndex, Map<string, TemplateGrants>>();
  #comparisons = 0;

  /** Add the grants of `index` to `template` to `into`. */
  addTo(template: readonly TemplatePart[], index: GrantIndex, into: TemplateGrants): void {
    if (!isTemplated(template)) {
      into.always.push(...(index.byName.get(templateText(template)) ?? []));
      return;
    }
    let byTemplate = this.#found.get(index);
    if (byTemplate === undefined) {
      byTemplate = new Map();
      this.#found.set(index, byTemplate);
    }
    const key = JSON.stringify(template);
    let grants = byTemplate.get(key);
    if (grants === undefined) {
      grants = this.#compare(template, index);
      byTemplate.set(key, grants);
    }
    into.always.push(...grants.always);
    // Each row gets objects of its own.
    for (const c of grants.conditional) {
      into.conditional.push({ condition: { ...c.condition }, reasons: [...c.reasons] });
    }
    into.undecidable.push(...grants.undecidable);
  }

  #compare(template: readonly TemplatePart[], index: GrantIndex): TemplateGrants {
    const grants: TemplateGrants = { always: [], conditional: [], undecidable: [] };
    const text = templateText(template);
    for (const name of namesWithPrefix(index, templatePrefix(template))) {
      this.#comparisons += 1 + (name.length >> 6);
      if (this.#comparisons > MAX_TEMPLATE_COMPARISONS) {
        throw new RbacError(
          `whoCan: comparing the templated usernames and groups with the names RBAC grants the request to needs more than ${MAX_TEMPLATE_COMPARISONS} comparisons`,
        );
      }
      const match = matchTemplate(template, name);
      if (match === 'no-match') continue;
      if (match === 'undecidable') {
        grants.undecidable.push({ template: text, name });
        continue;
      }
      grants.conditional.push({
        condition: {
          template: text,
          renders: name,
          values: match.values,
          description: describeValues(match.values),
        },
        reasons: index.byName.get(name) ?? [],
      });
    }
    return grants;
  }
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
function rowsFor(
  principal: Principal,
  grants: Grants,
  request: ReturnType<typeof evaluatedRequest>,
  kubernetesVersion: string | undefined,
): WhoCanPrincipal[] {
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
  const groups = effectiveGroups(username, groupTexts).map((g, i) =>
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
  grants.finder.addTo(principal.username, grants.users, found);
  for (const group of groups) grants.finder.addTo(group, grants.groups, found);
  const policies = evaluateAccessPolicies(principal.resolved.accessPolicies, request);
  const node = isNodeIdentity(username, effectiveGroups(username, groupTexts))
    ? nodeAnswerForTemplate(nodeAuthorizer(request, kubernetesVersion), principal.username, found)
    : 'no-opinion';
  const always: DecisionReason[] = [
    ...(typeof node === 'object' ? [nodeReason(node)] : []),
    ...found.always,
    ...policies.reasons,
  ];
  if (always.length > 0) return [{ ...base, decision: 'allow', reasons: always, caveats: [] }];
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
    rows.push({ ...base, decision: 'allow', reasons, caveats: [], condition });
  }
  const dependsOnNode = node === 'depends-on-live-objects';
  if (dependsOnNode || policies.undocumented.length > 0 || found.undecidable.length > 0) {
    const caveats: Caveat[] = [
      ...(dependsOnNode ? [nodeAuthorizerCaveat(username)] : []),
      ...policies.undocumented.map(undocumentedPolicyCaveat),
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
 *   parsers' errors for unusable sources; {@link RbacError}
 *   (`ERR_RBAC_INVALID`) when templated usernames and groups would need
 *   more than 10,000,000 comparisons with the granted names.
 */
export async function whoCan(
  request: AuthzRequest,
  options: AuthorizeOptions,
): Promise<WhoCanResult> {
  const evaluated = evaluatedRequest(request);
  const prepared = prepareAuthz(options, 'whoCan');
  const grants: Grants = {
    ...indexGrants(rbacSubjectsGranted(prepared.rbac, evaluated)),
    finder: new TemplateGrantFinder(),
  };
  const marked = prepareWithMarkers(prepared.identityOptions);
  const principals = await principalsLetIn(prepared.identityOptions, marked);
  const version = prepared.rbac.bootstrap?.kubernetesVersion;
  const rows: WhoCanPrincipal[] = [];
  for (const principal of principals) {
    if (principal.account !== undefined) {
      rows.push(...(await accountRows(principal, grants, evaluated, marked, version)));
    } else {
      rows.push(...rowsFor(principal, grants, evaluated, version));
    }
  }
  const caveats: Caveat[] = [];
  if (!prepared.rbacGiven) caveats.push(RBAC_DEFAULTS_ONLY_CAVEAT);
  if (prepared.resolve.mode === 'CONFIG_MAP') caveats.push(CLUSTER_CREATOR_CAVEAT);
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
  grants: Grants,
  request: ReturnType<typeof evaluatedRequest>,
  prepared: PreparedResolve,
  kubernetesVersion: string | undefined,
): Promise<WhoCanPrincipal[]> {
  const account = principal.account as string;
  const rows = rowsFor(principal, grants, request, kubernetesVersion).map((row) => ({
    ...row,
    username: OWN_ARN,
  }));
  const listed = new Set<string>();
  for (const { id } of PARTITIONS) {
    for (const name of namesWithPrefix(grants.users, `arn:${id}:iam::${account}:`)) {
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
        reasons: grants.users.byName.get(name) ?? [],
        caveats: [],
      });
    }
  }
  return rows;
}
