/**
 * A plan as Terraform (HCL): one `aws_eks_access_entry` per entry and one
 * `aws_eks_access_policy_association` per policy, the association referring
 * to its entry (so Terraform creates the entry first). Strings are escaped
 * for HCL, including its `${` and `%{` template sequences.
 *
 * @module
 */
import type { MigrationPlan } from '../types.js';
import { planRequests, principalName } from './requests.js';

/** An HCL quoted string: JSON escapes, plus `$${` and `%%{` so nothing is a template. */
export function hclString(value: string): string {
  return JSON.stringify(value).replaceAll('${', '$${').replaceAll('%{', '%%{');
}

function hclList(values: readonly string[]): string {
  return `[${values.map(hclString).join(', ')}]`;
}

/** A Terraform resource name: letters, digits, `_`; starts with a letter. */
function resourceName(position: number, arn: string): string {
  const name = principalName(arn)
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
  return `entry_${position + 1}_${name}`.slice(0, 200);
}

/** Render `plan` as Terraform resources. */
export function renderTerraform(plan: MigrationPlan): string {
  const out: string[] = [
    `# EKS access entries for cluster ${plan.clusterName.replace(/[\r\n]/g, ' ')}, planned from aws-auth (target ${plan.target})`,
  ];
  planRequests(plan).forEach(({ create, associate }, i) => {
    const name = resourceName(i, create.principalArn);
    out.push('', `resource "aws_eks_access_entry" "${name}" {`);
    out.push(`  cluster_name  = ${hclString(create.clusterName)}`);
    out.push(`  principal_arn = ${hclString(create.principalArn)}`);
    out.push(`  type          = ${hclString(create.type)}`);
    if (create.username !== undefined) out.push(`  user_name     = ${hclString(create.username)}`);
    if (create.kubernetesGroups !== undefined)
      out.push(`  kubernetes_groups = ${hclList(create.kubernetesGroups)}`);
    out.push('}');
    for (const a of associate) {
      const policy = principalName(a.policyArn)
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, '_');
      out.push('', `resource "aws_eks_access_policy_association" "${name}_${policy}" {`);
      out.push(`  cluster_name  = aws_eks_access_entry.${name}.cluster_name`);
      out.push(`  principal_arn = aws_eks_access_entry.${name}.principal_arn`);
      out.push(`  policy_arn    = ${hclString(a.policyArn)}`, '', '  access_scope {');
      out.push(`    type = ${hclString(a.accessScope.type)}`);
      if (a.accessScope.namespaces !== undefined)
        out.push(`    namespaces = ${hclList(a.accessScope.namespaces)}`);
      out.push('  }', '}');
    }
  });
  return `${out.join('\n')}\n`;
}
