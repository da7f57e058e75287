/**
 * Go's strings.ToLower / strings.ToUpper over the bytes of a Lua string, as gopher-lua's
 * string.lower/upper call them (stringlib.go strLower/strUpper). ASCII-only input maps A-Z
 * only; anything else is decoded as UTF-8 rune by rune (unicode.ToLower/ToUpper), an invalid
 * byte becoming U+FFFD (strings.Map). fengari (C Lua) maps bytes in the C locale, leaving
 * "À" alone.
 */

function decodeRune(b: Uint8Array, i: number): [number, number] {
  const c0 = b[i]!;
  if (c0 < 0x80) return [c0, 1];
  const need = c0 >= 0xf0 && c0 <= 0xf4 ? 3 : c0 >= 0xe0 ? (c0 <= 0xef ? 2 : -1) : c0 >= 0xc2 ? 1 : -1;
  if (need < 0 || i + need > b.length - 1) return [0xfffd, 1];
  let cp = c0 & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
  for (let k = 1; k <= need; k++) {
    const c = b[i + k]!;
    if ((c & 0xc0) !== 0x80) return [0xfffd, 1];
    cp = (cp << 6) | (c & 0x3f);
  }
  // Overlong forms, surrogates and values past U+10FFFF are errors (utf8.DecodeRune).
  if ((need === 2 && cp < 0x800) || (need === 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) return [0xfffd, 1];
  return [cp, need + 1];
}

function mapRune(cp: number, upper: boolean): number {
  const s = String.fromCodePoint(cp);
  const m = upper ? s.toUpperCase() : s.toLowerCase();
  const first = m.codePointAt(0)!;
  if (m.length === s.length || String.fromCodePoint(first) === m) return first;
  // One rune in, one rune out: JavaScript's full mappings (ß -> SS) are not Go's simple ones.
  if (!upper && cp === 0x130) return 0x69;
  return cp;
}

function encodeRune(cp: number, out: number[]): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

export function goCaseMap(b: Uint8Array, upper: boolean): Uint8Array {
  let ascii = true;
  for (let i = 0; i < b.length; i++)
    if (b[i]! >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) {
    const out = new Uint8Array(b.length);
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      out[i] = upper ? (c >= 0x61 && c <= 0x7a ? c - 32 : c) : c >= 0x41 && c <= 0x5a ? c + 32 : c;
    }
    return out;
  }
  const out: number[] = [];
  for (let i = 0; i < b.length; ) {
    const [cp, w] = decodeRune(b, i);
    encodeRune(cp === 0xfffd ? cp : mapRune(cp, upper), out);
    i += w;
  }
  return Uint8Array.from(out);
}

/**
 * A Lua string as encoding/json marshals it (then unmarshals it into Go): each byte that does
 * not start a valid UTF-8 sequence becomes U+FFFD on its own (utf8.DecodeRuneInString width 1).
 */
export function goJsonString(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; ) {
    const [cp, w] = decodeRune(b, i);
    out += String.fromCodePoint(cp);
    i += w;
  }
  return out;
}

/** The byte strings joined into one (the results of gsub and table.concat). */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * stringlib.go luaIndex2StringIndex: a Lua string index (1-based, negative from the end) as a
 * 0-based offset into `len` bytes; `start` for the first index of a range. string.sub and
 * string.find both go through it.
 */
export function luaIndex2StringIndex(len: number, i: number, start: boolean): number {
  if (start && i !== 0) i = i === -9223372036854775808 ? 9223372036854775807 : i - 1; // int64 wraps around
  if (i < 0) i = len + i + 1;
  i = Math.max(0, i);
  if (!start && i > len) i = len;
  return i;
}
