/**
 * One decision, as an EKS API server makes it for an authenticated user
 * (SPEC 4.9): kube-apiserver's authorizer union
 * (k8s.io/apiserver/pkg/authorization/union, each authorizer allows or has
 * no opinion) with the privileged group first
 * (pkg/kubeapiserver/authorizer/config.go, `NewPrivilegedGroups`), then
 * EKS's chain: the Node authorizer, RBAC, and the EKS authorizer that
 * evaluates access policies. Allow rules only, so the order changes which
 * reason is found first, never the answer.
 *
 * @module
 */
import type { AuthenticationMode } from '../access-entries/types.js';
import type { ResolvedIdentity } from '../resolve/types.js';
import { evaluateAccessPolicies } from './access-policy-grants.js';
import { decisionCaveats, isNodeIdentity, nodeNameOf, startingCaveats } from './caveats.js';
import { PRIVILEGED_GROUP, decisionIdentity } from './identity.js';
import { nodeAnswerFor, nodeAuthorizer, nodeReason } from './node-authorizer.js';
import { evaluateRbac } from './rbac/evaluate.js';
import type { Rbac } from './rbac/types.js';
import type { Decision, DecisionReason, EvaluatedRequest } from './types.js';

/** What a decision is made against, besides the identity and the request. */
export interface DecisionContext {
  /** The RBAC snapshot. */
  readonly rbac: Rbac;
  /** False when no RBAC objects were given. */
  readonly rbacGiven: boolean;
  /** The cluster's authentication mode. */
  readonly mode: AuthenticationMode;
}

/** Decide `request` for the identity the cluster resolved (`null`: not mapped). */
export function decide(
  resolved: ResolvedIdentity | null,
  request: EvaluatedRequest,
  context: DecisionContext,
): Decision {
  if (resolved === null) {
    // EKS answers 401: an unmapped caller never reaches the authorizers.
    const caveats = startingCaveats(context.rbacGiven, context.mode);
    return { decision: 'deny', identity: null, request, reasons: [], caveats };
  }
  const caveats = startingCaveats(context.rbacGiven);
  const identity = decisionIdentity(resolved);
  if (identity.effectiveGroups.includes(PRIVILEGED_GROUP)) {
    return {
      decision: 'allow',
      identity,
      request,
      reasons: [{ via: 'privileged-group', group: PRIVILEGED_GROUP }],
      caveats,
    };
  }
  const reasons: DecisionReason[] = [];
  const node = isNodeIdentity(identity.username, identity.effectiveGroups)
    ? nodeAnswerFor(
        nodeAuthorizer(request, context.rbac.bootstrap?.kubernetesVersion),
        nodeNameOf(identity.username),
      )
    : 'no-opinion';
  if (typeof node === 'object') reasons.push(nodeReason(node));
  const rbac = evaluateRbac(
    context.rbac,
    { username: identity.username, groups: identity.effectiveGroups },
    request,
  );
  if (rbac.grant !== undefined) {
    const { binding, role, subject, ruleIndex, rule } = rbac.grant;
    reasons.push({ via: 'rbac', binding, role, subject, ruleIndex, rule });
  }
  const policies = evaluateAccessPolicies(identity.accessPolicies, request);
  reasons.push(...policies.reasons);
  const allowed = reasons.length > 0;
  caveats.push(
    ...decisionCaveats({
      allowed,
      username: identity.username,
      node,
      policies,
      rbacErrors: rbac.errors,
      mode: context.mode,
      backend: identity.backend,
    }),
  );
  if (allowed) return { decision: 'allow', identity, request, reasons, caveats };
  const unknown = node === 'depends-on-live-objects' || policies.undocumented.length > 0;
  return { decision: unknown ? 'unknown' : 'deny', identity, request, reasons, caveats };
}
