/**
 * `lint --format sarif`: every log validates against the official SARIF
 * 2.1.0 JSON schema (test/fixtures/sarif/, with its source), and says what
 * the other formats say: one result per problem, its rule, level, file and
 * position.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { ruleDescription } from '../../src/cli/lint-rules.js';
import { artifactUri } from '../../src/cli/lint-sarif.js';
import { repoRoot } from '../support/vectors.js';
import { runCli, useCliHome } from './cli-process.js';

const SCHEMA = JSON.parse(
  readFileSync(path.join(repoRoot, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'),
) as object;
// Both are CommonJS with `exports.default`: under Node's ESM interop the
// default import is the module object.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(SCHEMA);

const CORPUS = path.join(repoRoot, 'test/fixtures/aws-auth-wild');
const SOURCES = path.join(repoRoot, 'test/fixtures/sources');

const home = useCliHome();

interface JsonDiagnostic {
  file: string;
  severity: string;
  code: string;
  line?: number;
  fieldLine?: number;
  column?: number;
}

/** Lint `files` as SARIF and as JSON; the SARIF log must be schema-valid. */
async function both(
  files: string[],
  stdin?: string,
): Promise<{ log: Log; json: JsonDiagnostic[]; code: number | null }> {
  const options = stdin === undefined ? {} : { stdin };
  const sarif = await runCli(home(), ['lint', '--format', 'sarif', ...files], options);
  const json = await runCli(home(), ['lint', '--format', 'json', ...files], options);
  expect(sarif.stderr).toBe('');
  expect(sarif.code).toBe(json.code);
  const log = JSON.parse(sarif.stdout) as Log;
  const valid = validate(log);
  expect(validate.errors ?? [], 'schema errors').toEqual([]);
  expect(valid).toBe(true);
  return { log, json: JSON.parse(json.stdout) as JsonDiagnostic[], code: sarif.code };
}

/** What SARIF and JSON must agree on, per problem. */
function fromSarif(
  log: Log,
): { file: string | undefined; level: string; code: string; line: number; column: number }[] {
  const run = log.runs[0];
  return (run?.results ?? []).map((r) => {
    const rule = run?.tool.driver.rules?.[r.ruleIndex ?? -1];
    expect(rule?.id).toBe(r.ruleId);
    const location = r.locations?.[0]?.physicalLocation;
    const uri = location?.artifactLocation?.uri;
    return {
      file: uri === undefined ? undefined : decodeURIComponent(uri.replace(/^file:\/\//, '')),
      level: r.level ?? '',
      code: r.ruleId ?? '',
      line: location?.region?.startLine ?? 0,
      column: location?.region?.startColumn ?? 0,
    };
  });
}

function fromJson(json: JsonDiagnostic[]): ReturnType<typeof fromSarif> {
  return json.map((d) => {
    const line = d.fieldLine ?? d.line;
    return {
      file: d.file === '<stdin>' ? undefined : d.file,
      level: d.severity,
      code: d.code,
      // GitHub needs a line: a problem of the whole file points at 1:1.
      line: line ?? 1,
      column: line === undefined || d.fieldLine === undefined ? 1 : (d.column ?? 1),
    };
  });
}

/** The members of a string-literal union type declared in `file`. */
function unionMembers(file: string, type: string): string[] {
  const text = readFileSync(path.join(repoRoot, file), 'utf8');
  const block = new RegExp(`export type ${type} =([^;]*);`).exec(text)?.[1] ?? '';
  return [...block.matchAll(/'([a-z0-9-]+)'/g)].map((m) => m[1] as string);
}

describe('SARIF rules', () => {
  it.each([
    ['src/mapping/types.ts', 'AwsAuthDiagnosticCode'],
    ['src/mapping/types.ts', 'SourceDiagnosticCode'],
    ['src/access-entries/types.ts', 'AccessEntryRefusalCode'],
  ])('every code of %s %s has a rule description', (file, type) => {
    const codes = unionMembers(file, type);
    expect(codes.length).toBeGreaterThan(5);
    expect(codes.filter((c) => ruleDescription(c).startsWith('eks-iam-auth lint rule'))).toEqual(
      [],
    );
  });
});

describe('lint --format sarif', () => {
  it('the whole aws-auth corpus: valid SARIF 2.1.0, one result per problem, as in JSON', async () => {
    const files = readdirSync(CORPUS)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => path.join(CORPUS, f));
    const { log, json, code } = await both(files);
    expect(code).toBe(EXIT.failure);
    expect(json.length).toBeGreaterThan(30);
    expect(fromSarif(log)).toEqual(fromJson(json));
    const driver = log.runs[0]?.tool.driver;
    expect(driver?.name).toBe('eks-iam-auth');
    // One rule per code that occurs, each with its description.
    const ids = driver?.rules?.map((r) => r.id) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(json.map((d) => d.code)));
    for (const rule of driver?.rules ?? []) {
      expect(rule.shortDescription?.text).toMatch(/\.$/);
      expect(rule.shortDescription?.text).not.toMatch(/^eks-iam-auth lint rule /);
    }
  });

  it('access entries and the authenticator sources too', async () => {
    const files = readdirSync(SOURCES).map((f) => path.join(SOURCES, f));
    const { log, json } = await both(files);
    expect(fromSarif(log)).toEqual(fromJson(json));
  });

  it('a clean file: a valid log with no results, exit 0', async () => {
    const file = path.join(home(), 'clean.yaml');
    writeFileSync(
      file,
      'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/Admin\n      username: admin\n      groups: [system:masters]\n',
    );
    const { log, code } = await both([file]);
    expect(code).toBe(EXIT.ok);
    expect(log.runs[0]?.results).toEqual([]);
    expect(log.version).toBe('2.1.0');
  });

  it('standard input: results without a location (there is no file to point at)', async () => {
    const { log } = await both(['-'], 'data:\n  maproles: |\n    - rolearn: x\n');
    expect(log.runs[0]?.results?.length).toBeGreaterThan(0);
    expect(log.runs[0]?.results?.every((r) => r.locations === undefined)).toBe(true);
  });

  it.each<[string, string]>([
    ['spaces', 'aws auth.yaml'],
    ['percent and hash', '100% #1?.yaml'],
    ['a line break', 'a\nb.yaml'],
    ['ESC and bidi', 'x\u001b[2J\u202ey.yaml'],
    ['non-ASCII', 'configuración.yaml'],
  ])('a file name with %s: a valid URI that decodes to it', async (_name, name) => {
    const dir = path.join(home(), 'names');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, name);
    writeFileSync(file, 'data:\n  maproles: |\n    - rolearn: x\n');
    const { log } = await both([file]);
    const uri = log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri;
    expect(uri).toBe(artifactUri(file));
    expect(uri).toMatch(/^file:\/\/\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/);
    expect(decodeURIComponent((uri ?? '').slice('file://'.length))).toBe(file);
    // A relative name stays relative (GitHub resolves it against the checkout).
    expect(artifactUri(name)).not.toMatch(/^file:/);
    expect(decodeURIComponent(artifactUri(name))).toBe(name);
  });

  it('message texts quote the file with control characters escaped', async () => {
    const file = path.join(home(), 'hostile.yaml');
    writeFileSync(
      file,
      'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/Admin\n      username: admin\n      "x\\u001b[31m\\n::error::forged": 1\n',
    );
    const { log } = await both([file]);
    const text = log.runs[0]?.results?.map((r) => r.message.text).join('\n') ?? '';
    expect(text).toContain('\\x1b[31m\\n::error::forged');
    // eslint-disable-next-line no-control-regex -- looking for raw control characters
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});
