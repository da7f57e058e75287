/**
 * Static checks of a Lua health script against what Argo CD's sandbox gives it.
 *
 * Rules:
 * - `syntax`: gopher-lua cannot load it (Lua 5.1 + goto; no `//`, bitwise operators, hex floats).
 * - `open-libs`: uses `string`, `math`, `os` (global) or a string method (`s:find`) while the
 *   kind runs without open libs: in Argo CD that is `attempt to index a non-table object(nil)`.
 * - `lua53-name`: a library name only Lua 5.3 (fengari) has: `table.unpack`, `math.type`, `utf8`, ...
 * - `missing-return`: no top-level `return`: the script yields nil, an empty health status.
 * - `status-literal`: a `status` field set to a string that is not one of Argo's six statuses.
 * - `escape`: `\x`/`\z` string escapes, which gopher-lua reads as a plain `x`/`z`.
 * - `for-control`: a generic `for` whose control value gopher-lua leaves unset (`for k, v in
 *   next, t`): the loop starts from whatever an earlier expression left in that register.
 */
import { createRequire } from 'node:module';
import { checkGopherLuaSyntax } from './syntax.js';
import { GOPHER_STRING_FUNCTIONS, HEALTH_STATUSES } from './api.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
/** luaparse loads on first use (`check` imports this module but parses Lua only for a catalog with health overrides). */
let luaparseLib: any;
const luaparse = (): any => (luaparseLib ??= require('luaparse'));

export interface LintProblem {
  rule: string;
  line: number;
  column: number;
  message: string;
}

const STRING_METHODS = new Set<string>(GOPHER_STRING_FUNCTIONS);
const OPEN_LIB_GLOBALS = new Set(['string', 'math', 'os', 'io', 'coroutine', 'debug']);
const LUA53_MEMBERS: Record<string, Set<string>> = {
  table: new Set(['unpack', 'pack', 'move']),
  math: new Set(['type', 'tointeger', 'maxinteger', 'mininteger', 'ult']),
  string: new Set(['pack', 'unpack', 'packsize']),
  coroutine: new Set(['isyieldable']),
};
const LUA53_GLOBALS = new Set(['utf8', 'rawlen']);

interface Node {
  type: string;
  loc?: { start: { line: number; column: number } };
  [k: string]: unknown;
}

function walk(node: unknown, visit: (n: Node, parent: Node | undefined) => void, parent?: Node): void {
  if (Array.isArray(node)) {
    for (const c of node) walk(c, visit, parent);
    return;
  }
  if (typeof node !== 'object' || node === null || typeof (node as Node).type !== 'string') return;
  const n = node as Node;
  visit(n, parent);
  for (const [k, v] of Object.entries(n)) {
    if (k === 'loc' || k === 'range' || k === 'globals') continue;
    if (typeof v === 'object' && v !== null) walk(v, visit, n);
  }
}

function pos(n: Node): { line: number; column: number } {
  return { line: n.loc?.start.line ?? 1, column: (n.loc?.start.column ?? 0) + 1 };
}

function stringValue(n: Node): string | undefined {
  if (n.type !== 'StringLiteral') return undefined;
  if (typeof n.value === 'string') return n.value;
  const raw = String(n.raw ?? '');
  const m = /^(['"])(.*)\1$/s.exec(raw);
  return m ? m[2] : undefined;
}

/** Problems found in one script, sorted by position. */
export function lintHealthScript(script: string, options: { openLibs?: boolean } = {}): LintProblem[] {
  const syntax = checkGopherLuaSyntax(script);
  if (syntax.length > 0) return syntax.map((p) => ({ rule: 'syntax', ...p }));
  const problems: LintProblem[] = [];
  let ast: Node;
  try {
    ast = luaparse().parse(script, { luaVersion: '5.2', scope: true, locations: true, comments: false });
  } catch (e) {
    const err = e as { line?: number; column?: number; message?: string };
    return [{ rule: 'syntax', line: err.line ?? 1, column: (err.column ?? 0) + 1, message: String(err.message) }];
  }
  const open = options.openLibs === true;
  const add = (rule: string, n: Node, message: string) => problems.push({ rule, ...pos(n), message });

  walk(ast, (n, parent) => {
    if (n.type === 'Identifier' && n.isLocal !== true) {
      const name = String(n.name);
      const isMemberName = parent?.type === 'MemberExpression' && parent.identifier === n;
      const isKey = parent?.type === 'TableKeyString' && parent.key === n;
      if (!isMemberName && !isKey) {
        if (!open && OPEN_LIB_GLOBALS.has(name)) {
          add(
            'open-libs',
            n,
            `'${name}' is not available without open libs (Argo CD gives argocd-cm checks only package, base and table unless useOpenLibs is set; use require("os") for os.time/os.date)`,
          );
        }
        if (LUA53_GLOBALS.has(name)) add('lua53-name', n, `'${name}' is Lua 5.3; gopher-lua (Lua 5.1) has no such global`);
      }
    }
    if (n.type === 'MemberExpression') {
      const base = n.base as Node;
      const ident = n.identifier as Node;
      const member = String(ident?.name ?? '');
      if (n.indexer === ':' && !open && STRING_METHODS.has(member)) {
        add(
          'open-libs',
          ident,
          `string method ':${member}' needs the string library, which is only there with open libs (Argo CD: attempt to index a non-table object(string) with key '${member}')`,
        );
      }
      if (n.indexer === '.' && base?.type === 'Identifier' && base.isLocal !== true) {
        const lib = String(base.name);
        if (LUA53_MEMBERS[lib]?.has(member)) {
          add(
            'lua53-name',
            ident,
            `'${lib}.${member}' is Lua 5.3; gopher-lua (Lua 5.1) has no such function${lib === 'table' && member === 'unpack' ? ' (use unpack)' : ''}`,
          );
        }
      }
    }
    if (n.type === 'TableConstructorExpression') {
      // A health result: returned directly, or carrying a message. (Condition matchers such as
      // {type = "Ready", status = "True"} are not health results.)
      const fields = (n.fields as Node[]) ?? [];
      const key = (f: Node) => (f.type === 'TableKeyString' ? String((f.key as Node)?.name) : '');
      const statusField = fields.find((f) => key(f) === 'status');
      const returned = parent?.type === 'ReturnStatement';
      const isMatcher = fields.some((f) => key(f) === 'type');
      if (statusField && !isMatcher && (returned || fields.some((f) => key(f) === 'message'))) checkStatus(statusField.value as Node);
    }
    if (n.type === 'AssignmentStatement') {
      const vars = n.variables as Node[];
      const inits = n.init as Node[];
      vars.forEach((v, i) => {
        if (v.type === 'MemberExpression' && (v.identifier as Node)?.name === 'status' && inits[i]) checkStatus(inits[i]!);
      });
    }
    if (n.type === 'ForGenericStatement') {
      // compile.go:1104 compileGenericForStmt passes the loop's names to compileRegAssignment:
      // the generator, state and control registers get max(#names, #exprs) values, or all three
      // when the last expression is a call or `...`; a control register left unset keeps a stale value
      const its = (n.iterators as Node[]) ?? [];
      const names = ((n.variables as Node[]) ?? []).length;
      const last = its[its.length - 1];
      const multi =
        last !== undefined &&
        ['CallExpression', 'StringCallExpression', 'TableCallExpression', 'VarargLiteral'].includes(last.type) &&
        its.length <= names;
      if (Math.max(names, its.length) < 3 && !multi) {
        add(
          'for-control',
          n,
          `gopher-lua does not set this loop's control value (compile.go:1104): the iterator's second argument is whatever an earlier expression left in that register, not nil (for k, v in next, {10, 20} runs no times in Argo CD); write pairs(t), or add ", nil"`,
        );
      }
    }
    if (n.type === 'StringLiteral') {
      const raw = String(n.raw ?? '');
      if (!raw.startsWith('[') && /(^|[^\\])(\\\\)*\\[xz]/.test(raw)) {
        add('escape', n, `escape \\x or \\z: gopher-lua reads it as a plain letter, fengari and Lua 5.2+ as an escape`);
      }
    }
  });

  function checkStatus(v: Node): void {
    const s = stringValue(v);
    if (s !== undefined && !(HEALTH_STATUSES as readonly string[]).includes(s)) {
      add(
        'status-literal',
        v,
        `status "${s}" is not one of ${HEALTH_STATUSES.join(', ')}: Argo CD reports Unknown "Lua returned an invalid health status"`,
      );
    }
  }

  const body = (ast.body as Node[]) ?? [];
  // A return of the chunk itself: anywhere outside function bodies (if/else branches count).
  let chunkReturns = false;
  const findReturn = (n: unknown): void => {
    if (chunkReturns || typeof n !== 'object' || n === null) return;
    if (Array.isArray(n)) {
      for (const c of n) findReturn(c);
      return;
    }
    const node = n as Node;
    if (node.type === 'ReturnStatement') {
      chunkReturns = true;
      return;
    }
    if (node.type === 'FunctionDeclaration') return;
    for (const k of ['body', 'clauses']) findReturn(node[k]);
  };
  findReturn(body);
  if (!chunkReturns) {
    const last = body[body.length - 1];
    problems.push({
      rule: 'missing-return',
      line: last ? pos(last).line : 1,
      column: 1,
      message: 'no top-level return: the script returns nil and Argo CD records an empty health status',
    });
  }
  problems.sort((a, b) => a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return problems;
}
