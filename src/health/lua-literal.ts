/**
 * Turning template data into Lua source: every string that lands in generated Lua goes
 * through here, so a quote, backslash, newline or control character in catalog data can
 * never end a string early or inject code.
 */

import { KEYWORDS } from '../lua/golex.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A Lua (5.1 / gopher-lua) double-quoted string literal for `s`. */
export function luaString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\${String(code).padStart(3, '0')}`;
    else out += ch; // UTF-8 passes through as bytes; Lua strings are byte strings
  }
  return `${out}"`;
}

/** A table key: `name` when it is a plain identifier, `["any key"]` otherwise. */
export function luaKey(k: string): string {
  return IDENT.test(k) && !KEYWORDS.has(k) ? k : `[${luaString(k)}]`;
}

/** Indexing a table with key `k`: `.name` when it is a plain identifier, `["any key"]` otherwise. */
export function luaIndex(k: string): string {
  return IDENT.test(k) && !KEYWORDS.has(k) ? `.${k}` : `[${luaString(k)}]`;
}

/**
 * A Lua expression for a JSON-like value: strings quoted and escaped, finite numbers,
 * booleans, arrays as sequences, objects as tables with sorted keys (deterministic output).
 * `null`/`undefined` become `nil` only at the top level; inside tables they are left out
 * (a Lua table cannot hold nil).
 */
export function luaValue(value: unknown, indent = 0, step = 2): string {
  const pad = (n: number): string => ' '.repeat(n);
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'string') return luaString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a Lua number`);
    return String(value);
  }
  if (Array.isArray(value)) {
    const items = value.filter((v) => v !== null && v !== undefined);
    if (items.length === 0) return '{}';
    const scalar = items.every((v) => typeof v !== 'object');
    if (scalar) return `{ ${items.map((v) => luaValue(v)).join(', ')} }`;
    return `{\n${items.map((v) => `${pad(indent + step)}${luaValue(v, indent + step, step)},`).join('\n')}\n${pad(indent)}}`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return '{}';
    const scalar = entries.every(([, v]) => typeof v !== 'object') && entries.length <= 4;
    const parts = entries.map(([k, v]) => `${luaKey(k)} = ${luaValue(v, indent + step, step)}`);
    if (scalar) {
      const one = `{ ${parts.join(', ')} }`;
      if (one.length + indent <= 100) return one;
    }
    return `{\n${parts.map((p) => `${pad(indent + step)}${p},`).join('\n')}\n${pad(indent)}}`;
  }
  throw new Error(`cannot write a ${typeof value} as a Lua value`);
}

/** Text safe inside a `--` line comment: one line, no control characters. */
export function luaComment(s: string): string {
  return String(s)
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
}
