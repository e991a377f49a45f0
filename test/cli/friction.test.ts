/**
 * A new user's first hour with the command line: each row is a friction
 * point found by running the tool with bad inputs, and what it must say now.
 * Messages name flags and files (never library option paths such as
 * `options.partition`, never errno codes such as `ENOENT`).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { CLI_PATH, runCli, useCliHome } from './cli-process.js';
import type { CliResult } from './cli-process.js';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/Admin`;
const AWS_AUTH = `data:\n  mapRoles: |\n    - rolearn: ${ROLE}\n      username: admin\n      groups: [admins]\n`;
const ENTRIES = JSON.stringify({
  accessEntries: [{ principalArn: ROLE, kubernetesGroups: ['viewers'] }],
});

const home = useCliHome();
const at = (name: string): string => path.join(home(), name);

beforeAll(() => {
  writeFileSync(at('aws-auth.yaml'), AWS_AUTH);
  writeFileSync(at('entries.json'), ENTRIES);
  writeFileSync(at('secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: aws-auth}\n');
  mkdirSync(at('a-directory'));
  writeFileSync(at('unreadable.yaml'), AWS_AUTH, { mode: 0o000 });
});

// An errno code as Node prints it; ERR_* library codes are fine.
const ERRNO =
  /\bE(?:NOENT|ISDIR|ACCES|PERM|NOTDIR|LOOP|NAMETOOLONG|MFILE|NFILE|IO|NXIO|AGAIN|INVAL|BADF|SPIPE)\b/;
const OPTION_PATH = /\boptions\.[A-Za-z]/;

describe('errors name flags and files, never option paths or errno codes', () => {
  // root reads a mode-000 file anyway; the row then proves nothing, so it is left out.
  const root = process.getuid?.() === 0;
  it.each<[string, string[], RegExp]>([
    [
      'verify: unknown partition',
      ['verify', '--token', 'x', '--cluster-name', 'demo', '--partition', 'aws-mars'],
      /--partition must be a known partition id/,
    ],
    [
      'verify: bad region',
      ['verify', '--token', 'x', '--cluster-name', 'demo', '--region', 'Mars 1'],
      /--region must be/,
    ],
    [
      'verify: cluster name too long',
      ['verify', '--token', 'x', '--cluster-name', 'c'.repeat(300)],
      /--cluster-name \(or --cluster-id\) must be at most/,
    ],
    [
      'token: bad region',
      ['token', '--cluster-name', 'demo', '--region', 'Mars 1'],
      /--region must be/,
    ],
    [
      'token: cluster name with a control character',
      ['token', '--cluster-name', 'de\u0007mo'],
      /--cluster-name \(or --cluster-id\) must be/,
    ],
    [
      'lint: missing file',
      ['lint', 'missing.yaml'],
      /cannot read missing\.yaml: no such file or directory/,
    ],
    [
      'lint: a directory',
      ['lint', 'a-directory'],
      /cannot read a-directory: it is a directory, not a file/,
    ],
    [
      'map: missing file',
      ['map', '--aws-auth', 'missing.yaml', '--arn', ROLE],
      /cannot read missing\.yaml: no such file or directory/,
    ],
    [
      'map: a file under a file',
      ['map', '--aws-auth', 'aws-auth.yaml/x', '--arn', ROLE],
      /cannot read aws-auth\.yaml\/x: a part of the path is not a directory/,
    ],
    [
      'map: the access entries are no JSON: the file is named',
      ['map', '--access-entries', 'aws-auth.yaml', '--arn', ROLE],
      /^error ERR_ACCESS_ENTRIES_INVALID: aws-auth\.yaml: /m,
    ],
    [
      'map: CONFIG_MAP without a ConfigMap',
      [
        'map',
        '--access-entries',
        'entries.json',
        '--authentication-mode',
        'CONFIG_MAP',
        '--arn',
        ROLE,
      ],
      /CONFIG_MAP needs --aws-auth \(or --source\)/,
    ],
    [
      'migrate: the ConfigMap is not one: the file is named',
      ['migrate', 'secret.yaml', '--cluster-name', 'prod'],
      /^error ERR_AWS_AUTH_INVALID: secret\.yaml: expected kind ConfigMap/m,
    ],
    [
      'migrate: missing --existing file',
      ['migrate', 'aws-auth.yaml', '--cluster-name', 'prod', '--existing', 'nope.json'],
      /cannot read nope\.json: no such file or directory/,
    ],
    ...(root
      ? []
      : [
          [
            'lint: permission denied',
            ['lint', 'unreadable.yaml'],
            /cannot read unreadable\.yaml: permission denied/,
          ] as [string, string[], RegExp],
        ]),
  ])('%s', async (_name, args, message) => {
    // Keys in the environment, so `token` gets as far as the flag checks.
    const result = await runCli(home(), args, {
      env: { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' },
    });
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(OPTION_PATH);
    expect(result.stderr).not.toMatch(ERRNO);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('--authentication-mode: any letter case, or an error listing the modes', () => {
  it.each([['api'], ['Api'], ['api_and_config_map'], ['API-AND-CONFIG-MAP'], [' API ']])(
    '%j is read as the EKS mode',
    async (mode) => {
      const result = await runCli(home(), [
        'map',
        '--access-entries',
        at('entries.json'),
        '--aws-auth',
        at('aws-auth.yaml'),
        '--authentication-mode',
        mode,
        '--arn',
        ROLE,
      ]);
      expect(result.code).toBe(EXIT.ok);
      expect(JSON.parse(result.stdout)).toMatchObject({
        authenticationMode: mode.trim().toUpperCase().replaceAll('-', '_'),
        groups: ['viewers'],
      });
    },
  );

  it('config_map without access entries reads the ConfigMap alone', async () => {
    const result = await runCli(home(), [
      'map',
      '--aws-auth',
      at('aws-auth.yaml'),
      '--authentication-mode',
      'config_map',
      '--arn',
      ROLE,
    ]);
    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({
      username: 'admin',
      authenticationMode: 'CONFIG_MAP',
    });
  });

  it.each([
    ['a typo, without --access-entries', ['--authentication-mode', 'apii']],
    [
      'a typo, with --access-entries',
      ['--authentication-mode', 'BOTH', '--access-entries', 'entries.json'],
    ],
  ])('regression: %s is reported as a bad mode, not as a missing file', async (_name, args) => {
    const result = await runCli(home(), ['map', ...args, '--arn', ROLE]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(
      /^error: --authentication-mode must be one of CONFIG_MAP, API_AND_CONFIG_MAP, API \(any letter case\), got "/,
    );
    expect(result.stderr).not.toContain('--access-entries is required');
  });

  it('a mode that reads access entries, without them, says so', async () => {
    const result = await runCli(home(), ['map', '--authentication-mode', 'api', '--arn', ROLE]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(
      /^error: --authentication-mode API reads access entries: --access-entries FILE is required/,
    );
  });
});

describe('migrate --cluster-name follows EKS naming rule', () => {
  // Amazon EKS API Reference, CreateCluster `name`: 1–100 characters,
  // pattern ^[0-9A-Za-z][A-Za-z0-9\-_]* (docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html).
  it.each<[string, string, string | undefined]>([
    ['a plain name', 'prod', undefined],
    ['digits first, - and _', '0prod-eu_1', undefined],
    ['100 characters', 'p'.repeat(100), undefined],
    ['101 characters', 'p'.repeat(101), 'it has 101 characters, at most 100 are allowed'],
    ['a leading -', '-prod', 'it must start with a letter or a digit'],
    ['a leading _', '_prod', 'it must start with a letter or a digit'],
    ['a dot', 'prod.eu', 'only letters, digits, "-" and "_" are allowed'],
    ['a space', 'my cluster', 'only letters, digits, "-" and "_" are allowed'],
    ['non-ASCII letters', 'prodé', 'only letters, digits, "-" and "_" are allowed'],
    ['an option-like name', '--region=x', 'it must start with a letter or a digit'],
    ['a control character', 'pr\u001bod', 'only letters, digits, "-" and "_" are allowed'],
  ])('%s', async (_name, clusterName, problem) => {
    const result = await runCli(home(), [
      'migrate',
      at('aws-auth.yaml'),
      `--cluster-name=${clusterName}`,
    ]);
    if (problem === undefined) {
      expect(result.code).not.toBe(EXIT.usage);
      expect(result.stderr).not.toContain('is not an EKS cluster name');
      return;
    }
    expect(result.code).toBe(EXIT.failure);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`is not an EKS cluster name: ${problem}`);
    expect(result.stderr).not.toContain('\u001b');
  });
});

describe('map: a caller ARN with a role path', () => {
  it('gets a hint: STS reports roles without their path', async () => {
    const result = await runCli(home(), [
      'map',
      '--aws-auth',
      at('aws-auth.yaml'),
      '--arn',
      `arn:aws:iam::${A}:role/team/Admin`,
    ]);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr.split('\n')[0]).toBe(
      `hint: --arn names the role with its path (team/Admin); STS reports roles without their path (arn:aws:sts::${A}:assumed-role/Admin/SESSION), so EKS sees arn:aws:iam::${A}:role/Admin: pass that, or the assumed-role ARN "aws sts get-caller-identity" prints`,
    );
  });

  it.each([
    ['a role without a path', ROLE],
    ['an assumed-role session', `arn:aws:sts::${A}:assumed-role/Admin/alice`],
    ['a user with a path', `arn:aws:iam::${A}:user/team/alice`],
  ])('%s gets none', async (_name, arn) => {
    const result = await runCli(home(), ['map', '--aws-auth', at('aws-auth.yaml'), '--arn', arn]);
    expect(result.stderr).not.toContain('hint:');
  });
});

describe('token with AWS_PROFILE but without the SDK credential chain', () => {
  // The built tool copied alone into an empty directory: no node_modules
  // anywhere above it, so @aws-sdk/credential-providers cannot load, as for
  // a user who installed only eks-iam-auth.
  let alone: string;
  beforeAll(() => {
    alone = at('alone');
    mkdirSync(alone);
    for (const file of ['cli.js', 'token.js']) {
      copyFileSync(path.join(path.dirname(CLI_PATH), file), path.join(alone, file));
    }
  });

  const token = (env: Record<string, string>): Promise<CliResult> =>
    runCli(home(), ['token', '--cluster-name', 'demo'], {
      cliPath: path.join(alone, 'cli.js'),
      env,
    });

  it('regression: the profile is never ignored in favour of the static keys beside it', async () => {
    const result = await token({
      AWS_PROFILE: 'production',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });
    expect(result.stdout).toBe('');
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toBe(
      'error ERR_CREDENTIALS_MISSING: AWS_PROFILE is set, but profiles are read by the AWS SDK credential chain, which is not installed: install @aws-sdk/credential-providers where eks-iam-auth is installed ("npm install --global @aws-sdk/credential-providers" beside a global install), or unset AWS_PROFILE to sign with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n',
    );
  });

  it('AWS_PROFILE alone: the same error', async () => {
    const result = await token({ AWS_PROFILE: 'production' });
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toMatch(/^error ERR_CREDENTIALS_MISSING: AWS_PROFILE is set, /);
  });

  it('nothing at all: the fix in the command line’s words (no library option)', async () => {
    const result = await token({});
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toMatch(
      /^error ERR_CREDENTIALS_MISSING: No AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or install @aws-sdk\/credential-providers/,
    );
    expect(result.stderr).not.toContain('`credentials`');
  });

  it('static keys and no profile still sign without the SDK', async () => {
    const result = await token({
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });
    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout)).toMatchObject({ kind: 'ExecCredential' });
  });
});
