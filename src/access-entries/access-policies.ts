/**
 * EKS access policies as data (SPEC 4.9): every policy AWS lists, with the
 * Kubernetes rules AWS documents for it, the page that documents them and
 * that page's date. A policy AWS describes only in prose is marked
 * `documented: false` and carries no rules: a grant through it is never
 * guessed (authorization answers `unknown` and names it).
 *
 * To refresh: update the snapshot in `test/fixtures/access-policies/` from
 * the pages below, then this table until `test/authz/access-policies.test.ts`
 * passes; bump the `updated` / `retrieved` dates.
 *
 * @module
 */
import { deepFreeze } from '../util/deep-freeze.js';

/**
 * One Kubernetes authorization rule of an access policy, in the shape of an
 * RBAC `PolicyRule`: a resource rule (`apiGroups`, `resources`, optionally
 * `resourceNames`) or a non-resource rule (`nonResourceURLs`, with empty
 * `apiGroups` and `resources`). `*` matches anything, as in RBAC.
 */
export interface AccessPolicyRule {
  /** Kubernetes verbs (`get`, `list`, …, or `*`). */
  readonly verbs: readonly string[];
  /** API groups; `''` is the core group. Empty on a non-resource rule. */
  readonly apiGroups: readonly string[];
  /** Resources, `resource/subresource` for subresources. Empty on a non-resource rule. */
  readonly resources: readonly string[];
  /** Object names the rule is limited to; absent when it is not limited. */
  readonly resourceNames?: readonly string[];
  /** Non-resource URL paths (`/healthz`, `*`, `/api/*`); absent on a resource rule. */
  readonly nonResourceURLs?: readonly string[];
}

/** Where AWS documents (or lists) an access policy. */
export interface AccessPolicySource {
  /** The page's title. */
  readonly title: string;
  /** The page's address. */
  readonly url: string;
  /**
   * The page's own date (`YYYY-MM-DD`), when it has one: for the EKS user
   * guide, the newest row of its "Access policy updates" table.
   */
  readonly updated?: string;
  /** When the page was read for this table (`YYYY-MM-DD`). */
  readonly retrieved: string;
}

/** One EKS access policy. */
export interface AccessPolicyDefinition {
  /** The policy name, the last part of `arn:<partition>:eks::aws:cluster-access-policy/<Name>`. */
  readonly name: string;
  /**
   * True when AWS publishes the policy's rules as a table; false when it
   * describes the policy only in prose, or only lists its name. An
   * undocumented policy has no `rules`, and a grant through it is `unknown`.
   */
  readonly documented: boolean;
  /** What AWS says the policy is for, in a line. */
  readonly description: string;
  /** True when AWS says the policy is only for its service-linked roles. */
  readonly serviceLinkedRolesOnly?: boolean;
  /** The page that documents the policy (or, failing one, lists it). */
  readonly source: AccessPolicySource;
  /** The policy's rules as AWS documents them, one per table row; empty when undocumented. */
  readonly rules: readonly AccessPolicyRule[];
}

/** The EKS user guide page with the rule tables; its change table ends on November 6, 2025. */
export const ACCESS_POLICIES_SOURCE: AccessPolicySource = Object.freeze({
  title: 'Amazon EKS User Guide: Review access policy permissions',
  url: 'https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html',
  updated: '2025-11-06',
  retrieved: '2026-12-06',
});

const EKS_GUIDE = ACCESS_POLICIES_SOURCE;

const ARC_GUIDE: AccessPolicySource = {
  title:
    'AWS Application Recovery Controller Developer Guide: Amazon EKS resource scaling execution block',
  url: 'https://docs.aws.amazon.com/r53recovery/latest/dg/eks-resource-scaling-block.html',
  retrieved: '2026-12-06',
};

const CLOUDWATCH_GUIDE: AccessPolicySource = {
  title: 'Amazon CloudWatch User Guide: Integration with Amazon EKS (CloudWatch investigations)',
  url: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/EKS-Integration.html',
  retrieved: '2026-12-06',
};

const CAPABILITIES_GUIDE: AccessPolicySource = {
  title: 'Amazon EKS User Guide: Security considerations for EKS Capabilities',
  url: 'https://docs.aws.amazon.com/eks/latest/userguide/capabilities-security.html',
  retrieved: '2026-12-06',
};

// Names the ListAccessPolicies API returns (seen in its published output)
// that no AWS page describes: kept so they are recognized, never guessed.
const LISTED_ONLY: AccessPolicySource = {
  title: 'Amazon EKS API Reference: ListAccessPolicies (the name appears in its output only)',
  url: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_ListAccessPolicies.html',
  retrieved: '2026-12-06',
};

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

/**
 * Every EKS access policy AWS lists, by name, with its rules as AWS documents
 * them (see each policy's `source`). Deeply frozen.
 *
 * Undocumented (`documented: false`, a grant through them is `unknown`):
 * the Auto Mode policies, cluster insights, the EKS capabilities (ACK, Argo
 * CD, kro), CloudWatch investigations, and the names only the
 * `ListAccessPolicies` API shows.
 *
 * @example
 * ```ts
 * ACCESS_POLICIES.AmazonEKSViewPolicy?.rules.length; // 10
 * ACCESS_POLICIES.AmazonEKSAutoNodePolicy?.documented; // false
 * ```
 */
export const ACCESS_POLICIES: Readonly<Record<string, AccessPolicyDefinition>> = deepFreeze({
  AmazonEKSClusterAdminPolicy: {
    name: 'AmazonEKSClusterAdminPolicy',
    documented: true,
    description: 'Administrator access to the whole cluster; usually associated at cluster scope.',
    source: EKS_GUIDE,
    rules: [
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['*'], apiGroups: [], resources: [], nonResourceURLs: ['*'] },
    ],
  },
  AmazonEKSAdminPolicy: {
    name: 'AmazonEKSAdminPolicy',
    documented: true,
    description:
      'Most permissions on resources, like the Kubernetes admin role; usually associated at namespace scope.',
    source: EKS_GUIDE,
    rules: [
      {
        verbs: WRITE,
        apiGroups: ['apps'],
        resources: [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'replicasets',
          'replicasets/scale',
          'statefulsets',
          'statefulsets/scale',
        ],
      },
      {
        verbs: READ,
        apiGroups: ['apps'],
        resources: [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ],
      },
      {
        verbs: ['create'],
        apiGroups: ['authorization.k8s.io'],
        resources: ['localsubjectaccessreviews'],
      },
      { verbs: WRITE, apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
      {
        verbs: READ,
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
      },
      { verbs: WRITE, apiGroups: ['batch'], resources: ['cronjobs', 'jobs'] },
      {
        verbs: READ,
        apiGroups: ['batch'],
        resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'],
      },
      { verbs: READ, apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
      {
        verbs: WRITE,
        apiGroups: ['extensions'],
        resources: [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'ingresses',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicationcontrollers/scale',
        ],
      },
      {
        verbs: READ,
        apiGroups: ['extensions'],
        resources: [
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'ingresses',
          'ingresses/status',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'replicationcontrollers/scale',
        ],
      },
      {
        verbs: READ,
        apiGroups: ['networking.k8s.io'],
        resources: ['ingresses', 'ingresses/status', 'networkpolicies'],
      },
      {
        verbs: WRITE,
        apiGroups: ['networking.k8s.io'],
        resources: ['ingresses', 'networkpolicies'],
      },
      { verbs: WRITE, apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
      {
        verbs: READ,
        apiGroups: ['policy'],
        resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'],
      },
      {
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['rolebindings', 'roles'],
      },
      {
        verbs: READ,
        apiGroups: [''],
        resources: [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
      },
      {
        verbs: READ,
        apiGroups: [''],
        resources: [
          'pods/attach',
          'pods/exec',
          'pods/portforward',
          'pods/proxy',
          'secrets',
          'services/proxy',
        ],
      },
      {
        verbs: WRITE,
        apiGroups: [''],
        resources: [
          'configmaps',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ],
      },
      {
        verbs: WRITE,
        apiGroups: [''],
        resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'],
      },
      { verbs: ['impersonate'], apiGroups: [''], resources: ['serviceaccounts'] },
      {
        verbs: READ,
        apiGroups: [''],
        resources: [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
      },
      { verbs: READ, apiGroups: [''], resources: ['namespaces'] },
    ],
  },
  AmazonEKSEditPolicy: {
    name: 'AmazonEKSEditPolicy',
    documented: true,
    description: 'Edit most Kubernetes resources, like the Kubernetes edit role.',
    source: EKS_GUIDE,
    rules: [
      {
        verbs: WRITE,
        apiGroups: ['apps'],
        resources: [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'replicasets',
          'replicasets/scale',
          'statefulsets',
          'statefulsets/scale',
        ],
      },
      {
        verbs: READ,
        apiGroups: ['apps'],
        resources: [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ],
      },
      {
        verbs: READ,
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
      },
      { verbs: WRITE, apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'] },
      { verbs: WRITE, apiGroups: ['batch'], resources: ['cronjobs', 'jobs'] },
      {
        verbs: READ,
        apiGroups: ['batch'],
        resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'],
      },
      { verbs: READ, apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
      {
        verbs: WRITE,
        apiGroups: ['extensions'],
        resources: [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'ingresses',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicationcontrollers/scale',
        ],
      },
      {
        verbs: READ,
        apiGroups: ['extensions'],
        resources: [
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'ingresses',
          'ingresses/status',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'replicationcontrollers/scale',
        ],
      },
      {
        verbs: WRITE,
        apiGroups: ['networking.k8s.io'],
        resources: ['ingresses', 'networkpolicies'],
      },
      {
        verbs: READ,
        apiGroups: ['networking.k8s.io'],
        resources: ['ingresses', 'ingresses/status', 'networkpolicies'],
      },
      { verbs: WRITE, apiGroups: ['policy'], resources: ['poddisruptionbudgets'] },
      {
        verbs: READ,
        apiGroups: ['policy'],
        resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'],
      },
      { verbs: READ, apiGroups: [''], resources: ['namespaces'] },
      {
        verbs: READ,
        apiGroups: [''],
        resources: [
          'pods/attach',
          'pods/exec',
          'pods/portforward',
          'pods/proxy',
          'secrets',
          'services/proxy',
        ],
      },
      { verbs: ['impersonate'], apiGroups: [''], resources: ['serviceaccounts'] },
      {
        verbs: WRITE,
        apiGroups: [''],
        resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'],
      },
      {
        verbs: WRITE,
        apiGroups: [''],
        resources: [
          'configmaps',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ],
      },
      {
        verbs: READ,
        apiGroups: [''],
        resources: [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
      },
      {
        verbs: READ,
        apiGroups: [''],
        resources: [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
      },
    ],
  },
  AmazonEKSViewPolicy: {
    name: 'AmazonEKSViewPolicy',
    documented: true,
    description: 'View most Kubernetes resources (not Secrets), like the Kubernetes view role.',
    source: EKS_GUIDE,
    rules: [
      {
        verbs: READ,
        apiGroups: ['apps'],
        resources: [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ],
      },
      {
        verbs: READ,
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
      },
      {
        verbs: READ,
        apiGroups: ['batch'],
        resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'],
      },
      { verbs: READ, apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
      {
        verbs: READ,
        apiGroups: ['extensions'],
        resources: [
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'ingresses',
          'ingresses/status',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'replicationcontrollers/scale',
        ],
      },
      {
        verbs: READ,
        apiGroups: ['networking.k8s.io'],
        resources: ['ingresses', 'ingresses/status', 'networkpolicies'],
      },
      {
        verbs: READ,
        apiGroups: ['policy'],
        resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'],
      },
      {
        verbs: READ,
        apiGroups: [''],
        resources: [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
      },
      {
        verbs: READ,
        apiGroups: [''],
        resources: [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
      },
      { verbs: READ, apiGroups: [''], resources: ['namespaces'] },
    ],
  },
  AmazonEKSAdminViewPolicy: {
    name: 'AmazonEKSAdminViewPolicy',
    documented: true,
    description: 'List and view every resource in the cluster, Secrets included.',
    source: EKS_GUIDE,
    rules: [{ verbs: READ, apiGroups: ['*'], resources: ['*'] }],
  },
  AmazonEKSSecretReaderPolicy: {
    name: 'AmazonEKSSecretReaderPolicy',
    documented: true,
    description: 'Read Kubernetes Secrets.',
    source: EKS_GUIDE,
    rules: [{ verbs: READ, apiGroups: [''], resources: ['secrets'] }],
  },
  AmazonEKSHybridPolicy: {
    name: 'AmazonEKSHybridPolicy',
    documented: true,
    description: 'EKS hybrid nodes: list nodes.',
    serviceLinkedRolesOnly: true,
    source: EKS_GUIDE,
    rules: [{ verbs: ['list'], apiGroups: ['*'], resources: ['nodes'] }],
  },
  AmazonARCRegionSwitchScalingPolicy: {
    name: 'AmazonARCRegionSwitchScalingPolicy',
    documented: true,
    description:
      'Application Recovery Controller Region switch: scale workloads and their HorizontalPodAutoscalers.',
    source: ARC_GUIDE,
    rules: [
      { verbs: ['get', 'update'], apiGroups: ['*'], resources: ['*/scale'] },
      { verbs: ['get'], apiGroups: ['*'], resources: ['*/status'] },
      {
        verbs: ['get', 'patch'],
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers'],
      },
    ],
  },
  AmazonEKSAutoNodePolicy: {
    name: 'AmazonEKSAutoNodePolicy',
    documented: false,
    description:
      'Auto Mode node role (access entry type EC2): kube-proxy, VPC CNI, CoreDNS, EBS CSI driver, Neuron and node monitoring components.',
    source: EKS_GUIDE,
    rules: [],
  },
  AmazonEKSBlockStoragePolicy: {
    name: 'AmazonEKSBlockStoragePolicy',
    documented: false,
    description: 'Auto Mode cluster role: leader-election leases of the block storage components.',
    serviceLinkedRolesOnly: true,
    source: EKS_GUIDE,
    rules: [],
  },
  AmazonEKSComputePolicy: {
    name: 'AmazonEKSComputePolicy',
    documented: false,
    description: 'Auto Mode cluster role: leader-election leases of the compute components.',
    serviceLinkedRolesOnly: true,
    source: EKS_GUIDE,
    rules: [],
  },
  AmazonEKSLoadBalancingPolicy: {
    name: 'AmazonEKSLoadBalancingPolicy',
    documented: false,
    description: 'Auto Mode cluster role: leader-election leases of the load balancing components.',
    source: EKS_GUIDE,
    rules: [],
  },
  AmazonEKSNetworkingPolicy: {
    name: 'AmazonEKSNetworkingPolicy',
    documented: false,
    description: 'Auto Mode cluster role: leader-election leases of the networking components.',
    source: EKS_GUIDE,
    rules: [],
  },
  AmazonEKSBlockStorageClusterPolicy: {
    name: 'AmazonEKSBlockStorageClusterPolicy',
    documented: false,
    description:
      'Auto Mode cluster role: CSI drivers, persistent volumes and claims, volume attachments, snapshots.',
    serviceLinkedRolesOnly: true,
    source: EKS_GUIDE,
    rules: [],
  },
  AmazonEKSComputeClusterPolicy: {
    name: 'AmazonEKSComputeClusterPolicy',
    documented: false,
    description:
      'Auto Mode cluster role: NodePools, NodeClaims, NodeClasses, node deprovisioning and pod eviction.',
    serviceLinkedRolesOnly: true,
    source: EKS_GUIDE,
    rules: [],
  },
  AmazonEKSLoadBalancingClusterPolicy: {
    name: 'AmazonEKSLoadBalancingClusterPolicy',
    documented: false,
    description:
      'Auto Mode cluster role: services, ingresses, TargetGroupBindings, webhook configurations.',
    source: EKS_GUIDE,
    rules: [],
  },
  AmazonEKSNetworkingClusterPolicy: {
    name: 'AmazonEKSNetworkingClusterPolicy',
    documented: false,
    description: 'Auto Mode cluster role: CNINodes, NodeClasses, NodeClaims, pods, events.',
    source: EKS_GUIDE,
    rules: [],
  },
  AmazonEKSClusterInsightsPolicy: {
    name: 'AmazonEKSClusterInsightsPolicy',
    documented: false,
    description: 'EKS cluster insights: read nodes and the kube-proxy DaemonSet.',
    serviceLinkedRolesOnly: true,
    source: EKS_GUIDE,
    rules: [],
  },
  AmazonAIOpsAssistantPolicy: {
    name: 'AmazonAIOpsAssistantPolicy',
    documented: false,
    description: 'CloudWatch investigations: read-only access to cluster resources.',
    source: CLOUDWATCH_GUIDE,
    rules: [],
  },
  AmazonEKSACKPolicy: {
    name: 'AmazonEKSACKPolicy',
    documented: false,
    description:
      'EKS capability for AWS Controllers for Kubernetes: ACK custom resources in every namespace.',
    source: CAPABILITIES_GUIDE,
    rules: [],
  },
  AmazonEKSArgoCDClusterPolicy: {
    name: 'AmazonEKSArgoCDClusterPolicy',
    documented: false,
    description:
      'EKS capability for Argo CD: discover resources and manage cluster-scoped objects.',
    source: CAPABILITIES_GUIDE,
    rules: [],
  },
  AmazonEKSArgoCDPolicy: {
    name: 'AmazonEKSArgoCDPolicy',
    documented: false,
    description: 'EKS capability for Argo CD: deploy and manage applications in its namespace.',
    source: CAPABILITIES_GUIDE,
    rules: [],
  },
  AmazonEKSKROPolicy: {
    name: 'AmazonEKSKROPolicy',
    documented: false,
    description: 'EKS capability for kro: ResourceGraphDefinitions and the instances they define.',
    source: CAPABILITIES_GUIDE,
    rules: [],
  },
  AIDevOpsAgentAccessPolicy: {
    name: 'AIDevOpsAgentAccessPolicy',
    documented: false,
    description: 'AWS DevOps Agent.',
    source: LISTED_ONLY,
    rules: [],
  },
  AmazonEKSEventPolicy: {
    name: 'AmazonEKSEventPolicy',
    documented: false,
    description: 'Purpose not described by AWS.',
    source: LISTED_ONLY,
    rules: [],
  },
  AmazonEKSPodIdentityPolicy: {
    name: 'AmazonEKSPodIdentityPolicy',
    documented: false,
    description: 'Purpose not described by AWS.',
    source: LISTED_ONLY,
    rules: [],
  },
  AmazonEKSSecretAdminPolicy: {
    name: 'AmazonEKSSecretAdminPolicy',
    documented: false,
    description: 'Purpose not described by AWS.',
    source: LISTED_ONLY,
    rules: [],
  },
  AmazonEMRJobPolicy: {
    name: 'AmazonEMRJobPolicy',
    documented: false,
    description: 'Amazon EMR on EKS.',
    source: LISTED_ONLY,
    rules: [],
  },
  AmazonSagemakerHyperpodClusterPolicy: {
    name: 'AmazonSagemakerHyperpodClusterPolicy',
    documented: false,
    description: 'SageMaker HyperPod.',
    source: LISTED_ONLY,
    rules: [],
  },
  AmazonSagemakerHyperpodControllerPolicy: {
    name: 'AmazonSagemakerHyperpodControllerPolicy',
    documented: false,
    description: 'SageMaker HyperPod.',
    source: LISTED_ONLY,
    rules: [],
  },
  AmazonSagemakerHyperpodSpacePolicy: {
    name: 'AmazonSagemakerHyperpodSpacePolicy',
    documented: false,
    description: 'SageMaker HyperPod.',
    source: LISTED_ONLY,
    rules: [],
  },
  AmazonSagemakerHyperpodSpaceTemplatePolicy: {
    name: 'AmazonSagemakerHyperpodSpaceTemplatePolicy',
    documented: false,
    description: 'SageMaker HyperPod.',
    source: LISTED_ONLY,
    rules: [],
  },
  AmazonSagemakerHyperpodSystemNamespacePolicy: {
    name: 'AmazonSagemakerHyperpodSystemNamespacePolicy',
    documented: false,
    description: 'SageMaker HyperPod.',
    source: LISTED_ONLY,
    rules: [],
  },
  AmazonSagemakerHyperpodUserClusterPolicy: {
    name: 'AmazonSagemakerHyperpodUserClusterPolicy',
    documented: false,
    description: 'SageMaker HyperPod.',
    source: LISTED_ONLY,
    rules: [],
  },
});

/** The definition of access policy `name`, or `undefined` for a name AWS does not list. */
export function accessPolicy(name: string): AccessPolicyDefinition | undefined {
  return Object.hasOwn(ACCESS_POLICIES, name) ? ACCESS_POLICIES[name] : undefined;
}
