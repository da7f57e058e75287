/**
 * The base library and `package`/`require` as gopher-lua has them (baselib.go, loadlib.go):
 * tostring/tonumber/print/assert/select/setmetatable, 5.1's pairs and ipairs, load/loadstring
 * through gopher-lua's syntax check, require over this evaluation's package.loaded, and the
 * functions wavegate does not run (setfenv, module) saying so.
 */
import { T, lauxlib, lobject, lua, to_jsstring, to_luastring } from './fengari/internals.js';
import { GOPHER_TYPE_NAMES } from './api.js';
import { floatConstants } from './compile.js';
import { ctx } from './context.js';
import { goToNumber } from './gonum.js';
import { checkGopherLuaSyntax, gopherSource, gopherSyntaxErrorText, gopherSyntaxMessage, withVarargArg } from './syntax.js';
import {
  type Fn,
  boundedRaise,
  checkJsString,
  gopherKeyString,
  gopherToString,
  jsString,
  pushJsString,
  raise,
  rawGetStr,
  tableTV,
} from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

// --- base functions written for gopher-lua's behaviour --------------------------------------

const TOSTRING_EVENT = to_luastring('__tostring');

export const luaTostring: Fn = (Ls) => {
  lauxlib.luaL_checkany(Ls, 1);
  // state.go ToStringMeta: __tostring's result is returned as it is, string or not.
  if (lua.lua_type(Ls, 1) === lua.LUA_TTABLE || lua.lua_type(Ls, 1) === lua.LUA_TUSERDATA) {
    const mt = lauxlib.luaL_getmetafield(Ls, 1, TOSTRING_EVENT);
    if (mt === lua.LUA_TFUNCTION) {
      lua.lua_pushvalue(Ls, 1);
      lua.lua_call(Ls, 1, 1);
      return 1;
    }
    if (mt !== lua.LUA_TNIL) {
      // a __tostring that is not a function is ignored (metaOp1 looks for a function)
      lua.lua_pop(Ls, 1);
      lua.lua_pushstring(Ls, to_luastring(gopherKeyString(Ls.stack[Ls.ci.funcOff + 1])));
      return 1;
    }
  }
  // A string without a __tostring metamethod is its own result, as in gopher-lua: no round
  // trip through a JavaScript string (health checks call tostring on most messages).
  if (lua.lua_type(Ls, 1) === lua.LUA_TSTRING) {
    if (lauxlib.luaL_getmetafield(Ls, 1, TOSTRING_EVENT) === lua.LUA_TNIL) {
      lua.lua_pushvalue(Ls, 1);
      return 1;
    }
    lua.lua_pop(Ls, 1);
  }
  pushJsString(Ls, gopherToString(Ls, 1));
  return 1;
};

export const luaTonumber: Fn = (Ls) => {
  lauxlib.luaL_checkany(Ls, 1);
  const base = lauxlib.luaL_optinteger(Ls, 2, 10);
  const t = lua.lua_type(Ls, 1);
  if (t === lua.LUA_TNUMBER) {
    lua.lua_pushnumber(Ls, lua.lua_tonumber(Ls, 1));
  } else if (t === lua.LUA_TSTRING) {
    const str = to_jsstring(lua.lua_tolstring(Ls, 1), undefined, undefined, true);
    // baselib.go baseToNumber: without a base, a "0x" prefix (after trimming) means base 16.
    const trimmed = str.replace(/^[ \n\t]+|[ \n\t]+$/g, '');
    const hex = lua.lua_isnoneornil(Ls, 2) && !trimmed.includes('.') && /^0x/i.test(trimmed);
    const v = hex ? (/^[ \n\t]/.test(trimmed.slice(2)) ? undefined : goToNumber(trimmed.slice(2), 16)) : goToNumber(str, base);
    if (v === undefined) lua.lua_pushnil(Ls);
    else lua.lua_pushnumber(Ls, v);
  } else {
    lua.lua_pushnil(Ls);
  }
  return 1;
};

export const luaPrint: Fn = (Ls) => {
  const n = lua.lua_gettop(Ls);
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) parts.push(gopherToString(Ls, i));
  if (ctx) (ctx.printed ??= []).push(parts.join('\t'));
  return 0;
};

export const luaAssert: Fn = (Ls) => {
  if (!lua.lua_toboolean(Ls, 1)) {
    // baselib.go baseAssert: L.OptString(2, ...) accepts only a string (or nothing).
    if (!lua.lua_isnoneornil(Ls, 2) && lua.lua_type(Ls, 2) !== lua.LUA_TSTRING) {
      raise(Ls, `bad argument #2 to assert (string expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, 2)] ?? 'userdata'})`);
    }
    const msg = lua.lua_isnoneornil(Ls, 2) ? 'assertion failed!' : jsString(Ls, 2);
    raise(Ls, msg);
  }
  return lua.lua_gettop(Ls);
};

export const luaCollectgarbage: Fn = () => 0;

/** baselib.go baseNewProxy: a userdata; true gives it a new metatable, a proxy shares its one. */
export const luaNewproxy: Fn = (Ls) => {
  const arg = lua.lua_type(Ls, 1);
  lua.lua_newuserdata(Ls, 0);
  if (arg === lua.LUA_TBOOLEAN && lua.lua_toboolean(Ls, 1)) {
    lua.lua_newtable(Ls);
    lua.lua_setmetatable(Ls, -2);
  } else if (arg === lua.LUA_TUSERDATA && lua.lua_getmetatable(Ls, 1)) {
    lua.lua_setmetatable(Ls, -2);
  }
  return 1;
};

/**
 * baselib.go baseSetMetatable: any non-nil value takes a metatable; for a value that is not a
 * table or userdata it becomes the metatable of its whole type (state.go SetMetatable:
 * builtinMts), as lua_setmetatable does in fengari. Type metatables are reset after each
 * evaluation.
 */
const META_FIELD = to_luastring('__metatable');
export const luaSetmetatable: Fn = (Ls) => {
  const t2 = lua.lua_type(Ls, 2);
  if (t2 !== lua.LUA_TNIL && t2 !== lua.LUA_TNONE && t2 !== lua.LUA_TTABLE)
    raise(Ls, `bad argument #2 to setmetatable (nil or table expected, got ${GOPHER_TYPE_NAMES[t2] ?? 'nil'})`);
  if (lua.lua_isnil(Ls, 1)) raise(Ls, 'cannot set metatable to a nil object.');
  if (lauxlib.luaL_getmetafield(Ls, 1, META_FIELD) !== lua.LUA_TNIL) raise(Ls, 'cannot change a protected metatable');
  lua.lua_settop(Ls, 2);
  lua.lua_setmetatable(Ls, 1);
  return 1;
};

/** baselib.go baseSelect: CheckTypes(1, number, string); a string other than "#" is refused. */
export function wrapSelect(orig: Fn): Fn {
  return (Ls) => {
    const t = lua.lua_type(Ls, 1);
    if (t !== lua.LUA_TNUMBER && t !== lua.LUA_TSTRING)
      raise(Ls, `bad argument #1 to select (number or string expected, got ${GOPHER_TYPE_NAMES[t] ?? 'nil'})`);
    if (t === lua.LUA_TSTRING) {
      const s = jsString(Ls, 1);
      if (s !== '#') raise(Ls, `bad argument #1 to select (invalid string '${s}')`);
      return orig(Ls);
    }
    // idx := int(lv) (Go's conversion: NaN and infinities are the minimum int64), then
    // negative from the end, past the end clamped, below 1 "index out of range"
    const v = lua.lua_tonumber(Ls, 1);
    let idx = Number.isNaN(v) || v >= 9223372036854775808 || v < -9223372036854775808 ? -9223372036854775808 : Math.trunc(v);
    const num = lua.lua_gettop(Ls);
    if (idx < 0) idx = num + idx;
    else if (idx > num) idx = num;
    if (idx < 1) raise(Ls, 'bad argument #1 to select (index out of range)');
    return num - idx;
  };
}

/** pairs without 5.3's __pairs (gopher-lua is 5.1), iterating with `nextFn` (fengari's next). */
export function makePairs(nextFn: Fn): Fn {
  return (Ls) => {
    lauxlib.luaL_checktype(Ls, 1, lua.LUA_TTABLE);
    lua.lua_pushcfunction(Ls, nextFn);
    lua.lua_pushvalue(Ls, 1);
    lua.lua_pushnil(Ls);
    return 3;
  };
}

const ipairsAux: Fn = (Ls) => {
  const i = lua.lua_tonumber(Ls, 2) + 1;
  if (lua.lua_rawgeti(Ls, 1, i) === lua.LUA_TNIL) return 0;
  lua.lua_pushnumber(Ls, i);
  lua.lua_insert(Ls, -2);
  return 2;
};

/** ipairs with raw access, no __ipairs/__index (gopher-lua). */
export const luaIpairs: Fn = (Ls) => {
  lauxlib.luaL_checktype(Ls, 1, lua.LUA_TTABLE);
  lua.lua_pushcfunction(Ls, ipairsAux);
  lua.lua_pushvalue(Ls, 1);
  lua.lua_pushnumber(Ls, 0);
  return 3;
};

/** Compiles a chunk the way gopher-lua would accept it and gives it this evaluation's globals. */
function loadChunk(Ls: any, source: string, chunkname: string): boolean {
  const problems = checkGopherLuaSyntax(source);
  if (problems.length > 0) {
    pushJsString(Ls, gopherSyntaxMessage(source, chunkname) ?? gopherSyntaxErrorText(problems[0]!, chunkname));
    return false;
  }
  const status = lauxlib.luaL_loadbuffer(Ls, to_luastring(withVarargArg(gopherSource(source))), null, to_luastring(`=${chunkname}`));
  if (status !== lua.LUA_OK) return false;
  floatConstants(Ls.stack[Ls.top - 1].value.p);
  if (ctx) {
    lobject.pushobj2s(Ls, tableTV(ctx.env));
    lua.lua_setupvalue(Ls, -2, 1);
  }
  return true;
}

export const luaLoadstring: Fn = (Ls) => {
  const src = checkJsString(Ls, 1);
  const name = lua.lua_isnoneornil(Ls, 2) ? '<string>' : jsString(Ls, 2);
  if (loadChunk(Ls, src, name)) return 1;
  lua.lua_pushnil(Ls);
  lua.lua_insert(Ls, -2);
  return 2;
};

export const luaLoad: Fn = (Ls) => {
  lauxlib.luaL_checktype(Ls, 1, lua.LUA_TFUNCTION);
  const name = lua.lua_isnoneornil(Ls, 2) ? '?' : jsString(Ls, 2);
  const parts: string[] = [];
  for (;;) {
    lua.lua_pushvalue(Ls, 1);
    lua.lua_call(Ls, 0, 1);
    if (lua.lua_isnil(Ls, -1)) {
      lua.lua_pop(Ls, 1);
      break;
    }
    if (lua.lua_type(Ls, -1) !== lua.LUA_TSTRING) raise(Ls, 'loader function must return a string or nil object.');
    const s = jsString(Ls, -1);
    lua.lua_pop(Ls, 1);
    if (s.length === 0) break;
    parts.push(s);
  }
  if (loadChunk(Ls, parts.join(''), name)) return 1;
  lua.lua_pushnil(Ls);
  lua.lua_insert(Ls, -2);
  return 2;
};

export const luaLoadfile: Fn = (Ls) => {
  const name = lua.lua_gettop(Ls) < 1 ? '<stdin>' : checkJsString(Ls, 1);
  lua.lua_pushnil(Ls);
  pushJsString(Ls, `can not open file: ${name}`);
  return 2;
};

export const luaDofile: Fn = (Ls) => {
  const name = jsString(Ls, 1);
  raise(Ls, `open ${name}: no such file or directory`);
};

export const luaGetfenv: Fn = (Ls) => {
  if (ctx) lobject.pushobj2s(Ls, tableTV(ctx.env));
  else lua.lua_pushnil(Ls);
  return 1;
};

export const luaSetfenv: Fn = (Ls) => boundedRaise(Ls, 'setfenv is not emulated by wavegate (the script would run in Argo CD)');
export const luaModule: Fn = (Ls) => boundedRaise(Ls, 'module() is not emulated by wavegate (the script would run in Argo CD)');
export const luaNoop: Fn = () => 0;

// --- package / require -------------------------------------------------------------------------

export const LUA_PATH_DEFAULT = './?.lua;/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua';

function envPackageField(Ls: any, field: string): void {
  // package.<field> from this evaluation's globals
  lobject.pushobj2s(Ls, tableTV(ctx!.env));
  lua.lua_getfield(Ls, -1, to_luastring('package'));
  lua.lua_remove(Ls, -2);
  if (lua.lua_type(Ls, -1) === lua.LUA_TTABLE) lua.lua_getfield(Ls, -1, to_luastring(field));
  else lua.lua_pushnil(Ls);
  lua.lua_remove(Ls, -2);
}

export const loaderPreload: Fn = (Ls) => {
  const name = checkJsString(Ls, 1);
  envPackageField(Ls, 'preload');
  if (lua.lua_type(Ls, -1) !== lua.LUA_TTABLE) raise(Ls, 'package.preload must be a table');
  lua.lua_getfield(Ls, -1, to_luastring(name));
  if (lua.lua_isnil(Ls, -1)) pushJsString(Ls, `no field package.preload['${name}']`);
  return 1;
};

export const loaderLua: Fn = (Ls) => {
  const name = checkJsString(Ls, 1).replace(/\./g, '/');
  envPackageField(Ls, 'path');
  if (lua.lua_type(Ls, -1) !== lua.LUA_TSTRING) raise(Ls, 'package.path must be a string');
  const path = jsString(Ls, -1);
  // The sandbox has no files: every candidate is missing, as on an Argo CD controller.
  const msgs = path.split(';').map((p) => `stat ${p.replace(/\?/g, name)}: no such file or directory`);
  pushJsString(Ls, msgs.join('\n\t'));
  return 1;
};

const LOOP_SENTINEL = {};

export const luaRequire: Fn = (Ls) => {
  const name = checkJsString(Ls, 1);
  const c = ctx!;
  const loaded = c.loaded;
  const lv = rawGetStr(loaded, name);
  if (lv && !lv.l_isfalse()) {
    if (lv.type === T.LUA_TLIGHTUSERDATA && lv.value === LOOP_SENTINEL) {
      raise(Ls, `loop or previous error loading module: ${name}`);
    }
    lobject.pushobj2s(Ls, lv);
    return 1;
  }
  const messages: string[] = [];
  let found = false;
  for (let i = 1; ; i++) {
    const e = c.loaders.strong.get(i);
    if (!e) break;
    lobject.pushobj2s(Ls, e.value);
    pushJsString(Ls, name);
    lua.lua_call(Ls, 1, 1);
    if (lua.lua_type(Ls, -1) === lua.LUA_TFUNCTION) {
      found = true;
      break;
    }
    if (lua.lua_type(Ls, -1) === lua.LUA_TSTRING) messages.push(jsString(Ls, -1));
    lua.lua_pop(Ls, 1);
  }
  if (!found) raise(Ls, `module ${name} not found:\n\t${messages.join('\n\t')}, `);
  const loadedTv = tableTV(loaded);
  lobject.pushobj2s(Ls, loadedTv);
  lua.lua_pushlightuserdata(Ls, LOOP_SENTINEL);
  lua.lua_setfield(Ls, -2, to_luastring(name));
  lua.lua_pop(Ls, 1);
  pushJsString(Ls, name);
  lua.lua_call(Ls, 1, 1);
  lobject.pushobj2s(Ls, loadedTv);
  lua.lua_getfield(Ls, -1, to_luastring(name));
  const isSentinel = lua.lua_touserdata(Ls, -1) === LOOP_SENTINEL;
  lua.lua_pop(Ls, 1);
  if (!lua.lua_isnil(Ls, -2) && isSentinel) {
    lua.lua_pushvalue(Ls, -2);
    lua.lua_setfield(Ls, -2, to_luastring(name));
    lua.lua_pop(Ls, 1);
    return 1;
  }
  if (isSentinel) {
    lua.lua_pushboolean(Ls, true);
    lua.lua_setfield(Ls, -2, to_luastring(name));
    lua.lua_pushboolean(Ls, true);
    return 1;
  }
  lua.lua_getfield(Ls, -1, to_luastring(name));
  return 1;
};

export const luaLoadlib: Fn = (Ls) => raise(Ls, 'loadlib is not supported');
export const luaSeeall: Fn = (Ls) => {
  lauxlib.luaL_checktype(Ls, 1, lua.LUA_TTABLE);
  if (!lua.lua_getmetatable(Ls, 1)) {
    lua.lua_createtable(Ls, 0, 1);
    lua.lua_pushvalue(Ls, -1);
    lua.lua_setmetatable(Ls, 1);
  }
  lobject.pushobj2s(Ls, tableTV(ctx!.env));
  lua.lua_setfield(Ls, -2, to_luastring('__index'));
  return 0;
};
