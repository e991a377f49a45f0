/**
 * planAccessEntryMigration (SPEC 4.7): every migration rule, every loss and
 * warning code, and plan.check(). AWS facts: "Migrating existing aws-auth
 * ConfigMap entries to access entries",
 * https://docs.aws.amazon.com/eks/latest/userguide/migrating-access-entries.html;
 * "Create access entries" (types, paths, service-linked roles, node types in
 * the cluster's account), https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html;
 * policy ARNs from "Review access policy permissions",
 * https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html.
 * aws-auth precedence (rolearn, then sso, then mapUsers; a later duplicate
 * wins) is mapIdentity's, which follows pkg/mapper/configmap/configmap.go.
 */
import { describe, expect, it } from 'vitest';
import { planAccessEntryMigration } from '../../src/migrate/plan.js';
import type {
  MigrationIssueCode,
  PlanAccessEntryMigrationOptions,
} from '../../src/migrate/types.js';

const A = '111122223333';
const role = (name: string, account = A, partition = 'aws'): string =>
  `arn:${partition}:iam::${account}:role/${name}`;

function awsAuth(mapRoles: string, mapUsers = '', mapAccounts = ''): Record<string, string> {
  return { mapRoles, mapUsers, mapAccounts };
}

function entry(arn: string, username: string, groups: string[]): string {
  return `- rolearn: ${arn}\n  username: "${username}"\n  groups: [${groups.map((g) => JSON.stringify(g)).join(', ')}]\n`;
}

const NODE = entry(role('nodes'), 'system:node:{{EC2PrivateDNSName}}', [
  'system:bootstrappers',
  'system:nodes',
]);
const base: PlanAccessEntryMigrationOptions = { clusterName: 'prod' };
// Node and Fargate entries are planned only on request or when missing (see the node-role rows).
const nodes: PlanAccessEntryMigrationOptions = { ...base, includeNodeRoles: true };

describe('migration rules', () => {
  it.each<[string, string, PlanAccessEntryMigrationOptions, Record<string, unknown>]>([
    [
      'node role → EC2_LINUX, no username or groups',
      NODE,
      nodes,
      { type: 'EC2_LINUX', kubernetesGroups: [], accessPolicies: [] },
    ],
    [
      'Windows node role (eks:kube-proxy-windows) → EC2_WINDOWS',
      entry(role('win'), 'system:node:{{EC2PrivateDNSName}}', [
        'system:bootstrappers',
        'system:nodes',
        'eks:kube-proxy-windows',
      ]),
      nodes,
      { type: 'EC2_WINDOWS' },
    ],
    [
      'Fargate pod execution role (system:node-proxier) → FARGATE_LINUX',
      entry(role('fargate'), 'system:node:{{SessionName}}', [
        'system:bootstrappers',
        'system:nodes',
        'system:node-proxier',
      ]),
      nodes,
      { type: 'FARGATE_LINUX' },
    ],
    [
      'hybrid node role (system:node:{{SessionName}} without node-proxier) → HYBRID_LINUX',
      entry(role('hybrid'), 'system:node:{{SessionName}}', [
        'system:bootstrappers',
        'system:nodes',
      ]),
      base,
      { type: 'HYBRID_LINUX' },
    ],
    [
      'system:masters → AmazonEKSClusterAdminPolicy at cluster scope, other groups kept',
      entry(role('admin'), 'admin:{{SessionName}}', ['system:masters', 'ops']),
      base,
      {
        type: 'STANDARD',
        username: 'admin:{{SessionName}}',
        kubernetesGroups: ['ops'],
        accessPolicies: [
          {
            policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
            accessScope: { type: 'cluster', namespaces: [] },
          },
        ],
      },
    ],
    [
      'aws-cn: the policy ARN is in the principal partition',
      entry(role('admin', A, 'aws-cn'), 'admin:{{SessionName}}', ['system:masters']),
      base,
      {
        accessPolicies: [
          expect.objectContaining({
            policyArn: 'arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          }),
        ],
      },
    ],
    [
      'aws-us-gov: the policy ARN is in the principal partition',
      entry(role('admin', A, 'aws-us-gov'), 'admin:{{SessionName}}', ['system:masters']),
      base,
      {
        accessPolicies: [
          expect.objectContaining({
            policyArn: 'arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          }),
        ],
      },
    ],
    [
      'the role path comes from principalArns (a list of real ARNs)',
      entry(role('AWSReservedSSO_Admin_0123456789abcdef'), 'sso:{{SessionName}}', ['ops']),
      {
        ...base,
        principalArns: [
          role('aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef'),
        ],
      },
      {
        principalArn: role(
          'aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef',
        ),
      },
    ],
    [
      'the role path comes from principalArns (a map, any account)',
      entry(role('deploy', '444455556666'), 'ci:{{SessionName}}', ['ci']),
      {
        ...base,
        principalArns: { [role('deploy', '444455556666')]: role('team/deploy', '444455556666') },
      },
      { principalArn: role('team/deploy', '444455556666') },
    ],
  ])('%s', (_name, mapRoles, options, expected) => {
    const plan = planAccessEntryMigration(awsAuth(mapRoles), options);
    expect(plan.entries).toHaveLength(1);
    expect(plan.entries[0]).toMatchObject(expected);
  });

  it("leaves a username equal to EKS's default to EKS", () => {
    const plan = planAccessEntryMigration(
      awsAuth(entry(role('dev'), `arn:aws:sts::${A}:assumed-role/dev/{{SessionName}}`, ['devs'])),
      base,
    );
    expect(plan.entries[0]).toMatchObject({ type: 'STANDARD', kubernetesGroups: ['devs'] });
    expect(plan.entries[0]).not.toHaveProperty('username');
  });

  it('maps users, with their paths as written (STS reports user paths)', () => {
    const plan = planAccessEntryMigration(
      awsAuth(
        '',
        `- userarn: arn:aws:iam::${A}:user/team/alice\n  username: alice\n  groups: [devs]\n`,
      ),
      base,
    );
    expect(plan.entries).toEqual([
      expect.objectContaining({
        principalArn: `arn:aws:iam::${A}:user/team/alice`,
        type: 'STANDARD',
        username: 'alice',
        kubernetesGroups: ['devs'],
      }),
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('finds an SSO entry role in principalArns', () => {
    const sso =
      '- sso: {permissionSetName: Admin, accountID: "111122223333"}\n  username: "sso:{{SessionName}}"\n  groups: [ops]\n';
    const real = role('aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef');
    const plan = planAccessEntryMigration(awsAuth(sso), {
      ...base,
      principalArns: [real, role('other')],
    });
    expect(plan.entries).toEqual([
      expect.objectContaining({
        principalArn: real,
        username: 'sso:{{SessionName}}',
        kubernetesGroups: ['ops'],
      }),
    ]);
    expect(plan.losses).toEqual([]);
  });
});

describe('losses and warnings: one row per code', () => {
  const sso =
    '- sso: {permissionSetName: Admin, accountID: "111122223333"}\n  username: "sso:{{SessionName}}"\n';
  it.each<
    [
      MigrationIssueCode,
      Record<string, string>,
      Partial<PlanAccessEntryMigrationOptions>,
      'loss' | 'warning',
      string,
    ]
  >([
    ['map-accounts', awsAuth('', '', '- "444455556666"\n'), {}, 'loss', 'mapAccounts'],
    [
      'system-group',
      awsAuth(entry(role('r'), 'r:{{SessionName}}', ['system:monitoring', 'ops'])),
      {},
      'loss',
      'mapRoles',
    ],
    [
      'node-extra-group',
      awsAuth(
        entry(role('karpenter'), 'system:node:{{EC2PrivateDNSName}}', [
          'system:bootstrappers',
          'system:nodes',
          'system:node-proxier',
        ]),
      ),
      {},
      'loss',
      'mapRoles',
    ],
    [
      'username-reserved',
      awsAuth(entry(role('r'), 'eks:operator', ['ops'])),
      {},
      'loss',
      'mapRoles',
    ],
    [
      'username-session-colon',
      awsAuth(entry(role('r'), 'dev-{{SessionName}}', ['ops'])),
      {},
      'loss',
      'mapRoles',
    ],
    [
      'unsupported-template',
      awsAuth(entry(role('r'), 'acct:{{AccountID}}', ['ops'])),
      {},
      'loss',
      'mapRoles',
    ],
    [
      'username-empty',
      awsAuth(`- rolearn: ${role('r')}\n  groups: [ops]\n`),
      {},
      'loss',
      'mapRoles',
    ],
    [
      'service-linked-role',
      awsAuth(entry(role('AWSServiceRoleForAmazonEKSNodegroup'), 'x:{{SessionName}}', ['ops'])),
      {},
      'loss',
      'mapRoles',
    ],
    ['sso-without-arn', awsAuth(sso), {}, 'loss', 'mapRoles'],
    [
      // A path-less rolearn for an IAM Identity Center role names no role (terraform-aws-eks#2969).
      'sso-without-arn',
      awsAuth(entry(role('AWSReservedSSO_Admin_0123456789abcdef'), 'sso:{{SessionName}}', ['ops'])),
      {},
      'loss',
      'mapRoles',
    ],
    [
      'existing-entry',
      awsAuth(entry(role('r'), 'r:{{SessionName}}', ['ops'])),
      { existingAccessEntries: [{ principalArn: role('r'), kubernetesGroups: ['other'] }] },
      'loss',
      'mapRoles',
    ],
    [
      'duplicate',
      awsAuth(
        entry(role('r'), 'a:{{SessionName}}', ['a']) + entry(role('r'), 'b:{{SessionName}}', ['b']),
      ),
      {},
      'loss',
      'mapRoles',
    ],
    [
      // parseAwsAuth drops such entries; a parsed AwsAuth written elsewhere may still hold one.
      'invalid-principal',
      {
        mapRoles: [
          { roleArn: 'arn:aws:iam::1:role/short-account', username: 'x', groups: [], index: 0 },
        ],
        mapUsers: [],
        mapAccounts: [],
        diagnostics: [],
      } as never,
      {},
      'loss',
      'mapRoles',
    ],
    [
      'cross-account-node',
      awsAuth(
        NODE +
          entry(role('nodes2', '444455556666'), 'system:node:{{EC2PrivateDNSName}}', [
            'system:nodes',
          ]),
      ),
      { clusterAccountId: A },
      'loss',
      'mapRoles',
    ],
    [
      'control-character',
      awsAuth(entry(role('r'), 'r:{{SessionName}}', ['cluster-admins\u0000-readonly'])),
      {},
      'loss',
      'mapRoles',
    ],
    [
      'dynamic-reference',
      awsAuth(entry(role('r'), 'r:{{SessionName}}', ['{{resolve:ssm:/prod/group}}'])),
      {},
      'loss',
      'mapRoles',
    ],
    ['node-role-not-planned', awsAuth(NODE), {}, 'warning', 'mapRoles'],
    [
      'role-arn-unconfirmed',
      awsAuth(entry(role('r'), 'r:{{SessionName}}', ['ops'])),
      {},
      'warning',
      'mapRoles',
    ],
    [
      'cross-account',
      awsAuth(NODE + entry(role('ci', '444455556666'), 'ci:{{SessionName}}', ['ci'])),
      {},
      'warning',
      'mapRoles',
    ],
    [
      'never-matched',
      awsAuth(entry(role('team/r'), 'r:{{SessionName}}', ['ops'])),
      {},
      'warning',
      'mapRoles',
    ],
    [
      'existing-entry-equivalent',
      awsAuth(entry(role('r'), 'r:{{SessionName}}', ['ops'])),
      {
        existingAccessEntries: [
          { principalArn: role('r'), username: 'r:{{SessionName}}', kubernetesGroups: ['ops'] },
        ],
      },
      'warning',
      'mapRoles',
    ],
  ])('%s', (code, input, options, kind, key) => {
    const plan = planAccessEntryMigration(input, { ...base, ...options });
    const list = kind === 'loss' ? plan.losses : plan.warnings;
    expect(list.map((i) => i.code)).toContain(code);
    expect(list.find((i) => i.code === code)).toMatchObject({
      key,
      index: expect.any(Number),
      message: expect.any(String),
    });
    expect(plan.canSwitchToApi).toBe(plan.losses.length === 0);
    if (kind === 'loss') expect(plan.canSwitchToApi).toBe(false);
  });

  it('a duplicate names the entry aws-auth uses, and migrates that one', () => {
    const plan = planAccessEntryMigration(
      awsAuth(
        entry(role('r'), 'a:{{SessionName}}', ['a']) + entry(role('r'), 'b:{{SessionName}}', ['b']),
      ),
      base,
    );
    expect(plan.losses).toEqual([
      expect.objectContaining({
        code: 'duplicate',
        index: 0,
        message: expect.stringContaining('mapRoles[1]'),
      }),
    ]);
    expect(plan.entries).toEqual([expect.objectContaining({ username: 'b:{{SessionName}}' })]);
  });

  it('gives locations: aws-auth line numbers of text input', () => {
    const plan = planAccessEntryMigration(
      `mapRoles: |\n${entry(role('r'), 'eks:x', []).replace(/^/gm, '  ')}`,
      base,
    );
    expect(plan.losses[0]).toMatchObject({
      key: 'mapRoles',
      index: 0,
      line: 2,
      code: 'username-reserved',
    });
  });

  it('is lossless for a plain ConfigMap', () => {
    const plan = planAccessEntryMigration(
      awsAuth(NODE + entry(role('dev'), 'dev:{{SessionName}}', ['devs'])),
      {
        ...nodes,
        principalArns: [role('nodes'), role('dev')],
      },
    );
    expect(plan).toMatchObject({
      losses: [],
      warnings: [],
      canSwitchToApi: true,
      target: 'API',
      partition: 'aws',
    });
  });

  it.each<[string, unknown]>([
    ['no options', undefined],
    ['no cluster name', {}],
    ['a cluster name with a newline', { clusterName: 'a\nb' }],
    ['a cluster name with a quote', { clusterName: "a'b" }],
    ['a cluster name with a dynamic reference', { clusterName: '{{resolve:ssm:x}}' }],
    ['a cluster name over 100 characters', { clusterName: 'c'.repeat(101) }],
    ['a cluster name starting with "-"', { clusterName: '-c' }],
    ['includeNodeRoles not a boolean', { clusterName: 'c', includeNodeRoles: 'yes' }],
    ['an unknown target', { clusterName: 'c', target: 'CONFIG_MAP' }],
    ['principalArns with a non-ARN', { clusterName: 'c', principalArns: ['nope'] }],
    [
      'principalArns mapping one role to another',
      { clusterName: 'c', principalArns: { [role('a')]: role('x/b') } },
    ],
    ['a bad cluster account', { clusterName: 'c', clusterAccountId: '12' }],
  ])('TypeError for bad options: %s', (_name, options) => {
    expect(() => planAccessEntryMigration(awsAuth(NODE), options as never)).toThrow(TypeError);
  });
});

describe('plan.check()', () => {
  it('proves a lossless plan equivalent, with notes for node types and cluster admin', async () => {
    const plan = planAccessEntryMigration(
      awsAuth(
        NODE +
          entry(role('fargate'), 'system:node:{{SessionName}}', [
            'system:bootstrappers',
            'system:nodes',
            'system:node-proxier',
          ]) +
          entry(role('admin'), 'admin:{{SessionName}}', ['system:masters', 'ops']),
        `- userarn: arn:aws:iam::${A}:user/bob\n  username: bob\n  groups: [devs]\n`,
      ),
      { ...nodes, principalArns: [role('nodes'), role('fargate'), role('team/admin')] },
    );
    const check = await plan.check();
    expect(check).toMatchObject({ equivalent: true, differences: [] });
    expect(check.notes.map((n) => n.message)).toEqual([
      'node role moved to EC2_LINUX: same username and groups',
      'node role moved to FARGATE_LINUX: same username and groups',
      'system:masters replaced by AmazonEKSClusterAdminPolicy at cluster scope',
    ]);
  });

  it.each<[string, Record<string, string>, PlanAccessEntryMigrationOptions['target'], boolean]>([
    ['mapAccounts is lost under API', awsAuth('', '', '- "444455556666"\n'), 'API', false],
    [
      'mapAccounts still answers under API_AND_CONFIG_MAP',
      awsAuth('', '', '- "444455556666"\n'),
      'API_AND_CONFIG_MAP',
      true,
    ],
    [
      'a dropped system group changes the groups',
      awsAuth(entry(role('r'), 'r:{{SessionName}}', ['system:monitoring', 'ops'])),
      'API',
      false,
    ],
    [
      'a reserved username changes the username',
      awsAuth(entry(role('r'), 'eks:operator', ['ops'])),
      'API',
      false,
    ],
    [
      'an sso entry without its ARN is lost under API',
      awsAuth(
        '- sso: {permissionSetName: Admin, accountID: "111122223333"}\n  username: "sso:{{SessionName}}"\n',
      ),
      'API',
      false,
    ],
  ])('%s', async (_name, input, target, equivalent) => {
    const plan = planAccessEntryMigration(input, {
      ...base,
      ...(target === undefined ? {} : { target }),
    });
    const check = await plan.check();
    expect(check.equivalent).toBe(equivalent);
    expect(check.differences.length === 0).toBe(equivalent);
  });

  it('proves an sso entry equivalent through the roles found for it', async () => {
    const sso =
      '- sso: {permissionSetName: Admin, accountID: "111122223333"}\n  username: "sso:{{SessionName}}"\n  groups: [ops]\n';
    const real = role(
      'aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_fedcba9876543210',
    );
    const plan = planAccessEntryMigration(awsAuth(sso), { ...base, principalArns: [real] });
    expect(plan.entries).toHaveLength(1);
    expect(await plan.check()).toMatchObject({ equivalent: true, differences: [] });
  });

  it('checks extra ARNs too', async () => {
    const plan = planAccessEntryMigration(awsAuth(NODE), nodes);
    const check = await plan.check([
      `arn:aws:sts::${A}:assumed-role/nobody/x`,
      `arn:aws:iam::${A}:user/nobody`,
    ]);
    expect(check.equivalent).toBe(true);
    await expect(plan.check(['x', 1] as never)).rejects.toThrow(TypeError);
  });

  it('keeps existing entries in the picture: an existing entry that differs shows as a difference', async () => {
    const plan = planAccessEntryMigration(awsAuth(entry(role('r'), 'r:{{SessionName}}', ['ops'])), {
      ...base,
      existingAccessEntries: [{ principalArn: role('r'), kubernetesGroups: ['other'] }],
    });
    const check = await plan.check();
    expect(check.differences).toEqual([
      expect.objectContaining({ arn: `arn:aws:sts::${A}:assumed-role/r/eks-iam-auth-check` }),
    ]);
  });
});
