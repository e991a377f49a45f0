/**
 * The caveats of a decision: what an EKS API server would also consult that
 * offline evaluation cannot see. Each is stated once here, with the fact it
 * rests on.
 *
 * @module
 */
import type { AccessPolicyAssociation, AuthenticationMode } from '../access-entries/types.js';
import type { BackendMode } from '../sources/types.js';
import type { AccessPolicyEvaluation } from './access-policy-grants.js';
import type { NodeAuthorizerAnswer } from './node-authorizer.js';
import type { Caveat } from './types.js';

/** The username prefix of a node identity. */
export const NODE_USERNAME_PREFIX = 'system:node:';

/**
 * kube-apiserver's node identity: the username `system:node:<name>` in the
 * group `system:nodes` (pkg/auth/nodeidentifier/default.go, the identifier
 * the Node authorizer uses).
 */
export function isNodeIdentity(username: string, groups: readonly string[]): boolean {
  return username.startsWith(NODE_USERNAME_PREFIX) && groups.includes('system:nodes');
}

/** The node name of a node identity's username (`system:node:<name>`). */
export function nodeNameOf(username: string): string {
  return username.slice(NODE_USERNAME_PREFIX.length);
}

/**
 * The Node authorizer allows a node a named secret, configmap, volume,
 * claim, service-account token, pod or resource slice only when its graph
 * links the object to a pod bound to the node
 * (plugin/pkg/auth/authorizer/node/node_authorizer.go, `hasPathFrom`).
 */
function nodeAuthorizerCaveat(username: string): Caveat {
  return {
    code: 'node-authorizer',
    message: `${username} is a node: the Node authorizer allows this only if the object belongs to a pod bound to the node (its secrets, configmaps, volumes, service-account tokens), which depends on live objects offline evaluation cannot see`,
  };
}

/**
 * A node's rules are more than RBAC's: the Node authorizer's static rules
 * and its own checks, which no rules review lists (its `RulesFor` answers
 * "incomplete", node_authorizer.go).
 */
export function nodeRulesCaveat(username: string): Caveat {
  return {
    code: 'node-authorizer',
    message: `${username} is a node: the Node authorizer also allows it the static system:node rules, its own Lease, CSINode and Node object, mirror pods, pod status and evictions, and the secrets, configmaps and volumes of the pods bound to it; no rules list shows those (kubectl auth can-i --list says "incomplete")`,
  };
}

/** An access policy whose rules AWS does not publish (or a name AWS does not list). */
export function undocumentedPolicyCaveat(association: AccessPolicyAssociation): Caveat {
  const name = association.policyArn.slice(association.policyArn.lastIndexOf('/') + 1);
  return {
    code: 'undocumented-policy',
    policyArn: association.policyArn,
    message: `${name} applies here, but AWS does not publish its rules (see ACCESS_POLICIES): it may allow the request, which is not guessed`,
  };
}

/**
 * Under `CONFIG_MAP`, EKS makes the IAM principal that created the cluster
 * `system:masters` without any aws-auth entry (AWS EKS user guide, "Grant
 * IAM users and roles access to Kubernetes APIs": the cluster creator;
 * `bootstrapClusterCreatorAdminPermissions`).
 */
const CLUSTER_CREATOR_CAVEAT: Caveat = Object.freeze({
  code: 'cluster-creator',
  message:
    'under CONFIG_MAP, the IAM principal that created the cluster is system:masters (allowed everything) without any aws-auth entry, and no input shows which principal that is',
});

/**
 * With `kubectl --as`/`--as-group`, EKS applies RBAC only (AWS EKS user
 * guide, "Associate access policies with access entries").
 */
const IMPERSONATION_CAVEAT: Caveat = Object.freeze({
  code: 'impersonation',
  message:
    'an access policy allows this; when the caller impersonates a user or group (kubectl --as, --as-group), EKS applies only RBAC for the impersonated identity, and access policies grant nothing',
});

/** A self-managed API server (the Go authenticator's sources) may chain other authorizers. */
const WEBHOOK_AUTHORIZER_CAVEAT: Caveat = Object.freeze({
  code: 'webhook-authorizer',
  message:
    "the identity comes from the Go authenticator's own sources: that API server may run authorizers besides RBAC (a webhook), which offline evaluation cannot see",
});

/** No RBAC objects were given. */
const RBAC_DEFAULTS_ONLY_CAVEAT: Caveat = Object.freeze({
  code: 'rbac-defaults-only',
  message:
    "no RBAC objects were given (options.rbac, --rbac): only Kubernetes' default roles and bindings were evaluated; pass `kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml`",
});

/** A binding that applies refers to a role the snapshot does not hold. */
export function rbacErrorCaveat(error: string): Caveat {
  return {
    code: 'rbac-error',
    message: `RBAC: ${error} (a binding to a missing role grants nothing; is the snapshot complete?)`,
  };
}

/**
 * A template with several kinds of session placeholder
 * (`{{SessionName}}-{{AccessKeyID}}`) splits a name in more than one way:
 * whether a session renders it is not decided.
 */
export function templateUndecidableCaveat(template: string, name: string): Caveat {
  return {
    code: 'template-undecidable',
    message: `a binding names ${name}, which ${template} may render for some session: with several session placeholders in one template, which sessions is not decided offline`,
  };
}

/**
 * The caveats every answer starts with, from the inputs alone: no RBAC
 * objects given; and, when `creatorUnder` is the mode of an answer that
 * names no mapped identity (an unmapped caller, a `whoCan` list), the
 * cluster creator under `CONFIG_MAP`, whom no input shows.
 */
export function startingCaveats(rbacGiven: boolean, creatorUnder?: AuthenticationMode): Caveat[] {
  const caveats: Caveat[] = rbacGiven ? [] : [RBAC_DEFAULTS_ONLY_CAVEAT];
  if (creatorUnder === 'CONFIG_MAP') caveats.push(CLUSTER_CREATOR_CAVEAT);
  return caveats;
}

/** What one mapped identity's answer to one request rests on, for its caveats. */
export interface DecisionFacts {
  /** True when something allows the request. */
  readonly allowed: boolean;
  /** The identity's username (a template's text in `whoCan`). */
  readonly username: string;
  /** The Node authorizer's answer for this identity (`no-opinion` for one that is no node). */
  readonly node: NodeAuthorizerAnswer;
  /** What the identity's access policies say about the request. */
  readonly policies: AccessPolicyEvaluation;
  /** RBAC's errors for the bindings that apply to the identity (missing roles), in RBAC's order. */
  readonly rbacErrors: readonly string[];
  /** The cluster's authentication mode. */
  readonly mode: AuthenticationMode;
  /** With the Go authenticator's ordered sources: the backend of the source that mapped the identity. */
  readonly backend: BackendMode | undefined;
}

/**
 * The caveats of one decision for a mapped identity, after the starting
 * ones: `authorize` and every `whoCan` row assemble them here, so the two
 * never disagree. An allow warns only that impersonation drops an
 * access-policy grant; an answer that is not an allow names what might
 * still allow (the Node authorizer's graph, undocumented policies), the
 * RBAC errors met on the way, the hidden cluster creator under
 * `CONFIG_MAP`, and other authorizers behind the Go authenticator.
 */
export function decisionCaveats(facts: DecisionFacts): Caveat[] {
  if (facts.allowed) return facts.policies.reasons.length > 0 ? [IMPERSONATION_CAVEAT] : [];
  const caveats: Caveat[] = [];
  if (facts.node === 'depends-on-live-objects') caveats.push(nodeAuthorizerCaveat(facts.username));
  caveats.push(...facts.policies.undocumented.map(undocumentedPolicyCaveat));
  caveats.push(...facts.rbacErrors.map(rbacErrorCaveat));
  if (facts.mode === 'CONFIG_MAP') caveats.push(CLUSTER_CREATOR_CAVEAT);
  if (facts.backend !== undefined) caveats.push(WEBHOOK_AUTHORIZER_CAVEAT);
  return caveats;
}
