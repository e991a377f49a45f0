/**
 * The corpus of real-world-shaped aws-auth ConfigMaps (test/fixtures/aws-auth-wild/),
 * each with the outcome EKS gives it and the diagnostics it deserves, run
 * through the public exports and through the command line (`lint --format
 * json` and `map`). The outcomes were decided from the Go authenticator
 * (kubernetes-sigs/aws-iam-authenticator 81b1daba); the file:line behind each
 * kind of case is in the table below.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapIdentity, parseAwsAuth } from '../../src/index.js';
import type { AwsAuthDiagnostic, MapIdentityOptions } from '../../src/index.js';
import { CLI_DOC, CORPUS, loadCorpus, renderPage } from '../../scripts/cli-mistakes.js';
import type { CorpusCase } from '../../scripts/cli-mistakes.js';
import { assertCliBuilt, makeHome, runCli } from '../cli/cli-process.js';

const cases = loadCorpus();

/** Where the Go authenticator decides what each explaining code describes. */
const GO_SOURCE: Readonly<Record<string, string>> = {
  'missing-username':
    'pkg/config/mapper.go:32-69 (Validate needs rolearn/sso only), pkg/server/server.go:507-526',
  'data-not-a-string':
    'ConfigMap.data is map[string]string: the API server refuses the object (configmap.go:95 never sees it)',
  'folded-list': 'YAML plain scalar folding; configmap.go:154-158 copies the string',
  'angle-brackets': 'pkg/server/server.go:529-548 substitutes only {{…}}',
  'unbalanced-braces': 'pkg/server/server.go:531-546',
  'group-near-miss': 'pkg/server/server.go:518-524 copies groups as written',
  'arn-path': 'pkg/arn/arn.go:56-62 (canonical role ARN has no path), pkg/config/mapper.go:73-76',
  'arn-iam-group': 'pkg/arn/arn.go:66-76 (a caller is a role, user or root, never a group)',
  'arn-assumed-role': 'pkg/arn/arn.go:56-62, pkg/config/mapper.go:73-76, 123-126',
  'arn-sts-role': 'pkg/arn/arn.go:52-65',
  'unknown-field': 'pkg/config/types.go:46-80 (json names), encoding/json ignores unknown keys',
  'entry-missing-arn': 'pkg/config/mapper.go:37-38, 116-118',
  'yaml11-scalar': 'configmap.go:154-158 (utilyaml.ToJSON then json.Unmarshal)',
  'yaml-syntax': 'configmap.go:154-156 (ToJSON error: the key adds nothing)',
  wildcard: 'pkg/config/mapper.go:75 (strings.EqualFold)',
  'duplicate-conflicting': 'configmap.go:239-247 (Go map by Key(); users by exact userarn)',
  'duplicate-identical': 'configmap.go:239-247',
  'sso-partition-never-matches': 'pkg/config/mapper.go:23-28',
  'account-invalid': 'configmap.go:176-182, 280-286',
  'key-near-miss': 'configmap.go:127, 152, 176 (exact keys)',
  'key-repeated':
    'sigs.k8s.io/yaml yaml.go:146 over go-yaml v2 decode.go:685-691 (non-strict: the last key wins)',
  whitespace: 'pkg/config/mapper.go:75 (strings.EqualFold)',
  'arn-invalid': 'pkg/arn/arn.go:38-80',
  'arn-wrong-list': 'pkg/mapper/configmap/mapper.go:46-66 (roles then users, both by ARN string)',
  'empty-group': 'encoding/json: null into a []string element leaves ""',
  'not-a-configmap': 'configmap.go:89-92 (only *core_v1.ConfigMap named aws-auth)',
};

function compact(d: Omit<AwsAuthDiagnostic, 'code'> & { readonly code?: string }): string {
  const index = d.index === undefined ? '' : `[${d.index}]`;
  return `${d.line ?? '-'} ${d.severity} ${d.code ?? '?'} ${d.key}${index}${d.field === undefined ? '' : `.${d.field}`}`;
}

function optionsOf(m: CorpusCase['map'][number]): MapIdentityOptions {
  const o = m.options ?? {};
  const dns = o.ec2PrivateDnsName;
  return {
    ...(o.stripRolePaths === true ? { stripRolePaths: true } : {}),
    ...(o.ssoRoleMatch === true ? { ssoRoleMatch: true } : {}),
    ...(dns === undefined ? {} : { resolveEC2PrivateDNSName: () => dns }),
  };
}

const text = (c: CorpusCase): string => readFileSync(path.join(CORPUS, c.file), 'utf8');

describe('the corpus itself', () => {
  it('holds at least 30 ConfigMaps, each citing its public report and naming its Go source', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    for (const c of cases) {
      expect(text(c)).toContain(`# Shaped like the ConfigMap in ${c.source}`);
      expect(c.source).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\/\d+$/);
      for (const code of c.explain) expect(GO_SOURCE[code], code).toBeDefined();
    }
  });
});

describe.each(cases.map((c) => [c.file, c] as const))('%s (library)', (_file, c) => {
  it('diagnostics: exactly the expected ones, the explaining ones with a line and a fix', () => {
    if (c.throws !== undefined) {
      expect(() => parseAwsAuth(text(c))).toThrow(expect.objectContaining({ code: c.throws }));
      return;
    }
    const awsAuth = parseAwsAuth(text(c));
    expect(awsAuth.diagnostics.map(compact)).toEqual(c.diagnostics);
    for (const code of c.explain) {
      const d = awsAuth.diagnostics.find((x) => x.code === code);
      expect(d, code).toBeDefined();
      expect(d?.line, code).toBeTypeOf('number');
      expect(d?.fix, code).toBeTypeOf('string');
    }
  });

  it.each(c.map.map((m, i) => [i, m] as const))('map #%i: EKS outcome', async (_i, m) => {
    const mapping = await mapIdentity(parseAwsAuth(text(c)), m.arn, optionsOf(m));
    expect(
      mapping === null ? null : { username: mapping.username, groups: mapping.groups },
    ).toEqual(m.expect);
  });
});

describe('the corpus through the command line', () => {
  let home: string;
  let removeHome: () => void;
  beforeAll(() => {
    assertCliBuilt();
    ({ home, remove: removeHome } = makeHome());
  });
  afterAll(() => removeHome());

  it('lint --format json: every file, its diagnostics, fatal errors included', async () => {
    const files = cases.map((c) => path.join(CORPUS, c.file));
    const result = await runCli(home, ['lint', '--format', 'json', ...files]);
    expect(result.code).toBe(1);
    const all = JSON.parse(result.stdout) as (AwsAuthDiagnostic & {
      file: string;
      errorCode?: string;
    })[];
    for (const c of cases) {
      // `code` is a string: the command line adds its own (maps-nothing).
      const mine = all.filter((d) => d.file === path.join(CORPUS, c.file)) as (Omit<
        AwsAuthDiagnostic,
        'code'
      > & { code?: string })[];
      if (c.throws !== undefined) {
        expect(mine).toEqual([
          expect.objectContaining({ severity: 'error', fatal: true, errorCode: c.throws }),
        ]);
        continue;
      }
      const sorted = [...c.diagnostics].sort(
        (a, b) => (Number(a.split(' ')[0]) || 0) - (Number(b.split(' ')[0]) || 0),
      );
      // The library's diagnostics, plus the command line's own warning when
      // no entry survives (and Kubernetes does not refuse the file whole).
      const parsed = parseAwsAuth(readFileSync(path.join(CORPUS, c.file), 'utf8'));
      const mapsNothing =
        parsed.mapRoles.length + parsed.mapUsers.length + parsed.mapAccounts.length === 0 &&
        !parsed.diagnostics.some((d) => d.fatal === true);
      expect(mine.filter((d) => d.code === 'maps-nothing').length, `${c.file}: maps-nothing`).toBe(
        mapsNothing ? 1 : 0,
      );
      // lint orders by the value's position, the corpus by entry: the same set.
      expect(
        mine
          .filter((d) => d.code !== 'maps-nothing')
          .map(compact)
          .sort(),
        c.file,
      ).toEqual([...sorted].sort());
    }
  });

  const maps = cases.flatMap((c) => c.map.map((m) => [c.file, m.arn, c, m] as const));
  it.each(maps)('map %s %s', async (_file, arn, c, m) => {
    const o = m.options ?? {};
    const args = [
      'map',
      '--aws-auth',
      path.join(CORPUS, c.file),
      '--arn',
      arn,
      ...(o.stripRolePaths === true ? ['--strip-role-paths'] : []),
      ...(o.ssoRoleMatch === true ? ['--sso-role-match'] : []),
      ...(o.ec2PrivateDnsName === undefined ? [] : ['--ec2-private-dns-name', o.ec2PrivateDnsName]),
    ];
    const result = await runCli(home, args);
    if (m.expect === null) {
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('not mapped');
    } else {
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject(m.expect);
    }
  });
});

describe('docs/cli.md "Common aws-auth mistakes"', () => {
  it('is what scripts/gen-cli-mistakes.ts renders from the corpus (run it when this fails)', async () => {
    expect(readFileSync(CLI_DOC, 'utf8')).toBe(await renderPage());
  });
});
