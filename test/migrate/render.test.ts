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
import { execFileSync } from 'node:child_process';
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

/** The plan's requests back from `aws eks …` words. */
function fromShell(text: string): EntryRequests[] {
  const out: EntryRequests[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const words = parseShell(line);
    expect(
      words.every((w) => typeof w === 'string'),
      `no shell operators in: ${line}`,
    ).toBe(true);
    const argv = words as string[];
    const flag = (name: string): string[] => {
      const at = argv.indexOf(name);
      if (at === -1) return [];
      const values: string[] = [];
      for (const w of argv.slice(at + 1)) {
        if (w.startsWith('--')) break;
        values.push(w);
      }
      return values;
    };
    expect(argv.slice(0, 2)).toEqual(['aws', 'eks']);
    if (argv[2] === 'create-access-entry') {
      const username = flag('--username')[0];
      const groups = flag('--kubernetes-groups');
      out.push({
        create: {
          clusterName: flag('--cluster-name')[0] as string,
          principalArn: flag('--principal-arn')[0] as string,
          type: flag('--type')[0] as never,
          ...(username === undefined ? {} : { username }),
          ...(groups.length === 0 ? {} : { kubernetesGroups: groups }),
        },
        associate: [],
      });
    } else {
      expect(argv[2]).toBe('associate-access-policy');
      const scope = Object.fromEntries(
        (flag('--access-scope')[0] as string)
          .split(/,(?=[a-z]+=)/)
          .map((kv) => kv.split('=') as [string, string]),
      );
      out.at(-1)?.associate.push({
        clusterName: flag('--cluster-name')[0] as string,
        principalArn: flag('--principal-arn')[0] as string,
        policyArn: flag('--policy-arn')[0] as string,
        accessScope:
          scope['type'] === 'cluster'
            ? { type: 'cluster' }
            : { type: 'namespace', namespaces: (scope['namespaces'] as string).split(',') },
      });
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
    expect(await parse(text)).toEqual(expected);
  });

  it('JSON is the default format', () => {
    expect(renderMigration(scoped)).toBe(renderMigration(scoped, { format: 'json' }));
  });

  it('refuses an unknown format', () => {
    expect(() => renderMigration(scoped, { format: 'yaml' as never })).toThrow(TypeError);
  });

  it('renders an empty plan in every format', async () => {
    const empty: MigrationPlan = { ...plan, entries: [] };
    expect(fromJson(renderMigration(empty, { format: 'json' }))).toEqual([]);
    expect(fromShell(renderMigration(empty, { format: 'aws-cli' }))).toEqual([]);
    expect(
      (
        load(renderMigration(empty, { format: 'cloudformation' }), {
          schema: CFN_SCHEMA,
        }) as CfnTemplate
      ).Resources,
    ).toEqual({});
    expect(await parseHcl('empty.tf', renderMigration(empty, { format: 'terraform' }))).toEqual({});
  });
});

describe('control characters from a hostile ConfigMap in the aws eks commands', () => {
  // A username and a group carrying a terminal escape, a line break and a
  // quote: the script must hold none of them raw (no forged lines, no escape
  // sequences on a terminal), and bash must still pass the exact values on.
  const USER = "ci\u001b[31mRED\nforged: 'x' \\ é";
  const GROUP = 'dev\u001b[2J\u0085';
  const hostile = planAccessEntryMigration(
    {
      mapRoles: [
        `- rolearn: arn:aws:iam::${A}:role/ci`,
        `  username: ${JSON.stringify(USER)}`,
        `  groups: [${JSON.stringify(GROUP)}]`,
      ].join('\n'),
    },
    { clusterName: 'prod-1' },
  );
  const script = renderMigration(hostile, { format: 'aws-cli' });

  it('holds no raw control character', () => {
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    expect(script.replaceAll('\n', '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(script.trimEnd().split('\n')).toHaveLength(2);
  });

  it('bash reads back the exact username and group', () => {
    const command = script.split('\n')[1] as string;
    // `aws` replaced by a printf of every word, NUL-separated.
    const words = execFileSync('bash', ['-c', `printf '%s\\0' ${command.slice('aws '.length)}`], {
      encoding: 'utf8',
    }).split('\0');
    expect(words[words.indexOf('--username') + 1]).toBe(USER);
    expect(words[words.indexOf('--kubernetes-groups') + 1]).toBe(GROUP);
  });
});
