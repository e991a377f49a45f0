/**
 * Kubernetes' built-in resources, as kubectl's discovery resolves a name
 * typed on the command line (`deploy`, `deployment`, `deployments` →
 * `deployments.apps`): plural, singular and short names, API group, and
 * whether the resource lives in a namespace. Read from the API of
 * Kubernetes v1.34 (`kubectl api-resources`; the short names are each REST
 * storage's `ShortNames()`), the newest minor version EKS offered when this
 * table was written. Custom resources are not here: write them as
 * `resource.group` (`nodepools.karpenter.sh`), which always works.
 *
 * @module
 */

/** One built-in resource. */
export interface BuiltinResource {
  /** The plural resource name, as RBAC rules name it. */
  readonly resource: string;
  /** The API group (`''` for the core group). */
  readonly group: string;
  /** False for cluster-scoped resources (`nodes`, `clusterroles`, …). */
  readonly namespaced: boolean;
}

// [plural, group, namespaced, singular (when not the plural minus "s"), ...short names]
type Row = readonly [string, string, boolean, string | null, ...string[]];

const ROWS: readonly Row[] = [
  ['bindings', '', true, null],
  ['componentstatuses', '', false, 'componentstatus', 'cs'],
  ['configmaps', '', true, null, 'cm'],
  ['endpoints', '', true, 'endpoints', 'ep'],
  ['events', '', true, null, 'ev'],
  ['limitranges', '', true, null, 'limits'],
  ['namespaces', '', false, null, 'ns'],
  ['nodes', '', false, null, 'no'],
  ['persistentvolumeclaims', '', true, null, 'pvc'],
  ['persistentvolumes', '', false, null, 'pv'],
  ['pods', '', true, null, 'po'],
  ['podtemplates', '', true, null],
  ['replicationcontrollers', '', true, null, 'rc'],
  ['resourcequotas', '', true, null, 'quota'],
  ['secrets', '', true, null],
  ['serviceaccounts', '', true, null, 'sa'],
  ['services', '', true, null, 'svc'],
  ['mutatingwebhookconfigurations', 'admissionregistration.k8s.io', false, null],
  [
    'validatingadmissionpolicies',
    'admissionregistration.k8s.io',
    false,
    'validatingadmissionpolicy',
  ],
  ['validatingadmissionpolicybindings', 'admissionregistration.k8s.io', false, null],
  ['validatingwebhookconfigurations', 'admissionregistration.k8s.io', false, null],
  ['customresourcedefinitions', 'apiextensions.k8s.io', false, null, 'crd', 'crds'],
  ['apiservices', 'apiregistration.k8s.io', false, null],
  ['controllerrevisions', 'apps', true, null],
  ['daemonsets', 'apps', true, null, 'ds'],
  ['deployments', 'apps', true, null, 'deploy'],
  ['replicasets', 'apps', true, null, 'rs'],
  ['statefulsets', 'apps', true, null, 'sts'],
  ['selfsubjectreviews', 'authentication.k8s.io', false, null],
  ['tokenreviews', 'authentication.k8s.io', false, null],
  ['localsubjectaccessreviews', 'authorization.k8s.io', true, null],
  ['selfsubjectaccessreviews', 'authorization.k8s.io', false, null],
  ['selfsubjectrulesreviews', 'authorization.k8s.io', false, null],
  ['subjectaccessreviews', 'authorization.k8s.io', false, null],
  ['horizontalpodautoscalers', 'autoscaling', true, null, 'hpa'],
  ['cronjobs', 'batch', true, null, 'cj'],
  ['jobs', 'batch', true, null],
  ['certificatesigningrequests', 'certificates.k8s.io', false, null, 'csr'],
  ['leases', 'coordination.k8s.io', true, null],
  ['endpointslices', 'discovery.k8s.io', true, null],
  ['flowschemas', 'flowcontrol.apiserver.k8s.io', false, null],
  ['prioritylevelconfigurations', 'flowcontrol.apiserver.k8s.io', false, null],
  ['ingressclasses', 'networking.k8s.io', false, 'ingressclass'],
  ['ingresses', 'networking.k8s.io', true, 'ingress', 'ing'],
  ['ipaddresses', 'networking.k8s.io', false, 'ipaddress', 'ip'],
  ['networkpolicies', 'networking.k8s.io', true, 'networkpolicy', 'netpol'],
  ['servicecidrs', 'networking.k8s.io', false, null],
  ['runtimeclasses', 'node.k8s.io', false, 'runtimeclass'],
  ['poddisruptionbudgets', 'policy', true, null, 'pdb'],
  ['clusterrolebindings', 'rbac.authorization.k8s.io', false, null],
  ['clusterroles', 'rbac.authorization.k8s.io', false, null],
  ['rolebindings', 'rbac.authorization.k8s.io', true, null],
  ['roles', 'rbac.authorization.k8s.io', true, null],
  ['deviceclasses', 'resource.k8s.io', false, 'deviceclass'],
  ['resourceclaims', 'resource.k8s.io', true, null],
  ['resourceclaimtemplates', 'resource.k8s.io', true, null],
  ['resourceslices', 'resource.k8s.io', false, null],
  ['priorityclasses', 'scheduling.k8s.io', false, 'priorityclass', 'pc'],
  ['csidrivers', 'storage.k8s.io', false, null],
  ['csinodes', 'storage.k8s.io', false, null],
  ['csistoragecapacities', 'storage.k8s.io', true, 'csistoragecapacity'],
  ['storageclasses', 'storage.k8s.io', false, 'storageclass', 'sc'],
  ['volumeattachments', 'storage.k8s.io', false, null],
  ['volumeattributesclasses', 'storage.k8s.io', false, 'volumeattributesclass', 'vac'],
];

// What kube-apiserver authorizes an impersonation header as: `impersonate`
// on `users`, `groups`, `uids` and `userextras/KEY`, with no namespace
// (staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go,
// `WithImpersonation`). Not API resources, but kubectl takes `users` and
// `groups` without a warning (cani.go `nonStandardResourceNames`).
const IMPERSONATION_ROWS: readonly Row[] = [
  ['users', '', false, null],
  ['groups', '', false, null],
  ['uids', 'authentication.k8s.io', false, null],
  ['userextras', 'authentication.k8s.io', false, null],
];

const byName = new Map<string, BuiltinResource>();
const byGroupResource = new Map<string, BuiltinResource>();
for (const [resource, group, namespaced, singular, ...shortNames] of [
  ...ROWS,
  ...IMPERSONATION_ROWS,
]) {
  const entry: BuiltinResource = Object.freeze({ resource, group, namespaced });
  byGroupResource.set(`${resource}.${group}`, entry);
  // Core resources come first in ROWS, so the core group keeps a shared name
  // (`events`), as kubectl's discovery prefers the legacy group.
  for (const name of [resource, singular ?? resource.slice(0, -1), ...shortNames]) {
    if (!byName.has(name)) byName.set(name, entry);
  }
}

/** The built-in resource a plural, singular or short name stands for, as kubectl resolves it. */
export function builtinResourceByName(name: string): BuiltinResource | undefined {
  return byName.get(name);
}

/** The built-in resource `resource` of API group `group`, if Kubernetes has one. */
export function builtinResource(resource: string, group: string): BuiltinResource | undefined {
  return byGroupResource.get(`${resource}.${group}`);
}
