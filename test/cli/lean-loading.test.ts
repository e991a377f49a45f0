/**
 * What a start-up loads (SPEC 9): the built `token` command and the library
 * entry import, up front, only what every call needs. Read from the built
 * files (`npm test` builds first), since bundling decides what is hoisted.
 */
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/vectors.js';

/** The specifiers of a module's static `import … from '…'` statements. */
function staticImports(file: string): string[] {
  const code = readFileSync(path.join(repoRoot, 'dist', file), 'utf8');
  return [
    ...code.matchAll(/^import\s[^;]*?from\s+['"]([^'"]+)['"];?$|^import\s+['"]([^'"]+)['"];?$/gm),
  ].map((m) => (m[1] ?? m[2]) as string);
}

const isBuiltin = (specifier: string): boolean =>
  builtinModules.includes(specifier.replace(/^node:/, ''));

describe('eks-iam-auth token (dist/token.js)', () => {
  it('imports Node built-ins only: no YAML or XML parser, no signer package, no SDK', () => {
    const imports = staticImports('token.js');
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((s) => !isBuiltin(s))).toEqual([]);
  });

  it('is reached from the dispatcher by a dynamic import of its own file', () => {
    const cli = readFileSync(path.join(repoRoot, 'dist', 'cli.js'), 'utf8');
    expect(cli).toContain("import('./token.js')");
    expect(staticImports('cli.js').filter((s) => !isBuiltin(s))).toEqual([]);
  });
});

describe('import of the library (dist/index.js)', () => {
  it('loads js-yaml (parseAwsAuth is synchronous) and nothing else up front', () => {
    expect(staticImports('index.js')).toEqual(['js-yaml']);
  });
});
