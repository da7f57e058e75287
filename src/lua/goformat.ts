/**
 * string.format as gopher-lua runs it: Go's fmt.Sprintf over float64 numbers and Lua values
 * (`wrapFormat`), with the integer, float (exact decimal, round half to even), quoting and
 * padding rules of Go's fmt and strconv written out here.
 */
import { lua, to_jsstring, to_luastring } from './fengari/internals.js';
import { goFormatFloatG, goNumberString, goParseNumber } from './gonum.js';
import { type Fn, checkJsString, gopherKeyString, pushJsString } from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Go's int64(f) on amd64: truncation, and the minimum int64 for what does not fit. */
export function goInt64(v: number): bigint {
  if (!Number.isFinite(v) || Math.abs(v) >= 9223372036854775808) return -9223372036854775808n;
  return BigInt(Math.trunc(v));
}

/** Go's fmt for an integer verb (d, x, X, o) with flags, width and precision. */
export function goFormatInt(n: bigint, verb: string, flags: string, width: number | undefined, prec: number | undefined): string {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const base = verb === 'x' || verb === 'X' ? 16 : verb === 'o' ? 8 : verb === 'b' ? 2 : 10;
  let digits = abs.toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  if (prec !== undefined) digits = prec === 0 && abs === 0n ? '' : digits.padStart(prec, '0');
  const sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const prefix = flags.includes('#') ? (base === 16 ? (verb === 'X' ? '0X' : '0x') : base === 8 ? '0' : '') : '';
  let out = sign + prefix + digits;
  if (width !== undefined && out.length < width) {
    if (flags.includes('-')) out = out.padEnd(width, ' ');
    else if (flags.includes('0') && prec === undefined) out = sign + prefix + digits.padStart(width - sign.length - prefix.length, '0');
    else out = out.padStart(width, ' ');
  }
  return out;
}

/** Go's strconv.Quote, as `%q` prints a string. */
export function goQuote(str: string): string {
  let out = '"';
  for (const ch of str) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0xfffd && ch !== '\ufffd') out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

/**
 * strconv.Quote of a Go string's bytes: a byte that starts no valid UTF-8 sequence is `\xHH`,
 * a rune unicode.IsPrint refuses (other than the escapes above) `\uXXXX` or `\UXXXXXXXX`.
 */
export function goQuoteBytes(b: Uint8Array): string {
  let out = '"';
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    let n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    let r = n === 1 ? c : n === 2 ? c & 0x1f : n === 3 ? c & 0x0f : c & 0x07;
    for (let k = 1; k < n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) {
        n = 0;
        break;
      }
      r = (r << 6) | (d & 0x3f);
    }
    if (n === 3 && (r < 0x800 || (r >= 0xd800 && r <= 0xdfff))) n = 0;
    if (n === 4 && (r < 0x10000 || r > 0x10ffff)) n = 0;
    if (n === 0) {
      out += `\\x${c.toString(16).padStart(2, '0')}`;
      i++;
      continue;
    }
    const ch = String.fromCodePoint(r);
    if (r < 0x80) out += goQuote(ch).slice(1, -1);
    else if (/[\p{C}\p{Z}]/u.test(ch))
      out += r < 0x10000 ? `\\u${r.toString(16).padStart(4, '0')}` : `\\U${r.toString(16).padStart(8, '0')}`;
    else out += ch;
    i += n;
  }
  return `${out}"`;
}

/**
 * The exact decimal value of a finite double |v|, as Go's strconv decimal holds it: digits with
 * no trailing zeros, value = 0.d1d2... x 10^dp (zero: no digits, dp 0).
 */
export interface Decimal {
  d: string;
  dp: number;
}

export function exactDecimal(a: number): Decimal {
  if (a === 0) return { d: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(a));
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
    digits = (mant * 5n ** BigInt(-e)).toString(); // mant / 2^-e = mant * 5^-e / 10^-e
    dp = digits.length + e;
  }
  return { d: digits.replace(/0+$/, ''), dp };
}

/** Go's decimal.Round(nd): to nd digits, an exact half rounding to even (strconv/decimal.go shouldRoundUp). */
export function roundDecimal(x: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  const up = next === 5 && nd + 1 === x.d.length ? nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1 : next >= 5;
  if (!up) return { d: x.d.slice(0, nd).replace(/0+$/, ''), dp: nd === 0 ? 0 : x.dp };
  let i = nd - 1;
  while (i >= 0 && x.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  return { d: x.d.slice(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), dp: x.dp };
}

/** strconv fmtF: prec digits after the point. */
export function fmtF(x: Decimal, prec: number): string {
  let out = '';
  if (x.dp > 0) out = x.d.slice(0, x.dp).padEnd(x.dp, '0');
  else out = '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      out += j >= 0 && j < x.d.length ? x.d[j] : '0';
    }
  }
  return out;
}

/** strconv fmtE: one digit, prec digits after the point, an exponent of at least two digits. */
export function fmtE(x: Decimal, prec: number, e: string): string {
  let out = x.d.length > 0 ? x.d[0]! : '0';
  if (prec > 0) out += `.${x.d.slice(1, prec + 1).padEnd(prec, '0')}`;
  const exp = x.d.length === 0 ? 0 : x.dp - 1;
  const ae = Math.abs(exp);
  return `${out}${e}${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
}

/**
 * Go's %e / %f / %g with an explicit or default precision, rounded from the exact binary value
 * with ties to even as strconv does (`%.0f` of 2.5 is 2, `%.1f` of 0.25 is 0.2; fengari and C's
 * JS-based sprintf round ties up), and Go's exponent form (1.2e+04, not 1.2e+4).
 */
export function goFormatExpG(v: number, verb: string, flags: string, width: number | undefined, prec: number | undefined): string {
  let body: string;
  const lower = verb.toLowerCase();
  if (!Number.isFinite(v)) {
    // fmt/format.go fmtFloat: infinities keep their sign ("+Inf"), a space flag replaces "+",
    // NaN shows a sign only with the + or space flag; never zero padded.
    const sign = Number.isNaN(v) || v > 0 ? (flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : Number.isNaN(v) ? '' : '+') : '-';
    body = sign + (Number.isNaN(v) ? 'NaN' : 'Inf');
    return pad(body, flags.replace('0', ''), width);
  }
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  const x = exactDecimal(a);
  if (lower === 'e') {
    const p = prec ?? 6;
    body = fmtE(roundDecimal(x, p + 1), p, 'e');
  } else if (lower === 'f') {
    const p = prec ?? 6;
    body = fmtF(roundDecimal(x, x.dp + p), p);
  } else if (prec === undefined) {
    body = goFormatFloatG(a);
  } else {
    let p = prec === 0 ? 1 : prec;
    const digs = roundDecimal(x, p);
    const nd = digs.d.length;
    let eprec = p;
    if (eprec > nd && nd >= digs.dp) eprec = nd;
    const exp = digs.dp - 1;
    if (exp < -4 || exp >= eprec) {
      if (p > nd) p = nd;
      body = fmtE(digs, p - 1, 'e');
    } else {
      if (p > digs.dp) p = nd;
      body = fmtF(digs, Math.max(p - digs.dp, 0));
    }
  }
  if (flags.includes('#')) body = goSharpFloat(body, lower === 'g' ? (prec ?? 6) : 0);
  if (verb === 'E' || verb === 'G') body = body.toUpperCase();
  const sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  if (width !== undefined && flags.includes('0') && !flags.includes('-') && sign.length + body.length < width) {
    return sign + body.padStart(width - sign.length, '0');
  }
  return pad(sign + body, flags, width);
}

/**
 * fmt/format.go fmtFloat with the # flag: a decimal point always, and for %g trailing zeros up
 * to `digits` significant digits ("%#g" of -10 is "-10.0000").
 */
export function goSharpFloat(num: string, digits: number): string {
  let tail = '';
  const e = num.search(/[eE]/);
  if (e >= 0) {
    tail = num.slice(e);
    num = num.slice(0, e);
  }
  let point = false;
  let nonzero = false;
  for (const c of num) {
    if (c === '.') point = true;
    else {
      if (c !== '0') nonzero = true;
      if (nonzero) digits--;
    }
  }
  if (!point) {
    if (num === '0') digits--;
    num += '.';
  }
  while (digits > 0) {
    num += '0';
    digits--;
  }
  return num + tail;
}

export function pad(s: string, flags: string, width: number | undefined): string {
  if (width === undefined || s.length >= width) return s;
  return flags.includes('-') ? s.padEnd(width, ' ') : s.padStart(width, ' ');
}

/** value.go LNumber.Format: the verb a float64 number is printed with by Go's fmt. */
export function goFormatNumber(
  v: number,
  conv: string,
  flags: string,
  width: number | undefined,
  prec: number | undefined,
): string | undefined {
  switch (conv) {
    case 'd':
    case 'i':
    case 'x':
    case 'X':
    case 'o':
    case 'b':
      return goFormatInt(goInt64(v), conv === 'i' ? 'd' : conv, flags, width, prec);
    case 'c': {
      // Go's %c of an int64 is the rune, UTF-8 encoded (invalid code points print U+FFFD).
      const r = goInt64(v);
      const ok = r >= 0n && r <= 0x10ffffn && !(r >= 0xd800n && r <= 0xdfffn);
      return pad(String.fromCodePoint(ok ? Number(r) : 0xfffd), flags, width);
    }
    case 's':
      return pad(prec === undefined ? goNumberString(v) : goNumberString(v).slice(0, prec), flags, width);
    case 'q':
      return pad(goQuote(goNumberString(v)), flags, width);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      return goFormatExpG(v, conv, flags, width, prec);
    default: {
      // Any other verb (%a, %u, ...) is one Go does not know for the value: %!a(int64=1).
      if (Number.isInteger(v) && Math.abs(v) < 9223372036854775808)
        return `%!${conv}(int64=${goFormatInt(goInt64(v), 'd', flags, width, prec)})`;
      return `%!${conv}(float64=${pad(goNumberString(v), flags, width)})`;
    }
  }
}

/** Go's %s of a string: precision and width count runes; the 0 flag pads with zeros. */
export function goPadRunes(str: string, flags: string, width: number | undefined, prec: number | undefined): string {
  const runes = [...str];
  const cut = prec === undefined ? runes : runes.slice(0, prec);
  const body = cut.join('');
  if (width === undefined || cut.length >= width) return body;
  const fill = (flags.includes('0') && !flags.includes('-') ? '0' : ' ').repeat(width - cut.length);
  return flags.includes('-') ? body + fill : fill + body;
}

/** value.go LString.Format: %d of a string prints it (%s) if it parses as a number, else 0. */
export function goFormatString(
  bytes: Uint8Array,
  conv: string,
  flags: string,
  width: number | undefined,
  prec: number | undefined,
): string | undefined {
  if (conv === 's' && ((width === undefined && prec === undefined) || bytes.every((b) => b < 0x80 && b !== 0))) return undefined; // same in C (which refuses a zero byte)
  const str = to_jsstring(bytes, undefined, undefined, true);
  if (conv === 'd' || conv === 'i') {
    if (goParseNumber(str) === undefined) return goFormatInt(0n, 'd', flags, width, prec);
    return goPadRunes(str, flags, width, prec);
  }
  if (conv === 'q') return pad(goQuoteBytes(bytes), flags, width);
  if (conv === 's') {
    // Go counts width and precision in runes, C in bytes: only non-ASCII text differs.
    return goPadRunes(str, flags, width, prec);
  }
  if (conv === 'x' || conv === 'X') {
    if (flags !== '' || prec !== undefined) return undefined;
    let hex = '';
    for (const b of bytes) hex += b.toString(16).padStart(2, '0');
    return pad(conv === 'X' ? hex.toUpperCase() : hex, flags, width);
  }
  return `%!${conv}(string=${goPadRunes(str, flags, width, prec)})`; // fmt's badVerb prints the value with the verb's width
}

/**
 * string.format as gopher-lua does it: the arguments go to Go's fmt.Sprintf. Numbers are
 * float64 values that format themselves: %d/%x/%o print int64(n) (no 32-bit limit, Go's sign
 * handling), %s and %q print tostring(n), %g without precision is Go's shortest form, %e/%f/%g
 * round ties to even; a verb with no argument left prints %!<verb>(MISSING). The rest (%s of
 * strings, %c, widths of strings) is the same in C and Go and left to fengari.
 */
export function wrapFormat(orig: Fn): Fn {
  return (Ls) => {
    const fmt = checkJsString(Ls, 1);
    const top = lua.lua_gettop(Ls);
    // stringlib.go strFormat: Sprintf gets min(count("%") - count("%%"), #args) arguments;
    // a verb past them is MISSING, and arguments no verb used are printed as EXTRA.
    const npat = fmt.split('%').length - 1 - (fmt.split('%%').length - 1);
    const passed = Math.min(npat, top - 1) + 1;
    // Go takes any character after flags, width and precision as the verb; a final "%" alone
    // is "%!(NOVERB)".
    const re = /%[-+ #0]*\d*(?:\.\d*)?$|%([-+ #0]*)(\d*)(?:\.(\d*))?([\s\S])/g;
    let out = '';
    let last = 0;
    let arg = 1;
    let changed = false;
    const kept: number[] = [];
    let m: RegExpExecArray | null;
    while ((m = re.exec(fmt)) !== null) {
      const [spec, flags, w, p, conv] = m as unknown as [string, string, string, string | undefined, string];
      out += fmt.slice(last, m.index);
      last = m.index + spec.length;
      if (conv === undefined) {
        out += '%%!(NOVERB)';
        changed = true;
        continue;
      }
      if (conv === '%') {
        out += '%%'; // flags and width are ignored for a literal percent
        if (spec !== '%%') changed = true;
        continue;
      }
      arg++;
      const width = w === '' ? undefined : Number(w);
      const prec = p === undefined ? undefined : p === '' ? 0 : Number(p);
      const t = arg <= passed ? lua.lua_type(Ls, arg) : lua.LUA_TNONE;
      let literal: string | undefined;
      if (t === lua.LUA_TNUMBER) {
        literal = goFormatNumber(lua.lua_tonumber(Ls, arg), conv, flags, width, prec);
      } else if (t === lua.LUA_TNONE) {
        // gopher-lua passes the arguments it has to Go's fmt.Sprintf: a verb without one prints
        // Go's "%!<verb>(MISSING)" (stringlib.go strFormat), where Lua raises "no value".
        literal = `%!${conv}(MISSING)`;
      } else if (t === lua.LUA_TSTRING) {
        literal = goFormatString(lua.lua_tolstring(Ls, arg), conv, flags, width, prec);
      } else if (t === lua.LUA_TNIL) {
        // *LNilType: a Stringer ("nil") for the string verbs, else Go prints the empty struct.
        if (conv === 'q') literal = pad('"nil"', flags, width);
        else if (conv === 'v') literal = pad('nil', flags, width);
        else if (conv === 'w') literal = '%!w(*lua.LNilType=&{})';
        else if (conv !== 's') literal = conv === 'x' ? '6e696c' : conv === 'X' ? '6E696C' : '&{}';
      } else if (
        (t === lua.LUA_TTABLE || t === lua.LUA_TFUNCTION || t === lua.LUA_TTHREAD || t === lua.LUA_TUSERDATA) &&
        'svqxX'.includes(conv) &&
        !(conv === 'v' && flags.includes('#'))
      ) {
        // LTable/LFunction/LState String(): "table: 0x..." (gopher-lua's %s does not call
        // __tostring); fmt calls String() for %v %s %q %x %X (fmt/print.go handleMethods).
        const text = gopherKeyString(Ls.stack[Ls.ci.funcOff + arg]);
        literal =
          conv === 's' || conv === 'v'
            ? goPadRunes(text, flags, width, prec)
            : goFormatString(to_luastring(text), conv, flags, width, prec);
      } else if (t === lua.LUA_TBOOLEAN) {
        const b = lua.lua_toboolean(Ls, arg) ? 'true' : 'false';
        if (conv === 'q') literal = pad(`"${b}"`, flags, width);
        else if (conv !== 's') literal = `%!${conv}(lua.LBool=${b})`;
      }
      if (literal === undefined) {
        out += spec;
        kept.push(arg);
      } else {
        out += literal.replace(/%/g, '%%');
        changed = true;
      }
    }
    out += fmt.slice(last);
    if (arg < passed) {
      // fmt's "%!(EXTRA type=value, ...)", each value as %v prints it (String())
      const extra: string[] = [];
      for (let i = arg + 1; i <= passed; i++)
        extra.push(`${GO_LVALUE_TYPES[lua.lua_type(Ls, i)] ?? '*lua.LUserData'}=${gopherKeyString(Ls.stack[Ls.ci.funcOff + i])}`);
      out += `%!(EXTRA ${extra.join(', ')})`.replace(/%/g, '%%');
      changed = true;
    }
    if (!changed) return orig(Ls);
    pushJsString(Ls, out);
    for (const k of kept) lua.lua_pushvalue(Ls, k);
    for (let i = 0; i < top; i++) lua.lua_remove(Ls, 1);
    return orig(Ls);
  };
}

/** The Go type fmt names for an LValue of each Lua type (value.go). */
export const GO_LVALUE_TYPES = [
  '*lua.LNilType',
  'lua.LBool',
  '*lua.LUserData',
  'lua.LNumber',
  'lua.LString',
  '*lua.LTable',
  '*lua.LFunction',
  '*lua.LUserData',
  '*lua.LState',
];
