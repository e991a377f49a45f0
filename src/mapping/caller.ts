/**
 * The caller, read once: an ARN string or a `VerifiedIdentity` turned into
 * the typed value every mapping source looks entries up with.
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { PrincipalType } from '../arn.js';
import type { VerifiedIdentity } from '../token/verify.js';

/** The caller, as every source sees it. */
export interface Caller {
  /** Canonical IAM ARN (an assumed-role session becomes its role). */
  readonly canonicalArn: string;
  /**
   * {@link Caller.canonicalArn} lower-cased: the key every source looks its
   * entries up by (EKS compares ARNs ignoring case).
   */
  readonly matchKey: string;
  /** What kind of principal. */
  readonly principalType: PrincipalType;
  /** 12-digit account. */
  readonly accountId: string;
  /** ARN partition. */
  readonly partition: string;
  /** Role session name, for assumed roles. */
  readonly sessionName: string | undefined;
  /** Access key id the token was signed with, when known. */
  readonly accessKeyId: string | undefined;
  /**
   * The principal's unique id (STS `UserId` without the session, `AROA…`),
   * for verified identities only: an ARN string carries none.
   */
  readonly principalId: string | undefined;
}

/**
 * Read the caller.
 *
 * @param identity - an IAM/STS ARN string, or the `VerifiedIdentity` of
 *   `verifyToken` (parsed at the trust boundary, so used as it is).
 * @param accessKeyId - the access key id for an ARN string (a verified
 *   identity carries its own).
 * @param api - the public function asked, for the `TypeError` message.
 * @throws `ArnError` for an ARN string it cannot read; `TypeError` for
 *   anything that is neither an ARN string nor a verified identity.
 */
export function readCaller(
  identity: string | VerifiedIdentity,
  accessKeyId: string | undefined,
  api: string,
): Caller {
  if (typeof identity === 'string') {
    const arn = canonicalizeArn(identity);
    return {
      canonicalArn: arn.canonicalArn,
      matchKey: arn.canonicalArn.toLowerCase(),
      principalType: arn.principalType,
      accountId: arn.accountId,
      partition: arn.partition,
      sessionName: arn.sessionName,
      accessKeyId,
      principalId: undefined,
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
      `${api}: identity must be an ARN string or a VerifiedIdentity from verifyToken`,
    );
  }
  return {
    canonicalArn: v.canonicalArn,
    matchKey: v.canonicalArn.toLowerCase(),
    principalType: v.principalType as PrincipalType,
    accountId: v.accountId,
    partition: v.partition,
    sessionName: typeof v.sessionName === 'string' ? v.sessionName : undefined,
    accessKeyId: typeof v.accessKeyId === 'string' ? v.accessKeyId : accessKeyId,
    principalId: typeof v.userId === 'string' ? v.userId : undefined,
  };
}
