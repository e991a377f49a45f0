/**
 * parseAccessEntries (SPEC 4.5). Facts from the AWS EKS user guide:
 * - "Create access entries", https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
 *   (types, default usernames, reserved prefixes, the colon rule, node types
 *   take no groups or policies, service-linked roles, one entry per principal);
 * - "Set a custom username for EKS access entries",
 *   https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html;
 * - "Associate access policies with access entries",
 *   https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html
 *   (each policy once, namespace scope with `dev-*` wildcards);
 * - "Review access policy permissions",
 *   https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html;
 * - "Create a Node Class" (Auto Mode: type EC2 with AmazonEKSAutoNodePolicy),
 *   https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html#auto-node-access-entry.
 * The refusal of `system:` groups on STANDARD entries is the EKS API's error
 * "The kubernetes group name system:nodes is invalid, it cannot start with
 * system:" (eksctl-io/eksctl#7446, aws/karpenter-provider-aws#7558).
 */
import { describe, expect, it } from 'vitest';
import { parseAccessEntries } from '../../src/access-entries/parse.js';
import type { AccessEntries, AccessEntryType } from '../../src/access-entries/types.js';
import { AccessEntriesError } from '../../src/errors.js';

const ROLE = 'arn:aws:iam::111122223333:role/my-role';
const PATH_ROLE = 'arn:aws:iam::111122223333:role/development/apps/my-role';
const USER = 'arn:aws:iam::111122223333:user/my-user';
const VIEW = 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy';

function one(entry: Record<string, unknown>): AccessEntries {
  return parseAccessEntries({ accessEntries: [entry] });
}

function errors(parsed: AccessEntries): string[] {
  return parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => d.field ?? '');
}

describe('default usernames and groups per type (creating-access-entries.html, table)', () => {
  it.each<[string, string, AccessEntryType | undefined, string, string[]]>([
    ['user, STANDARD: the user ARN', USER, 'STANDARD', USER, []],
    ['user, type omitted: STANDARD', USER, undefined, USER, []],
    [
      'role, STANDARD: its STS session ARN with {{SessionName}}',
      ROLE,
      'STANDARD',
      'arn:aws:sts::111122223333:assumed-role/my-role/{{SessionName}}',
      [],
    ],
    [
      'role with a path, STANDARD: the path is removed from the username',
      PATH_ROLE,
      'STANDARD',
      'arn:aws:sts::111122223333:assumed-role/my-role/{{SessionName}}',
      [],
    ],
    [
      'aws-cn role: the partition is kept',
      'arn:aws-cn:iam::111122223333:role/my-role',
      'STANDARD',
      'arn:aws-cn:sts::111122223333:assumed-role/my-role/{{SessionName}}',
      [],
    ],
    [
      'EC2_LINUX',
      ROLE,
      'EC2_LINUX',
      'system:node:{{EC2PrivateDNSName}}',
      ['system:bootstrappers', 'system:nodes'],
    ],
    [
      'EC2_WINDOWS',
      ROLE,
      'EC2_WINDOWS',
      'system:node:{{EC2PrivateDNSName}}',
      ['system:bootstrappers', 'system:nodes', 'eks:kube-proxy-windows'],
    ],
    [
      'FARGATE_LINUX',
      ROLE,
      'FARGATE_LINUX',
      'system:node:{{SessionName}}',
      ['system:bootstrappers', 'system:nodes', 'system:node-proxier'],
    ],
    [
      'HYBRID_LINUX',
      ROLE,
      'HYBRID_LINUX',
      'system:node:{{SessionName}}',
      ['system:bootstrappers', 'system:nodes'],
    ],
    ['EC2 (Auto Mode)', ROLE, 'EC2', 'system:node:{{EC2PrivateDNSName}}', ['system:nodes']],
    [
      'HYPERPOD_LINUX (undocumented: assumed, with a warning)',
      ROLE,
      'HYPERPOD_LINUX',
      'system:node:{{EC2PrivateDNSName}}',
      ['system:nodes'],
    ],
  ])('%s', (_name, principalArn, type, username, groups) => {
    const parsed = one({ principalArn, ...(type === undefined ? {} : { type }) });
    expect(errors(parsed)).toEqual([]);
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.entries[0]).toMatchObject({
      username,
      kubernetesGroups: groups,
      defaultUsername: true,
    });
    expect(parsed.entries[0]?.type).toBe(type ?? 'STANDARD');
  });

  it('warns that HYPERPOD_LINUX usernames are an assumption', () => {
    const parsed = one({ principalArn: ROLE, type: 'HYPERPOD_LINUX' });
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', field: 'type' }),
    ]);
  });

  it('reads the username describe-access-entry reports as the default', () => {
    const parsed = one({
      principalArn: ROLE,
      type: 'EC2_LINUX',
      username: 'system:node:{{EC2PrivateDNSName}}',
      kubernetesGroups: ['system:nodes'],
    });
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.entries[0]?.defaultUsername).toBe(true);
  });
});

describe('type rules', () => {
  it.each<[string, Record<string, unknown>, string[], number]>([
    ['unknown type: entry dropped', { principalArn: ROLE, type: 'LINUX' }, ['type'], 0],
    [
      'type in lower case: entry dropped (values are case-sensitive)',
      { principalArn: ROLE, type: 'standard' },
      ['type'],
      0,
    ],
    [
      'node type on a user: entry dropped',
      { principalArn: USER, type: 'EC2_LINUX' },
      ['principalArn'],
      0,
    ],
    [
      'node type with a custom username: EKS refuses the entry, dropped (refused.test.ts)',
      { principalArn: ROLE, type: 'EC2_LINUX', username: 'node' },
      ['username'],
      0,
    ],
    [
      'node type with other groups: EKS refuses the entry, dropped (refused.test.ts)',
      { principalArn: ROLE, type: 'FARGATE_LINUX', kubernetesGroups: ['admins'] },
      ['kubernetesGroups[0]'],
      0,
    ],
    [
      'node type with an access policy: policy ignored',
      {
        principalArn: ROLE,
        type: 'EC2_LINUX',
        accessPolicies: [{ policyArn: VIEW, accessScope: { type: 'cluster' } }],
      },
      ['accessPolicies[0]'],
      1,
    ],
    [
      'EC2 with AmazonEKSAutoNodePolicy: accepted (create-node-class.html)',
      {
        principalArn: ROLE,
        type: 'EC2',
        accessPolicies: [
          {
            policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy',
            accessScope: { type: 'cluster' },
          },
        ],
      },
      [],
      1,
    ],
    [
      'EC2 with another policy: ignored',
      {
        principalArn: ROLE,
        type: 'EC2',
        accessPolicies: [{ policyArn: VIEW, accessScope: { type: 'cluster' } }],
      },
      ['accessPolicies[0]'],
      1,
    ],
  ])('%s', (_name, entry, fields, kept) => {
    const parsed = one(entry);
    expect(errors(parsed)).toEqual(fields);
    expect(parsed.entries).toHaveLength(kept);
  });
});

describe('principals', () => {
  it.each<[string, string, boolean]>([
    ['IAM role', ROLE, true],
    ['IAM role with a path (kept)', PATH_ROLE, true],
    ['IAM user', USER, true],
    [
      'STS assumed-role session ARN: invalid',
      'arn:aws:sts::111122223333:assumed-role/my-role/alice',
      false,
    ],
    ['STS federated user: invalid', 'arn:aws:sts::111122223333:federated-user/alice', false],
    ['account root: invalid', 'arn:aws:iam::111122223333:root', false],
    [
      'service-linked role: invalid',
      'arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS',
      false,
    ],
    ['not an ARN', 'my-role', false],
    ['unknown partition', 'arn:aws-xx:iam::111122223333:role/my-role', false],
  ])('%s', (_name, principalArn, ok) => {
    const parsed = one({ principalArn });
    expect(parsed.entries).toHaveLength(ok ? 1 : 0);
    expect(errors(parsed)).toEqual(ok ? [] : ['principalArn']);
    if (ok) expect(parsed.entries[0]?.principalArn).toBe(principalArn);
  });

  it('keeps one entry per principal: the second (same role, any path or case) is dropped', () => {
    const parsed = parseAccessEntries([
      { principalArn: ROLE },
      { principalArn: PATH_ROLE },
      { principalArn: ROLE.toUpperCase().replace('ARN:AWS:IAM', 'arn:aws:iam') },
      { principalArn: USER },
    ]);
    expect(parsed.entries.map((e) => e.index)).toEqual([0, 3]);
    expect(parsed.diagnostics.map((d) => [d.index, d.severity])).toEqual([
      [1, 'error'],
      [2, 'error'],
    ]);
  });

  it('keeps a valid principalId and refuses a malformed one', () => {
    const ok = one({ principalArn: ROLE, principalId: 'AROA3XFRBF535PLBIFPI4' });
    expect(ok.entries[0]?.principalId).toBe('AROA3XFRBF535PLBIFPI4');
    const bad = one({ principalArn: ROLE, principalId: 'aroa:x' });
    expect(errors(bad)).toEqual(['principalId']);
    expect(bad.entries[0]?.principalId).toBeUndefined();
  });
});

describe('custom usernames (set-custom-username.html)', () => {
  it.each<[string, string, 'ok' | 'error' | 'warning']>([
    ['plain', 'alice', 'ok'],
    ['with {{SessionName}} after a colon', 'dev:{{SessionName}}', 'ok'],
    ['the colon anywhere before {{SessionName}}', 'jo:hn{{SessionName}}', 'ok'],
    ['{{SessionNameRaw}} after a colon', 'dev:{{SessionNameRaw}}', 'ok'],
    ['{{SessionName}} without a colon before it', 'john{{SessionName}}', 'error'],
    ['a colon only after {{SessionName}}', '{{SessionName}}:dev', 'error'],
    ['{{SessionNameRaw}} without a colon', 'dev-{{SessionNameRaw}}', 'error'],
    ['reserved system:', 'system:admin', 'error'],
    ['reserved eks:', 'eks:admin', 'error'],
    ['reserved aws:', 'aws:admin', 'error'],
    ['reserved amazon:', 'amazon:admin', 'error'],
    ['reserved iam:', 'iam:admin', 'error'],
    ['prefixes are case-sensitive', 'System:admin', 'ok'],
    [
      '{{AccountID}}: undocumented for access entries (conservative: warning)',
      'team:{{AccountID}}',
      'warning',
    ],
    ['{{AccessKeyID}}: undocumented (warning)', 'key:{{AccessKeyID}}', 'warning'],
    [
      '{{EC2PrivateDNSName}}: undocumented for STANDARD (warning)',
      'node:{{EC2PrivateDNSName}}',
      'warning',
    ],
  ])('%s: %s', (_name, username, outcome) => {
    const parsed = one({ principalArn: ROLE, username });
    const severities = parsed.diagnostics.map((d) => d.severity);
    if (outcome === 'ok') expect(parsed.diagnostics).toEqual([]);
    else expect(severities).toContain(outcome);
    // EKS refuses to create an entry with such a username: it is dropped,
    // never kept with the default username (refused.test.ts).
    if (outcome === 'error') expect(parsed.entries).toEqual([]);
    else expect(parsed.entries[0]).toMatchObject({ username, defaultUsername: false });
  });
});

describe('groups', () => {
  it('reports every problem of the groups; a system: group or a number makes EKS refuse the entry', () => {
    const parsed = one({
      principalArn: ROLE,
      kubernetesGroups: ['viewers', 'system:masters', 7, 'viewers'],
    });
    expect(errors(parsed)).toEqual(['kubernetesGroups[1]', 'kubernetesGroups[2]']);
    expect(parsed.entries).toEqual([]);
    expect(parsed.diagnostics.at(-1)).toMatchObject({
      severity: 'warning',
      field: 'kubernetesGroups[3]',
    });
  });

  // CreateAccessEntry types kubernetesGroups as an array of strings and states
  // no uniqueness or non-empty rule (API_CreateAccessEntry.html); a repeated
  // group grants nothing more and an empty one names no RBAC subject
  // (Kubernetes matches group subjects by exact name). That the API accepts
  // both is observed behaviour with no public source.
  it('keeps an entry with a duplicate or an empty group, without them (neither names an RBAC subject more)', () => {
    const parsed = one({ principalArn: ROLE, kubernetesGroups: ['viewers', '', 'viewers'] });
    expect(errors(parsed)).toEqual(['kubernetesGroups[1]']);
    expect(parsed.entries[0]?.kubernetesGroups).toEqual(['viewers']);
  });

  it('warns on a template in a group: AWS documents none (the conservative reading)', () => {
    const parsed = one({ principalArn: ROLE, kubernetesGroups: ['team-{{AccountID}}'] });
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', field: 'kubernetesGroups[0]' }),
    ]);
    expect(parsed.entries[0]?.kubernetesGroups).toEqual(['team-{{AccountID}}']);
  });
});

describe('access policies and scopes (access-policies.html)', () => {
  const policy = (accessScope: unknown, policyArn = VIEW): Record<string, unknown> => ({
    principalArn: ROLE,
    accessPolicies: [{ policyArn, accessScope }],
  });
  it.each<[string, Record<string, unknown>, string[], number]>([
    ['cluster scope', policy({ type: 'cluster' }), [], 1],
    [
      'cluster scope as list-associated-access-policies prints it',
      policy({ type: 'cluster', namespaces: [] }),
      [],
      1,
    ],
    ['namespace scope', policy({ type: 'namespace', namespaces: ['team-a'] }), [], 1],
    [
      'namespace scope with a dev-* wildcard',
      policy({ type: 'namespace', namespaces: ['dev-*'] }),
      [],
      1,
    ],
    [
      'namespace scope without namespaces',
      policy({ type: 'namespace', namespaces: [] }),
      ['accessPolicies[0].accessScope'],
      0,
    ],
    [
      'namespace scope with a bad name',
      policy({ type: 'namespace', namespaces: ['Team A'] }),
      ['accessPolicies[0].accessScope'],
      0,
    ],
    ['unknown scope type', policy({ type: 'global' }), ['accessPolicies[0].accessScope'], 0],
    ['no scope', policy(undefined), ['accessPolicies[0].accessScope'], 0],
    [
      'not a policy ARN',
      policy({ type: 'cluster' }, 'arn:aws:iam::aws:policy/AdministratorAccess'),
      ['accessPolicies[0].policyArn'],
      0,
    ],
    [
      'policy in another partition than the principal',
      policy({ type: 'cluster' }, 'arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy'),
      ['accessPolicies[0].policyArn'],
      0,
    ],
  ])('%s', (_name, entry, fields, policies) => {
    const parsed = one(entry);
    expect(errors(parsed)).toEqual(fields);
    expect(parsed.entries[0]?.accessPolicies).toHaveLength(policies);
  });

  it('allows each policy once per entry', () => {
    const parsed = one({
      principalArn: ROLE,
      accessPolicies: [
        { policyArn: VIEW, accessScope: { type: 'cluster' } },
        { policyArn: VIEW, accessScope: { type: 'namespace', namespaces: ['a'] } },
      ],
    });
    expect(errors(parsed)).toEqual(['accessPolicies[1]']);
    expect(parsed.entries[0]?.accessPolicies).toEqual([
      { policyArn: VIEW, accessScope: { type: 'cluster', namespaces: [] } },
    ]);
  });

  it('warns on a policy name the user guide does not list', () => {
    const parsed = one(
      policy({ type: 'cluster' }, 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicyy'),
    );
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', field: 'accessPolicies[0].policyArn' }),
    ]);
    expect(parsed.entries[0]?.accessPolicies).toHaveLength(1);
  });

  it('reads associatedAccessPolicies (list-associated-access-policies output)', () => {
    const parsed = one({
      principalArn: ROLE,
      associatedAccessPolicies: [
        {
          policyArn: VIEW,
          accessScope: { type: 'cluster', namespaces: [] },
          associatedAt: '2023-04-17T15:25:21.675000-04:00',
        },
      ],
    });
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.entries[0]?.accessPolicies).toHaveLength(1);
  });
});

describe('input shapes', () => {
  const describeOutput = {
    accessEntry: {
      clusterName: 'prod',
      principalArn: ROLE,
      kubernetesGroups: ['viewers'],
      accessEntryArn:
        'arn:aws:eks:eu-west-1:111122223333:access-entry/prod/role/111122223333/my-role/00000000-0000',
      createdAt: '2024-01-01T00:00:00+00:00',
      modifiedAt: '2024-01-01T00:00:00+00:00',
      tags: {},
      username: 'arn:aws:sts::111122223333:assumed-role/my-role/{{SessionName}}',
      type: 'STANDARD',
    },
  };
  it.each<[string, unknown, number]>([
    ['describe-access-entry output, as text', JSON.stringify(describeOutput), 1],
    ['describe-access-entry output, as an object', describeOutput, 1],
    ['a bare access entry', describeOutput.accessEntry, 1],
    ['a list of entries', [describeOutput.accessEntry, { principalArn: USER }], 2],
    ['a list of describe answers', [describeOutput, { accessEntry: { principalArn: USER } }], 2],
    [
      'a bundle',
      {
        clusterName: 'prod',
        authenticationMode: 'API',
        accessEntries: [describeOutput.accessEntry],
      },
      1,
    ],
    ['an empty bundle', { accessEntries: [] }, 0],
  ])('%s', (_name, input, count) => {
    const parsed = parseAccessEntries(input as never);
    expect(errors(parsed)).toEqual([]);
    expect(parsed.entries).toHaveLength(count);
  });

  it('reads the bundle cluster name and mode, and refuses an unknown mode', () => {
    expect(
      parseAccessEntries({ clusterName: 'prod', authenticationMode: 'API', accessEntries: [] }),
    ).toMatchObject({
      clusterName: 'prod',
      authenticationMode: 'API',
    });
    const bad = parseAccessEntries({ authenticationMode: 'CONFIGMAP', accessEntries: [] });
    expect(bad.authenticationMode).toBeUndefined();
    expect(errors(bad)).toEqual(['authenticationMode']);
  });

  it('reads list-access-entries output (bare ARNs) with a warning', () => {
    const parsed = parseAccessEntries({ accessEntries: [ROLE] });
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', index: 0 }),
    ]);
  });

  it('warns on unknown fields (names are case-sensitive)', () => {
    const parsed = one({ principalArn: ROLE, Username: 'x' });
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', field: 'Username' }),
    ]);
  });

  it.each<[string, unknown]>([
    ['not JSON', '{ accessEntries: ['],
    ['a JSON string', '"arn"'],
    ['a number', '42'],
    ['an object of another shape', { data: { mapRoles: '' } }],
    ['accessEntries not a list', { accessEntries: {} }],
    ['too large', `[${' '.repeat(4 * 1024 * 1024)}]`],
  ])('refuses input that is not access entries: %s', (_name, input) => {
    expect(() => parseAccessEntries(input as never)).toThrow(AccessEntriesError);
    try {
      parseAccessEntries(input as never);
    } catch (error) {
      expect((error as AccessEntriesError).code).toBe('ERR_ACCESS_ENTRIES_INVALID');
    }
  });

  it('never echoes the input in its error message', () => {
    expect(() => parseAccessEntries('{ "\u001b[2J": ')).toThrow(/^input is not JSON/);
    expect(() => parseAccessEntries('{ \u001b[2J secret')).toThrow(
      /^input is not JSON \(line 1, column 3\)$/,
    );
  });

  it('throws TypeError for a non-string, non-object input', () => {
    expect(() => parseAccessEntries(42 as never)).toThrow(TypeError);
  });
});

describe('result', () => {
  it('keeps good entries, drops bad ones with their index, and is deeply frozen', () => {
    const parsed = parseAccessEntries([
      {
        principalArn: ROLE,
        kubernetesGroups: ['a'],
        accessPolicies: [{ policyArn: VIEW, accessScope: { type: 'cluster' } }],
      },
      { principalArn: 'arn:aws:sts::111122223333:assumed-role/x/y' },
      { principalArn: USER },
    ]);
    expect(parsed.entries.map((e) => e.index)).toEqual([0, 2]);
    expect(parsed.diagnostics.map((d) => d.index)).toEqual([1]);
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(Object.isFrozen(parsed.entries[0]?.kubernetesGroups)).toBe(true);
    expect(Object.isFrozen(parsed.entries[0]?.accessPolicies[0]?.accessScope.namespaces)).toBe(
      true,
    );
    expect(() => (parsed.entries as unknown as unknown[]).push({})).toThrow(TypeError);
  });
});
