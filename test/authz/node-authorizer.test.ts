/**
 * A node's requests, decided as kube-apiserver's Node authorizer decides
 * them (plugin/pkg/auth/authorizer/node/node_authorizer.go, as current
 * releases have it, with `AuthorizeNodeWithSelectors` on, the default since
 * Kubernetes 1.32): for each resource it subdivides, its own checks run
 * first (`authorizeReadNamespacedObject`, `authorizeGet`,
 * `authorizeStatusUpdate`, `authorizeCreateToken`, `authorizeLease`,
 * `authorizeCSINode`, `authorizeResourceSlice`, `authorizeNode`,
 * `authorizePod`); a request that fails them gets no opinion, whatever live
 * objects exist, so it is `deny` (when RBAC does not allow it either), never
 * `unknown`. Only what it then asks its graph of pods bound to the node
 * (`authorize` → `hasPathFrom`, for a named object) is `unknown`. What it
 * decides from the node's own name (its Lease, CSINode, Node object) is
 * decided here. Other resources: the static `system:node` rules.
 */
import { describe, expect, it } from 'vitest';
import { authorize } from '../../src/authz/authorize.js';
import type { AuthorizeOptions } from '../../src/authz/types.js';
import { whoCan } from '../../src/authz/who-can.js';
import { snapshot } from './rbac-snapshot.js';

const ROLE = 'arn:aws:iam::111122223333:role/nodes';
const NODE = 'ip-10-0-0-1.ec2.internal';
const options: AuthorizeOptions = {
  awsAuth: `mapRoles: |\n  - rolearn: ${ROLE}\n    username: system:node:{{EC2PrivateDNSName}}\n    groups: [system:bootstrappers, system:nodes]\n`,
  authenticationMode: 'CONFIG_MAP',
  rbac: snapshot({}),
  resolveEC2PrivateDNSName: () => NODE,
};
const node = 'arn:aws:sts::111122223333:assumed-role/nodes/i-0123456789abcdef0';

describe('the Node authorizer, check by check', () => {
  it.each<[string, string, 'allow' | 'deny' | 'unknown']>([
    // authorizeReadNamespacedObject (secrets, configmaps): get/list/watch of one named object in a namespace
    ['a named secret: the graph decides', 'get secrets db -n dev', 'unknown'],
    ['a secret without a name: "No Object name found"', 'get secrets -n dev', 'deny'],
    ['listing secrets of a namespace', 'list secrets -n dev', 'deny'],
    ['listing secrets across namespaces', 'list secrets -A', 'deny'],
    ['watching one named configmap: the graph decides', 'watch configmaps cfg -n dev', 'unknown'],
    [
      'deleting a secret: "can only read resources of this type"',
      'delete secrets db -n dev',
      'deny',
    ],
    ['creating a configmap', 'create configmaps -n dev', 'deny'],
    // authorizeGet (persistentvolumes, pvcs, resourceclaims, volumeattachments)
    ['a named persistent volume: the graph decides', 'get persistentvolumes pv-1', 'unknown'],
    ['listing persistent volumes', 'list persistentvolumes', 'deny'],
    ['a named pvc: the graph decides', 'get pvc data -n dev', 'unknown'],
    ['updating a pvc', 'update pvc data -n dev', 'deny'],
    // authorizeStatusUpdate (pvc status)
    ['a pvc status update: the graph decides', 'patch pvc/status data -n dev', 'unknown'],
    ['reading pvc status', 'get pvc/status data -n dev', 'deny'],
    [
      'a named volume attachment: the graph decides',
      'get volumeattachments.storage.k8s.io va-1',
      'unknown',
    ],
    [
      'a named resource claim: the graph decides',
      'get resourceclaims.resource.k8s.io c -n dev',
      'unknown',
    ],
    // authorizeCreateToken
    [
      'a token for a named service account: the graph decides',
      'create serviceaccounts/token default -n dev',
      'unknown',
    ],
    ['reading a service account', 'get serviceaccounts default -n dev', 'deny'],
    // authorizeLease: its own Lease in kube-node-lease
    ['its own lease', `update leases ${NODE} -n kube-node-lease`, 'allow'],
    ['creating a lease (admission checks the name)', 'create leases -n kube-node-lease', 'allow'],
    ["another node's lease", 'get leases ip-10-9-9-9.ec2.internal -n kube-node-lease', 'deny'],
    ['a lease in another namespace', `get leases ${NODE} -n kube-system`, 'deny'],
    ['listing leases', 'list leases -n kube-node-lease', 'deny'],
    // authorizeCSINode
    ['its own CSINode', `get csinodes ${NODE}`, 'allow'],
    ["another node's CSINode", 'delete csinodes ip-10-9-9-9.ec2.internal', 'deny'],
    // authorizeNode
    ['its own Node object', `get nodes ${NODE}`, 'allow'],
    ['another Node object', 'get nodes ip-10-9-9-9.ec2.internal', 'deny'],
    ['all Node objects', 'list nodes', 'deny'],
    ['registering a Node (admission limits it to its own)', 'create nodes', 'allow'],
    ['a Node status update (admission limits it to its own)', 'patch nodes/status x', 'allow'],
    ['deleting a Node', 'delete nodes x', 'deny'],
    // authorizePod
    ['a named pod: the graph decides', 'get pods web -n dev', 'unknown'],
    ['all pods (no spec.nodeName field selector)', 'list pods -A', 'deny'],
    ['a mirror pod', 'create pods -n kube-system', 'allow'],
    ['a pod status update', 'update pods/status web -n dev', 'allow'],
    ['an eviction', 'create pods/eviction web -n dev', 'allow'],
    ['exec into a pod', 'create pods/exec web -n dev', 'deny'],
    // authorizeResourceSlice
    ['creating a resource slice', 'create resourceslices.resource.k8s.io', 'allow'],
    [
      'a named resource slice: the graph decides',
      'delete resourceslices.resource.k8s.io s',
      'unknown',
    ],
    [
      'listing resource slices without a nodeName field selector',
      'list resourceslices.resource.k8s.io',
      'deny',
    ],
    // not subdivided: the static node rules
    ['services: a static node rule', 'list services -A', 'allow'],
    ['beyond the static rules: no opinion', 'create clusterrolebindings', 'deny'],
  ])('%s', async (_name, request, expected) => {
    expect((await authorize(node, request, options)).decision).toBe(expected);
  });

  it("an allow by one of the Node authorizer's own checks names it, with the rule it amounts to", async () => {
    const d = await authorize(node, `update leases ${NODE} -n kube-node-lease`, options);
    expect(d.reasons).toEqual([
      {
        via: 'node-authorizer',
        check: expect.stringContaining('its own Lease') as unknown,
        rule: {
          verbs: ['get', 'update', 'patch', 'delete'],
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          resourceNames: [NODE],
          nonResourceURLs: [],
        },
      },
    ]);
  });

  it('a denial by a check carries no node-authorizer caveat (live objects would not change it)', async () => {
    const d = await authorize(node, 'list secrets -A', options);
    expect(d.caveats.map((c) => c.code)).not.toContain('node-authorizer');
  });
});

describe('whoCan and a templated node name', () => {
  it('its own Node object: the instance whose name the request names, as a condition', async () => {
    const { principals } = await whoCan(`get nodes ${NODE}`, options);
    expect(principals).toMatchObject([
      {
        principalArn: ROLE,
        decision: 'allow',
        condition: {
          template: 'system:node:{{EC2PrivateDNSName}}',
          renders: `system:node:${NODE}`,
          values: { EC2PrivateDNSName: NODE },
        },
        reasons: [{ via: 'node-authorizer' }],
      },
    ]);
  });

  it('list secrets -A: no node may, so no row (not unknown)', async () => {
    expect((await whoCan('list secrets -A', options)).principals).toEqual([]);
  });

  it('a named secret: unknown, the graph decides', async () => {
    const { principals } = await whoCan('get secrets db -n dev', options);
    expect(principals.map((p) => [p.principalArn, p.decision])).toEqual([[ROLE, 'unknown']]);
  });
});
