/**
 * Columns as kubectl prints them (its tab writer,
 * k8s.io/cli-runtime/pkg/printers/tabwriter.go `GetNewTabWriter`: minwidth
 * 6, padding 3, so each column is as wide as its widest cell plus three
 * spaces, at least six; the last column not padded). Cells are escaped by
 * the caller.
 *
 * @module
 */

const PADDING = 3;
const MIN_WIDTH = 6;

/** The rows (the first is the header) as aligned lines, each ending in a newline. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, Math.max(cell.length + PADDING, MIN_WIDTH));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
