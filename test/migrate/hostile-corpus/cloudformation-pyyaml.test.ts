/**
 * The hostile corpus through PyYAML, the YAML reader of the AWS CLI
 * (`aws cloudformation deploy` and `package`:
 * awscli/customizations/cloudformation/yamlhelper.py, a `yaml.SafeLoader`)
 * and of cfn-lint: a reader other than this package's tests' own
 * (cloudformation.test.ts reads with the `yaml` package). Every value must
 * read back exactly as planned, with both PyYAML loaders: the pure-Python
 * one and libyaml's (where PyYAML has it).
 *
 * Regression: characters above U+FFFF were written as two `\uXXXX` halves,
 * as JSON spells them. The `yaml` package joins the halves; PyYAML's
 * pure-Python loader keeps each as a lone surrogate (a value no AWS API
 * takes) and libyaml refuses the template ("found invalid Unicode character
 * escape code"). One `\UXXXXXXXX` escape is read alike by all three.
 *
 * python3 with PyYAML is found on PATH (Debian: python3-yaml, which .ci/run
 * installs when missing); locally the test skips with the reason printed
 * when it is absent, under CI it fails.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { renderMigration } from '../../../src/migrate/render/index.js';
import type { EntryRequests } from '../../../src/migrate/render/requests.js';
import type { MigrationPlan } from '../../../src/migrate/types.js';
import { runTool } from '../../support/external-tool.js';
import type { Template } from '../../support/cloudformation-template.js';
import { toolForTests } from '../../support/tools.js';
import { CLUSTER, comparer, CORPUS, placements, widePlan } from './corpus.js';

const READER = fileURLToPath(new URL('../../support/pyyaml-read-template.py', import.meta.url));

const python = toolForTests(
  'python3',
  'the CloudFormation template is read with PyYAML, as the AWS CLI and cfn-lint read it',
  (found) =>
    spawnSync(found, ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0
      ? undefined
      : `${found} cannot import yaml (PyYAML; Debian: python3-yaml)`,
);

/** What the reader script printed: per loader, the template or the error. */
interface PyYamlAnswer {
  version: string;
  loaders: Record<string, { template: Template } | { error: string }>;
}

async function readWithPyYaml(text: string): Promise<PyYamlAnswer> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined) env[key] = value;
  }
  const run = await runTool(python as string, [READER], { cwd: process.cwd(), env, input: text });
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as PyYamlAnswer;
}

const { plan, requests } = widePlan();
const CHUNK = 300;
const chunks: MigrationPlan[] = [];
for (let i = 0; i < plan.entries.length; i += CHUNK) {
  chunks.push({ ...plan, entries: plan.entries.slice(i, i + CHUNK) });
}

describe.skipIf(python === undefined)('the hostile corpus through PyYAML', () => {
  const checked = { values: 0, passed: 0 };
  const loaders = new Set<string>();
  let version = '';
  afterAll(() => {
    console.log(
      `cloudformation (PyYAML ${version}, ${[...loaders].join(' and ')}): ${checked.passed}/${checked.values} values read back as planned`,
    );
  });

  it('the corpus holds characters above U+FFFF, so the check is not vacuous', () => {
    expect(
      CORPUS.some(({ value }) => [...value].some((c) => (c.codePointAt(0) ?? 0) > 0xffff)),
    ).toBe(true);
  });

  it('reads every value back as planned, with every PyYAML loader', async () => {
    const byArn = new Map(requests.map((r) => [r.create.principalArn, r]));
    const compare = comparer(checked);
    for (const chunk of chunks) {
      const answer = await readWithPyYaml(renderMigration(chunk, { format: 'cloudformation' }));
      version = answer.version;
      expect(Object.keys(answer.loaders)).toContain('SafeLoader');
      for (const [loader, result] of Object.entries(answer.loaders)) {
        loaders.add(loader);
        expect('error' in result ? result.error : undefined, loader).toBeUndefined();
        const template = (result as { template: Template }).template;
        compare(template.Parameters.ClusterName.Default, CLUSTER);
        expect(Object.keys(template.Resources)).toHaveLength(chunk.entries.length);
        for (const resource of Object.values(template.Resources)) {
          const p = resource.Properties;
          const request = byArn.get(p.PrincipalArn) as EntryRequests;
          expect(request, `${loader}: ${p.PrincipalArn}`).toBeDefined();
          compare(p.Username, request.create.username);
          compare(p.KubernetesGroups, request.create.kubernetesGroups);
          (p.AccessPolicies ?? []).forEach((policy, i) => {
            compare(policy.AccessScope.Namespaces, request.associate[i]?.accessScope.namespaces);
          });
        }
      }
    }
    expect(checked.values).toBeGreaterThanOrEqual(placements(requests).length - requests.length);
  });
});
