/**
 * examples/webhook log lines: text from outside (a refused caller's ARN, a
 * mapping file's messages) reaches no terminal or log viewer raw. Each
 * character below is one a terminal acts on or a reader is fooled by; the
 * line must carry it as a JSON escape and still parse back to the exact value.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { jsonLinesLog, safeJson, safeText } from '../../examples/webhook/log.js';

const RAW =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

describe('log lines carry no raw control or bidi character', () => {
  it.each<[string, string]>([
    ['ESC (C0): a terminal escape sequence', 'arn:aws:sts::1:assumed-role/r/\u001b[2J'],
    ['CR LF: a forged second log line', 'x\r\n{"level":"info","msg":"access granted"}'],
    ['DEL', 'a\u007fb'],
    ['CSI (C1, one byte in 8-bit terminals)', 'a\u009b31mred'],
    ['NEL (C1 next line)', 'a\u0085b'],
    ['RLO: reverses what a reader sees', 'arn:aws:iam::1:role/\u202eelor'],
    ['LRI/PDI isolates', '\u2066x\u2069'],
    ['LRM/RLM/ALM marks', '\u200e\u200f\u061c'],
    ['LINE SEPARATOR and PARAGRAPH SEPARATOR', 'a\u2028b\u2029c'],
  ])('%s', (_name, value) => {
    const lines: string[] = [];
    jsonLinesLog((line) => lines.push(line))({ level: 'warn', msg: 'access denied', arn: value });
    const [line] = lines;
    expect(line?.endsWith('\n')).toBe(true);
    expect(line?.slice(0, -1)).not.toMatch(RAW);
    expect((JSON.parse(line ?? '') as { arn: string }).arn).toBe(value);
  });

  it('plain text is written as JSON.stringify writes it', () => {
    const record = { arn: 'arn:aws:iam::123456789012:user/Alice', n: 1 };
    expect(safeJson(record)).toBe(JSON.stringify(record));
  });
});

describe('start-up errors (plain text on stderr) carry no raw control or bidi character', () => {
  it.each<[string, string]>([
    ['ESC', 'a\u001b[2Jb'],
    ['CR LF: a forged second line', 'a\r\nforged'],
    ['CSI', 'a\u009b31m'],
    ['RLO', 'a\u202eb'],
    ['BOM', '\ufeffa'],
    ['LINE SEPARATOR', 'a\u2028b'],
  ])('safeText: %s', (_name, value) => {
    const text = safeText(value);
    expect(text).not.toMatch(RAW);
    expect(JSON.parse(`"${text}"`)).toBe(value);
  });

  it('main.ts refuses a hostile --backend-mode with the name escaped', async () => {
    const child = spawn(
      process.execPath,
      [
        path.resolve('node_modules/tsx/dist/cli.mjs'),
        '--tsconfig',
        'examples/tsconfig.json',
        'examples/webhook/main.ts',
        '--backend-mode',
        'Bad\u202eedoM\u001b[2J',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('backend-mode "Bad\\u202eedoM\\u001b[2J" is not a valid mode');
    expect(stderr.replace(/\n$/, '')).not.toMatch(RAW);
  });
});
