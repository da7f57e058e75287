/**
 * Comparison and table.sort as gopher-lua does them (vm.go lessThan/objectRational,
 * tablelib.go tableSort over gosort.ts), with sorting charged to the evaluation's budget.
 */
import { lua, to_luastring } from './fengari/internals.js';
import { GOPHER_TYPE_NAMES } from './api.js';
import { charge } from './bounds.js';
import { arrayLength } from './gorder.js';
import { goSort } from './gosort.js';
import { type Fn, materialize, raise } from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Sorting n values costs about n log n comparisons (a Lua comparator also runs instructions). */
export function wrapSort(orig: Fn): Fn {
  return (Ls) => {
    if (lua.lua_type(Ls, 1) === lua.LUA_TTABLE) {
      const n = lua.lua_rawlen(Ls, 1);
      charge(Ls, 1 + Math.ceil(n * Math.log2(n + 1)));
    }
    return orig(Ls);
  };
}

/**
 * vm.go:2383 lessThan: two numbers compare, any other pair of types is an error, strings
 * compare by bytes, other values only through one `__lt` function both share (vm.go
 * objectRationalWithError: metaOp1 of each must be the same function).
 */
function gopherLessThan(Ls: any, ia: number, ib: number): boolean {
  const ta = lua.lua_type(Ls, ia);
  const tb = lua.lua_type(Ls, ib);
  if (ta === lua.LUA_TNUMBER && tb === lua.LUA_TNUMBER) return lua.lua_tonumber(Ls, ia) < lua.lua_tonumber(Ls, ib);
  if (ta === tb && ta === lua.LUA_TSTRING) return lua.lua_compare(Ls, ia, ib, lua.LUA_OPLT);
  if (ta === tb && ta !== lua.LUA_TNUMBER) {
    const r = gopherMetaCompare(Ls, ia, ib, '__lt');
    if (r !== undefined) return r;
  }
  return raise(Ls, `attempt to compare ${GOPHER_TYPE_NAMES[ta] ?? 'nil'} with ${GOPHER_TYPE_NAMES[tb] ?? 'nil'}`);
}

/** vm.go objectRational: the result of the shared metamethod, or undefined when there is none. */
function gopherMetaCompare(Ls: any, ia: number, ib: number, event: string): boolean | undefined {
  ia = lua.lua_absindex(Ls, ia);
  ib = lua.lua_absindex(Ls, ib);
  const metaOp = (i: number): void => {
    if (!lua.lua_getmetatable(Ls, i)) {
      lua.lua_pushnil(Ls);
      return;
    }
    lua.lua_pushstring(Ls, to_luastring(event));
    lua.lua_rawget(Ls, -2);
    lua.lua_remove(Ls, -2);
  };
  metaOp(ia);
  metaOp(ib);
  if (lua.lua_type(Ls, -1) !== lua.LUA_TFUNCTION || !lua.lua_rawequal(Ls, -1, -2)) {
    lua.lua_pop(Ls, 2);
    return undefined;
  }
  lua.lua_pop(Ls, 1);
  lua.lua_pushvalue(Ls, ia);
  lua.lua_pushvalue(Ls, ib);
  lua.lua_call(Ls, 2, 1);
  const r = lua.lua_toboolean(Ls, -1);
  lua.lua_pop(Ls, 1);
  return r;
}

/**
 * tablelib.go tableSort: sort.Sort (gosort.ts) over len(tbl.array) slots, nil ones included
 * (they make lessThan fail as in Argo CD), Less the comparator's result as a boolean (LVAsBool)
 * or lessThan. A second argument must be a function, even nil (CheckFunction).
 */
export const gopherSort: Fn = (Ls) => {
  if (lua.lua_type(Ls, 1) !== lua.LUA_TTABLE)
    raise(Ls, `bad argument #1 to sort (table expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, 1)] ?? 'nil'})`);
  const withFn = lua.lua_gettop(Ls) !== 1;
  if (withFn && lua.lua_type(Ls, 2) !== lua.LUA_TFUNCTION)
    raise(Ls, `bad argument #2 to sort (function expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, 2)] ?? 'nil'})`);
  lua.lua_settop(Ls, withFn ? 2 : 1);
  const t = Ls.stack[Ls.ci.funcOff + 1].value;
  if (t.lazy !== undefined) materialize(t);
  const n = arrayLength(t);
  goSort(n, {
    less: (i, j) => {
      lua.lua_rawgeti(Ls, 1, i + 1);
      lua.lua_rawgeti(Ls, 1, j + 1);
      if (withFn) {
        lua.lua_pushvalue(Ls, 2);
        lua.lua_insert(Ls, -3);
        lua.lua_call(Ls, 2, 1);
        const r = lua.lua_toboolean(Ls, -1);
        lua.lua_pop(Ls, 1);
        return r;
      }
      const r = gopherLessThan(Ls, -2, -1);
      lua.lua_pop(Ls, 2);
      return r;
    },
    swap: (i, j) => {
      lua.lua_rawgeti(Ls, 1, i + 1);
      lua.lua_rawgeti(Ls, 1, j + 1);
      lua.lua_rawseti(Ls, 1, i + 1);
      lua.lua_rawseti(Ls, 1, j + 1);
    },
  });
  return 0;
};
