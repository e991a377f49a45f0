/**
 * The command line for access entries, run as a subprocess: `migrate` (exit
 * 0 lossless, 2 lossy, 1 error; plan on stdout, losses on stderr), `map`
 * with `--access-entries` and `--authentication-mode`, `lint` on access-entry
 * JSON (told apart by content), and control characters from input files
 * escaped in every message.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { repoRoot } from '../support/vectors.js';
import { assertCliBuilt, makeHome, runCli } from './cli-process.js';

const EXAMPLE = path.join(repoRoot, 'examples', 'access-entries');
const A = '111122223333';

const FILES: Record<string, string> = {
  'aws-auth.yaml': readFileSync(path.join(EXAMPLE, 'aws-auth.yaml'), 'utf8'),
  'principal-arns.json': readFileSync(path.join(EXAMPLE, 'principal-arns.json'), 'utf8'),
  'access-entries.json': readFileSync(path.join(EXAMPLE, 'access-entries.json'), 'utf8'),
  'lossless.yaml': `mapRoles: |
  - rolearn: arn:aws:iam::${A}:role/nodes
    username: system:node:{{EC2PrivateDNSName}}
    groups: [system:bootstrappers, system:nodes]
  - rolearn: arn:aws:iam::${A}:role/admin
    username: "admin:{{SessionName}}"
    groups: [system:masters]
`,
  'list-roles.json': JSON.stringify({
    Roles: [{ Arn: `arn:aws:iam::${A}:role/nodes` }, { Arn: `arn:aws:iam::${A}:role/team/admin` }],
  }),
  'broken-entries.json': JSON.stringify({
    accessEntries: [
      { principalArn: `arn:aws:iam::${A}:role/ci`, kubernetesGroups: ['system:masters'] },
      { principalArn: `arn:aws:sts::${A}:assumed-role/ci/x` },
      { principalArn: `arn:aws:iam::${A}:role/evil`, username: 'system:\u001b[31mroot\u001b[0m' },
    ],
  }),
  'not-json.json': '{ nope',
  'evil-auth.yaml': `mapRoles: |
  - rolearn: arn:aws:iam::${A}:role/evil
    username: "eks:\\e[2Jowned"
    groups: [ops]
`,
};

let home: string;
let remove: () => void;
const file = (name: string): string => path.join(home, name);

beforeAll(() => {
  assertCliBuilt();
  ({ home, remove } = makeHome());
  for (const [name, text] of Object.entries(FILES)) writeFileSync(file(name), text);
});
afterAll(() => remove());

describe('migrate', () => {
  it('prints the plan on stdout and the losses on stderr, exit 2 when lossy', async () => {
    const r = await runCli(home, [
      'migrate',
      file('aws-auth.yaml'),
      '--cluster-name',
      'prod',
      '--principal-arns',
      file('principal-arns.json'),
      '--include-node-roles',
    ]);
    expect(r.code).toBe(2);
    const plan = JSON.parse(r.stdout) as { createAccessEntry: { type: string }[] };
    expect(plan.createAccessEntry.map((e) => e.type)).toEqual([
      'EC2_LINUX',
      'FARGATE_LINUX',
      'STANDARD',
      'STANDARD',
      'STANDARD',
    ]);
    expect(r.stderr).toContain('loss map-accounts: mapAccounts[0]');
    expect(r.stderr).toContain('warning cross-account: mapRoles[3] (line 24)');
    expect(r.stderr).toContain('check under API: 1 difference(s)');
  });

  it('exits 0 for a lossless plan, reading "aws iam list-roles" output for paths', async () => {
    const r = await runCli(home, [
      'migrate',
      file('lossless.yaml'),
      '--cluster-name',
      'prod',
      '--principal-arns',
      file('list-roles.json'),
      '--include-node-roles',
      '--format',
      'aws-cli',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `aws eks create-access-entry --cli-input-json '{"clusterName":"prod","principalArn":"arn:aws:iam::${A}:role/team/admin","type":"STANDARD","username":"admin:{{SessionName}}"}'`,
    );
    expect(r.stderr).toContain('check under API: equivalent');
  });

  it('does not plan node roles without --existing or --include-node-roles, and says why', async () => {
    const r = await runCli(home, [
      'migrate',
      file('lossless.yaml'),
      '--cluster-name',
      'prod',
      '--principal-arns',
      file('list-roles.json'),
    ]);
    expect(r.code).toBe(2);
    const plan = JSON.parse(r.stdout) as { createAccessEntry: { principalArn: string }[] };
    expect(plan.createAccessEntry.map((e) => e.principalArn)).toEqual([
      `arn:aws:iam::${A}:role/team/admin`,
    ]);
    expect(r.stderr).toContain('warning node-role-not-planned: mapRoles[0]');
    expect(r.stderr).toContain('409 ResourceInUseException');
  });

  it('prints no CloudFormation template for a plan without entries, and says so', async () => {
    writeFileSync(file('accounts-only.yaml'), 'mapAccounts: |\n  - "444455556666"\n');
    const r = await runCli(home, [
      'migrate',
      file('accounts-only.yaml'),
      '--cluster-name',
      'prod',
      '--format',
      'cloudformation',
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no CloudFormation template is printed');
  });

  it.each<[string, string[]]>([
    ['no file', ['--cluster-name', 'prod']],
    ['no cluster name', ['AWS_AUTH']],
    ['an unknown format', ['AWS_AUTH', '--cluster-name', 'p', '--format', 'yaml']],
    ['an unknown target', ['AWS_AUTH', '--cluster-name', 'p', '--target', 'CONFIG_MAP']],
    ['a missing file', ['missing.yaml', '--cluster-name', 'p']],
    [
      'a principal-arns file that is not JSON',
      ['AWS_AUTH', '--cluster-name', 'p', '--principal-arns', 'NOT_JSON'],
    ],
    [
      'an existing-entries file that is not JSON',
      ['AWS_AUTH', '--cluster-name', 'p', '--existing', 'NOT_JSON'],
    ],
  ])('exits 1 on error: %s', async (_name, args) => {
    const r = await runCli(home, [
      'migrate',
      ...args.map((a) =>
        a === 'AWS_AUTH' ? file('aws-auth.yaml') : a === 'NOT_JSON' ? file('not-json.json') : a,
      ),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error/m);
  });

  it('escapes control characters from the ConfigMap in losses', async () => {
    writeFileSync(
      file('evil.yaml'),
      `mapRoles: |\n  - rolearn: arn:aws:iam::${A}:role/evil\n    username: "eks:\\e]0;x\\u0007"\n    groups: [ops]\n`,
    );
    const r = await runCli(home, ['migrate', file('evil.yaml'), '--cluster-name', 'prod']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('\\u001b]0;x\\u0007');
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).not.toContain('\u0007');
  });
});

describe('map with access entries', () => {
  it.each<[string, string[], number, string | undefined, string]>([
    [
      'API_AND_CONFIG_MAP: the access entry wins, the aws-auth entry is reported as shadowed',
      [
        '--aws-auth',
        'aws-auth.yaml',
        '--authentication-mode',
        'API_AND_CONFIG_MAP',
        '--arn',
        'arn:aws:sts::444455556666:assumed-role/github-actions-deploy/run-42',
      ],
      0,
      'ci-deployer',
      'shadowed',
    ],
    [
      'API: an aws-auth-only role is not mapped, and the ignored entry is named',
      [
        '--aws-auth',
        'aws-auth.yaml',
        '--authentication-mode',
        'API',
        '--arn',
        `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b/alice`,
      ],
      1,
      undefined,
      'ignored',
    ],
    [
      'the bundle mode applies without the flag; a path-less caller matches an entry with a path',
      [
        '--aws-auth',
        'aws-auth.yaml',
        '--arn',
        `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_ReadOnly_9f8e7d6c5b4a3f2e/bob@example.com`,
      ],
      0,
      `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_ReadOnly_9f8e7d6c5b4a3f2e/bob-example.com`,
      '',
    ],
    [
      'CONFIG_MAP: exactly the aws-auth answer',
      [
        '--aws-auth',
        'aws-auth.yaml',
        '--authentication-mode',
        'CONFIG_MAP',
        '--arn',
        'arn:aws:sts::444455556666:assumed-role/github-actions-deploy/run-42',
      ],
      0,
      'ci:run-42',
      'ignored',
    ],
  ])('%s', async (_name, args, code, username, stderr) => {
    const r = await runCli(home, [
      'map',
      '--access-entries',
      file('access-entries.json'),
      ...args.map((a) => (a === 'aws-auth.yaml' ? file(a) : a)),
    ]);
    expect(r.code).toBe(code);
    if (username !== undefined)
      expect((JSON.parse(r.stdout) as { username: string }).username).toBe(username);
    else expect(r.stdout).toBe('');
    expect(r.stderr).toContain(stderr);
  });

  it('shows the access policies', async () => {
    const r = await runCli(home, [
      'map',
      '--access-entries',
      file('access-entries.json'),
      '--aws-auth',
      file('aws-auth.yaml'),
      '--arn',
      `arn:aws:sts::${A}:assumed-role/AWSReservedSSO_ReadOnly_9f8e7d6c5b4a3f2e/bob`,
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({
      accessPolicies: [{ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' }],
      authenticationMode: 'API_AND_CONFIG_MAP',
      source: 'accessEntry',
    });
  });

  it.each<[string, string[]]>([
    [
      'an unknown mode',
      [
        '--access-entries',
        'ENTRIES',
        '--authentication-mode',
        'BOTH',
        '--arn',
        `arn:aws:iam::${A}:user/x`,
      ],
    ],
    [
      'a mode without --access-entries',
      ['--authentication-mode', 'API', '--arn', `arn:aws:iam::${A}:user/x`],
    ],
    [
      'CONFIG_MAP without --aws-auth',
      [
        '--access-entries',
        'ENTRIES',
        '--authentication-mode',
        'CONFIG_MAP',
        '--arn',
        `arn:aws:iam::${A}:user/x`,
      ],
    ],
  ])('usage error (exit 1): %s', async (_name, args) => {
    const r = await runCli(home, [
      'map',
      ...args.map((a) => (a === 'ENTRIES' ? file('access-entries.json') : a)),
    ]);
    expect(r.code).toBe(EXIT.usage);
  });
});

describe('lint on access entries', () => {
  it('reports access-entry rules, told apart from aws-auth by content, with escapes', async () => {
    const r = await runCli(home, ['lint', file('broken-entries.json')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/: error [a-z-]+ accessEntries\[0\]\.kubernetesGroups\[0\]: /);
    expect(lines[1]).toMatch(/: error [a-z-]+ accessEntries\[1\]\.principalArn: /);
    expect(lines[2]).toMatch(/: error [a-z-]+ accessEntries\[2\]\.username: /);
    // Every entry is dropped: nobody is mapped through this file.
    expect(lines[3]).toMatch(/: warning maps-nothing /);
    expect(lines[4]).toMatch(/broken-entries\.json: 0 entries, 3 errors, 1 warning$/);
    expect(r.stdout).not.toContain('\u001b');
  });

  it('passes a clean file, in JSON format too', async () => {
    const r = await runCli(home, ['lint', '--format', 'json', file('access-entries.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

describe('escapeControl (the one escaper every command prints file text through)', () => {
  it.each<[string, string]>([
    ['plain arn:aws:iam::1:role/x', 'plain arn:aws:iam::1:role/x'],
    ['\u001b[2J', '\\x1b[2J'],
    ['a\nforged: line', 'a\\nforged: line'],
    ['bell\u0007 del\u007f c1\u009b', 'bell\\x07 del\\x7f c1\\x9b'],
    [
      'bidi \u202e and \u2066, separators \u2028\u2029',
      'bidi \\u{202e} and \\u{2066}, separators \\u{2028}\\u{2029}',
    ],
    ['non-ASCII é stays', 'non-ASCII é stays'],
  ])('%j', async (input, output) => {
    const { escapeControl } = await import('../../src/cli/output.js');
    expect(escapeControl(input)).toBe(output);
  });
});
