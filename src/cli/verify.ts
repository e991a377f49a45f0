/**
 * `eks-iam-auth verify`: check a token the way an API server's authenticator
 * does (`verifyToken`: structure, host allowlist, clock, then STS) and print
 * the identity STS vouches for.
 *
 * @module
 */
import { StsRejectedError } from '../errors.js';
import type { PartitionId } from '../partitions.js';
import { verifyToken } from '../token/verify.js';
import { parseCommandLine, UsageError } from './args.js';
import { exitStatusHelp } from './exit-codes.js';
import { readTextInput } from './input.js';
import { EXIT, escapeControl, formatJson, out, reportError, warn } from './output.js';
import { stsFetch } from './sts-redirect.js';
import type { FlagNames } from './translate-error.js';

/** Usage text of `verify`. */
export const USAGE: string = `Usage: eks-iam-auth verify --token TOKEN --cluster-name NAME [options]

Verify an EKS bearer token: structure, STS host allowlist and clock locally,
then STS GetCallerIdentity. Prints the verified identity as JSON.

Options:
  --token TOKEN        the k8s-aws-v1. token, or "-" to read it from standard input
                       (prefer "-": command lines are visible to other local users);
                       an ExecCredential ("aws eks get-token" output) is read for
                       its status.token
  --cluster-name NAME  the cluster the token must be bound to (x-k8s-aws-id)
  --cluster-id ID      the same, for EKS local clusters on Outposts
  --partition P        the AWS partition to trust (default: aws)
  --region REGION      this server's region: its STS host is accepted even if
                       newer than the built-in partition data
  -h, --help           show this help

${exitStatusHelp('verify')}
`;

/** The flags that supply the library options `verify` passes on, for error messages. */
const FLAGS: FlagNames = {
  clusterId: '--cluster-name (or --cluster-id)',
  partition: '--partition',
  region: '--region',
};

/**
 * The token in what was given: the text itself, or the `status.token` of
 * an ExecCredential (what `aws eks get-token` and `eks-iam-auth token`
 * print), which people pipe in as it is.
 *
 * @throws {@link UsageError} for an ExecCredential without a token.
 */
function tokenFrom(text: string, where: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return trimmed;
  }
  if ((value as { kind?: unknown } | null)?.kind !== 'ExecCredential') return trimmed;
  const token = (value as { status?: { token?: unknown } | null }).status?.token;
  if (typeof token !== 'string' || token === '') {
    throw new UsageError(
      `${where} is an ExecCredential without status.token: give the token itself, or the whole output of "aws eks get-token"`,
      USAGE,
    );
  }
  return token;
}

/**
 * STS checks the signature over the `x-k8s-aws-id` header, which is the
 * cluster name the token was signed for; the verifier sends its own
 * (aws-iam-authenticator pkg/token/token.go lines 655 and 689 at commit
 * 81b1daba00d194c00d3cdd8b0a0fece5ba648d4e), so a token for another cluster
 * comes back as `SignatureDoesNotMatch` and nothing else says why.
 */
function hintFor(error: unknown, clusterId: string): string | undefined {
  if (!(error instanceof StsRejectedError) || error.awsCode !== 'SignatureDoesNotMatch') {
    return undefined;
  }
  return `hint: the token was signed for another cluster id? STS checks the signature over the cluster name the token was made for, and verify sends "${escapeControl(clusterId)}" (--cluster-name), as the EKS authenticator sends its own; a token made with "--cluster-name ${escapeControl(clusterId)}" and valid keys verifies`;
}

/** Run `verify` with its arguments; resolves to the exit status. */
export async function run(argv: string[]): Promise<number> {
  try {
    const args = parseCommandLine(
      argv,
      {
        options: {
          token: { type: 'string' },
          'cluster-name': { type: 'string' },
          'cluster-id': { type: 'string' },
          partition: { type: 'string' },
          region: { type: 'string' },
        },
        allowPositionals: false,
      },
      USAGE,
    );
    if (args.help) {
      out(USAGE);
      return EXIT.ok;
    }
    const v = args.values;
    if (v['cluster-name'] !== undefined && v['cluster-id'] !== undefined) {
      throw new UsageError('--cluster-name and --cluster-id are mutually exclusive', USAGE);
    }
    const clusterId = v['cluster-name'] ?? v['cluster-id'];
    if (clusterId === undefined || clusterId === '') {
      throw new UsageError('--cluster-name (or --cluster-id) is required', USAGE);
    }
    if (v.token === undefined || v.token === '') {
      throw new UsageError('--token is required ("-" reads it from standard input)', USAGE);
    }
    // A token piped in usually ends with a newline; the token itself never has spaces.
    const token =
      v.token === '-'
        ? tokenFrom(await readTextInput('-'), 'standard input')
        : tokenFrom(v.token, '--token');
    try {
      const identity = await verifyToken(token, {
        clusterId,
        // verifyToken rejects an unknown partition with a TypeError (a usage error).
        ...(v.partition === undefined ? {} : { partition: v.partition as PartitionId }),
        ...(v.region === undefined ? {} : { region: v.region }),
        fetch: stsFetch(),
      });
      out(formatJson(identity));
      return EXIT.ok;
    } catch (error) {
      const status = reportError(error, FLAGS);
      const hint = hintFor(error, clusterId);
      if (hint !== undefined) warn(hint);
      return status;
    }
  } catch (error) {
    return reportError(error, FLAGS);
  }
}
