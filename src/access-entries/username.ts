/**
 * Where access-entry usernames and groups are decided: the defaults EKS fills
 * in per type and principal, and the rules a custom username must follow
 * (AWS EKS user guide, "Create access entries" and "Set a custom username for
 * EKS access entries").
 *
 * @module
 */
import type { CanonicalArn } from '../arn.js';
import { scanPlaceholders } from '../mapping/template.js';
import type { AccessEntryType } from './types.js';

/** Every access entry type, `STANDARD` first. */
export const ACCESS_ENTRY_TYPES: readonly AccessEntryType[] = Object.freeze([
  'STANDARD',
  'EC2_LINUX',
  'EC2_WINDOWS',
  'FARGATE_LINUX',
  'HYBRID_LINUX',
  'EC2',
  'HYPERPOD_LINUX',
]);

/** What EKS gives a node-type entry: a fixed username template and fixed groups. */
export interface NodeTypeIdentity {
  /** The username template EKS sets. */
  readonly username: string;
  /** The groups EKS grants, in the order its own `aws-auth` entries list them. */
  readonly groups: readonly string[];
  /** True when AWS documents the username; false when it is this library's assumption. */
  readonly documented: boolean;
}

const EC2_NODE = 'system:node:{{EC2PrivateDNSName}}';
const SESSION_NODE = 'system:node:{{SessionName}}';

/**
 * The node types. Usernames are the user guide's table ("Create access
 * entries"); groups are those EKS itself writes for the same roles in
 * `aws-auth` (managed node groups, Fargate profiles, hybrid nodes), which the
 * node-type entries replace. AWS documents no default username for
 * `HYPERPOD_LINUX`; the EC2 node form is assumed (HyperPod nodes are EC2
 * instances) and the parser says so.
 */
export const NODE_TYPES: Readonly<Record<Exclude<AccessEntryType, 'STANDARD'>, NodeTypeIdentity>> =
  Object.freeze({
    EC2_LINUX: {
      username: EC2_NODE,
      groups: ['system:bootstrappers', 'system:nodes'],
      documented: true,
    },
    EC2_WINDOWS: {
      username: EC2_NODE,
      groups: ['system:bootstrappers', 'system:nodes', 'eks:kube-proxy-windows'],
      documented: true,
    },
    EC2: { username: EC2_NODE, groups: ['system:nodes'], documented: true },
    FARGATE_LINUX: {
      username: SESSION_NODE,
      groups: ['system:bootstrappers', 'system:nodes', 'system:node-proxier'],
      documented: true,
    },
    HYBRID_LINUX: {
      username: SESSION_NODE,
      groups: ['system:bootstrappers', 'system:nodes'],
      documented: true,
    },
    HYPERPOD_LINUX: { username: EC2_NODE, groups: ['system:nodes'], documented: false },
  });

/**
 * Username prefixes EKS reserves: a custom access-entry username must not
 * start with any of them.
 */
export const RESERVED_USERNAME_PREFIXES: readonly string[] = Object.freeze([
  'system:',
  'eks:',
  'aws:',
  'amazon:',
  'iam:',
]);

/**
 * Placeholders AWS documents for access-entry usernames. Others
 * (`{{AccountID}}`, `{{AccessKeyID}}`, `{{EC2PrivateDNSName}}`) are not
 * documented for `STANDARD` entries: the conservative reading treats them as
 * unsupported.
 */
export const DOCUMENTED_USERNAME_PLACEHOLDERS: readonly string[] = Object.freeze([
  'SessionName',
  'SessionNameRaw',
]);

/**
 * The username EKS sets when an entry has none: a user's ARN; for a
 * `STANDARD` role, its STS session ARN with the path removed and
 * `{{SessionName}}` as session; for node types, their fixed template.
 */
export function defaultUsername(type: AccessEntryType, principal: CanonicalArn): string {
  if (type !== 'STANDARD') return NODE_TYPES[type].username;
  if (principal.principalType === 'user') return principal.arn;
  const name = (principal.name ?? '').slice((principal.name ?? '').lastIndexOf('/') + 1);
  return `arn:${principal.partition}:sts::${principal.accountId}:assumed-role/${name}/{{SessionName}}`;
}

/** One reason a custom username is refused or doubtful. */
export interface UsernameProblem {
  /** `error`: EKS refuses it; `warning`: AWS documents nothing, the conservative reading. */
  readonly severity: 'error' | 'warning';
  /** Stable reason, shared with migration losses. */
  readonly code: 'username-reserved' | 'username-session-colon' | 'unsupported-template';
  /** What is wrong and what to do. */
  readonly message: string;
}

/** The problems of a custom (non-default) `STANDARD` username, empty if none. */
export function checkCustomUsername(username: string): UsernameProblem[] {
  const problems: UsernameProblem[] = [];
  const reserved = RESERVED_USERNAME_PREFIXES.find((p) => username.startsWith(p));
  if (reserved !== undefined) {
    problems.push({
      severity: 'error',
      code: 'username-reserved',
      message: `a custom username must not start with "${reserved}" (EKS reserves ${RESERVED_USERNAME_PREFIXES.join(', ')})`,
    });
  }
  const session = username.indexOf('{{SessionName');
  if (session !== -1 && !username.slice(0, session).includes(':')) {
    problems.push({
      severity: 'error',
      code: 'username-session-colon',
      message:
        'a username with {{SessionName}} or {{SessionNameRaw}} needs a ":" before it (e.g. "dev:{{SessionName}}")',
    });
  }
  const undocumented = scanPlaceholders(username).filter(
    (p) => p.spelling === 'braces' && p.known && !DOCUMENTED_USERNAME_PLACEHOLDERS.includes(p.name),
  );
  for (const p of undocumented) {
    problems.push({
      severity: 'warning',
      code: 'unsupported-template',
      message: `AWS documents only {{SessionName}} and {{SessionNameRaw}} in access-entry usernames; ${p.raw} is not documented, so this library reads it as unsupported (it renders it as aws-auth does, but EKS may not)`,
    });
  }
  return problems;
}
