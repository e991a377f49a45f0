/**
 * A plan as JSON: the AWS API's `CreateAccessEntry` and
 * `AssociateAccessPolicy` inputs (each usable with `aws eks
 * create-access-entry --cli-input-json`), in printable ASCII: every other
 * character of a value is a `\uXXXX` escape.
 *
 * @module
 */
import type { MigrationPlan } from '../types.js';
import { asciiJson } from './ascii-json.js';
import { planRequests } from './requests.js';

/** Render `plan` as pretty JSON with a trailing newline. */
export function renderJson(plan: MigrationPlan): string {
  const requests = planRequests(plan);
  return `${asciiJson(
    {
      clusterName: plan.clusterName,
      authenticationMode: plan.target,
      createAccessEntry: requests.map((r) => r.create),
      associateAccessPolicy: requests.flatMap((r) => r.associate),
    },
    2,
  )}\n`;
}
