/**
 * `eks-iam-auth verify`: check a token the way an API server's authenticator
 * does (`verifyToken`: structure, host allowlist, clock, then STS) and print
 * the identity STS vouches for.
 *
 * @module
 */
import type { PartitionId } from '../partitions.js';
import { verifyToken } from '../token/verify.js';
import { parseCommandLine, UsageError } from './args.js';
import { readTextInput } from './input.js';
import { EXIT, formatJson, out, reportError } from './output.js';
import { stsFetch } from './sts-redirect.js';

/** Usage text of `verify`. */
export const USAGE = `Usage: eks-iam-auth verify --token TOKEN --cluster-name NAME [options]

Verify an EKS bearer token: structure, STS host allowlist and clock locally,
then STS GetCallerIdentity. Prints the verified identity as JSON.

Options:
  --token TOKEN        the k8s-aws-v1. token, or "-" to read it from standard input
                       (prefer "-": command lines are visible to other local users)
  --cluster-name NAME  the cluster the token must be bound to (x-k8s-aws-id)
  --cluster-id ID      the same, for EKS local clusters on Outposts
  --partition P        the AWS partition to trust (default: aws)
  --region REGION      this server's region: its STS host is accepted even if
                       newer than the built-in partition data
  -h, --help           show this help

Exit status: 0 verified, 1 rejected (the error code is printed on standard
error as "error ERR_...: message"), 2 usage error.
`;

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
    const token = v.token === '-' ? (await readTextInput('-')).trim() : v.token;
    const identity = await verifyToken(token, {
      clusterId,
      // verifyToken rejects an unknown partition with a TypeError (exit 2).
      ...(v.partition === undefined ? {} : { partition: v.partition as PartitionId }),
      ...(v.region === undefined ? {} : { region: v.region }),
      fetch: stsFetch(),
    });
    out(formatJson(identity));
    return EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}
