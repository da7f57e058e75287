/**
 * Error positions as gopher-lua writes them (state.go raiseError: fmt.Sprintf("%v %v",
 * ls.where(level-1, true), message)). where(level, skipg) takes the frame `level` up the call
 * stack, frame 0 being the running (Go) function, and moves up past Go functions to the
 * nearest Lua one; with no Lua frame left it is empty and the message keeps Sprintf's space.
 * So a library error names the Lua line even when pcall called the function directly
 * (`pcall(error, "m")` is "<string>:1: m"), and `error(msg, 2)` names the same line as level 1.
 * fengari's stack levels are the same frames (Lua and JavaScript functions alike).
 */
import { lauxlib, lua, to_luastring } from './fengari/internals.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** "<string>:N: " of the first Lua frame at or above `level`, or " " when there is none. */
export function gopherWhere(Ls: any, level: number): string {
  const ar = new lua.lua_Debug();
  for (let l = level; l <= level + 512; l++) {
    if (!lua.lua_getstack(Ls, l, ar)) break;
    lauxlib.luaL_where(Ls, l);
    const w = lua.lua_tojsstring(Ls, -1);
    lua.lua_pop(Ls, 1);
    if (w !== '') return w;
  }
  return ' ';
}

/** RaiseError from a library function (level 1). */
export function gopherRaise(Ls: any, msg: string): never {
  lua.lua_pushstring(Ls, to_luastring(gopherWhere(Ls, 0) + msg));
  lua.lua_error(Ls);
  throw new Error('unreachable');
}
