/**
 * parseJson: the value of a JSON text, or where it stops being JSON by line
 * and column, never an echo of the input, and linear in it: a string of
 * megabytes is scanned, not handed to a backtracking regex (V8 threw a
 * RangeError, "Maximum call stack size exceeded", on a 10 MB unterminated
 * string).
 */
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/util/json.js';

const MB = 1024 * 1024;

describe('parseJson', () => {
  const VALUES: [string, string, unknown][] = [
    ['an object', '{"a": [1, -2.5e3, true, false, null]}', { a: [1, -2.5e3, true, false, null] }],
    ['every escape', '"\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9"', '" \\ / \b \f \n \r \t é'],
    ['a string of 12 MB', `["${'x'.repeat(12 * MB)}"]`, ['x'.repeat(12 * MB)]],
  ];
  it.each(VALUES)('%s', (_, text, value) => {
    expect(parseJson(text)).toEqual({ value });
  });

  // Each fault is placed where the scan stops: a bad string at its opening quote.
  const FAULTS: [string, string, string][] = [
    ['empty text', '', 'not JSON (line 1, column 1)'],
    ['a trailing comma', '[1,]', 'not JSON (line 1, column 4)'],
    ['an unterminated string', '["abc', 'not JSON (line 1, column 2)'],
    ['a raw line feed in a string', '{"a":\n "x\ny"}', 'not JSON (line 2, column 2)'],
    ['a raw ESC in a string', '["\u001b[31m"]', 'not JSON (line 1, column 2)'],
    ['a bad escape', '["\\x41"]', 'not JSON (line 1, column 2)'],
    ['a short \\u escape', '["\\u12"]', 'not JSON (line 1, column 2)'],
    ['a backslash at the end', '["\\', 'not JSON (line 1, column 2)'],
    ['a key that is not a string', '{a: 1}', 'not JSON (line 1, column 2)'],
    ['a missing colon', '{"a" 1}', 'not JSON (line 1, column 6)'],
    ['text after the value', '{}\n x', 'not JSON (line 2, column 2)'],
    ['an unterminated string of 12 MB', `["${'x'.repeat(12 * MB)}`, 'not JSON (line 1, column 2)'],
    [
      'an unterminated key of 12 MB',
      `{"a": 1, "${'\\n'.repeat(6 * MB)}`,
      'not JSON (line 1, column 10)',
    ],
    [
      'a 12 MB string, then a bad escape',
      `[1,\n"${'x'.repeat(12 * MB)}\\q"]`,
      'not JSON (line 2, column 1)',
    ],
  ];
  it.each(FAULTS)('%s → its line and column', (_, text, problem) => {
    expect(parseJson(text)).toEqual({ problem });
  });

  it('never echoes the input', () => {
    const result = parseJson('{"token": "k8s-aws-v1.secret\u001b]0;x\u0007"');
    expect(result).toEqual({ problem: 'not JSON (line 1, column 11)' });
  });
});
