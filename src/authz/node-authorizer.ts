/**
 * What the Node authorizer does with a node's request
 * (plugin/pkg/auth/authorizer/node/node_authorizer.go, `Authorize`, at
 * 00d03ec0): requests for the resources it subdivides (secrets, configmaps,
 * volumes and claims, service-account tokens, leases, CSI nodes, resource
 * claims and slices, and nodes and pods with `AuthorizeNodeWithSelectors`,
 * on by default since Kubernetes 1.32) are decided from the graph of pods
 * bound to the node and the object's name, which offline evaluation cannot
 * see; every other request is allowed exactly when the static node rules
 * allow it. Those rules are the bootstrap `system:node` ClusterRole
 * (`NodeRules()` in plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go),
 * read from the RBAC slice's default-role data.
 *
 * @module
 */
import { DEFAULT_RBAC_KUBERNETES_VERSION, bootstrapPolicy } from './rbac/bootstrap.js';
import { ruleAllows } from './rbac/evaluate.js';
import type { RbacRequest, RbacRule } from './rbac/types.js';

/** `group/resource` of what the Node authorizer decides from its graph. */
const SUBDIVIDED: ReadonlySet<string> = new Set([
  '/secrets',
  '/configmaps',
  '/persistentvolumeclaims',
  '/persistentvolumes',
  '/serviceaccounts',
  '/nodes',
  '/pods',
  'resource.k8s.io/resourceclaims',
  'resource.k8s.io/resourceslices',
  'storage.k8s.io/volumeattachments',
  'storage.k8s.io/csinodes',
  'coordination.k8s.io/leases',
]);

/** The Node authorizer's answer: a static rule allows it, it depends on live objects, or no opinion. */
export type NodeAuthorizerAnswer =
  { readonly rule: RbacRule } | 'depends-on-live-objects' | 'no-opinion';

const rulesByVersion = new Map<string, readonly RbacRule[]>();

/** The static node rules of a Kubernetes minor version (the default one when it has none). */
function nodeRules(kubernetesVersion: string | undefined): readonly RbacRule[] {
  let version = kubernetesVersion ?? DEFAULT_RBAC_KUBERNETES_VERSION;
  let rules = rulesByVersion.get(version);
  if (rules === undefined) {
    let policy;
    try {
      policy = bootstrapPolicy(version);
    } catch {
      version = DEFAULT_RBAC_KUBERNETES_VERSION;
      policy = bootstrapPolicy(version);
    }
    rules = policy.clusterRoles.find((role) => role.name === 'system:node')?.rules ?? [];
    rulesByVersion.set(version, rules);
  }
  return rules;
}

/** The Node authorizer's answer for a node's `request`. */
export function nodeAuthorizer(
  request: RbacRequest,
  kubernetesVersion: string | undefined,
): NodeAuthorizerAnswer {
  if (
    request.nonResourceURL === undefined &&
    SUBDIVIDED.has(`${request.apiGroup}/${request.resource}`)
  ) {
    return 'depends-on-live-objects';
  }
  const rule = nodeRules(kubernetesVersion).find((r) => ruleAllows(r, request));
  return rule === undefined ? 'no-opinion' : { rule };
}
