// The fengari fence: src/lua/fengari/ is the only code that loads fengari or patches it, and it
// refuses any fengari but the pinned one before anything in it runs. The rules are read from
// the sources with the TypeScript compiler's parser:
// - outside the folder, no file loads `fengari` or `fengari/src/...` (import, require or any
//   other string naming them), assigns into (or deletes from, or defines properties on) a
//   module object the folder exports (`ltable.luaH_get = ...`), or replaces a `Math` function;
// - inside it, every file but version.ts imports ./version.js first, and no file imports
//   anything outside the folder (the runtime lends it what it needs: scope.ts PatchDeps).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { checkFengariVersion, FENGARI_VERSION } from '../../../src/lua/fengari/version.js';

const SRC = resolve(__dirname, '..', '..', '..', 'src');
const FENCE = join(SRC, 'lua', 'fengari');

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const isFengariId = (s: string): boolean => s === 'fengari' || s.startsWith('fengari/');

/** The root identifier of `a.b.c`, `a['b'].c`, `(a).b`. */
function rootOf(n: ts.Expression): ts.Identifier | undefined {
  let e: ts.Expression = n;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e) || ts.isAsExpression(e)) e = e.expression;
    else if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = e.expression;
    else break;
  }
  return ts.isIdentifier(e) ? e : undefined;
}

const isMember = (n: ts.Expression): boolean => ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n);

/** Breaches of the fence in one file outside the folder: `line: text` for each. */
function breaches(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const at = (n: ts.Node, what: string) => out.push(`${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}: ${what}`);
  // names bound to what the folder exports (its module objects: ltable, lobject, Table, ...)
  const fengariNames = new Set<string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const target = resolve(join(file, '..'), st.moduleSpecifier.text);
    if (!st.moduleSpecifier.text.startsWith('.') || !target.startsWith(FENCE)) continue;
    const b = st.importClause?.namedBindings;
    if (b && ts.isNamedImports(b)) for (const el of b.elements) if (!el.isTypeOnly) fengariNames.add(el.name.text);
    if (b && ts.isNamespaceImport(b)) fengariNames.add(b.name.text);
    if (st.importClause?.name) fengariNames.add(st.importClause.name.text);
  }
  const patched = (target: ts.Expression): boolean => {
    if (!isMember(target)) return false;
    const root = rootOf(target);
    return root !== undefined && (fengariNames.has(root.text) || root.text === 'Math');
  };
  const visit = (n: ts.Node): void => {
    if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && isFengariId(n.text)) at(n, `names the module '${n.text}'`);
    else if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      n.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    ) {
      if (patched(n.left)) at(n, `assigns into ${n.left.getText(sf)}`);
    } else if (ts.isDeleteExpression(n) && patched(n.expression)) at(n, `deletes ${n.expression.getText(sf)}`);
    else if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      /^(Object|Reflect)$/.test(n.expression.expression.getText(sf)) &&
      /^(defineProperty|defineProperties|assign|setPrototypeOf|set|deleteProperty)$/.test(n.expression.name.text) &&
      n.arguments[0] !== undefined
    ) {
      const a = n.arguments[0];
      const root = rootOf(a);
      if (root !== undefined && fengariNames.has(root.text)) at(n, `${n.expression.getText(sf)} on ${a.getText(sf)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** Relative imports of a file inside the folder, in order. */
function importsIn(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const specs: string[] = [];
  for (const st of sf.statements)
    if ((ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier))
      specs.push(st.moduleSpecifier.text);
  return specs;
}

const HERE = join(SRC, 'lua', 'x.ts');

describe('the fengari fence', () => {
  it('finds breaches (the check itself)', () => {
    const bad = [
      "import { createRequire } from 'node:module';\nconst r = createRequire(import.meta.url);\nconst ltable = r('fengari/src/ltable.js');",
      "import { ltable } from './fengari/internals.js';\nltable.luaH_get = () => 0;",
      "import { Table } from './fengari/internals.js';\nTable.prototype.lazy = undefined;",
      "import * as f from './fengari/internals.js';\ndelete f.lobject.luaO_arith;",
      "import { lstring } from './fengari/internals.js';\nObject.defineProperty(lstring.TString.prototype, 'hash', {});",
      'Math.pow = (x: number, y: number) => x * y;',
      "const lua = await import('fengari');",
    ];
    for (const b of bad) expect(breaches(HERE, b), b).toHaveLength(1);
    const good = [
      "import { T, lua } from './fengari/internals.js';\nconst tv: any = {};\ntv.type = T.LUA_TNUMFLT;\nlua.lua_pushnil(L);",
      "import { Table } from './fengari/internals.js';\nconst proto = Object.create(Table.prototype);\nproto.lazy = undefined;\nObject.defineProperty(proto, 'x', {});",
      "// require('fengari/src/ltable.js') in a comment\nconst pow = Math.pow(2, 3);",
    ];
    for (const g of good) expect(breaches(HERE, g), g).toEqual([]);
  });

  it('no file outside src/lua/fengari/ loads fengari or patches it', () => {
    const found: string[] = [];
    for (const f of sources()) {
      if (f.startsWith(`${FENCE}/`)) continue;
      for (const b of breaches(f, readFileSync(f, 'utf8'))) found.push(`${relative(SRC, f)}:${b}`);
    }
    expect(found).toEqual([]);
  });

  it('inside it, every file imports version.ts first and nothing outside the folder', () => {
    const files = sources(FENCE);
    expect(files.map((f) => relative(FENCE, f))).toContain('internals.ts');
    for (const f of files) {
      const specs = importsIn(f, readFileSync(f, 'utf8'));
      const local = specs.filter((s) => s.startsWith('.'));
      expect(
        local.filter((s) => !s.startsWith('./') || s.includes('/', 2)),
        f,
      ).toEqual([]);
      if (f.endsWith('/version.ts')) continue;
      expect(specs[0], `${relative(SRC, f)}: first import`).toBe('./version.js');
    }
  });

  it('refuses any fengari but the pinned one, naming both versions', () => {
    expect(() => checkFengariVersion(FENGARI_VERSION)).not.toThrow();
    for (const other of ['0.1.4', '0.1.6', '1.0.0', `${FENGARI_VERSION}-beta`])
      expect(() => checkFengariVersion(other)).toThrow(
        `wavegate's Lua runtime is written against fengari ${FENGARI_VERSION}, found fengari ${other}: reinstall with npm ci`,
      );
  });
});
