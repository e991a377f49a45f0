/**
 * examples/webhook log lines: text from outside (a refused caller's ARN, a
 * mapping file's messages) reaches no terminal or log viewer raw. Each
 * character below is one a terminal acts on or a reader is fooled by; the
 * line must carry it as a JSON escape and still parse back to the exact value.
 */
import { describe, expect, it } from 'vitest';
import { jsonLinesLog, safeJson } from '../../examples/webhook/log.js';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

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
