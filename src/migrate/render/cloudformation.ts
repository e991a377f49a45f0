/**
 * A plan as a CloudFormation template (YAML): one `AWS::EKS::AccessEntry`
 * per entry with its `AccessPolicies`, the cluster name a parameter.
 *
 * - Every string is a double-quoted YAML scalar in printable ASCII, every
 *   other character a `\uXXXX` escape (`\UXXXXXXXX` above U+FFFF): no value
 *   is read as YAML syntax, a tag, or a YAML 1.1 boolean or number
 *   (CloudFormation reads YAML 1.1, where a raw NEL is a line break).
 * - Logical ids are stable and unique: `AccessEntry`, the principal's name,
 *   a hash of its ARN (`names.ts`).
 * - A plan without entries renders nothing: CloudFormation refuses a
 *   template whose `Resources` is empty, and one over 500 resources.
 * - Values with `{{resolve:` never get here: CloudFormation would replace
 *   such a dynamic reference with a secret in any property, and has no
 *   escape, so the planner lists them as losses and `renderMigration`
 *   refuses a plan that carries one.
 *
 * Template limits: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html;
 * the resource: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-eks-accessentry.html.
 *
 * @module
 */
import { MigrationRenderError } from '../../errors.js';
import type { MigrationPlan } from '../types.js';
import { asciiYamlString } from './ascii-json.js';
import { stableNames } from './names.js';
import { planRequests } from './requests.js';

/** CloudFormation's limit of resources in one template. */
export const MAX_TEMPLATE_RESOURCES = 500;

/** A double-quoted YAML scalar holding exactly `value` (see {@link asciiYamlString}). */
const q = asciiYamlString;

const ID_CHARACTER = /[A-Za-z0-9]/;

/**
 * Render `plan` as a CloudFormation template in YAML.
 *
 * @throws `MigrationRenderError` (`empty-plan`) when the plan has no entries,
 *   (`too-many-resources`) over {@link MAX_TEMPLATE_RESOURCES} entries.
 */
export function renderCloudFormation(plan: MigrationPlan): string {
  const requests = planRequests(plan);
  if (requests.length === 0) {
    throw new MigrationRenderError(
      'empty-plan',
      'the plan creates no access entry, so there is no CloudFormation template to print (CloudFormation refuses a template without resources)',
    );
  }
  if (requests.length > MAX_TEMPLATE_RESOURCES) {
    throw new MigrationRenderError(
      'too-many-resources',
      `the plan creates ${requests.length} access entries; a CloudFormation template holds at most ${MAX_TEMPLATE_RESOURCES} resources (render the aws-auth in parts, or use another format)`,
    );
  }
  const ids = stableNames(
    requests.map((r) => r.create.principalArn),
    ID_CHARACTER,
    (readable, hash) => `AccessEntry${readable}${hash}`,
  );
  const out: string[] = [
    `AWSTemplateFormatVersion: "2010-09-09"`,
    `Description: ${q(`EKS access entries for cluster ${plan.clusterName}, planned from aws-auth (target ${plan.target})`)}`,
    'Parameters:',
    '  ClusterName:',
    '    Type: String',
    `    Default: ${q(plan.clusterName)}`,
    'Resources:',
  ];
  requests.forEach(({ create, associate }, i) => {
    out.push(`  ${ids[i] as string}:`, '    Type: AWS::EKS::AccessEntry', '    Properties:');
    out.push(
      '      ClusterName: !Ref ClusterName',
      `      PrincipalArn: ${q(create.principalArn)}`,
      `      Type: ${q(create.type)}`,
    );
    if (create.username !== undefined) out.push(`      Username: ${q(create.username)}`);
    if (create.kubernetesGroups !== undefined) {
      out.push(
        '      KubernetesGroups:',
        ...create.kubernetesGroups.map((g) => `        - ${q(g)}`),
      );
    }
    if (associate.length > 0) {
      out.push('      AccessPolicies:');
      for (const a of associate) {
        out.push(
          `        - PolicyArn: ${q(a.policyArn)}`,
          '          AccessScope:',
          `            Type: ${q(a.accessScope.type)}`,
        );
        if (a.accessScope.namespaces !== undefined) {
          out.push(
            '            Namespaces:',
            ...a.accessScope.namespaces.map((n) => `              - ${q(n)}`),
          );
        }
      }
    }
  });
  return `${out.join('\n')}\n`;
}
