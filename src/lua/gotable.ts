/**
 * table.insert / table.remove / table.concat as gopher-lua's tablelib.go runs them, over the
 * table's array part (table.go Append, Insert, Remove). Its length is len(tb.array), nil
 * slots included (gorder.ts arrayLength: t[#t] = nil keeps the slot, table.remove takes it);
 * concat uses Len, the last non-nil slot. Where fengari (Lua 5.3) checks positions ("position
 * out of bounds"), gopher-lua sets or ignores: table.insert(t, 10, v) on a short table sets
 * t[10], table.insert(t, nil) does nothing, table.remove beyond the end returns nil, and
 * table.remove of an empty table leaves t[0] alone.
 */
import { lua, to_luastring } from './fengari/internals.js';
import { goNumberString } from './gonum.js';
import { joinBytes } from './gostrings.js';
import { gopherRaise } from './gowhere.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Fn = (Ls: any) => number;

const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];
const typeOf = (Ls: any, i: number): string => TYPE_NAMES[lua.lua_type(Ls, i)] ?? 'nil';

function checkTable(Ls: any, fn: string): void {
  if (lua.lua_type(Ls, 1) !== lua.LUA_TTABLE) gopherRaise(Ls, `bad argument #1 to ${fn} (table expected, got ${typeOf(Ls, 1)})`);
}

/** auxlib.go CheckInt: a number, truncated. */
function checkInt(Ls: any, i: number, fn: string): number {
  if (lua.lua_type(Ls, i) !== lua.LUA_TNUMBER) gopherRaise(Ls, `bad argument #${i} to ${fn} (number expected, got ${typeOf(Ls, i)})`);
  const v = lua.lua_tonumber(Ls, i);
  return Number.isFinite(v) ? Math.trunc(v) : 0;
}

export interface ArrayPart {
  /** gopher-lua's Len: the last non-nil slot. */
  len: (Ls: any) => number;
  /** len(tb.array), nil slots included. */
  arrayLength: (Ls: any) => number;
  setArrayLength: (Ls: any, n: number) => void;
}

export function makeTableLib(part: ArrayPart): { insert: Fn; remove: Fn; concat: Fn } {
  const len = part.len;
  const isNil = (Ls: any, k: number): boolean => {
    const t = lua.lua_rawgeti(Ls, 1, k);
    lua.lua_pop(Ls, 1);
    return t === lua.LUA_TNIL;
  };
  const insert: Fn = (Ls) => {
    checkTable(Ls, 'insert');
    const n = lua.lua_gettop(Ls);
    if (n === 1) gopherRaise(Ls, 'wrong number of arguments');
    if (n === 2) {
      // table.go Append: nothing for nil; after the last slot, or after the last non-nil one
      if (lua.lua_isnil(Ls, 2)) return 0;
      const a = part.arrayLength(Ls);
      let at = a + 1;
      if (a > 0 && isNil(Ls, a)) {
        let i = a - 1;
        while (i >= 1 && isNil(Ls, i)) i--;
        at = i + 1;
      }
      lua.lua_pushvalue(Ls, 2);
      lua.lua_rawseti(Ls, 1, at);
      return 0;
    }
    const pos = checkInt(Ls, 2, 'insert');
    lua.lua_settop(Ls, 3);
    const a = part.arrayLength(Ls);
    if (pos > a || pos <= 0) {
      // table.go Insert: RawSetInt / RawSet at the position itself
      lua.lua_pushvalue(Ls, 3);
      lua.lua_rawseti(Ls, 1, pos);
      return 0;
    }
    for (let k = a; k >= pos; k--) {
      lua.lua_rawgeti(Ls, 1, k);
      lua.lua_rawseti(Ls, 1, k + 1);
    }
    part.setArrayLength(Ls, a + 1);
    lua.lua_pushvalue(Ls, 3);
    lua.lua_rawseti(Ls, 1, pos);
    return 0;
  };

  const remove: Fn = (Ls) => {
    checkTable(Ls, 'remove');
    const pos = lua.lua_gettop(Ls) === 1 ? -1 : checkInt(Ls, 2, 'remove');
    lua.lua_settop(Ls, 1);
    const a = part.arrayLength(Ls);
    const i = pos - 1;
    if (a === 0 || i >= a) {
      lua.lua_pushnil(Ls);
      return 1;
    }
    // table.go Remove: the last slot for pos = len or pos < 1, else shift down
    const at = i === a - 1 || i < 0 ? a : pos;
    lua.lua_rawgeti(Ls, 1, at);
    for (let k = at; k < a; k++) {
      lua.lua_rawgeti(Ls, 1, k + 1);
      lua.lua_rawseti(Ls, 1, k);
    }
    lua.lua_pushnil(Ls);
    lua.lua_rawseti(Ls, 1, a);
    part.setArrayLength(Ls, a - 1);
    return 1;
  };

  const concat: Fn = (Ls) => {
    checkTable(Ls, 'concat');
    const top = lua.lua_gettop(Ls);
    let sep: Uint8Array = new Uint8Array(0);
    if (top >= 2 && !lua.lua_isnil(Ls, 2)) {
      const t = lua.lua_type(Ls, 2);
      // auxlib.go OptString: a string only (CheckString would take a number)
      if (t !== lua.LUA_TSTRING) gopherRaise(Ls, `bad argument #2 to concat (string expected, got ${typeOf(Ls, 2)})`);
      sep = lua.lua_tolstring(Ls, 2);
    }
    const l = len(Ls);
    let i = top >= 3 && !lua.lua_isnil(Ls, 3) ? checkInt(Ls, 3, 'concat') : 1;
    let j = top >= 4 && !lua.lua_isnil(Ls, 4) ? checkInt(Ls, 4, 'concat') : l;
    if (top === 3 && (i > l || i < 1)) {
      lua.lua_pushstring(Ls, to_luastring(''));
      return 1;
    }
    i = Math.max(Math.min(i, l), 1);
    j = Math.min(j, l);
    if (i > j) {
      lua.lua_pushstring(Ls, to_luastring(''));
      return 1;
    }
    const parts: Uint8Array[] = [];
    for (let k = i; k <= j; k++) {
      const t = lua.lua_rawgeti(Ls, 1, k);
      let b: Uint8Array;
      if (t === lua.LUA_TSTRING) b = lua.lua_tolstring(Ls, -1);
      else if (t === lua.LUA_TNUMBER) b = to_luastring(goNumberString(lua.lua_tonumber(Ls, -1)));
      else gopherRaise(Ls, `invalid value (${TYPE_NAMES[t] ?? 'nil'}) at index ${k} in table for concat`);
      lua.lua_pop(Ls, 1);
      parts.push(b);
      if (k !== j) parts.push(sep);
    }
    const out = joinBytes(parts);
    lua.lua_pushlstring(Ls, out, out.length);
    return 1;
  };
  return { insert, remove, concat };
}
