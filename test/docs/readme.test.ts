/**
 * The README is the first thing people copy from. Its first screen has the
 * two commands; every TypeScript snippet imports from `eks-iam-auth` each
 * export it uses (one used `mapIdentity` without importing it); the
 * installed size it states is the one docs/benchmarks.md measured. (Its
 * kubeconfig is run through the real kubectl in test/cli/kubectl.test.ts.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as library from '../../src/index.js';
import { repoRoot } from '../support/vectors.js';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const benchmarks = readFileSync(path.join(repoRoot, 'docs', 'benchmarks.md'), 'utf8');

/** The package's exports, values and types (the names a snippet could use unimported). */
function exportedNames(): Set<string> {
  const names = new Set(Object.keys(library));
  const index = readFileSync(path.join(repoRoot, 'src', 'index.ts'), 'utf8');
  for (const block of index.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const name of (block[1] ?? '').split(',')) {
      const local = name
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (local) names.add(local);
    }
  }
  return names;
}

/** Identifiers a snippet uses (not property names after a `.`), by the TypeScript scanner. */
function usedIdentifiers(code: string): Set<string> {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, code);
  const used = new Set<string>();
  let previous = ts.SyntaxKind.Unknown;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.Identifier && previous !== ts.SyntaxKind.DotToken) {
      used.add(scanner.getTokenText());
    }
    previous = token;
  }
  return used;
}

function importedFromPackage(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'eks-iam-auth'/g)) {
    for (const name of (m[1] ?? '').split(',')) {
      const local = name
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop();
      if (local) names.add(local);
    }
  }
  return names;
}

const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe('README', () => {
  it('opens with the two commands', () => {
    const firstScreen = readme.split('\n').slice(0, 25).join('\n');
    expect(firstScreen).toContain('npm ci && npm run demo');
    expect(firstScreen).toContain('npm ci && npm test');
  });

  it('has TypeScript snippets', () => {
    expect(snippets.length).toBeGreaterThan(5);
  });

  const exported = exportedNames();
  it.each(
    snippets.map((code) => [
      code.split('\n').find((l) => l.startsWith('import')) ?? code.slice(0, 60),
      code,
    ]),
  )('a snippet imports every export it uses: %s', (_first, code) => {
    const imported = importedFromPackage(code);
    const missing = [...usedIdentifiers(code)].filter(
      (name) => exported.has(name) && !imported.has(name),
    );
    expect(missing).toEqual([]);
  });

  it('a snippet that uses an export without importing it is caught (the check can fail)', () => {
    const code =
      "import { parseAwsAuth } from 'eks-iam-auth';\nawait mapIdentity(parseAwsAuth(x), arn);\n";
    const missing = [...usedIdentifiers(code)].filter(
      (name) => exported.has(name) && !importedFromPackage(code).has(name),
    );
    expect(missing).toEqual(['mapIdentity']);
  });

  it('states the installed size docs/benchmarks.md measured, and what it counts', () => {
    const row =
      /\| npm install eks-iam-auth \(tarball\): node_modules, (\d+) packages, \d+ files \| (\d+\.\d+) MB \(du (\d+\.\d+) MB\)/.exec(
        benchmarks,
      );
    const own = /\| of which the eks-iam-auth package itself[^|]*\|\s*(\d+\.\d+) MB/.exec(
      benchmarks,
    );
    expect(row).not.toBeNull();
    expect(own).not.toBeNull();
    const [, packages, apparent, du] = row as unknown as [string, string, string, string];
    const mb = (value: string): string => Number(value).toFixed(1);
    // Compared as one line: Prettier wraps the paragraph anywhere.
    const flat = readme.replace(/\s+/g, ' ');
    expect(flat).toContain(`it puts ${mb(apparent)} MB on disk`);
    expect(flat).toContain(`(${mb(du)} MB as \`du\` counts blocks)`);
    expect(flat).toContain(`the package itself, ${mb((own as unknown as [string, string])[1])} MB`);
    expect(flat).toContain(`${packages} packages in all`);
    expect(flat).toContain('the optional peers are not counted');
  });
});
