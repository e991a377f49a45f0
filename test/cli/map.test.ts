/**
 * `eks-iam-auth map`, run as a subprocess.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { assertCliBuilt, makeHome, runCli } from './cli-process.js';

// Line numbers matter: the near-miss report points at them.
const AWS_AUTH = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/Admin
      username: admin:{{SessionName}}
      groups:
        - system:masters
    - rolearn: arn:aws:iam::111122223333:role/team/Dev
      username: dev
      groups:
        - dev
    - rolearn: arn:aws:sts::111122223333:assumed-role/Ops/alice
      username: ops
    - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
      username: system:node:{{EC2PrivateDNSName}}
      groups:
        - system:bootstrappers
        - system:nodes
    - rolearn: arn:aws:iam::111122223333:role/Ci
      username: ci-{{AccessKeyID}}
    - sso:
        permissionSetName: ReadOnly
        accountID: "111122223333"
      username: sso-ro:{{SessionName}}
      groups:
        - view
  mapUsers: |
    - userarn: arn:aws:iam::444455556666:user/bob
      username: bob
      groups:
        - editors
  mapAccounts: |
    - "777788889999"
    - "12345678901"
`;

const BROKEN = `data:
  mapRoles: |
    - username: no-arn
    - rolearn: arn:aws:iam::111122223333:role/Admin
      username: admin
`;

let home: string;
let removeHome: () => void;
let file: string;
let broken: string;

beforeAll(() => {
  assertCliBuilt();
  ({ home, remove: removeHome } = makeHome());
  file = path.join(home, 'aws-auth.yaml');
  writeFileSync(file, AWS_AUTH);
  broken = path.join(home, 'broken.yaml');
  writeFileSync(broken, BROKEN);
});
afterAll(() => removeHome());

const map = (args: string[], stdin?: string): ReturnType<typeof runCli> =>
  runCli(home, ['map', ...args], stdin === undefined ? {} : { stdin });

describe('map: mapped → JSON on stdout, exit 0', () => {
  it.each([
    [
      'assumed role via mapRoles, {{SessionName}} with @ → -',
      ['--arn', 'arn:aws:sts::111122223333:assumed-role/Admin/alice@corp'],
      {
        username: 'admin:alice-corp',
        groups: ['system:masters'],
        matchedBy: 'mapRoles',
        entryIndex: 0,
        canonicalArn: 'arn:aws:iam::111122223333:role/Admin',
      },
    ],
    [
      'ARN case does not matter',
      ['--arn', 'arn:aws:iam::111122223333:role/ADMIN'],
      { matchedBy: 'mapRoles', entryIndex: 0 },
    ],
    [
      'user via mapUsers',
      ['--arn', 'arn:aws:iam::444455556666:user/bob'],
      { username: 'bob', groups: ['editors'], matchedBy: 'mapUsers', entryIndex: 0 },
    ],
    [
      'account via mapAccounts',
      ['--arn', 'arn:aws:iam::777788889999:user/zed'],
      { username: 'arn:aws:iam::777788889999:user/zed', groups: [], matchedBy: 'mapAccounts' },
    ],
    [
      'role with a path, with --strip-role-paths',
      ['--arn', 'arn:aws:sts::111122223333:assumed-role/Dev/x', '--strip-role-paths'],
      { username: 'dev', matchedBy: 'mapRoles', entryIndex: 1 },
    ],
    [
      'SSO role, with --sso-role-match',
      [
        '--arn',
        'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123abcd/jane',
        '--sso-role-match',
      ],
      { username: 'sso-ro:jane', groups: ['view'], matchedBy: 'sso', entryIndex: 5 },
    ],
    [
      '{{AccessKeyID}} with --access-key-id',
      [
        '--arn',
        'arn:aws:sts::111122223333:assumed-role/Ci/build',
        '--access-key-id',
        'ASIAEXAMPLE0000001',
      ],
      { username: 'ci-ASIAEXAMPLE0000001' },
    ],
    [
      '{{EC2PrivateDNSName}} with --ec2-private-dns-name',
      [
        '--arn',
        'arn:aws:sts::111122223333:assumed-role/NodeInstanceRole/i-0123456789abcdef0',
        '--ec2-private-dns-name',
        'ip-10-0-0-1.ec2.internal',
      ],
      {
        username: 'system:node:ip-10-0-0-1.ec2.internal',
        groups: ['system:bootstrappers', 'system:nodes'],
      },
    ],
  ])('%s', async (_name, args, expected) => {
    const result = await map(['--aws-auth', file, ...args]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject(expected);
  });

  it('reads the ConfigMap from standard input with --aws-auth -', async () => {
    const result = await map(
      ['--aws-auth', '-', '--arn', 'arn:aws:iam::444455556666:user/bob'],
      AWS_AUTH,
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ username: 'bob' });
  });
});

describe('map: unmapped → why, and the nearest entries, exit 1', () => {
  it.each([
    [
      'role written with a path',
      'arn:aws:sts::111122223333:assumed-role/Dev/x',
      'arn:aws:iam::111122223333:role/Dev',
      [
        'mapRoles[1] (line 12): arn:aws:iam::111122223333:role/team/Dev',
        /has a path.*--strip-role-paths/,
      ],
    ],
    [
      'entry written as an assumed-role ARN',
      'arn:aws:sts::111122223333:assumed-role/Ops/bob',
      'arn:aws:iam::111122223333:role/Ops',
      [
        'mapRoles[2] (line 16): arn:aws:sts::111122223333:assumed-role/Ops/alice',
        /assumed-role session ARN.*write arn:aws:iam::111122223333:role\/Ops/,
      ],
    ],
    [
      'same user name in another account',
      'arn:aws:iam::999999999999:user/bob',
      'arn:aws:iam::999999999999:user/bob',
      [
        'mapUsers[0] (line 32): arn:aws:iam::444455556666:user/bob',
        /same name in another account \(444455556666, not 999999999999\)/,
      ],
    ],
    [
      'SSO entry without --sso-role-match',
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnly_0123abcd/jane',
      'arn:aws:iam::111122223333:role/AWSReservedSSO_ReadOnly_0123abcd',
      ['mapRoles[5] (line 25): sso ReadOnly in 111122223333', /--sso-role-match/],
    ],
    [
      'account id that lost its leading zero',
      'arn:aws:iam::012345678901:user/zoe',
      'arn:aws:iam::012345678901:user/zoe',
      ['mapAccounts[1]: 12345678901', /12-digit strings/],
    ],
  ] as const)('%s', async (_name, arn, canonical, [entry, reason]) => {
    const result = await map(['--aws-auth', file, '--arn', arn]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe(`not mapped: no aws-auth entry matches ${canonical}`);
    expect(lines[1]).toBe('nearest entries:');
    expect(lines[2]).toBe(`  ${entry}`);
    expect(lines[3]).toMatch(reason);
    expect(lines.slice(4).join('')).toBe('');
  });

  it('lists nothing when nothing comes close', async () => {
    const result = await map(['--aws-auth', file, '--arn', 'arn:aws:iam::222233334444:role/Other']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'not mapped: no aws-auth entry matches arn:aws:iam::222233334444:role/Other\n',
    );
  });
});

describe('map: errors', () => {
  it.each([
    [
      '{{AccessKeyID}} without --access-key-id',
      'arn:aws:sts::111122223333:assumed-role/Ci/build',
      'ERR_TEMPLATE',
      /hint: pass --access-key-id/,
    ],
    [
      '{{EC2PrivateDNSName}} without a resolver',
      'arn:aws:sts::111122223333:assumed-role/NodeInstanceRole/i-0123456789abcdef0',
      'ERR_TEMPLATE',
      /hint: pass --ec2-private-dns-name/,
    ],
    ['not an ARN', 'bob', 'ERR_ARN_INVALID', /^$/],
    ['an S3 ARN', 'arn:aws:s3:::bucket', 'ERR_ARN_INVALID', /^$/],
  ])('%s → exit 1 with %s', async (_name, arn, code, hint) => {
    const result = await map(['--aws-auth', file, '--arn', arn]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const [first, ...rest] = result.stderr.trimEnd().split('\n');
    expect(first).toMatch(new RegExp(`^error ${code}: \\S`));
    expect(rest.join('\n')).toMatch(hint);
  });

  it('still maps with a partly broken ConfigMap, and says so', async () => {
    const result = await map([
      '--aws-auth',
      broken,
      '--arn',
      'arn:aws:iam::111122223333:role/Admin',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ username: 'admin', entryIndex: 1 });
    expect(result.stderr).toMatch(/^warning: .*broken\.yaml has 1 error\(s\).*eks-iam-auth lint/);
  });

  it('a missing "|": Kubernetes refuses the ConfigMap, so nothing maps and stderr says why', async () => {
    const result = await map(
      ['--aws-auth', '-', '--arn', 'arn:aws:iam::111122223333:role/Admin'],
      'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/Admin\n      username: admin\n  mapUsers:\n    - userarn: x\n',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: -:5: mapUsers must be a string .*rejects the whole ConfigMap/,
    );
    expect(result.stderr).toContain('not mapped');
  });

  it('an entry without username maps to the empty user, as EKS does (server.go:507-526)', async () => {
    const result = await map(
      ['--aws-auth', '-', '--arn', 'arn:aws:sts::111122223333:assumed-role/Admin/a'],
      'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/Admin\n      groups: [system:masters]\n',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ username: '', groups: ['system:masters'] });
  });

  it('text from the file in near misses is escaped: no raw ESC or line break', async () => {
    const result = await map(
      ['--aws-auth', '-', '--arn', 'arn:aws:sts::111122223333:assumed-role/Dev/a'],
      'data:\n  mapRoles: |\n    - rolearn: "arn:aws:iam::111122223333:role/x\\u001b[31m\\r\\nerror: forged/Dev"\n      username: d\n    - rolearn: "arn:aws:iam::111122223333:role/Dev "\n      username: d\n',
    );
    expect(result.code).toBe(1);
    // eslint-disable-next-line no-control-regex -- the test looks for raw control characters
    expect(result.stderr).not.toMatch(/[\u001b\r]/);
    expect(result.stderr).toContain('leading or trailing spaces');
    expect(result.stderr).toContain('role/x\\x1b[31m\\r\\nerror: forged/Dev');
    expect(result.stderr).not.toMatch(/^error: forged/m);
  });

  it.each([
    [
      'missing --aws-auth',
      ['--arn', 'arn:aws:iam::111122223333:role/Admin'],
      /--aws-auth is required/,
    ],
    ['missing --arn', ['--aws-auth', 'x.yaml'], /--arn is required/],
    [
      'unreadable file',
      ['--aws-auth', '/nonexistent/aws-auth.yaml', '--arn', 'arn:aws:iam::111122223333:role/Admin'],
      /cannot read \/nonexistent\/aws-auth.yaml: no such file or directory/,
    ],
    ['unknown flag', ['--aws-auth', 'x', '--arn', 'y', '--all'], /Unknown option '--all'/],
  ])('%s → usage error (exit 1)', async (_name, args, message) => {
    const result = await map(args);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });
});

describe('map: <<Name>> placeholders stay literal, as EKS keeps them (SPEC 4.3)', () => {
  // kubernetes-sigs/aws-iam-authenticator pkg/server/server.go:529-548 (81b1dab):
  // renderTemplate replaces only the {{…}} forms, so the cluster's answer keeps
  // <<SessionName>> as written; --angle-bracket-templates asks for the
  // library's mapIdentity default instead.
  const ANGLES = `data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/Dev
      username: dev:<<SessionName>>
      groups:
        - team-<<AccountID>>
`;
  const arn = 'arn:aws:sts::111122223333:assumed-role/Dev/alice';
  let angles: string;
  beforeAll(() => {
    angles = path.join(home, 'angles.yaml');
    writeFileSync(angles, ANGLES);
  });

  it.each([
    [
      '--aws-auth, by default: literal',
      [] as string[],
      'dev:<<SessionName>>',
      'team-<<AccountID>>',
    ],
    [
      '--aws-auth with --angle-bracket-templates: substituted',
      ['--angle-bracket-templates'],
      'dev:alice',
      'team-111122223333',
    ],
    [
      '--source, by default: literal',
      ['--source-form'],
      'dev:<<SessionName>>',
      'team-<<AccountID>>',
    ],
    [
      '--source with --angle-bracket-templates: substituted',
      ['--source-form', '--angle-bracket-templates'],
      'dev:alice',
      'team-111122223333',
    ],
  ])('%s', async (_name, extra, username, group) => {
    const asSource = extra.includes('--source-form');
    const flags = extra.filter((f) => f !== '--source-form');
    const result = await map([
      asSource ? '--source' : '--aws-auth',
      angles,
      '--arn',
      arn,
      ...flags,
    ]);
    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({ username, groups: [group] });
  });

  it('--access-entries with --authentication-mode CONFIG_MAP: literal, the same answer', async () => {
    const entries = path.join(home, 'no-entries.json');
    writeFileSync(entries, JSON.stringify({ accessEntries: [] }));
    const result = await map([
      '--access-entries',
      entries,
      '--aws-auth',
      angles,
      '--authentication-mode',
      'CONFIG_MAP',
      '--arn',
      arn,
    ]);
    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({ username: 'dev:<<SessionName>>' });
  });
});
