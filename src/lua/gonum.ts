/**
 * Number <-> string conversions the way gopher-lua (Argo CD's Lua engine) does them.
 *
 * gopher-lua keeps every number as a float64 and prints it with
 * `LNumber.String()`: `fmt.Sprint(int64(n))` when the value is whole (and survives the
 * int64 round trip), otherwise `fmt.Sprint(float64(n))`, i.e. Go's `%v`, which is
 * `strconv.FormatFloat(n, 'g', -1, 64)`: shortest digits, exponent form when the decimal
 * exponent is < -4 or >= 6 (the "shortest" rule of strconv), two-digit minimum exponent.
 */

const TWO63 = 9223372036854775808;

/** gopher-lua's `LNumber.String()`. */
export function goNumberString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (Number.isInteger(n) && n >= -TWO63 && n < TWO63) {
    // Above 2^53 JavaScript prints the shortest digits (2^60 as 1152921504606847000), Go the exact int64.
    if (Math.abs(n) <= 9007199254740992) return n === 0 ? '0' : String(n);
    return BigInt(n).toString();
  }
  return goFormatFloatG(n);
}

/** Go's strconv.FormatFloat(n, 'g', -1, 64) for finite n. */
export function goFormatFloatG(n: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const neg = n < 0;
  const e = Math.abs(n).toExponential(); // shortest round-trip digits, e.g. "1.2345e+6"
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e);
  if (!m) return String(n);
  const digits = m[1]! + (m[2] ?? '');
  const exp = Number(m[3]);
  let out: string;
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ae = Math.abs(exp);
    out = `${mant}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else {
    const intLen = exp + 1;
    if (digits.length <= intLen) out = digits + '0'.repeat(intLen - digits.length);
    else out = `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  }
  return neg ? `-${out}` : out;
}

/** Go's strconv.ParseFloat(s, 64) for the decimal forms a health script meets; undefined when Go would fail. */
function goParseFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (/^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)([eE][+-]?\d+)?$/.test(s) && !s.includes('_')) {
    const v = Number(s);
    if (!Number.isFinite(v)) return undefined; // Go returns a range error (tonumber gives nil)
    return v;
  }
  return undefined;
}

/** Go's strconv.ParseInt(s, base, 64); undefined on error. */
function goParseInt(s: string, base: number): number | undefined {
  if (base < 2 || base > 36) return undefined;
  let body = s;
  let neg = false;
  if (body.startsWith('+') || body.startsWith('-')) {
    neg = body.startsWith('-');
    body = body.slice(1);
  }
  if (body === '') return undefined;
  let v = 0n;
  const b = BigInt(base);
  for (const ch of body.toLowerCase()) {
    const d = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch >= 'a' && ch <= 'z' ? ch.charCodeAt(0) - 87 : 99;
    if (d >= base) return undefined;
    v = v * b + BigInt(d);
  }
  if (neg) v = -v;
  if (v > 9223372036854775807n || v < -9223372036854775808n) return undefined;
  return Number(v);
}

/** gopher-lua's `tonumber(s [, base])` for a string argument. */
export function goToNumber(str: string, base = 10): number | undefined {
  const s = str.replace(/^[ \n\t]+|[ \n\t]+$/g, '');
  if (s.includes('.')) return goParseFloat(s);
  return goParseInt(s, base);
}

/**
 * gopher-lua's parseNumber (utils.go): strconv.ParseInt(s, 0, 64) (0x, 0o, 0b prefixes, a
 * leading 0 for octal), else strconv.ParseFloat; undefined on error. Underscores are not
 * accepted here.
 */
export function goParseNumber(str: string): number | undefined {
  const s = str.replace(/^[ \t\n]+|[ \t\n]+$/g, '');
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|(0[0-7]*)|([1-9][0-9]*))$/.exec(s);
  if (m) {
    const [, sign, hex, bin, oct, oct0, dec] = m;
    const v = hex !== undefined ? BigInt(`0x${hex}`) : bin !== undefined ? BigInt(`0b${bin}`) : oct !== undefined ? BigInt(`0o${oct}`) : oct0 !== undefined ? BigInt(`0o${oct0 === '0' ? '0' : oct0.slice(1)}`) : BigInt(dec!);
    const signed = sign === '-' ? -v : v;
    if (signed <= 9223372036854775807n && signed >= -9223372036854775808n) return Number(signed);
  }
  return goParseFloat(s);
}
