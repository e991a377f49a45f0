/**
 * Access-entry principals: which ARNs may own an entry, and the key a caller
 * is matched on. EKS keeps the role path in `principalArn` but STS reports
 * roles without it, so matching strips the path (the Go authenticator's
 * DynamicFile mapper, which EKS uses for access entries, compares
 * `strings.ToLower(arn.StripPath(mappingARN))` with the lower-cased canonical
 * ARN: pkg/mapper/dynamicfile/mapper.go:80-87).
 *
 * @module
 */
import { canonicalizeArn } from '../arn.js';
import type { CanonicalArn } from '../arn.js';
import { stripRolePath } from '../mapping/lookup.js';
import { quoteForMessage } from '../util/control-characters.js';

/** A principal ARN that may own an access entry, or why not. */
export type PrincipalCheck =
  | { readonly ok: true; readonly principal: CanonicalArn }
  | { readonly ok: false; readonly reason: string; readonly serviceLinked: boolean };

/**
 * IAM service-linked roles live under `role/aws-service-role/`; STS reports
 * them without the path, so their names (`AWSServiceRoleFor…`) tell them
 * apart too.
 */
export function isServiceLinkedRole(principal: CanonicalArn): boolean {
  if (principal.principalType !== 'role' && principal.principalType !== 'assumed-role')
    return false;
  const name = principal.name ?? '';
  return name.startsWith('aws-service-role/') || /(^|\/)AWSServiceRoleFor/.test(name);
}

/**
 * Check an access entry's `principalArn`: an IAM role (path kept) or user.
 * STS session ARNs are refused (a session is not a permanent identity) and
 * so are service-linked roles (access entries do not support them).
 */
export function checkPrincipalArn(arn: string): PrincipalCheck {
  let principal: CanonicalArn;
  try {
    principal = canonicalizeArn(arn);
  } catch (error) {
    return { ok: false, reason: (error as Error).message, serviceLinked: false };
  }
  if (principal.principalType === 'assumed-role' || principal.principalType === 'federated-user') {
    return {
      ok: false,
      reason: `an STS session ARN cannot own an access entry; use the IAM ARN (${quoteForMessage(principal.canonicalArn)} for a role)`,
      serviceLinked: false,
    };
  }
  if (principal.principalType === 'root') {
    return {
      ok: false,
      reason: 'an access entry names an IAM role or user, not an account root',
      serviceLinked: false,
    };
  }
  if (isServiceLinkedRole(principal)) {
    return {
      ok: false,
      reason: 'access entries do not support service-linked roles',
      serviceLinked: true,
    };
  }
  return { ok: true, principal };
}

/** The lower-cased, path-less ARN a caller's canonical ARN is compared with. */
export function principalMatchKey(arn: string): string {
  return stripRolePath(arn.toLowerCase());
}
