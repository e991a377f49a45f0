/**
 * Every rendered form of a plan, parsed back with a real parser for its
 * format and compared with the plan: JSON with JSON.parse, the `aws eks`
 * commands with shell-quote's shell-words parser, CloudFormation as YAML with
 * its intrinsic tags (js-yaml custom tags), Terraform with @cdktf/hcl2json.
 * The plan holds hostile strings (quotes, `$(…)`, `${…}`, `%{…}`,
 * backslashes, non-ASCII): none may change meaning in any format.
 * Request shapes: CreateAccessEntry / AssociateAccessPolicy,
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html;
 * AWS::EKS::AccessEntry,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-eks-accessentry.html.
 */
import { parse as parseHcl } from '@cdktf/hcl2json';
import { CORE_SCHEMA, defineScalarTag, load } from 'js-yaml';
import { parse as parseShell } from 'shell-quote';
import { describe, expect, it } from 'vitest';
import { planAccessEntryMigration } from '../../src/migrate/plan.js';
import { renderMigration } from '../../src/migrate/render/index.js';
import type { MigrationFormat } from '../../src/migrate/render/index.js';
import { planRequests } from '../../src/migrate/render/requests.js';
import type { EntryRequests } from '../../src/migrate/render/requests.js';
import type { MigrationPlan } from '../../src/migrate/types.js';
import { findControlCharacter } from '../../src/util/control-characters.js';

const A = '111122223333';
const HOSTILE_USER = `o'brien:$(id)\${HOME}%{x}"\\é:{{SessionName}}`;
const HOSTILE_GROUP = `ops team's "quoted" $(rm -rf /) \${var.x}`;

const plan: MigrationPlan = planAccessEntryMigration(
  {
    mapRoles: [
      `- rolearn: arn:aws:iam::${A}:role/nodes`,
      '  username: system:node:{{EC2PrivateDNSName}}',
      '  groups: [system:bootstrappers, system:nodes]',
      `- rolearn: arn:aws:iam::${A}:role/AWSReservedSSO_Admin_0123456789abcdef`,
      '  username: "sso:{{SessionName}}"',
      '  groups: [system:masters, platform]',
      `- rolearn: arn:aws:iam::${A}:role/hostile`,
      `  username: ${JSON.stringify(HOSTILE_USER)}`,
      `  groups: [${JSON.stringify(HOSTILE_GROUP)}, plain]`,
    ].join('\n'),
    mapUsers: `- userarn: arn:aws:iam::${A}:user/viewer\n  username: viewer\n`,
  },
  {
    clusterName: 'prod-1',
    includeNodeRoles: true,
    principalArns: [
      `arn:aws:iam::${A}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef`,
    ],
  },
);

// A namespace-scoped policy too, as the renderers must handle both scopes.
const scoped: MigrationPlan = {
  ...plan,
  entries: plan.entries.map((e) =>
    e.principalArn.endsWith('user/viewer')
      ? {
          ...e,
          accessPolicies: [
            {
              policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
              accessScope: { type: 'namespace', namespaces: ['team-a', 'dev-*'] },
            },
          ],
        }
      : e,
  ),
};

const expected: EntryRequests[] = planRequests(scoped);

/**
 * The plan's requests back from the script: after the shebang, comments and
 * `set -euo pipefail`, every line is `aws eks <operation> --cli-input-json
 * '<JSON>'`, five shell words, the request whole in the JSON.
 */
function fromShell(text: string): EntryRequests[] {
  const lines = text.split('\n');
  expect(lines[0]).toBe('#!/usr/bin/env bash');
  expect(lines.filter((l) => !l.startsWith('#'))[0]).toBe('set -euo pipefail');
  const out: EntryRequests[] = [];
  for (const line of lines) {
    if (line === '' || line.startsWith('#') || line === 'set -euo pipefail') continue;
    const words = parseShell(line);
    expect(words, line).toHaveLength(5);
    expect(
      words.every((w) => typeof w === 'string'),
      `no shell operators in: ${line}`,
    ).toBe(true);
    const [aws, eks, operation, flag, json] = words as string[];
    expect([aws, eks, flag]).toEqual(['aws', 'eks', '--cli-input-json']);
    const request = JSON.parse(json as string) as never;
    if (operation === 'create-access-entry') {
      out.push({ create: request, associate: [] });
    } else {
      expect(operation).toBe('associate-access-policy');
      out.at(-1)?.associate.push(request);
    }
  }
  return out;
}

// CloudFormation's short-form intrinsic functions, as YAML tags.
const CFN_SCHEMA = CORE_SCHEMA.withTags(
  ...['Ref', 'Sub', 'GetAtt'].map((name) =>
    defineScalarTag(`!${name}`, {
      resolve: (source) => ({ [name === 'Ref' ? 'Ref' : `Fn::${name}`]: source }),
      identify: () => false,
    }),
  ),
);

interface CfnTemplate {
  Parameters: { ClusterName: { Default: string } };
  Resources: Record<
    string,
    {
      Type: string;
      Properties: {
        ClusterName: unknown;
        PrincipalArn: string;
        Type: string;
        Username?: string;
        KubernetesGroups?: string[];
        AccessPolicies?: {
          PolicyArn: string;
          AccessScope: { Type: string; Namespaces?: string[] };
        }[];
      };
    }
  >;
}

function fromCloudFormation(text: string): EntryRequests[] {
  const template = load(text, { schema: CFN_SCHEMA }) as CfnTemplate;
  const cluster = template.Parameters.ClusterName.Default;
  return Object.values(template.Resources).map(({ Type, Properties: p }) => {
    expect(Type).toBe('AWS::EKS::AccessEntry');
    expect(p.ClusterName).toEqual({ Ref: 'ClusterName' });
    return {
      create: {
        clusterName: cluster,
        principalArn: p.PrincipalArn,
        type: p.Type as never,
        ...(p.Username === undefined ? {} : { username: p.Username }),
        ...(p.KubernetesGroups === undefined ? {} : { kubernetesGroups: p.KubernetesGroups }),
      },
      associate: (p.AccessPolicies ?? []).map((a) => ({
        clusterName: cluster,
        principalArn: p.PrincipalArn,
        policyArn: a.PolicyArn,
        accessScope:
          a.AccessScope.Type === 'cluster'
            ? { type: 'cluster' as const }
            : { type: 'namespace' as const, namespaces: a.AccessScope.Namespaces ?? [] },
      })),
    };
  });
}

// hcl2json keeps template escapes as written; Terraform reads `$${` as `${` and `%%{` as `%{`.
const literal = (value: string): string => value.replaceAll('$${', '${').replaceAll('%%{', '%{');

async function fromTerraform(text: string): Promise<EntryRequests[]> {
  type Block = Record<string, unknown>;
  const json = (await parseHcl('plan.tf', text)) as {
    resource: Record<string, Record<string, Block[]>>;
  };
  const entries = json.resource['aws_eks_access_entry'] ?? {};
  const associations = json.resource['aws_eks_access_policy_association'] ?? {};
  return Object.entries(entries).map(([name, [e]]) => {
    const entry = e as Record<string, string | string[] | undefined>;
    const groups = entry['kubernetes_groups'] as string[] | undefined;
    const username = entry['user_name'] as string | undefined;
    const principalArn = literal(entry['principal_arn'] as string);
    const clusterName = literal(entry['cluster_name'] as string);
    return {
      create: {
        clusterName,
        principalArn,
        type: entry['type'] as never,
        ...(username === undefined ? {} : { username: literal(username) }),
        ...(groups === undefined ? {} : { kubernetesGroups: groups.map(literal) }),
      },
      associate: Object.values(associations)
        .map(([a]) => a as Record<string, unknown>)
        .filter((a) => a['principal_arn'] === `\${aws_eks_access_entry.${name}.principal_arn}`)
        .map((a) => {
          expect(a['cluster_name']).toBe(`\${aws_eks_access_entry.${name}.cluster_name}`);
          const [scope] = a['access_scope'] as { type: string; namespaces?: string[] }[];
          return {
            clusterName,
            principalArn,
            policyArn: literal(a['policy_arn'] as string),
            accessScope:
              scope?.type === 'cluster'
                ? { type: 'cluster' as const }
                : {
                    type: 'namespace' as const,
                    namespaces: (scope?.namespaces ?? []).map(literal),
                  },
          };
        }),
    };
  });
}

function fromJson(text: string): EntryRequests[] {
  const json = JSON.parse(text) as {
    createAccessEntry: EntryRequests['create'][];
    associateAccessPolicy: EntryRequests['associate'];
  };
  return json.createAccessEntry.map((create) => ({
    create,
    associate: json.associateAccessPolicy.filter((a) => a.principalArn === create.principalArn),
  }));
}

describe('rendered plans parse back to the plan', () => {
  it('the fixture holds both scopes, every entry kind and the hostile strings', () => {
    expect(expected.map((r) => r.create.type)).toEqual([
      'EC2_LINUX',
      'STANDARD',
      'STANDARD',
      'STANDARD',
    ]);
    expect(expected.flatMap((r) => r.associate.map((a) => a.accessScope.type))).toEqual([
      'cluster',
      'namespace',
    ]);
    expect(expected[2]?.create).toMatchObject({
      username: HOSTILE_USER,
      kubernetesGroups: [HOSTILE_GROUP, 'plain'],
    });
  });

  it.each<[MigrationFormat, (text: string) => EntryRequests[] | Promise<EntryRequests[]>]>([
    ['json', fromJson],
    ['aws-cli', fromShell],
    ['cloudformation', fromCloudFormation],
    ['terraform', fromTerraform],
  ])('%s', async (format, parse) => {
    const text = renderMigration(scoped, { format });
    // Resource names are not positions, so a reader of HCL may list them in any order.
    const order = expected.map((r) => r.create.principalArn);
    const byPlanOrder = (a: EntryRequests, b: EntryRequests): number =>
      order.indexOf(a.create.principalArn) - order.indexOf(b.create.principalArn);
    expect((await parse(text)).sort(byPlanOrder)).toEqual(expected);
  });

  it('JSON is the default format', () => {
    expect(renderMigration(scoped)).toBe(renderMigration(scoped, { format: 'json' }));
  });

  it('refuses an unknown format', () => {
    expect(() => renderMigration(scoped, { format: 'yaml' as never })).toThrow(TypeError);
  });

  it('renders an empty plan as nothing to do, and no CloudFormation template at all', async () => {
    const empty: MigrationPlan = { ...plan, entries: [] };
    expect(fromJson(renderMigration(empty, { format: 'json' }))).toEqual([]);
    expect(fromShell(renderMigration(empty, { format: 'aws-cli' }))).toEqual([]);
    expect(await parseHcl('empty.tf', renderMigration(empty, { format: 'terraform' }))).toEqual({});
    // CloudFormation refuses `Resources: {}`: say so instead of printing it.
    expect(() => renderMigration(empty, { format: 'cloudformation' })).toThrow(
      expect.objectContaining({ code: 'ERR_MIGRATION_RENDER', reason: 'empty-plan' }),
    );
  });

  it.each<MigrationFormat>(['json', 'aws-cli', 'cloudformation', 'terraform'])(
    '%s is printable ASCII: other characters are escapes',
    (format) => {
      expect(renderMigration(scoped, { format })).toMatch(/^[\n\x20-\x7e]*$/);
    },
  );
});

describe('control characters from a hostile ConfigMap', () => {
  // A username and a group carrying a terminal escape, a line break and NEL:
  // losses, so no format prints them, and a plan edited to hold them is refused.
  const USER = "ci\u001b[31mRED\nforged: 'x' \\ é";
  const GROUP = 'dev\u001b[2J\u0085';
  const hostile = planAccessEntryMigration(
    {
      mapRoles: [
        `- rolearn: arn:aws:iam::${A}:role/ci`,
        `  username: ${JSON.stringify(USER)}`,
        `  groups: [${JSON.stringify(GROUP)}, plain]`,
      ].join('\n'),
    },
    { clusterName: 'prod-1' },
  );

  it('are losses, and the entry keeps only what is safe', () => {
    expect(hostile.losses.map((l) => [l.code, l.index])).toEqual([
      ['control-character', 0],
      ['control-character', 0],
    ]);
    expect(hostile.entries).toEqual([expect.objectContaining({ kubernetesGroups: ['plain'] })]);
    expect(hostile.entries[0]).not.toHaveProperty('username');
    // The messages quote the values with the characters escaped.
    for (const loss of hostile.losses) expect(findControlCharacter(loss.message)).toBeUndefined();
  });

  it.each<MigrationFormat>(['json', 'aws-cli', 'cloudformation', 'terraform'])(
    '%s refuses a plan edited to carry them',
    (format) => {
      const edited: MigrationPlan = {
        ...hostile,
        entries: hostile.entries.map((e) => ({ ...e, kubernetesGroups: [GROUP] })),
      };
      expect(() => renderMigration(edited, { format })).toThrow(
        expect.objectContaining({ code: 'ERR_MIGRATION_RENDER', reason: 'unsafe-value' }),
      );
    },
  );
});
