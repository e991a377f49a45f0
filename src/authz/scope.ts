/**
 * Where an access policy association applies (AWS EKS user guide,
 * "Associate access policies with access entries",
 * https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html):
 * `cluster` scope covers every request; `namespace` scope covers requests in
 * the listed namespaces, where a trailing `*` matches any rest of the name
 * (`dev-*`). A `namespace` scope never covers a request that has no
 * namespace: a cluster-scoped resource, a request across all namespaces, or
 * a non-resource URL.
 *
 * @module
 */
import type { AccessScope } from '../access-entries/types.js';
import type { RbacRequest } from './rbac/types.js';

/**
 * Does a namespace pattern of a scope cover `namespace`? A trailing `*` is a
 * prefix match; a `*` anywhere else is a literal character, which no
 * Kubernetes namespace name contains.
 */
function namespacePatternMatches(pattern: string, namespace: string): boolean {
  if (pattern.endsWith('*')) return namespace.startsWith(pattern.slice(0, -1));
  return pattern === namespace;
}

/** Does `scope` cover `request`? */
export function scopeCovers(scope: AccessScope, request: RbacRequest): boolean {
  if (scope.type === 'cluster') return true;
  if (request.nonResourceURL !== undefined) return false;
  return scopeCoversNamespace(scope, request.namespace);
}

/** Does `scope` cover (some or all of) `namespace`, for listing rules? `''` asks about cluster-wide rules. */
export function scopeCoversNamespace(scope: AccessScope, namespace: string): boolean {
  if (scope.type === 'cluster') return true;
  if (namespace === '') return false;
  return scope.namespaces.some((pattern) => namespacePatternMatches(pattern, namespace));
}
