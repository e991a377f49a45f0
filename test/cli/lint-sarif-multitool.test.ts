/**
 * A real consumer of `lint --format sarif`: the SARIF SDK's validator
 * (Microsoft SARIF Multitool, `sarif-multitool validate`), which checks a
 * log against the SARIF 2.1.0 schema and its own rules (SARIF1xxx errors,
 * SARIF2xxx warnings). It is about 100 MB, so it lives in its own package,
 * test/sarif-consumer/, installed by .ci/run (`npm ci --prefix
 * test/sarif-consumer`). Without it the test is skipped locally with the
 * reason printed; under CI it fails.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/vectors.js';
import { runCli, useCliHome } from './cli-process.js';

const CONSUMER = path.join(repoRoot, 'test', 'sarif-consumer');

/** The multitool binary, or why it is not there. */
function findMultitool(): { binary: string } | { missing: string } {
  if (!existsSync(path.join(CONSUMER, 'node_modules'))) {
    return {
      missing: 'test/sarif-consumer is not installed (npm ci --prefix test/sarif-consumer)',
    };
  }
  try {
    const binary = createRequire(path.join(CONSUMER, 'package.json'))(
      '@microsoft/sarif-multitool',
    ) as string;
    return existsSync(binary) ? { binary } : { missing: `${binary} is missing` };
  } catch (error) {
    return { missing: `@microsoft/sarif-multitool cannot be loaded: ${(error as Error).message}` };
  }
}

const found = findMultitool();
if ('missing' in found) {
  if (process.env['CI'] === 'true') {
    throw new Error(`the SARIF Multitool is required under CI: ${found.missing}`);
  }
  console.warn(`skipping the SARIF Multitool tests: ${found.missing}`);
}

interface ValidationResult {
  ruleId: string;
  level?: string;
  message: { text?: string; arguments?: string[] };
}

/** Run `sarif-multitool validate` on `file`; its findings (a SARIF log of their own). */
async function multitoolValidate(binary: string, file: string): Promise<ValidationResult[]> {
  const output = `${file}.validation.sarif`;
  await promisify(execFile)(binary, ['validate', file, '--output', output], {
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  const log = JSON.parse(readFileSync(output, 'utf8')) as {
    runs: { results: ValidationResult[]; invocations?: { executionSuccessful?: boolean }[] }[];
  };
  expect(log.runs[0]?.invocations?.[0]?.executionSuccessful).toBe(true);
  return log.runs[0]?.results ?? [];
}

describe.skipIf('missing' in found)('lint --format sarif through the SARIF Multitool', () => {
  const binary = 'binary' in found ? found.binary : '';
  const home = useCliHome();

  it('the validator reports a broken log (a control: it can fail)', async () => {
    const file = path.join(home(), 'broken.sarif');
    writeFileSync(
      file,
      JSON.stringify({
        version: '2.1.0',
        extra: true,
        runs: [
          {
            tool: { driver: { name: 'x' } },
            results: [
              {
                ruleId: 'a',
                level: 'error',
                message: { text: 'm' },
                locations: [{ physicalLocation: { region: { startLine: 0 } } }],
              },
            ],
          },
        ],
      }),
    );
    const findings = await multitoolValidate(binary, file);
    expect(findings.filter((f) => f.level === 'error').map((f) => f.ruleId)).toEqual(
      expect.arrayContaining(['JSON1005', 'JSON1008']),
    );
  });

  it.each([
    ['the aws-auth corpus', 'test/fixtures/aws-auth-wild', '.yaml'],
    ['the authenticator sources and access entries', 'test/fixtures/sources', ''],
  ])('%s: no finding at all, error or warning', async (_name, dir, ext) => {
    const files = readdirSync(path.join(repoRoot, dir))
      .filter((f) => f.endsWith(ext))
      .map((f) => path.join(repoRoot, dir, f));
    const result = await runCli(home(), ['lint', '--format', 'sarif', ...files]);
    const file = path.join(home(), `${path.basename(dir)}.sarif`);
    writeFileSync(file, result.stdout);
    const findings = await multitoolValidate(binary, file);
    expect(findings.map((f) => `${f.ruleId} ${(f.message.arguments ?? []).join(' | ')}`)).toEqual(
      [],
    );
  });

  it('hostile file names and values: no finding', async () => {
    const file = path.join(home(), 'a b%#?\u001b[2J\u202e.yaml');
    writeFileSync(
      file,
      'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/team/Admin\n      "x\\u001b\\n::error::forged,%0A": 1\n',
    );
    const result = await runCli(home(), ['lint', '--format', 'sarif', file]);
    const log = path.join(home(), 'hostile.sarif');
    writeFileSync(log, result.stdout);
    expect(await multitoolValidate(binary, log)).toEqual([]);
  });
});
