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
const luaparse: any = require('luaparse');

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
    luaparse.parse(canonicalSource(tokens, limit), { luaVersion: '5.2', comments: false, scope: false, locations: false, ranges: false });
  } catch (e) {
    const err = e as { index?: number; message?: string };
    if (typeof err.index !== 'number') return undefined;
    index = err.index;
    message = String(err.message ?? '');
  }
  // label and goto checks are luaparse's, not the grammar's
  if (/already defined|no loop to break|no visible label|goto/.test(message)) return undefined;
  if (index !== undefined && (error === undefined || index < limit)) {
    const at = tokens.findIndex((x) => x.start >= (index as number));
    const k = at < 0 ? tokens.length : at;
    const t = tokens[k];
    const what = isParseError(tokens, k, message) ? 'parse error' : 'syntax error';
    if (t === undefined || t.line === -1) return `${source} at EOF:   ${what}\n`;
    return `${source} line:${t.line}(column:${t.column}) near '${decoder.decode(t.str)}':   ${what}\n`;
  }
  if (error === undefined) return undefined;
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
    luaparse.parse(script, {
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
    luaparse.parse(source, {
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
