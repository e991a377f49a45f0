/**
 * A plan as `aws eks` commands, one per line, every word shell-quoted: ARNs
 * and usernames come from a ConfigMap and are data, never shell syntax.
 *
 * @module
 */
import type { MigrationPlan } from '../types.js';
import { planRequests } from './requests.js';

const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const utf8 = new TextEncoder();

/**
 * One shell word: bare when it is plainly safe, single-quoted otherwise
 * (`'` as `'\''`). A word holding control characters (a username copied from
 * a hostile ConfigMap) is written in bash's `$'…'` form, every byte outside
 * printable ASCII as `\xNN` (its UTF-8 bytes): the command gets the same
 * value, but the script holds no raw terminal escape or line break.
 */
export function shellQuote(word: string): string {
  if (BARE.test(word)) return word;
  CONTROL.lastIndex = 0;
  if (!CONTROL.test(word)) return `'${word.replaceAll("'", `'\\''`)}'`;
  let quoted = '';
  for (const byte of utf8.encode(word)) {
    const safe = byte >= 0x20 && byte < 0x7f && byte !== 0x27 && byte !== 0x5c;
    quoted += safe ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `$'${quoted}'`;
}

/** Render `plan` as `aws eks create-access-entry` / `associate-access-policy` commands. */
export function renderAwsCli(plan: MigrationPlan): string {
  const lines = [
    `# ${plan.entries.length} access entries for cluster ${plan.clusterName.replace(CONTROL, ' ')} (target ${plan.target}), planned from aws-auth`,
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
