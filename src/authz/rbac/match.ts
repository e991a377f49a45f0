/**
 * Does one policy rule allow one request? kube-apiserver's answer, helper
 * for helper: `RuleAllows` (plugin/pkg/auth/authorizer/rbac/rbac.go) over
 * `VerbMatches`, `APIGroupMatches`, `ResourceMatches`, `ResourceNameMatches`
 * and `NonResourceURLMatches` (pkg/apis/rbac/v1/evaluation_helpers.go), at
 * kubernetes/kubernetes 03bf11a3 and 01aa0f3f. Every comparison is exact and
 * case-sensitive, as there.
 *
 * @module
 */
import type { RbacRequest, RbacRuleInput } from './types.js';

const NONE: readonly string[] = [];

/** `VerbMatches`: `*` or the verb itself. */
function verbMatches(rule: RbacRuleInput, verb: string): boolean {
  for (const v of rule.verbs) if (v === '*' || v === verb) return true;
  return false;
}

/** `APIGroupMatches`: `*` or the group itself (`''` is the core group). */
function apiGroupMatches(rule: RbacRuleInput, group: string): boolean {
  for (const g of rule.apiGroups ?? NONE) if (g === '*' || g === group) return true;
  return false;
}

/**
 * `ResourceMatches`: `*`, the combined `resource/subresource`, or a star,
 * a slash and the request's subresource (checked, as upstream, by length,
 * prefix and suffix).
 */
function resourceMatches(
  rule: RbacRuleInput,
  combinedResource: string,
  subresource: string,
): boolean {
  for (const r of rule.resources ?? NONE) {
    if (r === '*' || r === combinedResource) return true;
    if (
      subresource.length > 0 &&
      r.length === subresource.length + 2 &&
      r.startsWith('*/') &&
      r.endsWith(subresource)
    ) {
      return true;
    }
  }
  return false;
}

/**
 * `ResourceNameMatches`: an empty list matches any request; otherwise the
 * request's name must be listed, so a request without a name (`list`, a
 * top-level `create`) never matches, unless the rule lists `''` itself.
 */
function resourceNameMatches(rule: RbacRuleInput, name: string): boolean {
  const names = rule.resourceNames ?? NONE;
  if (names.length === 0) return true;
  for (const n of names) if (n === name) return true;
  return false;
}

/** `NonResourceURLMatches`: `*`, the path itself, or a `prefix*` the path starts with. */
function nonResourceURLMatches(rule: RbacRuleInput, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? NONE) {
    if (u === '*' || u === path) return true;
    // strings.TrimRight(ruleURL, "*"): every trailing star goes, so `/api**` is the prefix `/api`.
    if (u.endsWith('*') && path.startsWith(trimTrailingStars(u))) return true;
  }
  return false;
}

function trimTrailingStars(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 42) end -= 1;
  return s.slice(0, end);
}

/**
 * `RuleAllows`: whether `rule` allows `request`. A resource request needs
 * the verb, the API group, the resource (with its subresource) and, when the
 * rule names objects, the name to match; a non-resource request needs the
 * verb and the path. A rule's `nonResourceURLs` never allow a resource
 * request, and its resources never allow a non-resource one.
 *
 * Also used for EKS access-policy rules, which EKS evaluates the same way.
 */
export function ruleAllows(rule: RbacRuleInput, request: RbacRequest): boolean {
  if (request.nonResourceURL !== undefined) {
    return verbMatches(rule, request.verb) && nonResourceURLMatches(rule, request.nonResourceURL);
  }
  const combined =
    request.subresource.length > 0
      ? `${request.resource}/${request.subresource}`
      : request.resource;
  return (
    verbMatches(rule, request.verb) &&
    apiGroupMatches(rule, request.apiGroup) &&
    resourceMatches(rule, combined, request.subresource) &&
    resourceNameMatches(rule, request.name)
  );
}
