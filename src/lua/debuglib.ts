/**
 * debug.getinfo as gopher-lua's debuglib.go debugGetInfo and state.go GetInfo/GetStack give it:
 * the fields name, what ("main", "Lua", "G" for a Go function, "tail"), source ("<string>",
 * "" for a Go function), currentline (-1 for a Go function or a function passed in, 0 when
 * "l" was not asked for), nups (the upvalues gopher-lua gives the closure: no _ENV),
 * linedefined, lastlinedefined (the main chunk's is compile.go's eline(last statement) + 1)
 * and func (with "f"), set in that order and only when not nil; no short_src or namewhat.
 * An option outside "fSlun" is GetInfo's error, so getinfo returns nil.
 */
import { GOPHER_TYPE_NAMES } from './api.js';
import { lua, to_jsstring, to_luastring } from './fengari/internals.js';
import { gopherChunkLastLine } from './syntax.js';
import { type Fn, raise } from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const str = (b: any): string => (b === null || b === undefined ? '' : typeof b === 'string' ? b : to_jsstring(b));

export const goGetinfo: Fn = (Ls) => {
  const t1 = lua.lua_type(Ls, 1);
  if (t1 !== lua.LUA_TFUNCTION && t1 !== lua.LUA_TNUMBER)
    raise(Ls, `bad argument #1 to getinfo (function or number expected, got ${GOPHER_TYPE_NAMES[t1] ?? 'nil'})`);
  const t2 = lua.lua_type(Ls, 2);
  if (t2 !== lua.LUA_TNONE && t2 !== lua.LUA_TNIL && t2 !== lua.LUA_TSTRING && t2 !== lua.LUA_TNUMBER)
    raise(Ls, `bad argument #2 to getinfo (string expected, got ${GOPHER_TYPE_NAMES[t2] ?? 'nil'})`);
  const what = t2 === lua.LUA_TNONE || t2 === lua.LUA_TNIL ? 'Slunf' : str(lua.lua_tolstring(Ls, 2));
  if (/[^fSlun]/.test(what)) {
    lua.lua_pushnil(Ls);
    return 1;
  }
  const ar = new lua.lua_Debug();
  let frame = false;
  if (t1 === lua.LUA_TNUMBER) {
    let level = Math.trunc(lua.lua_tonumber(Ls, 1));
    if (level < 0) {
      // GetStack: a negative level is the bottom frame
      level = 0;
      while (lua.lua_getstack(Ls, level + 1, ar)) level++;
    }
    if (!lua.lua_getstack(Ls, level, ar)) {
      lua.lua_pushnil(Ls);
      return 1;
    }
    lua.lua_getinfo(Ls, to_luastring('Slntf'), ar);
    frame = true;
  } else {
    lua.lua_pushvalue(Ls, 1);
    lua.lua_getinfo(Ls, to_luastring('>Sn'), ar);
    lua.lua_pushvalue(Ls, 1);
  }
  const fnIdx = lua.lua_gettop(Ls);
  const fw = str(ar.what);
  const isG = fw !== 'Lua' && fw !== 'main';
  const main = frame && fw === 'main';
  lua.lua_createtable(Ls, 0, 8);
  const setS = (k: string, v: string): void => {
    lua.lua_pushstring(Ls, to_luastring(v));
    lua.lua_setfield(Ls, -2, to_luastring(k));
  };
  const setN = (k: string, v: number): void => {
    lua.lua_pushnumber(Ls, v);
    lua.lua_setfield(Ls, -2, to_luastring(k));
  };
  let name = '';
  let w = '';
  let source = '';
  let currentline = 0;
  let nups = 0;
  let linedefined = 0;
  let lastlinedefined = 0;
  for (const c of what) {
    if (c === 'S') {
      w = main ? 'main' : isG ? 'G' : frame && ar.istailcall ? 'tail' : 'Lua';
      if (!isG) {
        source = str(ar.source).replace(/^[=@]/, '');
        linedefined = ar.linedefined;
        const cl = Ls.stack[Ls.ci.funcOff + fnIdx]?.value;
        lastlinedefined = main && typeof cl?.p?.gopherScript === 'string' ? gopherChunkLastLine(cl.p.gopherScript) : ar.lastlinedefined;
      }
    } else if (c === 'l') currentline = !isG && frame ? ar.currentline : -1;
    else if (c === 'u' && !isG) {
      for (let i = 1; ; i++) {
        const n = lua.lua_getupvalue(Ls, fnIdx, i);
        if (n === null || n === undefined) break;
        lua.lua_pop(Ls, 1);
        if (str(n) !== '_ENV') nups++;
      }
    } else if (c === 'n' && frame) name = main ? 'main chunk' : str(ar.name);
  }
  if (name !== '') setS('name', name);
  setS('what', w);
  setS('source', source);
  setN('currentline', currentline);
  setN('nups', nups);
  setN('linedefined', linedefined);
  setN('lastlinedefined', lastlinedefined);
  if (what.includes('f')) {
    lua.lua_pushvalue(Ls, fnIdx);
    lua.lua_setfield(Ls, -2, to_luastring('func'));
  }
  return 1;
};
