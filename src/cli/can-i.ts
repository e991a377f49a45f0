/**
 * `eks-iam-auth can-i`: what an EKS API server would answer for an IAM
 * identity, offline, like `kubectl auth can-i` but with access policies,
 * aws-auth and access entries taken into account; `--list` prints the
 * rules in effect as `kubectl auth can-i --list` does, with a SOURCE column.
 *
 * @module
 */
import { authorize } from '../authz/authorize.js';
import { listPermissions } from '../authz/permissions.js';
import type { Decision, PermissionRule, Permissions } from '../authz/types.js';
import { UsageError, parseCommandLine, requireFlag } from './args.js';
import { describeCaveat, describeReason, goList, reasonPath, reasonScope } from './authz-text.js';
import {
  CLUSTER_INPUT_FLAGS,
  CLUSTER_INPUT_OPTIONS,
  CLUSTER_INPUT_USAGE,
  loadClusterInputs,
} from './cluster-inputs.js';
import { exitStatusHelp } from './exit-codes.js';
import { EXIT, escapeControl, formatJson, out, reportError, warn } from './output.js';
import { REQUEST_OPTIONS, outputFormat, requestFromArgs } from './request-args.js';
import { rulesTableRows } from './rules-table.js';
import { formatTable } from './table.js';

/** Usage text of `can-i`. */
export const USAGE: string = `Usage: eks-iam-auth can-i VERB RESOURCE[/SUBRESOURCE] [NAME] --arn ARN [options]
       eks-iam-auth can-i VERB /PATH --arn ARN [options]
       eks-iam-auth can-i --list --arn ARN [-n NS] [options]

Answer what an EKS API server would for an IAM identity making a request:
system:masters, RBAC (--rbac), and the access policies of its access entry
within their scopes. Prints yes, no or unknown, then why. "unknown" means
nothing allows the request but an access policy whose rules AWS does not
publish, or the Node authorizer, might. Unlike kubectl, RESOURCE/X reads X
as a subresource (pods/log); the object name is its own argument.

Options:
  --arn ARN                    the caller, e.g. arn:aws:sts::111122223333:assumed-role/Dev/alice
  -n, --namespace NS           the namespace (default: "default", kubectl's fallback)
  -A, --all-namespaces         ask across all namespaces
  --subresource SUB            the subresource (also written RESOURCE/SUB)
  --list                       print the rules in effect in NS (default: "default", as
                               kubectl; the cluster-wide ones included)
  --format FORMAT              text (default) or json (the authorize or listPermissions result)
  -h, --help                   show this help

${CLUSTER_INPUT_USAGE}

${exitStatusHelp('can-i')}
`;

/** The exit status of a decision, whatever the format: allow 0, deny 1, unknown 3. */
function exitStatusOf(decision: Decision): number {
  return decision.decision === 'allow'
    ? EXIT.ok
    : decision.decision === 'deny'
      ? EXIT.failure
      : EXIT.unknown;
}

function printDecision(decision: Decision): number {
  const answer =
    decision.decision === 'allow' ? 'yes' : decision.decision === 'deny' ? 'no' : 'unknown';
  const lines = [answer];
  if (decision.identity === null) {
    lines.push('  not mapped: no access entry or aws-auth entry takes this ARN (EKS answers 401)');
  } else {
    const id = decision.identity;
    lines.push(`  as user ${id.username} in groups ${goList(id.effectiveGroups)}`);
  }
  for (const reason of decision.reasons) lines.push(`  ${describeReason(reason)}`);
  if (
    decision.decision !== 'allow' &&
    decision.identity !== null &&
    decision.reasons.length === 0
  ) {
    lines.push('  no RBAC binding or access policy allows it');
  }
  for (const caveat of decision.caveats) lines.push(`  ${describeCaveat(caveat)}`);
  out(lines.map((line) => `${escapeControl(line)}\n`).join(''));
  for (const note of decision.request.notes) warn(`note: ${escapeControl(note)}`);
  return exitStatusOf(decision);
}

/**
 * The rules as `kubectl auth can-i --list` prints them (`rules-table.ts`),
 * with a SOURCE column: rows of different sources are not merged.
 */
function printPermissions(permissions: Permissions): void {
  const sourceOf = (rule: PermissionRule): string =>
    `${reasonPath(rule.source)} (${reasonScope(rule.source)})`;
  const body = rulesTableRows(permissions.rules, sourceOf).map((row) => [
    row.resource,
    row.nonResourceURLs,
    row.resourceNames,
    row.verbs,
    row.source,
  ]);
  const table = [['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs', 'SOURCE'], ...body];
  out(formatTable(table.map((row) => row.map(escapeControl))));
  if (permissions.identity === null) {
    warn('not mapped: no access entry or aws-auth entry takes this ARN (EKS answers 401)');
  }
  for (const caveat of permissions.caveats) warn(escapeControl(describeCaveat(caveat)));
}

/** Run `can-i` with its arguments; resolves to the exit status. */
export async function run(argv: string[]): Promise<number> {
  try {
    const args = parseCommandLine(
      argv,
      {
        options: {
          arn: { type: 'string' },
          list: { type: 'boolean' },
          ...REQUEST_OPTIONS,
          ...CLUSTER_INPUT_OPTIONS,
        },
        allowPositionals: true,
      },
      USAGE,
    );
    if (args.help) {
      out(USAGE);
      return EXIT.ok;
    }
    const v = args.values;
    const format = outputFormat(v, USAGE);
    const arn = requireFlag(v.arn, '--arn', USAGE);
    if (v.list === true) {
      if (
        args.positionals.length > 0 ||
        v['all-namespaces'] === true ||
        v.subresource !== undefined
      ) {
        throw new UsageError('--list takes only --arn, -n and the cluster', USAGE);
      }
      const options = await loadClusterInputs(v, USAGE);
      // kubectl lists the rules of its current namespace: "default" without one.
      const permissions = await listPermissions(arn, {
        ...options,
        namespace: v.namespace ?? 'default',
      });
      if (format === 'json') out(formatJson(permissions));
      else printPermissions(permissions);
      return EXIT.ok;
    }
    const request = requestFromArgs(args.positionals, v, USAGE);
    const options = await loadClusterInputs(v, USAGE);
    const decision = await authorize(arn, request, options);
    if (format === 'json') {
      out(formatJson(decision));
      return exitStatusOf(decision);
    }
    return printDecision(decision);
  } catch (error) {
    return reportError(error, CLUSTER_INPUT_FLAGS);
  }
}
