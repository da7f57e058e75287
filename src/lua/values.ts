/**
 * Lua values and JavaScript values: strings and tables built directly on fengari's internals
 * (faster than the C-like API), the conversion of a JSON-like object into lazily filled tables
 * (`toLua`, `materialize`), and the small helpers every library function uses (argument
 * strings, raising errors, gopher-lua's text for a value).
 */
import { T, TValue, Table, lauxlib, lstring, lua, to_jsstring, to_luastring } from './fengari/internals.js';
import { GOPHER_TYPE_NAMES } from './api.js';
import { L, markBounded } from './context.js';
import { goNumberString } from './gonum.js';
import { gopherRaise } from './gowhere.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A library function (a lua_CFunction of fengari). */
export type Fn = (Ls: any) => number;

const strCache = new Map<string, any>();
const STR_CACHE_MAX = 200_000;

function tstr(s: string): any {
  let ts = strCache.get(s);
  if (ts === undefined) {
    ts = lstring.luaS_bless(L, to_luastring(s));
    lstring.luaS_hashlongstr(ts);
    ts.js = s; // TStrings are immutable: remember the JavaScript text for the way back
    if (strCache.size >= STR_CACHE_MAX) strCache.clear();
    strCache.set(s, ts);
  }
  return ts;
}

export function strTV(s: string): any {
  return new TValue(T.LUA_TLNGSTR, tstr(s));
}

/**
 * A fengari Table whose `dead_strong` Map is created on first use: most tables an evaluation
 * builds (the object, library copies) never lose a key, and two Maps per table dominated
 * the garbage collector's work.
 */
const lazyTableProto = Object.create(Table.prototype);
Object.defineProperty(lazyTableProto, 'dead_strong', {
  get(this: any) {
    const m = new Map();
    Object.defineProperty(this, 'dead_strong', { value: m, writable: true, enumerable: true, configurable: true });
    return m;
  },
  set(this: any, v: unknown) {
    Object.defineProperty(this, 'dead_strong', { value: v, writable: true, enumerable: true, configurable: true });
  },
  configurable: true,
});
lazyTableProto.lazy = undefined;

export function newTable(): any {
  const t = Object.create(lazyTableProto);
  t.id = L.l_G.id_counter++;
  t.strong = new Map();
  t.dead_weak = undefined;
  t.f = undefined;
  t.l = undefined;
  t.metatable = null;
  t.flags = 0; // no metamethod absence cached: correct whatever keys it gets
  return t;
}

/** Appends a key known to be absent (fresh table). */
function addEntry(t: any, hash: unknown, key: any, value: any): void {
  const prev = t.l;
  const entry = { key, value, p: prev, n: undefined as unknown };
  if (!t.f) t.f = entry;
  if (prev) prev.n = entry;
  t.strong.set(hash, entry);
  t.l = entry;
}

export function addStr(t: any, name: string, value: any): void {
  const ts = tstr(name);
  addEntry(t, ts.hash, new TValue(T.LUA_TLNGSTR, ts), value);
}

export function addInt(t: any, i: number, value: any): void {
  addEntry(t, i, new TValue(T.LUA_TNUMINT, i), value);
}

export function tableTV(t: any): any {
  return new TValue(T.LUA_TTABLE, t);
}

export function rawGetStr(t: any, name: string): any {
  const e = t.strong.get(tstr(name).hash);
  return e ? e.value : undefined;
}

/**
 * Converts a JSON-like value into a Lua value the way Argo's decodeValue does; undefined for
 * nil. Objects and arrays become tables that are filled in on first access (see
 * `materialize`): a health check reads a few fields of a large object, and building the parts
 * it never touches was most of an evaluation's cost. Filling is complete and happens before any
 * read, write, length or traversal of the table, so no script can tell the difference.
 */
export function toLua(v: unknown): any {
  switch (typeof v) {
    case 'string':
      return v.length <= 256 ? strTV(v) : new TValue(T.LUA_TLNGSTR, lstring.luaS_bless(L, to_luastring(v)));
    case 'number':
      return new TValue(T.LUA_TNUMFLT, v);
    case 'boolean':
      return new TValue(T.LUA_TBOOLEAN, v);
    case 'bigint':
      return new TValue(T.LUA_TNUMFLT, Number(v));
    case 'object': {
      if (v === null) return undefined;
      if (v instanceof Date) return strTV(v.toISOString());
      const t = newTable();
      t.lazy = v;
      return tableTV(t);
    }
    default:
      return undefined;
  }
}

/** Fills a lazily converted table from its JavaScript source (once). */
export function materialize(t: any): void {
  const v = t.lazy;
  t.lazy = undefined;
  if (Array.isArray(v)) {
    let i = 1;
    for (const item of v) {
      const tv = toLua(item);
      if (tv !== undefined) addInt(t, i++, tv); // Append(nil) is a no-op: nulls drop out
    }
  } else {
    const o = v as Record<string, unknown>;
    for (const k in o) {
      if (!Object.hasOwn(o, k)) continue;
      const tv = toLua(o[k]);
      if (tv !== undefined) addStr(t, k, tv);
    }
  }
}

export function luaStringOf(tv: any): string {
  const ts = tv.value;
  // TStrings are immutable: the text is kept for the next time (a script's constants are
  // the same TStrings on every evaluation).
  return (ts.js ??= to_jsstring(ts.getstr(), undefined, undefined, true));
}

export function jsString(Ls: any, idx: number): string {
  return to_jsstring(lua.lua_tolstring(Ls, idx), undefined, undefined, true);
}

export function checkJsString(Ls: any, idx: number): string {
  return to_jsstring(lauxlib.luaL_checklstring(Ls, idx), undefined, undefined, true);
}

export function pushJsString(Ls: any, s: string): void {
  lua.lua_pushstring(Ls, to_luastring(s));
}

/** Raises `msg` with the caller's position, as gopher-lua's RaiseError does. */
export function raise(Ls: any, msg: string): never {
  return gopherRaise(Ls, msg);
}

/** The id fengari's "%p" prints for an object (lobject.js: a JavaScript function gets one from l_G.ids). */
export function objectId(v: any): number {
  if (typeof v?.id === 'number') return v.id;
  if (v === null || v === undefined || (typeof v !== 'object' && typeof v !== 'function')) return 0;
  const g = L.l_G;
  let id = g.ids.get(v);
  if (!id) {
    id = g.id_counter++;
    g.ids.set(v, id);
  }
  return id;
}

/** gopher-lua's tostring of any value (numbers in Go's format). */
export function gopherToString(Ls: any, idx: number): string {
  if (lua.lua_type(Ls, idx) === lua.LUA_TNUMBER) return goNumberString(lua.lua_tonumber(Ls, idx));
  lauxlib.luaL_tolstring(Ls, idx);
  const s = to_jsstring(lua.lua_tolstring(Ls, -1), undefined, undefined, true);
  lua.lua_pop(Ls, 1);
  return s;
}

/** Makes the integer results of a C function floats (gopher-lua has only float64). */
export function floatResults(fn: (Ls: any) => number): (Ls: any) => number {
  return (Ls: any) => {
    const n = fn(Ls);
    for (let i = 1; i <= n; i++) {
      const tv = Ls.stack[Ls.top - i];
      if (tv && tv.type === T.LUA_TNUMINT) tv.type = T.LUA_TNUMFLT;
    }
    return n;
  };
}

/** raise() for one of wavegate's own bounds or a function it does not run. */
export function boundedRaise(Ls: any, msg: string): never {
  markBounded();
  return raise(Ls, msg);
}

export function gopherKeyString(tv: any): string {
  switch (tv.ttnov()) {
    case T.LUA_TNUMBER:
      return goNumberString(tv.value);
    case T.LUA_TSTRING:
      return luaStringOf(tv);
    case T.LUA_TBOOLEAN:
      return tv.value ? 'true' : 'false';
    case T.LUA_TNIL:
      return 'nil';
    default:
      return `${GOPHER_TYPE_NAMES[tv.ttnov()]}: 0x${objectId(tv.value).toString(16)}`;
  }
}

export function typeName(tv: any): string {
  return GOPHER_TYPE_NAMES[tv.ttnov()] ?? 'userdata';
}
