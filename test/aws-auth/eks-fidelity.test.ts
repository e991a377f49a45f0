/**
 * aws-auth as EKS reads it: one named case per quirk, each citing the Go
 * authenticator (kubernetes-sigs/aws-iam-authenticator at 81b1daba) or the
 * YAML library it runs (go-yaml v2 via sigs.k8s.io/yaml), by file:line.
 */
import { describe, expect, it } from 'vitest';
import { mapIdentity, parseAwsAuth } from '../../src/index.js';
import type { AwsAuth, AwsAuthDiagnostic } from '../../src/index.js';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/Admin`;
const session = (role: string, name = 'alice'): string =>
  `arn:aws:sts::${A}:assumed-role/${role}/${name}`;
const roles = (yaml: string): AwsAuth => parseAwsAuth({ mapRoles: yaml });
const codes = (a: AwsAuth): (string | undefined)[] => a.diagnostics.map((d) => d.code);
const byCode = (a: AwsAuth, code: string): AwsAuthDiagnostic | undefined =>
  a.diagnostics.find((d) => d.code === code);

describe('missing username: the empty user "", never an error', () => {
  // pkg/config/mapper.go:32-69 (Validate needs only rolearn or sso),
  // pkg/server/server.go:507-526 (renders the username unchecked), :451-458 (answers with it).
  it('mapper.go:37 + server.go:513: a role entry without username maps to "" with its groups', async () => {
    const a = roles(`- rolearn: ${ROLE}\n  groups:\n    - system:masters\n`);
    expect(await mapIdentity(a, session('Admin'))).toMatchObject({
      username: '',
      groups: ['system:masters'],
      matchedBy: 'mapRoles',
    });
    expect(byCode(a, 'missing-username')).toMatchObject({ severity: 'warning', line: 1 });
    expect(byCode(a, 'missing-username')?.message).toContain('kubectl top');
  });

  it('mapper.go:116 + server.go:513: the same for a user entry', async () => {
    const a = parseAwsAuth({ mapUsers: `- userarn: arn:aws:iam::${A}:user/bob\n` });
    expect(await mapIdentity(a, `arn:aws:iam::${A}:user/bob`)).toMatchObject({
      username: '',
      groups: [],
    });
  });
});

describe('a data value that is not a string: Kubernetes refuses the whole object', () => {
  // ConfigMap.data is map[string]string: the API server never stores such an
  // object, so configmap.go:95 (ParseMap of cm.Data) never sees any of it.
  it.each([
    [
      'mapUsers as a YAML list',
      `data:\n  mapRoles: |\n    - rolearn: ${ROLE}\n      username: a\n  mapUsers:\n    - userarn: arn:aws:iam::${A}:user/b\n`,
      'mapUsers',
      5,
    ],
    ['mapRoles as a map', `data:\n  mapRoles:\n    rolearn: ${ROLE}\n`, 'mapRoles', 2],
    [
      'mapAccounts as an unquoted number',
      `data:\n  mapAccounts: 111122223333\n  mapRoles: |\n    - rolearn: ${ROLE}\n`,
      'mapAccounts',
      2,
    ],
    [
      'another key holding a list',
      `data:\n  mapRoles: |\n    - rolearn: ${ROLE}\n  other:\n    - x\n`,
      'other',
      4,
    ],
  ])('%s: fatal, and nothing maps', async (_name, text, key, line) => {
    const a = parseAwsAuth(text);
    expect(a.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'data-not-a-string',
        fatal: true,
        key,
        line,
      }),
    ]);
    expect(await mapIdentity(a, session('Admin'))).toBeNull();
  });

  it('object input (a Kubernetes client) with a list value: fatal too', async () => {
    const a = parseAwsAuth({ mapRoles: `- rolearn: ${ROLE}\n`, mapUsers: [{ userarn: 'x' }] });
    expect(a.diagnostics[0]).toMatchObject({ fatal: true, key: 'mapUsers' });
    expect(a.mapRoles).toEqual([]);
  });
});

describe('values EKS takes literally, found by the linter with the fix', () => {
  // pkg/server/server.go:529-548 substitutes exactly {{EC2PrivateDNSName}},
  // {{AccountID}}, {{SessionName}}, {{SessionNameRaw}}, {{AccessKeyID}}; :518-524
  // copies every group as rendered.
  it.each([
    [
      'a mis-indented group folded into one (YAML)',
      'groups:\n    - system:bootstrappers\n     - system:nodes',
      'folded-list',
      ['system:bootstrappers - system:nodes'],
    ],
    [
      '<system:nodes> with its angle brackets',
      'groups:\n    - <system:nodes>',
      'angle-brackets',
      ['<system:nodes>'],
    ],
    ['system:master', 'groups:\n    - system:master', 'group-near-miss', ['system:master']],
    ['system:node as a group', 'groups:\n    - system:node', 'group-near-miss', ['system:node']],
    [
      'system:bootstrapper',
      'groups:\n    - system:bootstrapper',
      'group-near-miss',
      ['system:bootstrapper'],
    ],
    ['a trailing space', 'groups:\n    - "system:masters "', 'whitespace', ['system:masters ']],
    ['a literal *', 'groups:\n    - "*"', 'wildcard', ['*']],
  ])('server.go:518-524: %s', async (_name, groups, code, want) => {
    const a = roles(`- rolearn: ${ROLE}\n  username: admin\n  ${groups}\n`);
    expect(byCode(a, code)).toMatchObject({ severity: 'error', line: 1, field: 'groups' });
    expect(byCode(a, code)?.fix).toBeTypeOf('string');
    expect((await mapIdentity(a, session('Admin')))?.groups).toEqual(want);
  });

  it.each([
    ['system:node:{EC2PrivateDNSName}}', 'system:node:{{EC2PrivateDNSName}}'],
    ['system:node:{{EC2PrivateDNSName}', 'system:node:{{EC2PrivateDNSName}}'],
    ['{SessionName}', '"{{SessionName}}"'],
  ])('server.go:531: %s is literal; the fix restores the braces', async (username, fix) => {
    const a = roles(`- rolearn: ${ROLE}\n  username: "${username}"\n`);
    expect(byCode(a, 'unbalanced-braces')).toMatchObject({ severity: 'error', fix });
    expect((await mapIdentity(a, session('Admin')))?.username).toBe(username);
  });

  it('server.go:531: <system:node:{{EC2PrivateDNSName}}> keeps its brackets around the rendered name', async () => {
    const a = roles(`- rolearn: ${ROLE}\n  username: <system:node:{{EC2PrivateDNSName}}>\n`);
    expect(byCode(a, 'angle-brackets')?.fix).toBe('system:node:{{EC2PrivateDNSName}}');
    const m = await mapIdentity(a, session('Admin', 'i-0123456789abcdef0'), {
      resolveEC2PrivateDNSName: () => 'ip-10-0-0-1.ec2.internal',
    });
    expect(m?.username).toBe('<system:node:ip-10-0-0-1.ec2.internal>');
  });
});

describe("YAML 1.1 scalars: Go's YAML → JSON → struct path", () => {
  // configmap.go:154-158: utilyaml.ToJSON (sigs.k8s.io/yaml yaml.go:146-179, go-yaml v2
  // resolve.go:37-48, 139-168) then encoding/json into RoleMapping (types.go:46-64).
  it('resolve.go:37 + configmap.go:158: username: yes is a boolean; the string field stays empty', async () => {
    const a = roles(`- rolearn: ${ROLE}\n  username: yes\n  groups: [123, on, ops]\n`);
    expect(a.mapRoles[0]).toMatchObject({ username: '', groups: ['', '', 'ops'] });
    expect(await mapIdentity(a, session('Admin'))).toMatchObject({
      username: '',
      groups: ['', '', 'ops'],
    });
    expect(codes(a).filter((c) => c === 'yaml11-scalar')).toHaveLength(3);
    expect(byCode(a, 'yaml11-scalar')?.fix).toBe('quote it: "yes"');
  });

  it('configmap.go:158-170: one bad field does not drop the list; encoding/json completes the rest', async () => {
    const a = roles(
      `- rolearn: ${ROLE}\n  username: on\n- rolearn: arn:aws:iam::${A}:role/B\n  username: b\n`,
    );
    expect(a.mapRoles.map((r) => r.username)).toEqual(['', 'b']);
  });

  it.each([
    ['0x1F', 'number'],
    ['1_000', 'number'],
    ['012', 'number'],
    ['08', 'number'],
    ['1e3', 'number'],
    ['.5', 'number'],
    ['~', null],
    ['Off', 'boolean'],
    ['y', 'boolean'],
    ['2024-01-01', 'string'],
    ['1e999', 'string'],
    ['"yes"', 'string'],
    ['!!str 123', 'string'],
    ['tRUE', 'string'],
  ])('resolve.go:86-197: username: %s', (value, kind) => {
    const a = roles(`- rolearn: ${ROLE}\n  username: ${value}\n`);
    const left = a.mapRoles[0]?.username;
    if (kind === 'string') expect(left).not.toBe('');
    else expect(left).toBe('');
    if (kind === 'number' || kind === 'boolean')
      expect(byCode(a, 'yaml11-scalar')?.message).toContain(kind);
  });

  it('yaml.go:174 (json.Marshal refuses ±Inf/NaN): an unquoted .inf loses the whole key', () => {
    const a = roles(
      `- rolearn: ${ROLE}\n  username: a\n- rolearn: arn:aws:iam::${A}:role/B\n  username: .inf\n`,
    );
    expect(a.mapRoles).toEqual([]);
    expect(byCode(a, 'yaml-syntax')?.message).toContain('.inf');
  });

  it('mapper.go:44-46: an unquoted sso accountID is a number; the entry fails Validate', () => {
    const a = roles('- sso: {permissionSetName: Admin, accountID: 111122223333}\n  username: a\n');
    expect(a.mapRoles).toEqual([]);
    expect(codes(a)).toEqual(['yaml11-scalar', 'sso-invalid']);
  });

  it('configmap.go:178 + go-yaml decode.go:467-469: mapAccounts items are the text as written', () => {
    const a = parseAwsAuth({ mapAccounts: '- 012345678901\n- yes\n- ~\n' });
    expect(a.mapAccounts).toEqual(['012345678901', 'yes', '']);
  });

  it('go-yaml resolve.go:109: a core tag that does not fit its value fails the whole key', () => {
    expect(roles(`- rolearn: ${ROLE}\n  username: !!int abc\n`).mapRoles).toEqual([]);
  });

  it('go-yaml decode.go:419-425: !!binary is decoded; other tags leave the string', () => {
    const a = roles(`- rolearn: ${ROLE}\n  username: !!binary YWRtaW4=\n  groups: [!custom ops]\n`);
    expect(a.mapRoles[0]).toMatchObject({ username: 'admin', groups: ['ops'] });
  });

  it('encoding/json + json.Marshal sorted keys: of rolearn and roleArn, "rolearn" (sorting last) wins', () => {
    const a = roles(`- rolearn: ${ROLE}\n  roleArn: arn:aws:iam::${A}:role/Other\n  username: a\n`);
    expect(a.mapRoles[0]?.roleArn).toBe(ROLE);
    expect(byCode(a, 'field-repeated')?.message).toContain('keeps "rolearn"');
  });
});

describe('aliases and merge keys: accepted as go-yaml v2 accepts them, expansion bounded', () => {
  it('go-yaml decode.go:390-401: an alias repeats an entry', async () => {
    const a = roles(`- &admin {rolearn: ${ROLE}, username: admin}\n- *admin\n`);
    expect(a.mapRoles).toHaveLength(2);
    expect(byCode(a, 'duplicate-identical')).toMatchObject({ index: 1, line: 2 });
    expect(await mapIdentity(a, session('Admin'))).toMatchObject({
      username: 'admin',
      entryIndex: 1,
    });
  });

  it('go-yaml decode.go:661-665, 786-811: a merge key fills fields; later keys override', async () => {
    const a = roles(
      `- &base\n  rolearn: ${ROLE}\n  username: base\n  groups: [g]\n- <<: *base\n  rolearn: arn:aws:iam::${A}:role/B\n  username: b\n`,
    );
    expect(await mapIdentity(a, session('B'))).toMatchObject({ username: 'b', groups: ['g'] });
  });

  it('go-yaml decode.go:795-807: in a merge list, earlier maps take precedence', () => {
    const a = roles(`- <<: [{username: first}, {username: second, rolearn: ${ROLE}}]\n`);
    expect(a.mapRoles[0]).toMatchObject({ username: 'first', roleArn: ROLE });
  });

  it('go-yaml decode.go:350-357: a billion-laughs text is refused, the key ignored, no expansion', () => {
    const bomb = [
      '- &a [x, x, x, x, x, x, x, x, x, x]',
      '- &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      '- &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      '- &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      '- &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
      '- &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
      '- &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]',
      '- &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]',
      '- [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]',
    ].join('\n');
    const a = roles(bomb);
    expect(a.mapRoles).toEqual([]);
    expect(a.diagnostics).toEqual([
      expect.objectContaining({
        code: 'yaml-syntax',
        message: expect.stringContaining('excessive aliasing') as unknown,
      }),
    ]);
  });

  it('go-yaml decode.go:180-189: an unknown anchor fails the key', () => {
    expect(roles('- *nope\n').diagnostics[0]?.message).toContain(
      'unknown anchor "nope" referenced',
    );
  });
});

describe('hostile or unusual YAML', () => {
  it.each([
    // go-yaml decode.go:666-674: "invalid map key" for a collection key.
    ['a list as a map key', '- ? [a, b]\n  : c\n'],
  ])('%s: error, the key ignored, nothing constructed', (_name, yaml) => {
    const a = roles(yaml);
    expect(a.mapRoles).toEqual([]);
    expect(a.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'yaml-syntax' }),
    ]);
  });

  it('nesting past 1,000 levels: a limit of this package, said as one (go-yaml reads 10,000: scannerc.go:895, 929), never a RangeError', () => {
    const a = roles(`${'['.repeat(2000)}${']'.repeat(2000)}`);
    expect(a.mapRoles).toEqual([]);
    expect(a.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', code: 'yaml-too-deep' }),
    ]);
    expect(a.diagnostics[0]?.message).not.toContain('EKS ignores');
    expect(a.diagnostics[0]?.message).toContain('EKS keeps those that are well formed');
  });

  it('a deep alias chain (1,500 anchors, each the one before in a list) is refused as go-yaml refuses it (decode.go:321-357), never a RangeError', () => {
    const chain = Array.from({ length: 1500 }, (_, i) => `- &a${i + 1} [*a${i}]`).join('\n');
    const a = roles(`- &a0 [x]\n${chain}\n`);
    expect(a.mapRoles).toEqual([]);
    expect(a.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'yaml-syntax',
        message: expect.stringContaining('excessive aliasing'),
      }),
    ]);
  });

  it('go-yaml parserc.go:1040-1062: a %TAG directive redefining !! makes !!str a foreign tag, read as the string', () => {
    const a = roles(`%TAG !! tag:evil.example,2000:\n---\n- rolearn: !!str ${ROLE}\n`);
    expect(a.mapRoles.map((r) => ('roleArn' in r ? r.roleArn : ''))).toEqual([ROLE]);
  });

  it('go-yaml resolve.go:76-89: an unknown tag (!!js/function) is no constructor, just the string', () => {
    const a = roles(`- rolearn: ${ROLE}\n  username: !!js/function "function () { return 1 }"\n`);
    expect(a.mapRoles[0]?.username).toBe('function () { return 1 }');
  });

  it('go-yaml yaml.go:137-154: only the first document of a value is read', () => {
    const a = roles(
      `- rolearn: ${ROLE}\n  username: first\n---\n- rolearn: arn:aws:iam::${A}:role/B\n`,
    );
    expect(a.mapRoles.map((r) => r.username)).toEqual(['first']);
    expect(codes(a)).toEqual(['yaml-extra-document']);
  });
});

describe('sso entries', () => {
  const on = { ssoRoleMatch: true };
  const sso = (extra: string): AwsAuth =>
    roles(`- sso: {permissionSetName: Admin, accountID: "${A}"${extra}}\n  username: admin\n`);

  it.each(['aws', 'aws-cn', 'aws-us-gov'])(
    'mapper.go:23-28: an entry naming partition %s never matches (the pattern partition is empty)',
    async (partition) => {
      const a = sso(`, partition: ${partition}`);
      expect(a.mapRoles).toHaveLength(1);
      expect(byCode(a, 'sso-partition-never-matches')).toMatchObject({ severity: 'error' });
      const arn = `arn:${partition}:sts::${A}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/me`;
      expect(await mapIdentity(a, arn, on)).toBeNull();
    },
  );

  it('mapper.go:23-28: without partition, only the aws partition matches', async () => {
    const a = sso('');
    expect(
      await mapIdentity(a, session('AWSReservedSSO_Admin_0123456789abcdef'), on),
    ).toMatchObject({ matchedBy: 'sso' });
    expect(
      await mapIdentity(a, `arn:aws-cn:sts::${A}:assumed-role/AWSReservedSSO_Admin_x/me`, on),
    ).toBeNull();
  });

  it('configmap.go:269-278 random walk: overlapping permission set names are warned about', () => {
    const a = roles(
      `- sso: {permissionSetName: Admin, accountID: "${A}"}\n  username: a\n- sso: {permissionSetName: Admin_ReadOnly, accountID: "${A}"}\n  username: b\n`,
    );
    expect(byCode(a, 'duplicate-conflicting')).toMatchObject({ index: 1, line: 3 });
  });
});

describe('the linter: every problem, the right words, the fix', () => {
  it('every problem of one ARN at once: account, path and wildcard', () => {
    const a = roles('- rolearn: "arn:aws:iam::12345:role/team/*"\n  username: a\n');
    expect(codes(a)).toEqual(['wildcard', 'arn-invalid', 'arn-path']);
  });

  it.each([
    ['usearn', 'mapUsers', 'userarn'],
    ['rolearns', 'mapRoles', 'rolearn'],
    ['usernmae', 'mapRoles', 'username'],
    ['group', 'mapRoles', 'groups'],
    ['RoleArm', 'mapRoles', 'rolearn'],
  ])('types.go:46-80: unknown field %s in %s → did you mean %s', (field, key, meant) => {
    const a = parseAwsAuth({ [key]: `- ${field}: x\n` });
    expect(byCode(a, 'unknown-field')).toMatchObject({ fix: meant });
  });

  it('arn.go:66-76: an IAM group ARN says groups cannot be mapped', () => {
    const a = parseAwsAuth({
      mapUsers: `- userarn: arn:aws:iam::${A}:group/devs\n  username: d\n`,
    });
    expect(byCode(a, 'arn-iam-group')?.message).toMatch(/^IAM groups cannot be mapped/);
  });

  it('arn.go:56-62: an assumed-role ARN in mapUsers: write the role ARN in mapRoles', () => {
    const a = parseAwsAuth({ mapUsers: `- userarn: ${session('Dev')}\n  username: d\n` });
    expect(byCode(a, 'arn-assumed-role')).toMatchObject({
      severity: 'error',
      fix: `in mapRoles: rolearn: arn:aws:iam::${A}:role/Dev`,
    });
    expect(byCode(a, 'arn-wrong-list')).toBeUndefined();
  });

  it('arn.go:52-65: an sts role ARN: write the iam one', () => {
    const a = roles(`- rolearn: arn:aws:sts::${A}:role/Dev\n  username: d\n`);
    expect(byCode(a, 'arn-sts-role')?.fix).toBe(`arn:aws:iam::${A}:role/Dev`);
  });

  it.each([
    ['username: {{SessionName}}', /quote the value: username: "\{\{SessionName\}\}"/, 2],
    // A comment after the value stays out of the quotes (YAML: " #" starts one).
    [
      'username: {{SessionName}} # the caller',
      /quote the value: username: "\{\{SessionName\}\}"$/,
      2,
    ],
    ['username: *', /quote it/, 2],
    ['username: a\nrolearn: b', /a list item needs "- "/, 3],
  ])('YAML syntax errors say the aws-auth fix: %s', (tail, fix, line) => {
    const a = roles(
      `- rolearn: ${ROLE}\n  ${tail.replace('\n', '\n  ').replace('\n  rolearn', '\nrolearn')}\n`,
    );
    expect(a.diagnostics[0]).toMatchObject({ code: 'yaml-syntax', line });
    expect(a.diagnostics[0]?.fix).toMatch(fix);
    expect(a.diagnostics[0]?.message).not.toMatch(
      /mapping keys must be plain|alias node|bad indentation/,
    );
  });

  it.each([
    ['username: system:node:', 2, 'quote the value: username: "system:node:"'],
    ['username: admin: x', 2, 'quote the value: username: "admin: x"'],
    ['username: "admin\n  groups: [a]', 2, 'username: "admin"'],
    ['groups: [system:masters\n  username: a', 2, 'groups: [system:masters]'],
  ])(
    'YAML slips on the line before the parser stops are pinned to their own line: %s',
    (tail, line, fix) => {
      const a = roles(`- rolearn: ${ROLE}\n  ${tail}\n`);
      expect(a.diagnostics).toEqual([expect.objectContaining({ code: 'yaml-syntax', line, fix })]);
    },
  );

  it('"rolearn:arn:…" without a space: the line is one string; the fix adds the space', () => {
    const a = roles(`- rolearn:${ROLE}\n  username: admin\n`);
    expect(a.diagnostics).toEqual([
      expect.objectContaining({ code: 'yaml-syntax', line: 1, fix: `- rolearn: ${ROLE}` }),
    ]);
  });

  it('library messages name no option (the CLI speaks of flags): stripRolePaths never appears', () => {
    const a = roles(`- rolearn: arn:aws:iam::${A}:role/team/Dev\n  username: d\n`);
    expect(JSON.stringify(a.diagnostics)).not.toMatch(/stripRolePaths|ssoRoleMatch/);
  });

  it('configmap.go:239-247: identical and conflicting duplicates read differently and name the winner', () => {
    const entry = (u: string): string => `- rolearn: ${ROLE}\n  username: ${u}\n`;
    const identical = roles(entry('a') + entry('a'));
    const conflicting = roles(entry('a') + entry('b'));
    expect(codes(identical)).toEqual(['duplicate-identical']);
    expect(codes(conflicting)).toEqual(['duplicate-conflicting']);
    expect(conflicting.diagnostics[0]?.message).toContain(
      'EKS keeps only the last one, entry 1 (line 3)',
    );
  });

  it('a field named __proto__ is just an unknown field: no [object Object], no pollution', () => {
    const a = roles(
      `- rolearn: ${ROLE}\n  username: a\n  __proto__: {polluted: yes}\n  constructor: x\n`,
    );
    expect(a.diagnostics.map((d) => d.field)).toEqual(['__proto__', 'constructor']);
    expect(JSON.stringify(a.diagnostics)).not.toContain('[object Object]');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('stripRolePaths: the entry EKS uses always wins', () => {
  const exact = `- rolearn: ${ROLE}\n  username: exact\n`;
  const pathy = `- rolearn: arn:aws:iam::${A}:role/team/Admin\n  username: path\n`;
  // mapper.go:73-76 matches the exact ARN; only this library's option strips paths.
  it.each([
    ['exact first', exact + pathy],
    ['path-bearing first', pathy + exact],
  ])('%s: the path-less entry maps', async (_name, yaml) => {
    const m = await mapIdentity(roles(yaml), session('Admin'), { stripRolePaths: true });
    expect(m?.username).toBe('exact');
  });
});

describe('frozen results: the lookup index can never go stale', () => {
  it('every level of a parse result is frozen; editing throws', () => {
    const a = roles(`- rolearn: ${ROLE}\n  username: a\n  groups: [g]\n`);
    expect(
      Object.isFrozen(a) && Object.isFrozen(a.mapRoles) && Object.isFrozen(a.mapRoles[0]),
    ).toBe(true);
    expect(Object.isFrozen(a.mapRoles[0]?.groups)).toBe(true);
    expect(() => (a.mapRoles as unknown[]).pop()).toThrow(TypeError);
  });

  it('an unfrozen look-alike is re-indexed on each call: removing an entry revokes', async () => {
    const parsed = roles(`- rolearn: ${ROLE}\n  username: a\n`);
    const editable = { ...parsed, mapRoles: [...parsed.mapRoles] };
    expect(await mapIdentity(editable, session('Admin'))).not.toBeNull();
    editable.mapRoles.pop();
    expect(await mapIdentity(editable, session('Admin'))).toBeNull();
  });
});
