/**
 * The user the authorizers see for a resolved identity: its username, and
 * its groups with `system:authenticated` added as kube-apiserver adds it
 * (staging/src/k8s.io/apiserver/pkg/authentication/group/authenticated_group_adder.go
 * at 11004393, `AuthenticateRequest`): to every user but `system:anonymous`,
 * unless the groups already hold `system:authenticated` or
 * `system:unauthenticated`.
 *
 * @module
 */
import type { ResolvedIdentity } from '../resolve/types.js';
import type { DecisionIdentity } from './types.js';

/** The group kube-apiserver allows everything, before any authorizer (k8s.io/apiserver user.SystemPrivilegedGroup). */
export const PRIVILEGED_GROUP = 'system:masters';

/** The groups the authorizers see for a user with `groups`. */
export function effectiveGroups(username: string, groups: readonly string[]): string[] {
  if (username === 'system:anonymous') return [...groups];
  for (const group of groups) {
    if (group === 'system:authenticated' || group === 'system:unauthenticated') return [...groups];
  }
  return [...groups, 'system:authenticated'];
}

/**
 * A resolved identity with the groups the authorizers see. The answer of
 * `resolveIdentity` is a fresh object of the caller's, so it is extended in
 * place (a spread copy takes V8's slow path on every decision).
 */
export function decisionIdentity(resolved: ResolvedIdentity): DecisionIdentity {
  const identity = resolved as ResolvedIdentity & { effectiveGroups?: readonly string[] };
  identity.effectiveGroups = effectiveGroups(resolved.username, resolved.groups);
  return identity as DecisionIdentity;
}
