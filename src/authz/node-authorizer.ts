/**
 * What kube-apiserver's Node authorizer does with a node's request
 * (plugin/pkg/auth/authorizer/node/node_authorizer.go, `Authorize` and its
 * helpers, as Kubernetes 1.32 and later have them, with
 * `AuthorizeNodeWithSelectors` on by default). For the resources it
 * subdivides, its own checks run first, and a request that fails them gets
 * no opinion whatever objects exist; a named object that passes them is
 * allowed only when its graph of pods bound to the node links the object to
 * the node (`hasPathFrom`), which offline evaluation cannot see; a few
 * requests it allows outright, or for the node's own objects (its Lease,
 * CSINode and Node). Every other request is allowed exactly when the static
 * node rules allow it: the bootstrap `system:node` ClusterRole (`NodeRules()`
 * in plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), read from
 * the default-role data of src/authz/rbac/bootstrap-data.ts.
 *
 * @module
 */
import { DEFAULT_RBAC_KUBERNETES_VERSION, bootstrapPolicy } from './rbac/bootstrap.js';
import { ruleAllows } from './rbac/match.js';
import type { RbacRequest, RbacRule } from './rbac/types.js';
import type { NodeAuthorizerReason } from './types.js';

/** An allow: the static rule, or the Node authorizer's own check with the rule it amounts to. */
export interface NodeAuthorizerAllow {
  /** The rule that allows it (a static node rule, or the check written as a rule). */
  readonly rule: RbacRule;
  /** The check of node_authorizer.go that allows it, in words; absent for a static rule. */
  readonly check?: string;
}

/**
 * The Node authorizer's answer: allowed; allowed only to the node named
 * `ownObject` (its own Lease, CSINode or Node object); decided from live
 * objects; or no opinion.
 */
export type NodeAuthorizerAnswer =
  | NodeAuthorizerAllow
  | (NodeAuthorizerAllow & { readonly ownObject: string })
  | 'depends-on-live-objects'
  | 'no-opinion';

/** `api.NamespaceNodeLease`. */
const NODE_LEASE_NAMESPACE = 'kube-node-lease';

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

/** A check that allows, written as the rule it amounts to. */
function allow(
  check: string,
  request: RbacRequest,
  verbs: readonly string[],
  resourceNames?: readonly string[],
): NodeAuthorizerAllow {
  const resource =
    request.subresource === '' ? request.resource : `${request.resource}/${request.subresource}`;
  const rule: RbacRule = {
    verbs: [...verbs],
    apiGroups: [request.apiGroup],
    resources: [resource],
    resourceNames: resourceNames === undefined ? [] : [...resourceNames],
    nonResourceURLs: [],
  };
  return { rule, check };
}

/** `authorize`: a named object is decided by the graph; no name, no opinion. */
function graph(request: RbacRequest): NodeAuthorizerAnswer {
  return request.name === '' ? 'no-opinion' : 'depends-on-live-objects';
}

/** `authorizeGet`: only `get` of the object itself. */
function authorizeGet(request: RbacRequest): NodeAuthorizerAnswer {
  if (request.verb !== 'get' || request.subresource !== '') return 'no-opinion';
  return graph(request);
}

/** `authorizeReadNamespacedObject`: `get`, `list`, `watch` of one named object in a namespace. */
function authorizeReadNamespacedObject(request: RbacRequest): NodeAuthorizerAnswer {
  if (!['get', 'list', 'watch'].includes(request.verb)) return 'no-opinion';
  if (request.subresource !== '' || request.namespace === '') return 'no-opinion';
  return graph(request);
}

/** `authorizeLease` and `authorizeCSINode`: its own object, or a create (admission checks the name). */
function authorizeOwnObject(request: RbacRequest, what: string): NodeAuthorizerAnswer {
  if (!['get', 'create', 'update', 'patch', 'delete'].includes(request.verb)) return 'no-opinion';
  if (request.verb === 'create') {
    return allow(`a node may create a ${what} (admission checks it is its own)`, request, [
      'create',
    ]);
  }
  if (request.name === '') return 'no-opinion';
  return {
    ...allow(`a node may read and change its own ${what}`, request, OWN_OBJECT_VERBS, [
      request.name,
    ]),
    ownObject: request.name,
  };
}
const OWN_OBJECT_VERBS = ['get', 'update', 'patch', 'delete'];

/** `authorizeNode`: register and update a Node, read its own. */
function authorizeNode(request: RbacRequest): NodeAuthorizerAnswer {
  if (request.subresource === '') {
    if (['create', 'update', 'patch'].includes(request.verb)) {
      return allow(
        'a node may register and update a Node (admission limits it to its own)',
        request,
        ['create', 'update', 'patch'],
      );
    }
    if (['get', 'list', 'watch'].includes(request.verb) && request.name !== '') {
      return {
        ...allow(
          'a node may read its own Node object',
          request,
          ['get', 'list', 'watch'],
          [request.name],
        ),
        ownObject: request.name,
      };
    }
  } else if (request.subresource === 'status' && ['update', 'patch'].includes(request.verb)) {
    return allow('a node may update Node status (admission limits it to its own)', request, [
      'update',
      'patch',
    ]);
  }
  return 'no-opinion';
}

/** `authorizePod`: mirror pods, pod status, evictions; reads of pods bound to it. */
function authorizePod(request: RbacRequest): NodeAuthorizerAnswer {
  switch (request.subresource) {
    case '':
      if (request.verb === 'get') return authorizeGet(request);
      // A list or watch with the fieldSelector spec.nodeName=NODE is allowed;
      // a request here carries no field selector, so only a named pod can be.
      if (request.verb === 'list' || request.verb === 'watch') return graph(request);
      if (request.verb === 'create' || request.verb === 'delete') {
        return allow(
          'a node may create and delete mirror pods (admission limits them to its own)',
          request,
          ['create', 'delete'],
        );
      }
      return 'no-opinion';
    case 'status':
      if (request.verb === 'update' || request.verb === 'patch') {
        return allow(
          'a node may update the status of pods (admission limits it to pods bound to it)',
          request,
          ['update', 'patch'],
        );
      }
      return 'no-opinion';
    case 'eviction':
      if (request.verb === 'create') {
        return allow('a node may evict pods (admission limits it to pods bound to it)', request, [
          'create',
        ]);
      }
      return 'no-opinion';
    default:
      return 'no-opinion';
  }
}

/** `authorizeResourceSlice`: create (admission checks the node), a named slice by the graph. */
function authorizeResourceSlice(request: RbacRequest): NodeAuthorizerAnswer {
  if (request.subresource !== '') return 'no-opinion';
  if (request.verb === 'create') {
    return allow('a node may create ResourceSlices (admission checks they are its own)', request, [
      'create',
    ]);
  }
  if (['get', 'update', 'patch', 'delete'].includes(request.verb)) return graph(request);
  // list, watch, deletecollection need the fieldSelector spec.nodeName=NODE, which a request here never carries.
  return 'no-opinion';
}

/** The checks of the resources the Node authorizer subdivides, by `group/resource`. */
const SUBDIVIDED: ReadonlyMap<string, (request: RbacRequest) => NodeAuthorizerAnswer> = new Map([
  ['/secrets', authorizeReadNamespacedObject],
  ['/configmaps', authorizeReadNamespacedObject],
  [
    '/persistentvolumeclaims',
    (request: RbacRequest): NodeAuthorizerAnswer =>
      request.subresource === 'status'
        ? ['update', 'patch'].includes(request.verb)
          ? graph(request)
          : 'no-opinion'
        : authorizeGet(request),
  ],
  ['/persistentvolumes', authorizeGet],
  ['resource.k8s.io/resourceclaims', authorizeGet],
  ['storage.k8s.io/volumeattachments', authorizeGet],
  [
    '/serviceaccounts',
    (request: RbacRequest): NodeAuthorizerAnswer =>
      request.verb === 'create' && request.subresource === 'token' ? graph(request) : 'no-opinion',
  ],
  [
    'coordination.k8s.io/leases',
    (request: RbacRequest): NodeAuthorizerAnswer =>
      request.namespace === NODE_LEASE_NAMESPACE
        ? authorizeOwnObject(request, 'Lease in kube-node-lease')
        : 'no-opinion',
  ],
  [
    'storage.k8s.io/csinodes',
    (request: RbacRequest): NodeAuthorizerAnswer =>
      request.subresource === '' ? authorizeOwnObject(request, 'CSINode') : 'no-opinion',
  ],
  ['resource.k8s.io/resourceslices', authorizeResourceSlice],
  ['/nodes', authorizeNode],
  ['/pods', authorizePod],
]);

/**
 * The Node authorizer's answer for a node's `request`. An `ownObject`
 * answer allows only the node of that name: {@link nodeAnswerFor} decides it
 * for a known node.
 */
export function nodeAuthorizer(
  request: RbacRequest,
  kubernetesVersion: string | undefined,
): NodeAuthorizerAnswer {
  if (request.nonResourceURL === undefined) {
    const check = SUBDIVIDED.get(`${request.apiGroup}/${request.resource}`);
    if (check !== undefined) return check(request);
  }
  const rule = nodeRules(kubernetesVersion).find((r) => ruleAllows(r, request));
  return rule === undefined ? 'no-opinion' : { rule };
}

/**
 * The answer for the node named `nodeName` (`system:node:<nodeName>`): an
 * own-object allow holds only for that node; a node without a name gets no
 * opinion on anything ("unknown node", node_authorizer.go `Authorize`).
 */
export function nodeAnswerFor(
  answer: NodeAuthorizerAnswer,
  nodeName: string,
): NodeAuthorizerAnswer {
  if (nodeName === '') return 'no-opinion';
  if (typeof answer === 'object' && 'ownObject' in answer) {
    if (answer.ownObject !== nodeName) return 'no-opinion';
    const { ownObject: _own, ...allowed } = answer;
    return allowed;
  }
  return answer;
}

/** The reason an allow gives. */
export function nodeReason(allowed: NodeAuthorizerAllow): NodeAuthorizerReason {
  return {
    via: 'node-authorizer',
    rule: allowed.rule,
    ...(allowed.check === undefined ? {} : { check: allowed.check }),
  };
}
