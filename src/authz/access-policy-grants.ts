/**
 * What the access policies of an access entry allow (AWS EKS user guide,
 * "Associate access policies with access entries"): the union of every
 * associated policy's rules, each within its association's scope. A policy
 * whose rules AWS does not publish, or whose name AWS does not list, is
 * never guessed: it is reported as undocumented instead.
 *
 * @module
 */
import { accessPolicy } from '../access-entries/access-policies.js';
import type { AccessPolicyDefinition } from '../access-entries/access-policies.js';
import { parsePolicyArn } from '../access-entries/policies.js';
import type { AccessPolicyAssociation } from '../access-entries/types.js';
import { ruleAllows } from './rbac/match.js';
import type { RbacRequest } from './rbac/types.js';
import { scopeCovers } from './scope.js';
import type { AccessPolicyReason } from './types.js';

/** What the associated policies say about one request. */
export interface AccessPolicyEvaluation {
  /** One reason per documented policy in scope that allows the request (its first allowing rule). */
  readonly reasons: readonly AccessPolicyReason[];
  /** Policies in scope whose rules are unknown: undocumented, or not a policy AWS lists. */
  readonly undocumented: readonly AccessPolicyAssociation[];
}

/**
 * The policy an ARN names, when AWS documents its rules; `undefined` for an
 * ARN that names no policy AWS lists, or one whose rules AWS does not
 * publish (a grant through it is never guessed).
 */
export function documentedPolicy(policyArn: string): AccessPolicyDefinition | undefined {
  const name = parsePolicyArn(policyArn)?.name;
  const policy = name === undefined ? undefined : accessPolicy(name);
  return policy?.documented === true ? policy : undefined;
}

/** Evaluate `associations` (an access entry's policies) for `request`. */
export function evaluateAccessPolicies(
  associations: readonly AccessPolicyAssociation[],
  request: RbacRequest,
): AccessPolicyEvaluation {
  const reasons: AccessPolicyReason[] = [];
  const undocumented: AccessPolicyAssociation[] = [];
  for (const association of associations) {
    if (!scopeCovers(association.accessScope, request)) continue;
    const policy = documentedPolicy(association.policyArn);
    if (policy === undefined) {
      undocumented.push(association);
      continue;
    }
    const ruleIndex = policy.rules.findIndex((rule) => ruleAllows(rule, request));
    const rule = policy.rules[ruleIndex];
    if (rule !== undefined) {
      reasons.push({
        via: 'access-policy',
        policyArn: association.policyArn,
        scope: association.accessScope,
        ruleIndex,
        rule,
      });
    }
  }
  return { reasons, undocumented };
}
