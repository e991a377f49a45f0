/**
 * ARN canonicalization (SPEC 3.5): the identity STS reports, turned into the
 * IAM ARN that `aws-auth` entries are written against.
 *
 * @module
 */
import { ArnError } from './errors.js';
import { isPartitionId } from './partitions.js';
import type { PartitionId } from './partitions.js';

/** What kind of IAM principal an ARN names. */
export type PrincipalType = 'user' | 'role' | 'root' | 'assumed-role' | 'federated-user';

/** A parsed, canonicalized principal ARN. */
export interface CanonicalArn {
  /** The ARN as given. */
  arn: string;
  /**
   * The IAM ARN to match `aws-auth` entries against: an assumed-role session
   * becomes its role (`arn:<p>:iam::<acct>:role/<role>`), everything else is
   * unchanged.
   */
  canonicalArn: string;
  /** What kind of principal the ARN names. */
  principalType: PrincipalType;
  /** The ARN's partition (`aws`, `aws-cn`, `aws-us-gov`, …). */
  partition: PartitionId;
  /** 12-digit account id, as a string. */
  accountId: string;
  /**
   * For `user` and `role`: the resource path and name (`team/alice`); for
   * `assumed-role`: the role name; for `federated-user`: the user name;
   * absent for `root`.
   */
  name?: string;
  /** For `assumed-role` only: the role session name (the ARN's last segment). */
  sessionName?: string;
}

const ACCOUNT_ID = /^\d{12}$/;
// Printable ASCII without spaces: IAM names use [\w+=,.@-], paths add '/'.
const RESOURCE_CHARS = /^[\x21-\x7e]+$/;

function fail(message: string): never {
  throw new ArnError(message);
}

/**
 * Parse an IAM or STS principal ARN and return its canonical IAM form.
 *
 * @example
 * ```ts
 * canonicalizeArn('arn:aws:sts::123456789012:assumed-role/Admin/alice').canonicalArn;
 * // 'arn:aws:iam::123456789012:role/Admin'
 * ```
 * @throws {@link ArnError} (`ERR_ARN_INVALID`) for anything but an IAM user,
 * role or root ARN, or an STS assumed-role or federated-user ARN, in a known
 * partition.
 */
export function canonicalizeArn(arn: string): CanonicalArn {
  if (typeof arn !== 'string') fail(`expected an ARN string, got ${typeof arn}`);
  if (arn.length > 2048) fail('ARN is longer than 2048 characters');
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') {
    fail('expected "arn:<partition>:<service>:<region>:<account>:<resource>"');
  }
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (!isPartitionId(partition)) fail(`unknown partition "${partition.slice(0, 32)}"`);
  if (service !== 'iam' && service !== 'sts') {
    fail(`expected service "iam" or "sts", got "${service.slice(0, 32)}"`);
  }
  if (region !== '') fail('IAM and STS principal ARNs have an empty region field');
  if (!ACCOUNT_ID.test(accountId)) fail('account id must be 12 digits');
  if (!RESOURCE_CHARS.test(resource)) fail('resource is empty or has spaces or control characters');

  // Results are written out as literals, not spread from a shared base:
  // V8 (Node 20) clones a spread object on a slow path that cost several
  // microseconds per call, more than all of the parsing.
  const segments = resource.split('/');
  const kind = segments[0];
  const rest = segments.slice(1);
  if (rest.some((s) => s === '')) fail('resource has an empty path segment');

  if (service === 'iam') {
    if (resource === 'root') {
      return { arn, partition, accountId, canonicalArn: arn, principalType: 'root' };
    }
    if ((kind === 'user' || kind === 'role') && rest.length >= 1) {
      return {
        arn,
        partition,
        accountId,
        canonicalArn: arn,
        principalType: kind,
        name: rest.join('/'),
      };
    }
    fail(`unsupported IAM resource type "${String(kind).slice(0, 32)}"`);
  }

  if (kind === 'assumed-role') {
    // assumed-role/<role>/<session>. STS reports the role without its path;
    // like the Go authenticator, any middle segments are kept as the name.
    if (rest.length < 2) fail('assumed-role ARN needs a role name and a session name');
    const sessionName = rest[rest.length - 1] as string;
    const roleName = rest.slice(0, -1).join('/');
    return {
      arn,
      partition,
      accountId,
      canonicalArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
      principalType: 'assumed-role',
      name: roleName,
      sessionName,
    };
  }
  if (kind === 'federated-user' && rest.length === 1) {
    return {
      arn,
      partition,
      accountId,
      canonicalArn: arn,
      principalType: 'federated-user',
      name: rest[0] as string,
    };
  }
  return fail(`unsupported STS resource type "${String(kind).slice(0, 32)}"`);
}
