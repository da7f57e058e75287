/**
 * A fast reader for the plain YAML that Kubernetes objects are usually written in: block
 * mappings and sequences, plain and quoted scalars (also continued on more indented lines, as
 * recorded status messages often are), literal/folded block scalars, `[]`/`{}`, one-line flow
 * lists of plain scalars, comments, a leading `---`, and several documents (the first is
 * returned).
 *
 * It either returns exactly what js-yaml's YAML 1.2 core schema would return, or `undefined`
 * ("not sure"): anchors, tags, other flow collections, multi-line keys, keys that are not
 * plain strings, numbers outside the JSON shape, tabs, CR line ends, whitespace other than
 * spaces, non-printable characters, duplicate keys, `<<` and `__proto__` all make it give up,
 * and so do multi-line scalars in shapes it is not sure of (see plainLines, quotedNextLine);
 * the caller falls back to js-yaml.
 *
 * Parsing thousands of files is where `wavegate check` (component files) and `wavegate
 * health test` (recorded objects) spend their time, so the reader scans the text by index:
 * no line array, no per-line objects, and a substring only for a key or a value it returns
 * (see bench/optimisations.md for numbers). Its answers are checked against js-yaml's in
 * test/fastyaml.test.ts.
 */

class Bail extends Error {}
const BAIL = new Bail();

/**
 * Characters that make the reader give up on the whole text: whitespace other than space and
 * line feed (tab, CR, NBSP, BOM, U+2028 and the like, which YAML and String.prototype.trim
 * see differently), and what js-yaml refuses as non-printable (C0/C1 controls, lone
 * surrogates: with the `u` flag a surrogate pair is one code point outside the class).
 */
const GIVE_UP_RE = /[\0-\x09\x0b-\x1f\x7f-\x9f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ud800-\udfff\ufeff\ufffe\uffff]/u;

const NUMBER_RE = /^-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;
// What js-yaml's core schema could read as an int or a float (a superset: when in doubt, bail).
const INT_LIKE_RE = /^[-+]?(?:0b[0-1_]+|0x[0-9a-fA-F_]+|0o[0-7_]+|[0-9][0-9_]*)$/;
const FLOAT_LIKE_RE =
  /^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const SPACE = 32;
const NL = 10;
const HASH = 35; // #
const COLON = 58;
const DASH = 45;
const DQUOTE = 34;
const SQUOTE = 39;

/** Characters a plain scalar cannot start with: [ ] { } # & * ! | > ' " % @ ` , ? : */
const NOT_PLAIN_START = new Uint8Array(128);
for (const ch of '[]{}#&*!|>\'"%@`,?:') NOT_PLAIN_START[ch.charCodeAt(0)] = 1;

function resolvePlain(s: string): unknown {
  // Most keys and values start with a letter: null, true, false or a string (the numeric
  // patterns below all start with a digit, a sign or a dot), so the regular expressions are skipped.
  const c = s.charCodeAt(0) | 32;
  if (c >= 97 && c <= 122) {
    if (c === 110 /* n */) {
      if (s === 'null' || s === 'Null' || s === 'NULL') return null;
    } else if (c === 116 /* t */) {
      if (s === 'true' || s === 'True' || s === 'TRUE') return true;
    } else if (c === 102 /* f */) {
      if (s === 'false' || s === 'False' || s === 'FALSE') return false;
    }
    return s;
  }
  if (s === '' || s === '~') return null;
  if (NUMBER_RE.test(s)) {
    const n = Number(s);
    if (n === 0 && s.startsWith('-')) throw BAIL; // -0: js-yaml's int and float rules differ on the sign
    return n;
  }
  if (INT_LIKE_RE.test(s) || FLOAT_LIKE_RE.test(s)) throw BAIL; // 0x1F, 0o7, 1_000, .inf, 007: leave to js-yaml
  return s;
}

/** Bails unless s[p, end) may start a plain scalar (not an indicator, not `- `). */
function checkPlainStart(s: string, p: number, end: number): void {
  const c = s.charCodeAt(p);
  if (c < 128 && NOT_PLAIN_START[c] === 1) throw BAIL;
  if (c === DASH && (p + 1 === end || s.charCodeAt(p + 1) === SPACE)) throw BAIL;
}

/**
 * Keys read recently, KEY_WAYS per bucket (by their first two characters), most recent first.
 * A line that starts with one of them followed by `: ` (or a `:` ending the line) has that key:
 * the key was checked when it was first read, and no earlier `: ` or ` #` can be inside it.
 * Component files and Kubernetes objects repeat a few dozen keys; a hit needs no scan and no
 * new string. Empty slots hold a line feed, which no key starts with.
 */
const KEY_WAYS = 4;
const KEY_CACHE: string[] = new Array<string>(512 * KEY_WAYS).fill('\n');

/**
 * A one-line flow sequence of plain scalars (`[username, password]`, `[1, 2]`), as js-yaml
 * reads it. Anything else in brackets (quotes, nesting, mappings, comments, anchors, tags,
 * empty items, a trailing comma) is left to js-yaml.
 */
const FLOW_LIST_RE = /^\[([^[\]{}#'"&*!|>%@`?:,]+(?:,[^[\]{}#'"&*!|>%@`?:,]+)*)\] *$/;

function flowList(t: string): unknown[] {
  const m = FLOW_LIST_RE.exec(t);
  if (!m) throw BAIL;
  return m[1]!.split(',').map((raw) => {
    const item = raw.trim();
    if (item === '') throw BAIL;
    checkPlainStart(item, 0, item.length);
    return resolvePlain(item);
  });
}

/**
 * Reads the text line by line through a cursor: `pos` is the start of the current line and,
 * once `ready`, `cs`/`ind`/`le` describe its content (first non-space character, its column,
 * the line's end). After `- ` the cursor is moved onto the item's text within the same line
 * (`- key: v`, `- - x`), which then reads as a line of its own at that column.
 */
class Parser {
  private readonly s: string;
  private end: number; // the document ends before this offset: a `---`/`...` line once met, or the text's end
  private markers = false; // whether a `---`/`...` line ends the document (not before the first line is read)
  private pos = 0;
  private ready = false;
  private cs = 0;
  private ind = 0;
  private le = 0;
  // keyOf's answer for the text starting at keyAt: the key and the offset after its colon (-1: no key)
  private keyAt = -1;
  private key = '';
  private afterKey = -1;
  private qEnd = 0; // offset after the closing quote of the last quoted scalar read
  private qLe = 0; // the end of the line holding that closing quote (past the start line: a multi-line scalar)
  private qBreaks = 0; // line breaks quotedNextLine skipped
  private cut = false; // whether the last plainScalar stopped at a ` #` comment
  // the first `:` and the first `#` at or after an offset asked before (s.length: none); reused
  // while the offsets asked lie between, so each is found by about one native scan of the text
  private colonFrom = 1;
  private colonAt = 0;
  private hashFrom = 1;
  private hashAt = 0;

  constructor(text: string) {
    this.s = text;
    this.end = text.length;
  }

  parseDocument(): unknown {
    const s = this.s;
    // leading `---` (optionally followed by a comment only), or a directive (`%YAML`): js-yaml
    if (this.skipBlank()) {
      const cs = this.cs;
      if (this.ind === 0 && s.startsWith('---', cs)) {
        if (this.le === cs + 3 || s.startsWith(' #', cs + 3)) this.consume();
        else throw BAIL;
      } else if (s.charCodeAt(cs) === 37 /* % */) throw BAIL;
    }
    // from here, the document ends at the next `---` or `...` line (the current line may be one)
    this.markers = true;
    this.ready = false;
    if (!this.skipBlank()) {
      if (this.end < s.length) throw BAIL; // empty first document: the caller wants the next one
      return null;
    }
    if (this.ind !== 0) throw BAIL;
    const v = this.parseBlock(0);
    if (this.skipBlank()) throw BAIL;
    return v;
  }

  /** The line at `q` is `---` or `...`, alone or before a space. */
  private isMarker(q: number): boolean {
    const s = this.s;
    if (!s.startsWith('---', q) && !s.startsWith('...', q)) return false;
    const c = s.charCodeAt(q + 3);
    return q + 3 === s.length || c === NL || c === SPACE;
  }

  /**
   * Moves to the next line with content (not blank, not only a comment) before the document's
   * end and describes it; false at the end. Does nothing when the current line is described.
   * Every line outside block scalars passes here, so this is where `---`/`...` end the document
   * (inside a block scalar they end it too: they are not indented).
   */
  private skipBlank(): boolean {
    if (this.ready) return true;
    const s = this.s;
    let p = this.pos;
    while (p < this.end) {
      let q = p;
      while (s.charCodeAt(q) === SPACE) q++;
      let le = s.indexOf('\n', q);
      if (le < 0) le = s.length;
      const c = s.charCodeAt(q);
      if (q < le && c !== HASH) {
        if (q === p && (c === DASH || c === 46) /* . */ && this.markers && this.isMarker(p)) {
          this.end = p;
          break;
        }
        this.pos = p;
        this.cs = q;
        this.ind = q - p;
        this.le = le;
        this.ready = true;
        return true;
      }
      p = le + 1;
    }
    this.pos = p;
    return false;
  }

  /** Past the current line. */
  private consume(): void {
    this.pos = this.le + 1;
    this.ready = false;
  }

  /** Offset of the first `:` at or after `p`, or the text's length. */
  private nextColon(p: number): number {
    if (p < this.colonFrom || p > this.colonAt) {
      const i = this.s.indexOf(':', p);
      this.colonFrom = p;
      this.colonAt = i < 0 ? this.s.length : i;
    }
    return this.colonAt;
  }

  /** Offset of the first `#` at or after `p`, or the text's length. */
  private nextHash(p: number): number {
    if (p < this.hashFrom || p > this.hashAt) {
      const i = this.s.indexOf('#', p);
      this.hashFrom = p;
      this.hashAt = i < 0 ? this.s.length : i;
    }
    return this.hashAt;
  }

  /** The current text is `-` or starts with `- `. */
  private isDash(): boolean {
    const s = this.s;
    const cs = this.cs;
    return s.charCodeAt(cs) === DASH && (cs + 1 === this.le || s.charCodeAt(cs + 1) === SPACE);
  }

  /** A mapping or sequence starting at the current line, whose lines have exactly `indent`. */
  private parseBlock(indent: number): unknown {
    if (this.isDash()) return this.parseSeq(indent);
    if (this.keyOf()) return this.parseMap(indent);
    throw BAIL; // a bare scalar document or something unusual
  }

  /**
   * Whether the current text is `key: value` (or `key:` at the line's end); sets `key` and
   * `afterKey`. Asked up to three times for the first line of a mapping: answered once.
   */
  private keyOf(): boolean {
    const s = this.s;
    const cs = this.cs;
    const le = this.le;
    if (this.keyAt === cs) return this.afterKey >= 0;
    this.keyAt = cs;
    this.afterKey = -1;
    const c = s.charCodeAt(cs);
    if (c === DQUOTE || c === SQUOTE) {
      // a key is on one line: a quote not closed on it is no key (perhaps a multi-line value)
      const key = c === DQUOTE ? this.doubleQuoted(cs, le, -1) : this.singleQuoted(cs, le, -1);
      if (key === undefined) return false;
      const r = this.qEnd;
      if (s.charCodeAt(r) !== COLON || (r + 1 < le && s.charCodeAt(r + 1) !== SPACE)) return false;
      if (key === '__proto__') throw BAIL; // js-yaml defines an own property; assignment would not
      this.key = key;
      this.afterKey = r + 1;
      return true;
    }
    const bucket = (((c << 5) ^ s.charCodeAt(cs + 1)) & 511) * KEY_WAYS;
    for (let b = bucket; b < bucket + KEY_WAYS; b++) {
      const key = KEY_CACHE[b]!;
      const n = cs + key.length;
      if (s.charCodeAt(n) === COLON && (n + 1 === le || s.charCodeAt(n + 1) === SPACE) && s.startsWith(key, cs)) {
        this.key = key;
        this.afterKey = n + 1;
        return true;
      }
    }
    // a plain key ends at the first `: ` (or a `:` ending the line); ` #` before it: a comment, no key
    if (this.nextColon(cs) >= le) return false;
    for (let j = cs; j < le; j++) {
      const ch = s.charCodeAt(j);
      if (ch === COLON) {
        if (j + 1 === le || s.charCodeAt(j + 1) === SPACE) {
          if (j === cs || s.charCodeAt(j - 1) === SPACE) throw BAIL; // empty key, `a : b`
          checkPlainStart(s, cs, j);
          const key = s.slice(cs, j);
          if (resolvePlain(key) !== key) throw BAIL; // true:, 1:, null: keys
          if (key === '<<' || key === '__proto__') throw BAIL;
          KEY_CACHE.copyWithin(bucket + 1, bucket, bucket + KEY_WAYS - 1);
          KEY_CACHE[bucket] = key;
          this.key = key;
          this.afterKey = j + 1;
          return true;
        }
      } else if (ch === HASH && j > cs && s.charCodeAt(j - 1) === SPACE) {
        return false;
      }
    }
    return false;
  }

  private parseMap(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (this.skipBlank() && this.ind >= indent) {
      if (this.ind > indent || !this.keyOf()) throw BAIL;
      const key = this.key;
      if (Object.hasOwn(out, key)) throw BAIL;
      const rest = this.afterKey;
      const le = this.le;
      this.consume();
      out[key] = this.parseValue(rest, le, indent, true);
    }
    return out;
  }

  private parseSeq(indent: number): unknown[] {
    const out: unknown[] = [];
    const s = this.s;
    while (this.skipBlank() && this.ind >= indent) {
      if (this.ind > indent) throw BAIL;
      if (!this.isDash()) break; // end (e.g. the next key of a parent map)
      const le = this.le;
      let p = this.cs + 1;
      while (s.charCodeAt(p) === SPACE) p++;
      if (p === le || s.charCodeAt(p) === HASH) {
        this.consume();
        const item = this.parseNested(indent, false);
        // after an empty item js-yaml reads a less indented `- ` line as this sequence's next item
        if (item === null && this.skipBlank() && this.ind < indent && this.isDash()) throw BAIL;
        out.push(item);
        continue;
      }
      // "- key: v" / "- - x": the item is a block starting at the text's column
      this.cs = p;
      this.ind = p - this.pos;
      if (this.isDash() || this.keyOf()) {
        out.push(this.parseBlock(this.ind));
        continue;
      }
      this.consume();
      out.push(this.parseValue(p, le, indent, false));
    }
    // A copy of exactly its length: an array grown by push keeps spare capacity (a one-item
    // list holds 17 slots), and parsed catalogs stay in memory, so the spare slots would be a
    // large share of the parsed data and of what every garbage collection copies.
    return out.slice();
  }

  /**
   * Value after `key:` or `- ` on the line just consumed (from `p` to the line's end `le`),
   * possibly continuing below.
   */
  private parseValue(p: number, le: number, parentIndent: number, inMap: boolean): unknown {
    const s = this.s;
    while (s.charCodeAt(p) === SPACE) p++;
    if (p === le || s.charCodeAt(p) === HASH) return this.parseNested(parentIndent, inMap);
    let v: unknown;
    const c = s.charCodeAt(p);
    if (c === 124 /* | */ || c === 62 /* > */) return this.blockScalar(p, le, parentIndent);
    if (c === DQUOTE || c === SQUOTE) {
      v = c === DQUOTE ? this.doubleQuoted(p, le, parentIndent) : this.singleQuoted(p, le, parentIndent);
      const ql = this.qLe;
      if (!this.blankOrComment(this.qEnd, ql)) throw BAIL;
      if (ql !== le) this.pos = ql + 1; // past the closing quote's line (the start line is consumed)
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      // `[]` or `{}`, then nothing or ` # comment`
      if (s.charCodeAt(p + 1) === c + 2 && s.charCodeAt(p + 2) !== HASH && this.blankOrComment(p + 2, le)) v = c === 91 ? [] : {};
      else if (c === 91) v = flowList(s.slice(p, le));
      else throw BAIL;
    } else {
      const first = this.plainScalar(p, le);
      // after a comment the scalar cannot go on: a more indented line below is js-yaml's to refuse
      v = this.cut ? resolvePlain(first) : this.plainLines(first, le, parentIndent);
    }
    // a more indented line after the value: js-yaml refuses it, or reads what is not handled here
    if (this.skipBlank() && this.ind > parentIndent) throw BAIL;
    return v;
  }

  /** Only spaces, then the line's end or a `#` comment, from `q` to `le`. */
  private blankOrComment(q: number, le: number): boolean {
    const s = this.s;
    while (s.charCodeAt(q) === SPACE) q++;
    return q >= le || s.charCodeAt(q) === HASH;
  }

  /** A one-line plain scalar from `p`: up to a ` #` comment, trimmed; bails on `: ` inside or a `:` at its end. */
  private plainScalar(p: number, le: number): string {
    const s = this.s;
    checkPlainStart(s, p, le);
    let end = le;
    this.cut = false;
    if (this.nextColon(p) >= le) {
      // no `:` on the line (most values): only a ` #` comment may end it early
      let j = this.nextHash(p + 1);
      while (j < le && s.charCodeAt(j - 1) !== SPACE) j = this.nextHash(j + 1);
      if (j < le) {
        end = j - 1;
        this.cut = true;
      }
    } else {
      for (let j = p; j < le; j++) {
        const ch = s.charCodeAt(j);
        if (ch === HASH && s.charCodeAt(j - 1) === SPACE) {
          end = j - 1;
          this.cut = true;
          break;
        }
        if (ch === COLON && (j + 1 === le || s.charCodeAt(j + 1) === SPACE)) throw BAIL;
      }
    }
    while (s.charCodeAt(end - 1) === SPACE) end--;
    return s.slice(p, end);
  }

  /** Nothing after the indicator: the value is the block below, or null. */
  private parseNested(parentIndent: number, inMap: boolean): unknown {
    if (!this.skipBlank()) return null;
    if (this.ind > parentIndent) return this.parseBlock(this.ind);
    // "key:\n- a" (sequence at the key's own indentation)
    if (inMap && this.ind === parentIndent && this.isDash()) return this.parseSeq(parentIndent);
    return null;
  }

  /**
   * The plain scalar whose first line (`first`, trimmed) ends at `le`, continued on the lines
   * below that are indented more than the parent, folded as js-yaml folds them: the line break
   * between two text lines is a space, each blank line between them a line feed, and the lines'
   * leading and trailing spaces go. A more indented comment line ends the scalar (js-yaml stops
   * there too; a text line after it is refused by the check after the value). Gives up on a
   * continuation line that starts like an indicator (`- `, `? `, `: `, a quote, a bracket, `&`,
   * ...) or holds `: `, ` #` or a `:` at its end, and on a joined text that would not be a
   * string. Returns the value, resolved.
   */
  private plainLines(first: string, le: number, parentIndent: number): unknown {
    const s = this.s;
    let out = first;
    let breaks = 1; // line breaks since the last text line
    let after = -1; // start of the line after the last continuation line
    let q = le + 1;
    while (q < this.end) {
      let n = q;
      while (s.charCodeAt(n) === SPACE) n++;
      if (n >= s.length || s.charCodeAt(n) === NL) {
        breaks++;
        q = n + 1;
        continue;
      }
      if (n - q <= parentIndent || s.charCodeAt(n) === HASH) break;
      let e = s.indexOf('\n', n);
      if (e < 0) e = s.length;
      checkPlainStart(s, n, e);
      for (let j = n; j < e; j++) {
        const ch = s.charCodeAt(j);
        if (ch === COLON && (j + 1 === e || s.charCodeAt(j + 1) === SPACE)) throw BAIL;
        if (ch === HASH && s.charCodeAt(j - 1) === SPACE) throw BAIL;
      }
      let t = e;
      while (s.charCodeAt(t - 1) === SPACE) t--;
      out += (breaks === 1 ? ' ' : '\n'.repeat(breaks - 1)) + s.slice(n, t);
      breaks = 1;
      q = after = e + 1;
    }
    if (after < 0) return resolvePlain(first);
    if (resolvePlain(out) !== out) throw BAIL;
    this.pos = after; // the first line is consumed already
    this.ready = false;
    return out;
  }

  /**
   * Inside a quoted scalar, past the line break at `le`: skips blank lines to the next line's
   * text, which must be indented more than the parent (js-yaml only warns about less, and ends
   * the document at a `---` line); sets `qLe` to that line's end and `qBreaks` to the line
   * breaks passed. Gives up at the document's end (the quote is not closed).
   */
  private quotedNextLine(le: number, parentIndent: number): number {
    const s = this.s;
    let breaks = 0;
    let q = le;
    for (;;) {
      if (q >= this.end) throw BAIL;
      breaks++;
      q++;
      let n = q;
      while (s.charCodeAt(n) === SPACE) n++;
      if (n >= this.end) throw BAIL;
      if (s.charCodeAt(n) === NL) {
        q = n;
        continue;
      }
      if (n - q <= parentIndent) throw BAIL;
      let e = s.indexOf('\n', n);
      if (e < 0) e = s.length;
      this.qLe = e;
      this.qBreaks = breaks;
      return n;
    }
  }

  /**
   * The double-quoted scalar at `p`; sets `qEnd` and `qLe`. With a parent indentation of -1
   * (a key) it must close on its line (undefined if not); otherwise it may go on over lines
   * indented more than the parent: a line break folds as in a plain scalar (the line's trailing
   * spaces go), and an escaped one (`\` at the line's end) joins the lines without a space.
   */
  private doubleQuoted(p: number, le: number, parentIndent: number): string | undefined {
    const s = this.s;
    let out = '';
    let from = p + 1; // start of the characters not yet copied to `out`
    let j = from;
    for (;;) {
      if (j >= le) {
        if (parentIndent < 0) return undefined;
        let t = j;
        while (t > from && s.charCodeAt(t - 1) === SPACE) t--;
        out += s.slice(from, t);
        j = from = this.quotedNextLine(le, parentIndent);
        le = this.qLe;
        out += this.qBreaks === 1 ? ' ' : '\n'.repeat(this.qBreaks - 1);
        continue;
      }
      const ch = s.charCodeAt(j);
      if (ch === DQUOTE) {
        this.qEnd = j + 1;
        this.qLe = le;
        return out + s.slice(from, j);
      }
      if (ch !== 92 /* \ */) {
        j++;
        continue;
      }
      out += s.slice(from, j);
      switch (s[j + 1]) {
        case '\\':
          out += '\\';
          break;
        case '"':
          out += '"';
          break;
        case '/':
          out += '/';
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          const hex = s.slice(j + 2, Math.min(j + 6, le));
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw BAIL;
          const code = parseInt(hex, 16);
          if (code >= 0xd800 && code <= 0xdfff) throw BAIL;
          out += String.fromCharCode(code);
          j += 4;
          break;
        }
        case '\n':
          // an escaped line break; blank lines after it are line feeds to YAML but dropped by
          // js-yaml: those are left to js-yaml
          if (parentIndent < 0) return undefined;
          j = from = this.quotedNextLine(j + 1, parentIndent);
          if (this.qBreaks !== 1) throw BAIL;
          le = this.qLe;
          continue;
        default:
          throw BAIL;
      }
      j += 2;
      from = j;
    }
  }

  /**
   * The single-quoted scalar at `p` (`''` is a quote); sets `qEnd` and `qLe`. Closed on its
   * line or, unless the parent indentation is -1 (a key: undefined), continued below with line
   * breaks folded as in a double-quoted scalar.
   */
  private singleQuoted(p: number, le: number, parentIndent: number): string | undefined {
    const s = this.s;
    let out = '';
    let from = p + 1;
    for (let j = from; ; j++) {
      if (j >= le) {
        if (parentIndent < 0) return undefined;
        let t = j;
        while (t > from && s.charCodeAt(t - 1) === SPACE) t--;
        out += s.slice(from, t);
        from = this.quotedNextLine(le, parentIndent);
        le = this.qLe;
        out += this.qBreaks === 1 ? ' ' : '\n'.repeat(this.qBreaks - 1);
        j = from - 1;
        continue;
      }
      if (s.charCodeAt(j) !== SQUOTE) continue;
      if (s.charCodeAt(j + 1) === SQUOTE) {
        // `''` is one quote
        out += s.slice(from, j + 1);
        j++;
        from = j + 1;
        continue;
      }
      this.qEnd = j + 1;
      this.qLe = le;
      return out + s.slice(from, j);
    }
  }

  /** `|`/`>` (optionally `-`) at `p` on the line just consumed, and the lines below that belong to it. */
  private blockScalar(p: number, le: number, parentIndent: number): string {
    const s = this.s;
    const folded = s.charCodeAt(p) === 62;
    let h = p + 1;
    const strip = s.charCodeAt(h) === DASH;
    if (strip) h++;
    // keep-chomping (+) and indentation indicators: js-yaml; a comment needs a space before it
    if (s.charCodeAt(h) === HASH || !this.blankOrComment(h, le)) throw BAIL;
    // content lines: blank lines and lines indented more than the parent
    const lines: string[] = []; // '' for a blank line
    let contentIndent = -1;
    let q = this.pos; // start of the line after the header
    while (q < this.end) {
      let n = q;
      while (s.charCodeAt(n) === SPACE) n++;
      let e = s.indexOf('\n', n);
      if (e < 0) e = s.length;
      if (n === e) {
        // spaces beyond the content's indentation are content to js-yaml: leave those to it
        if (contentIndent >= 0 && n - q > contentIndent) throw BAIL;
        lines.push('');
        q = e + 1;
        continue;
      }
      const indent = n - q;
      if (indent <= parentIndent) break;
      if (contentIndent < 0) {
        if (lines.length > 0) throw BAIL; // leading blank lines: leave to js-yaml
        contentIndent = indent;
      }
      if (indent < contentIndent) throw BAIL;
      lines.push(s.slice(q + contentIndent, e));
      q = e + 1;
    }
    if (contentIndent < 0) throw BAIL; // empty block scalar: leave to js-yaml
    if (s.charCodeAt(s.length - 1) !== NL && q > s.lastIndexOf('\n')) throw BAIL; // reaches the last line, which has no line break
    this.pos = q;
    this.ready = false;
    // trailing blank lines belong to chomping (clip and strip drop them)
    let last = lines.length;
    while (last > 0 && lines[last - 1] === '') last--;
    lines.length = last;
    let text: string;
    if (folded) {
      if (lines.some((x) => x === '' || x.charCodeAt(0) === SPACE)) throw BAIL;
      text = lines.join(' ');
    } else {
      text = lines.join('\n');
    }
    return strip ? text : `${text}\n`;
  }
}

/** The first document of `text` as js-yaml (core schema) reads it, or undefined when unsure. */
export function fastYaml(text: string): unknown {
  if (GIVE_UP_RE.test(text)) return undefined;
  try {
    return new Parser(text).parseDocument();
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}
