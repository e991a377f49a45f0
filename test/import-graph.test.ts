/**
 * The layout of `src/` holds: no import circles between files or between
 * top-level folders, and the mapping sources are peers on a shared core
 * (`resolve/` is the one door above them).
 *
 * A test rather than ESLint's `import-x/no-cycle`: that rule sees file
 * circles only, while the circles that hurt a design are between folders
 * (two capabilities leaning on each other), and it needs a TypeScript import
 * resolver besides; this reads the same imports with the TypeScript
 * compiler's own scanner, in milliseconds, with no new dependency.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { circles, importGraph, unitGraph, unitOf } from './support/import-graph.js';
import type { ImportGraph } from './support/import-graph.js';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
const graph = importGraph(SRC);

describe('src/ has no import circles', () => {
  it('the graph is read (imports of type, re-exports and values all count)', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('index.ts')).toContain('resolve/resolve.ts');
    expect(graph.get('resolve/resolve.ts')).toContain('mapping/caller.ts');
    // a type-only import
    expect(graph.get('mapping/caller.ts')).toContain('token/verify.ts');
  });

  it('between files', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('between top-level folders (and top-level files)', () => {
    expect(circles(unitGraph(graph))).toEqual([]);
  });
});

describe('the mapping sources are peers on one core', () => {
  // What each may import besides itself: the layers below it, nothing beside or above.
  const BELOW_SOURCES = ['arn.ts', 'partitions.ts', 'errors.ts', 'util/', 'sts/'];
  it.each<[string, readonly string[]]>([
    ['mapping/', [...BELOW_SOURCES, 'token/']],
    ['aws-auth/', ['mapping/', ...BELOW_SOURCES]],
    ['access-entries/', ['mapping/', ...BELOW_SOURCES]],
    ['sources/', ['mapping/', ...BELOW_SOURCES]],
  ])('%s imports only from %j', (unit, allowed) => {
    const reached = unitGraph(graph).get(unit);
    expect(reached, `${unit} exists`).toBeDefined();
    const strays = [...graph]
      .filter(([file]) => unitOf(file) === unit)
      .flatMap(([file, imports]) =>
        [...imports]
          .filter((target) => unitOf(target) !== unit && !allowed.includes(unitOf(target)))
          .map((target) => `${file} -> ${target}`),
      );
    expect(strays).toEqual([]);
  });
});

describe('the circle finder', () => {
  const g = (edges: Record<string, string[]>): ImportGraph =>
    new Map(Object.entries(edges).map(([k, v]) => [k, new Set(v)]));

  it.each<[string, Record<string, string[]>, string[][]]>([
    ['none', { 'a.ts': ['b.ts'], 'b.ts': [] }, []],
    ['two files', { 'a.ts': ['b.ts'], 'b.ts': ['a.ts'] }, [['a.ts', 'b.ts']]],
    [
      'three files',
      { 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts'] },
      [['a.ts', 'b.ts', 'c.ts']],
    ],
    [
      'two separate circles',
      { 'a.ts': ['b.ts'], 'b.ts': ['a.ts'], 'c.ts': ['d.ts'], 'd.ts': ['c.ts'] },
      [
        ['a.ts', 'b.ts'],
        ['c.ts', 'd.ts'],
      ],
    ],
  ])('file circles: %s', (_name, edges, expected) => {
    expect(circles(g(edges))).toEqual(expected);
  });

  it('a folder circle made of files that form no circle', () => {
    // arn.ts -> sts/partitions.ts and sts/response.ts -> arn.ts: the shape src/ once had.
    const files = g({
      'arn.ts': ['sts/partitions.ts'],
      'sts/partitions.ts': [],
      'sts/response.ts': ['arn.ts'],
    });
    expect(circles(files)).toEqual([]);
    expect(circles(unitGraph(files))).toEqual([['arn.ts', 'sts/']]);
  });
});
