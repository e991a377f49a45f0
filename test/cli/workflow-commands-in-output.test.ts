/**
 * Regression (security audit of the CLI's outputs): outside
 * `lint --format github`, text from the input reached GitHub Actions logs
 * as workflow commands. A line whose start (after white space) is `::`, or
 * that holds the old `##[` syntax anywhere, is a command to the Actions
 * runner (actions/runner at 258d6c857db3519913f7deb6004b60172f8043ae,
 * `src/Runner.Common/ActionCommand.cs` `TryParseV2` and `TryParse`, both
 * tried on every line: `src/Runner.Worker/ActionCommandManager.cs`
 * lines 70–71). `lint` in text format starts each line with the file name,
 * so a file in a pull request named `::warning file=README.md,line=1::…`
 * printed a forged annotation on a file and line of its choosing (or
 * `::set-output name=…::…`, `::add-mask::…`, `::stop-commands::…`); a
 * value or name quoted in a message, a table cell of `can-i --list` (RBAC
 * resource names are free text), or a JSON string could hold `##[error]`.
 *
 * `migrate` printed the plan itself raw: a username `##[add-mask]x` or a
 * group `##[error]y` came out live in its JSON, in the `aws eks` script's
 * `--cli-input-json`, in Terraform strings and in the CloudFormation YAML.
 *
 * Every line the tool prints, on both streams, in text and JSON, is read
 * here the way the runner reads it (`test/support/workflow-commands.ts`,
 * written from the runner's source): none may be a command. The escapes
 * are the tool's own (`\x3a:` at the start of a text, `##\x5b` in text,
 * `##\u005b` in JSON, YAML and HCL strings, the same value to their
 * readers: test/migrate/hostile-corpus/ proves it with the real consumers).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  REGISTERED_COMMANDS,
  hasLegacyCommand,
  parseWorkflowCommand,
} from '../support/workflow-commands.js';
import { runCli, useCliHome } from './cli-process.js';

const home = useCliHome();
let dir: string;

/** File names that are workflow commands, as a pull request could add them. */
const NAMES = [
  '::warning file=README.md,line=1::forged',
  '  ::set-output name=approved::true',
  '\u2003::add-mask::ghp_secret',
  '::stop-commands::resume-token',
  'x ##[error]forged',
];

/** Values quoted by diagnostics and tables: a group near-miss, an RBAC resource. */
const GROUP = '##[error]forged system:master';
const RESOURCE = '::set-output name=approved::true';

/** An aws-auth ConfigMap whose `mapRoles` are `lines` (indented by 4). */
function awsAuthWith(lines: string[]): string {
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: aws-auth, namespace: kube-system}',
    'data:',
    '  mapRoles: |',
    ...lines.map((line) => `    ${line}`),
    '',
  ].join('\n');
}

function awsAuth(): string {
  return awsAuthWith([
    // EKS keeps the last of two entries for one role: the second.
    '- rolearn: arn:aws:iam::111122223333:role/dev',
    '  username: "::error::duplicate"',
    '- rolearn: arn:aws:iam::111122223333:role/dev',
    '  username: "##[warning]forged-{{SessionName}}"',
    `  groups: ["system:master", ${JSON.stringify(GROUP)}, "devs"]`,
  ]);
}

function rbac(): string {
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRole',
    'metadata: {name: "##[error]role"}',
    'rules:',
    `- {apiGroups: [""], resources: [${JSON.stringify(RESOURCE)}, "##[error]r"], verbs: [get]}`,
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRoleBinding',
    'metadata: {name: "::error::binding"}',
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "##[error]role"}',
    'subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: devs}]',
    '',
  ].join('\n');
}

/**
 * An aws-auth whose values are workflow commands, each one the planner
 * carries into the plan: usernames, groups, and a role path (from
 * --principal-arns, where IAM allows `#`, `[`, `:` and `]`).
 */
function migrateAwsAuth(): string {
  return awsAuthWith([
    '- rolearn: arn:aws:iam::111122223333:role/dev',
    '  username: "##[add-mask]x"',
    '  groups: ["##[error]y", "::error::z", "a ##[set-output name=approved]true"]',
    '- rolearn: arn:aws:iam::111122223333:role/ops',
    '  username: "::set-output name=approved::true"',
    '  groups: ["##[stop-commands]resume"]',
  ]);
}

beforeAll(() => {
  dir = path.join(home(), 'repo');
  mkdirSync(dir);
  for (const name of NAMES) writeFileSync(path.join(dir, name), awsAuth());
  writeFileSync(path.join(dir, 'rbac.yaml'), rbac());
  writeFileSync(path.join(dir, 'aws-auth.yaml'), awsAuth());
  writeFileSync(path.join(dir, 'migrate-aws-auth.yaml'), migrateAwsAuth());
  writeFileSync(
    path.join(dir, 'principal-arns.json'),
    JSON.stringify(['arn:aws:iam::111122223333:role/##[error]path/::warning::x/dev']),
  );
});

/** The lines of both streams that the runner would read as a workflow command. */
function commandsIn(output: { stdout: string; stderr: string }): string[] {
  return `${output.stdout}\n${output.stderr}`
    .split('\n')
    .filter(
      (line) =>
        parseWorkflowCommand(line, REGISTERED_COMMANDS) !== undefined ||
        hasLegacyCommand(line, REGISTERED_COMMANDS),
    );
}

const ARN = 'arn:aws:sts::111122223333:assumed-role/dev/alice';
const FORMATS = ['json', 'aws-cli', 'terraform', 'cloudformation'] as const;
const MIGRATE = (format: string): string[] => [
  'migrate',
  path.join(dir, 'migrate-aws-auth.yaml'),
  '--cluster-name',
  'prod',
  '--principal-arns',
  path.join(dir, 'principal-arns.json'),
  '--format',
  format,
];
const CLUSTER = (): string[] => [
  '--aws-auth',
  path.join(dir, 'aws-auth.yaml'),
  '--rbac',
  path.join(dir, 'rbac.yaml'),
  '--authentication-mode',
  'CONFIG_MAP',
];

describe('regression: no line of the output is a GitHub Actions workflow command', () => {
  const runs: [string, () => string[], number[]][] = [
    [
      'lint (text), hostile file names',
      () => ['lint', ...NAMES.map((n) => path.join(dir, n))],
      [1],
    ],
    ['lint (text), names relative to the working directory', () => ['lint', ...NAMES], [1]],
    ['lint --format json', () => ['lint', '--format', 'json', ...NAMES], [1]],
    ['lint --format sarif', () => ['lint', '--format', 'sarif', ...NAMES], [1]],
    ['map', () => ['map', '--aws-auth', path.join(dir, 'aws-auth.yaml'), '--arn', ARN], [0]],
    ['can-i --list', () => ['can-i', '--list', '--arn', ARN, ...CLUSTER()], [0]],
    [
      'can-i --list --format json',
      () => ['can-i', '--list', '--format', 'json', '--arn', ARN, ...CLUSTER()],
      [0],
    ],
    ['can-i', () => ['can-i', 'get', RESOURCE, '--arn', ARN, ...CLUSTER()], [0, 1]],
    ['who-can', () => ['who-can', 'get', RESOURCE, ...CLUSTER()], [0, 3]],
    [
      'who-can --format json',
      () => ['who-can', 'get', RESOURCE, '--format', 'json', ...CLUSTER()],
      [0, 3],
    ],
    ...FORMATS.map((format): [string, () => string[], number[]] => [
      `migrate --format ${format}`,
      () => MIGRATE(format),
      [0, 2],
    ]),
  ];

  it.each(runs)('%s', async (_, args, codes) => {
    const result = await runCli(home(), args(), { cwd: dir });
    expect(codes).toContain(result.code);
    // The run printed the hostile text (escaped), so the check is not vacuous.
    expect(`${result.stdout}${result.stderr}`).toMatch(/forged|set-output|add-mask|stop-commands/);
    expect(commandsIn(result)).toEqual([]);
  });

  it.each(FORMATS)(
    'migrate --format %s prints every hostile value, as an escape',
    async (format) => {
      const result = await runCli(home(), MIGRATE(format));
      expect(result.code, result.stderr).toBe(0);
      for (const text of [
        '##\\u005badd-mask]x',
        '##\\u005berror]y',
        '::error::z',
        'a ##\\u005bset-output name=approved]true',
        '::set-output name=approved::true',
        '##\\u005bstop-commands]resume',
        'role/##\\u005berror]path/::warning::x/dev',
      ]) {
        expect(result.stdout).toContain(text);
      }
    },
  );
});
