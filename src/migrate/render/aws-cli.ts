/**
 * A plan as a bash script of `aws eks` commands, one per request, each
 * carrying its whole request as `--cli-input-json '<JSON>'`: exactly the
 * object the JSON format prints.
 *
 * Why not one flag per field: the AWS CLI reads option-like list items as
 * options (a group `--cluster-name=other` would send the entry to another
 * cluster, `--principal-arn=…` would give it to another principal) and
 * expands `file://`, `fileb://` and, in v1, `http(s)://` values given on the
 * command line (a username `file://~/.aws/credentials` would upload the
 * operator's file into a name the ConfigMap's author can read;
 * https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-parameters-file.html).
 * Inside `--cli-input-json` it does neither: every value is data
 * (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-skeleton.html;
 * test/migrate/hostile-corpus/aws-cli.test.ts runs the AWS CLI, v1 or v2,
 * on a hostile corpus and records what it sends).
 *
 * For bash the JSON is one single-quoted word of printable ASCII without a
 * `'`: every other character is written as a JSON `\uXXXX` escape, so no
 * quote can end the word and the script holds no raw control, bidi or
 * non-ASCII character. `set -euo pipefail` stops at the first failed
 * request.
 *
 * @module
 */
import type { MigrationPlan } from '../types.js';
import { shellSafeJson } from './ascii-json.js';
import { planRequests } from './requests.js';

/** One `aws eks <operation> --cli-input-json '…'` line. */
function command(operation: string, request: unknown): string {
  return `aws eks ${operation} --cli-input-json '${shellSafeJson(request)}'`;
}

/** Render `plan` as a bash script of `aws eks create-access-entry` / `associate-access-policy` commands. */
export function renderAwsCli(plan: MigrationPlan): string {
  const requests = planRequests(plan);
  const lines = [
    '#!/usr/bin/env bash',
    `# ${plan.entries.length} access entries for cluster ${plan.clusterName} (target ${plan.target}), planned from aws-auth.`,
    '# Each request is given whole with --cli-input-json, where the AWS CLI reads every value as data.',
    'set -euo pipefail',
  ];
  for (const { create, associate } of requests) {
    lines.push(command('create-access-entry', create));
    for (const a of associate) lines.push(command('associate-access-policy', a));
  }
  return `${lines.join('\n')}\n`;
}
