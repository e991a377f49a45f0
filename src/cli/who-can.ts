/**
 * `eks-iam-auth who-can`: every IAM principal the cluster's inputs name
 * that may make a request, and what grants it, as a table (or `whoCan`'s
 * result as JSON).
 *
 * @module
 */
import type { WhoCanPrincipal } from '../authz/types.js';
import { whoCan } from '../authz/who-can.js';
import { parseCommandLine } from './args.js';
import { describeCaveat, policyName, reasonPath, reasonScope } from './authz-text.js';
import {
  CLUSTER_INPUT_FLAGS,
  CLUSTER_INPUT_OPTIONS,
  CLUSTER_INPUT_USAGE,
  loadClusterInputs,
} from './cluster-inputs.js';
import { exitStatusHelp } from './exit-codes.js';
import { EXIT, escapeControl, formatJson, out, reportError, warn } from './output.js';
import { REQUEST_OPTIONS, outputFormat, requestFromArgs } from './request-args.js';
import { formatTable } from './table.js';

/** Usage text of `who-can`. */
export const USAGE: string = `Usage: eks-iam-auth who-can VERB RESOURCE[/SUBRESOURCE] [NAME] [-n NS | -A] [options]
       eks-iam-auth who-can VERB /PATH [options]

List every IAM principal the cluster's files name, that its authentication
mode lets in, that may make the request: through system:masters, an RBAC
binding (--rbac) or an access policy, one row per path. A grant that holds
only for some sessions (a templated username such as dev:{{SessionName}}
bound as dev:alice) names them. "unknown" rows: only an access policy whose
rules AWS does not publish, or the Node authorizer, might allow.

Options:
  -n, --namespace NS           the namespace (default: "default", kubectl's fallback)
  -A, --all-namespaces         ask across all namespaces
  --subresource SUB            the subresource (also written RESOURCE/SUB)
  --format FORMAT              text (default) or json (the whoCan result)
  -h, --help                   show this help

${CLUSTER_INPUT_USAGE}

${exitStatusHelp('who-can')}
`;

function principalCell(p: WhoCanPrincipal): string {
  const who = p.principalArn ?? `account ${p.account ?? ''} (any principal no entry names)`;
  return p.condition === undefined ? who : `${who} (${p.condition.description})`;
}

function rowsOf(p: WhoCanPrincipal): string[][] {
  if (p.decision === 'unknown') {
    const why = p.caveats.map((c) =>
      c.code === 'node-authorizer'
        ? 'Node authorizer'
        : c.policyArn !== undefined
          ? `undocumented access policy ${policyName(c.policyArn)}`
          : c.code,
    );
    return [[principalCell(p), 'unknown', why.join(', '), '—']];
  }
  return p.reasons.map((reason) => [
    principalCell(p),
    'allow',
    reasonPath(reason),
    reasonScope(reason),
  ]);
}

/** Run `who-can` with its arguments; resolves to the exit status. */
export async function run(argv: string[]): Promise<number> {
  try {
    const args = parseCommandLine(
      argv,
      {
        options: {
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
    const request = requestFromArgs(args.positionals, v, USAGE);
    const options = await loadClusterInputs(v, USAGE);
    const result = await whoCan(request, options);
    const unknown = result.principals.some((p) => p.decision === 'unknown');
    if (format === 'json') {
      out(formatJson(result));
    } else {
      const rows = result.principals.flatMap(rowsOf);
      if (rows.length === 0) out('no principal the files name may do this\n');
      else
        out(
          formatTable(
            [['PRINCIPAL', 'ANSWER', 'VIA', 'SCOPE'], ...rows].map((r) => r.map(escapeControl)),
          ),
        );
      for (const note of result.request.notes) warn(`note: ${escapeControl(note)}`);
      for (const caveat of result.caveats) warn(escapeControl(describeCaveat(caveat)));
    }
    return unknown ? EXIT.unknown : EXIT.ok;
  } catch (error) {
    return reportError(error, CLUSTER_INPUT_FLAGS);
  }
}
