/**
 * The import graph of a source tree, for the layout test: every relative
 * import of every TypeScript file (type-only imports, re-exports and dynamic
 * imports count: they tie two files' meanings together just the same), read
 * with the TypeScript compiler's own import scanner, and the circles in it
 * between files and between top-level folders.
 *
 * @module
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Files (paths relative to the root, with `/`) and whom each imports. */
export type ImportGraph = ReadonlyMap<string, ReadonlySet<string>>;

function sourceFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(root, full));
    else if (/\.(?:ts|mts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The file an import specifier names: `./x.js` is `./x.ts` in the source tree. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier).replace(/\.m?js$/, '');
  return ['.ts', '.mts', '.tsx', `${path.sep}index.ts`]
    .map((ext) => base + ext)
    .find((candidate) => existsSync(candidate));
}

/** Read the relative imports of every TypeScript file under `root`. */
export function importGraph(root: string): ImportGraph {
  const graph = new Map<string, Set<string>>();
  const rel = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  for (const file of sourceFiles(root)) {
    const imports = new Set<string>();
    const scanned = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of scanned.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveSpecifier(file, fileName);
      if (target === undefined) throw new Error(`${rel(file)}: cannot resolve ${fileName}`);
      imports.add(rel(target));
    }
    graph.set(rel(file), imports);
  }
  return graph;
}

/** The top-level unit a file belongs to: its folder (`mapping/`), or itself (`arn.ts`). */
export function unitOf(file: string): string {
  const slash = file.indexOf('/');
  return slash === -1 ? file : file.slice(0, slash + 1);
}

/** The same graph between top-level units (edges inside a unit dropped). */
export function unitGraph(graph: ImportGraph): ImportGraph {
  const units = new Map<string, Set<string>>();
  for (const [file, imports] of graph) {
    const from = unitOf(file);
    const edges = units.get(from) ?? new Set<string>();
    units.set(from, edges);
    for (const target of imports) if (unitOf(target) !== from) edges.add(unitOf(target));
  }
  return units;
}

/**
 * Every circle: the strongly connected components with more than one node
 * (Tarjan's algorithm, linear in the graph), each sorted, in a stable order.
 */
export function circles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node) as number, low.get(target) as number));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node) as number, index.get(target) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}
