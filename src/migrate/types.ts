/**
 * The options and results of `planAccessEntryMigration` (SPEC 4.7).
 *
 * @module
 */
import type {
  AccessEntries,
  AccessEntriesInput,
  AccessEntryType,
  AccessPolicyAssociation,
} from '../access-entries/types.js';
import type { PartitionId } from '../partitions.js';

/** The authentication mode the cluster will run after the migration. */
export type MigrationTarget = 'API_AND_CONFIG_MAP' | 'API';

/** Options of `planAccessEntryMigration`. */
export interface PlanAccessEntryMigrationOptions {
  /** The EKS cluster's name, written into every rendered request. */
  clusterName: string;
  /**
   * The mode the cluster switches to; `plan.check()` compares the old
   * aws-auth answer with this mode's answer.
   *
   * @defaultValue `'API'` (the strict question: may aws-auth go?)
   */
  target?: MigrationTarget;
  /**
   * The real ARNs of the roles, to restore the paths aws-auth leaves out
   * (access entries name a role by its full ARN; SSO roles live under
   * `aws-reserved/sso.amazonaws.com/…`): a map from the path-less ARN to the
   * real one, or a list of real ARNs (e.g. `aws iam list-roles --query
   * 'Roles[].Arn'`), which the planner indexes itself. Any account.
   *
   * @defaultValue none: every role keeps the aws-auth ARN, with a warning
   */
  principalArns?: Readonly<Record<string, string>> | readonly string[];
  /**
   * The cluster's access entries today (`parseAccessEntries` result or
   * input): a principal that already has one is not planned again.
   *
   * @defaultValue none
   */
  existingAccessEntries?: AccessEntriesInput | AccessEntries;
  /**
   * The cluster's AWS account, for cross-account warnings (node types must be
   * in it).
   *
   * @defaultValue the account of the aws-auth node roles, when they agree
   */
  clusterAccountId?: string;
  /**
   * Plan `EC2_LINUX`, `EC2_WINDOWS` and `FARGATE_LINUX` entries for node and
   * Fargate roles even without `existingAccessEntries`. EKS creates the
   * access entries of managed node groups and Fargate profiles itself, and
   * creating one again fails with 409 `ResourceInUseException` (a
   * CloudFormation stack then rolls back), so by default such roles are
   * planned only when `existingAccessEntries` shows them missing, and
   * otherwise listed as `node-role-not-planned` warnings. Set it for
   * self-managed nodes. Hybrid node roles (`HYBRID_LINUX`), whose entries
   * EKS never creates, are always planned.
   *
   * @defaultValue `false`
   */
  includeNodeRoles?: boolean;
}

/** The aws-auth entry a planned access entry comes from. */
export interface MigrationSource {
  /** `mapRoles` or `mapUsers`. */
  key: 'mapRoles' | 'mapUsers';
  /** 0-based entry index in that list. */
  index: number;
  /** 1-based line in the aws-auth text, when known. */
  line?: number;
}

/** One side of a check: a username and groups (and, after, policy ARNs). */
export interface MigrationAnswer {
  /** Rendered username. */
  username: string;
  /** Rendered groups. */
  groups: string[];
  /** Access policy ARNs (the answer under the target mode only). */
  accessPolicies?: string[];
}

/** A side of a check that failed: the error code (e.g. `ERR_TEMPLATE`). */
export interface MigrationFailure {
  /** The error code. */
  error: string;
}

/** One planned access entry: the `CreateAccessEntry` input plus its policies. */
export interface MigrationEntry {
  /** The principal, with its role path when known. */
  principalArn: string;
  /** The entry type. */
  type: AccessEntryType;
  /** A custom username; absent when EKS's default gives the same name. */
  username?: string;
  /** Kubernetes groups (always empty for node types). */
  kubernetesGroups: string[];
  /** Access policies to associate, in the principal's partition. */
  accessPolicies: AccessPolicyAssociation[];
  /** Where the entry comes from: aws-auth key, index and line. */
  from: MigrationSource;
}

/**
 * Why part of aws-auth cannot be carried over (a loss) or needs a look (a
 * warning). Losses: `map-accounts`, `system-group`, `node-extra-group`,
 * `username-reserved`, `username-session-colon`, `unsupported-template`,
 * `username-empty`, `service-linked-role`, `sso-without-arn`,
 * `existing-entry`, `duplicate`, `invalid-principal`, `cross-account-node`,
 * `control-character` (a username, group or ARN with a control, bidi or
 * line-separator character: never rendered), `dynamic-reference` (one with
 * CloudFormation's `{{resolve:`: never rendered).
 * Warnings: `role-arn-unconfirmed`, `cross-account`, `never-matched`,
 * `existing-entry-equivalent`, `node-role-not-planned` (a node or Fargate
 * role whose entry EKS may create itself: see
 * {@link PlanAccessEntryMigrationOptions.includeNodeRoles}).
 */
export type MigrationIssueCode =
  | 'map-accounts'
  | 'system-group'
  | 'node-extra-group'
  | 'username-reserved'
  | 'username-session-colon'
  | 'unsupported-template'
  | 'username-empty'
  | 'service-linked-role'
  | 'sso-without-arn'
  | 'existing-entry'
  | 'duplicate'
  | 'invalid-principal'
  | 'cross-account-node'
  | 'control-character'
  | 'dynamic-reference'
  | 'role-arn-unconfirmed'
  | 'cross-account'
  | 'never-matched'
  | 'existing-entry-equivalent'
  | 'node-role-not-planned';

/** A loss or a warning, located in the aws-auth. */
export interface MigrationIssue {
  /** `mapRoles`, `mapUsers` or `mapAccounts`. */
  key: 'mapRoles' | 'mapUsers' | 'mapAccounts';
  /** 0-based entry index in that key's list. */
  index: number;
  /** 1-based line in the aws-auth text, when known. */
  line?: number;
  /** Stable code. */
  code: MigrationIssueCode;
  /** What is lost or doubtful, and what to do. */
  message: string;
}

/** A difference `plan.check()` found between the old and new answers. */
export interface MigrationDifference {
  /** The identity checked. */
  arn: string;
  /** The aws-auth answer (`CONFIG_MAP`), or `null`, or the error code. */
  before: MigrationAnswer | MigrationFailure | null;
  /** The answer under the target mode with the plan, or `null`, or the error code. */
  after: MigrationAnswer | MigrationFailure | null;
  /** What changes. */
  message: string;
}

/** An accepted change `plan.check()` lists (node types, cluster-admin policy). */
export interface MigrationNote {
  /** The identity checked. */
  arn: string;
  /** What changed and why it is equivalent. */
  message: string;
}

/** What `plan.check()` returns. */
export interface MigrationCheck {
  /** True when no identity's answer changes. */
  equivalent: boolean;
  /** The identities whose answer changes. */
  differences: MigrationDifference[];
  /** Accepted changes. */
  notes: MigrationNote[];
}

/** The result of `planAccessEntryMigration`. */
export interface MigrationPlan {
  /** The cluster name. */
  readonly clusterName: string;
  /** The target mode. */
  readonly target: MigrationTarget;
  /** The entries to create, in aws-auth order. */
  readonly entries: readonly MigrationEntry[];
  /** What the access entries cannot reproduce. */
  readonly losses: readonly MigrationIssue[];
  /** What needs a look but is not lost. */
  readonly warnings: readonly MigrationIssue[];
  /** True only when `losses` is empty. */
  readonly canSwitchToApi: boolean;
  /** The partition of the cluster's principals (`aws` when none tells). */
  readonly partition: PartitionId;
  /**
   * Prove the plan: for every aws-auth entry (and each of `arns`), the
   * answer under `CONFIG_MAP` with the old aws-auth equals the answer under
   * `target` with the planned (and existing) access entries.
   */
  check(arns?: readonly string[]): Promise<MigrationCheck>;
}
