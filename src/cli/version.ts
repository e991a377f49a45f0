/**
 * The package version, for `--version` and the SARIF tool descriptor.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';

/** The version in the nearest package.json named eks-iam-auth above this file (dist/ or src/cli/). */
export async function packageVersion(): Promise<string> {
  for (const candidate of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(await readFile(new URL(candidate, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'eks-iam-auth' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next location
    }
  }
  return 'unknown';
}
