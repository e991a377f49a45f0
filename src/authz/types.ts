/**
 * The options and results of `authorize`, `listPermissions` and `whoCan`
 * (SPEC 4.9): what an EKS API server would decide for an IAM identity, and
 * why.
 *
 * @module
 */
import type { AccessPolicyRule } from '../access-entries/access-policies.js';
import type { AccessScope } from '../access-entries/types.js';
import type { ResolvedIdentity, ResolveIdentityOptions } from '../resolve/types.js';
import type { RbacInput } from './rbac/parse.js';
import type { Rbac, RbacGrant, RbacRequest, RbacRule, RbacSubject } from './rbac/types.js';

/**
 * A request as an object, in the terms of kube-apiserver's authorizer
 * attributes. Either `nonResourceURL` (`/healthz`) or `resource`.
 */
export interface AuthzRequestObject {
  /** The verb: `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`, `impersonate`, …. */
  readonly verb: string;
  /**
   * The resource: a plural (`pods`), singular (`pod`) or short name (`po`)
   * of a built-in resource, `resource.group` (`deployments.apps`,
   * `nodepools.karpenter.sh`), or `resource/subresource` (`pods/log`).
   */
  readonly resource?: string;
  /** The subresource (`log`, `exec`, `status`, `scale`, `token`). */
  readonly subresource?: string;
  /**
   * The API group (`''` is the core group).
   *
   * @defaultValue the group of the built-in resource `resource` names, else `''`
   */
  readonly apiGroup?: string;
  /**
   * The namespace. Absent or `''`: a cluster-scoped request or one across
   * all namespaces. Ignored (with a note) for a built-in cluster-scoped
   * resource, whose requests never carry one.
   */
  readonly namespace?: string;
  /**
   * The object's name (absent for `list`, `watch` of a collection). A
   * `create` of a top-level object and a `deletecollection` never carry one
   * (kube-apiserver sends them to the collection): a name given with them is
   * left out, with a note.
   */
  readonly name?: string;
  /**
   * The path of a non-resource request, starting with `/` (`/healthz`). A
   * path kube-apiserver reads as a resource request (`/api/v1/namespaces/prod/secrets`,
   * `/apis/apps/v1/deployments`) is evaluated as that resource request,
   * with `verb` taken as the HTTP method (`get` → `get`/`list`/`watch`,
   * `post` → `create`, `put` → `update`, `delete` → `delete`/`deletecollection`).
   */
  readonly nonResourceURL?: string;
}

/**
 * A request: an {@link AuthzRequestObject}, or one string as `kubectl auth
 * can-i` takes its arguments: `VERB RESOURCE[/SUBRESOURCE] [NAME] [-n NS |
 * -A] [--subresource SUB]` or `VERB /PATH`. Without `-n` or `-A`, a
 * namespaced resource is asked about in namespace `default`, kubectl's
 * fallback. Unlike kubectl, `RESOURCE/X` reads `X` as a subresource
 * (`pods/log`); the name is its own word (`create pods/exec debug-pod`).
 * Either form is evaluated as the real request would be (a create carries
 * no name; a resource path is a resource request; see the fields).
 * An {@link EvaluatedRequest} (a `Decision`'s `request`) is taken as it is.
 */
export type AuthzRequest = string | AuthzRequestObject | EvaluatedRequest;

/** The request as it was evaluated: kube-apiserver's authorizer attributes. */
export interface EvaluatedRequest extends RbacRequest {
  /** What was read differently from how it was written (a resource resolved to its group, a namespace dropped). */
  readonly notes: readonly string[];
}

/** Options of `authorize`, `listPermissions` and `whoCan`. */
export interface AuthorizeOptions extends ResolveIdentityOptions {
  /**
   * The cluster's RBAC objects: a `parseRbac` result (parse once, ask
   * many), or anything `parseRbac` takes (one input or an array of them,
   * with Kubernetes' default roles and bindings added).
   *
   * @defaultValue Kubernetes' default roles and bindings only, with a caveat
   */
  rbac?: Rbac | RbacInput | readonly RbacInput[];
}

/** The identity as the authorizers see it. */
export interface DecisionIdentity extends ResolvedIdentity {
  /**
   * The groups the authorizers see: {@link ResolvedIdentity.groups} and
   * `system:authenticated`, which kube-apiserver adds to every
   * authenticated user.
   */
  readonly effectiveGroups: readonly string[];
}

/** The user is in `system:masters`, which kube-apiserver allows everything before any authorizer runs. */
export interface PrivilegedGroupReason {
  /** How the request is allowed. */
  readonly via: 'privileged-group';
  /** The group: `system:masters`. */
  readonly group: string;
}

/** An RBAC binding grants a role with a rule that allows the request. */
export interface RbacReason {
  /** How the request is allowed. */
  readonly via: 'rbac';
  /** The binding. */
  readonly binding: RbacGrant['binding'];
  /** The role it grants. */
  readonly role: RbacGrant['role'];
  /** The binding's subject that names the user (or one of its groups). */
  readonly subject: RbacSubject;
  /** 0-based index of the rule in the role's rules. */
  readonly ruleIndex: number;
  /** The rule that allows the request. */
  readonly rule: RbacRule;
}

/** An access policy of the caller's access entry allows the request within its scope. */
export interface AccessPolicyReason {
  /** How the request is allowed. */
  readonly via: 'access-policy';
  /** The associated policy's ARN. */
  readonly policyArn: string;
  /** Where the association applies. */
  readonly scope: AccessScope;
  /** 0-based index of the rule in the policy's documented rules. */
  readonly ruleIndex: number;
  /** The rule that allows the request, as AWS documents it. */
  readonly rule: AccessPolicyRule;
}

/**
 * The caller is a node and the Node authorizer allows the request: for the
 * resources it subdivides (secrets, pods, volumes, leases, nodes, …) one of
 * its own checks (a node's own Lease or Node object, mirror pods, pod status,
 * evictions, …), otherwise its static node rules (the `system:node`
 * ClusterRole of Kubernetes' defaults). What it decides from the pods bound
 * to the node (a named secret, configmap or volume) is a caveat, not a
 * reason.
 */
export interface NodeAuthorizerReason {
  /** How the request is allowed. */
  readonly via: 'node-authorizer';
  /**
   * The static node rule that allows it, or the rule one of the Node
   * authorizer's own checks amounts to (a node's own Lease: its name in
   * `resourceNames`).
   */
  readonly rule: RbacRule;
  /**
   * The Node authorizer's own check that allows it, in words (a node may
   * read its own Node object, create mirror pods, evict pods, …); absent
   * when a static node rule allows it.
   */
  readonly check?: string;
}

/** One path that allows a request. */
export type DecisionReason =
  PrivilegedGroupReason | NodeAuthorizerReason | RbacReason | AccessPolicyReason;

/**
 * What offline evaluation cannot see:
 * - `node-authorizer`: the user is a node (`system:node:<name>` in
 *   `system:nodes`) and the request is for what the Node authorizer
 *   decides from the pods bound to the node (secrets, configmaps, volumes,
 *   pods, …), which depends on live objects;
 * - `undocumented-policy`: an access policy in scope whose rules AWS does
 *   not publish (or a name AWS does not list);
 * - `cluster-creator`: under `CONFIG_MAP`, the IAM principal that created
 *   the cluster is `system:masters`, and no input shows it;
 * - `impersonation`: with `kubectl --as`/`--as-group`, access policies no
 *   longer apply, only RBAC;
 * - `webhook-authorizer`: a self-managed API server may run authorizers
 *   besides RBAC;
 * - `rbac-error`: a binding refers to a role the snapshot lacks (never a grant);
 * - `rbac-defaults-only`: no RBAC objects were given; only Kubernetes'
 *   defaults were evaluated;
 * - `template-undecidable` (`whoCan`): a binding names something a
 *   template with several kinds of session placeholder may render.
 */
export type CaveatCode =
  | 'node-authorizer'
  | 'undocumented-policy'
  | 'cluster-creator'
  | 'impersonation'
  | 'webhook-authorizer'
  | 'rbac-error'
  | 'rbac-defaults-only'
  | 'template-undecidable';

/** Something the decision does not account for, and why. */
export interface Caveat {
  /** What kind. */
  readonly code: CaveatCode;
  /** What it means for this decision. */
  readonly message: string;
  /** For `undocumented-policy`: the policy. */
  readonly policyArn?: string;
}

/**
 * The answer: `allow` when a path allows the request (each in `reasons`);
 * `unknown` when none does but an undocumented access policy in scope or
 * the Node authorizer might (named in `caveats`); `deny` otherwise, and for
 * an identity the cluster does not map (EKS answers 401).
 */
export interface Decision {
  /** The answer. */
  readonly decision: 'allow' | 'deny' | 'unknown';
  /** Who the cluster says the caller is; `null` when nothing maps it. */
  readonly identity: DecisionIdentity | null;
  /** The request as evaluated. */
  readonly request: EvaluatedRequest;
  /**
   * Every path that allows the request: the privileged group, the Node
   * authorizer's static rule, RBAC's first grant, each access policy's.
   */
  readonly reasons: readonly DecisionReason[];
  /** What the decision cannot see. */
  readonly caveats: readonly Caveat[];
}

/** Where a rule of `listPermissions` comes from. */
export type PermissionSource =
  | PrivilegedGroupReason
  | Omit<RbacReason, 'rule' | 'ruleIndex'>
  | Omit<AccessPolicyReason, 'rule' | 'ruleIndex'>;

/** One effective rule (in the shape of an RBAC `PolicyRule`), with its source. */
export interface PermissionRule extends AccessPolicyRule {
  /** Where the rule comes from. */
  readonly source: PermissionSource;
}

/** Options of `listPermissions`. */
export interface ListPermissionsOptions extends AuthorizeOptions {
  /**
   * The namespace to list for: cluster-wide rules plus the namespace's
   * (RoleBindings, namespace-scoped access policies that cover it). Absent:
   * cluster-wide rules only.
   */
  namespace?: string;
}

/** What `listPermissions` returns. */
export interface Permissions {
  /** Who the cluster says the caller is; `null` when nothing maps it (and `rules` is empty). */
  readonly identity: DecisionIdentity | null;
  /** The namespace listed for, or `''` for cluster-wide rules only. */
  readonly namespace: string;
  /** The effective rules: RBAC and access policies in scope, each with its source. */
  readonly rules: readonly PermissionRule[];
  /** What the list cannot show (undocumented policies, the Node authorizer, …). */
  readonly caveats: readonly Caveat[];
}

/**
 * A grant that holds only for some sessions of a principal: its username
 * (or a group) is a template, and an RBAC subject names one rendering of
 * it. `values` gives the placeholder values that produce the subject's name.
 */
export interface WhoCanCondition {
  /** The template, e.g. `dev:{{SessionName}}`. */
  readonly template: string;
  /** The RBAC subject name it must render to, e.g. `dev:alice`. */
  readonly renders: string;
  /** The value each placeholder must take, e.g. `{ SessionName: 'alice' }`. */
  readonly values: Readonly<Record<string, string>>;
  /** The condition in words: `role sessions named "alice"`. */
  readonly description: string;
}

/** One principal that may make the request, and how. */
export interface WhoCanPrincipal {
  /**
   * The IAM principal, as the entry that lets it in names it (an access
   * entry's `principalArn`, an aws-auth `rolearn`/`userarn`), or a
   * principal an RBAC subject names in a `mapAccounts` account. Absent for
   * {@link WhoCanPrincipal.account} rows.
   */
  readonly principalArn?: string;
  /**
   * A `mapAccounts` account: every principal of it that no entry names
   * (each authenticates as its own ARN, with no groups).
   */
  readonly account?: string;
  /** `allow`, or `unknown` when only an undocumented policy or the Node authorizer might allow. */
  readonly decision: 'allow' | 'unknown';
  /** How the principal is let in: which source and entry. */
  readonly via: {
    /** `accessEntry` or `aws-auth` (with ordered sources: `backend` and `sourceIndex` say which). */
    readonly source: ResolvedIdentity['source'];
    /** The rule that matched (`accessEntry`, `mapRoles`, `mapUsers`, `mapAccounts`, `sso`). */
    readonly matchedBy: ResolvedIdentity['matchedBy'];
    /** Index of the entry in its source, when one entry lets it in. */
    readonly entryIndex?: number;
    /** With ordered sources: the source's position. */
    readonly sourceIndex?: number;
  };
  /**
   * The username template the principal authenticates with (`{{…}}` kept);
   * for an {@link WhoCanPrincipal.account} row, `(its own ARN)`.
   */
  readonly username: string;
  /** Its group templates. */
  readonly groups: readonly string[];
  /** Every path that allows the request (for `unknown`, none). */
  readonly reasons: readonly DecisionReason[];
  /** For `unknown`, and anything else the row cannot see. */
  readonly caveats: readonly Caveat[];
  /** When the grant holds only for some sessions (a templated username or group). */
  readonly condition?: WhoCanCondition;
}

/** What `whoCan` returns. */
export interface WhoCanResult {
  /** The request as evaluated. */
  readonly request: EvaluatedRequest;
  /**
   * Every principal the inputs name, that the authentication mode lets in,
   * that may make the request (or might: `decision: 'unknown'`), in input
   * order: access entries, then aws-auth (or each ordered source), then
   * `mapAccounts`.
   */
  readonly principals: readonly WhoCanPrincipal[];
  /** What the whole answer cannot see (no RBAC given, the cluster creator, …). */
  readonly caveats: readonly Caveat[];
}
