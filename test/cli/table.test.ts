/**
 * Columns laid out as kubectl's tab writer lays them out
 * (k8s.io/cli-runtime/pkg/printers/tabwriter.go `GetNewTabWriter`:
 * `tabwriter.NewWriter(output, 6, 4, 3, ' ', 0)`, minwidth 6 with padding 3
 * included; Go's text/tabwriter leaves the last cell of a line unpadded).
 */
import { describe, expect, it } from 'vitest';
import { formatTable } from '../../src/cli/table.js';

describe('formatTable', () => {
  it.each<[string, string[][], string]>([
    [
      'a column of short cells is six wide (minwidth)',
      [
        ['A', 'B'],
        ['xy', 'z'],
      ],
      'A     B\nxy    z\n',
    ],
    [
      'a wide column is its widest cell plus three',
      [
        ['NAME', 'X'],
        ['longer-name', 'y'],
      ],
      'NAME          X\nlonger-name   y\n',
    ],
    [
      'the last column is not padded',
      [
        ['A', 'LAST'],
        ['b', 'c'],
      ],
      'A     LAST\nb     c\n',
    ],
  ])('%s', (_name, rows, expected) => {
    expect(formatTable(rows)).toBe(expected);
  });
});
