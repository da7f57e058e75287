/**
 * Raising a Lua error from JavaScript inside fengari's VM (luaG_runerror: the message gets the
 * running Lua function's position), used by the patches and by the runtime's bounds.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { lauxlib, ldebug, lstate, lua, to_jsstring, to_luastring } from './internals.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export function runError(Ls: any, msg: string): never {
  ldebug.luaG_runerror(Ls, to_luastring('%s'), to_luastring(msg));
  throw new Error('unreachable');
}

/** An error with the position of the nearest Lua function within `levels` frames (state.go where with skipg). */
export function runErrorNamingLuaCaller(Ls: any, msg: string, levels: number): never {
  if (Ls.ci.callstatus & lstate.CIST_LUA) runError(Ls, msg);
  for (let level = 0; level <= levels; level++) {
    lauxlib.luaL_where(Ls, level);
    const where = to_jsstring(lua.lua_tolstring(Ls, -1), undefined, undefined, true);
    lua.lua_pop(Ls, 1);
    if (where !== '') runError(Ls, where + msg);
  }
  runError(Ls, msg);
}
