/**
 * `mapIdentity` (SPEC 4.2): the Kubernetes username and groups an IAM
 * identity gets from `aws-auth`, by the EKS authenticator's rules.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { PrincipalType } from '../arn.js';
import { isMappingSourceList, mapIdentityFromSources } from '../sources/ordered.js';
import type { BackendMode, MappingSourceList } from '../sources/types.js';
import type { VerifiedIdentity } from '../token/verify.js';
import { resolveAwsAuth } from '../aws-auth/input.js';
import { lookupOf, ssoKey, stripRolePath } from '../mapping/lookup.js';
import { renderMapping } from '../mapping/template.js';
import type { AwsAuth, AwsAuthInput, SsoRoleMapping } from '../mapping/types.js';

/** Options of {@link mapIdentity}. */
export interface MapIdentityOptions {
  /**
   * Also match `rolearn` entries written with a path (`role/team/name`)
   * against a role without one. EKS never matches those (STS reports roles
   * without their path), so the default is faithful to EKS. An entry written
   * without a path (the one EKS uses) always beats a path-stripped one,
   * whatever their order.
   *
   * @defaultValue `false`
   */
  stripRolePaths?: boolean;
  /**
   * Match `mapRoles` entries with an `sso` block against IAM Identity Center
   * roles (`AWSReservedSSO_<permissionSetName>_<suffix>`). Off by default, as
   * the Go authenticator's `SSORoleMatch` feature gate.
   *
   * @defaultValue `false`
   */
  ssoRoleMatch?: boolean;
  /**
   * The access key id for `{{AccessKeyID}}` when `identity` is an ARN string
   * (a verified identity carries its own).
   */
  accessKeyId?: string;
  /**
   * Looks up the private DNS name of an EC2 instance, for
   * `{{EC2PrivateDNSName}}` (node roles: `system:node:{{EC2PrivateDNSName}}`).
   * `mapIdentity` never calls EC2 by itself; see
   * `createEC2PrivateDNSNameResolver`. Without it, such a template fails with
   * `ERR_TEMPLATE`.
   */
  resolveEC2PrivateDNSName?: (instanceId: string) => Promise<string> | string;
}

/** The Kubernetes identity an IAM identity maps to. */
export interface Mapping {
  /**
   * Rendered username. Empty when the entry has none: EKS then authenticates
   * the caller as the empty user `""` with the entry's groups
   * (pkg/server/server.go:507-526 copies it unchecked).
   */
  username: string;
  /** Rendered groups, in the entry's order (empty for `mapAccounts`). */
  groups: string[];
  /** Which rule matched; they are tried in this order. */
  matchedBy: 'mapRoles' | 'sso' | 'mapUsers' | 'mapAccounts';
  /**
   * 0-based index of the matching entry in its key's list, as in diagnostics
   * (dropped entries count). Absent for `mapAccounts`.
   */
  entryIndex?: number;
  /** The caller's canonical IAM ARN (an assumed-role session becomes its role). */
  canonicalArn: string;
  /** With ordered sources: the backend of the source that matched. */
  source?: BackendMode;
  /** With ordered sources: that source's position in the list. */
  sourceIndex?: number;
}

/** What matching needs to know about the caller. */
interface Caller {
  canonicalArn: string;
  principalType: PrincipalType;
  accountId: string;
  partition: string;
  sessionName: string | undefined;
  accessKeyId: string | undefined;
}

function checkOptions(options: unknown): MapIdentityOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('mapIdentity: options must be an object');
  }
  const o = options as Record<string, unknown>;
  for (const name of ['stripRolePaths', 'ssoRoleMatch']) {
    if (o[name] !== undefined && typeof o[name] !== 'boolean') {
      throw new TypeError(`mapIdentity: options.${name} must be a boolean`);
    }
  }
  if (o['accessKeyId'] !== undefined && typeof o['accessKeyId'] !== 'string') {
    throw new TypeError('mapIdentity: options.accessKeyId must be a string');
  }
  if (
    o['resolveEC2PrivateDNSName'] !== undefined &&
    typeof o['resolveEC2PrivateDNSName'] !== 'function'
  ) {
    throw new TypeError('mapIdentity: options.resolveEC2PrivateDNSName must be a function');
  }
  return o as MapIdentityOptions;
}

function callerOf(identity: string | VerifiedIdentity, options: MapIdentityOptions): Caller {
  if (typeof identity === 'string') {
    const arn = canonicalizeArn(identity);
    return {
      canonicalArn: arn.canonicalArn,
      principalType: arn.principalType,
      accountId: arn.accountId,
      partition: arn.partition,
      sessionName: arn.sessionName,
      accessKeyId: options.accessKeyId,
    };
  }
  const v = identity as Partial<Record<keyof VerifiedIdentity, unknown>> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.canonicalArn !== 'string' ||
    typeof v.principalType !== 'string' ||
    typeof v.accountId !== 'string' ||
    typeof v.partition !== 'string'
  ) {
    throw new TypeError(
      'mapIdentity: identity must be an ARN string or a VerifiedIdentity from verifyToken',
    );
  }
  // A verified identity was parsed at the trust boundary: use it as is.
  return {
    canonicalArn: v.canonicalArn,
    principalType: v.principalType as PrincipalType,
    accountId: v.accountId,
    partition: v.partition,
    sessionName: typeof v.sessionName === 'string' ? v.sessionName : undefined,
    accessKeyId: typeof v.accessKeyId === 'string' ? v.accessKeyId : options.accessKeyId,
  };
}

const SSO_PREFIX = 'awsreservedsso_';

/**
 * The SSO entry for a role, as the Go authenticator finds it: the entry's
 * pattern `arn:aws:iam::<acct>:role/AWSReservedSSO_<name>_*` matched, ignoring
 * case, against the canonical ARN (pkg/config/mapper.go:28, 84;
 * pkg/arn/arnlike.go:30-57), so `*` takes anything, `_` included. When two
 * names fit (`Admin` and `Admin_ReadOnly` for `AWSReservedSSO_Admin_ReadOnly_…`)
 * Go picks either at random (configmap.go:269-278); the longer, more specific
 * name is taken here, and `parseAwsAuth` warns about the pair.
 */
function ssoEntry(
  caller: Caller,
  lowerArn: string,
  sso: ReadonlyMap<string, SsoRoleMapping>,
): SsoRoleMapping | undefined {
  if (caller.partition !== 'aws') return undefined;
  if (caller.principalType !== 'role' && caller.principalType !== 'assumed-role') return undefined;
  const at = lowerArn.indexOf(':role/');
  if (at === -1) return undefined;
  const name = lowerArn.slice(at + 6);
  if (!name.startsWith(SSO_PREFIX) || name.includes('/')) return undefined;
  const rest = name.slice(SSO_PREFIX.length);
  for (let i = rest.lastIndexOf('_'); i > 0; i = rest.lastIndexOf('_', i - 1)) {
    const entry = sso.get(ssoKey(caller.accountId, rest.slice(0, i)));
    if (entry !== undefined) return entry;
  }
  return undefined;
}

/**
 * The Kubernetes username and groups `aws-auth` gives an IAM identity, or
 * `null` when no entry matches.
 *
 * The caller's ARN is canonicalized (an `assumed-role/<role>/<session>` ARN
 * becomes `role/<role>`) and matched case-insensitively, in this order:
 * 1. `mapRoles` entries with `rolearn` (a later duplicate wins);
 * 2. `mapRoles` entries with `sso`, only with `ssoRoleMatch: true`;
 * 3. `mapUsers` (a later duplicate wins);
 * 4. `mapAccounts`: username = canonical ARN, no groups.
 *
 * Then the entry's `{{…}}` placeholders are rendered (SPEC 4.3).
 *
 * @param awsAuth - a `parseAwsAuth` result (fastest: parse once, map many),
 *   or anything `parseAwsAuth` accepts; or ordered sources (SPEC 4.8): a
 *   list of parse results or `{ mode, mappings }`, a `mappingSources`
 *   bundle, or one `parseAuthenticatorConfig` / `parseIdentityMappings` /
 *   `parseDynamicFile` result. The first source that maps the caller wins
 *   (its account list included), and the result names it in `source`.
 * @param identity - an IAM/STS ARN string (account and session name are read
 *   from it), or the `VerifiedIdentity` of `verifyToken`.
 * @example
 * ```ts
 * const awsAuth = parseAwsAuth(yamlText);
 * const m = await mapIdentity(awsAuth, 'arn:aws:sts::111122223333:assumed-role/Admin/alice');
 * // { username: 'admin:alice', groups: ['system:masters'], matchedBy: 'mapRoles', … } or null
 * ```
 * @throws (rejects with) `ArnError` (`ERR_ARN_INVALID`) for an ARN string it
 * cannot read, `TemplateError` (`ERR_TEMPLATE`) when the matched entry cannot
 * be rendered, `AwsAuthError` (`ERR_AWS_AUTH_INVALID`) when `awsAuth` is not a
 * ConfigMap, `TypeError` for bad arguments. Never throws synchronously.
 */
export async function mapIdentity(
  awsAuth: AwsAuthInput | AwsAuth | MappingSourceList,
  identity: string | VerifiedIdentity,
  options?: MapIdentityOptions,
): Promise<Mapping | null> {
  if (isMappingSourceList(awsAuth)) {
    return mapIdentityFromSources(awsAuth, identity, options, mapIdentity);
  }
  const opts = checkOptions(options);
  const caller = callerOf(identity, opts);
  const lookup = lookupOf(resolveAwsAuth(awsAuth));
  const key = caller.canonicalArn.toLowerCase();
  const context = {
    accountId: caller.accountId,
    sessionName: caller.sessionName,
    accessKeyId: caller.accessKeyId,
    resolveEC2PrivateDNSName: opts.resolveEC2PrivateDNSName,
  };
  const result = async (
    entry: { username: string; groups: readonly string[]; index?: number },
    matchedBy: Mapping['matchedBy'],
  ): Promise<Mapping> => {
    const rendered = await renderMapping(entry.username ?? '', entry.groups ?? [], context);
    return {
      ...rendered,
      matchedBy,
      ...(typeof entry.index === 'number' ? { entryIndex: entry.index } : {}),
      canonicalArn: caller.canonicalArn,
    };
  };

  // With stripRolePaths, an entry written without a path (the one EKS uses)
  // always beats one whose path was stripped, whatever their order.
  const stripped = opts.stripRolePaths ? stripRolePath(key) : key;
  const role =
    lookup.roles.get(key) ??
    (opts.stripRolePaths
      ? (lookup.roles.get(stripped) ?? lookup.rolesWithoutPath.get(stripped))
      : undefined);
  if (role !== undefined) return result(role, 'mapRoles');

  if (opts.ssoRoleMatch) {
    const entry = ssoEntry(caller, stripped, lookup.sso);
    if (entry !== undefined) return result(entry, 'sso');
  }

  const user = lookup.users.get(key);
  if (user !== undefined) return result(user, 'mapUsers');

  if (lookup.accounts.has(caller.accountId)) {
    return {
      username: caller.canonicalArn,
      groups: [],
      matchedBy: 'mapAccounts',
      canonicalArn: caller.canonicalArn,
    };
  }
  return null;
}
