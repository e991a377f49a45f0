/**
 * ARN canonicalization (SPEC 3.5): the identity STS reports, turned into the
 * IAM ARN that `aws-auth` entries are written against.
 *
 * @module
 */
import { ArnError } from './errors.js';
import { isPartitionId } from './partitions.js';
import type { PartitionId } from './partitions.js';
import { quoteForMessage } from './util/control-characters.js';

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
  // Every identity lookup starts here, so the ARN is read by index, not split
  // into arrays: "arn:<partition>:<service>:<region>:<account>:<resource>",
  // the resource being everything after the fifth colon (it may hold more).
  const c1 = arn.indexOf(':');
  const c2 = c1 === -1 ? -1 : arn.indexOf(':', c1 + 1);
  const c3 = c2 === -1 ? -1 : arn.indexOf(':', c2 + 1);
  const c4 = c3 === -1 ? -1 : arn.indexOf(':', c3 + 1);
  const c5 = c4 === -1 ? -1 : arn.indexOf(':', c4 + 1);
  if (c5 === -1 || c1 !== 3 || !arn.startsWith('arn')) {
    fail('expected "arn:<partition>:<service>:<region>:<account>:<resource>"');
  }
  const partition = arn.slice(c1 + 1, c2);
  const service = arn.slice(c2 + 1, c3);
  const accountId = arn.slice(c4 + 1, c5);
  const resource = arn.slice(c5 + 1);
  // Quoted with their control characters escaped: the message reaches logs
  // and terminals, and the ARN may come from a hostile ConfigMap.
  if (!isPartitionId(partition))
    fail(`unknown partition ${quoteForMessage(partition.slice(0, 32))}`);
  if (service !== 'iam' && service !== 'sts') {
    fail(`expected service "iam" or "sts", got ${quoteForMessage(service.slice(0, 32))}`);
  }
  if (c4 !== c3 + 1) fail('IAM and STS principal ARNs have an empty region field');
  if (!ACCOUNT_ID.test(accountId)) fail('account id must be 12 digits');
  if (!RESOURCE_CHARS.test(resource)) fail('resource is empty or has spaces or control characters');

  // The resource is "<kind>[/<segment>…]": no segment after the kind may be
  // empty (a "//" after the first "/", or a trailing "/").
  const firstSlash = resource.indexOf('/');
  const lastSlash = resource.lastIndexOf('/');
  const kind = firstSlash === -1 ? resource : resource.slice(0, firstSlash);
  if (
    firstSlash !== -1 &&
    (lastSlash === resource.length - 1 || resource.includes('//', firstSlash))
  ) {
    fail('resource has an empty path segment');
  }

  // Results are written out as literals, not spread from a shared base:
  // V8 (Node 20) clones a spread object on a slow path that cost several
  // microseconds per call, more than all of the parsing.
  if (service === 'iam') {
    if (resource === 'root') {
      return { arn, partition, accountId, canonicalArn: arn, principalType: 'root' };
    }
    if ((kind === 'user' || kind === 'role') && firstSlash !== -1) {
      return {
        arn,
        partition,
        accountId,
        canonicalArn: arn,
        principalType: kind,
        name: resource.slice(firstSlash + 1),
      };
    }
    fail(`unsupported IAM resource type "${kind.slice(0, 32)}"`);
  }

  if (kind === 'assumed-role') {
    // assumed-role/<role>/<session>. STS reports the role without its path;
    // like the Go authenticator, any middle segments are kept as the name.
    if (lastSlash === firstSlash) fail('assumed-role ARN needs a role name and a session name');
    const roleName = resource.slice(firstSlash + 1, lastSlash);
    return {
      arn,
      partition,
      accountId,
      canonicalArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
      principalType: 'assumed-role',
      name: roleName,
      sessionName: resource.slice(lastSlash + 1),
    };
  }
  if (kind === 'federated-user' && firstSlash !== -1 && lastSlash === firstSlash) {
    return {
      arn,
      partition,
      accountId,
      canonicalArn: arn,
      principalType: 'federated-user',
      name: resource.slice(firstSlash + 1),
    };
  }
  return fail(`unsupported STS resource type "${kind.slice(0, 32)}"`);
}
