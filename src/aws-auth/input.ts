/**
 * What `mapIdentity` and `resolveIdentity` accept as an `aws-auth`, turned
 * into a parsed one: parse once, map many.
 *
 * @module
 */
import { isParsedAwsAuth } from '../mapping/lookup.js';
import type { AwsAuth, AwsAuthInput } from '../mapping/types.js';
import { parseAwsAuth } from './parse.js';

// Text is immutable, so the last text parsed can be reused: callers that pass
// the same YAML string on every request (reviewToken's `awsAuth`) parse it once.
let lastText: { text: string; parsed: AwsAuth } | undefined;

/**
 * A parsed `aws-auth` for anything `mapIdentity` accepts: a parsed one as is,
 * the last text seen from a one-entry memo, anything else parsed afresh.
 *
 * @throws the errors of `parseAwsAuth`.
 */
export function resolveAwsAuth(awsAuth: AwsAuthInput | AwsAuth): AwsAuth {
  if (isParsedAwsAuth(awsAuth)) return awsAuth;
  if (typeof awsAuth === 'string') {
    if (lastText?.text === awsAuth) return lastText.parsed;
    const parsed = parseAwsAuth(awsAuth);
    lastText = { text: awsAuth, parsed };
    return parsed;
  }
  return parseAwsAuth(awsAuth);
}
