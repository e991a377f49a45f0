/**
 * Every command that reads on past a file's errors says so in one line on
 * standard error, in the same words, pointing at `eks-iam-auth lint` for the
 * file, with the file name escaped: a name is input too, and one holding a
 * terminal escape or a bidirectional override must not recolour the terminal
 * or reorder the line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, makeHome, runCli } from './cli-process.js';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/Admin`;

/** One error (an entry without rolearn), one good entry. */
const BROKEN_AWS_AUTH = `data:
  mapRoles: |
    - username: no-arn
    - rolearn: ${ROLE}
      username: admin
`;

/** One error (an entry without principalArn), one good entry. */
const BROKEN_ENTRIES = JSON.stringify({
  accessEntries: [{ kubernetesGroups: ['x'] }, { principalArn: ROLE, username: 'admin' }],
});

/** A directory and base name holding ESC (a colour change) and U+202E (right-to-left override). */
const HOSTILE_DIR = 'in\u001b[31mred';
const HOSTILE_NAME = 'evil\u202etxt.yaml';

let home: string;
let remove: () => void;
const file = (name: string): string => path.join(home, HOSTILE_DIR, name);
const shown = (name: string): string =>
  path.join(home, 'in\\x1b[31mred', name.replace('\u202e', '\\u{202e}'));

beforeAll(() => {
  assertCliBuilt();
  ({ home, remove } = makeHome());
  mkdirSync(path.join(home, HOSTILE_DIR));
  writeFileSync(file(HOSTILE_NAME), BROKEN_AWS_AUTH);
  writeFileSync(file('entries.json'), BROKEN_ENTRIES);
});
afterAll(() => remove());

describe('the warning for a file whose errors are ignored', () => {
  const cases: [string, (aws: string, entries: string) => string[], 'aws' | 'entries', string][] = [
    ['map --aws-auth', (aws) => ['map', '--aws-auth', aws, '--arn', ROLE], 'aws', ''],
    [
      'map --access-entries',
      (_aws, entries) => ['map', '--access-entries', entries, '--arn', ROLE],
      'entries',
      '',
    ],
    [
      'map --source (the kind follows the name)',
      (aws) => ['map', '--source', aws, '--arn', ROLE],
      'aws',
      ' (aws-auth ConfigMap (EKSConfigMap))',
    ],
    [
      'can-i --aws-auth',
      (aws) => ['can-i', 'get', 'pods', '--arn', ROLE, '--aws-auth', aws],
      'aws',
      '',
    ],
    [
      'can-i --access-entries',
      (_aws, entries) => ['can-i', 'get', 'pods', '--arn', ROLE, '--access-entries', entries],
      'entries',
      '',
    ],
    ['migrate', (aws) => ['migrate', aws, '--cluster-name', 'prod'], 'aws', ''],
  ];
  it.each(cases)('%s', async (_name, args, which, kind) => {
    const name = which === 'aws' ? HOSTILE_NAME : 'entries.json';
    const r = await runCli(home, args(file(HOSTILE_NAME), file('entries.json')));
    // eslint-disable-next-line no-control-regex -- what must not be printed
    expect(r.stderr).not.toMatch(/[\u001b\u202e]/);
    const lines = r.stderr.split('\n');
    expect(lines).toContain(
      `warning: ${shown(name)}${kind} has 1 error(s); some entries or fields are ignored (run "eks-iam-auth lint ${shown(name)}")`,
    );
  });
});
