/**
 * string library functions in gopher-lua's behaviour (stringlib.go) over fengari's: byte, rep,
 * lower/upper, char, the string-size bound of gsub, and table.concat's bound and charge.
 */
import { lauxlib, lobject, lstring, lua, to_luastring } from './fengari/internals.js';
import { GOPHER_TYPE_NAMES, MAX_STRING_BYTES, MEMORY_MESSAGE } from './api.js';
import { charge } from './bounds.js';
import { goCaseMap, luaIndex2StringIndex } from './gostrings.js';
import { type Fn, boundedRaise, raise } from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Go's int(f) on amd64 (CVTTSD2SQ): truncation; NaN, infinities and values outside int64 all
 * give the minimum int64, so string.sub("abc", -1/0) is "" and string.find with init NaN finds nothing.
 */
function goInt(v: number): number {
  return Number.isNaN(v) || v >= 9223372036854775808 || v < -9223372036854775808 ? -9223372036854775808 : Math.trunc(v);
}

/** auxlib.go OptInt: nil gives the default, else a number (Go's int(f)), else a type error. */
export function optIntArg(Ls: any, i: number, d: number, fn: string): number {
  const t = lua.lua_type(Ls, i);
  if (t === lua.LUA_TNIL || t === lua.LUA_TNONE) return d;
  if (t !== lua.LUA_TNUMBER) raise(Ls, `bad argument #${i} to ${fn} (number expected, got ${GOPHER_TYPE_NAMES[t] ?? 'nil'})`);
  return goInt(lua.lua_tonumber(Ls, i));
}

/** stringlib.go strSub: CheckInt(2) (a number, not a numeric string), OptInt(3, -1). */
export const goStrSub: Fn = (Ls) => {
  const b: Uint8Array = lauxlib.luaL_checklstring(Ls, 1);
  const t = lua.lua_type(Ls, 2);
  if (t !== lua.LUA_TNUMBER) raise(Ls, `bad argument #2 to sub (number expected, got ${GOPHER_TYPE_NAMES[t] ?? 'nil'})`);
  const start = luaIndex2StringIndex(b.length, goInt(lua.lua_tonumber(Ls, 2)), true);
  const end = luaIndex2StringIndex(b.length, optIntArg(Ls, 3, -1, 'sub'), false);
  if (start >= b.length || end < start) lua.lua_pushliteral(Ls, '');
  else lua.lua_pushlstring(Ls, b.subarray(start, end), end - start);
  return 1;
};

/**
 * stringlib.go strByte: the start is made 0-based before a negative one is counted from the
 * end, so string.byte("10", 0, -2) gives nothing (Lua: the first byte).
 */
export const goStrByte: Fn = (Ls) => {
  const b: Uint8Array = lauxlib.luaL_checklstring(Ls, 1);
  let start = optIntArg(Ls, 2, 1, 'byte');
  start = start === -9223372036854775808 ? 9223372036854775807 : start - 1; // int64 wraps around
  let end = optIntArg(Ls, 3, -1, 'byte');
  const l = b.length;
  if (start < 0) start = l + start + 1;
  if (end < 0) end = l + end + 1;
  if (lua.lua_gettop(Ls) === 2) {
    if (start < 0 || start >= l) return 0;
    lua.lua_pushnumber(Ls, b[start]!);
    return 1;
  }
  start = Math.max(start, 0);
  end = Math.min(end, l);
  if (end < 0 || end <= start || start >= l) return 0;
  lua.lua_checkstack(Ls, end - start);
  for (let i = start; i < end; i++) lua.lua_pushnumber(Ls, b[i]!);
  return end - start;
};

/** Results from this size on are built by doubling copies (fengari copies `s` n times). */
const REP_FAST_BYTES = 64 * 1024;

export function wrapRep(orig: Fn): Fn {
  return (Ls) => {
    const s = lauxlib.luaL_checklstring(Ls, 1);
    // auxlib.go CheckInt: a number only ("2" is refused)
    if (lua.lua_type(Ls, 2) !== lua.LUA_TNUMBER)
      raise(Ls, `bad argument #2 to rep (number expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, 2)] ?? 'nil'})`);
    // stringlib.go strRep: L.CheckInt(2) is Go's int(f) (an infinity or NaN is the minimum int64,
    // so nothing is repeated), and there is no separator argument.
    const count = goInt(lauxlib.luaL_checknumber(Ls, 2));
    if (count > 0 && s.length > 0 && s.length * count >= 2 ** 48 && s.length * count < 2 ** 63) {
      // strings.Repeat grows a buffer of len*count bytes: above Go's maxAlloc (2^48 on amd64)
      // make panics at once, and pcall sees the runtime error (not the deadline)
      lua.lua_pushstring(Ls, to_luastring('runtime error: makeslice: cap out of range'));
      return lua.lua_error(Ls);
    }
    if (count > 0 && s.length * count > MAX_STRING_BYTES) boundedRaise(Ls, MEMORY_MESSAGE);
    lua.lua_settop(Ls, 2);
    lua.lua_pushnumber(Ls, count);
    lua.lua_replace(Ls, 2);
    const total = count > 0 ? s.length * count : 0;
    charge(Ls, 1 + (total >> 6));
    if (total >= REP_FAST_BYTES) {
      const out = new Uint8Array(total);
      out.set(s, 0);
      for (let len = s.length; len < total; len *= 2) out.copyWithin(len, 0, Math.min(len, total - len));
      lobject.pushsvalue2s(Ls, lstring.luaS_bless(Ls, out));
      return 1;
    }
    return orig(Ls);
  };
}

/** stringlib.go strLower/strUpper: Go's strings.ToLower/ToUpper (gostrings.ts). */
export function goCase(upper: boolean): Fn {
  return (Ls) => {
    const b = lauxlib.luaL_checklstring(Ls, 1);
    const out = goCaseMap(b, upper);
    lua.lua_pushlstring(Ls, out, out.length);
    return 1;
  };
}

/** stringlib.go strChar: uint8(L.CheckInt(i)) for each argument (no range error). */
export const goStrChar: Fn = (Ls) => {
  const n = lua.lua_gettop(Ls);
  const out = new Uint8Array(n);
  for (let i = 1; i <= n; i++) {
    if (lua.lua_type(Ls, i) !== lua.LUA_TNUMBER)
      raise(Ls, `bad argument #${i} to char (number expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, i)] ?? 'nil'})`);
    const v = lua.lua_tonumber(Ls, i);
    out[i - 1] = Number.isFinite(v) ? Number(BigInt.asUintN(8, BigInt(Math.trunc(v)))) : 0;
  }
  lua.lua_pushlstring(Ls, out, n);
  return 1;
};

export function wrapGsub(orig: Fn): Fn {
  return (Ls) => {
    const n = orig(Ls);
    if (lua.lua_type(Ls, -n) === lua.LUA_TSTRING && lua.lua_rawlen(Ls, -n) > MAX_STRING_BYTES) boundedRaise(Ls, MEMORY_MESSAGE);
    return n;
  };
}

export function wrapConcat(orig: Fn): Fn {
  return (Ls) => {
    if (lua.lua_type(Ls, 1) === lua.LUA_TTABLE) charge(Ls, 1 + 4 * lua.lua_rawlen(Ls, 1));
    const n = orig(Ls);
    const len = lua.lua_rawlen(Ls, -1);
    if (len > MAX_STRING_BYTES) boundedRaise(Ls, MEMORY_MESSAGE);
    charge(Ls, len >> 6);
    return n;
  };
}
