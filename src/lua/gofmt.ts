/**
 * `string.format` as gopher-lua v1.1.2 runs it (stringlib.go strFormat): the format string and
 * the Lua values themselves go to Go's `fmt.Sprintf`, so every verb, flag, width and precision
 * means what it means in Go. This is a port of the parts of Go's fmt/print.go and
 * fmt/format.go that gopher-lua's values reach (Go 1.19; the printing rules used here are the
 * same in later releases):
 *
 * - `lua.LNumber` and `lua.LString` implement fmt.Formatter (value.go Format): they rebuild a
 *   format from the flags, width and precision (utils.go defaultFormat) and print an int64, a
 *   float64 or a string with it;
 * - `lua.LBool`, `*lua.LNilType`, `*lua.LTable`, `*lua.LFunction`, `*lua.LState` and
 *   `*lua.LUserData` are fmt.Stringers: `%v %s %x %X %q` print their String(); other verbs
 *   print the Go value (`%d` of `true` is `%!d(lua.LBool=true)`, of nil `&{}`).
 *
 * Strings here are byte strings: one character per byte (0-255), as Lua strings are bytes.
 */
import { goFormatFloatG, goNumberString, goParseNumber } from './gonum.js';

export type GoArg =
  | { t: 'number'; v: number }
  | { t: 'string'; b: string }
  | { t: 'bool'; v: boolean }
  | { t: 'nil' }
  /** A table, function, thread or userdata: its Go type and its String() ("table: 0x..."). */
  | { t: 'ref'; goType: string; str: string };

/** Raised for a verb that would make Go print a table's (function's, thread's) internal struct. */
export class GoStructVerb extends Error {
  constructor(readonly argIndex: number) {
    super('struct verb');
  }
}

interface Flags {
  widPresent: boolean;
  precPresent: boolean;
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  prec: number;
}

const clear = (): Flags => ({
  widPresent: false,
  precPresent: false,
  minus: false,
  plus: false,
  sharp: false,
  space: false,
  zero: false,
  plusV: false,
  sharpV: false,
  wid: 0,
  prec: 0,
});

const LDIGITS = '0123456789abcdefx';
const UDIGITS = '0123456789ABCDEFX';
const MAX_RUNE = 0x10ffff;

/** utf8.DecodeRuneInString over a byte string: [rune, width]; an invalid byte is [0xfffd, 1]. */
function decodeRune(s: string, i: number): [number, number] {
  const c = s.charCodeAt(i);
  if (c < 0x80) return [c, 1];
  const n = c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
  if (n === 0 || i + n > s.length) return [0xfffd, 1];
  let r = n === 2 ? c & 0x1f : n === 3 ? c & 0x0f : c & 0x07;
  for (let k = 1; k < n; k++) {
    const d = s.charCodeAt(i + k);
    if ((d & 0xc0) !== 0x80) return [0xfffd, 1];
    r = (r << 6) | (d & 0x3f);
  }
  if (n === 3 && (r < 0x800 || (r >= 0xd800 && r <= 0xdfff))) return [0xfffd, 1];
  if (n === 4 && (r < 0x10000 || r > MAX_RUNE)) return [0xfffd, 1];
  // the second byte's range rules (e0 a0.., f0 90.., f4 ..8f) are covered by the value checks
  return [r, n];
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; n++) i += decodeRune(s, i)[1];
  return n;
}

/** utf8.EncodeRune as a byte string (an invalid rune is U+FFFD). */
function encodeRune(r: number): string {
  if (r < 0 || r > MAX_RUNE || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  if (r < 0x80) return String.fromCharCode(r);
  if (r < 0x800) return String.fromCharCode(0xc0 | (r >> 6), 0x80 | (r & 0x3f));
  if (r < 0x10000) return String.fromCharCode(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
  return String.fromCharCode(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f));
}

/** unicode.IsPrint, close enough: letters, marks, numbers, punctuation, symbols and U+0020. */
function isPrint(r: number): boolean {
  if (r < 0x80) return r >= 0x20 && r < 0x7f;
  return !/[\p{C}\p{Z}]/u.test(String.fromCodePoint(r));
}

/** strconv.appendEscapedRune for quote `q`; asciiOnly for QuoteToASCII. */
function escapeRune(r: number, width: number, q: string, asciiOnly: boolean): string {
  if (width === 1 && r === 0xfffd) return ''; // handled by the caller (the raw byte)
  const ch = String.fromCharCode(r);
  if (r < 0x80 && (ch === q || ch === '\\')) return `\\${ch}`;
  if (asciiOnly ? r < 0x80 && isPrint(r) : isPrint(r)) return encodeRune(r);
  switch (r) {
    case 7:
      return '\\a';
    case 8:
      return '\\b';
    case 12:
      return '\\f';
    case 10:
      return '\\n';
    case 13:
      return '\\r';
    case 9:
      return '\\t';
    case 11:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return `\\x${r.toString(16).padStart(2, '0')}`;
  if (r < 0x10000) return `\\u${r.toString(16).padStart(4, '0')}`;
  return `\\U${r.toString(16).padStart(8, '0')}`;
}

/** strconv.Quote / QuoteToASCII of a byte string. */
function quote(s: string, asciiOnly: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; ) {
    const [r, w] = decodeRune(s, i);
    if (w === 1 && r === 0xfffd) out += `\\x${s.charCodeAt(i).toString(16).padStart(2, '0')}`;
    else out += escapeRune(r, w, '"', asciiOnly);
    i += w;
  }
  return `${out}"`;
}

/** strconv.QuoteRune / QuoteRuneToASCII. */
function quoteRune(r: number, asciiOnly: boolean): string {
  if (r < 0 || r > MAX_RUNE || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  return `'${escapeRune(r, 2, "'", asciiOnly)}'`;
}

/** strconv.CanBackquote. */
function canBackquote(s: string): boolean {
  for (let i = 0; i < s.length; ) {
    const [r, w] = decodeRune(s, i);
    i += w;
    if (w > 1) {
      if (r === 0xfeff) return false;
      continue;
    }
    if (r === 0xfffd) return false;
    if ((r < 0x20 && r !== 9) || r === 0x60 || r === 0x7f) return false;
  }
  return true;
}

// ---- strconv.FormatFloat for 'e', 'f', 'g' (exact decimal value, ties to even) ----

interface Decimal {
  d: string;
  dp: number;
}

function exactDecimal(a: number): Decimal {
  if (a === 0) return { d: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  let digits: string;
  let dp: number;
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e)).toString();
    dp = digits.length + e;
  }
  return { d: digits.replace(/0+$/, ''), dp };
}

function roundDecimal(x: Decimal, nd: number): Decimal {
  if (nd < 0) return { d: '', dp: 0 };
  if (nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  const up = next === 5 && nd + 1 === x.d.length ? nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1 : next >= 5;
  if (!up) return { d: x.d.slice(0, nd).replace(/0+$/, ''), dp: x.d.slice(0, nd).replace(/0+$/, '') === '' ? 0 : x.dp };
  let i = nd - 1;
  while (i >= 0 && x.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  return { d: x.d.slice(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), dp: x.dp };
}

function fmtF(x: Decimal, prec: number): string {
  let out = x.dp > 0 ? x.d.slice(0, x.dp).padEnd(x.dp, '0') : '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      out += j >= 0 && j < x.d.length ? x.d[j] : '0';
    }
  }
  return out;
}

function fmtE(x: Decimal, prec: number, e: string): string {
  let out = x.d.length > 0 ? x.d[0]! : '0';
  if (prec > 0) out += `.${x.d.slice(1, prec + 1).padEnd(prec, '0')}`;
  const exp = x.d.length === 0 ? 0 : x.dp - 1;
  const ae = Math.abs(exp);
  return `${out}${e}${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
}

/** strconv.FormatFloat(v, verb, prec, 64) for verb e E f g G (prec -1: shortest, 'g' only). */
function goFormatFloat(v: number, verb: string, prec: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  const lower = verb.toLowerCase();
  let body: string;
  if (prec < 0) {
    const s = goFormatFloatG(a);
    body = lower === 'g' ? s : s;
  } else if (lower === 'e') {
    body = fmtE(roundDecimal(exactDecimal(a), prec + 1), prec, 'e');
  } else if (lower === 'f') {
    const x = exactDecimal(a);
    body = fmtF(roundDecimal(x, x.dp + prec), prec);
  } else {
    let p = prec === 0 ? 1 : prec;
    const digs = roundDecimal(exactDecimal(a), p);
    const nd = digs.d.length;
    let eprec = p;
    if (eprec > nd && nd >= digs.dp) eprec = nd;
    const exp = digs.dp - 1;
    if (digs.d.length === 0 ? false : exp < -4 || exp >= eprec) {
      if (p > nd) p = nd;
      body = fmtE(digs, p - 1, 'e');
    } else {
      if (p > digs.dp) p = nd;
      body = fmtF(digs, Math.max(p - digs.dp, 0));
    }
  }
  if (verb === 'E' || verb === 'G') body = body.toUpperCase();
  return (neg ? '-' : '') + body;
}

/** Go's int64(f) on amd64: truncation; NaN and what does not fit give the minimum int64. */
function goInt64(v: number): bigint {
  if (!Number.isFinite(v) || Math.abs(v) >= 9223372036854775808) return -9223372036854775808n;
  return BigInt(Math.trunc(v));
}

/** value.go isInteger: float64(v) == float64(int64(v)). */
const isInteger = (v: number): boolean => Number(goInt64(v)) === v;

const U64 = 1n << 64n;

// ---- the printer (fmt/print.go pp and fmt/format.go fmt) ----

type Value =
  | { k: 'int64'; v: bigint }
  | { k: 'float64'; v: number }
  | { k: 'string'; v: string }
  | { k: 'lnumber'; v: number }
  | { k: 'lstring'; v: string }
  | { k: 'lbool'; v: boolean }
  | { k: 'lnil' }
  | { k: 'ref'; goType: string; str: string; index: number };

const typeName = (a: Value): string =>
  a.k === 'int64'
    ? 'int64'
    : a.k === 'float64'
      ? 'float64'
      : a.k === 'string'
        ? 'string'
        : a.k === 'lnumber'
          ? 'lua.LNumber'
          : a.k === 'lstring'
            ? 'lua.LString'
            : a.k === 'lbool'
              ? 'lua.LBool'
              : a.k === 'lnil'
                ? '*lua.LNilType'
                : a.goType;

class Printer {
  buf = '';
  f: Flags = clear();
  erroring = false;
  arg: Value | undefined;

  private writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.f.zero ? '0' : ' ').repeat(n);
  }

  private pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  private fmtBoolean(v: boolean): void {
    this.pad(v ? 'true' : 'false');
  }

  private fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.f.precPresent && this.f.prec > 4) prec = this.f.prec;
    let tail = '';
    if (this.f.sharp && u <= BigInt(MAX_RUNE) && isPrint(Number(u))) tail = ` '${encodeRune(Number(u))}'`;
    let hex = u.toString(16).toUpperCase();
    if (hex.length < prec) hex = hex.padStart(prec, '0');
    const oldZero = this.f.zero;
    this.f.zero = false;
    this.pad(`U+${hex}${tail}`);
    this.f.zero = oldZero;
  }

  private fmtIntegerRaw(u: bigint, base: number, isSigned: boolean, verb: string, digits: string): void {
    const negative = isSigned && u >= 1n << 63n;
    if (negative) u = U64 - u;
    let prec = 0;
    if (this.f.precPresent) {
      prec = this.f.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.f.zero;
        this.f.zero = false;
        this.writePadding(this.f.wid);
        this.f.zero = oldZero;
        return;
      }
    } else if (this.f.zero && this.f.widPresent) {
      prec = this.f.wid;
      if (negative || this.f.plus || this.f.space) prec--;
    }
    let s = u.toString(base);
    if (digits === UDIGITS) s = s.toUpperCase();
    if (s.length < prec) s = s.padStart(prec, '0');
    if (this.f.sharp) {
      if (base === 2) s = `0b${s}`;
      else if (base === 8) {
        if (s[0] !== '0') s = `0${s}`;
      } else if (base === 16) s = `0${digits[16]}${s}`;
    }
    if (verb === 'O') s = `0o${s}`;
    if (negative) s = `-${s}`;
    else if (this.f.plus) s = `+${s}`;
    else if (this.f.space) s = ` ${s}`;
    const oldZero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = oldZero;
  }

  private truncate(s: string): string {
    if (this.f.precPresent) {
      let n = this.f.prec;
      for (let i = 0; i < s.length; ) {
        n--;
        if (n < 0) return s.slice(0, i);
        i += decodeRune(s, i)[1];
      }
    }
    return s;
  }

  private fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  private fmtSx(s: string, digits: string): void {
    let length = s.length;
    if (this.f.precPresent && this.f.prec < length) length = this.f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.f.space) {
        if (this.f.sharp) width *= 2;
        width += length - 1;
      } else if (this.f.sharp) width += 2;
    } else {
      if (this.f.widPresent) this.writePadding(this.f.wid);
      return;
    }
    if (this.f.widPresent && this.f.wid > width && !this.f.minus) this.writePadding(this.f.wid - width);
    let out = '';
    if (this.f.sharp) out += `0${digits[16]}`;
    for (let i = 0; i < length; i++) {
      if (this.f.space && i > 0) {
        out += ' ';
        if (this.f.sharp) out += `0${digits[16]}`;
      }
      const c = s.charCodeAt(i);
      out += digits[c >> 4]! + digits[c & 0xf]!;
    }
    this.buf += out;
    if (this.f.widPresent && this.f.wid > width && this.f.minus) this.writePadding(this.f.wid - width);
  }

  private fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.f.sharp && canBackquote(s)) {
      this.pad(`\`${s}\``);
      return;
    }
    this.pad(quote(s, this.f.plus));
  }

  private fmtC(c: bigint): void {
    const r = c > BigInt(MAX_RUNE) ? 0xfffd : Number(c);
    this.pad(encodeRune(r));
  }

  private fmtQc(c: bigint): void {
    const r = c > BigInt(MAX_RUNE) ? 0xfffd : Number(c);
    this.pad(quoteRune(r, this.f.plus));
  }

  private fmtFloatRaw(v: number, verb: string, prec: number): void {
    if (this.f.precPresent) prec = this.f.prec;
    let num = goFormatFloat(v, verb, prec);
    num = num[0] === '-' || num[0] === '+' ? num : `+${num}`;
    if (this.f.space && num[0] === '+' && !this.f.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      const oldZero = this.f.zero;
      this.f.zero = false;
      if (num[1] === 'N' && !this.f.space && !this.f.plus) num = num.slice(1);
      this.pad(num);
      this.f.zero = oldZero;
      return;
    }
    if (this.f.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let body = num;
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let i = 1; i < body.length; i++) {
        const c = body[i]!;
        if (c === '.') hasDecimalPoint = true;
        else if (c === 'e' || c === 'E') {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else {
          if (c !== '0') sawNonzeroDigit = true;
          if (sawNonzeroDigit) digits--;
        }
      }
      if (!hasDecimalPoint) {
        if (body.length === 2 && body[1] === '0') digits--;
        body += '.';
      }
      while (digits > 0) {
        body += '0';
        digits--;
      }
      num = body + tail;
    }
    if (this.f.plus || num[0] !== '+') {
      if (this.f.zero && this.f.widPresent && this.f.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.f.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  // ---- print.go ----

  private badVerb(verb: string): void {
    this.erroring = true;
    this.buf += `%!${verb}(`;
    if (this.arg !== undefined) {
      this.buf += `${typeName(this.arg)}=`;
      this.printArg(this.arg, 'v');
    } else this.buf += '<nil>';
    this.buf += ')';
    this.erroring = false;
  }

  private fmtBool(v: boolean, verb: string): void {
    if (verb === 't' || verb === 'v') this.fmtBoolean(v);
    else this.badVerb(verb);
  }

  private fmtInteger(v: bigint, isSigned: boolean, verb: string): void {
    const u = v < 0n ? v + U64 : v;
    switch (verb) {
      case 'v':
      case 'd': {
        this.fmtIntegerRaw(u, 10, isSigned, verb, LDIGITS);
        return;
      }
      case 'b': {
        this.fmtIntegerRaw(u, 2, isSigned, verb, LDIGITS);
        return;
      }
      case 'o':
      case 'O': {
        this.fmtIntegerRaw(u, 8, isSigned, verb, LDIGITS);
        return;
      }
      case 'x': {
        this.fmtIntegerRaw(u, 16, isSigned, verb, LDIGITS);
        return;
      }
      case 'X': {
        this.fmtIntegerRaw(u, 16, isSigned, verb, UDIGITS);
        return;
      }
      case 'c': {
        this.fmtC(u);
        return;
      }
      case 'q': {
        this.fmtQc(u);
        return;
      }
      case 'U': {
        this.fmtUnicode(u);
        return;
      }
      default: {
        this.badVerb(verb);
        return;
      }
    }
  }

  private fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case 'v': {
        this.fmtFloatRaw(v, 'g', -1);
        return;
      }
      case 'g':
      case 'G': {
        this.fmtFloatRaw(v, verb, -1);
        return;
      }
      case 'f':
      case 'e':
      case 'E': {
        this.fmtFloatRaw(v, verb, 6);
        return;
      }
      case 'F': {
        this.fmtFloatRaw(v, 'f', 6);
        return;
      }
      default: {
        // 'b', 'x', 'X' of a float64: never reached from gopher-lua (LNumber.Format sends them to int64)
        this.badVerb(verb);
        return;
      }
    }
  }

  private fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(v);
        else this.fmtS(v);
        return;
      case 's': {
        this.fmtS(v);
        return;
      }
      case 'x': {
        this.fmtSx(v, LDIGITS);
        return;
      }
      case 'X': {
        this.fmtSx(v, UDIGITS);
        return;
      }
      case 'q': {
        this.fmtQ(v);
        return;
      }
      default: {
        this.badVerb(verb);
        return;
      }
    }
  }

  /** utils.go defaultFormat: the flags (in byte order), width and precision rebuilt, then Fprintf(f, format, v). */
  private defaultFormat(v: Value, c: string): void {
    let format = '%';
    if (this.f.space) format += ' ';
    if (this.f.sharp || this.f.sharpV) format += '#';
    if (this.f.plus || this.f.plusV) format += '+';
    if (this.f.minus) format += '-';
    if (this.f.zero) format += '0';
    if (this.f.widPresent) format += String(this.f.wid);
    if (this.f.precPresent) format += `.${this.f.prec}`;
    format += c;
    const inner = new Printer();
    inner.doPrintf(format, [v]);
    this.buf += inner.buf;
  }

  private printArg(arg: Value, verb: string): void {
    this.arg = arg;
    if (verb === 'T') {
      this.fmtS(typeName(arg));
      return;
    }
    if (verb === 'p') {
      if (arg.k === 'ref') {
        const m = /0x([0-9a-f]+)$/.exec(arg.str);
        this.fmtIntegerRaw(BigInt(`0x${m ? m[1] : '0'}`), 16, false, 'v', LDIGITS);
        if (!this.f.sharp) this.buf = this.buf.replace(/([0-9a-f]+)$/, '0x$1');
        return;
      }
      if (arg.k !== 'lnil') {
        this.badVerb(verb);
        return;
      }
    }
    switch (arg.k) {
      case 'int64': {
        this.fmtInteger(arg.v, true, verb);
        return;
      }
      case 'float64': {
        this.fmtFloat(arg.v, verb);
        return;
      }
      case 'string': {
        this.fmtString(arg.v, verb);
        return;
      }
    }
    if (!this.erroring) {
      // handleMethods: %w of what is no error, then Formatter, then Stringer for %v %s %x %X %q (not %#v)
      if (verb === 'w') {
        this.badVerb(verb);
        return;
      }
      if (arg.k === 'lnumber') {
        this.numberFormat(arg.v, verb);
        return;
      }
      if (arg.k === 'lstring') {
        this.stringFormat(arg.v, verb);
        return;
      }
      if (!this.f.sharpV && 'vsxXq'.includes(verb) && verb.length === 1) {
        const s = arg.k === 'lbool' ? (arg.v ? 'true' : 'false') : arg.k === 'lnil' ? 'nil' : arg.str;
        this.fmtString(s, verb);
        return;
      }
    }
    // printValue
    if (arg.k === 'lbool') {
      this.fmtBool(arg.v, verb);
      return;
    }
    if (arg.k === 'lnil') {
      this.buf += this.f.sharpV ? '&lua.LNilType{}' : '&{}';
      return;
    }
    if (arg.k === 'ref') throw new GoStructVerb(arg.index);
    // an LNumber/LString reached while erroring (badVerb prints it with %v)
    if (arg.k === 'lnumber') {
      this.fmtFloat(arg.v, verb);
      return;
    }
    this.fmtString(arg.v, verb);
    return;
  }

  /** value.go LNumber.Format. */
  private numberFormat(nm: number, c: string): void {
    switch (c) {
      case 'q':
      case 's': {
        this.defaultFormat({ k: 'string', v: goNumberString(nm) }, c);
        return;
      }
      case 'b':
      case 'c':
      case 'd':
      case 'o':
      case 'x':
      case 'X':
      case 'U': {
        this.defaultFormat({ k: 'int64', v: goInt64(nm) }, c);
        return;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        this.defaultFormat({ k: 'float64', v: nm }, c);
        return;
      }
      case 'i': {
        this.defaultFormat({ k: 'int64', v: goInt64(nm) }, 'd');
        return;
      }
      default: {
        this.defaultFormat(isInteger(nm) ? { k: 'int64', v: goInt64(nm) } : { k: 'float64', v: nm }, c);
        return;
      }
    }
  }

  /** value.go LString.Format (its test is inverted: a string that parses prints as %s, else LNumber(0) as %d). */
  private stringFormat(st: string, c: string): void {
    if (c === 'd' || c === 'i') {
      const text = new TextDecoder().decode(Uint8Array.from(st, (ch) => ch.charCodeAt(0)));
      if (goParseNumber(text.replace(/^[ \t\n]+|[ \t\n]+$/g, '')) === undefined) {
        this.defaultFormat({ k: 'lnumber', v: 0 }, 'd');
        return;
      }
      this.defaultFormat({ k: 'string', v: st }, 's');
      return;
    }
    this.defaultFormat({ k: 'string', v: st }, c);
    return;
  }

  doPrintf(format: string, a: Value[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    let reordered = false;
    let goodArgNum = true;
    // argNumber: an explicit [n] index
    const argNumber = (i: number): [number, number, boolean] => {
      if (end <= i || format[i] !== '[') return [argNum, i, false];
      reordered = true;
      const [index, wid, ok] = parseArgNumber(format.slice(i));
      if (ok && index >= 0 && index < a.length) return [index, i + wid, true];
      goodArgNum = false;
      return [argNum, i + wid, ok];
    };
    const intFromArg = (): [number, boolean] => {
      // a Lua value is never a Go int: the width or precision is bad, the argument used up
      if (argNum < a.length) argNum++;
      return [0, false];
    };
    let i = 0;
    formatLoop: while (i < end) {
      goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== '%') i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++;
      this.f = clear();
      simple: for (; i < end; i++) {
        const c = format[i]!;
        switch (c) {
          case '#':
            this.f.sharp = true;
            break;
          case '0':
            this.f.zero = !this.f.minus;
            break;
          case '+':
            this.f.plus = true;
            break;
          case '-':
            this.f.minus = true;
            this.f.zero = false;
            break;
          case ' ':
            this.f.space = true;
            break;
          default:
            if (c >= 'a' && c <= 'z' && argNum < a.length) {
              if (c === 'v') {
                this.f.sharpV = this.f.sharp;
                this.f.sharp = false;
                this.f.plusV = this.f.plus;
                this.f.plus = false;
              }
              this.printArg(a[argNum]!, c);
              argNum++;
              i++;
              continue formatLoop;
            }
            break simple;
        }
      }
      [argNum, i, afterIndex] = argNumber(i);
      if (i < end && format[i] === '*') {
        i++;
        [this.f.wid, this.f.widPresent] = intFromArg();
        if (!this.f.widPresent) this.buf += '%!(BADWIDTH)';
        afterIndex = false;
      } else {
        [this.f.wid, this.f.widPresent, i] = parsenum(format, i, end);
        if (afterIndex && this.f.widPresent) goodArgNum = false;
      }
      if (i + 1 < end && format[i] === '.') {
        i++;
        if (afterIndex) goodArgNum = false;
        [argNum, i, afterIndex] = argNumber(i);
        if (i < end && format[i] === '*') {
          i++;
          [this.f.prec, this.f.precPresent] = intFromArg();
          if (!this.f.precPresent) this.buf += '%!(BADPREC)';
          afterIndex = false;
        } else {
          [this.f.prec, this.f.precPresent, i] = parsenum(format, i, end);
          if (!this.f.precPresent) {
            this.f.prec = 0;
            this.f.precPresent = true;
          }
        }
      }
      if (!afterIndex) [argNum, i, afterIndex] = argNumber(i);
      if (i >= end) {
        this.buf += '%!(NOVERB)';
        break;
      }
      let verb = format[i]!;
      let size = 1;
      if (verb.charCodeAt(0) >= 0x80) {
        const [r, w] = decodeRune(format, i);
        verb = encodeRune(r);
        size = w;
      }
      i += size;
      if (verb === '%') this.buf += '%';
      else if (!goodArgNum) this.buf += `%!${verb}(BADINDEX)`;
      else if (argNum >= a.length) this.buf += `%!${verb}(MISSING)`;
      else {
        if (verb === 'v') {
          this.f.sharpV = this.f.sharp;
          this.f.sharp = false;
          this.f.plusV = this.f.plus;
          this.f.plus = false;
        }
        this.printArg(a[argNum]!, verb);
        argNum++;
      }
    }
    if (!reordered && argNum < a.length) {
      this.f = clear();
      this.buf += '%!(EXTRA ';
      a.slice(argNum).forEach((arg, k) => {
        if (k > 0) this.buf += ', ';
        this.buf += `${typeName(arg)}=`;
        this.printArg(arg, 'v');
      });
      this.buf += ')';
    }
  }
}

function tooLarge(x: number): boolean {
  return x > 1e6 || x < -1e6;
}

/** print.go parsenum: [num, isnum, newi]. */
function parsenum(s: string, start: number, end: number): [number, boolean, number] {
  if (start >= end) return [0, false, end];
  let num = 0;
  let isnum = false;
  let newi = start;
  for (; newi < end && s[newi]! >= '0' && s[newi]! <= '9'; newi++) {
    if (tooLarge(num)) return [0, false, end];
    num = num * 10 + (s.charCodeAt(newi) - 48);
    isnum = true;
  }
  return [num, isnum, newi];
}

/** print.go parseArgNumber: [index, wid, ok]. */
function parseArgNumber(format: string): [number, number, boolean] {
  if (format.length < 3) return [0, 1, false];
  for (let i = 1; i < format.length; i++) {
    if (format[i] === ']') {
      const [width, ok, newi] = parsenum(format, 1, i);
      if (!ok || newi !== i) return [0, i + 1, false];
      return [width - 1, i + 1, true];
    }
  }
  return [0, 1, false];
}

/**
 * stringlib.go strFormat: fmt.Sprintf(str, args[:min(npat, len(args))]...) with npat the count
 * of "%" less the count of "%%". `format` and the result are byte strings. A verb that would print
 * a table's (function's...) Go struct raises GoStructVerb with that argument's index (0-based).
 */
export function gopherStringFormat(format: string, args: GoArg[]): string {
  const npat = format.split('%').length - 1 - (format.split('%%').length - 1);
  const passed = args.slice(0, Math.max(0, Math.min(npat, args.length)));
  const values: Value[] = passed.map((a, index) =>
    a.t === 'number'
      ? { k: 'lnumber', v: a.v }
      : a.t === 'string'
        ? { k: 'lstring', v: a.b }
        : a.t === 'bool'
          ? { k: 'lbool', v: a.v }
          : a.t === 'nil'
            ? { k: 'lnil' }
            : { k: 'ref', goType: a.goType, str: a.str, index },
  );
  const p = new Printer();
  p.doPrintf(format, values);
  return p.buf;
}
