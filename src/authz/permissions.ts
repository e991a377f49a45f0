/**
 * `listPermissions` (SPEC 4.9): the rules in effect for an identity, what
 * `kubectl auth can-i --list` shows (RBAC's `RulesFor`, through a
 * SelfSubjectRulesReview) plus what it cannot: the access policies of the
 * caller's access entry that apply in the namespace, with their documented
 * rules (AWS EKS user guide, "Associate access policies with access
 * entries": `kubectl auth can-i --list` does not show them).
 *
 * @module
 */
import { resolvePrepared } from '../resolve/resolve.js';
import type { VerifiedIdentity } from '../token/verify.js';
import { documentedPolicy } from './access-policy-grants.js';
import {
  isNodeIdentity,
  nodeRulesCaveat,
  rbacErrorCaveat,
  startingCaveats,
  undocumentedPolicyCaveat,
} from './caveats.js';
import { PRIVILEGED_GROUP, decisionIdentity } from './identity.js';
import { prepareAuthz } from './options.js';
import { rbacRulesFor } from './rbac/rules.js';
import type { RbacRuleInput } from './rbac/types.js';
import { scopeCoversNamespace } from './scope.js';
import type { ListPermissionsOptions, PermissionRule, Permissions } from './types.js';

/**
 * The rules in effect for `identity` in `options.namespace` (cluster-wide
 * rules only without one): `system:masters` as everything, the rules of the
 * RBAC bindings that apply (ClusterRoleBindings, then the namespace's
 * RoleBindings), and the documented rules of the access policies whose
 * scope covers the namespace. Policies whose rules AWS does not publish,
 * and the Node authorizer, are caveats.
 *
 * @example
 * ```ts
 * const { rules } = await listPermissions(arn, { accessEntries, rbac, namespace: 'dev' });
 * ```
 * @throws (rejects with) `TypeError` for bad options; what `resolveIdentity` throws.
 */
export async function listPermissions(
  identity: string | VerifiedIdentity,
  options: ListPermissionsOptions,
): Promise<Permissions> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('listPermissions: options must be an object');
  }
  const { namespace = '', ...rest } = options;
  if (typeof namespace !== 'string')
    throw new TypeError('listPermissions: namespace must be a string');
  const prepared = prepareAuthz(rest, 'listPermissions');
  const resolved = await resolvePrepared(prepared.resolve, identity);
  if (resolved === null) {
    const caveats = startingCaveats(prepared.rbacGiven, prepared.resolve.mode);
    return { identity: null, namespace, rules: [], caveats };
  }
  const caveats = startingCaveats(prepared.rbacGiven);
  const who = decisionIdentity(resolved);
  const rules: PermissionRule[] = [];
  if (who.effectiveGroups.includes(PRIVILEGED_GROUP)) {
    const source = { via: 'privileged-group', group: PRIVILEGED_GROUP } as const;
    rules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'], source });
    rules.push({ verbs: ['*'], apiGroups: [], resources: [], nonResourceURLs: ['*'], source });
  }
  const rbac = rbacRulesFor(
    prepared.rbac,
    { username: who.username, groups: who.effectiveGroups },
    namespace,
  );
  for (const { binding, role, subject, rule } of rbac.rules) {
    rules.push({ ...ruleFields(rule), source: { via: 'rbac', binding, role, subject } });
  }
  caveats.push(...rbac.errors.map(rbacErrorCaveat));
  for (const association of who.accessPolicies) {
    if (!scopeCoversNamespace(association.accessScope, namespace)) continue;
    const policy = documentedPolicy(association.policyArn);
    if (policy === undefined) {
      caveats.push(undocumentedPolicyCaveat(association));
      continue;
    }
    const source = {
      via: 'access-policy',
      policyArn: association.policyArn,
      scope: association.accessScope,
    } as const;
    for (const rule of policy.rules) rules.push({ ...ruleFields(rule), source });
  }
  if (isNodeIdentity(who.username, who.effectiveGroups)) {
    caveats.push(nodeRulesCaveat(who.username));
  }
  return { identity: who, namespace, rules, caveats };
}

/** The rule's lists, without empty optional ones. */
function ruleFields(rule: RbacRuleInput): Omit<PermissionRule, 'source'> {
  return {
    verbs: rule.verbs,
    apiGroups: rule.apiGroups ?? [],
    resources: rule.resources ?? [],
    ...(rule.resourceNames?.length ? { resourceNames: rule.resourceNames } : {}),
    ...(rule.nonResourceURLs?.length ? { nonResourceURLs: rule.nonResourceURLs } : {}),
  };
}
