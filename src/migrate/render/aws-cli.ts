/**
 * A plan as `aws eks` commands, one per line, every word shell-quoted: ARNs
 * and usernames come from a ConfigMap and are data, never shell syntax.
 *
 * @module
 */
import type { MigrationPlan } from '../types.js';
import { planRequests } from './requests.js';

const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One shell word: bare when it is plainly safe, else single-quoted (`'` as `'\''`). */
export function shellQuote(word: string): string {
  return BARE.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Render `plan` as `aws eks create-access-entry` / `associate-access-policy` commands. */
export function renderAwsCli(plan: MigrationPlan): string {
  const lines = [
    `# ${plan.entries.length} access entries for cluster ${plan.clusterName.replace(/[\r\n]/g, ' ')} (target ${plan.target}), planned from aws-auth`,
  ];
  for (const { create, associate } of planRequests(plan)) {
    const words = [
      'aws',
      'eks',
      'create-access-entry',
      '--cluster-name',
      create.clusterName,
      '--principal-arn',
      create.principalArn,
      '--type',
      create.type,
      ...(create.username === undefined ? [] : ['--username', create.username]),
      ...(create.kubernetesGroups === undefined
        ? []
        : ['--kubernetes-groups', ...create.kubernetesGroups]),
    ];
    lines.push(words.map(shellQuote).join(' '));
    for (const a of associate) {
      const scope =
        a.accessScope.type === 'cluster'
          ? 'type=cluster'
          : `type=namespace,namespaces=${(a.accessScope.namespaces ?? []).join(',')}`;
      lines.push(
        [
          'aws',
          'eks',
          'associate-access-policy',
          '--cluster-name',
          a.clusterName,
          '--principal-arn',
          a.principalArn,
          '--policy-arn',
          a.policyArn,
          '--access-scope',
          scope,
        ]
          .map(shellQuote)
          .join(' '),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
