/**
 * External tools the tests drive for real (kubectl, the AWS CLI, terraform,
 * redis-server, ...): found on `PATH`, never at a fixed location. Locally a
 * missing tool skips its tests with the reason printed; under CI
 * (`CI=true`) it fails them, since `.ci/run` installs what they need.
 *
 * @module
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** The first executable file called `name` in a `PATH` directory, or `undefined`. */
export function findOnPath(
  name: string,
  searchPath: string = process.env['PATH'] ?? '',
): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * `name` on `PATH` for a test file's tests. When it is missing, or
 * `unusable` says why the one found cannot serve: under CI an error (the
 * suite must not pass without them), else `undefined` and a printed reason
 * (use `describe.skipIf(tool === undefined)`).
 */
export function toolForTests(
  name: string,
  why: string,
  unusable: (found: string) => string | undefined = () => undefined,
): string | undefined {
  const found = findOnPath(name);
  const problem = found === undefined ? `${name} is not on PATH: ${why}` : unusable(found);
  if (problem === undefined) return found;
  if (process.env['CI'] === 'true') throw new Error(`${problem} (.ci/run installs it)`);
  console.warn(`skipping: ${problem}`);
  return undefined;
}
