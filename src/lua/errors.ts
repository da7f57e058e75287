/**
 * Error texts in gopher-lua's words: library argument errors (function name, argument number
 * and position as auxlib.go ArgError writes them), `error` with a level, and the message an
 * evaluation that failed records.
 */
import { T, lauxlib, lstate, lua, to_jsstring, to_luastring } from './fengari/internals.js';
import { goNumberString } from './gonum.js';
import { GOPHER_TYPE_NAMES } from './api.js';
import { gopherWhere } from './gowhere.js';
import { type Fn, luaStringOf, objectId, raise, typeName } from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Set by `error` just before it raises a script's own value: its text is not rewritten. */
let userErrorRaise = false;

/**
 * The function name of a library argument error as gopher-lua writes it (auxlib.go ArgError:
 * rawFrameFuncName, _state.go:740 frameFuncName): the name the compiler recorded for the call
 * (compile.go:1757 getExprName: a variable's name, a field's string key, a method's name, else
 * "?") when a Lua function called it, else "(anonymous)" (called from pcall, a metamethod, a
 * for iterator, another library function). fengari's luaL_argerror also counts a method's self
 * out of the argument numbers ("calling 'rep' on bad self"); gopher-lua counts it as #1. A
 * message fengari wrote has no position yet (luaL_where of the C function): gopher-lua's
 * where(1, skipg) names the nearest Lua line (gowhere.ts).
 */
function gopherArgName(Ls: any, msg: string): string {
  const m = /^(?:[^\n]*?:\d+: | ?)(?:bad argument #(\d+) to ('[^']*'|[^ ']*) \(|calling '[^']*' on bad self \()/.exec(msg);
  if (m === null || Ls.ci.callstatus & lstate.CIST_LUA) return msg;
  const parent = Ls.ci.previous;
  let name = '(anonymous)';
  let method = false;
  if (parent && parent.callstatus & lstate.CIST_LUA) {
    const ar = new lua.lua_Debug();
    if (lua.lua_getstack(Ls, 0, ar) && lua.lua_getinfo(Ls, to_luastring('n'), ar)) {
      const what = ar.namewhat ? to_jsstring(ar.namewhat) : '';
      method = what === 'method';
      if (what === 'global' || what === 'local' || what === 'upvalue' || what === 'field' || what === 'method')
        name = ar.name ? to_jsstring(ar.name) : '?';
      else if (what === '' || what === 'constant') name = '?';
    }
  }
  // fengari's texts (a quoted name) counted a method's self out; gopherRaise's did not
  let n = m[1] === undefined ? 1 : Number(m[1]);
  if (m[1] !== undefined && m[2].startsWith("'") && method) n++;
  const rest = msg
    .slice(m[0].length)
    .replace(/^(\w+ expected, got) no value\)$/, '$1 nil)')
    .replace(/^number has no integer representation\)$/, 'number expected, got string)');
  return `${gopherWhere(Ls, 0)}bad argument #${n} to ${name} (${rest}`;
}

/** baselib.go baseError: L.CheckAny(1), so error() with no argument is an argument error. */
export function wrapError(orig: Fn): Fn {
  return (Ls) => {
    if (lua.lua_gettop(Ls) === 0) raise(Ls, 'bad argument #1 to error (value expected)');
    // baselib.go baseError: L.OptInt(2, 1), a number or nothing ("2" is refused too)
    const t2 = lua.lua_type(Ls, 2);
    if (t2 !== lua.LUA_TNONE && t2 !== lua.LUA_TNIL && t2 !== lua.LUA_TNUMBER)
      raise(Ls, `bad argument #2 to error (number expected, got ${GOPHER_TYPE_NAMES[t2] ?? 'nil'})`);
    // state.go Error -> raiseError(level): the position is where(level-1, skipg) (gowhere.ts),
    // so level 2 names the same line as level 1, and level 3 the caller's.
    if (lua.lua_type(Ls, 1) === lua.LUA_TSTRING) {
      const level = lauxlib.luaL_optinteger(Ls, 2, 1);
      if (level > 0) {
        const where = gopherWhere(Ls, level - 1);
        lua.lua_settop(Ls, 1);
        lua.lua_pushstring(Ls, to_luastring(where));
        lua.lua_insert(Ls, 1);
        lua.lua_concat(Ls, 2);
        userErrorRaise = true;
        return lua.lua_error(Ls);
      }
    }
    userErrorRaise = true;
    return orig(Ls);
  };
}

/**
 * The text the luaG_errormsg patch (fengari/error-texts.ts) raises instead of a library error's
 * `tv`, or undefined to keep it. A value raised by `error` itself is the script's own: kept.
 */
export function libErrorText(Ls: any, tv: any): string | undefined {
  const fromError = userErrorRaise;
  userErrorRaise = false;
  if (tv?.ttisstring() && !fromError) {
    const msg = luaStringOf(tv);
    const text = gopherLibError(gopherArgName(Ls, msg));
    if (text !== msg) return text;
  }
  return undefined;
}

/**
 * Library argument errors: fengari (lauxlib) writes `bad argument #1 to 'ipairs' (table
 * expected, got nil)`, gopher-lua's ArgError/TypeError `bad argument #1 to ipairs (table
 * expected, got nil)` (no quotes around the function name). Rewritten when raised
 * (luaG_errormsg patch), and again in the final message.
 */
function gopherArgError(msg: string): string {
  return gopherLibError(msg);
}

/**
 * fengari's library error texts in gopher-lua's words: ArgError/TypeError write the function
 * name without quotes and a missing argument as nil (auxlib.go: L.Get of an absent argument is
 * LNil), table.concat says `for concat` (tablelib.go).
 */
function gopherLibError(msg: string): string {
  const m = /^((?:[^\n]*?:\d+: )?)bad argument #(\d+) to '([^']*)' \(/.exec(msg);
  if (m) {
    // A string where CheckInt wants a number: fengari calls it "number has no integer representation".
    const rest = msg
      .slice(m[0].length)
      .replace(/^(\w+ expected, got) no value\)$/, '$1 nil)')
      .replace(/^number has no integer representation\)$/, 'number expected, got string)');
    return `${m[1]}bad argument #${m[2]} to ${m[3]} (${rest}`;
  }
  const cap = /^(.*)invalid capture index %\d+(?: in (?:pattern|replacement string))?$/s.exec(msg);
  if (cap) return `${cap[1]}invalid capture index`;
  if (msg.endsWith(" in table for 'concat'")) return `${msg.slice(0, -" in table for 'concat'".length)} in table for concat`;
  return msg;
}
export function errorMessage(Ls: any): string {
  const tv = Ls.stack[Ls.top - 1];
  if (!tv) return '';
  if (tv.type === T.LUA_TLIGHTUSERDATA && tv.value instanceof Error) return tv.value.message;
  if (tv.ttisstring()) return gopherArgError(luaStringOf(tv));
  if (tv.ttisnumber()) return goNumberString(tv.value);
  if (tv.ttisnil()) return 'nil';
  if (tv.ttisboolean()) return tv.value ? 'true' : 'false';
  return `${typeName(tv)}: 0x${objectId(tv.value).toString(16)}`;
}
