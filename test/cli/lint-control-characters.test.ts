/**
 * Raw control, bidirectional and line-separator characters anywhere in a
 * linted file are flagged (SPEC 4.1.1: what a reviewer sees must be what
 * EKS reads), one error per line at the first such character.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { controlCharacterDiagnostics } from '../../src/cli/control-characters.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runCli, useCliHome } from './cli-process.js';

const CLEAN = 'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/Admin\n';

describe('controlCharacterDiagnostics', () => {
  it.each<[string, string, [number, number, string][]]>([
    ['a clean file', CLEAN, []],
    ['tabs, CRLF line ends and a leading BOM are fine', `\ufeffdata:\r\n\tx: 1\r\n`, []],
    [
      'a right-to-left override in a comment (Trojan Source)',
      `${CLEAN}# admin \u202e nimda\n`,
      [[4, 9, 'U+202E is an invisible bidirectional control']],
    ],
    [
      'an isolate and the Arabic letter mark',
      `a\u2066b\nc\u061c\n`,
      [
        [1, 2, 'U+2066 is an invisible bidirectional control'],
        [2, 2, 'U+061C is an invisible bidirectional control'],
      ],
    ],
    ['ESC in a value', `username: "x\u001b[2Jy"\n`, [[1, 13, 'U+001B is a control character']]],
    [
      "NEL, LS and PS: line breaks for Go's YAML 1.1 only",
      `a: 1\u0085b: 2\nc\u2028\n\u2029`,
      [
        [1, 5, "U+0085 is a line break for Go's YAML 1.1 reader"],
        [2, 2, "U+2028 is a line break for Go's YAML 1.1 reader"],
        [3, 1, "U+2029 is a line break for Go's YAML 1.1 reader"],
      ],
    ],
    [
      'DEL and a C1 control',
      'a\u007f\n\u009b\n',
      [
        [1, 2, 'U+007F is a control character'],
        [2, 1, 'U+009B is a control character'],
      ],
    ],
    [
      'a BOM that is not the first character',
      'a\ufeff\n',
      [[1, 2, 'U+FEFF is an invisible zero-width']],
    ],
    [
      'several on one line: one error, at the first',
      'a\u202e\u202d\u0007\n',
      [[1, 2, 'U+202E is an invisible bidirectional control']],
    ],
    ['a lone CR counts as a line break, as YAML reads it', 'a\rb\u0007\n', [[2, 2, 'U+0007']]],
  ])('%s', (_name, text, expected) => {
    const found = controlCharacterDiagnostics(text);
    expect(found.map((d) => [d.fieldLine, d.column])).toEqual(expected.map(([l, c]) => [l, c]));
    found.forEach((d, i) => {
      expect(d).toMatchObject({ severity: 'error', code: 'control-character' });
      expect(d.message.startsWith(expected[i]?.[2] ?? '')).toBe(true);
    });
  });

  it('is linear: 1 MiB of bidi controls is one pass', () => {
    const text = `${'x\u202e'.repeat(256 * 1024)}\n`.repeat(2);
    expect(controlCharacterDiagnostics(text)).toHaveLength(2);
  });
});

describe('lint reports them', () => {
  const home = useCliHome();

  it('an otherwise clean ConfigMap with a bidi override in a comment: error, exit 1', async () => {
    const file = path.join(home(), 'trojan.yaml');
    writeFileSync(
      file,
      `${CLEAN}      username: admin\n      groups: [system:masters] # \u202eview-only\n`,
    );
    const result = await runCli(home(), ['lint', file]);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stdout.split('\n')[0]).toBe(
      `${file}:5:34: error control-character U+202E is an invisible bidirectional control: it reorders the text on screen (Trojan Source), so what a reviewer reads is not what EKS reads (fix: delete it (and check the line reads as you meant without it))`,
    );
    // The character itself is never printed raw.
    expect(result.stdout).not.toContain('\u202e');
  });
});
