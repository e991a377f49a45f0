/**
 * A plan as Terraform (HCL): one `aws_eks_access_entry` per entry and one
 * `aws_eks_access_policy_association` per policy, the association referring
 * to its entry (so Terraform creates the entry first). Resource names are
 * stable (the principal's name plus a hash of its ARN: `names.ts`), so
 * rendering again after an aws-auth change never renames, and so never
 * replaces, an entry that did not change.
 *
 * @module
 */
import { MigrationRenderError } from '../../errors.js';
import { quoteForMessage } from '../../util/control-characters.js';
import { escapeLegacyWorkflowCommands } from '../../util/workflow-commands.js';
import type { MigrationPlan } from '../types.js';
import { principalName, stableNames } from './names.js';
import { planRequests } from './requests.js';
import type { EntryRequests } from './requests.js';

/**
 * An HCL quoted string whose value is exactly `value`: `${` written `$${`
 * and `%{` written `%%{` (else Terraform evaluates them as interpolation or a
 * directive: `${file("…")}` would read a file into the value), `"` and `\`
 * escaped, and every character outside printable ASCII as `\uXXXX` (or
 * `\UXXXXXXXX`), and the `[` of a `##[` as `\u005b` (no GitHub Actions
 * workflow command when the file is printed in a CI log:
 * `util/workflow-commands.ts`). Only escapes HCL defines: no `\b`, `\f` or
 * `\/`, which `JSON.stringify` would write (HCL native syntax spec,
 * "Template Literals" and "Quoted Template Expressions":
 * https://github.com/hashicorp/hcl/blob/main/hclsyntax/spec.md).
 */
export function hclString(value: string): string {
  let out = '';
  for (const c of value) {
    const code = c.codePointAt(0) as number;
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code >= 0x20 && code < 0x7f) out += c;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  // A function replacer: in a replacement string "$$" means one "$".
  const literal = out.replace(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`);
  return `"${escapeLegacyWorkflowCommands(literal)}"`;
}

function hclList(values: readonly string[]): string {
  return `[${values.map(hclString).join(', ')}]`;
}

const NAME_CHARACTER = /[A-Za-z0-9_]/;

/**
 * The part of an association's resource name that comes from its policy:
 * the policy's name (`AmazonEKSViewPolicy`), lower-cased, less every
 * character a Terraform name cannot hold. Kept without a hash so the names
 * already applied stay; a clash (one policy twice, or two names that read
 * alike in a hand-built plan) is refused, since Terraform would refuse the
 * file ("Duplicate resource").
 */
function policyName(policyArn: string): string {
  return [...principalName(policyArn)]
    .filter((c) => NAME_CHARACTER.test(c))
    .join('')
    .toLowerCase();
}

/**
 * Refuse a value Terraform would change: every string it reads becomes
 * Unicode NFC (cty normalizes strings), so `e` + U+0301 would reach AWS as
 * `é` U+00E9, a different name to Kubernetes, which compares bytes. No
 * escape avoids it; the other formats carry such a value as it is.
 */
function assertNfc(requests: readonly EntryRequests[]): void {
  for (const { create, associate } of requests) {
    const values = [
      create.principalArn,
      create.username ?? '',
      ...(create.kubernetesGroups ?? []),
      ...associate.flatMap((a) => [a.policyArn, ...(a.accessScope.namespaces ?? [])]),
    ];
    for (const value of values) {
      if (value.normalize('NFC') !== value) {
        throw new MigrationRenderError(
          'unsafe-value',
          `${quoteForMessage(value, true)} is not in Unicode NFC: Terraform would change it to ${quoteForMessage(value.normalize('NFC'), true)}, another name to Kubernetes; render this plan in another format`,
        );
      }
    }
  }
}

/**
 * Render `plan` as Terraform resources.
 *
 * @throws `MigrationRenderError` (`unsafe-value`) for a value Terraform would
 *   change (not in Unicode NFC); (`name-clash`) when two resources would get
 *   one name.
 */
export function renderTerraform(plan: MigrationPlan): string {
  const requests = planRequests(plan);
  assertNfc(requests);
  const names = stableNames(
    requests.map((r) => r.create.principalArn),
    NAME_CHARACTER,
    (readable, hash) => `entry_${readable.toLowerCase()}_${hash}`,
  );
  const out: string[] = [
    `# EKS access entries for cluster ${plan.clusterName}, planned from aws-auth (target ${plan.target})`,
  ];
  const associations = new Set<string>();
  requests.forEach(({ create, associate }, i) => {
    const name = names[i] as string;
    out.push('', `resource "aws_eks_access_entry" "${name}" {`);
    out.push(`  cluster_name  = ${hclString(create.clusterName)}`);
    out.push(`  principal_arn = ${hclString(create.principalArn)}`);
    out.push(`  type          = ${hclString(create.type)}`);
    if (create.username !== undefined) out.push(`  user_name     = ${hclString(create.username)}`);
    if (create.kubernetesGroups !== undefined)
      out.push(`  kubernetes_groups = ${hclList(create.kubernetesGroups)}`);
    out.push('}');
    for (const a of associate) {
      const association = `${name}_${policyName(a.policyArn)}`;
      if (associations.has(association)) {
        throw new MigrationRenderError(
          'name-clash',
          `two policy associations get the resource name ${association} (${quoteForMessage(a.policyArn)} is associated twice with ${quoteForMessage(create.principalArn)}, or two policy names read alike); associate each policy once per entry`,
        );
      }
      associations.add(association);
      out.push('', `resource "aws_eks_access_policy_association" "${association}" {`);
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
