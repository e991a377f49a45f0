/**
 * What resolving needs to know about the caller, read from an ARN string or a
 * `VerifiedIdentity`. `mapIdentity` reads the same fields for aws-auth; this
 * one also keeps the principal id (`userId`), which access entries bind to.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { PrincipalType } from '../arn.js';
import type { VerifiedIdentity } from '../token/verify.js';

/** The caller, as the resolver sees it. */
export interface Caller {
  /** The ARN as given. */
  readonly arn: string;
  /** Canonical IAM ARN (an assumed-role session becomes its role). */
  readonly canonicalArn: string;
  /** What kind of principal. */
  readonly principalType: PrincipalType;
  /** 12-digit account. */
  readonly accountId: string;
  /** ARN partition. */
  readonly partition: string;
  /** Role session name, for assumed roles. */
  readonly sessionName: string | undefined;
  /** Access key id, when known. */
  readonly accessKeyId: string | undefined;
  /** STS `UserId` without the session (`AROA…`), for verified identities only. */
  readonly userId: string | undefined;
}

/**
 * Read the caller.
 *
 * @throws `ArnError` for an ARN string it cannot read; `TypeError` for
 *   anything that is neither an ARN string nor a verified identity.
 */
export function readCaller(
  identity: string | VerifiedIdentity,
  accessKeyId: string | undefined,
): Caller {
  if (typeof identity === 'string') {
    const arn = canonicalizeArn(identity);
    return {
      arn: identity,
      canonicalArn: arn.canonicalArn,
      principalType: arn.principalType,
      accountId: arn.accountId,
      partition: arn.partition,
      sessionName: arn.sessionName,
      accessKeyId,
      userId: undefined,
    };
  }
  const v = identity as Partial<Record<keyof VerifiedIdentity, unknown>> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.arn !== 'string' ||
    typeof v.canonicalArn !== 'string' ||
    typeof v.principalType !== 'string' ||
    typeof v.accountId !== 'string' ||
    typeof v.partition !== 'string'
  ) {
    throw new TypeError(
      'resolveIdentity: identity must be an ARN string or a VerifiedIdentity from verifyToken',
    );
  }
  return {
    arn: v.arn,
    canonicalArn: v.canonicalArn,
    principalType: v.principalType as PrincipalType,
    accountId: v.accountId,
    partition: v.partition,
    sessionName: typeof v.sessionName === 'string' ? v.sessionName : undefined,
    accessKeyId: typeof v.accessKeyId === 'string' ? v.accessKeyId : accessKeyId,
    userId: typeof v.userId === 'string' ? v.userId : undefined,
  };
}
