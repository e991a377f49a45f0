/**
 * `authorize` (SPEC 4.9): may this IAM identity make this request on the
 * cluster? The identity resolved as EKS resolves it (`resolveIdentity`),
 * then decided as the API server decides (`decide.ts`).
 *
 * @module
 */
import type { VerifiedIdentity } from '../token/verify.js';
import { resolvePrepared } from '../resolve/resolve.js';
import { decide } from './decide.js';
import { prepareAuthz } from './options.js';
import { evaluatedRequest } from './request.js';
import type { AuthorizeOptions, AuthzRequest, Decision } from './types.js';

/**
 * What an EKS API server decides for `identity` making `request`:
 * 1. the username and groups `resolveIdentity` gives under the options'
 *    authentication mode, plus `system:authenticated`; not mapped → `deny`
 *    (EKS answers 401);
 * 2. `system:masters` → `allow` (kube-apiserver's privileged group);
 * 3. RBAC (`options.rbac`): ClusterRoleBindings, then the RoleBindings of
 *    the request's namespace, exactly as kube-apiserver's RBAC authorizer;
 * 4. the access policies of the caller's access entry, each within its
 *    scope (`cluster`, or namespaces where a trailing `*` matches any rest).
 *
 * `unknown` when nothing allows the request but an access policy in scope
 * whose rules AWS does not publish might (see `ACCESS_POLICIES`), or the
 * Node authorizer might (for `system:node:…` users). Each reason names the
 * binding and rule, or the policy, scope and rule; caveats name what the
 * decision cannot see.
 *
 * @param identity - an IAM/STS ARN, or the `VerifiedIdentity` of `verifyToken`.
 * @param request - `{ verb, resource?, subresource?, apiGroup?, namespace?,
 *   name?, nonResourceURL? }`, or one string as `kubectl auth can-i` takes
 *   its arguments (`get pods/log -n dev`, `list deployments.apps -A`,
 *   `get /healthz`).
 * @example
 * ```ts
 * const d = await authorize('arn:aws:sts::111122223333:assumed-role/Dev/alice', 'get secrets -n prod', {
 *   accessEntries, rbac: parseRbac(rbacYaml), authenticationMode: 'API',
 * });
 * d.decision; // 'allow' | 'deny' | 'unknown'
 * ```
 * @throws (rejects with) `TypeError` for a bad request or options; what
 *   `resolveIdentity` throws (`ArnError`, `TemplateError`, …).
 */
export async function authorize(
  identity: string | VerifiedIdentity,
  request: AuthzRequest,
  options: AuthorizeOptions,
): Promise<Decision> {
  const evaluated = evaluatedRequest(request);
  const prepared = prepareAuthz(options, 'authorize');
  const resolved = await resolvePrepared(prepared.resolve, identity);
  return decide(resolved, evaluated, {
    rbac: prepared.rbac,
    rbacGiven: prepared.rbacGiven,
    mode: prepared.resolve.mode,
  });
}
