/**
 * A plan as JSON: the AWS API's `CreateAccessEntry` and
 * `AssociateAccessPolicy` inputs (usable with `aws eks create-access-entry
 * --cli-input-json`).
 *
 * @module
 */
import type { MigrationPlan } from '../types.js';
import { planRequests } from './requests.js';

/** Render `plan` as pretty JSON with a trailing newline. */
export function renderJson(plan: MigrationPlan): string {
  const requests = planRequests(plan);
  return `${JSON.stringify(
    {
      clusterName: plan.clusterName,
      authenticationMode: plan.target,
      createAccessEntry: requests.map((r) => r.create),
      associateAccessPolicy: requests.flatMap((r) => r.associate),
    },
    null,
    2,
  )}\n`;
}
