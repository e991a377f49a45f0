/**
 * The command line for the Go authenticator's other mapping sources, run as
 * a subprocess: `map --source FILE...` (each file's kind told apart by
 * content, tried in order, the first that maps wins: pkg/server/server.go:479-499),
 * a user-id-strict DynamicFile (pkg/mapper/dynamicfile/mapper.go:46-93),
 * reserved username prefixes (pkg/server/server.go:487-489), and `lint` on
 * each kind, refused files and hostile keys included.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { repoRoot } from '../support/vectors.js';
import { assertCliBuilt, makeHome, runCli } from './cli-process.js';
import type { CliResult } from './cli-process.js';

const A = '111122223333';
const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'sources');
const fixture = (name: string): string => path.join(FIXTURES, name);
const session = (role: string): string => `arn:aws:sts::${A}:assumed-role/${role}/s`;

// Inline files: hostile or broken inputs, written to a temporary directory.
const FILES: Record<string, string> = {
  'refused-dynamic.json': JSON.stringify({
    Version: 7,
    mapRoles: [{ rolearn: `arn:aws:iam::${A}:role/dev`, username: 'dev' }],
  }),
  'hostile-dynamic.json': JSON.stringify({
    mapRoles: [
      {
        rolearn: `arn:aws:iam::${A}:role/dev`,
        username: 'dev',
        '\u001b[2J\n/etc/passwd:1: error: forged': 1,
      },
    ],
  }),
  'hostile-crd.yaml': `apiVersion: iamauthenticator.k8s.aws/v1alpha1
kind: IAMIdentityMapping
metadata: {name: x}
spec:
  arn: arn:aws:iam::${A}:role/x
  username: x
  "\\e]0;owned\\a\\nforged": 1
`,
  'not-json.json': '{ "mapRoles": [',
  'entries.json': JSON.stringify({
    accessEntries: [{ principalArn: `arn:aws:iam::${A}:role/other`, username: 'o' }],
  }),
};

// Made at load time: the case tables below name files in it.
const { home, remove } = makeHome();
const temp = (name: string): string => path.join(home, name);

beforeAll(() => {
  assertCliBuilt();
  for (const [name, text] of Object.entries(FILES)) writeFileSync(temp(name), text);
});
afterAll(() => remove());

const hasControl = (text: string): boolean => [...text].some((c) => c.charCodeAt(0) < 0x20);
const cli = (args: string[]): Promise<CliResult> => runCli(home, args);
const map = (sources: string[], arn: string, extra: string[] = []): Promise<CliResult> =>
  cli(['map', ...sources.flatMap((s) => ['--source', s]), '--arn', arn, ...extra]);
const mapped = (r: CliResult): Record<string, unknown> => {
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

const ALL = [
  fixture('config.yaml'),
  fixture('mappings.yaml'),
  fixture('dynamic.json'),
  fixture('aws-auth.yaml'),
];

describe('map --source: order, first match wins', () => {
  const cases: [string, string[], string, Record<string, unknown>][] = [
    [
      'the config file (MountedFile) maps admin before the CRD object for the same role',
      ALL,
      'admin',
      { username: 'file-admin', source: 'MountedFile', sourceIndex: 0 },
    ],
    [
      'with the order reversed the CRD object wins',
      [fixture('mappings.yaml'), fixture('config.yaml')],
      'admin',
      { username: 'crd-admin', source: 'CRD', sourceIndex: 0 },
    ],
    [
      'dev falls through the config file to the CRD objects',
      ALL,
      'dev',
      { username: 'crd-dev', source: 'CRD', sourceIndex: 1 },
    ],
    [
      'ops falls through to the DynamicFile',
      ALL,
      'ops',
      { username: 'dyn-ops', source: 'DynamicFile', sourceIndex: 2 },
    ],
    [
      'ci falls through to the aws-auth ConfigMap (EKSConfigMap)',
      ALL,
      'ci',
      { username: 'ci', source: 'EKSConfigMap', sourceIndex: 3 },
    ],
  ];
  it.each(cases)('%s', async (_name, sources, role, expected) => {
    const r = await map(sources, session(role));
    const out = mapped(r);
    expect(out).toMatchObject({
      ...expected,
      canonicalArn: `arn:aws:iam::${A}:role/${role}`,
      sourceFile: sources[expected['sourceIndex'] as number],
    });
  });

  it('nothing matches → exit 1, "not mapped" and the near misses of each source', async () => {
    const r = await map(ALL, 'arn:aws:sts::444455556666:assumed-role/admin/s');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('not mapped: no source maps arn:aws:iam::444455556666:role/admin');
    // The same role name in another account: the config file's and the CRD's admin entries.
    expect(r.stderr).toMatch(
      /source 0 .*config\.yaml \(MountedFile\) mapRoles\[0\] \(line 13\): arn:aws:iam::111122223333:role\/admin\n {4}same name in another account/,
    );
    expect(r.stderr).toMatch(/source 1 .*mappings\.yaml \(CRD\) mapRoles\[0\]/);
  });

  it('a DynamicFile username with a prefix the config file reserves for it is refused (exit 1)', async () => {
    const r = await map(ALL, session('sneaky'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /ERR_AWS_AUTH_INVALID: .*"eks:sneaky".*reserved for DynamicFile; refused/,
    );
  });

  it('reads one source from standard input ("-")', async () => {
    const r = await runCli(
      home,
      ['map', '--source', fixture('config.yaml'), '--source', '-', '--arn', session('dev')],
      { stdin: readFileSync(fixture('dynamic.json'), 'utf8') },
    );
    expect(mapped(r)).toMatchObject({
      username: 'dyn-dev',
      source: 'DynamicFile',
      sourceFile: '-',
    });
  });

  it('without the config file the same DynamicFile entry maps', async () => {
    expect(mapped(await map([fixture('dynamic.json')], session('sneaky')))).toMatchObject({
      username: 'eks:sneaky',
      source: 'DynamicFile',
    });
  });

  it('a source refused as a whole maps nothing and says so; the next source still maps', async () => {
    const r = await map(
      [fixture('refused-config.yaml'), fixture('aws-auth.yaml')],
      session('admin'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: .*refused-config\.yaml \(authenticator config file \(MountedFile\)\): refused as a whole/,
    );
    const ci = await map([fixture('refused-config.yaml'), fixture('aws-auth.yaml')], session('ci'));
    expect(mapped(ci)).toMatchObject({ username: 'ci', source: 'EKSConfigMap', sourceIndex: 1 });
  });
});

describe('map --source: a user-id-strict DynamicFile (dynamicfile/mapper.go:46-93)', () => {
  const dynamic = [fixture('dynamic.json')];
  const cases: [string, string, string[], number, string | undefined][] = [
    ['by ARN when not strict', 'ops', [], 0, 'dyn-ops'],
    [
      'strict without a principal id: an ARN alone never matches',
      'ops',
      ['--user-id-strict'],
      1,
      undefined,
    ],
    [
      "strict with the entry's principal id",
      'ops',
      ['--user-id-strict', '--principal-id', 'AROAOPS'],
      0,
      'dyn-ops',
    ],
    [
      'strict with another principal id',
      'ops',
      ['--user-id-strict', '--principal-id', 'AROAOTHER'],
      1,
      undefined,
    ],
    // mapper.go:69-89: an entry that names an ARN must agree with the caller's.
    [
      'strict, the id of an entry that names another ARN',
      'dev',
      ['--user-id-strict', '--principal-id', 'AROAOPS'],
      1,
      undefined,
    ],
    [
      'not strict: the principal id is not looked at',
      'ops',
      ['--principal-id', 'AROAOTHER'],
      0,
      'dyn-ops',
    ],
  ];
  it.each(cases)('%s', async (_name, role, flags, code, username) => {
    const r = await map(dynamic, session(role), flags);
    expect(r.code).toBe(code);
    if (username === undefined) expect(r.stderr).toMatch(/user-id strict/);
    else expect(JSON.parse(r.stdout)).toMatchObject({ username, source: 'DynamicFile' });
  });

  it("a config file's dynamicfileUserIDStrict makes the DynamicFile strict", async () => {
    const config = temp('strict-config.yaml');
    writeFileSync(
      config,
      `server:\n  backendMode: [DynamicFile]\n  dynamicfilepath: /x.json\n  dynamicfileUserIDStrict: true\n`,
    );
    const without = await map([config, fixture('dynamic.json')], session('ops'));
    expect(without.code).toBe(1);
    const withId = await map([config, fixture('dynamic.json')], session('ops'), [
      '--principal-id',
      'AROAOPS',
    ]);
    expect(mapped(withId)).toMatchObject({ username: 'dyn-ops', sourceIndex: 1 });
  });
});

describe('map --source with access entries', () => {
  it('under API_AND_CONFIG_MAP the sources answer when no access entry does', async () => {
    const entries = temp('entries.json');
    const r = await cli([
      'map',
      '--access-entries',
      entries,
      '--authentication-mode',
      'API_AND_CONFIG_MAP',
      '--source',
      fixture('mappings.yaml'),
      '--arn',
      session('dev'),
    ]);
    expect(mapped(r)).toMatchObject({ username: 'crd-dev', backend: 'CRD', sourceIndex: 0 });
  });

  it("no match: the sources' near misses are listed with the access entries'", async () => {
    const r = await cli([
      'map',
      '--access-entries',
      temp('entries.json'),
      '--authentication-mode',
      'API_AND_CONFIG_MAP',
      '--source',
      fixture('mappings.yaml'),
      '--arn',
      'arn:aws:sts::444455556666:assumed-role/dev/s',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not mapped under API_AND_CONFIG_MAP');
    expect(r.stderr).toMatch(
      /source 0 .*mappings\.yaml \(CRD\) mapRoles\[1\].*\n {4}same name in another account/,
    );
  });
});

describe('map --source: usage errors (exit 1)', () => {
  const cases: [string, string[], RegExp][] = [
    [
      '--aws-auth together with --source',
      [
        '--aws-auth',
        fixture('aws-auth.yaml'),
        '--source',
        fixture('dynamic.json'),
        '--arn',
        session('ops'),
      ],
      /--aws-auth and --source cannot be combined/,
    ],
    ['--source without --arn', ['--source', fixture('dynamic.json')], /--arn is required/],
    [
      '--user-id-strict without a DynamicFile',
      ['--source', fixture('mappings.yaml'), '--user-id-strict', '--arn', session('ops')],
      /--user-id-strict applies to a DynamicFile/,
    ],
    [
      '--principal-id without --source',
      ['--aws-auth', fixture('aws-auth.yaml'), '--principal-id', 'AROAX', '--arn', session('ops')],
      /need a --source/,
    ],
    [
      'an unreadable --source',
      ['--source', temp('missing.json'), '--arn', session('ops')],
      /cannot read/,
    ],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const r = await cli(['map', ...args]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('a --source that is no source at all is a typed error (exit 1)', async () => {
    const r = await map([temp('not-json.json')], session('ops'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ERR_AWS_AUTH_INVALID/);
  });
});

describe('lint on authenticator sources', () => {
  const cases: [string, string, number, RegExp][] = [
    ['a clean config file', fixture('config.yaml'), 0, /^\S+config\.yaml: 1 entry, no problems\n$/],
    [
      'clean IAMIdentityMapping objects',
      fixture('mappings.yaml'),
      0,
      /^\S+mappings\.yaml: 2 entries, no problems\n$/,
    ],
    [
      'a clean DynamicFile',
      fixture('dynamic.json'),
      0,
      /^\S+dynamic\.json: 3 entries, no problems\n$/,
    ],
    [
      'a config file the server refuses to start with',
      fixture('refused-config.yaml'),
      1,
      /refused-config\.yaml: error source-refused server: the Go authenticator refuses to start[^\n]*\n[^\n]*refused-config\.yaml:5:\d+: error entry-missing-arn mapRoles\[1\]\.rolearn: /,
    ],
    [
      'a DynamicFile the server refuses (Version is a number: encoding/json fails)',
      temp('refused-dynamic.json'),
      1,
      /error source-refused DynamicFile: the Go authenticator refuses this file[^\n]*\n[^\n]*:1:\d+: error json-wrong-type Version: must be a string, found scalar/,
    ],
  ];
  it.each(cases)('%s', async (_name, file, code, output) => {
    const r = await cli(['lint', file]);
    expect(r.code).toBe(code);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(output);
  });

  it('--format json carries the refusal with its code', async () => {
    const r = await cli(['lint', '--format', 'json', temp('refused-dynamic.json')]);
    expect(r.code).toBe(1);
    const diagnostics = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        file: temp('refused-dynamic.json'),
        severity: 'error',
        code: 'source-refused',
        key: 'DynamicFile',
      }),
    );
  });

  it('a file that is not JSON nor a ConfigMap is a fatal error of that file', async () => {
    const r = await cli(['lint', '--format', 'json', temp('not-json.json')]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject([{ severity: 'error', fatal: true }]);
  });

  it.each([['hostile-dynamic.json'], ['hostile-crd.yaml']])(
    'a hostile key in %s is escaped in both formats',
    async (name) => {
      const text = await cli(['lint', temp(name)]);
      expect(text.code).toBe(0);
      // One line per diagnostic (and the summary): the key's line break cannot forge another.
      expect(text.stdout.trimEnd().split('\n')).toHaveLength(2);
      expect(text.stdout).toMatch(/\\x1b[\][]/);
      expect(text.stdout).not.toContain('\u001b');
      const json = await cli(['lint', '--format', 'json', temp(name)]);
      expect(json.stdout).not.toContain('\u001b');
      const [d] = JSON.parse(json.stdout) as { field: string; message: string }[];
      expect(hasControl(d?.field ?? '')).toBe(false);
      expect(hasControl(d?.message ?? '')).toBe(false);
    },
  );
});

it('the fixtures are the shapes the sources document', () => {
  // A guard against fixture drift: each file states its own kind.
  expect(readFileSync(fixture('mappings.yaml'), 'utf8')).toContain('kind: List');
  expect(readFileSync(fixture('config.yaml'), 'utf8')).toMatch(/^server:/m);
});
