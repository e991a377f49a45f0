/**
 * `formatExecCredential`: the `ExecCredential` object a kubectl exec
 * credential plugin prints, as `aws eks get-token` prints it (SPEC 3.2), for
 * a generated token or for a token string alone.
 *
 * @module
 */
import { TokenFormatError } from '../errors.js';
import { execCredentialExpiry, execCredentialOf, isExpirationDate } from './exec-credential.js';
import type { ExecCredential, FormatExecCredentialOptions } from './exec-credential.js';
import type { GeneratedToken } from './generate.js';
import { parseToken } from './parse.js';

/**
 * The `ExecCredential` for a token. `apiVersion` is negotiated as
 * `aws eks get-token` does: `v1` and `v1beta1` are echoed, `v1alpha1` is
 * echoed with a deprecation warning, no exec info gives `v1beta1`, and
 * unreadable JSON or an unknown version gives `v1beta1` with a warning.
 *
 * Give it what `generateToken` returned, or a token string alone (one kept
 * in a cache, or made by another tool): the string is read with
 * {@link parseToken}, and `expirationTimestamp` is its `X-Amz-Date` plus 14
 * minutes, what `generateToken` and `aws eks get-token` write. For the same
 * token both forms give the same object.
 *
 * @throws {@link TokenFormatError} for a string that is not a well-formed
 * token (as `parseToken` throws it), or one signed so late in year 9999 that
 * its expiry has five digits.
 * @throws `TypeError` for other bad arguments.
 *
 * @example
 * ```ts
 * process.stdout.write(JSON.stringify(formatExecCredential(await generateToken({ clusterId: 'prod' }))));
 * process.stdout.write(JSON.stringify(formatExecCredential(cachedToken)));
 * ```
 */
export function formatExecCredential(
  generated: string | Pick<GeneratedToken, 'token' | 'expiresAt'>,
  options: FormatExecCredentialOptions = {},
): ExecCredential {
  if (typeof generated !== 'string') return execCredentialOf(generated, options);
  const { signedAt } = parseToken(generated);
  const expiresAt = execCredentialExpiry(signedAt);
  if (!isExpirationDate(expiresAt)) {
    throw new TokenFormatError(
      'date',
      'X-Amz-Date is too late: the token would expire after year 9999, which an ExecCredential cannot write',
    );
  }
  return execCredentialOf({ token: generated, expiresAt }, options);
}
