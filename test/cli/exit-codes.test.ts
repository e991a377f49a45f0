/**
 * One exit-status table, every command (src/cli/exit-codes.ts, docs/cli.md
 * "Exit status and errors"): each command is run into every status its row
 * lists, and into a usage error, which is status 1 everywhere (status 2 is
 * `migrate`'s lossy plan, 3 `can-i`'s "unknown").
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMMAND_EXIT_STATUSES,
  EXIT,
  EXIT_STATUS_MEANINGS,
  exitStatusHelp,
} from '../../src/cli/exit-codes.js';
import type { ExitStatus } from '../../src/cli/exit-codes.js';
import { generateToken } from '../../src/token/generate.js';
import { startStsEmulator } from '../support/sts-emulator.js';
import type { StsEmulator } from '../support/sts-emulator.js';
import { runCli, useCliHome } from './cli-process.js';

const A = '111122223333';
const FILES: Record<string, string> = {
  'clean.yaml': `data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::${A}:role/Admin\n      username: admin\n      groups: [admins]\n`,
  'errors.yaml': `data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::${A}:role/team/Admin\n      username: admin\n`,
  // system:masters → the cluster admin policy: nothing lost once the real ARN is known.
  'lossless.yaml': `mapRoles: |\n  - rolearn: arn:aws:iam::${A}:role/admin\n    username: "admin:{{SessionName}}"\n    groups: [system:masters]\n`,
  'roles.json': JSON.stringify([`arn:aws:iam::${A}:role/admin`]),
  // mapAccounts has no access-entry equivalent.
  'lossy.yaml': `mapAccounts: |\n  - "${A}"\n`,
  // A node role (the Node authorizer decides secrets from live objects) and an admin.
  'cluster.yaml': `mapRoles: |\n  - rolearn: arn:aws:iam::${A}:role/admin\n    username: admin\n    groups: [system:masters]\n  - rolearn: arn:aws:iam::${A}:role/nodes\n    username: system:node:{{SessionName}}\n    groups: [system:nodes]\n`,
};

const home = useCliHome();
let emulator: StsEmulator;
const at = (name: string): string => path.join(home(), name);

beforeAll(async () => {
  for (const [name, text] of Object.entries(FILES)) writeFileSync(at(name), text);
  emulator = await startStsEmulator();
});
afterAll(async () => {
  await emulator.close();
});

async function token(): Promise<string> {
  const generated = await generateToken({
    clusterId: 'demo',
    region: 'us-west-2',
    credentials: emulator.credentialsFor('iam-user'),
  });
  return generated.token;
}

type Scenario = [
  command: string,
  status: ExitStatus,
  what: string,
  args: () => Promise<string[]> | string[],
  env?: Record<string, string>,
];

const KEYS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' };

const SCENARIOS: Scenario[] = [
  ['token', 0, 'ExecCredential printed', () => ['token', '--cluster-name', 'demo'], KEYS],
  ['token', 1, 'no credentials', () => ['token', '--cluster-name', 'demo']],
  ['token', 1, 'a usage error', () => ['token', '--cluster-name', 'demo', '--nope'], KEYS],
  [
    'verify',
    0,
    'verified',
    async () => ['verify', '--token', await token(), '--cluster-name', 'demo'],
  ],
  [
    'verify',
    1,
    'rejected (another cluster)',
    async () => ['verify', '--token', await token(), '--cluster-name', 'other'],
  ],
  ['verify', 1, 'a usage error', () => ['verify', '--cluster-name', 'demo']],
  [
    'map',
    0,
    'mapped',
    () => ['map', '--aws-auth', at('clean.yaml'), '--arn', `arn:aws:iam::${A}:role/Admin`],
  ],
  [
    'map',
    1,
    'not mapped',
    () => ['map', '--aws-auth', at('clean.yaml'), '--arn', `arn:aws:iam::${A}:role/Other`],
  ],
  ['map', 1, 'a usage error', () => ['map', '--arn', `arn:aws:iam::${A}:role/Admin`]],
  ['lint', 0, 'no errors', () => ['lint', at('clean.yaml')]],
  ['lint', 1, 'errors found', () => ['lint', at('errors.yaml')]],
  ['lint', 1, 'an unreadable file', () => ['lint', at('missing.yaml')]],
  [
    'migrate',
    0,
    'lossless',
    () => [
      'migrate',
      at('lossless.yaml'),
      '--cluster-name',
      'prod',
      '--principal-arns',
      at('roles.json'),
    ],
  ],
  ['migrate', 2, 'lossy', () => ['migrate', at('lossy.yaml'), '--cluster-name', 'prod']],
  [
    'migrate',
    1,
    'an invalid cluster name',
    () => ['migrate', at('lossless.yaml'), '--cluster-name', '-prod'],
  ],
  ['migrate', 1, 'a usage error', () => ['migrate', '--cluster-name', 'prod']],
  [
    'migrate',
    1,
    'an unreadable file',
    () => ['migrate', at('missing.yaml'), '--cluster-name', 'p'],
  ],
  [
    'can-i',
    0,
    'allowed',
    () => [
      'can-i',
      'get',
      'secrets',
      '-n',
      'prod',
      '--arn',
      `arn:aws:sts::${A}:assumed-role/admin/x`,
      '--aws-auth',
      at('cluster.yaml'),
    ],
  ],
  [
    'can-i',
    1,
    'denied (not mapped)',
    () => [
      'can-i',
      'get',
      'secrets',
      '-n',
      'prod',
      '--arn',
      `arn:aws:sts::${A}:assumed-role/other/x`,
      '--aws-auth',
      at('cluster.yaml'),
    ],
  ],
  [
    'can-i',
    3,
    'unknown (the Node authorizer decides)',
    () => [
      'can-i',
      'get',
      'secrets',
      's',
      '-n',
      'prod',
      '--arn',
      `arn:aws:sts::${A}:assumed-role/nodes/fargate-ip-10-0-0-1`,
      '--aws-auth',
      at('cluster.yaml'),
    ],
  ],
  ['can-i', 1, 'a usage error', () => ['can-i', 'get', 'secrets', '--aws-auth', at('clean.yaml')]],
  [
    'who-can',
    0,
    'every answer known',
    () => ['who-can', 'create', 'clusterroles', '--aws-auth', at('cluster.yaml')],
  ],
  [
    'who-can',
    3,
    // A named secret: the Node authorizer's graph decides (node_authorizer.go
    // `hasPathFrom`); it refuses a secret without a name outright.
    'an answer unknown',
    () => ['who-can', 'get', 'secrets', 's', '-n', 'prod', '--aws-auth', at('cluster.yaml')],
  ],
  ['who-can', 1, 'a usage error', () => ['who-can', '--aws-auth', at('cluster.yaml')]],
];

describe('the table', () => {
  it('usage errors are status 1 (2 is lossy, 3 unknown)', () => {
    expect(EXIT).toEqual({ ok: 0, failure: 1, usage: 1, lossy: 2, unknown: 3 });
    expect(Object.keys(EXIT_STATUS_MEANINGS)).toEqual(['0', '1', '2', '3']);
  });

  it('every command row is covered by a scenario of each status it lists', () => {
    const covered = new Set(SCENARIOS.map(([c, s]) => `${c} ${s}`));
    for (const [command, row] of Object.entries(COMMAND_EXIT_STATUSES)) {
      for (const status of Object.keys(row)) expect(covered).toContain(`${command} ${status}`);
    }
  });
});

describe('every command follows it', () => {
  it.each(SCENARIOS)('%s → %s: %s', async (command, status, _what, args, env) => {
    const result = await runCli(home(), await args(), {
      env: { EKS_IAM_AUTH_STS_ENDPOINT: emulator.url, ...env },
    });
    expect(result.code, result.stderr).toBe(status);
    expect(COMMAND_EXIT_STATUSES[command]?.[status]).toBeDefined();
  });

  it.each(Object.keys(COMMAND_EXIT_STATUSES))('%s --help states its row', async (command) => {
    const result = await runCli(home(), [command, '--help']);
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain(`${exitStatusHelp(command)}\n`);
  });

  it('eks-iam-auth --help states what each status means; no command is a usage error', async () => {
    const help = await runCli(home(), ['--help']);
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toContain(exitStatusHelp());
    const none = await runCli(home(), []);
    expect(none.code).toBe(EXIT.usage);
    const unknown = await runCli(home(), ['nope']);
    expect(unknown.code).toBe(EXIT.usage);
  });
});
