/**
 * One hostile input parsed in a fresh process (bench/hostile.ts starts it
 * with a 256 MiB heap limit): prints the parse time and the heap it took.
 * An input that a reader refuses (its typed error) counts as parsed: the
 * time and heap until it refused are what is measured.
 *
 * @module
 */
import { performance } from 'node:perf_hooks';
import { isEksAuthError, parseAccessEntries, parseAwsAuth, parseRbac } from 'eks-iam-auth';
import { HOSTILE, HOSTILE_OTHER } from './hostile-inputs.js';

const name = process.argv[2] as string;
const other = HOSTILE_OTHER[name];
const make = HOSTILE[name] ?? other?.make;
if (make === undefined) throw new Error(`no hostile input ${name}`);
const input = make();
const length =
  typeof input === 'string' ? input.length : Object.values(input).reduce((n, v) => n + v.length, 0);

/** Parse with the input's reader: entries kept and diagnostics (or the error code it refused with). */
function parse(): { kept: number; diagnostics: number; refused?: string } {
  try {
    if (other?.parser === 'parseRbac') {
      const r = parseRbac(input as string);
      return {
        kept:
          r.roles.length +
          r.clusterRoles.length +
          r.roleBindings.length +
          r.clusterRoleBindings.length,
        diagnostics: r.diagnostics.length,
      };
    }
    if (other?.parser === 'parseAccessEntries') {
      const r = parseAccessEntries(input as string);
      return { kept: r.entries.length, diagnostics: r.diagnostics.length };
    }
    const r = parseAwsAuth(input);
    return {
      kept: r.mapRoles.length + r.mapUsers.length + r.mapAccounts.length,
      diagnostics: r.diagnostics.length,
    };
  } catch (error) {
    if (!isEksAuthError(error)) throw error;
    return { kept: 0, diagnostics: 0, refused: error.code };
  }
}

globalThis.gc?.();
const before = process.memoryUsage().heapUsed;
const start = performance.now();
const parsed = parse();
const ms = performance.now() - start;
const after = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    name,
    length,
    ms,
    heapUsedMiB: (after.heapUsed - before) / 1024 / 1024,
    heapTotalMiB: after.heapTotal / 1024 / 1024,
    ...parsed,
  })}\n`,
);
