/**
 * The command dispatcher: help, version, unknown commands.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { assertCliBuilt, makeHome, runCli } from './cli-process.js';

let home: string;
let removeHome: () => void;

beforeAll(() => {
  assertCliBuilt();
  ({ home, remove: removeHome } = makeHome());
});
afterAll(() => removeHome());

describe('eks-iam-auth', () => {
  it.each([['--help'], ['-h'], ['help']])(
    '%s lists the commands on stdout, exit 0',
    async (flag) => {
      const result = await runCli(home, [flag]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      for (const command of ['token', 'verify', 'map', 'lint']) {
        expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      }
    },
  );

  it('without a command prints the usage on stderr: a usage error', async () => {
    const result = await runCli(home, []);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Usage: eks-iam-auth <command>/);
  });

  it.each([
    ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['an unknown global option', ['--verbose'], /unknown option "--verbose"/],
    ['a prototype key', ['constructor'], /unknown command "constructor"/],
  ])('%s → usage error', async (_name, args, message) => {
    const result = await runCli(home, args);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(message);
  });

  it.each([['--version'], ['-v']])('%s prints the package version', async (flag) => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    const result = await runCli(home, [flag]);
    expect(result).toEqual({ code: 0, stdout: `eks-iam-auth ${pkg.version}\n`, stderr: '' });
  });

  it.each([['token'], ['verify'], ['map'], ['lint']])(
    '%s --help prints that command’s usage, exit 0',
    async (command) => {
      const result = await runCli(home, [command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout.split('\n')[0]).toMatch(new RegExp(`^Usage: eks-iam-auth ${command} `));
      expect(result.stdout).toMatch(/^Exit status: /m);
    },
  );
});
