/**
 * Syntax as gopher-lua accepts it: Lua 5.1 plus goto/labels. luaparse in 5.2 mode is the
 * closest grammar (it accepts goto and rejects 5.3's `//` and bitwise operators); on top of
 * it, hexadecimal floats (`0x1p4`, `0x1.8`), which 5.2 has and gopher-lua's lexer has not,
 * are rejected. fengari (5.3) would run all of these, so they are caught before running.
 */
import { createRequire } from 'node:module';

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

const cache = new Map<string, LuaSyntaxProblem[]>();
const CACHE_MAX = 2048;

function rawParse(script: string, onNode?: (node: { type: string; raw?: string; loc?: { start: { line: number; column: number } } }) => void): LuaSyntaxProblem[] {
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
    const near = /near '([^']*)'/.exec(message)?.[1];
    const eof = /<eof>/.test(message);
    return [{ line: err.line, column: (err.column ?? 0) + 1, message, ...(near !== undefined ? { token: near } : {}), ...(eof ? { eof } : {}) }];
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
  const parseProblems = rawParse(script, (node) => {
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
