/**
 * `eks-iam-auth lint`, run as a subprocess.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { assertCliBuilt, makeHome, runCli } from './cli-process.js';

const FILES: Record<string, string> = {
  'clean.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/Admin
      username: admin
      groups:
        - system:masters
`,
  // Warnings only: a user ARN in mapRoles (EKS matches it; it belongs in mapUsers).
  'warnings.yaml': `data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:user/dev
      username: dev
`,
  // Line numbers matter below.
  'errors.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/Admin
      username: admin
      groups: system:masters
    - username: nobody
  MapUsers: |
    - userarn: arn:aws:iam::111122223333:user/bob
  mapAccounts: |
    - 11112222333
`,
  // The "|" is missing: Kubernetes rejects the whole object (SPEC 4.1).
  'missing-bar.yaml': `apiVersion: v1
kind: ConfigMap
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/Admin
      username: admin
  mapUsers:
    - userarn: arn:aws:iam::111122223333:user/bob
      username: bob
`,
  // A quoted key carrying ESC, CR and LF that would forge a diagnostic line.
  'forged.yaml': `data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/Admin
      username: admin
      "x\\u001b[2J\\r\\n/etc/passwd:1: error: forged": 1
      __proto__: {polluted: yes}
`,
  'not-a-configmap.yaml': `just a string
`,
  // Every entry is dropped: the one role entry has no rolearn.
  'maps-nobody.yaml': `data:
  mapRoles: |
    - username: nobody
      groups: [system:masters]
`,
  'data.json': JSON.stringify({
    mapUsers: '- userarn: arn:aws:iam::111122223333:user/bob\n  username: bob\n  groups: {a: b}\n',
  }),
};

let home: string;
let removeHome: () => void;
const at = (name: string): string => path.join(home, name);

beforeAll(() => {
  assertCliBuilt();
  ({ home, remove: removeHome } = makeHome());
  for (const [name, text] of Object.entries(FILES)) writeFileSync(at(name), text);
});
afterAll(() => removeHome());

const lint = (args: string[], stdin?: string): ReturnType<typeof runCli> =>
  runCli(home, ['lint', ...args], stdin === undefined ? {} : { stdin });

describe('lint: text output', () => {
  it('a clean ConfigMap → its one-line summary, exit 0', async () => {
    expect(await lint([at('clean.yaml')])).toEqual({
      code: EXIT.ok,
      stdout: `${at('clean.yaml')}: 1 entry, no problems\n`,
      stderr: '',
    });
  });

  it('warnings only → exit 0, one FILE:LINE:COLUMN line each, then the summary', async () => {
    const result = await lint([at('warnings.yaml')]);
    expect(result.code).toBe(EXIT.ok);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^${at('warnings.yaml')}:3:\\d+: warning arn-wrong-list mapRoles\\[0\\]\\.rolearn: .*mapUsers`,
      ),
    );
    expect(lines.at(-1)).toBe(`${at('warnings.yaml')}: 1 entry, 1 warning`);
  });

  it('errors → exit 1, "FILE:LINE:COLUMN: severity code key[index].field: message", in line order', async () => {
    const result = await lint([at('errors.yaml')]);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    const file = at('errors.yaml');
    expect(lines.map((l) => l.replace(/^(\S+?:\d+:\d+): (\S+ \S+ \S+?:) .*$/, '$1: $2'))).toEqual([
      // The value's line and column when the parser knows them, else the entry's line.
      `${file}:9:15: error field-wrong-type mapRoles[0].groups:`,
      `${file}:10:1: error entry-missing-arn mapRoles[1].rolearn:`,
      `${file}:11:1: warning key-near-miss MapUsers:`,
      `${file}:14:7: warning account-invalid mapAccounts[0]:`,
      `${file}: 2 entries, 2 errors, 2 warnings`,
    ]);
    expect(lines[2]).toMatch(/did you mean "mapUsers"/);
  });

  it('JSON text (a data map) is linted too', async () => {
    const result = await lint([at('data.json')]);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stdout).toMatch(
      new RegExp(
        `^${at('data.json')}(:\\d+:\\d+)?: error field-wrong-type mapUsers\\[0\\]\\.groups: .*found a map`,
      ),
    );
  });

  it('reads standard input as "-", reported as <stdin>', async () => {
    const result = await lint(['-'], FILES['errors.yaml']);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stdout).toMatch(/^<stdin>:9:15: error field-wrong-type mapRoles\[0\]\.groups: /);
  });

  it('several files: exit 1 if any has errors; each file its summary', async () => {
    const result = await lint([at('clean.yaml'), at('warnings.yaml'), at('errors.yaml')]);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stdout).toContain(`${at('clean.yaml')}: 1 entry, no problems\n`);
    expect(result.stdout).toContain(`${at('warnings.yaml')}:3:`);
    expect(result.stdout).toContain(`${at('errors.yaml')}:9:15:`);
  });

  it('a ConfigMap that maps nobody gets a maps-nothing warning (no entry survives)', async () => {
    const result = await lint([at('maps-nobody.yaml')]);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stdout).toMatch(
      new RegExp(`^${at('maps-nobody.yaml')}: warning maps-nothing nothing would be mapped`, 'm'),
    );
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(
      `${at('maps-nobody.yaml')}: 0 entries, 1 error, 1 warning`,
    );
    // An empty data map too (no error at all, still nobody mapped).
    const empty = await lint(['-'], 'data: {}\n');
    expect(empty.code).toBe(EXIT.ok);
    expect(empty.stdout).toBe(
      '<stdin>: warning maps-nothing nothing would be mapped: no entry survives, so no IAM identity gets in through this file (fix: add the entries you mean, or fix the errors that drop them)\n<stdin>: 0 entries, 1 warning\n',
    );
  });

  it('a ConfigMap Kubernetes refuses whole (missing "|") is not also "maps nothing"', async () => {
    const result = await lint([at('missing-bar.yaml')]);
    expect(result.stdout).not.toContain('maps-nothing');
  });
});

describe('lint: --format json', () => {
  it('prints an array of diagnostics with their file', async () => {
    const result = await lint(['--format', 'json', at('errors.yaml')]);
    expect(result.code).toBe(1);
    const diagnostics = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(diagnostics).toHaveLength(4);
    expect(diagnostics[0]).toEqual({
      file: at('errors.yaml'),
      severity: 'error',
      code: 'field-wrong-type',
      key: 'mapRoles',
      index: 0,
      field: 'groups',
      line: 7,
      fieldLine: 9,
      column: 15,
      message: expect.stringContaining('list of strings') as unknown,
      fix: 'groups: [system:masters]',
    });
  });

  it('a missing "|" is fatal in JSON too: one diagnostic, fatal, nothing else applies', async () => {
    const result = await lint(['--format', 'json', at('missing-bar.yaml')]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({
        file: at('missing-bar.yaml'),
        severity: 'error',
        code: 'data-not-a-string',
        fatal: true,
        key: 'mapUsers',
        line: 7,
        fix: 'write "mapUsers: |" and indent the list below it',
      }),
    ]);
  });

  it('a file that is not a ConfigMap is a fatal entry of the JSON array, not []', async () => {
    const result = await lint(['--format', 'json', at('not-a-configmap.yaml')]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({
        file: at('not-a-configmap.yaml'),
        severity: 'error',
        fatal: true,
        errorCode: 'ERR_AWS_AUTH_INVALID',
      }),
    ]);
  });

  it('prints [] for a clean file, exit 0 (no summary: stdout is the JSON alone)', async () => {
    const result = await lint(['--format=json', at('clean.yaml')]);
    expect(result).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });
});

describe('lint: hostile text from the file', () => {
  it('ESC, CR and LF in a quoted key are escaped: no terminal escape, no forged line', async () => {
    const result = await lint([at('forged.yaml')]);
    // eslint-disable-next-line no-control-regex -- the test looks for raw control characters
    expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.every((l) => l.startsWith(`${at('forged.yaml')}:`))).toBe(true);
    expect(result.stdout).not.toMatch(/^\/etc\/passwd:1: error/m);
    expect(result.stdout).toContain('\\x1b[2J\\r\\n/etc/passwd');
  });

  it('a field named __proto__ is an unknown field by name: no [object Object], no pollution', async () => {
    const result = await lint(['--format', 'json', at('forged.yaml')]);
    const diagnostics = JSON.parse(result.stdout) as { field?: string; message: string }[];
    expect(diagnostics.map((d) => d.field)).toContain('__proto__');
    expect(result.stdout).not.toContain('[object Object]');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('lint: failures', () => {
  it('input that is not a ConfigMap → ERR_AWS_AUTH_INVALID naming the file, exit 1', async () => {
    const result = await lint([at('not-a-configmap.yaml'), at('clean.yaml')]);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stdout).toMatch(
      new RegExp(`^${at('not-a-configmap.yaml')}: error not-a-configmap ERR_AWS_AUTH_INVALID: `),
    );
    expect(result.stdout).toContain(`${at('not-a-configmap.yaml')}: 1 error\n`);
  });

  it.each([
    ['no file', [], /a FILE to lint is required/],
    [
      'bad format',
      ['--format', 'yaml', 'x'],
      /--format must be one of text, json, sarif, github, got "yaml"/,
    ],
    ['unknown flag', ['--fix', 'x'], /Unknown option '--fix'/],
    [
      'unreadable file',
      ['/nonexistent.yaml'],
      /cannot read \/nonexistent.yaml: no such file or directory/,
    ],
    ['a directory', ['/'], /cannot read \/: it is a directory, not a file/],
    ['standard input twice', ['-', '-'], /standard input \("-"\) can be linted once/],
  ])('%s → usage error (exit 1)', async (_name, args, message) => {
    const result = await lint(args);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });
});
