/**
 * `planAccessEntryMigration` (SPEC 4.7): the access entries that reproduce
 * an aws-auth ConfigMap, and every loss named. Reads one source (aws-auth),
 * writes another (access entries); `check.ts` proves it, `render/` prints it.
 *
 * Where `eksctl utils migrate-to-access-entry` aborts on a deleted role, looks
 * role paths up only in the caller's account, hard-codes `arn:aws:` in the
 * cluster-admin policy, drops every group beside `system:masters` and skips
 * `mapAccounts` and `system:*` groups in silence, this planner takes the real
 * ARNs from the caller (any account), keeps the partition, keeps the other
 * groups, and lists each loss with its location.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { CanonicalArn } from '../arn.js';
import { isServiceLinkedRole, principalMatchKey } from '../access-entries/principal.js';
import { accessPolicyArn, CLUSTER_ADMIN_POLICY } from '../access-entries/policies.js';
import type {
  AccessEntries,
  AccessEntryType,
  AccessPolicyAssociation,
} from '../access-entries/types.js';
import { checkCustomUsername, defaultUsername, NODE_TYPES } from '../access-entries/username.js';
import { resolveAwsAuth } from '../aws-auth/input.js';
import type {
  AwsAuth,
  AwsAuthInput,
  RoleMapping,
  SsoRoleMapping,
  UserMapping,
} from '../mapping/types.js';
import type { PartitionId } from '../partitions.js';
import { resolveAccessEntries } from '../access-entries/lookup.js';
import { quotedList, quoteForMessage } from '../util/control-characters.js';
import { checkPlan } from './check.js';
import type {
  MigrationEntry,
  MigrationIssue,
  MigrationIssueCode,
  MigrationPlan,
  MigrationTarget,
  PlanAccessEntryMigrationOptions,
} from './types.js';
import { isClusterName, isMigrationTarget, unsafeValue } from './value-safety.js';

type Source = { key: 'mapRoles' | 'mapUsers'; index: number; line?: number };

const LOSSES: ReadonlySet<MigrationIssueCode> = new Set<MigrationIssueCode>([
  'map-accounts',
  'system-group',
  'node-extra-group',
  'username-reserved',
  'username-session-colon',
  'unsupported-template',
  'username-empty',
  'service-linked-role',
  'sso-without-arn',
  'existing-entry',
  'duplicate',
  'invalid-principal',
  'cross-account-node',
  'control-character',
  'dynamic-reference',
]);

/** True if `code` names a loss (else it is a warning). */
export function isLoss(code: MigrationIssueCode): boolean {
  return LOSSES.has(code);
}

const EC2_NODE = 'system:node:{{EC2PrivateDNSName}}';
const SESSION_NODE = 'system:node:{{SessionName}}';
const SSO_ROLE = /^AWSReservedSSO_(.+)_([^_/]+)$/i;

/** The node type an aws-auth entry describes, if any (by its username and groups). */
export function nodeTypeOf(
  username: string,
  groups: readonly string[],
): AccessEntryType | undefined {
  if (!groups.includes('system:nodes')) return undefined;
  if (username === EC2_NODE)
    return groups.includes('eks:kube-proxy-windows') ? 'EC2_WINDOWS' : 'EC2_LINUX';
  // Fargate pod execution roles carry system:node-proxier; hybrid nodes do not.
  if (username === SESSION_NODE)
    return groups.includes('system:node-proxier') ? 'FARGATE_LINUX' : 'HYBRID_LINUX';
  return undefined;
}

/**
 * Node and Fargate types whose entries EKS itself creates for managed node
 * groups and Fargate profiles: "It's unnecessary to create an access entry
 * for an IAM role that's used for a managed node group or a Fargate profile.
 * EKS will create access entries" (AWS EKS user guide, "Create access
 * entries", https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html,
 * read 2026-12-06); creating one again answers 409 ResourceInUseException
 * (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html).
 * Hybrid nodes are never managed that way: their entries are always planned.
 */
const TYPES_EKS_MAY_CREATE: ReadonlySet<AccessEntryType> = new Set<AccessEntryType>([
  'EC2_LINUX',
  'EC2_WINDOWS',
  'FARGATE_LINUX',
]);

function checkOptions(options: unknown): PlanAccessEntryMigrationOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('planAccessEntryMigration: options must be an object');
  }
  const o = options as Record<string, unknown>;
  if (!isClusterName(o['clusterName'])) {
    throw new TypeError(
      'planAccessEntryMigration: options.clusterName must be an EKS cluster name (letters, digits, "-" and "_", starting with a letter or digit, at most 100)',
    );
  }
  if (o['includeNodeRoles'] !== undefined && typeof o['includeNodeRoles'] !== 'boolean') {
    throw new TypeError('planAccessEntryMigration: options.includeNodeRoles must be a boolean');
  }
  if (o['target'] !== undefined && !isMigrationTarget(o['target'])) {
    throw new TypeError(
      'planAccessEntryMigration: options.target must be "API" or "API_AND_CONFIG_MAP"',
    );
  }
  if (
    o['clusterAccountId'] !== undefined &&
    !(typeof o['clusterAccountId'] === 'string' && /^\d{12}$/.test(o['clusterAccountId']))
  ) {
    throw new TypeError(
      'planAccessEntryMigration: options.clusterAccountId must be a 12-digit string',
    );
  }
  return o as unknown as PlanAccessEntryMigrationOptions;
}

/**
 * Index the real ARNs by path-less, lower-cased ARN.
 *
 * @throws `TypeError` for a value that is not an IAM role or user ARN, or a
 *   map entry whose key and value name different principals.
 */
function indexPrincipalArns(
  input: PlanAccessEntryMigrationOptions['principalArns'],
): Map<string, CanonicalArn> {
  const index = new Map<string, CanonicalArn>();
  if (input === undefined) return index;
  const pairs: [string | undefined, unknown][] = Array.isArray(input)
    ? (input as readonly unknown[]).map((arn) => [undefined, arn])
    : typeof input === 'object' && input !== null
      ? Object.entries(input)
      : [];
  if (
    pairs.length === 0 &&
    !(Array.isArray(input) || (typeof input === 'object' && input !== null))
  ) {
    throw new TypeError(
      'planAccessEntryMigration: options.principalArns must be a map or a list of ARNs',
    );
  }
  for (const [key, value] of pairs) {
    if (typeof value !== 'string')
      throw new TypeError(
        'planAccessEntryMigration: options.principalArns values must be ARN strings',
      );
    let arn: CanonicalArn;
    try {
      arn = canonicalizeArn(value);
    } catch (error) {
      throw new TypeError(
        `planAccessEntryMigration: options.principalArns: ${(error as Error).message}`,
      );
    }
    if (arn.principalType !== 'role' && arn.principalType !== 'user') {
      throw new TypeError(
        `planAccessEntryMigration: options.principalArns: ${quoteForMessage(value)} is not an IAM role or user ARN`,
      );
    }
    const pathless = principalMatchKey(value);
    if (key !== undefined && principalMatchKey(key) !== pathless) {
      throw new TypeError(
        `planAccessEntryMigration: options.principalArns maps ${quoteForMessage(key)} to another principal`,
      );
    }
    index.set(pathless, arn);
  }
  return index;
}

/** The mutable state of one planning run. */
class Planner {
  readonly entries = new Map<string, MigrationEntry>();
  readonly losses: MigrationIssue[] = [];
  readonly warnings: MigrationIssue[] = [];
  readonly partition: PartitionId;
  readonly clusterAccount: string | undefined;
  /** The existing access entries by path-less, lower-cased principal (the first of each). */
  readonly existingByKey = new Map<string, AccessEntries['entries'][number]>();

  constructor(
    readonly awsAuth: AwsAuth,
    readonly arns: Map<string, CanonicalArn>,
    readonly existing: AccessEntries | undefined,
    clusterAccountId: string | undefined,
    readonly includeNodeRoles: boolean,
  ) {
    for (const e of existing?.entries ?? []) {
      const key = principalMatchKey(e.principalArn);
      if (!this.existingByKey.has(key)) this.existingByKey.set(key, e);
    }
    const principals = [
      ...awsAuth.mapRoles.map((e) => e.roleArn),
      ...awsAuth.mapUsers.map((e) => e.userArn),
    ]
      .map((arn) => (arn === undefined ? undefined : tryCanonicalize(arn)))
      .filter((a): a is CanonicalArn => a !== undefined);
    this.partition = principals[0]?.partition ?? 'aws';
    // Node roles must live in the cluster's account: they tell it when the caller does not.
    const nodeAccounts = new Set(
      awsAuth.mapRoles
        .filter((e) => e.sso === undefined && nodeTypeOf(e.username, e.groups) !== undefined)
        .map((e) => tryCanonicalize(e.roleArn ?? '')?.accountId)
        .filter((a): a is string => a !== undefined),
    );
    this.clusterAccount =
      clusterAccountId ?? (nodeAccounts.size === 1 ? [...nodeAccounts][0] : undefined);
  }

  private ssoIndex: Map<string, CanonicalArn[]> | undefined;

  /** The IAM Identity Center roles of `principalArns`, by partition, account and permission set. */
  ssoRoles(): Map<string, CanonicalArn[]> {
    if (this.ssoIndex === undefined) {
      this.ssoIndex = new Map();
      for (const arn of this.arns.values()) {
        const name = (arn.name ?? '').slice((arn.name ?? '').lastIndexOf('/') + 1);
        const m = SSO_ROLE.exec(name);
        if (arn.principalType !== 'role' || m === null) continue;
        const key = ssoRoleKey(arn.partition, arn.accountId, m[1] as string);
        const roles = this.ssoIndex.get(key);
        if (roles === undefined) this.ssoIndex.set(key, [arn]);
        else roles.push(arn);
      }
    }
    return this.ssoIndex;
  }

  issue(
    from: Source | { key: 'mapAccounts'; index: number },
    code: MigrationIssueCode,
    message: string,
  ): void {
    const item: MigrationIssue = {
      key: from.key,
      index: from.index,
      ...('line' in from && from.line !== undefined ? { line: from.line } : {}),
      code,
      message,
    };
    (isLoss(code) ? this.losses : this.warnings).push(item);
  }

  /** Add the entry for `principal`, unless an existing access entry already names it. */
  add(key: string, entry: MigrationEntry, from: Source): void {
    const existing = this.existingByKey.get(key);
    if (existing !== undefined) {
      const planned =
        entry.username ?? defaultUsername(entry.type, canonicalizeArn(entry.principalArn));
      const same =
        existing.type === entry.type &&
        existing.username === planned &&
        sameSet(
          existing.kubernetesGroups,
          entry.type === 'STANDARD' ? entry.kubernetesGroups : NODE_TYPES[entry.type].groups,
        ) &&
        entry.accessPolicies.every((p) => existing.accessPolicies.some((q) => samePolicy(p, q)));
      if (same) {
        this.issue(
          from,
          'existing-entry-equivalent',
          `access entry ${existing.index} (${quoteForMessage(existing.principalArn)}) already gives what this aws-auth entry gives; nothing to create`,
        );
      } else {
        this.issue(
          from,
          'existing-entry',
          `access entry ${existing.index} (${quoteForMessage(existing.principalArn)}) already exists and differs (${quoteForMessage(existing.type)}, username ${quoteForMessage(existing.username)}, groups ${quotedList(existing.kubernetesGroups)}); it wins over this aws-auth entry, so the plan does not touch it: update it by hand`,
        );
      }
      return;
    }
    this.entries.set(key, entry);
  }
}

function tryCanonicalize(arn: string): CanonicalArn | undefined {
  try {
    return canonicalizeArn(arn);
  } catch {
    return undefined;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

function samePolicy(a: AccessPolicyAssociation, b: AccessPolicyAssociation): boolean {
  return (
    a.policyArn === b.policyArn &&
    a.accessScope.type === b.accessScope.type &&
    sameSet(a.accessScope.namespaces, b.accessScope.namespaces)
  );
}

function sourceOf(key: 'mapRoles' | 'mapUsers', entry: { index: number; line?: number }): Source {
  return { key, index: entry.index, ...(entry.line === undefined ? {} : { line: entry.line }) };
}

/** The username and groups part of a STANDARD entry, with its losses. */
function standardEntry(
  planner: Planner,
  principal: CanonicalArn,
  principalArn: string,
  mapping: { username: string; groups: readonly string[] },
  from: Source,
): MigrationEntry {
  const groups: string[] = [];
  const kept = new Set<string>();
  const accessPolicies: AccessPolicyAssociation[] = [];
  for (const group of mapping.groups) {
    const unsafe = unsafeValue(group);
    if (unsafe !== undefined) {
      planner.issue(
        from,
        unsafe.code,
        `group ${quoteForMessage(group)} is dropped: it ${unsafe.reason}`,
      );
    } else if (group === 'system:masters') {
      // Same power, the partition of the principal (never a hard-coded arn:aws:);
      // one association however often aws-auth lists the group.
      if (accessPolicies.length === 0) {
        accessPolicies.push({
          policyArn: accessPolicyArn(principal.partition, CLUSTER_ADMIN_POLICY),
          accessScope: { type: 'cluster', namespaces: [] },
        });
      }
    } else if (group.startsWith('system:')) {
      planner.issue(
        from,
        'system-group',
        `group ${quoteForMessage(group)} is dropped: EKS refuses kubernetesGroups starting with "system:" on STANDARD entries`,
      );
    } else if (group.includes('{{') || group.includes('<<')) {
      planner.issue(
        from,
        'unsupported-template',
        `group ${quoteForMessage(group)} is dropped: AWS documents no templates in access-entry groups (the conservative reading)`,
      );
    } else if (!kept.has(group)) {
      kept.add(group);
      groups.push(group);
    }
  }
  const fallback = defaultUsername('STANDARD', principal);
  let username: string | undefined;
  const unsafeUsername = unsafeValue(mapping.username);
  if (unsafeUsername !== undefined) {
    planner.issue(
      from,
      unsafeUsername.code,
      `username ${quoteForMessage(mapping.username)} ${unsafeUsername.reason}; the access entry gets EKS's default ${fallback}`,
    );
  } else if (mapping.username === '') {
    planner.issue(
      from,
      'username-empty',
      `the entry has no username (aws-auth maps it to the empty user); the access entry gets EKS's default ${fallback}`,
    );
  } else if (mapping.username !== fallback) {
    const problems = checkCustomUsername(mapping.username);
    for (const p of problems) {
      planner.issue(
        from,
        p.code,
        `username ${quoteForMessage(mapping.username)}: ${p.message}; the access entry gets EKS's default ${fallback}`,
      );
    }
    if (problems.length === 0) username = mapping.username;
  }
  return {
    principalArn,
    type: 'STANDARD',
    ...(username === undefined ? {} : { username }),
    kubernetesGroups: groups,
    accessPolicies,
    from,
  };
}

function planRole(planner: Planner, entry: RoleMapping, from: Source): void {
  const principal = tryCanonicalize(entry.roleArn);
  if (principal === undefined) {
    planner.issue(
      from,
      'invalid-principal',
      `${quoteForMessage(entry.roleArn)} is not an IAM role ARN; nothing is planned for it`,
    );
    return;
  }
  if (principal.principalType !== 'role') {
    planner.issue(
      from,
      'never-matched',
      `${entry.roleArn} is not an IAM role ARN, so EKS never matches this entry; nothing is planned (write the IAM role ARN if the role needs access)`,
    );
    return;
  }
  if (isServiceLinkedRole(principal)) {
    planner.issue(
      from,
      'service-linked-role',
      `${entry.roleArn} is a service-linked role; access entries do not support them, so it keeps access only through aws-auth`,
    );
    return;
  }
  if ((principal.name ?? '').includes('/')) {
    planner.issue(
      from,
      'never-matched',
      `${entry.roleArn} has a path; EKS never matches aws-auth role ARNs with a path, so this entry gives nothing today and nothing is planned (create an access entry for it by hand if the role needs access)`,
    );
    return;
  }
  const key = principalMatchKey(entry.roleArn);
  const real = planner.arns.get(key);
  let principalArn = entry.roleArn;
  if (real === undefined && SSO_ROLE.test(principal.name ?? '')) {
    // IAM Identity Center roles always live under aws-reserved/sso.amazonaws.com/
    // (with or without a region): the path-less ARN names no role, and guessing is unsafe.
    planner.issue(
      from,
      'sso-without-arn',
      `${entry.roleArn} is an IAM Identity Center role: an access entry needs its full ARN (…:role/aws-reserved/sso.amazonaws.com/…/${principal.name ?? ''}); pass it in principalArns`,
    );
    return;
  }
  if (real === undefined) {
    planner.issue(
      from,
      'role-arn-unconfirmed',
      `the real ARN of ${entry.roleArn} is unconfirmed: access entries need the role's path, which aws-auth leaves out (pass it in principalArns)`,
    );
  } else {
    principalArn = real.arn;
  }
  planPrincipal(planner, key, principal, principalArn, entry, from);
}

function nodeTypeFor(
  username: string,
  groups: readonly string[],
): Exclude<AccessEntryType, 'STANDARD'> | undefined {
  const type = nodeTypeOf(username, groups);
  return type === 'STANDARD' ? undefined : type;
}

function planPrincipal(
  planner: Planner,
  key: string,
  principal: CanonicalArn,
  principalArn: string,
  mapping: { username: string; groups: readonly string[] },
  from: Source,
): void {
  const unsafeArn = unsafeValue(principalArn);
  if (unsafeArn !== undefined) {
    planner.issue(
      from,
      unsafeArn.code,
      `principal ${quoteForMessage(principalArn)} ${unsafeArn.reason}; nothing is planned for it`,
    );
    return;
  }
  const type =
    principal.principalType === 'role' ? nodeTypeFor(mapping.username, mapping.groups) : undefined;
  if (type !== undefined) {
    if (planner.clusterAccount !== undefined && principal.accountId !== planner.clusterAccount) {
      planner.issue(
        from,
        'cross-account-node',
        `${type} entries need a role in the cluster's account (${planner.clusterAccount}), not ${principal.accountId}`,
      );
      return;
    }
    for (const group of mapping.groups) {
      if (!NODE_TYPES[type].groups.includes(group)) {
        planner.issue(
          from,
          'node-extra-group',
          `group ${quoteForMessage(group)} is dropped: ${type} entries take no groups (EKS grants ${NODE_TYPES[type].groups.join(', ')})`,
        );
      }
    }
    if (
      TYPES_EKS_MAY_CREATE.has(type) &&
      planner.existing === undefined &&
      !planner.includeNodeRoles
    ) {
      planner.issue(
        from,
        'node-role-not-planned',
        `${principalArn} looks like a ${type === 'FARGATE_LINUX' ? 'Fargate pod execution role' : 'node role'} (${type}): EKS creates the access entries of managed node groups and Fargate profiles itself, and creating one again fails with 409 ResourceInUseException, so it is not planned; pass the cluster's access entries (--existing) to plan only the missing ones, or --include-node-roles for self-managed nodes`,
      );
      return;
    }
    planner.add(key, { principalArn, type, kubernetesGroups: [], accessPolicies: [], from }, from);
    return;
  }
  if (planner.clusterAccount !== undefined && principal.accountId !== planner.clusterAccount) {
    planner.issue(
      from,
      'cross-account',
      `${principalArn} is in account ${principal.accountId}, not the cluster's (${planner.clusterAccount}); allowed for STANDARD entries, but check it is meant`,
    );
  }
  planner.add(key, standardEntry(planner, principal, principalArn, mapping, from), from);
}

function ssoRoleKey(partition: string, accountId: string, permissionSetName: string): string {
  return `${partition}:${accountId}:${permissionSetName.toLowerCase()}`;
}

function planSso(
  planner: Planner,
  entry: SsoRoleMapping,
  from: Source,
  taken: Map<string, Source>,
): void {
  const { permissionSetName, accountId, partition } = entry.sso;
  const roles = planner.ssoRoles().get(ssoRoleKey(partition, accountId, permissionSetName)) ?? [];
  if (roles.length === 0) {
    planner.issue(
      from,
      'sso-without-arn',
      `sso permission set ${permissionSetName} in ${accountId}: an access entry needs the full role ARN (arn:${partition}:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/…/AWSReservedSSO_${permissionSetName}_…); pass it in principalArns`,
    );
    return;
  }
  for (const role of roles) {
    const key = principalMatchKey(role.arn);
    const first = taken.get(key);
    if (first !== undefined) {
      planner.issue(
        from,
        'duplicate',
        `${role.arn} is also mapped by ${first.key}[${first.index}], which aws-auth uses (rolearn entries come before sso entries); this sso entry is not migrated for it`,
      );
      continue;
    }
    taken.set(key, from);
    planPrincipal(planner, key, role, role.arn, entry, from);
  }
}

/**
 * Plan the access entries that reproduce an `aws-auth` ConfigMap, and name
 * every loss (see {@link MigrationIssueCode}):
 * - node roles (`system:node:{{EC2PrivateDNSName}}` with `system:nodes`)
 *   become `EC2_LINUX` (`EC2_WINDOWS` with `eks:kube-proxy-windows`); Fargate
 *   pod execution roles (`system:node:{{SessionName}}` with
 *   `system:node-proxier`) become `FARGATE_LINUX`, hybrid nodes `HYBRID_LINUX`;
 * - `system:masters` becomes `AmazonEKSClusterAdminPolicy` at cluster scope in
 *   the principal's partition; other groups are kept;
 * - a username equal to EKS's default is left out, so EKS sets it;
 * - role paths come from `principalArns`.
 *
 * @param awsAuth - a `parseAwsAuth` result or anything `parseAwsAuth` accepts.
 * @example
 * ```ts
 * const plan = planAccessEntryMigration(awsAuthYaml, { clusterName: 'prod', principalArns });
 * for (const loss of plan.losses) console.warn(loss.code, loss.key, loss.index, loss.message);
 * const { equivalent, differences } = await plan.check();
 * ```
 * @throws `AwsAuthError` / `AccessEntriesError` for unusable inputs,
 *   `TypeError` for bad options.
 */
export function planAccessEntryMigration(
  awsAuth: AwsAuthInput | AwsAuth,
  options: PlanAccessEntryMigrationOptions,
): MigrationPlan {
  const opts = checkOptions(options);
  const target: MigrationTarget = opts.target ?? 'API';
  const parsed = resolveAwsAuth(awsAuth);
  const existing =
    opts.existingAccessEntries === undefined
      ? undefined
      : resolveAccessEntries(opts.existingAccessEntries);
  const planner = new Planner(
    parsed,
    indexPrincipalArns(opts.principalArns),
    existing,
    opts.clusterAccountId,
    opts.includeNodeRoles === true,
  );

  // aws-auth keeps the later of two rolearn entries for one role (a Go map),
  // and tries rolearn entries before sso entries, then mapUsers.
  const taken = new Map<string, Source>();
  const roles = parsed.mapRoles.filter((e): e is RoleMapping => e.sso === undefined);
  const lastByKey = new Map<string, RoleMapping>();
  for (const e of roles) lastByKey.set(e.roleArn.toLowerCase(), e);
  for (const e of roles) {
    const key = principalMatchKey(e.roleArn);
    const used = lastByKey.get(e.roleArn.toLowerCase()) as RoleMapping;
    const from = sourceOf('mapRoles', e);
    if (used !== e) {
      planner.issue(
        from,
        'duplicate',
        `mapRoles[${used.index}] maps the same role and aws-auth uses it (the later entry wins); this entry is not migrated`,
      );
      continue;
    }
    taken.set(key, from);
    planRole(planner, e, from);
  }
  const ssoEntries = parsed.mapRoles.filter((e): e is SsoRoleMapping => e.sso !== undefined);
  const lastSso = new Map<string, SsoRoleMapping>();
  const ssoKey = (e: SsoRoleMapping): string =>
    `${e.sso.partition}:${e.sso.accountId}:${e.sso.permissionSetName.toLowerCase()}`;
  for (const e of ssoEntries) lastSso.set(ssoKey(e), e);
  for (const e of ssoEntries) {
    const from = sourceOf('mapRoles', e);
    const used = lastSso.get(ssoKey(e)) as SsoRoleMapping;
    if (used !== e) {
      planner.issue(
        from,
        'duplicate',
        `mapRoles[${used.index}] names the same permission set and aws-auth uses it (the later entry wins); this entry is not migrated`,
      );
    } else if (e.sso.partition !== 'aws') {
      // The Go authenticator's SSO pattern drops the partition, so such an entry never matches.
      planner.issue(
        from,
        'never-matched',
        'an sso entry naming a partition never matches in EKS; nothing is planned for it',
      );
    } else {
      planSso(planner, e, from, taken);
    }
  }
  const users = parsed.mapUsers;
  const lastUser = new Map<string, UserMapping>();
  for (const e of users) lastUser.set(e.userArn.toLowerCase(), e);
  for (const e of users) {
    const from = sourceOf('mapUsers', e);
    const used = lastUser.get(e.userArn.toLowerCase()) as UserMapping;
    if (used !== e) {
      planner.issue(
        from,
        'duplicate',
        `mapUsers[${used.index}] maps the same user and aws-auth uses it (the later entry wins); this entry is not migrated`,
      );
      continue;
    }
    const principal = tryCanonicalize(e.userArn);
    if (principal === undefined || principal.principalType !== 'user') {
      planner.issue(
        from,
        principal === undefined ? 'invalid-principal' : 'never-matched',
        `${quoteForMessage(e.userArn)} is not an IAM user ARN; nothing is planned for it`,
      );
      continue;
    }
    planPrincipal(planner, principalMatchKey(e.userArn), principal, e.userArn, e, from);
  }
  parsed.mapAccounts.forEach((account, index) => {
    planner.issue(
      { key: 'mapAccounts', index },
      'map-accounts',
      `account ${quoteForMessage(account)}: mapAccounts lets every principal of the account in (username = its ARN, no groups); access entries name one principal each, so there is no equivalent`,
    );
  });

  const entries = [...planner.entries.values()].sort((a, b) =>
    a.from.key === b.from.key ? a.from.index - b.from.index : a.from.key === 'mapRoles' ? -1 : 1,
  );
  const byLocation = (a: MigrationIssue, b: MigrationIssue): number => {
    const order = ['mapRoles', 'mapUsers', 'mapAccounts'];
    return order.indexOf(a.key) - order.indexOf(b.key) || a.index - b.index;
  };
  const plan: MigrationPlan = {
    clusterName: opts.clusterName,
    target,
    entries,
    losses: planner.losses.sort(byLocation),
    warnings: planner.warnings.sort(byLocation),
    canSwitchToApi: planner.losses.length === 0,
    partition: planner.partition,
    check: (arns?: readonly string[]) => checkPlan(parsed, plan, existing, arns),
  };
  return Object.freeze(plan);
}
