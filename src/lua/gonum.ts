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
  if (/^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)([eE][+-]?\d+)?$/.test(s) && (!s.includes('_') || underscoreOK(s))) {
    // readFloat: underscores between digits as in Go literals ("1_0.5" is 10.5)
    const v = Number(s.replace(/_/g, ''));
    if (!Number.isFinite(v)) return undefined; // Go returns a range error (tonumber gives nil)
    return v;
  }
  return undefined;
}

/** Go's strconv.ParseInt(s, base, 64); undefined on error. */
function goParseInt(s: string, base: number): number | undefined {
  if (base === 0) return goParseInt0(s); // ParseInt base 0: the prefix picks the base
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
 * leading 0 for octal, underscores between digits), else strconv.ParseFloat; undefined on error.
 */
export function goParseNumber(str: string): number | undefined {
  const s = str.replace(/^[ \t\n]+|[ \t\n]+$/g, '');
  return goParseInt0(s) ?? goParseFloat(s);
}

/** strconv.underscoreOK: underscores only between digits (or after a base prefix), as Go literals allow. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'boxBOX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/**
 * strconv.ParseInt(s, 0, 64): 0x, 0b, 0o prefixes, a leading 0 for octal, underscores between
 * digits ("1_000" is 1000, base 0 only); undefined on error.
 */
function goParseInt0(s: string): number | undefined {
  if (s.includes('_')) {
    if (!underscoreOK(s)) return undefined;
    s = s.replace(/_/g, '');
  }
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[bB]([01]+)|0[oO]([0-7]+)|(0[0-7]*)|([1-9][0-9]*))$/.exec(s);
  if (m) {
    const [, sign, hex, bin, oct, oct0, dec] = m;
    const v =
      hex !== undefined
        ? BigInt(`0x${hex}`)
        : bin !== undefined
          ? BigInt(`0b${bin}`)
          : oct !== undefined
            ? BigInt(`0o${oct}`)
            : oct0 !== undefined
              ? BigInt(`0o${oct0 === '0' ? '0' : oct0.slice(1)}`)
              : BigInt(dec!);
    const signed = sign === '-' ? -v : v;
    if (signed <= 9223372036854775807n && signed >= -9223372036854775808n) return Number(signed);
  }
  return undefined;
}

// ---- Go's math.Pow (math/pow.go), which gopher-lua's `^` and math.pow use (vm.go arith,
// mathlib.go). V8's Math.pow rounds some results differently ((-1e15)^3 is -1e+45 there,
// -1.0000000000000001e+45 in Go): Go multiplies by repeated squaring of Frexp's fraction.

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const SHIFT = 52n;
const MASK = 0x7ffn;
const BIAS = 1023;

function bits(x: number): bigint {
  f64[0] = x;
  return u64[0]!;
}
function fromBits(b: bigint): number {
  u64[0] = b & 0xffffffffffffffffn;
  return f64[0]!;
}
const SMALLEST_NORMAL = 2.2250738585072014e-308;

function frexp(f: number): [number, number] {
  if (f === 0 || !Number.isFinite(f)) return [f, 0];
  let exp = 0;
  if (Math.abs(f) < SMALLEST_NORMAL) {
    f *= 2 ** 52;
    exp = -52;
  }
  let x = bits(f);
  exp += Number((x >> SHIFT) & MASK) - BIAS + 1;
  x &= ~(MASK << SHIFT);
  x |= BigInt(-1 + BIAS) << SHIFT;
  return [fromBits(x), exp];
}

function ldexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac)) return frac;
  if (Math.abs(frac) < SMALLEST_NORMAL) {
    frac *= 2 ** 52;
    exp -= 52;
  }
  let x = bits(frac);
  exp += Number((x >> SHIFT) & MASK) - BIAS;
  if (exp < -1075) return frac < 0 ? -0 : 0;
  if (exp > 1023) return frac < 0 ? -Infinity : Infinity;
  let m = 1;
  if (exp < -1022) {
    exp += 53;
    m = 1 / 2 ** 53;
  }
  x &= ~(MASK << SHIFT);
  x |= BigInt(exp + BIAS) << SHIFT;
  return m * fromBits(x);
}

const isOddInt = (y: number): boolean => {
  if (Math.abs(y) >= 2 ** 53) return false;
  return Number.isInteger(y) && Math.abs(y % 2) === 1;
};

export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 0) {
    if (y < 0) return isOddInt(y) ? (Object.is(x, -0) ? -Infinity : Infinity) : Infinity;
    if (y > 0) return isOddInt(y) ? x : 0;
  }
  if (!Number.isFinite(y)) {
    if (x === -1) return 1;
    if (Math.abs(x) < 1 === (y === Infinity)) return 0;
    return Infinity;
  }
  if (!Number.isFinite(x)) {
    if (x === -Infinity) return goPow(1 / x, -y);
    if (y < 0) return 0;
    if (y > 0) return Infinity;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);
  let yi = Math.trunc(Math.abs(y));
  let yf = Math.abs(y) - yi;
  if (yf !== 0 && x < 0) return Number.NaN;
  if (yi >= 2 ** 63) {
    if (x === -1) return 1;
    if (Math.abs(x) < 1 === y > 0) return 0;
    return Infinity;
  }
  let a1 = 1;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = Math.exp(yf * Math.log(x));
  }
  let [x1, xe] = frexp(x);
  for (let i = yi; i !== 0; i = Math.floor(i / 2)) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if (i % 2 === 1) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe *= 2;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}
