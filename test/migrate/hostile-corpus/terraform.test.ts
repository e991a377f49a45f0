/**
 * The hostile corpus through Terraform itself: every string expression the
 * Terraform renderer writes is evaluated by the real `terraform` (found on
 * PATH; skipped with a printed reason where absent, even under CI: not
 * every image has it) and must give back exactly the plan's value. No
 * provider, no network, no CLI configuration: the expressions are copied
 * into `locals` of a throwaway configuration whose only output is them.
 * `@cdktf/hcl2json` parses the whole rendered file and gives its structure
 * (which resource holds what, which association refers to which entry).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseHcl } from '@cdktf/hcl2json';
import { afterAll, describe, expect, it } from 'vitest';
import { renderMigration } from '../../../src/migrate/render/index.js';
import type { EntryRequests } from '../../../src/migrate/render/requests.js';
import { missingTool, runTool } from '../../support/external-tool.js';
import { findOnPath } from '../../support/tools.js';
import { CORPUS, comparer, corpusValuesCarried, placements, widePlan } from './corpus.js';

// Terraform turns every string into Unicode NFC (cty), so a value that is not
// NFC is refused by this format (below) and left out of the plan it runs.
const isNfc = (value: string): boolean => value.normalize('NFC') === value;
const { plan, requests } = widePlan(isNfc);
const text = renderMigration(plan, { format: 'terraform' });
const skip = missingTool('terraform', true);

/** Every `name = <expression>` of the rendered file that is not a reference, keyed `type.name[.block].attr`. */
function expressions(hcl: string): Map<string, string> {
  const out = new Map<string, string>();
  let resource = '';
  let block = '';
  for (const line of hcl.split('\n')) {
    const open = /^resource "(\w+)" "(\w+)" \{$/.exec(line);
    if (open !== null) {
      resource = `${open[1]}.${open[2]}`;
      continue;
    }
    const nested = /^ {2}(\w+) \{$/.exec(line);
    if (nested !== null) block = `.${nested[1]}`;
    if (/^ {2}\}$/.test(line)) block = '';
    const attribute = /^ +(\w+) += (.*)$/.exec(line);
    if (attribute !== null && !(attribute[2] as string).startsWith('aws_eks_access_entry.')) {
      out.set(`${resource}${block}.${attribute[1]}`, attribute[2] as string);
    }
  }
  return out;
}

/** What `terraform` makes of each expression. */
async function evaluate(exprs: Map<string, string>): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'eks-iam-auth-tf-'));
  try {
    const body = [...exprs].map(([key, expr]) => `    "${key}" = ${expr}`).join('\n');
    writeFileSync(
      path.join(dir, 'main.tf'),
      `locals {\n  v = {\n${body}\n  }\n}\n\noutput "v" {\n  value = local.v\n}\n`,
    );
    writeFileSync(path.join(dir, 'empty.tfrc'), '');
    const env = {
      PATH: process.env['PATH'] ?? '',
      HOME: dir,
      TF_CLI_CONFIG_FILE: path.join(dir, 'empty.tfrc'),
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    };
    const terraform = findOnPath('terraform') as string;
    const apply = await runTool(
      terraform,
      ['apply', '-auto-approve', '-input=false', '-no-color'],
      {
        cwd: dir,
        env,
      },
    );
    expect(apply.code, apply.stderr).toBe(0);
    const output = await runTool(terraform, ['output', '-no-color', '-json', 'v'], {
      cwd: dir,
      env,
    });
    expect(output.code, output.stderr).toBe(0);
    return JSON.parse(output.stdout) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Block = Record<string, unknown>;
type Hcl = { resource: Record<string, Record<string, Block[]>> };

describe('values Terraform would change', () => {
  it('are refused: not in Unicode NFC', () => {
    expect(CORPUS.some(({ value }) => !isNfc(value))).toBe(true);
    expect(() => renderMigration(widePlan().plan, { format: 'terraform' })).toThrow(
      expect.objectContaining({ code: 'ERR_MIGRATION_RENDER', reason: 'unsafe-value' }),
    );
  });
});

describe('the hostile corpus through @cdktf/hcl2json', () => {
  it('parses the whole file into one resource per request', async () => {
    const hcl = (await parseHcl('plan.tf', text)) as Hcl;
    const entries = hcl.resource['aws_eks_access_entry'] ?? {};
    const associations = hcl.resource['aws_eks_access_policy_association'] ?? {};
    expect(Object.keys(entries)).toHaveLength(requests.length);
    expect(Object.keys(associations)).toHaveLength(requests.flatMap((r) => r.associate).length);
    // Each association refers to the entry of its principal.
    for (const [, [a]] of Object.entries(associations)) {
      const ref = /^\$\{aws_eks_access_entry\.(\w+)\.principal_arn\}$/.exec(
        (a as Block)['principal_arn'] as string,
      );
      expect(ref?.[1] !== undefined && ref[1] in entries).toBe(true);
    }
  });
});

describe.skipIf(skip !== undefined)('the hostile corpus through terraform', () => {
  const checked = { values: 0, passed: 0 };
  afterAll(() => {
    console.log(
      `terraform: ${checked.passed}/${checked.values} rendered values evaluated to the plan's value; ${corpusValuesCarried(requests)} corpus values carried`,
    );
  });

  it('evaluates every rendered string to the plan value', async () => {
    const exprs = expressions(text);
    const values = await evaluate(exprs);
    const hcl = (await parseHcl('plan.tf', text)) as Hcl;
    const byArn = new Map(requests.map((r) => [r.create.principalArn, r]));
    const seen: EntryRequests[] = [];
    const compare = comparer(checked);
    for (const name of Object.keys(hcl.resource['aws_eks_access_entry'] ?? {})) {
      const at = (attr: string): unknown => values[`aws_eks_access_entry.${name}.${attr}`];
      const request = byArn.get(at('principal_arn') as string);
      expect(request, `aws_eks_access_entry.${name}`).toBeDefined();
      const create = (request as EntryRequests).create;
      compare(at('principal_arn'), create.principalArn);
      compare(at('cluster_name'), create.clusterName);
      compare(at('type'), create.type);
      compare(at('user_name') ?? undefined, create.username);
      compare(at('kubernetes_groups') ?? undefined, create.kubernetesGroups);
      seen.push(request as EntryRequests);
      const associations = Object.entries(
        hcl.resource['aws_eks_access_policy_association'] ?? {},
      ).filter(
        ([, [a]]) =>
          (a as Block)['principal_arn'] === `\${aws_eks_access_entry.${name}.principal_arn}`,
      );
      expect(associations).toHaveLength((request as EntryRequests).associate.length);
      for (const [assoc] of associations) {
        const v = (attr: string): unknown =>
          values[`aws_eks_access_policy_association.${assoc}.${attr}`];
        const wanted = (request as EntryRequests).associate.find(
          (a) => a.policyArn === v('policy_arn'),
        );
        expect(wanted, assoc).toBeDefined();
        compare(v('policy_arn'), wanted?.policyArn);
        compare(v('access_scope.type'), wanted?.accessScope.type);
        compare(v('access_scope.namespaces') ?? undefined, wanted?.accessScope.namespaces);
      }
    }
    expect(seen).toHaveLength(requests.length);
    expect(checked.values).toBeGreaterThanOrEqual(placements(requests).length);
  }, 300_000);
});
