/**
 * Every code block in docs/guide.md that follows an
 * `<!-- include: examples/guide/<file>.ts -->` marker must be that file,
 * verbatim: the files are what `npm run typecheck` compiles, so a guide
 * snippet that drifted from its file would be an untested snippet.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const guide = readFileSync(resolve(root, 'docs/guide.md'), 'utf8');
const INCLUDE = /<!-- include: (examples\/guide\/[\w.-]+\.ts) -->\s*```ts\n([\s\S]*?)```/g;
const includes = [...guide.matchAll(INCLUDE)].map((m) => [m[1] as string, m[2] as string] as const);

describe('docs/guide.md snippets are the typechecked example files', () => {
  it('has included snippets', () => {
    expect(includes.length).toBeGreaterThan(5);
  });

  it('every ts block in the guide is an included file', () => {
    const tsBlocks = guide.split('```ts\n').length - 1;
    expect(tsBlocks).toBe(includes.length);
  });

  // The guide shows the file's path as a first comment line, then the file.
  it.each(includes)('%s', (file, snippet) => {
    expect(snippet).toBe(`// ${file}\n${readFileSync(resolve(root, file), 'utf8')}`);
  });
});
