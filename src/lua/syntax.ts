/**
 * Syntax as gopher-lua accepts it: Lua 5.1 plus goto/labels. luaparse in 5.2 mode is the
 * closest grammar (it accepts goto and rejects 5.3's `//` and bitwise operators); on top of
 * it, hexadecimal floats (`0x1p4`, `0x1.8`), which 5.2 has and gopher-lua's lexer has not,
 * are rejected. fengari (5.3) would run all of these, so they are caught before running.
 */
import { createRequire } from 'node:module';
import { canonicalSource, gopherLex, isParseError } from './golex.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
/** luaparse loads on first use (`check` imports this module but parses Lua only for a catalog with health overrides). */
let luaparseLib: any;
const luaparse = (): any => (luaparseLib ??= require('luaparse'));

export interface LuaSyntaxProblem {
  line: number;
  column: number;
  message: string;
  /** The token the parser stopped at (as gopher-lua names it in its error), when known. */
  token?: string;
  /** The parser ran out of input. */
  eof?: boolean;
}

/**
 * The error gopher-lua's loader gives for a script it cannot parse (parse.Error.Error():
 * `<source> line:L(column:C) near 'TOKEN':   syntax error` plus a newline, or
 * `<source> at EOF:   syntax error`). Line and token come from luaparse; gopher-lua's own
 * column count and token can differ slightly.
 */
export function gopherSyntaxErrorText(p: LuaSyntaxProblem, source = '<string>'): string {
  if (p.eof) return `${source} at EOF:   syntax error\n`;
  return `${source} line:${p.line}(column:${p.column}) near '${p.token ?? ''}':   syntax error\n`;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * gopher-lua's own text for a script it cannot load (parse.Error.Error(), golex.ts), or
 * undefined when the problem is not one its lexer or parser reports (then
 * gopherSyntaxErrorText words it from luaparse).
 */
export function gopherSyntaxMessage(script: string, source = '<string>'): string | undefined {
  const bytes = encoder.encode(script);
  const { tokens, error } = gopherLex(bytes);
  const limit = error ? error.start : bytes.length;
  let index: number | undefined;
  let message = '';
  try {
    luaparse().parse(canonicalSource(tokens, limit), { luaVersion: '5.2', comments: false, scope: false, locations: false, ranges: false });
  } catch (e) {
    const err = e as { index?: number; message?: string };
    if (typeof err.index !== 'number') return undefined;
    index = err.index;
    message = String(err.message ?? '');
  }
  // label, goto and break checks are luaparse's (Lua 5.2's), not gopher-lua's: compile.go's
  if (/already defined|no loop to break|no visible label|jumps into the scope/.test(message)) return gopherCompileMessage(script, source);
  if (/cannot use '\.\.\.' outside a vararg function/.test(message) && index !== undefined) {
    // compile.go compileExpr: raised at the line of the `...`
    const t = tokens.find((x) => x.start >= (index as number));
    if (t !== undefined) return `compile error near line(${t.line}) ${source}: cannot use '...' outside a vararg function`;
  }
  if (index !== undefined && (error === undefined || index < limit)) {
    const at = tokens.findIndex((x) => x.start >= (index as number));
    const k = at < 0 ? tokens.length : at;
    const t = tokens[k];
    const what = isParseError(tokens, k, message) ? 'parse error' : 'syntax error';
    if (t === undefined || t.line === -1) return `${source} at EOF:   ${what}\n`;
    return `${source} line:${t.line}(column:${t.column}) near '${decoder.decode(t.str)}':   ${what}\n`;
  }
  if (error === undefined) return gopherCompileMessage(script, source);
  if (error.line === -1) return `${source} at EOF:   ${error.message}\n`;
  return `${source} line:${error.line}(column:${error.column}) near '${decoder.decode(error.str)}':   ${error.message}\n`;
}

/**
 * gopher-lua's text for a script luaparse accepts and Lua 5.3's compiler (fengari) refuses
 * (`return , x`): the token fengari names (`<string>:6: unexpected symbol near ','`), found
 * among gopher-lua's tokens on that line.
 */
export function gopherSyntaxFromLuaError(script: string, luaError: string, source = '<string>'): string | undefined {
  const m = /^[^\n]*?:(\d+): .* near '(.*)'$/s.exec(luaError);
  if (!m) return undefined;
  const line = Number(m[1]);
  const near = m[2]!;
  const bytes = encoder.encode(script);
  const { tokens } = gopherLex(bytes);
  const lineOf = (off: number): number => {
    let n = 1;
    for (let i = 0; i < off; i++) if (bytes[i] === 0x0a) n++;
    return n;
  };
  if (near === '<eof>') return `${source} at EOF:   syntax error\n`;
  const t = tokens.find((x) => lineOf(x.start) === line && decoder.decode(bytes.subarray(x.start, x.end)) === near);
  if (t === undefined) return undefined;
  return `${source} line:${t.line}(column:${t.column}) near '${decoder.decode(t.str)}':   syntax error\n`;
}

const cache = new Map<string, LuaSyntaxProblem[]>();
const CACHE_MAX = 2048;

function rawParse(
  script: string,
  onNode?: (node: { type: string; raw?: string; loc?: { start: { line: number; column: number } } }) => void,
): LuaSyntaxProblem[] {
  try {
    luaparse().parse(script, {
      luaVersion: '5.2',
      comments: false,
      scope: false,
      locations: onNode !== undefined,
      ranges: false,
      onCreateNode: onNode,
    });
    return [];
  } catch (e) {
    const err = e as { line?: number; column?: number; message?: string };
    if (typeof err.line !== 'number') {
      // luaparse 0.3 fails with a TypeError (no previous token) on a character no Lua token
      // starts with at the start of a script (a control byte, a byte-order mark): report the
      // first such character as Lua 5.1 does ("unexpected symbol near 'char(1)'").
      const bad = firstStrayCharacter(script);
      if (bad === undefined) throw e;
      return [{ line: bad.line, column: bad.column, message: `unexpected symbol near '${bad.token}'`, token: bad.token }];
    }
    const message = String(err.message ?? 'syntax error').replace(/^\[\d+:\d+\]\s*/, '');
    // the same stray character luaparse names after an earlier parse (its state differs)
    const stray = /^unexpected symbol '([^\t\n\v\f\r\x20-\x7e])'/u.exec(message);
    if (stray) {
      const bad = firstStrayCharacter(script);
      if (bad !== undefined)
        return [{ line: bad.line, column: bad.column, message: `unexpected symbol near '${bad.token}'`, token: bad.token }];
    }
    const near = /near '([^']*)'/.exec(message)?.[1];
    const eof = /<eof>/.test(message);
    return [
      { line: err.line, column: (err.column ?? 0) + 1, message, ...(near !== undefined ? { token: near } : {}), ...(eof ? { eof } : {}) },
    ];
  }
}

/** The first character outside what Lua source is made of (printable ASCII and whitespace), with its position. */
function firstStrayCharacter(script: string): { line: number; column: number; token: string } | undefined {
  const m = /[^\t\n\v\f\r\x20-\x7e]/.exec(script);
  if (!m) return undefined;
  const before = script.slice(0, m.index);
  const line = before.split('\n').length;
  const column = m.index - before.lastIndexOf('\n');
  const code = m[0].codePointAt(0)!;
  return { line, column, token: code < 0x100 ? `char(${code})` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}` };
}

/** Problems that stop gopher-lua from loading the script (empty when it loads). Cached by text. */
export function checkGopherLuaSyntax(script: string): LuaSyntaxProblem[] {
  const hit = cache.get(script);
  if (hit) return hit;
  const problems: LuaSyntaxProblem[] = [];
  const parseProblems = rawParse(gopherSource(script), (node) => {
    if (node.type === 'NumericLiteral' && node.raw && /^0[xX]/.test(node.raw) && /[.pP]/.test(node.raw)) {
      const loc = node.loc?.start;
      problems.push({
        line: loc?.line ?? 1,
        column: (loc?.column ?? 0) + 1,
        message: `hexadecimal float ${node.raw} is Lua 5.2+; gopher-lua cannot parse it`,
        token: node.raw,
      });
    }
  });
  if (parseProblems.length === 0 && problems.length === 0) {
    // what gopher-lua's lexer refuses and luaparse reads (a vertical tab, "--[=x")
    const lexed = gopherLex(encoder.encode(script)).error;
    if (lexed !== undefined)
      problems.push({
        line: lexed.line === -1 ? 1 : lexed.line,
        column: lexed.column,
        message: lexed.message,
        token: decoder.decode(lexed.str),
      });
  }
  if (parseProblems.length === 0 && problems.length === 0 && MAY_FAIL_TO_COMPILE.test(script)) {
    // what gopher-lua's compiler refuses: goto and labels, break outside a loop or before the block's end
    const c = gopherCompileProblem(script);
    if (c !== undefined)
      problems.push({
        line: c.line,
        column: 1,
        message:
          c.compile !== undefined
            ? c.compile.replace(/^compile error near line\(\d+\) <string>: /, '')
            : "'break' must be the last statement of its block in Lua 5.1",
      });
  }
  const out = parseProblems.length > 0 ? parseProblems.map(explain) : problems;
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(script, out);
  return out;
}

/** Adds why a 5.3 construct fails: luaparse's message alone ("unexpected symbol '/'") hides it. */
function explain(p: LuaSyntaxProblem): LuaSyntaxProblem {
  const m = /unexpected symbol '(\/\/|&|\||~|<<|>>)'|'(\/\/|&|\||~|<<|>>)' expected|near '(\/|&|\||~|<|>)'/.exec(p.message);
  if (m) {
    return { ...p, message: `${p.message} (integer division and bitwise operators are Lua 5.3; gopher-lua cannot parse them)` };
  }
  return p;
}

/**
 * The script as fengari must read it to get gopher-lua's values (parse/lexer.go scanEscape,
 * compile.go constant numbers):
 * - an escape gopher-lua does not know is the character itself: "\x41" is "x41", "\z" is
 *   "z", "\u{48}" is "u{48}", "\q" is "q" (the backslash is dropped; fengari would decode
 *   \x, \z and \u as Lua 5.3 does and refuse the rest);
 * - a decimal escape is byte(value): "\256" is "\0" (written back as three digits);
 * - a number literal that strconv cannot parse is NaN (compile.go: parseNumber error):
 *   a hexadecimal literal above the int64 range, a decimal one that overflows float64
 *   (1e309). It is written as (0/0). A hexadecimal literal above 32 bits is written in
 *   decimal (fengari would wrap it to a 32-bit integer).
 * Comments and long strings are left alone; line breaks are kept, so lines stay the same.
 */
export function gopherSource(script: string): string {
  if (
    !/\\|0[xX][0-9a-fA-F]{8}|[eE][+]?\d{3}|\d{300}|\d\.\d*\.|\.\d+\.|\d[eE][+-]?(?:[^0-9]|$)|(?:^|[^\w.])00|0[xX][0-9a-fA-F]+[.\w]/.test(
      script,
    )
  )
    return script;
  let out = '';
  let i = 0;
  const n = script.length;
  const longClose = (at: number): number => {
    // at points at '['; returns the index after the matching close, or -1 if not a long bracket
    let j = at + 1;
    while (script[j] === '=') j++;
    if (script[j] !== '[') return -1;
    const close = `]${'='.repeat(j - at - 1)}]`;
    const end = script.indexOf(close, j + 1);
    return end < 0 ? n : end + close.length;
  };
  while (i < n) {
    const c = script[i]!;
    if (c === '-' && script[i + 1] === '-') {
      let end: number;
      if (script[i + 2] === '[' && longClose(i + 2) >= 0) end = longClose(i + 2);
      else {
        end = script.indexOf('\n', i);
        if (end < 0) end = n;
      }
      out += script.slice(i, end);
      i = end;
    } else if (c === '[' && longClose(i) >= 0) {
      const end = longClose(i);
      out += script.slice(i, end);
      i = end;
    } else if (c === '"' || c === "'") {
      out += c;
      i++;
      while (i < n && script[i] !== c && script[i] !== '\n' && script[i] !== '\r') {
        if (script[i] !== '\\') {
          out += script[i++];
          continue;
        }
        const e = script[i + 1];
        if (e === undefined) {
          out += '\\';
          i++;
        } else if ('abfnrtv\\"\'\n\r'.includes(e)) {
          out += `\\${e}`;
          i += 2;
        } else if (e >= '0' && e <= '9') {
          let j = i + 1;
          while (j < i + 4 && script[j]! >= '0' && script[j]! <= '9') j++;
          out += `\\${String(Number(script.slice(i + 1, j)) & 255).padStart(3, '0')}`;
          i = j;
        } else {
          i++; // drop the backslash: the character stands for itself
        }
      }
      if (i < n && script[i] === c) out += script[i++];
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(script[j]!)) j++;
      out += script.slice(i, j);
      i = j;
    } else if (c === '.' && script[i + 1] === '.') {
      // ".." and "..." are tokens before any number (lexer.go Scan)
      const dots = script[i + 2] === '.' ? '...' : '..';
      out += dots;
      i += dots.length;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(script[i + 1] ?? ''))) {
      const g = gopherNumberToken(script, i);
      const m = /^(0[xX][0-9a-fA-F]*|[0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]*)?)/.exec(script.slice(i, i + 400))!;
      if (g.text !== m[1] || /^00/.test(g.text) || g.end - i !== g.text.length) {
        // gopher-lua reads this literal otherwise than Lua 5.3 would ("3...2" is 3. .. 2,
        // ".5.5" and "1e+x" are one token that strconv refuses: NaN, "0010" is octal)
        const v = gopherNumberValue(g.text);
        out += Number.isNaN(v) ? '(0/0)' : Number.isFinite(v) ? goLiteral(v) : '(0/0)';
        if (/[\w.]/.test(script[g.end] ?? '')) out += ' ';
        i = g.end;
        continue;
      }
      const lit = m[1]!;
      let text = lit;
      if (/^0[xX][0-9a-fA-F]+$/.test(lit)) {
        const v = BigInt(lit);
        // fengari's integers are 32-bit: a larger hexadecimal literal is written as the float64
        // gopher-lua gets from ParseInt (decimal literals are already read as floats).
        if (v > 9223372036854775807n) text = '(0/0)';
        else if (v > 0x7fffffffn) text = String(Number(v));
      } else if (Number(lit) === Infinity) text = '(0/0)';
      out += text;
      i += Math.max(lit.length, 1);
      if (/[\w.]/.test(script[i] ?? '')) out += ' '; // "1e1..2" is 1e1 .. 2 for gopher-lua
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * gopher-lua's Lua 5.0 `arg` (config.go CompatVarArg = true; compile.go:1321): every vararg
 * function but the main chunk has a local `arg` after its parameters, a table of the extra
 * arguments with `n` their count (vm.go: newLTable, RawSetInt, "n") when its body never uses
 * `...`, and nil when it does. Written into the chunk fengari compiles, on the same line.
 */
export function withVarargArg(source: string): string {
  if (!source.includes('...')) return source;
  const fns: { start: number; end: number; paramEnd: number }[] = [];
  const varargs: number[] = [];
  try {
    luaparse().parse(source, {
      luaVersion: '5.2',
      comments: false,
      scope: false,
      locations: false,
      ranges: true,
      onCreateNode: (node: { type: string; parameters?: { type: string; range: [number, number] }[]; range?: [number, number] }) => {
        if (node.type === 'VarargLiteral' && node.range) varargs.push(node.range[0]);
        else if (node.type === 'FunctionDeclaration' && node.range && node.parameters) {
          const last = node.parameters[node.parameters.length - 1];
          if (last?.type === 'VarargLiteral') fns.push({ start: node.range[0], end: node.range[1], paramEnd: last.range[1] });
        }
      },
    });
  } catch {
    return source;
  }
  if (fns.length === 0) return source;
  const params = new Set(fns.map((f) => f.paramEnd - 3));
  const uses = new Set<number>();
  const all = fns.slice();
  for (const v of varargs) {
    if (params.has(v)) continue;
    // the innermost vararg function around this `...` (a function without `...` cannot use it)
    let inner: (typeof fns)[number] | undefined;
    for (const f of all) if (f.start <= v && v < f.end && (inner === undefined || f.start > inner.start)) inner = f;
    if (inner !== undefined) uses.add(inner.start);
  }
  const edits: [number, string][] = [];
  for (const f of fns) {
    const close = source.indexOf(')', f.paramEnd);
    if (close < 0) continue;
    edits.push([close + 1, uses.has(f.start) ? ' local arg;' : ' local arg = {n = select("#", ...), ...};']);
  }
  edits.sort((a, b) => b[0] - a[0]);
  let out = source;
  for (const [at, text] of edits) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/** lexer.go scanNumber from script[i]: the token's text (a leading 0 before a digit dropped) and its end. */
function gopherNumberToken(script: string, i: number): { text: string; end: number } {
  const n = script.length;
  const dec = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  let text = '';
  let j = i;
  let ch = script[j++]!;
  if (ch === '0') {
    const p = script[j];
    if (p === 'x' || p === 'X') {
      text = `0${p}`;
      j++;
      while (j < n && /[0-9a-fA-F]/.test(script[j]!)) text += script[j++];
      return { text, end: j };
    }
    if (p !== '.' && dec(p)) ch = script[j++]!;
  }
  text += ch;
  while (dec(script[j])) text += script[j++];
  if (script[j] === '.') {
    text += script[j++];
    while (dec(script[j])) text += script[j++];
  }
  if (script[j] === 'e' || script[j] === 'E') {
    text += script[j++];
    if (script[j] === '-' || script[j] === '+') text += script[j++];
    // scanDecimal(sc.Next()): the next character is taken whatever it is
    if (j < n) text += script[j++];
    else text += '\u00ff'; // writeChar(EOF): byte 0xff, which no number parses
    while (dec(script[j])) text += script[j++];
  }
  return { text, end: j };
}

/** utils.go parseNumber: ParseInt base 0 (octal after a leading 0), else ParseFloat; NaN on failure (compile.go). */
function gopherNumberValue(text: string): number {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) {
    const v = BigInt(text);
    return v > 9223372036854775807n ? Number.NaN : Number(v);
  }
  if (/^0[0-7]+$/.test(text)) return Number(BigInt(`0o${text.slice(1)}`));
  if (/^\d+$/.test(text)) return Number(text);
  if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const v = Number(text);
    return Number.isFinite(v) ? v : Number.NaN; // ParseFloat's range error
  }
  return Number.NaN;
}

/** A literal fengari reads as the same double. */
function goLiteral(v: number): string {
  const s = String(v);
  return v < 0 ? `(${s})` : s;
}

/** A goto, label or break check of gopher-lua's compiler (compile.go) that refuses the script. */
interface GopherCompileProblem {
  line: number;
  /** compile.go CompileError.Error(): `compile error near line(L) <source>: MESSAGE`. */
  compile?: string;
  /** a `break` that is not the block's last statement: the parser's syntax error (parser.go.y laststat), at this byte offset. */
  breakAt?: number;
}

interface GoLabel {
  name: string;
  line: number;
  n: number;
}

interface GoBlock {
  locals: string[];
  labels: Map<string, GoLabel>;
  firstGoto: number;
  parent: GoBlock | undefined;
  loop: boolean;
}

class GoFuncContext {
  block: GoBlock = { locals: [], labels: new Map(), firstGoto: 0, parent: undefined, loop: false };
  gotos = 0;
  unresolved = new Map<number, GoLabel>();
}

class CompileFailure extends Error {
  constructor(readonly problem: GopherCompileProblem) {
    super(problem.compile ?? 'syntax error');
  }
}

const count = (b: GoBlock | undefined): number => {
  let n = 0;
  for (let x = b; x !== undefined; x = x.parent) n += x.locals.length;
  return n;
};

type Node = any;

/**
 * gopher-lua's goto/label/break rules as compile.go applies them (compileGotoStmt,
 * compileLabelStmt, LeaveBlock's ResolveCurrentBlockGotosWithParentBlock, CheckUnresolvedGoto,
 * compileBreakStmt), over luaparse's tree of the script with goto, labels and break written
 * as calls (luaparse's own Lua 5.2 checks are not gopher-lua's).
 */
function gopherCompileProblem(script: string): GopherCompileProblem | undefined {
  const bytes = encoder.encode(script);
  const { tokens, error } = gopherLex(bytes);
  if (error !== undefined) return undefined;
  // goto, labels and break written as calls; anchors map offsets in `canon` back to the script's bytes
  const src = canonicalSource(tokens, bytes.length);
  const anchors: [number, number][] = [[0, 0]];
  let canon = '';
  let last = 0;
  const re = /\bgoto\s+([A-Za-z_][A-Za-z0-9_]*)|::\s*([A-Za-z_][A-Za-z0-9_]*)\s*::|\bbreak\b/g;
  for (let m = re.exec(src); m !== null; m = re.exec(src)) {
    canon += src.slice(last, m.index);
    anchors.push([canon.length, m.index]);
    canon += m[1] !== undefined ? `__goto("${m[1]}")` : m[2] !== undefined ? `__label("${m[2]}")` : '__break()';
    last = m.index + m[0].length;
    anchors.push([canon.length, last]);
  }
  canon += src.slice(last);
  const origin = (o: number): number => {
    let k = anchors.length - 1;
    while (k > 0 && anchors[k]![0] > o) k--;
    const [out, at] = anchors[k]!;
    const next = anchors[k + 1];
    return next !== undefined && next[1] - at !== next[0] - out ? at : at + (o - out);
  };
  /** gopher-lua's line of the token at (or ending at) an offset of `canon`. */
  const lineAt = (o: number, ending = false): number => {
    const b = origin(o);
    const t = ending ? tokens.find((x) => x.end === b) : tokens.find((x) => x.start <= b && b < x.end);
    return t?.line ?? 1;
  };
  let chunk: Node;
  try {
    chunk = luaparse().parse(canon, { luaVersion: '5.2', comments: false, scope: false, locations: false, ranges: true });
  } catch {
    return undefined;
  }
  const special = (st: Node): [string, string, number] | undefined => {
    if (st.type !== 'CallStatement' || st.expression.type !== 'CallExpression' || st.expression.base.type !== 'Identifier')
      return undefined;
    const name = st.expression.base.name as string;
    if (name !== '__goto' && name !== '__label' && name !== '__break') return undefined;
    const arg = st.expression.arguments[0];
    return [name, arg ? String(arg.raw).slice(1, -1) : '', lineAt(st.range[0])];
  };
  const fail = (line: number, message: string): never => {
    throw new CompileFailure({ line, compile: `compile error near line(${line}) <string>: ${message}` });
  };
  const resolveGoto = (fc: GoFuncContext, from: GoLabel, to: GoLabel, index: number): void => {
    if (from.n < to.n) {
      const names = fc.block.locals;
      if (names.length === 0) throw new CompileFailure({ line: 0 }); // gopher-lua panics (index out of range)
      fail(to.line + 1, `<goto ${to.name}> at line ${from.line} jumps into the scope of local '${names[names.length - 1]}'`);
    }
    fc.unresolved.delete(index);
  };
  const findLabel = (fc: GoFuncContext, block: GoBlock, g: GoLabel, index: number): void => {
    const target = block.labels.get(g.name);
    if (target !== undefined) resolveGoto(fc, g, target, index);
  };
  const enter = (fc: GoFuncContext, loop: boolean): void => {
    fc.block = { locals: [], labels: new Map(), firstGoto: fc.gotos, parent: fc.block, loop };
  };
  const leave = (fc: GoFuncContext): void => {
    const b = fc.block;
    if (b.parent !== undefined) {
      const active = count(b.parent);
      for (let i = b.firstGoto; i < fc.gotos; i++) {
        const g = fc.unresolved.get(i);
        if (g === undefined) continue;
        if (g.n > active) g.n = active;
        findLabel(fc, b.parent, g, i);
      }
      fc.block = b.parent;
    }
  };
  const eline = (st: Node): number => {
    switch (st.type) {
      case 'DoStatement':
      case 'WhileStatement':
      case 'IfStatement':
      case 'ForNumericStatement':
      case 'ForGenericStatement':
      case 'FunctionDeclaration':
        return lineAt(st.range[1], true);
      case 'LocalStatement':
        return st.init.length === 1 && st.init[0].type === 'FunctionDeclaration' ? lineAt(st.init[0].range[1], true) : lineAt(st.range[0]);
      case 'RepeatStatement':
        return lineAt(st.condition.range[0]);
      default:
        return lineAt(st.range[0]);
    }
  };
  const expr = (fc: GoFuncContext, e: Node): void => {
    if (e === null || typeof e !== 'object') return;
    if (Array.isArray(e)) {
      for (const x of e) expr(fc, x);
      return;
    }
    if (e.type === 'FunctionDeclaration') {
      func(e, false);
      return;
    }
    for (const k of Object.keys(e)) if (k !== 'range') expr(fc, e[k]);
  };
  const func = (f: Node, main: boolean): void => {
    const fc = new GoFuncContext();
    if (!main) {
      if (f.identifier?.type === 'MemberExpression' && f.identifier.indexer === ':') fc.block.locals.push('self');
      for (const p of f.parameters) if (p.type === 'Identifier') fc.block.locals.push(p.name);
      if (f.parameters.some((p: Node) => p.type === 'VarargLiteral')) fc.block.locals.push('arg');
    }
    chunkOf(fc, f.body, false);
    const last = main ? (f.body.length > 0 ? eline(f.body[f.body.length - 1]) + 1 : 0) : lineAt(f.range[1], true);
    for (let i = 0; i < fc.gotos; i++) {
      const g = fc.unresolved.get(i);
      if (g !== undefined) fail(last, `no visible label '${g.name}' for <goto> at line ${g.line}`);
    }
  };
  const chunkOf = (fc: GoFuncContext, body: Node[], untilFollows: boolean): void => {
    body.forEach((st, i) => {
      const lastStmt = body.slice(i + 1).every((x) => special(x)?.[0] === '__label');
      stmt(fc, st, lastStmt && !untilFollows);
    });
  };
  const block = (fc: GoFuncContext, body: Node[]): void => {
    if (body.length === 0) return;
    enter(fc, false);
    chunkOf(fc, body, false);
    leave(fc);
  };
  const ifClauses = (fc: GoFuncContext, clauses: Node[], k: number): void => {
    expr(fc, clauses[k].condition);
    block(fc, clauses[k].body);
    const next = clauses[k + 1];
    if (next === undefined) return;
    if (next.type === 'ElseClause') block(fc, next.body);
    else {
      enter(fc, false);
      ifClauses(fc, clauses, k + 1);
      leave(fc);
    }
  };
  const stmt = (fc: GoFuncContext, st: Node, isLast: boolean): void => {
    const sp = special(st);
    if (sp !== undefined) {
      const [kind, name, line] = sp;
      if (kind === '__goto') {
        const g: GoLabel = { name, line, n: count(fc.block) };
        const index = fc.gotos++;
        fc.unresolved.set(index, g);
        findLabel(fc, fc.block, g, index);
      } else if (kind === '__label') {
        const l: GoLabel = { name, line, n: count(fc.block) };
        const old = fc.block.labels.get(name);
        if (old !== undefined) fail(line + 1, `label '${name}' already defined on line ${old.line}`);
        fc.block.labels.set(name, l);
        if (isLast) l.n = count(fc.block.parent);
        for (let i = fc.block.firstGoto; i < fc.gotos; i++) {
          const g = fc.unresolved.get(i);
          if (g !== undefined && g.name === name) resolveGoto(fc, g, l, i);
        }
      } else {
        let b: GoBlock | undefined = fc.block;
        while (b !== undefined && !b.loop) b = b.parent;
        if (b === undefined) fail(line, 'no loop to break');
      }
      return;
    }
    switch (st.type) {
      case 'LocalStatement':
        expr(fc, st.init);
        for (const v of st.variables) fc.block.locals.push(v.name);
        return;
      case 'FunctionDeclaration':
        if (st.isLocal) fc.block.locals.push(st.identifier.name);
        else expr(fc, st.identifier);
        func(st, false);
        return;
      case 'DoStatement':
        enter(fc, false);
        chunkOf(fc, st.body, false);
        leave(fc);
        return;
      case 'WhileStatement':
        expr(fc, st.condition);
        enter(fc, true);
        chunkOf(fc, st.body, false);
        leave(fc);
        return;
      case 'RepeatStatement':
        enter(fc, true);
        chunkOf(fc, st.body, true);
        expr(fc, st.condition);
        leave(fc);
        return;
      case 'IfStatement':
        ifClauses(fc, st.clauses, 0);
        return;
      case 'ForNumericStatement':
        expr(fc, [st.start, st.end, st.step]);
        enter(fc, true);
        fc.block.locals.push('(for index)', '(for limit)', '(for step)', st.variable.name);
        chunkOf(fc, st.body, false);
        leave(fc);
        return;
      case 'ForGenericStatement':
        enter(fc, true);
        fc.block.locals.push('(for generator)', '(for state)', '(for control)');
        expr(fc, st.iterators);
        for (const v of st.variables) fc.block.locals.push(v.name);
        chunkOf(fc, st.body, false);
        leave(fc);
        return;
      default:
        expr(fc, st);
    }
  };
  // parse errors come before compile errors: the first `break` that is not its block's last statement
  let breakAt: number | undefined;
  const scan = (n: Node): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      n.forEach((st, i) => {
        if (i < n.length - 1 && special(st)?.[0] === '__break') {
          const at = origin(st.range[0]);
          if (breakAt === undefined || at < breakAt) breakAt = at;
        }
        scan(st);
      });
      return;
    }
    for (const k of Object.keys(n)) if (k !== 'range') scan(n[k]);
  };
  scan(chunk);
  if (breakAt !== undefined) return { line: 1, breakAt };
  try {
    func(chunk, true);
  } catch (e) {
    if (e instanceof CompileFailure) return e.problem.line === 0 ? undefined : e.problem;
    throw e;
  }
  return undefined;
}

const MAY_FAIL_TO_COMPILE = /\bgoto\b|::|\bbreak\b/;

/** gopher-lua's message for a script its compiler refuses (goto, labels, break), else undefined. */
function gopherCompileMessage(script: string, source = '<string>'): string | undefined {
  if (!MAY_FAIL_TO_COMPILE.test(script)) return undefined;
  const p = gopherCompileProblem(script);
  if (p === undefined) return undefined;
  if (p.compile !== undefined) return p.compile.replace('<string>', source);
  // the token after `break` (and one `;`): parser.go.y allows break only as a block's last statement
  const bytes = encoder.encode(script);
  const { tokens } = gopherLex(bytes);
  const at = tokens.findIndex((t) => t.start === p.breakAt);
  let k = at + 1;
  if (tokens[k] !== undefined && decoder.decode(tokens[k]!.str) === ';') k++;
  const t = tokens[k];
  if (at < 0 || t === undefined) return `${source} at EOF:   syntax error\n`;
  return `${source} line:${t.line}(column:${t.column}) near '${decoder.decode(t.str)}':   syntax error\n`;
}

const lastLineCache = new Map<string, number>();

/**
 * compile.go Compile: the main chunk's LastLineDefined is eline(last statement) + 1, where a
 * statement's eline is its `end` (do, while, if, for, function) or its first line (the rest;
 * repeat: its condition's). 0 for an empty chunk.
 */
export function gopherChunkLastLine(script: string): number {
  const hit = lastLineCache.get(script);
  if (hit !== undefined) return hit;
  let last = 0;
  try {
    const bytes = encoder.encode(script);
    const { tokens } = gopherLex(bytes);
    const chunk = luaparse().parse(canonicalSource(tokens, bytes.length), {
      luaVersion: '5.2',
      comments: false,
      scope: false,
      locations: false,
      ranges: true,
    });
    const st = chunk.body[chunk.body.length - 1];
    if (st !== undefined) {
      const lineOf = (o: number, ending: boolean): number =>
        (ending ? tokens.find((x) => x.end === o) : tokens.find((x) => x.start <= o && o < x.end))?.line ?? 1;
      const blocky = ['DoStatement', 'WhileStatement', 'IfStatement', 'ForNumericStatement', 'ForGenericStatement', 'FunctionDeclaration'];
      const fnLocal = st.type === 'LocalStatement' && st.init.length === 1 && st.init[0].type === 'FunctionDeclaration';
      const e = blocky.includes(st.type)
        ? lineOf(st.range[1], true)
        : fnLocal
          ? lineOf(st.init[0].range[1], true)
          : st.type === 'RepeatStatement'
            ? lineOf(st.condition.range[0], false)
            : lineOf(st.range[0], false);
      last = e + 1;
    }
  } catch {
    last = 0;
  }
  if (lastLineCache.size >= CACHE_MAX) lastLineCache.clear();
  lastLineCache.set(script, last);
  return last;
}
