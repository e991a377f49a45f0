/**
 * A plan as a CloudFormation template (YAML): one `AWS::EKS::AccessEntry`
 * per entry with its `AccessPolicies`, the cluster name a parameter. Every
 * string is written as a double-quoted YAML scalar, so no value from the
 * ConfigMap is read as YAML syntax (or as a YAML 1.1 boolean or number).
 *
 * @module
 */
import type { MigrationPlan } from '../types.js';
import { planRequests, principalName } from './requests.js';

/** A double-quoted YAML scalar (JSON string syntax is valid YAML). */
function q(value: string): string {
  return JSON.stringify(value);
}

/** A CloudFormation logical id: alphanumeric, unique by its position. */
function logicalId(position: number, arn: string): string {
  const name = principalName(arn).replace(/[^A-Za-z0-9]/g, '');
  return `AccessEntry${position + 1}${name}`.slice(0, 200);
}

/** Render `plan` as a CloudFormation template in YAML. */
export function renderCloudFormation(plan: MigrationPlan): string {
  const out: string[] = [
    `AWSTemplateFormatVersion: "2010-09-09"`,
    `Description: ${q(`EKS access entries for cluster ${plan.clusterName}, planned from aws-auth (target ${plan.target})`)}`,
    'Parameters:',
    '  ClusterName:',
    '    Type: String',
    `    Default: ${q(plan.clusterName)}`,
    'Resources:',
  ];
  if (plan.entries.length === 0) out[out.length - 1] = 'Resources: {}';
  planRequests(plan).forEach(({ create, associate }, i) => {
    out.push(
      `  ${logicalId(i, create.principalArn)}:`,
      '    Type: AWS::EKS::AccessEntry',
      '    Properties:',
    );
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
