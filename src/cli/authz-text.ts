/**
 * Decisions, reasons and rules in words, for `can-i` and `who-can`. Every
 * name here comes from an input file (a binding, a role, a group): the
 * callers escape the whole line before printing it.
 *
 * @module
 */
import type { AccessScope } from '../access-entries/types.js';
import type { Caveat, DecisionReason, PermissionSource } from '../authz/types.js';

/** `[a b]`, the way kubectl prints a list (Go's `%v` of a string slice). */
export function goList(values: readonly string[] | undefined): string {
  return `[${(values ?? []).join(' ')}]`;
}

/** The policy name at the end of an access policy ARN. */
export function policyName(policyArn: string): string {
  return policyArn.slice(policyArn.lastIndexOf('/') + 1);
}

/** `cluster`, or `namespaces dev-*, prod`. */
function describeScope(scope: AccessScope): string {
  return scope.type === 'cluster' ? 'cluster' : `namespaces ${scope.namespaces.join(', ')}`;
}

/** Where a reason (or a rule's source) applies: `cluster`, `namespace prod`, or an access scope. */
export function reasonScope(reason: DecisionReason | PermissionSource): string {
  switch (reason.via) {
    case 'privileged-group':
    case 'node-authorizer':
      return 'cluster';
    case 'rbac':
      return reason.binding.namespace === undefined
        ? 'cluster'
        : `namespace ${reason.binding.namespace}`;
    case 'access-policy':
      return describeScope(reason.scope);
  }
}

/** What grants it: `RoleBinding prod/x → ClusterRole y`, `policy AmazonEKSViewPolicy`, `group system:masters`. */
export function reasonPath(reason: DecisionReason | PermissionSource): string {
  switch (reason.via) {
    case 'privileged-group':
      return `group ${reason.group}`;
    case 'node-authorizer':
      return reason.check === undefined
        ? 'Node authorizer (system:node rules)'
        : 'Node authorizer (its own check)';
    case 'rbac': {
      const b = reason.binding;
      const r = reason.role;
      const binding = `${b.kind} ${b.namespace === undefined ? '' : `${b.namespace}/`}${b.name}`;
      const role = `${r.kind} ${r.namespace === undefined ? '' : `${r.namespace}/`}${r.name}`;
      return `${binding} → ${role}`;
    }
    case 'access-policy':
      return `access policy ${policyName(reason.policyArn)}`;
  }
}

/** A rule in one line: `verbs [get list] apiGroups [apps] resources [deployments]`. */
function describeRule(rule: {
  readonly verbs: readonly string[];
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}): string {
  const parts = [`verbs ${goList(rule.verbs)}`];
  if (rule.nonResourceURLs !== undefined && rule.nonResourceURLs.length > 0) {
    parts.push(`nonResourceURLs ${goList(rule.nonResourceURLs)}`);
  } else {
    parts.push(`apiGroups ${goList(rule.apiGroups?.map((g) => (g === '' ? '""' : g)))}`);
    parts.push(`resources ${goList(rule.resources)}`);
    if (rule.resourceNames !== undefined && rule.resourceNames.length > 0) {
      parts.push(`resourceNames ${goList(rule.resourceNames)}`);
    }
  }
  return parts.join(' ');
}

/** One reason, in words, for `can-i`. */
export function describeReason(reason: DecisionReason): string {
  switch (reason.via) {
    case 'privileged-group':
      return `via group ${reason.group}: allowed everything, before any authorizer`;
    case 'node-authorizer':
      return reason.check === undefined
        ? `via the Node authorizer, static node rule: ${describeRule(reason.rule)}`
        : `via the Node authorizer: ${reason.check} (${describeRule(reason.rule)})`;
    case 'rbac':
      return `via RBAC: ${reasonPath(reason)} (subject ${reason.subject.kind} ${reason.subject.name}), rule ${reason.ruleIndex}: ${describeRule(reason.rule)}`;
    case 'access-policy':
      return `via access policy ${policyName(reason.policyArn)} (scope: ${describeScope(reason.scope)}), rule ${reason.ruleIndex}: ${describeRule(reason.rule)}`;
  }
}

/** One caveat, in words. */
export function describeCaveat(caveat: Caveat): string {
  return `caveat (${caveat.code}): ${caveat.message}`;
}
