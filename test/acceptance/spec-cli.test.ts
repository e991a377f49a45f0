/**
 * Acceptance: SPEC 9 (and the CLI duties of 4.1.1) on the built command
 * (`dist/cli.js`) run as a subprocess: each command, flag, output format
 * and exit status the SPEC names. The formats are proven against their
 * real consumers in test/cli/ (kubectl, the SARIF validators, the Actions
 * runner's unescaping); these cases pin the contract.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, useCliHome } from '../cli/cli-process.js';

const A = '111122223333';
const ROLE = (name: string): string => `arn:aws:iam::${A}:role/${name}`;
const SESSION = (role: string, session: string): string =>
  `arn:aws:sts::${A}:assumed-role/${role}/${session}`;
const POLICY = (name: string): string => `arn:aws:eks::aws:cluster-access-policy/${name}`;

const FILES: Record<string, string> = {
  'clean.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: aws-auth, namespace: kube-system}',
    'data:',
    '  mapRoles: |',
    `    - rolearn: ${ROLE('admin')}`,
    '      username: admin',
    '      groups:',
    '        - system:masters',
    '',
  ].join('\n'),
  // An error at line 8, column 17 (the value), and a warning (no username).
  'mistakes.yaml': [
    'data:',
    '  mapRoles: |',
    `    - rolearn: ${ROLE('ops')}`,
    '      groups: [ops]',
    `    - rolearn: ${ROLE('admin')}`,
    '      username: admin',
    '      groups:',
    '        - "system:master"',
    '',
  ].join('\n'),
  'warnings.yaml': `data:\n  mapRoles: |\n    - rolearn: ${ROLE('ops')}\n      groups: [ops]\n`,
  'forged.yaml': `data:\n  mapRoles: |\n    - rolearn: ${ROLE('x')}\n      username: "a\\u001b[31mred\\nclean.yaml:1:1: error forged"\n`,
  'not-a-configmap.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n',
  'entries.json': JSON.stringify({
    authenticationMode: 'API_AND_CONFIG_MAP',
    accessEntries: [
      {
        principalArn: ROLE('viewer'),
        accessPolicies: [
          {
            policyArn: POLICY('AmazonEKSViewPolicy'),
            accessScope: { type: 'namespace', namespaces: ['dev-*'] },
          },
        ],
      },
      {
        principalArn: ROLE('compute'),
        accessPolicies: [
          { policyArn: POLICY('AmazonEKSComputePolicy'), accessScope: { type: 'cluster' } },
        ],
      },
    ],
  }),
  'bad-entries.json': JSON.stringify({
    accessEntries: [{ principalArn: ROLE('x'), username: 'system:x' }],
  }),
  'config.yaml': `server:\n  mapRoles:\n  - roleARN: ${ROLE('cfg')}\n    username: from-config\n`,
  'roles.json': JSON.stringify([ROLE('admin')]),
  'lossy.yaml': `mapAccounts: |\n  - "${A}"\n`,
  'rbac.yaml': [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: RoleBinding',
    'metadata: {name: viewers-edit, namespace: dev-a}',
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}',
    'subjects:',
    `- {kind: User, name: "${SESSION('viewer', 'alice')}"}`,
    '',
  ].join('\n'),
};

const home = useCliHome();
const file = (name: string): string => path.join(home(), name);
const cli = (...args: string[]): ReturnType<typeof runCli> => runCli(home(), args);

beforeAll(() => {
  for (const [name, text] of Object.entries(FILES)) writeFileSync(file(name), text);
});

describe('SPEC 9 lint', () => {
  const LINE =
    /^(?<file>[^\n]+):(?<line>\d+):(?<column>\d+): (?<severity>error|warning) (?<code>[a-z0-9-]+) (?<message>.+)$/;

  it('text: "file:line:column: severity code message", then a summary per file; exit 1 on errors', async () => {
    const result = await cli('lint', file('mistakes.yaml'));
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    const located = lines.slice(0, -1).map((line) => LINE.exec(line)?.groups);
    expect(located).toEqual([
      expect.objectContaining({
        file: file('mistakes.yaml'),
        line: '3',
        severity: 'warning',
        code: 'missing-username',
      }),
      expect.objectContaining({
        line: '8',
        column: '11',
        severity: 'error',
        code: 'group-near-miss',
      }),
    ]);
    expect(lines.at(-1)).toBe(`${file('mistakes.yaml')}: 2 entries, 1 error, 1 warning`);
  });

  it('a clean file: a one-line summary, exit 0; warnings alone exit 0', async () => {
    const clean = await cli('lint', file('clean.yaml'));
    expect(clean).toMatchObject({
      code: 0,
      stdout: `${file('clean.yaml')}: 1 entry, no problems\n`,
    });
    expect((await cli('lint', file('warnings.yaml'))).code).toBe(0);
  });

  it('json: an array of diagnostics, each with its file; fatal errors included', async () => {
    const result = await cli(
      'lint',
      '--format',
      'json',
      file('mistakes.yaml'),
      file('not-a-configmap.yaml'),
    );
    expect(result.code).toBe(1);
    const diagnostics = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        file: file('mistakes.yaml'),
        code: 'group-near-miss',
        line: 5,
        fieldLine: 8,
        column: 11,
      }),
    );
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        file: file('not-a-configmap.yaml'),
        fatal: true,
        severity: 'error',
      }),
    );
  });

  it('sarif: a SARIF 2.1.0 log, each result at its line and column', async () => {
    const result = await cli('lint', '--format', 'sarif', file('mistakes.yaml'));
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string } };
        results: {
          ruleId: string;
          level: string;
          locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[];
        }[];
      }[];
    };
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0]?.results ?? [];
    const nearMiss = results.find((r) => r.ruleId === 'group-near-miss');
    expect(nearMiss?.level).toBe('error');
    expect(nearMiss?.locations[0]?.physicalLocation.region).toMatchObject({
      startLine: 8,
      startColumn: 11,
    });
  });

  it('github: workflow annotations "::error file=…,line=…,col=…::…"', async () => {
    const result = await cli('lint', '--format', 'github', file('mistakes.yaml'));
    expect(result.code).toBe(1);
    const annotations = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('::error') || line.startsWith('::warning'));
    expect(annotations).toHaveLength(2);
    expect(annotations[1]).toMatch(/^::error [^:]*file=[^,]+,line=8,col=11::.*system:master/);
  });

  it('text taken from the file is printed with control characters escaped: no terminal escapes, no forged lines', async () => {
    for (const format of ['text', 'github']) {
      const result = await cli('lint', '--format', format, file('forged.yaml'));
      expect(result.stdout).not.toContain('\u001b');
      expect(result.stdout.split('\n').some((line) => line.startsWith('clean.yaml:1:1'))).toBe(
        false,
      );
    }
  });

  it("access-entry JSON and the authenticator's config file are told apart by content", async () => {
    const entries = await cli('lint', file('bad-entries.json'));
    expect(entries.code).toBe(1);
    expect(entries.stdout).toContain('username-reserved');
    const config = await cli('lint', file('config.yaml'));
    expect(config).toMatchObject({ code: 0 });
    expect(config.stdout).toContain('no problems');
  });

  it('--format of another name is a usage error: exit 1, the flag named', async () => {
    const result = await cli('lint', '--format', 'xml', file('clean.yaml'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--format');
  });
});

describe('SPEC 9 migrate', () => {
  it('exit 0 lossless: the plan (JSON) on stdout, the report on stderr', async () => {
    const result = await cli(
      'migrate',
      file('clean.yaml'),
      '--cluster-name',
      'prod',
      '--principal-arns',
      file('roles.json'),
    );
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { createAccessEntry: { principalArn: string }[] };
    expect(plan.createAccessEntry.map((e) => e.principalArn)).toEqual([ROLE('admin')]);
    expect(result.stderr).toContain('0 loss(es)');
  });

  it('exit 2 with losses, each on stderr', async () => {
    const result = await cli('migrate', file('lossy.yaml'), '--cluster-name', 'prod');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/loss map-accounts/);
  });

  it.each([
    ['aws-cli', /set -euo pipefail\n[\s\S]*aws eks create-access-entry --cli-input-json '/],
    ['cloudformation', /AWS::EKS::AccessEntry/],
    ['terraform', /resource "aws_eks_access_entry"/],
    ['json', /"createAccessEntry"/],
  ])('--format %s', async (format, shape) => {
    const result = await cli(
      'migrate',
      file('clean.yaml'),
      '--cluster-name',
      'prod',
      '--principal-arns',
      file('roles.json'),
      '--format',
      format,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(shape);
  });

  it.each([
    ['no --cluster-name', []],
    ['a name EKS cannot give a cluster', ['--cluster-name', 'bad name']],
    ['an unknown format', ['--cluster-name', 'prod', '--format', 'yaml']],
    ['an unknown target', ['--cluster-name', 'prod', '--target', 'CONFIG_MAP']],
  ])('exit 1 on error: %s', async (_name, args) => {
    const result = await cli('migrate', file('clean.yaml'), ...args);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
  });

  it('--target API_AND_CONFIG_MAP is accepted', async () => {
    const result = await cli(
      'migrate',
      file('clean.yaml'),
      '--cluster-name',
      'prod',
      '--principal-arns',
      file('roles.json'),
      '--target',
      'API_AND_CONFIG_MAP',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ authenticationMode: 'API_AND_CONFIG_MAP' });
  });
});

describe('SPEC 9 map', () => {
  it('--access-entries, --aws-auth and --authentication-mode: the resolved identity as JSON', async () => {
    const result = await cli(
      'map',
      '--access-entries',
      file('entries.json'),
      '--aws-auth',
      file('clean.yaml'),
      '--authentication-mode',
      'API_AND_CONFIG_MAP',
      '--arn',
      SESSION('viewer', 'alice'),
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      source: 'accessEntry',
      username: SESSION('viewer', 'alice'),
    });
  });

  it('not mapped: exit 1, why on stderr', async () => {
    const result = await cli(
      'map',
      '--access-entries',
      file('entries.json'),
      '--authentication-mode',
      'API',
      '--arn',
      SESSION('admin', 'x'),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not mapped under API');
  });

  it('--source FILE, repeatable, in order', async () => {
    const result = await cli(
      'map',
      '--source',
      file('config.yaml'),
      '--source',
      file('clean.yaml'),
      '--arn',
      SESSION('cfg', 's'),
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ username: 'from-config' });
  });
});

describe('SPEC 9 can-i and who-can', () => {
  const inputs = (): string[] => [
    '--access-entries',
    file('entries.json'),
    '--aws-auth',
    file('clean.yaml'),
    '--rbac',
    file('rbac.yaml'),
  ];

  it.each([
    ['allowed: exit 0', ['get', 'pods', '-n', 'dev-x'], SESSION('viewer', 'bob'), 0, 'yes'],
    ['denied: exit 1', ['get', 'secrets', '-n', 'dev-x'], SESSION('viewer', 'bob'), 1, 'no'],
    ['unknown: exit 3', ['get', 'pods', '-n', 'x'], SESSION('compute', 's'), 3, 'unknown'],
    [
      'RBAC through --rbac',
      ['create', 'deployments.apps', '-n', 'dev-a'],
      SESSION('viewer', 'alice'),
      0,
      'yes',
    ],
    [
      'a subresource and a name',
      ['create', 'pods/exec', 'debug', '-n', 'dev-a'],
      SESSION('viewer', 'alice'),
      0,
      'yes',
    ],
    ['a non-resource URL', ['get', '/healthz'], SESSION('viewer', 'bob'), 0, 'yes'],
    ['not mapped: exit 1', ['get', 'pods'], SESSION('nobody', 's'), 1, 'no'],
  ])('can-i %s', async (_name, request, arn, code, answer) => {
    const result = await cli('can-i', ...request, '--arn', arn, ...inputs());
    expect(result.code).toBe(code);
    expect(result.stdout.split('\n')[0]).toBe(answer);
  });

  it('can-i --format json: the authorize result', async () => {
    const result = await cli(
      'can-i',
      'get',
      'pods',
      '-n',
      'dev-x',
      '--arn',
      SESSION('viewer', 'bob'),
      ...inputs(),
      '--format',
      'json',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      decision: 'allow',
      identity: expect.any(Object),
      reasons: [
        expect.objectContaining({ via: 'access-policy', policyArn: POLICY('AmazonEKSViewPolicy') }),
      ],
      caveats: expect.any(Array),
    });
  });

  it("can-i --list: kubectl's columns plus SOURCE", async () => {
    const result = await cli(
      'can-i',
      '--list',
      '-n',
      'dev-x',
      '--arn',
      SESSION('viewer', 'bob'),
      ...inputs(),
    );
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual([
      'Resources',
      'Non-Resource URLs',
      'Resource Names',
      'Verbs',
      'SOURCE',
    ]);
    expect(rows.some((row) => row.startsWith('pods ') && row.includes('AmazonEKSViewPolicy'))).toBe(
      true,
    );
  });

  it('who-can: a table of principals; exit 3 when an answer is unknown, 0 when complete', async () => {
    const some = await cli('who-can', 'get', 'pods', '-n', 'dev-x', ...inputs());
    expect(some.code).toBe(3);
    expect(some.stdout).toContain(ROLE('viewer'));
    expect(some.stdout).toContain(ROLE('admin'));
    const complete = await cli('who-can', 'delete', 'nodes', '--aws-auth', file('clean.yaml'));
    expect(complete.code).toBe(0);
    expect(complete.stdout).toContain(ROLE('admin'));
  });

  it('who-can --format json: the whoCan result', async () => {
    const result = await cli(
      'who-can',
      'get',
      'pods',
      '-n',
      'dev-x',
      ...inputs(),
      '--format',
      'json',
    );
    const parsed = JSON.parse(result.stdout) as {
      principals: { principalArn?: string; decision: string }[];
    };
    expect(parsed.principals).toContainEqual(
      expect.objectContaining({ principalArn: ROLE('compute'), decision: 'unknown' }),
    );
  });

  it('a request without a resource is a usage error: exit 1', async () => {
    expect((await cli('can-i', 'get', '--arn', SESSION('viewer', 'bob'), ...inputs())).code).toBe(
      1,
    );
  });
});

describe('SPEC 9 token and verify', () => {
  const keys = {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_REGION: 'eu-west-1',
  };

  it('token: an ExecCredential for kubectl, exit 0', async () => {
    const result = await runCli(home(), ['token', '--cluster-name', 'demo'], { env: keys });
    expect(result.code).toBe(0);
    const credential = JSON.parse(result.stdout) as {
      kind: string;
      apiVersion: string;
      status: { token: string; expirationTimestamp: string };
    };
    expect(credential).toMatchObject({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
    });
    expect(credential.status.token.startsWith('k8s-aws-v1.')).toBe(true);
    expect(credential.status.expirationTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('token: KUBERNETES_EXEC_INFO picks the apiVersion', async () => {
    const result = await runCli(home(), ['token', '--cluster-name', 'demo'], {
      env: {
        ...keys,
        KUBERNETES_EXEC_INFO: JSON.stringify({
          apiVersion: 'client.authentication.k8s.io/v1',
          spec: { interactive: false },
        }),
      },
    });
    expect(JSON.parse(result.stdout)).toMatchObject({
      apiVersion: 'client.authentication.k8s.io/v1',
    });
  });

  it('token without --cluster-name: exit 1', async () => {
    expect((await runCli(home(), ['token'], { env: keys })).code).toBe(1);
  });

  it('verify: a rejected token exits 1 with "error ERR_...: ..." on stderr', async () => {
    const result = await cli('verify', '--token', 'k8s-aws-v1.!', '--cluster-name', 'demo');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error ERR_TOKEN_MALFORMED: /m);
  });

  it('an unknown command: exit 1; --help and --version: exit 0', async () => {
    expect((await cli('frobnicate')).code).toBe(1);
    expect((await cli('--help')).code).toBe(0);
    expect((await cli('--version')).stdout).toMatch(/^eks-iam-auth \d+\.\d+\.\d+/);
  });
});
