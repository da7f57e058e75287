/**
 * gopher-lua's lexer (parse/lexer.go Scanner.Scan), ported for its error messages. A syntax
 * error in gopher-lua is `<source> line:L(column:C) near 'TOKEN':   MESSAGE` where TOKEN is
 * the text of the last token the parser read (lexer.go:460 Lexer.Error: lx.Token.Str, a
 * string's decoded contents) and L:C is where the scanner stands after it (the token's last
 * byte; line EOF after the end: `<source> at EOF:   MESSAGE`). The lexer's own errors
 * ("unterminated string", "Invalid token", "invalid multiline string"...) come from the same
 * place. Which token the LALR parser stops at is taken from luaparse (syntax.ts), which stops
 * at the same token for the grammar both share; it reads a canonical copy of the token stream
 * (every token at its own byte offset), so the two agree on positions.
 */

const EOF = -1;

export interface GoToken {
  /** 'name' | 'keyword' | 'number' | 'string' | 'op' */
  kind: string;
  str: Uint8Array;
  /** Byte offsets of the token in the source. */
  start: number;
  end: number;
  /** Scanner position after the token (lexer.go Scanner.Pos). */
  line: number;
  column: number;
}

export interface GoLexError {
  start: number;
  line: number;
  column: number;
  str: Uint8Array;
  message: string;
}

/** Lua 5.1's reserved words plus `goto`, as gopher-lua's lexer knows them. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'and',
  'break',
  'do',
  'else',
  'elseif',
  'end',
  'false',
  'for',
  'function',
  'if',
  'in',
  'local',
  'nil',
  'not',
  'or',
  'return',
  'repeat',
  'then',
  'true',
  'until',
  'while',
  'goto',
]);

const isDecimal = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isIdent = (c: number, pos: number): boolean =>
  c === 0x5f || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (isDecimal(c) && pos > 0);
const isDigit = (c: number): boolean => isDecimal(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
const WS1 = (c: number): boolean => c === 0x09 || c === 0x20;
const WS2 = (c: number): boolean => c === 0x09 || c === 0x0a || c === 0x0d || c === 0x20;

class LexFail {
  constructor(readonly err: GoLexError) {}
}

class Scanner {
  i = 0;
  line = 1;
  column = 0;
  constructor(readonly src: Uint8Array) {}
  private read(): number {
    return this.i < this.src.length ? this.src[this.i++]! : EOF;
  }
  peek(): number {
    return this.i < this.src.length ? this.src[this.i]! : EOF;
  }
  newline(ch: number): void {
    if (ch < 0) return;
    this.line++;
    this.column = 0;
    const next = this.peek();
    if ((ch === 0x0a && next === 0x0d) || (ch === 0x0d && next === 0x0a)) this.i++;
  }
  next(): number {
    let ch = this.read();
    if (ch === 0x0a || ch === 0x0d) {
      this.newline(ch);
      ch = 0x0a;
    } else if (ch === EOF) {
      this.line = EOF;
      this.column = 0;
    } else this.column++;
    return ch;
  }
  fail(start: number, str: number[] | Uint8Array, message: string): never {
    throw new LexFail({ start, line: this.line, column: this.column, str: Uint8Array.from(str), message });
  }
}

const byte = (c: number): number => c & 0xff; // writeChar: byte(c), EOF included

/** The tokens of `src` up to the first lexer error (lexer.go Scanner.Scan). */
export function gopherLex(src: Uint8Array): { tokens: GoToken[]; error?: GoLexError } {
  const sc = new Scanner(src);
  const tokens: GoToken[] = [];
  try {
    for (;;) {
      let ch = sc.next();
      while (WS1(ch)) ch = sc.next();
      if (ch === 0x0a || ch === 0x0d) {
        ch = sc.next();
        while (WS2(ch)) ch = sc.next();
      }
      if (ch === EOF) return { tokens };
      const start = sc.i - 1;
      const buf: number[] = [];
      let kind = 'op';
      if (isIdent(ch, 0)) {
        buf.push(ch);
        while (isIdent(sc.peek(), 1)) buf.push(sc.next());
        kind = KEYWORDS.has(String.fromCharCode(...buf)) ? 'keyword' : 'name';
      } else if (isDecimal(ch)) {
        kind = 'number';
        scanNumber(sc, ch, buf, start);
      } else {
        switch (ch) {
          case 0x2d: // -
            if (sc.peek() === 0x2d) {
              skipComment(sc, sc.next(), start);
              continue;
            }
            buf.push(ch);
            break;
          case 0x22:
          case 0x27:
            kind = 'string';
            scanString(sc, ch, buf, start);
            break;
          case 0x5b: {
            const c = sc.peek();
            if (c === 0x5b || c === 0x3d) {
              kind = 'string';
              const err = scanLong(sc, sc.next(), buf);
              if (err !== undefined) sc.fail(start, err.str, err.message);
            } else buf.push(ch);
            break;
          }
          case 0x3d: // =
          case 0x3c: // <
          case 0x3e: // >
            buf.push(ch);
            if (sc.peek() === 0x3d) buf.push(sc.next());
            break;
          case 0x7e: // ~
            if (sc.peek() !== 0x3d) sc.fail(start, [0x7e], "Invalid '~' token");
            buf.push(ch, sc.next());
            break;
          case 0x2e: {
            // .
            const c2 = sc.peek();
            if (isDecimal(c2)) {
              kind = 'number';
              scanNumber(sc, ch, buf, start);
            } else if (c2 === 0x2e) {
              buf.push(ch, sc.next());
              if (sc.peek() === 0x2e) buf.push(sc.next());
            } else kind = 'dot'; // tok.Str stays "" (lexer.go: the buffer is empty)
            break;
          }
          case 0x3a: // :
            buf.push(ch);
            if (sc.peek() === 0x3a) buf.push(sc.next());
            break;
          case 0x2b:
          case 0x2a:
          case 0x2f:
          case 0x25:
          case 0x5e:
          case 0x23:
          case 0x28:
          case 0x29:
          case 0x7b:
          case 0x7d:
          case 0x5d:
          case 0x3b:
          case 0x2c:
            buf.push(ch);
            break;
          default:
            sc.fail(start, [byte(ch)], 'Invalid token');
        }
      }
      tokens.push({ kind, str: Uint8Array.from(buf), start, end: sc.i, line: sc.line, column: sc.column });
    }
  } catch (e) {
    if (e instanceof LexFail) return { tokens, error: e.err };
    throw e;
  }
}

function scanDecimal(sc: Scanner, ch: number, buf: number[]): void {
  buf.push(byte(ch));
  while (isDecimal(sc.peek())) buf.push(sc.next());
}

function scanNumber(sc: Scanner, ch: number, buf: number[], start: number): void {
  if (ch === 0x30) {
    const p = sc.peek();
    if (p === 0x78 || p === 0x58) {
      buf.push(ch, sc.next());
      let has = false;
      while (isDigit(sc.peek())) {
        buf.push(sc.next());
        has = true;
      }
      if (!has) sc.fail(start, buf, 'illegal hexadecimal number');
      return;
    }
    if (p !== 0x2e && isDecimal(p)) ch = sc.next();
  }
  scanDecimal(sc, ch, buf);
  if (sc.peek() === 0x2e) scanDecimal(sc, sc.next(), buf);
  const e = sc.peek();
  if (e === 0x65 || e === 0x45) {
    buf.push(sc.next());
    const s = sc.peek();
    if (s === 0x2d || s === 0x2b) buf.push(sc.next());
    scanDecimal(sc, sc.next(), buf);
  }
}

/** lexer.go scanEscape: a, b, f, n, r, t, v, backslash, quotes and an escaped line break. */
const ESCAPES = new Map<number, number>([
  [0x61, 7],
  [0x62, 8],
  [0x66, 12],
  [0x6e, 10],
  [0x72, 13],
  [0x74, 9],
  [0x76, 11],
  [0x5c, 0x5c],
  [0x22, 0x22],
  [0x27, 0x27],
  [0x0a, 0x0a],
]);

function scanString(sc: Scanner, quote: number, buf: number[], start: number): void {
  let ch = sc.next();
  while (ch !== quote) {
    if (ch === 0x0a || ch === 0x0d || ch < 0) sc.fail(start, buf, 'unterminated string');
    if (ch === 0x5c) {
      ch = sc.next();
      const v = ESCAPES.get(ch);
      if (v !== undefined) buf.push(v);
      else if (isDecimal(ch)) {
        let digits = String.fromCharCode(ch);
        for (let i = 0; i < 2 && isDecimal(sc.peek()); i++) digits += String.fromCharCode(sc.next());
        buf.push(Number(digits) & 0xff);
      } else buf.push(byte(ch));
    } else buf.push(ch);
    ch = sc.next();
  }
}

function countSep(sc: Scanner, ch: number): [number, number] {
  let count = 0;
  for (; ch === 0x3d; count++) ch = sc.next();
  return [count, ch];
}

function scanLong(sc: Scanner, first: number, buf: number[]): { str: number[]; message: string } | undefined {
  let [count1, ch] = countSep(sc, first);
  if (ch !== 0x5b) {
    // string(rune(ch)): EOF is U+FFFD
    return {
      str: ch < 0 ? [0xef, 0xbf, 0xbd] : ch < 0x80 ? [ch] : [0xc0 | (ch >> 6), 0x80 | (ch & 0x3f)],
      message: 'invalid multiline string',
    };
  }
  ch = sc.next();
  if (ch === 0x0a || ch === 0x0d) ch = sc.next();
  for (;;) {
    if (ch < 0) return { str: buf.slice(), message: 'unterminated multiline string' };
    if (ch === 0x5d) {
      let count2: number;
      [count2, ch] = countSep(sc, sc.next());
      if (count1 === count2 && ch === 0x5d) return undefined;
      buf.push(0x5d);
      for (let i = 0; i < count2; i++) buf.push(0x3d);
      continue;
    }
    buf.push(byte(ch));
    ch = sc.next();
  }
}

function skipComment(sc: Scanner, ch: number, start: number): void {
  if (sc.peek() === 0x5b) {
    ch = sc.next();
    const p = sc.peek();
    if (p === 0x5b || p === 0x3d) {
      const buf: number[] = [];
      if (scanLong(sc, sc.next(), buf) !== undefined) sc.fail(start, buf, 'invalid multiline comment');
      return;
    }
  }
  while (!(ch === 0x0a || ch === 0x0d || ch < 0)) ch = sc.next();
}

/**
 * The token stream written so luaparse reads the same tokens at the same byte offsets: names,
 * keywords and operators as they are, every number as a digit (then spaces), every string as a quoted
 * run of `x`, the rest spaces.
 */
export function canonicalSource(tokens: GoToken[], length: number): string {
  const out = new Array<string>(length).fill(' ');
  for (const t of tokens) {
    const n = t.end - t.start;
    if (t.kind === 'number')
      out[t.start] = '1'; // then spaces: "3." ".2" stay two numbers
    else if (t.kind === 'string') {
      out[t.start] = '"';
      for (let i = 1; i < n - 1; i++) out[t.start + i] = 'x';
      out[t.end - 1] = '"';
      if (n === 1) out[t.start] = ' ';
    } else if (t.kind === 'dot') out[t.start] = '.';
    else for (let i = 0; i < n; i++) out[t.start + i] = String.fromCharCode(t.str[i] ?? 0x20);
  }
  return out.join('');
}

const text = (t: GoToken | undefined): string => (t === undefined ? '' : t.kind === 'dot' ? '.' : String.fromCharCode(...t.str));
const OPEN: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const CALLABLE_END = (t: GoToken | undefined): boolean =>
  t !== undefined && (t.kind === 'name' || t.kind === 'string' || [')', ']', '}'].includes(text(t)));

/** Index of the bracket opening the group that ends at tokens[i] (a closing bracket), or -1. */
function groupStart(tokens: GoToken[], i: number): number {
  let depth = 0;
  for (let j = i; j >= 0; j--) {
    const s = text(tokens[j]);
    if (s in OPEN) depth++;
    else if (s === '(' || s === '[' || s === '{') {
      depth--;
      if (depth === 0) return j;
    }
  }
  return -1;
}

/**
 * parser.go.y stat: prefixexp: an expression statement that is no function call is reduced
 * when the next token cannot continue it, and fails with "parse error" (not yacc's "syntax
 * error"). luaparse stops at the same token; this tells the two apart from its message and
 * the tokens before: a lone variable or parenthesised expression (not a list of variables
 * before "=", not a call).
 */
export function isParseError(tokens: GoToken[], errIndex: number, message: string): boolean {
  if (/^(\[\d+:\d+\] )?('=' expected|unexpected symbol) near/.test(message)) {
    // walk back over the suffixed expression; a ',' before it makes it a variable list
    let i = errIndex - 1;
    for (;;) {
      const t = tokens[i];
      if (t === undefined) return true;
      const s = text(t);
      let start = i;
      if (s in OPEN) start = groupStart(tokens, i);
      else if (t.kind !== 'name' && t.kind !== 'string') return true;
      if (start < 0) return true;
      const prev = tokens[start - 1];
      const ps = text(prev);
      if (ps === ',') return false;
      if (t.kind === 'name' ? ps === '.' || ps === ':' : CALLABLE_END(prev)) {
        i = t.kind === 'name' ? start - 2 : start - 1;
        continue;
      }
      return true;
    }
  }
  if (/^(\[\d+:\d+\] )?unexpected \w+ '/.test(message)) {
    const before = tokens[errIndex - 1];
    if (text(before) !== ')') return false;
    const open = groupStart(tokens, errIndex - 1);
    return open >= 0 && !CALLABLE_END(tokens[open - 1]);
  }
  return false;
}
