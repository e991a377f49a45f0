/**
 * No regular expression in src/ or examples/ backtracks badly on hostile
 * input (SPEC 4.1: every parser linear in its input; the example webhook is
 * a deployed program). Each is given to recheck (a ReDoS checker that
 * searches for attack strings, npm `recheck`), which must call it safe.
 *
 * Found with the TypeScript type checker, so that none can be missed:
 * - every regex literal;
 * - every construction through the `RegExp` constructor, however it is
 *   named (`RegExp(…)`, `new RegExp(…)`, `new globalThis.RegExp(…)`, an
 *   alias): the checker knows the callee's type;
 * - every implicit one: `String.prototype.match`, `matchAll` and `search`
 *   turn a string argument into a regular expression (ECMA-262 §22.1.3.13,
 *   §22.1.3.14, §22.1.3.23: `RegExpCreate(regexp, …)`), so `text.match(x)`
 *   with a string `x` is a regex built from `x`.
 *
 * A construction from anything but a literal is listed below, site by site
 * (file and argument text), with why it is safe; and the regexes the
 * modules of src/ build when they load are recorded (the global `RegExp`
 * wrapped while each module is imported) and checked like the literals, so
 * a listed site is checked with its real pattern, not only trusted.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['src', 'examples'];

/**
 * `RegExp` built from something other than a literal, by site
 * (`file » argument text`), with the reason each is safe.
 */
const DYNAMIC: Readonly<Record<string, string>> = {
  'src/token/parse.ts » `^${QUERY_PAIR}(?:&${QUERY_PAIR})*$`':
    "QUERY_SHAPE: allowlisted names, then a value class without '&' or '=', so each pair can end one way only; built from constants when the module loads (checked below with its real pattern)",
  'src/token/parse.ts » QUERY_SHAPE.source':
    'QUERY_SHAPE_ANY_CASE: the same pattern with the i flag, built when the module loads (checked below)',
};

interface Found {
  where: string;
  source: string;
  flags: string;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules') return [];
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

function program(files: string[]): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (config === undefined) throw new Error('tsconfig.json did not parse');
  return ts.createProgram(files, { ...config.options, noEmit: true });
}

/** The literal text of `node` when it is a string literal (or a template without substitutions). */
function literalText(node: ts.Node | undefined): string | undefined {
  return node !== undefined && ts.isStringLiteralLike(node) ? node.text : undefined;
}

function scan(files: string[]): { found: Found[]; dynamic: string[] } {
  const built = program(files);
  const checker = built.getTypeChecker();
  const found: Found[] = [];
  const dynamic: string[] = [];
  const isRegExpConstructor = (node: ts.Expression): boolean =>
    checker.getTypeAtLocation(node).getSymbol()?.getName() === 'RegExpConstructor';
  const isRegExp = (node: ts.Expression): boolean =>
    checker.getTypeAtLocation(node).getSymbol()?.getName() === 'RegExp';
  const isString = (node: ts.Expression): boolean =>
    (checker.getTypeAtLocation(node).getFlags() & ts.TypeFlags.StringLike) !== 0;

  for (const file of files) {
    const sf = built.getSourceFile(file);
    if (sf === undefined) throw new Error(`${file} is not in the program`);
    const relative = path.relative(ROOT, file);
    const where = (node: ts.Node): string =>
      `${relative}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
    const construction = (
      node: ts.Node,
      pattern: ts.Expression | undefined,
      flags?: ts.Expression,
    ): void => {
      // `new RegExp(/literal/, flags)`: the literal is found on its own.
      if (pattern !== undefined && ts.isRegularExpressionLiteral(pattern)) return;
      const source = literalText(pattern);
      if (source !== undefined) {
        found.push({ where: where(node), source, flags: literalText(flags) ?? '' });
      } else {
        dynamic.push(`${relative} » ${pattern?.getText(sf) ?? '(no argument)'}`);
      }
    };
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
        isRegExpConstructor(node.expression)
      ) {
        const [pattern, flags] = node.arguments ?? [];
        construction(node, pattern, flags);
      } else if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        ['match', 'matchAll', 'search'].includes(node.expression.name.text) &&
        isString(node.expression.expression)
      ) {
        const [pattern] = node.arguments;
        if (pattern !== undefined && !isRegExp(pattern)) construction(node, pattern);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { found, dynamic };
}

const FILES = SCANNED.flatMap((dir) => filesUnder(path.join(ROOT, dir)));
const { found: LITERALS, dynamic: DYNAMIC_SITES } = scan(FILES);

/** The patterns `new RegExp` builds while each module of src/ loads. */
async function builtWhileLoading(): Promise<Found[]> {
  const built: Found[] = [];
  const original = globalThis.RegExp;
  let current = '';
  globalThis.RegExp = new Proxy(original, {
    construct(target, args: unknown[], newTarget) {
      const made = Reflect.construct(target, args, newTarget) as RegExp;
      built.push({ where: `while importing ${current}`, source: made.source, flags: made.flags });
      return made;
    },
    apply(target, self, args: unknown[]) {
      const made = Reflect.apply(target, self, args) as RegExp;
      built.push({ where: `while importing ${current}`, source: made.source, flags: made.flags });
      return made;
    },
  });
  try {
    // The command line's entry runs the tool when imported; its modules load through the others.
    for (const file of filesUnder(path.join(ROOT, 'src')).filter(
      (f) => !f.endsWith('cli/main.ts'),
    )) {
      current = path.relative(ROOT, file);
      await import(file);
    }
  } finally {
    globalThis.RegExp = original;
  }
  return built;
}

function unsafe(regexes: readonly Found[]): object[] {
  return regexes
    .map((r) => ({ ...r, result: checkSync(r.source, r.flags, { timeout: 30_000 }) }))
    .filter((r) => r.result.status !== 'safe')
    .map((r) => ({
      where: r.where,
      regex: `/${r.source}/${r.flags}`,
      status: r.result.status,
      ...(r.result.status === 'vulnerable'
        ? { complexity: r.result.complexity.type, attack: r.result.attack.pattern.slice(0, 80) }
        : {}),
    }));
}

describe('regular expressions in src/ and examples/', () => {
  it('are found (the scan itself works), in both trees', () => {
    expect(LITERALS.length).toBeGreaterThan(50);
    expect(LITERALS.some((r) => r.where.startsWith('examples/webhook/'))).toBe(true);
  });

  it('the scan finds every way of building one (a fixture of each)', () => {
    const fixture = path.join(ROOT, 'test/security/fixtures/regex-constructions.ts');
    const { found, dynamic } = scan([fixture]);
    expect(found.map((r) => r.source)).toEqual([
      'literal',
      'called',
      'constructed',
      'through globalThis',
      'through an alias',
      'matched from a string',
      'searched for with a string',
    ]);
    expect(dynamic).toEqual([
      'test/security/fixtures/regex-constructions.ts » pattern',
      'test/security/fixtures/regex-constructions.ts » pattern',
    ]);
  });

  it('every RegExp built from something other than a literal is listed, site by site, with its reason', () => {
    expect(DYNAMIC_SITES.filter((site) => DYNAMIC[site] === undefined)).toEqual([]);
    // A listed site that no longer exists is a stale reason.
    expect(Object.keys(DYNAMIC).filter((site) => !DYNAMIC_SITES.includes(site))).toEqual([]);
  });

  it('every one is safe from catastrophic backtracking (recheck finds no attack string)', () => {
    expect(unsafe(LITERALS)).toEqual([]);
  }, 300_000);

  it('so is every one the modules of src/ build while they load (the listed sites, with their real patterns)', async () => {
    const built = await builtWhileLoading();
    // QUERY_SHAPE (token/parse.ts), whichever module's import loaded it first.
    expect(built.filter((r) => r.source.includes('X-Amz-Date'))).toHaveLength(2);
    expect(unsafe(built)).toEqual([]);
  }, 300_000);
});
