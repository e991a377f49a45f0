/**
 * The console sessions of docs/guide.md ("Moving from aws-auth to access
 * entries", "Test who can do what in CI") are the real output of the built tool: each `$ eks-iam-auth …`
 * block is run from the repository root and its standard output, then
 * standard error, and exit status must be what the guide shows.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI_PATH } from '../cli/cli-process.js';

const root = resolve(import.meta.dirname, '..', '..');
const guide = readFileSync(resolve(root, 'docs/guide.md'), 'utf8');
const SESSION = /```console\n\$ eks-iam-auth (.*)\n([\s\S]*?)\$ echo \$\?\n(\d+)\n```/g;
const sessions = [...guide.matchAll(SESSION)].map((m) => ({
  args: (m[1] as string).split(' '),
  output: m[2] as string,
  status: Number(m[3]),
}));

beforeAll(() => assertCliBuilt());

describe('docs/guide.md console sessions are real', () => {
  it('has the walk-throughs (lint, migrate, map; can-i, who-can)', () => {
    expect(sessions.map((s) => s.args[0])).toEqual([
      'lint',
      'migrate',
      'migrate',
      'map',
      'map',
      'map',
      'can-i',
      'can-i',
      'can-i',
      'who-can',
    ]);
  });

  it.each(sessions)('eks-iam-auth $args', ({ args, output, status }) => {
    const r = spawnSync(process.execPath, [CLI_PATH, ...args], { cwd: root, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe(output);
    expect(r.status).toBe(status);
  });
});
