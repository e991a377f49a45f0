import { describe, expect, it } from 'vitest';
import { parseAwsAuth } from '../../src/aws-auth/parse.js';
import type { AwsAuth, AwsAuthDiagnostic } from '../../src/mapping/types.js';
import {
  EKSCTL_NODEGROUP,
  TERRAFORM_ROLE_AND_USER,
  TWO_NODEGROUPS_AND_ADMIN,
  indent,
  manifest,
  manyRoles,
} from './fixtures.js';

const ROLE = 'arn:aws:iam::111122223333:role/Admin';
const USER = 'arn:aws:iam::111122223333:user/alice';

/** The diagnostics without their (long) messages, codes and fixes, for exact comparison. */
/** Severity, key, index, field and entry line (value locations: test/aws-auth/locations.test.ts). */
function shape(
  d: readonly AwsAuthDiagnostic[],
): Omit<AwsAuthDiagnostic, 'message' | 'code' | 'fix' | 'fieldLine' | 'column'>[] {
  return d.map(
    ({ message: _message, code: _code, fix: _fix, fieldLine: _l, column: _c, ...rest }) => rest,
  );
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function roleList(text: string): AwsAuth {
  return parseAwsAuth({ mapRoles: text });
}

describe('the ConfigMaps from the seeds', () => {
  it('eksctl node group (kubectl get -o yaml): one node role, no diagnostics', () => {
    const a = parseAwsAuth(EKSCTL_NODEGROUP);
    expect(a.diagnostics).toEqual([]);
    expect(a.mapRoles).toEqual([
      {
        roleArn:
          'arn:aws:iam::111111111111:role/eksctl-ironman-2022-nodegroup-ng1-publ-NodeInstanceRole-HN27OZ18JS6U',
        username: 'system:node:{{EC2PrivateDNSName}}',
        groups: ['system:bootstrappers', 'system:nodes'],
        index: 0,
        line: 4,
      },
    ]);
    expect(a.mapUsers).toEqual([]);
    expect(a.mapAccounts).toEqual([]);
  });

  it('two node groups whose {{EC2PrivateDNSName}} was lost: "system:node:" is invalid YAML', () => {
    // The blog engine ate the "{{…}}": a plain scalar ending in ":" starts a
    // mapping, which YAML forbids there. EKS rejects the whole mapRoles value
    // the same way; mapUsers is still read.
    const a = parseAwsAuth(TWO_NODEGROUPS_AND_ADMIN);
    expect(a.mapRoles).toEqual([]);
    expect(shape(a.diagnostics)).toEqual([{ severity: 'error', key: 'mapRoles', line: 8 }]);
    expect(a.mapUsers).toEqual([
      {
        userArn: 'arn:aws:iam::142627221238:user/test',
        username: 'admin',
        groups: ['system:masters'],
        index: 0,
        line: 15,
      },
    ]);
  });

  it('the same node groups with the placeholder restored: both kept', () => {
    const a = parseAwsAuth(
      TWO_NODEGROUPS_AND_ADMIN.replaceAll('system:node:\n', 'system:node:{{EC2PrivateDNSName}}\n'),
    );
    expect(a.diagnostics).toEqual([]);
    expect(a.mapRoles.map((r) => [r.username, r.line])).toEqual([
      ['system:node:{{EC2PrivateDNSName}}', 4],
      ['system:node:{{EC2PrivateDNSName}}', 9],
    ]);
  });

  it('hand-written manifest with 4-space metadata', () => {
    const a = parseAwsAuth(TERRAFORM_ROLE_AND_USER);
    expect(a.diagnostics).toEqual([]);
    expect(a.mapRoles.map((r) => [r.roleArn, r.username, r.groups, r.line])).toEqual([
      ['arn:aws:iam::555555555555:role/abc', 'ops-user', ['system:masters'], 8],
    ]);
    expect(a.mapUsers.map((u) => [u.userArn, u.line])).toEqual([
      ['arn:aws:iam::555555555555:user/a-user', 13],
    ]);
  });
});

describe('input forms: manifest, data map, JSON, objects', () => {
  const rolesYaml = `- rolearn: ${ROLE}\n  username: admin:{{SessionName}}\n  groups:\n    - system:masters\n`;
  const usersYaml = `- userarn: ${USER}\n  username: alice\n`;
  const data = { mapRoles: rolesYaml, mapUsers: usersYaml, mapAccounts: '- "012345678901"\n' };
  const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth' }, data };

  const forms: [string, Parameters<typeof parseAwsAuth>[0]][] = [
    ['whole manifest, YAML', manifest(data)],
    [
      'data map, YAML',
      `mapRoles: |\n${indent(rolesYaml, 2)}mapUsers: |\n${indent(usersYaml, 2)}mapAccounts: |\n  - "012345678901"\n`,
    ],
    ['whole manifest, JSON text', JSON.stringify(object)],
    ['data map, JSON text', JSON.stringify(data, null, 2)],
    ['whole manifest, object', object],
    ['data map, object', data],
    ['manifest without apiVersion/kind (only data)', { data }],
  ];

  it.each(forms)('%s', (_name, input) => {
    const a = parseAwsAuth(input);
    expect(a.diagnostics).toEqual([]);
    expect(a.mapRoles.map(({ line: _l, ...r }) => r)).toEqual([
      { roleArn: ROLE, username: 'admin:{{SessionName}}', groups: ['system:masters'], index: 0 },
    ]);
    expect(a.mapUsers.map(({ line: _l, ...u }) => u)).toEqual([
      { userArn: USER, username: 'alice', groups: [], index: 0 },
    ]);
    expect(a.mapAccounts).toEqual(['012345678901']);
  });

  it('a manifest with no data is an empty aws-auth', () => {
    expect(parseAwsAuth('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n')).toEqual({
      mapRoles: [],
      mapUsers: [],
      mapAccounts: [],
      diagnostics: [],
    });
  });

  it('YAML errors name the line and the fix, never a multi-line source snippet', () => {
    const error = thrown(() => parseAwsAuth('kind: ConfigMap\ndata:\n  mapRoles: [\n')) as Error;
    expect(error.message).toMatch(/line \d/);
    expect(error.message).not.toMatch(/\n|\^/);
    expect(error.message).toContain('is not closed');
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
  ])('%s is a caller bug: TypeError', (_name, input) => {
    expect(thrown(() => parseAwsAuth(input as unknown as string))).toBeInstanceOf(TypeError);
  });
});

describe('data keys', () => {
  it.each([
    ['maproles', 'mapRoles'],
    ['MapRoles', 'mapRoles'],
    ['MAPROLES', 'mapRoles'],
    ['mapRole', 'mapRoles'],
    ['map_roles', 'mapRoles'],
    ['mapusers', 'mapUsers'],
    ['MapUsers', 'mapUsers'],
    ['mapaccounts', 'mapAccounts'],
    ['mapAccount', 'mapAccounts'],
  ])('near miss %s is ignored with a warning naming %s', (key, meant) => {
    const a = parseAwsAuth(
      `${key}: |\n  - rolearn: ${ROLE}\n    userarn: ${USER}\n  - "012345678901"\n`,
    );
    expect(a.mapRoles).toEqual([]);
    expect(a.mapUsers).toEqual([]);
    expect(a.mapAccounts).toEqual([]);
    expect(shape(a.diagnostics)).toEqual([{ severity: 'warning', key, line: 1 }]);
    expect(a.diagnostics[0]?.message).toContain(`"${meant}"`);
  });

  it('unrelated keys are ignored silently', () => {
    expect(
      parseAwsAuth({ mapRoles: '', 'other-config': 'x: 1', binaryData: 'x' }).diagnostics,
    ).toEqual([]);
  });

  it('lower-case near miss beside the real key: the real key is used', () => {
    const a = parseAwsAuth({
      mapRoles: `- rolearn: ${ROLE}\n  username: a\n`,
      maproles: '- rolearn: x',
    });
    expect(a.mapRoles).toHaveLength(1);
    expect(shape(a.diagnostics)).toEqual([{ severity: 'warning', key: 'maproles' }]);
  });

  it.each([
    ['empty string', ''],
    ['blanks', '  \n \n'],
    ['two backticks', '``'],
    ['two double quotes', '""'],
    ['two single quotes', "''"],
    ['quotes with blanks', '  ""  \n'],
    ['null', null],
    ['only a comment', '# nobody yet\n'],
  ])('skippable value (%s): empty, no diagnostics', (_name, value) => {
    const a = parseAwsAuth({ mapRoles: value, mapUsers: value, mapAccounts: value });
    expect(a).toEqual({ mapRoles: [], mapUsers: [], mapAccounts: [], diagnostics: [] });
  });

  it.each([
    ['null value', 'kind: ConfigMap\ndata:\n  mapRoles:\n'],
    ['quoted empty', 'kind: ConfigMap\ndata:\n  mapRoles: ""\n'],
    ['quoted backticks', "kind: ConfigMap\ndata:\n  mapRoles: '``'\n"],
    ['block holding ""', 'kind: ConfigMap\ndata:\n  mapRoles: |\n    ""\n'],
  ])('skippable value in a manifest (%s)', (_name, text) => {
    expect(parseAwsAuth(text).diagnostics).toEqual([]);
  });

  it('a value holding a map instead of a list: error, key ignored', () => {
    const a = roleList(`rolearn: ${ROLE}\nusername: admin\n`);
    expect(a.mapRoles).toEqual([]);
    expect(shape(a.diagnostics)).toEqual([{ severity: 'error', key: 'mapRoles' }]);
  });

  it('invalid YAML inside a value: error on the right manifest line, other keys still read', () => {
    const text = manifest({
      mapRoles: `- rolearn: ${ROLE}\n  groups: [a\n`,
      mapUsers: `- userarn: ${USER}\n  username: alice\n`,
    });
    const a = parseAwsAuth(text);
    expect(a.mapUsers).toHaveLength(1);
    expect(a.diagnostics).toHaveLength(1);
    expect(a.diagnostics[0]).toMatchObject({ severity: 'error', key: 'mapRoles' });
    expect(a.diagnostics[0]?.line).toBeGreaterThanOrEqual(8);
  });
});

describe('entries', () => {
  it.each([['rolearn'], ['roleARN'], ['RoLeArN'], ['ROLEARN'], ['RoleArn']])(
    'field names are case-insensitive: %s',
    (field) => {
      const a = roleList(
        `- ${field}: ${ROLE}\n  UserName: admin\n  GROUPS:\n    - g\n  UserID: AROAEXAMPLE\n`,
      );
      expect(a.diagnostics).toEqual([]);
      expect(a.mapRoles).toEqual([
        {
          roleArn: ROLE,
          username: 'admin',
          groups: ['g'],
          userId: 'AROAEXAMPLE',
          index: 0,
          line: 1,
        },
      ]);
    },
  );

  it('username as a list: error, left empty, plus the empty-username warning', () => {
    const a = roleList(`- rolearn: ${ROLE}\n  username: [a, b]\n`);
    expect(a.mapRoles[0]?.username).toBe('');
    expect(shape(a.diagnostics)).toEqual([
      { severity: 'error', key: 'mapRoles', index: 0, field: 'username', line: 1 },
      { severity: 'warning', key: 'mapRoles', index: 0, field: 'username', line: 1 },
    ]);
  });

  it('invalid entries are dropped, the valid ones around them kept with their original index', () => {
    const a = roleList(
      `- rolearn: ${ROLE}\n  username: a\n- username: b\n- rolearn: arn:aws:iam::111122223333:role/C\n  username: c\n`,
    );
    expect(a.mapRoles.map((r) => [r.username, r.index, r.line])).toEqual([
      ['a', 0, 1],
      ['c', 2, 4],
    ]);
  });

  it('placeholders in groups are checked too', () => {
    const a = roleList(`- rolearn: ${ROLE}\n  username: a\n  groups: ["team-{{Team}}"]\n`);
    expect(shape(a.diagnostics)).toEqual([
      { severity: 'warning', key: 'mapRoles', index: 0, field: 'groups', line: 1 },
    ]);
  });

  it('known placeholders in {{…}} spelling raise nothing', () => {
    const a = roleList(
      `- rolearn: ${ROLE}\n  username: "{{AccountID}}:{{SessionName}}:{{SessionNameRaw}}:{{AccessKeyID}}:{{EC2PrivateDNSName}}"\n`,
    );
    expect(a.diagnostics).toEqual([]);
  });

  it('mapUsers: userarn required; session placeholders warned', () => {
    const a = parseAwsAuth({
      mapUsers: `- username: nobody\n- userarn: ${USER}\n  username: "alice-{{SessionName}}"\n- userarn: ${ROLE}\n  username: r\n`,
    });
    expect(a.mapUsers.map((u) => u.index)).toEqual([1, 2]);
    expect(shape(a.diagnostics)).toEqual([
      { severity: 'error', key: 'mapUsers', index: 0, field: 'userarn', line: 1 },
      { severity: 'warning', key: 'mapUsers', index: 1, field: 'username', line: 2 },
      { severity: 'warning', key: 'mapUsers', index: 2, field: 'userarn', line: 4 },
    ]);
  });

  it('rolearn in mapUsers is an unknown field with a hint', () => {
    const a = parseAwsAuth({
      mapUsers: `- userarn: ${USER}\n  username: alice\n  rolearn: ${ROLE}\n`,
    });
    expect(a.diagnostics[0]?.message).toContain('mapRoles');
  });
});

describe('sso entries', () => {
  it.each([
    ['11-digit account', '{permissionSetName: A, accountID: "11112222333"}', 'sso.accountID'],
    ['account with letters', '{permissionSetName: A, accountID: "11112222333x"}', 'sso.accountID'],
    ['no account', '{permissionSetName: A}', 'sso.accountID'],
    ['no permission set', '{accountID: "111122223333"}', 'sso.permissionSetName'],
    [
      'permission set with a space',
      '{permissionSetName: "Admin Access", accountID: "111122223333"}',
      'sso.permissionSetName',
    ],
    [
      'permission set of 33 characters',
      `{permissionSetName: ${'a'.repeat(33)}, accountID: "111122223333"}`,
      'sso.permissionSetName',
    ],
    [
      'permission set with a slash',
      '{permissionSetName: "a/b", accountID: "111122223333"}',
      'sso.permissionSetName',
    ],
    [
      'unknown partition',
      '{permissionSetName: A, accountID: "111122223333", partition: aws-mars}',
      'sso.partition',
    ],
    ['sso as a string', '"Admin"', 'sso'],
  ])('invalid: %s → error, dropped', (_name, sso, field) => {
    const a = roleList(`- sso: ${sso}\n  username: a\n`);
    expect(a.mapRoles).toEqual([]);
    expect(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.field)).toContain(
      field,
    );
  });

  it('unknown field inside sso: warning with its path', () => {
    const a = roleList(
      '- sso: {permissionSetName: A, accountID: "111122223333", region: eu-west-1}\n  username: a\n',
    );
    expect(a.mapRoles).toHaveLength(1);
    expect(shape(a.diagnostics)).toEqual([
      { severity: 'warning', key: 'mapRoles', index: 0, field: 'sso.region', line: 1 },
    ]);
  });
});

describe('mapAccounts', () => {
  it.each([
    ['plain with a leading zero', '- 012345678901\n', ['012345678901']],
    ['quoted', '- "012345678901"\n- \'111122223333\'\n', ['012345678901', '111122223333']],
    ['flow list', '[012345678901, 111122223333]', ['012345678901', '111122223333']],
    ['!!str tag', '- !!str 012345678901\n', ['012345678901']],
  ])('%s: strings exactly as written', (_name, yaml, expected) => {
    const a = parseAwsAuth({ mapAccounts: yaml });
    expect(a.diagnostics).toEqual([]);
    expect(a.mapAccounts).toEqual(expected);
  });

  it('a non-12-digit item is kept (as written) with a warning', () => {
    const a = parseAwsAuth({ mapAccounts: '- 12345\n' });
    expect(a.mapAccounts).toEqual(['12345']);
    expect(shape(a.diagnostics)).toEqual([
      { severity: 'warning', key: 'mapAccounts', index: 0, line: 1 },
    ]);
  });

  it.each([
    ['a list item', '- [012345678901]\n'],
    ['a map item', '- {account: "012345678901"}\n'],
  ])('%s: error, dropped', (_name, yaml) => {
    const a = parseAwsAuth({ mapAccounts: yaml });
    expect(a.mapAccounts).toEqual([]);
    expect(shape(a.diagnostics)).toEqual([
      { severity: 'error', key: 'mapAccounts', index: 0, line: 1 },
    ]);
  });

  it('a single account without a list is an error for the key', () => {
    const a = parseAwsAuth('kind: ConfigMap\ndata:\n  mapAccounts: "012345678901"\n');
    expect(a.mapAccounts).toEqual([]);
    expect(shape(a.diagnostics)).toEqual([{ severity: 'error', key: 'mapAccounts', line: 3 }]);
  });
});

describe('line numbers', () => {
  it('a dash on its own line: the line of the "- "', () => {
    const a = parseAwsAuth(
      manifest({
        mapRoles: `-\n  rolearn: ${ROLE}\n  username: a\n-   rolearn: arn:aws:iam::111122223333:role/B\n    username: b\n`,
      }),
    );
    expect(a.mapRoles.map((r) => r.line)).toEqual([8, 11]);
  });

  it('blank lines and comments inside the block shift the lines', () => {
    const a = parseAwsAuth(
      `kind: ConfigMap\ndata:\n  mapRoles: |  # roles\n\n    # admins\n    - rolearn: ${ROLE}\n      username: a\n\n    - rolearn: arn:aws:iam::111122223333:role/B\n      username: b\n`,
    );
    expect(a.mapRoles.map((r) => r.line)).toEqual([6, 9]);
  });

  it('data-map text (no manifest)', () => {
    const a = parseAwsAuth(
      `# aws-auth data\nmapUsers: |\n  - userarn: ${USER}\n    username: a\n  - username: nobody\n`,
    );
    expect(a.mapUsers[0]?.line).toBe(3);
    expect(a.diagnostics[0]).toMatchObject({ severity: 'error', index: 1, line: 5 });
  });

  it('object input: lines within the string', () => {
    const a = parseAwsAuth({ mapRoles: `\n- rolearn: ${ROLE}\n  username: a\n- username: b\n` });
    expect(a.mapRoles[0]?.line).toBe(2);
    expect(a.diagnostics[0]?.line).toBe(4);
  });

  it('JSON text: every entry of a one-line string is on that line', () => {
    const text = JSON.stringify(
      {
        kind: 'ConfigMap',
        data: { mapRoles: `- rolearn: ${ROLE}\n  username: a\n- username: b\n` },
      },
      null,
      2,
    );
    const a = parseAwsAuth(text);
    const line = text.split('\n').findIndex((l) => l.includes('"mapRoles"')) + 1;
    expect(line).toBeGreaterThan(1);
    expect(a.mapRoles[0]?.line).toBe(line);
    expect(a.diagnostics[0]?.line).toBe(line);
  });

  it('a folded (>) or multi-line quoted value: no line rather than a wrong one', () => {
    const folded = parseAwsAuth(
      `kind: ConfigMap\ndata:\n  mapAccounts: >\n    - "012345678901"\n\n    - [x]\n`,
    );
    expect(folded.mapAccounts).toEqual(['012345678901']);
    expect(folded.diagnostics).toHaveLength(1);
    expect(folded.diagnostics[0]?.line).toBeUndefined();
    const quoted = parseAwsAuth(
      'kind: ConfigMap\ndata:\n  mapAccounts: "- \\"012345678901\\"\n\n    - x"\n',
    );
    expect(quoted.diagnostics).toHaveLength(1);
    expect(quoted.diagnostics[0]?.line).toBeUndefined();
  });

  it('CRLF line endings and a byte-order mark (Windows editors)', () => {
    const text =
      `\uFEFF${manifest({ mapRoles: `- rolearn: ${ROLE}\n  username: a\n- username: b\n` })}`.replaceAll(
        '\n',
        '\r\n',
      );
    const a = parseAwsAuth(text);
    expect(a.mapRoles).toMatchObject([{ roleArn: ROLE, username: 'a', line: 8 }]);
    expect(a.diagnostics[0]).toMatchObject({ severity: 'error', index: 1, line: 10 });
  });

  it('the indentation indicator form (|2) keeps the lines', () => {
    const a = parseAwsAuth(
      `kind: ConfigMap\ndata:\n  mapRoles: |2\n      - rolearn: ${ROLE}\n        username: a\n`,
    );
    expect(a.mapRoles[0]?.line).toBe(4);
  });
});

describe('hostile YAML inside a value: error, key ignored, never expanded', () => {
  it('anchors without aliases and !!str / ! tags are fine', () => {
    const a = roleList(
      `- &first\n  rolearn: !!str ${ROLE}\n  username: ! admin\n  groups: !!seq [a]\n`,
    );
    expect(a.diagnostics).toEqual([]);
    expect(a.mapRoles[0]).toMatchObject({ roleArn: ROLE, username: 'admin', groups: ['a'] });
  });

  it('a quoted "null" stays a string, a plain null is no value', () => {
    const a = roleList(
      `- rolearn: ${ROLE}\n  username: "null"\n- rolearn: arn:aws:iam::111122223333:role/B\n  username: null\n`,
    );
    expect(a.mapRoles.map((r) => r.username)).toEqual(['null', '']);
  });
});

describe('scale', () => {
  it('10,000 entries: all kept, last line exact', { timeout: 10_000 }, () => {
    // 10,000 entries are more than a ConfigMap may hold (1 MiB): raise the bound.
    const a = parseAwsAuth(manifest({ mapRoles: manyRoles(10_000) }), {
      maxInputLength: 4 * 1024 * 1024,
    });
    expect(a.diagnostics).toEqual([]);
    expect(a.mapRoles).toHaveLength(10_000);
    expect(a.mapRoles[9_999]).toMatchObject({
      roleArn: 'arn:aws:iam::123456789012:role/role-9999',
      index: 9_999,
      line: 8 + 9_999 * 4,
    });
  });
});
