/**
 * The output formats of a migration plan, one file each.
 *
 * @module
 */
import type { MigrationPlan } from '../types.js';
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

/**
 * Print a migration plan: `json` (the AWS API's `CreateAccessEntry` and
 * `AssociateAccessPolicy` inputs), `aws-cli` (shell-quoted `aws eks`
 * commands), `cloudformation` (`AWS::EKS::AccessEntry` resources, YAML) or
 * `terraform` (`aws_eks_access_entry` and `aws_eks_access_policy_association`).
 *
 * @throws `TypeError` for an unknown format.
 */
export function renderMigration(plan: MigrationPlan, options?: RenderMigrationOptions): string {
  const format = options?.format ?? 'json';
  const render = Object.hasOwn(RENDERERS, format) ? RENDERERS[format] : undefined;
  if (render === undefined) {
    throw new TypeError(
      `renderMigration: format must be one of ${Object.keys(RENDERERS).join(', ')}`,
    );
  }
  return render(plan);
}
