/**
 * No regular expression in src/ backtracks badly on hostile input (SPEC
 * 4.1: every parser linear in its input). Every regex literal and every
 * `new RegExp(...)` of the sources is found with the TypeScript parser, so a
 * new one cannot be missed, and each is given to recheck (a ReDoS checker
 * that searches for attack strings, npm `recheck`), which must call it safe.
 * A `new RegExp` built from a non-literal must be listed below with why it
 * is safe.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** `new RegExp(<not a literal>)` sites, by file, with the reason each is safe. */
const DYNAMIC: Readonly<Record<string, string>> = {
  'token/parse.ts':
    "QUERY_SHAPE: allowlisted names, then a value class without '&' or '=', so each pair can end one way only; built from constants, never from input",
};

interface Found {
  where: string;
  source: string;
  flags: string;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesUnder(path.join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [path.join(dir, e.name)]
        : [],
  );
}

function regexesOf(file: string): { found: Found[]; dynamic: string[] } {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Found[] = [];
  const dynamic: string[] = [];
  const where = (node: ts.Node): string =>
    `${path.relative(SRC, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const literal = node.text;
      const end = literal.lastIndexOf('/');
      found.push({
        where: where(node),
        source: literal.slice(1, end),
        flags: literal.slice(end + 1),
      });
    } else if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'RegExp'
    ) {
      const [first, second] = node.arguments ?? [];
      if (first !== undefined && ts.isStringLiteralLike(first)) {
        found.push({
          where: where(node),
          source: first.text,
          flags: second !== undefined && ts.isStringLiteralLike(second) ? second.text : '',
        });
      } else dynamic.push(where(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { found, dynamic };
}

const all = filesUnder(SRC).map(regexesOf);
const REGEXES = all.flatMap((r) => r.found);
const DYNAMIC_SITES = all.flatMap((r) => r.dynamic);

describe('regular expressions in src/', () => {
  it('are found (the scan itself works)', () => {
    expect(REGEXES.length).toBeGreaterThan(50);
  });

  it('every RegExp built at run time is listed with its reason', () => {
    expect(DYNAMIC_SITES.filter((w) => DYNAMIC[w.replace(/:\d+$/, '')] === undefined)).toEqual([]);
  });

  it('every one is safe from catastrophic backtracking (recheck finds no attack string)', () => {
    const unsafe = REGEXES.map((r) => ({
      ...r,
      result: checkSync(r.source, r.flags, { timeout: 30_000 }),
    }))
      .filter((r) => r.result.status !== 'safe')
      .map((r) => ({
        where: r.where,
        regex: `/${r.source}/${r.flags}`,
        status: r.result.status,
        ...(r.result.status === 'vulnerable'
          ? { complexity: r.result.complexity.type, attack: r.result.attack.pattern.slice(0, 80) }
          : {}),
      }));
    expect(unsafe).toEqual([]);
  }, 300_000);
});
