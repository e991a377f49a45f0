/**
 * The output formats of a migration plan, one file each.
 *
 * @module
 */
import { MigrationRenderError } from '../../errors.js';
import { quoteForMessage } from '../../util/control-characters.js';
import type { MigrationPlan } from '../types.js';
import { isClusterName, isMigrationTarget, unsafeValue } from '../value-safety.js';
import { renderAwsCli } from './aws-cli.js';
import { renderCloudFormation } from './cloudformation.js';
import { renderJson } from './json.js';
import { renderTerraform } from './terraform.js';

/** A plan's output format. */
export type MigrationFormat = 'json' | 'aws-cli' | 'cloudformation' | 'terraform';

/** Options of {@link renderMigration}. */
export interface RenderMigrationOptions {
  /**
   * The format.
   *
   * @defaultValue `'json'`
   */
  format?: MigrationFormat;
}

const RENDERERS: Readonly<Record<MigrationFormat, (plan: MigrationPlan) => string>> = {
  json: renderJson,
  'aws-cli': renderAwsCli,
  cloudformation: renderCloudFormation,
  terraform: renderTerraform,
};

/** Every string of `plan` that a renderer writes. */
function* renderedValues(plan: MigrationPlan): Generator<string> {
  yield plan.clusterName;
  for (const e of plan.entries) {
    yield e.principalArn;
    yield e.type;
    if (e.username !== undefined) yield e.username;
    yield* e.kubernetesGroups;
    for (const p of e.accessPolicies) {
      yield p.policyArn;
      yield p.accessScope.type;
      yield* p.accessScope.namespaces;
    }
  }
}

/** `value` quoted for a message, whatever a hand-built plan put there. */
function shown(value: unknown): string {
  return typeof value === 'string' ? quoteForMessage(value) : `a ${typeof value}`;
}

/**
 * Refuse a plan carrying a value the planner lists as a loss (a plan built
 * or edited by hand): no format may print it (SPEC 4.7.1). The cluster name
 * and the target are also written outside any string, into the comment or
 * Description that heads each format (a target `API\ncurl … | sh` would be
 * a line of the `aws eks` script before `set -euo pipefail`), so each must
 * be one the planner accepts.
 */
function assertRenderable(plan: MigrationPlan): void {
  if (!isClusterName(plan.clusterName)) {
    throw new MigrationRenderError(
      'unsafe-value',
      `the plan's cluster name ${shown(plan.clusterName)} is not an EKS cluster name`,
    );
  }
  if (!isMigrationTarget(plan.target)) {
    throw new MigrationRenderError(
      'unsafe-value',
      `the plan's target ${shown(plan.target)} is not an authentication mode to migrate to ("API" or "API_AND_CONFIG_MAP")`,
    );
  }
  for (const value of renderedValues(plan)) {
    const unsafe = unsafeValue(value);
    if (unsafe !== undefined) {
      throw new MigrationRenderError(
        'unsafe-value',
        `the plan holds ${quoteForMessage(value)}, which ${unsafe.reason}; planAccessEntryMigration lists such values as losses and renders none`,
      );
    }
  }
}

/**
 * Print a migration plan: `json` (the AWS API's `CreateAccessEntry` and
 * `AssociateAccessPolicy` inputs), `aws-cli` (a bash script of `aws eks`
 * commands, each request given whole with `--cli-input-json`),
 * `cloudformation` (`AWS::EKS::AccessEntry` resources, YAML) or `terraform`
 * (`aws_eks_access_entry` and `aws_eks_access_policy_association`). Every
 * format is printable ASCII (other characters escaped) and gives each
 * consumer exactly the plan's values (SPEC 4.7.1).
 *
 * @throws `TypeError` for an unknown format; `MigrationRenderError` for a
 *   plan no format may print (`unsafe-value`: a control character or a
 *   `{{resolve:` in a value, a cluster name EKS would refuse, a target other
 *   than `API` and `API_AND_CONFIG_MAP`), for Terraform and CloudFormation,
 *   two resources of one name (`name-clash`), and for CloudFormation, an empty plan
 *   (`empty-plan`) or one over 500 entries (`too-many-resources`).
 */
export function renderMigration(plan: MigrationPlan, options?: RenderMigrationOptions): string {
  const format = options?.format ?? 'json';
  const render = Object.hasOwn(RENDERERS, format) ? RENDERERS[format] : undefined;
  if (render === undefined) {
    throw new TypeError(
      `renderMigration: format must be one of ${Object.keys(RENDERERS).join(', ')}`,
    );
  }
  assertRenderable(plan);
  return render(plan);
}
