/**
 * Patch `error-texts` (fidelity): errors raised inside fengari in gopher-lua's words
 * (ldebug.js luaG_runerror, luaG_errormsg).
 *
 * - luaG_runerror: the `for` errors (vm.go OP_FORPREP), fengari's JS stack bound as
 *   "stack overflow", and the position of a "table index is nil" raised inside rawset;
 * - luaG_errormsg: library errors (luaL_error -> lua_error) reworded by the runtime
 *   (src/lua/errors.ts libErrorText), also for a script that catches them with pcall;
 * - both: without an xpcall handler, gopher-lua closes every open upvalue of the thread before
 *   unwinding (state.go raiseError/Error: closeAllUpvalues), so after pcall catches the error,
 *   closures no longer share the locals they captured with the running functions.
 *
 * Scoped to evaluations: outside one, fengari's own behaviour.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { ldebug, lfunc, lstate, lua, to_jsstring, to_luastring } from './internals.js';
import { type PatchDeps, scope } from './scope.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export function install(deps: PatchDeps): void {
  const { gopherWhere, libErrorText } = deps;
  const origRunError = ldebug.luaG_runerror;
  const runErrorTexts: Record<string, string> = {
    "'for' limit must be a number": 'for statement limit must be a number',
    "'for' step must be a number": 'for statement step must be a number',
    "'for' initial value must be a number": 'for statement init must be a number',
    // fengari's bound on nested calls through JavaScript (metamethods, pcall: 200) comes
    // before gopher-lua's 256 frames; both end a runaway recursion, gopher-lua says this.
    'JS stack overflow': 'stack overflow',
  };
  ldebug.luaG_runerror = (Ls: any, fmt: Uint8Array, ...args: unknown[]) => {
    if (scope.evaluating) {
      if (Ls.errfunc === 0) lfunc.luaF_close(Ls, 0); // closeAllUpvalues, as in luaG_errormsg below
      const f = to_jsstring(fmt);
      const text = runErrorTexts[f];
      if (text !== undefined) return origRunError(Ls, to_luastring(text));
      // raised inside a library function (rawset): RaiseError names the nearest Lua line
      if (f.startsWith('table index is') && !(Ls.ci.callstatus & lstate.CIST_LUA))
        return origRunError(Ls, to_luastring(gopherWhere(Ls, 0) + f));
    }
    return origRunError(Ls, fmt, ...args);
  };
  const origErrorMsg = ldebug.luaG_errormsg;
  ldebug.luaG_errormsg = (Ls: any) => {
    if (scope.evaluating) {
      if (Ls.errfunc === 0) lfunc.luaF_close(Ls, 0);
      const text = libErrorText(Ls, Ls.stack[Ls.top - 1]);
      if (text !== undefined) {
        lua.lua_pop(Ls, 1);
        lua.lua_pushstring(Ls, to_luastring(text));
      }
    }
    return origErrorMsg(Ls);
  };
}
