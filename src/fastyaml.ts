/**
 * A fast reader for the plain YAML that Kubernetes objects are usually written in: block
 * mappings and sequences, single-line plain and quoted scalars, literal/folded block scalars,
 * `[]`/`{}`, comments, a leading `---`, and several documents (the first is returned).
 *
 * It either returns exactly what js-yaml's YAML 1.2 core schema would return, or `undefined`
 * ("not sure"): anchors, tags, flow collections with content, multi-line flow scalars, keys
 * that are not plain strings, numbers outside the JSON shape, tabs, CR line ends, duplicate
 * keys, `<<` and `__proto__` all make it give up, and the caller falls back to js-yaml.
 * Parsing thousands of files is where `wavegate check` (component files) and `wavegate
 * health test` (recorded objects) spend their time; this is faster than js-yaml on them
 * (about 1.3-2x, see bench/optimisations.md) and its answers are checked against js-yaml's
 * in test/fastyaml.test.ts.
 */

class Bail extends Error {}
const BAIL = new Bail();

interface Line {
  indent: number;
  text: string; // content after indentation (raw, comments included)
}

const NUMBER_RE = /^-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;
// What js-yaml's core schema could read as an int or a float (a superset: when in doubt, bail).
const INT_LIKE_RE = /^[-+]?(?:0b[0-1_]+|0x[0-9a-fA-F_]+|0o[0-7_]+|[0-9][0-9_]*)$/;
const FLOAT_LIKE_RE = /^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function resolvePlain(s: string): unknown {
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  // Most keys and values start with a letter: never a number (the numeric patterns below all
  // start with a digit, a sign or a dot), so the regular expressions are skipped.
  const c = s.charCodeAt(0) | 32;
  if (c >= 97 && c <= 122) return s;
  if (NUMBER_RE.test(s)) {
    const n = Number(s);
    if (n === 0 && s.startsWith('-')) throw BAIL; // -0: js-yaml's int and float rules differ on the sign
    return n;
  }
  if (INT_LIKE_RE.test(s) || FLOAT_LIKE_RE.test(s)) throw BAIL; // 0x1F, 0o7, 1_000, .inf, 007: leave to js-yaml
  return s;
}

function checkPlainStart(s: string): void {
  const c = s.charCodeAt(0);
  // [ ] { } # & * ! | > ' " % @ ` , ? :
  if ('[]{}#&*!|>\'"%@`,?:'.includes(s[0]!)) throw BAIL;
  if (c === 45 /* - */ && (s.length === 1 || s[1] === ' ')) throw BAIL;
}

/** Strips a trailing comment from a plain scalar and trims; bails on `: ` inside. */
function plainValue(raw: string): string {
  let end = raw.length;
  const hash = raw.indexOf(' #');
  if (hash >= 0) end = hash;
  const v = raw.slice(0, end).trim();
  if (v.includes(': ') || v.endsWith(':') || v.includes('\t')) throw BAIL;
  return v;
}

function afterQuoted(rest: string): void {
  const t = rest.trim();
  if (t !== '' && !t.startsWith('#')) throw BAIL;
}

function doubleQuoted(s: string): { value: string; rest: string } {
  let out = '';
  let i = 1;
  for (;;) {
    if (i >= s.length) throw BAIL; // multi-line: not handled
    const ch = s[i]!;
    if (ch === '"') return { value: out, rest: s.slice(i + 1) };
    if (ch === '\\') {
      const e = s[i + 1];
      switch (e) {
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
          const hex = s.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw BAIL;
          const code = parseInt(hex, 16);
          if (code >= 0xd800 && code <= 0xdfff) throw BAIL;
          out += String.fromCharCode(code);
          i += 4;
          break;
        }
        default:
          throw BAIL;
      }
      i += 2;
      continue;
    }
    out += ch;
    i++;
  }
}

function singleQuoted(s: string): { value: string; rest: string } {
  let out = '';
  let i = 1;
  for (;;) {
    if (i >= s.length) throw BAIL;
    const ch = s[i]!;
    if (ch === "'") {
      if (s[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return { value: out, rest: s.slice(i + 1) };
    }
    out += ch;
    i++;
  }
}

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
    checkPlainStart(item);
    return resolvePlain(item);
  });
}

class Parser {
  private i = 0;
  private readonly lines: (Line | null)[]; // null: blank or comment-only line
  private readonly raw: string[];
  private end: number;
  private readonly endsWithNewline: boolean;

  constructor(text: string) {
    this.endsWithNewline = text.endsWith('\n');
    this.raw = text.split('\n');
    this.lines = this.raw.map((r) => {
      let n = 0;
      while (n < r.length && r.charCodeAt(n) === 32) n++;
      const t = r.slice(n);
      if (t === '' || t.startsWith('#')) return null;
      return { indent: n, text: t };
    });
    this.end = this.lines.length;
  }

  parseDocument(): unknown {
    // leading `---` (optionally the only content of its line)
    this.skipBlank();
    const first = this.peek();
    if (first && first.indent === 0 && (first.text === '---' || first.text.startsWith('--- #'))) this.i++;
    else if (first && first.indent === 0 && first.text.startsWith('---')) throw BAIL;
    if (first && first.text.startsWith('%')) throw BAIL;
    // the document ends at the next `---` or `...` at column 0
    for (let k = this.i; k < this.lines.length; k++) {
      const l = this.lines[k];
      if (l && l.indent === 0 && (l.text === '---' || l.text.startsWith('--- ') || l.text === '...' || l.text.startsWith('... '))) {
        this.end = k;
        break;
      }
    }
    this.skipBlank();
    const l = this.peek();
    if (!l) {
      if (this.end < this.lines.length) throw BAIL; // empty first document: the caller wants the next one
      return null;
    }
    if (l.indent !== 0) throw BAIL;
    const v = this.parseBlock(0);
    this.skipBlank();
    if (this.i < this.end) throw BAIL;
    return v;
  }

  private peek(): Line | undefined {
    return this.i < this.end ? (this.lines[this.i] ?? undefined) : undefined;
  }

  private skipBlank(): void {
    while (this.i < this.end && this.lines[this.i] === null) this.i++;
  }

  /** A mapping or sequence starting at the current line, whose lines have exactly `indent`. */
  private parseBlock(indent: number): unknown {
    const l = this.peek()!;
    if (l.text === '-' || l.text.startsWith('- ')) return this.parseSeq(indent);
    if (this.keyOf(l.text) !== undefined) return this.parseMap(indent);
    throw BAIL; // a bare scalar document or something unusual
  }

  /** Key of a `key: value` line and the rest after the colon, or undefined. */
  private keyOf(text: string): { key: string; rest: string } | undefined {
    const c = text[0];
    if (c === '"' || c === "'") {
      const q = c === '"' ? doubleQuoted(text) : singleQuoted(text);
      if (q.rest.startsWith(':') && (q.rest.length === 1 || q.rest[1] === ' ')) return { key: q.value, rest: q.rest.slice(1) };
      return undefined;
    }
    let idx = text.indexOf(': ');
    if (idx < 0) {
      if (text.endsWith(':')) idx = text.length - 1;
      else return undefined;
    }
    const key = text.slice(0, idx);
    const hash = key.indexOf(' #');
    if (hash >= 0) return undefined;
    if (key.trim() !== key || key === '') throw BAIL;
    checkPlainStart(key);
    if (resolvePlain(key) !== key) throw BAIL; // true:, 1:, null: keys
    if (key === '<<' || key === '__proto__') throw BAIL;
    return { key, rest: text.slice(idx + 1) };
  }

  private parseMap(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (;;) {
      this.skipBlank();
      const l = this.peek();
      if (!l || l.indent < indent) return out;
      if (l.indent > indent) throw BAIL;
      const kv = this.keyOf(l.text);
      if (!kv) throw BAIL;
      if (Object.prototype.hasOwnProperty.call(out, kv.key)) throw BAIL;
      this.i++;
      out[kv.key] = this.parseValue(kv.rest, indent, true);
    }
  }

  private parseSeq(indent: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      this.skipBlank();
      const l = this.peek();
      if (!l || l.indent < indent) return out;
      if (l.indent > indent) throw BAIL;
      if (!(l.text === '-' || l.text.startsWith('- '))) return out; // end (e.g. the next key of a parent map)
      const rest = l.text.slice(1);
      const trimmed = rest.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) {
        this.i++;
        out.push(this.parseNested(indent, false));
        continue;
      }
      const offset = indent + 1 + (rest.length - trimmed.length);
      if (trimmed === '-' || trimmed.startsWith('- ') || this.keyOf(trimmed) !== undefined) {
        // "- key: v" / "- - x": the item is a block starting at the text's column
        this.lines[this.i] = { indent: offset, text: trimmed };
        out.push(this.parseBlock(offset));
        continue;
      }
      this.i++;
      out.push(this.parseValue(rest, indent, false));
    }
  }

  /** Value after `key:` or `- ` on the same line (`rest`), possibly continuing below. */
  private parseValue(rest: string, parentIndent: number, inMap: boolean): unknown {
    const t = rest.trimStart();
    if (t === '' || t.startsWith('#')) return this.parseNested(parentIndent, inMap);
    let v: unknown;
    const c = t[0]!;
    if (c === '|' || c === '>') return this.blockScalar(t, parentIndent);
    if (c === '"' || c === "'") {
      const q = c === '"' ? doubleQuoted(t) : singleQuoted(t);
      afterQuoted(q.rest);
      v = q.value;
    } else if (c === '[' || c === '{') {
      const body = t.replace(/\s+#.*$/, '').trim();
      if (body === '[]') v = [];
      else if (body === '{}') v = {};
      else if (c === '[') v = flowList(t);
      else throw BAIL;
    } else {
      checkPlainStart(t);
      v = resolvePlain(plainValue(t));
    }
    // a continuation line (multi-line plain scalar) would be more indented: not handled
    this.skipBlank();
    const next = this.peek();
    if (next && next.indent > parentIndent) throw BAIL;
    return v;
  }

  /** Nothing after the indicator: the value is the block below, or null. */
  private parseNested(parentIndent: number, inMap: boolean): unknown {
    this.skipBlank();
    const n = this.peek();
    if (!n) return null;
    if (n.indent > parentIndent) return this.parseBlock(n.indent);
    // "key:\n- a" (sequence at the key's own indentation)
    if (inMap && n.indent === parentIndent && (n.text === '-' || n.text.startsWith('- '))) return this.parseSeq(parentIndent);
    return null;
  }

  private blockScalar(header: string, parentIndent: number): string {
    const h = header.replace(/\s+#.*$/, '').trim();
    const m = /^([|>])(-?)$/.exec(h); // keep-chomping (+) and indentation indicators: js-yaml
    if (!m) throw BAIL;
    const folded = m[1] === '>';
    const chomp = m[2];
    const start = this.i;
    // content lines: blank lines and lines indented more than the parent
    let k = start;
    let contentIndent = -1;
    const body: string[] = [];
    while (k < this.end) {
      const r = this.raw[k]!;
      let n = 0;
      while (n < r.length && r.charCodeAt(n) === 32) n++;
      if (n === r.length) {
        body.push('');
        k++;
        continue;
      }
      if (n <= parentIndent) break;
      if (contentIndent < 0) {
        if (body.length > 0) throw BAIL; // leading blank lines: leave to js-yaml
        contentIndent = n;
      }
      if (n < contentIndent) throw BAIL;
      if (r.includes('\t')) throw BAIL;
      body.push(r.slice(contentIndent));
      k++;
    }
    if (contentIndent < 0) throw BAIL; // empty block scalar: leave to js-yaml
    if (k >= this.raw.length - 1 && !this.endsWithNewline) throw BAIL; // last line without a line break
    // trailing blank lines belong to chomping
    let last = body.length;
    while (last > 0 && body[last - 1] === '') last--;
    const trailing = body.length - last;
    const lines = body.slice(0, last);
    // blank lines consumed as trailing must not include lines of a shallower next node
    this.i = k;
    let text: string;
    if (folded) {
      if (lines.some((x) => x === '' || x.startsWith(' '))) throw BAIL;
      text = lines.join(' ');
    } else {
      text = lines.join('\n');
    }
    if (chomp === '-') return text;
    if (chomp === '+') return `${text}\n${'\n'.repeat(trailing)}`;
    return `${text}\n`;
  }
}

/** The first document of `text` as js-yaml (core schema) reads it, or undefined when unsure. */
export function fastYaml(text: string): unknown {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return new Parser(text).parseDocument();
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}
