/**
 * string.gmatch and string.gsub as gopher-lua runs them (stringlib.go strGmatch/strGsub over
 * pm/pm.go Find). pm.Find collects every match first: from each start position it takes the
 * first match at or after it, then goes on at max(start + 1, end of the match), so an empty
 * match right after a non-empty one counts ("a,b" with "[^,]*" gives a, "", b, ""; fengari,
 * as Lua 5.3, skips it); a pattern starting with "^" is tried once, at the start, in gmatch
 * too. Matching itself is fengari's string.find (same pattern language for what health checks
 * use). gsub then replaces each match: in a replacement string "%0".."%9" name captures
 * ("invalid capture index" past them), any other "%c" stays as written; a table or function
 * result that is false or nil keeps the match, any other non-string value prints as "".
 */
import { joinBytes } from './gostrings.js';
import { gopherRaise } from './gowhere.js';
import { lauxlib, lua, to_jsstring, } from './fengari-internals.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Fn = (Ls: any) => number;

type Cap = Uint8Array | number;
interface Match {
  start: number; // 0-based
  end: number; // exclusive
  caps: Cap[]; // captures (none: empty)
}

function raise(Ls: any, msg: string): never {
  return gopherRaise(Ls, msg);
}

function findAll(Ls: any, find: Fn, sIdx: number, pIdx: number, limit: number): Match[] {
  const len = lua.lua_rawlen(Ls, sIdx);
  const head = lua.lua_tolstring(Ls, pIdx)[0] === 0x5e; // '^': pattern.MustHead
  const out: Match[] = [];
  for (let sp = 0; sp <= len; ) {
    const base = lua.lua_gettop(Ls);
    lua.lua_pushcfunction(Ls, find);
    lua.lua_pushvalue(Ls, sIdx);
    lua.lua_pushvalue(Ls, pIdx);
    lua.lua_pushnumber(Ls, sp + 1);
    if (lua.lua_pcall(Ls, 3, lua.LUA_MULTRET, 0) !== lua.LUA_OK) {
      // A pattern error raised inside string.find names no line (its caller is this function):
      // raise it again with the Lua caller's position, as gopher-lua's RaiseError does.
      if (lua.lua_type(Ls, -1) === lua.LUA_TSTRING) {
        const msg = to_jsstring(lua.lua_tolstring(Ls, -1));
        if (!/^[^\n]*?:\d+: /.test(msg)) {
          lua.lua_settop(Ls, base);
          raise(Ls, msg);
        }
      }
      return lua.lua_error(Ls) as never;
    }
    const n = lua.lua_gettop(Ls) - base;
    if (n === 0 || lua.lua_isnil(Ls, base + 1)) {
      lua.lua_settop(Ls, base);
      break;
    }
    const start = lua.lua_tonumber(Ls, base + 1) - 1;
    const end = lua.lua_tonumber(Ls, base + 2);
    const caps: Cap[] = [];
    for (let i = base + 3; i <= base + n; i++) caps.push(lua.lua_type(Ls, i) === lua.LUA_TNUMBER ? lua.lua_tonumber(Ls, i) : lua.lua_tolstring(Ls, i));
    lua.lua_settop(Ls, base);
    out.push({ start, end, caps });
    sp = Math.max(start + 1, end, sp + 1); // always forward
    if (out.length === limit || head) break;
  }
  return out;
}

function pushCap(Ls: any, c: Cap): void {
  if (typeof c === 'number') lua.lua_pushnumber(Ls, c);
  else lua.lua_pushlstring(Ls, c, c.length);
}

export function makeGmatch(find: () => Fn): Fn {
  return (Ls) => {
    lauxlib.luaL_checklstring(Ls, 1);
    lauxlib.luaL_checklstring(Ls, 2);
    const s: Uint8Array = lua.lua_tolstring(Ls, 1);
    const matches = findAll(Ls, find(), 1, 2, -1);
    let i = 0;
    lua.lua_pushcfunction(Ls, (L2: any) => {
      const m = matches[i++];
      if (m === undefined) return 0;
      if (m.caps.length === 0) {
        lua.lua_pushlstring(L2, s.subarray(m.start, m.end), m.end - m.start);
        return 1;
      }
      for (const c of m.caps) pushCap(L2, c);
      return m.caps.length;
    });
    return 1;
  };
}

function asString(Ls: any, idx: number): Uint8Array | undefined {
  // LVIsFalse keeps the match; LVAsString: a string or number, anything else "".
  const t = lua.lua_type(Ls, idx);
  if (t === lua.LUA_TNIL || (t === lua.LUA_TBOOLEAN && !lua.lua_toboolean(Ls, idx))) return undefined;
  if (t === lua.LUA_TSTRING || t === lua.LUA_TNUMBER) {
    lauxlib.luaL_tolstring(Ls, idx);
    const b: Uint8Array = lua.lua_tolstring(Ls, -1);
    lua.lua_pop(Ls, 1);
    return b;
  }
  return new Uint8Array(0);
}

function capBytes(c: Cap): Uint8Array {
  return typeof c === 'number' ? new TextEncoder().encode(String(c)) : c;
}

export function makeGsub(find: () => Fn): Fn {
  return (Ls) => {
    // Without a match gopher-lua returns argument 1 itself (L.SetTop(1)): a number stays a number.
    const num = lua.lua_type(Ls, 1) === lua.LUA_TNUMBER ? lua.lua_tonumber(Ls, 1) : undefined;
    lauxlib.luaL_checklstring(Ls, 1);
    lauxlib.luaL_checklstring(Ls, 2);
    // auxlib.go CheckTypes(3, LTString, LTTable, LTFunction): a number is refused too.
    const rt = lua.lua_type(Ls, 3);
    if (rt !== lua.LUA_TSTRING && rt !== lua.LUA_TTABLE && rt !== lua.LUA_TFUNCTION) {
      const got = rt < 0 ? 'nil' : to_jsstring(lua.lua_typename(Ls, rt));
      raise(Ls, `bad argument #3 to gsub (string or table or function expected, got ${got})`);
    }
    const limit = lua.lua_isnoneornil(Ls, 4) ? -1 : lauxlib.luaL_checkinteger(Ls, 4);
    const s: Uint8Array = lua.lua_tolstring(Ls, 1);
    const matches = findAll(Ls, find(), 1, 2, limit);
    if (matches.length === 0) {
      lua.lua_settop(Ls, 1);
      if (num !== undefined) {
        lua.lua_pop(Ls, 1);
        lua.lua_pushnumber(Ls, num);
      }
      lua.lua_pushnumber(Ls, 0);
      return 2;
    }
    const parts: Uint8Array[] = [];
    let last = 0;
    const repl = rt === lua.LUA_TSTRING ? (lua.lua_tolstring(Ls, 3) as Uint8Array) : undefined;
    for (const m of matches) {
      const whole = s.subarray(m.start, m.end);
      let r: Uint8Array | undefined;
      if (repl !== undefined) {
        const out: number[] = [];
        for (let i = 0; i < repl.length; i++) {
          const c = repl[i]!;
          if (c !== 0x25 || i === repl.length - 1) {
            out.push(c);
            continue;
          }
          const d = repl[++i]!;
          if (d === 0x25) out.push(0x25);
          else if (d >= 0x30 && d <= 0x39) {
            const k = d - 0x30;
            // capturedString: %0 and %1 without captures are the whole match
            if (k > 1 && k > m.caps.length) raise(Ls, 'invalid capture index');
            const b = k === 0 || m.caps.length === 0 ? whole : capBytes(m.caps[k - 1]!);
            for (const x of b) out.push(x);
          } else out.push(0x25, d);
        }
        r = Uint8Array.from(out);
      } else if (rt === lua.LUA_TTABLE) {
        const key = m.caps.length > 0 ? m.caps[0]! : whole;
        pushCap(Ls, key);
        lua.lua_gettable(Ls, 3);
        r = asString(Ls, -1);
        lua.lua_pop(Ls, 1);
      } else {
        lua.lua_pushvalue(Ls, 3);
        if (m.caps.length === 0) pushCap(Ls, whole);
        for (const c of m.caps) pushCap(Ls, c);
        lua.lua_call(Ls, Math.max(m.caps.length, 1), 1);
        r = asString(Ls, -1);
        lua.lua_pop(Ls, 1);
      }
      if (r === undefined) continue;
      parts.push(s.subarray(last, m.start), r);
      last = m.end;
    }
    parts.push(s.subarray(last));
    const buf = joinBytes(parts);
    lua.lua_pushlstring(Ls, buf, buf.length);
    lua.lua_pushnumber(Ls, matches.length);
    return 2;
  };
}

/**
 * gopher-lua's pattern matcher (pm) has no frontier pattern: "%f" is an escaped "f", a literal
 * (pm.go: a "%" before a character that is no class letter). Rewriting "%f" to "f" gives Lua
 * 5.3's matcher the same meaning; every other escape is left as written.
 */
export function withoutFrontier(orig: Fn, plainArg?: number): Fn {
  return (Ls) => {
    if (lua.lua_type(Ls, 2) === lua.LUA_TSTRING && !(plainArg !== undefined && lua.lua_toboolean(Ls, plainArg))) {
      const p: Uint8Array = lua.lua_tolstring(Ls, 2);
      let has = false;
      for (let i = 0; i + 1 < p.length; i++) {
        if (p[i] === 0x25) {
          if (p[i + 1] === 0x66) {
            has = true;
            break;
          }
          i++;
        }
      }
      if (has) {
        const out: number[] = [];
        for (let i = 0; i < p.length; i++) {
          if (p[i] === 0x25 && i + 1 < p.length) {
            if (p[i + 1] !== 0x66) out.push(0x25);
            out.push(p[++i]!);
          } else out.push(p[i]!);
        }
        lua.lua_pushlstring(Ls, Uint8Array.from(out), out.length);
        lua.lua_replace(Ls, 2);
      }
    }
    return orig(Ls);
  };
}
