/**
 * `eks-iam-auth migrate`: plan the access entries that replace an aws-auth
 * ConfigMap, print them in the chosen format on standard output, and every
 * loss and warning on standard error. Exit status 0 when nothing is lost, 2
 * when something is, 1 on error, so a pipeline can stop before a lock-out.
 *
 * @module
 */
import { parseAccessEntries } from '../access-entries/parse.js';
import { parseAwsAuth } from '../aws-auth/parse.js';
import { planAccessEntryMigration } from '../migrate/plan.js';
import { renderMigration } from '../migrate/render/index.js';
import type { MigrationFormat } from '../migrate/render/index.js';
import type { MigrationIssue, MigrationTarget } from '../migrate/types.js';
import { isClusterName } from '../migrate/value-safety.js';
import { oneOf, parseCommandLine, requireFlag, UsageError } from './args.js';
import { EXIT, exitStatusHelp } from './exit-codes.js';
import { readInputFile, readTextInput } from './input.js';
import { escapeControl, out, reportError, warn, warnIgnoredErrors } from './output.js';
import type { FlagNames } from './translate-error.js';

/** Usage text of `migrate`. */
export const USAGE: string = `Usage: eks-iam-auth migrate AWS_AUTH_FILE --cluster-name NAME [options]

Plan the EKS access entries that reproduce an aws-auth ConfigMap. The plan
goes to standard output; every loss (what access entries cannot reproduce)
and warning goes to standard error, with its aws-auth location, followed by
the check that resolves a caller of every entry both ways.

Options:
  --cluster-name NAME           the EKS cluster (written into every request): 1 to 100
                                letters, digits, "-" and "_", starting with a letter
                                or digit, as EKS names clusters
  --target API|API_AND_CONFIG_MAP
                                the mode the cluster switches to (default API)
  --principal-arns FILE         the real role ARNs, to restore role paths: a JSON
                                list of ARNs, a map from path-less to real ARN, or
                                "aws iam list-roles" output
  --existing FILE               the cluster's access entries today (JSON, as
                                "aws eks describe-access-entry" prints them);
                                node and Fargate roles are planned only when
                                missing there
  --include-node-roles          plan node and Fargate roles without --existing
                                (self-managed nodes: EKS creates the entries of
                                managed node groups and Fargate profiles itself,
                                and creating one again fails with 409)
  --format json|aws-cli|cloudformation|terraform
                                the plan's format (default json)
  -h, --help                    show this help

${exitStatusHelp('migrate')}
`;

/** The flags that supply the library options `migrate` passes on, for error messages. */
const FLAGS: FlagNames = {
  clusterName: '--cluster-name',
  target: '--target',
  format: '--format',
  principalArns: '--principal-arns',
  existingAccessEntries: '--existing',
};

/**
 * `--cluster-name` checked against EKS's rule for cluster names
 * (`isClusterName`: Amazon EKS API Reference, CreateCluster, request
 * parameter `name`: "Length Constraints: Minimum length of 1. Maximum length
 * of 100. Pattern: ^[0-9A-Za-z][A-Za-z0-9\-_]*",
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html,
 * read 2026-12-06). Every request of the plan names the cluster; one that no
 * cluster can have is a mistake to stop before anything runs.
 *
 * @throws {@link UsageError} saying which part of the rule it breaks.
 */
function checkClusterName(name: string): string {
  // Through an `unknown` copy: the guard on `name` itself would leave `never` below.
  const text: unknown = name;
  if (isClusterName(text)) return name;
  const shown = escapeControl(name.length > 120 ? `${name.slice(0, 120)}…` : name);
  const why =
    name.length > 100
      ? `it has ${name.length} characters, at most 100 are allowed`
      : /^[0-9A-Za-z]/.test(name)
        ? 'only letters, digits, "-" and "_" are allowed'
        : 'it must start with a letter or a digit';
  throw new UsageError(
    `--cluster-name "${shown}" is not an EKS cluster name: ${why} (EKS: 1 to 100 characters, ^[0-9A-Za-z][A-Za-z0-9\\-_]*)`,
    USAGE,
  );
}

const FORMATS: readonly MigrationFormat[] = ['json', 'aws-cli', 'cloudformation', 'terraform'];
const TARGETS: readonly MigrationTarget[] = ['API', 'API_AND_CONFIG_MAP'];

/** The real ARNs from a JSON list, a map, or `aws iam list-roles` / `list-users` output. */
function readPrincipalArns(text: string, file: string): Record<string, string> | string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON`, USAGE);
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const listed =
      (value as Record<string, unknown>)['Roles'] ?? (value as Record<string, unknown>)['Users'];
    if (Array.isArray(listed)) value = listed.map((r) => (r as { Arn?: unknown } | null)?.Arn);
  }
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  ) {
    return value as Record<string, string>;
  }
  throw new UsageError(
    `${file}: expected a JSON list of ARNs, a map of ARNs, or "aws iam list-roles" output`,
    USAGE,
  );
}

function describe(kind: string, issue: MigrationIssue): string {
  const line = issue.line === undefined ? '' : ` (line ${issue.line})`;
  return `${kind} ${issue.code}: ${issue.key}[${issue.index}]${line}: ${escapeControl(issue.message)}`;
}

/** Run `migrate` with its arguments; resolves to the exit status. */
export async function run(argv: string[]): Promise<number> {
  try {
    const args = parseCommandLine(
      argv,
      {
        options: {
          'cluster-name': { type: 'string' },
          target: { type: 'string' },
          'principal-arns': { type: 'string' },
          existing: { type: 'string' },
          format: { type: 'string' },
          'include-node-roles': { type: 'boolean' },
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
    if (args.positionals.length !== 1) throw new UsageError('one AWS_AUTH_FILE is required', USAGE);
    const file = args.positionals[0] as string;
    const clusterName = checkClusterName(requireFlag(v['cluster-name'], '--cluster-name', USAGE));
    const target = oneOf(v.target ?? 'API', TARGETS, '--target', USAGE);
    const format = oneOf(v.format ?? 'json', FORMATS, '--format', USAGE);
    const awsAuth = await readInputFile(file, parseAwsAuth);
    warnIgnoredErrors(file, awsAuth.diagnostics.filter((d) => d.severity === 'error').length);
    const arnsFile = v['principal-arns'];
    const existingFile = v.existing;
    const plan = planAccessEntryMigration(awsAuth, {
      clusterName,
      target,
      ...(arnsFile === undefined
        ? {}
        : { principalArns: readPrincipalArns(await readTextInput(arnsFile), arnsFile) }),
      ...(existingFile === undefined
        ? {}
        : { existingAccessEntries: await readInputFile(existingFile, parseAccessEntries) }),
      ...(v['include-node-roles'] === true ? { includeNodeRoles: true } : {}),
    });
    const check = await plan.check();
    // CloudFormation refuses a template without resources: print none, and say so.
    if (format === 'cloudformation' && plan.entries.length === 0) {
      warn('note: the plan creates no access entry, so no CloudFormation template is printed');
    } else {
      out(renderMigration(plan, { format }));
    }
    for (const loss of plan.losses) warn(describe('loss', loss));
    for (const warning of plan.warnings) warn(describe('warning', warning));
    for (const note of check.notes)
      warn(`note: ${escapeControl(note.arn)}: ${escapeControl(note.message)}`);
    for (const d of check.differences)
      warn(`difference: ${escapeControl(d.arn)}: ${escapeControl(d.message)}`);
    warn(
      `${plan.entries.length} access entries planned; ${plan.losses.length} loss(es), ${plan.warnings.length} warning(s); check under ${target}: ${check.equivalent ? 'equivalent' : `${check.differences.length} difference(s)`}`,
    );
    return plan.canSwitchToApi && check.equivalent ? EXIT.ok : EXIT.lossy;
  } catch (error) {
    return reportError(error, FLAGS);
  }
}
