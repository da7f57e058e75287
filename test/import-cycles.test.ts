// No import cycles in src: neither between modules (static imports, type imports and dynamic
// `import('...')` alike) nor between its folders (catalog, graph, rules, health, ...), so each
// layer can be read, tested and replaced without the ones above it. The imports are read with
// the TypeScript compiler's parser, as tsc resolves them (a `./x.js` specifier is `./x.ts`).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '..', 'src');

/** Every .ts file below `dir`, relative to src. */
function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [relative(SRC, p)] : [];
  });
}

/** The src modules a file imports (relative to src), from import/export declarations and literal import() calls. */
function importsOf(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const specs: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier))
      specs.push(n.moduleSpecifier.text);
    else if (
      ts.isCallExpression(n) &&
      n.expression.kind === ts.SyntaxKind.ImportKeyword &&
      n.arguments[0] &&
      ts.isStringLiteral(n.arguments[0])
    )
      specs.push(n.arguments[0].text);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal))
      specs.push(n.argument.literal.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(SRC, resolve(SRC, dirname(file), s)).replace(/\.js$/, '.ts'));
}

/** The cycles of a graph (its strongly connected components of more than one node, or with a self edge), each sorted. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return out.sort();
}

const folderOf = (f: string): string | undefined => (f.includes('/') ? f.slice(0, f.indexOf('/')) : undefined);

/**
 * Contracts: modules of types only that the stages they name implement (the renderers of
 * src/health and src/smoke implement src/render's Renderer, and src/render runs them). An
 * import of a contract is not a dependency on its folder; the test checks they hold no code.
 */
const CONTRACTS = new Set(['render/types.ts']);

/** Whether a module holds only interfaces, type aliases and type imports (nothing that runs). */
function typesOnly(text: string): boolean {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false);
  return sf.statements.every(
    (st) =>
      ts.isInterfaceDeclaration(st) ||
      ts.isTypeAliasDeclaration(st) ||
      (ts.isImportDeclaration(st) && st.importClause?.isTypeOnly === true) ||
      (ts.isExportDeclaration(st) && st.isTypeOnly),
  );
}

function srcGraph(): { modules: Map<string, string[]>; folders: Map<string, string[]>; why: Map<string, string> } {
  const modules = new Map<string, string[]>();
  const folders = new Map<string, string[]>();
  const why = new Map<string, string>();
  for (const f of sources()) {
    const deps = importsOf(f, readFileSync(join(SRC, f), 'utf8'));
    modules.set(f, deps);
    const a = folderOf(f);
    for (const d of deps) {
      const b = folderOf(d);
      // top-level files are the shared pieces (findings, fsutil, yamlfile, ...) and the library API (index.ts, check.ts)
      if (a === undefined || b === undefined || a === b || CONTRACTS.has(d)) continue;
      if (!folders.has(a)) folders.set(a, []);
      if (!folders.get(a)!.includes(b)) folders.get(a)!.push(b);
      if (!why.has(`${a}->${b}`)) why.set(`${a}->${b}`, `${f} -> ${d}`);
    }
  }
  return { modules, folders, why };
}

describe('import cycles', () => {
  it('finds cycles (the check itself): a loop through three modules, a self import, none in a chain', () => {
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['d']],
          ['e', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c'], ['d']]);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([]);
    expect(
      importsOf(
        'cli/x.ts',
        "import type { A } from '../rules/types.js';\nexport { b } from './b.js';\nconst m = await import('../health/library.js');\n",
      ),
    ).toEqual(['rules/types.ts', 'cli/b.ts', 'health/library.ts']);
  });

  it('src has no cycle between modules', () => {
    const { modules } = srcGraph();
    expect(modules.size).toBeGreaterThan(50);
    expect(cycles(modules)).toEqual([]);
  });

  it('contracts hold types only', () => {
    for (const c of CONTRACTS) expect(typesOnly(readFileSync(join(SRC, c), 'utf8')), c).toBe(true);
    expect(typesOnly("import type { A } from './a.js';\nexport interface B { a: A }\n")).toBe(true);
    expect(typesOnly("import type { A } from './a.js';\nexport const b = 1;\n")).toBe(false);
  });

  it('src has no cycle between its folders', () => {
    const { folders, why } = srcGraph();
    expect(folders.get('rules')).toContain('catalog');
    const found = cycles(folders).map((c) =>
      [...why].filter(([k]) => c.includes(k.split('->')[0]!) && c.includes(k.split('->')[1]!)).map(([, v]) => v),
    );
    expect(found).toEqual([]);
  });
});
