/**
 * A private copy of the built package for the process-level benchmarks.
 *
 * `npm test` rebuilds `dist/` (tsup cleans it first), so a bench that spawned
 * processes importing `dist/` while someone ran the tests could find it
 * missing or half written. The copy lives under `node_modules/.cache`, where
 * the package's own dependencies still resolve from `node_modules/`.
 *
 * @module
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/** A snapshot of `dist/`, removed by {@link DistSnapshot.remove}. */
export interface DistSnapshot {
  /** The copied `dist` directory. */
  dir: string;
  /** Delete the copy. */
  remove(): void;
}

/** Copy `<root>/dist` to a fresh directory; throws if it is not built. */
export function snapshotDist(root: string): DistSnapshot {
  const source = path.join(root, 'dist');
  if (!existsSync(path.join(source, 'index.js'))) {
    throw new Error('dist/index.js is missing: run `npm run build` first (npm run bench does)');
  }
  const base = path.join(root, 'node_modules', '.cache', 'eks-iam-auth-bench', String(process.pid));
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const dir = path.join(base, 'dist');
  cpSync(source, dir, { recursive: true });
  const remove = (): void => {
    rmSync(base, { recursive: true, force: true });
    // The shared parent goes too once no other run uses it.
    const parent = path.dirname(base);
    if (existsSync(parent) && readdirSync(parent).length === 0) rmSync(parent, { recursive: true });
  };
  return { dir, remove };
}
