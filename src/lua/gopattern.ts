/**
 * string.gmatch and string.gsub as gopher-lua runs them (stringlib.go strGmatch/strGsub over
 * pm/pm.go Find). pm.Find collects every match first: from each start position it takes the
 * first match at or after it, then goes on at max(start + 1, end of the match), so an empty
 * match right after a non-empty one counts ("a,b" with "[^,]*" gives a, "", b, ""; fengari,
 * as Lua 5.3, skips it); a pattern starting with "^" is tried once, at the start, in gmatch
 * too. Matching itself is pm's (pm.ts), as are string.find and string.match here. gsub then
 * replaces each match: in a replacement string "%0".."%9" name captures
 * ("invalid capture index" past them), any other "%c" stays as written; a table or function
 * result that is false or nil keeps the match, any other non-string value prints as "".
 */
import { joinBytes, luaIndex2StringIndex } from './gostrings.js';
import { gopherRaise } from './gowhere.js';
import { lauxlib, lua, to_jsstring, to_luastring } from './fengari/internals.js';
import { type MatchData, PmError, pmFind } from './pm.js';

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

let pmStep: (Ls: any, cost: number) => void = () => {};

/** The deadline charge for pattern matching (bounds.ts charge). */
export function setPmStep(f: (Ls: any, cost: number) => void): void {
  pmStep = f;
}

/** pm.Find with gopher-lua's RaiseError(err.Error()) for a malformed pattern. */
function gopherFind(Ls: any, p: Uint8Array, s: Uint8Array, offset: number, limit: number): MatchData[] {
  try {
    return pmFind(p, s, offset, limit, (cost) => pmStep(Ls, cost));
  } catch (e) {
    if (e instanceof PmError) raise(Ls, e.message);
    throw e;
  }
}

function toMatch(s: Uint8Array, md: MatchData): Match {
  const caps: Cap[] = [];
  for (let i = 2; i < md.length; i += 2) caps.push(md.isPos(i) ? md.at(i) : s.subarray(md.at(i), md.at(i + 1)));
  return { start: md.at(0), end: md.at(1), caps };
}

function findAll(Ls: any, sIdx: number, pIdx: number, limit: number): Match[] {
  const s: Uint8Array = lua.lua_tolstring(Ls, sIdx);
  return gopherFind(Ls, lua.lua_tolstring(Ls, pIdx), s, 0, limit).map((md) => toMatch(s, md));
}

/** auxlib.go OptInt: nil gives the default, else a number, truncated. */
function optInt(Ls: any, i: number, d: number, fn: string): number {
  const t = lua.lua_type(Ls, i);
  if (t === lua.LUA_TNIL || t === lua.LUA_TNONE) return d;
  if (t !== lua.LUA_TNUMBER)
    raise(
      Ls,
      `bad argument #${i} to ${fn} (number expected, got ${t === lua.LUA_TSTRING ? 'string' : to_jsstring(lua.lua_typename(Ls, t))})`,
    );
  const v = lua.lua_tonumber(Ls, i);
  // Go's int(f) on amd64: NaN, infinities and what int64 cannot hold are the minimum int64
  return Number.isNaN(v) || v >= 9223372036854775808 || v < -9223372036854775808 ? -9223372036854775808 : Math.trunc(v);
}

function pushCaptures(Ls: any, s: Uint8Array, md: MatchData): number {
  let n = 0;
  for (let i = 2; i < md.length; i += 2) {
    if (md.isPos(i)) lua.lua_pushnumber(Ls, md.at(i));
    else lua.lua_pushlstring(Ls, s.subarray(md.at(i), md.at(i + 1)), md.at(i + 1) - md.at(i));
    n++;
  }
  return n;
}

/** stringlib.go strFind. */
export const gopherStrFind: Fn = (Ls) => {
  const s: Uint8Array = lauxlib.luaL_checklstring(Ls, 1);
  const p: Uint8Array = lauxlib.luaL_checklstring(Ls, 2);
  if (p.length === 0) {
    lua.lua_pushnumber(Ls, 1);
    lua.lua_pushnumber(Ls, 0);
    return 2;
  }
  const init = luaIndex2StringIndex(s.length, optInt(Ls, 3, 1, 'find'), true);
  const plain = lua.lua_gettop(Ls) === 4 && lua.lua_toboolean(Ls, 4);
  if (plain) {
    // strings.Index(str[init:], pattern): Go panics past the end, and pcall catches it
    if (init > s.length) {
      lua.lua_pushstring(Ls, to_luastring(`runtime error: slice bounds out of range [${init}:${s.length}]`));
      return lua.lua_error(Ls);
    }
    const pos = indexOf(Ls, s, p, init);
    if (pos < 0) {
      lua.lua_pushnil(Ls);
      return 1;
    }
    lua.lua_pushnumber(Ls, pos + 1);
    lua.lua_pushnumber(Ls, pos + p.length);
    return 2;
  }
  const mds = gopherFind(Ls, p, s, init, 1);
  if (mds.length === 0) {
    lua.lua_pushnil(Ls);
    return 1;
  }
  const md = mds[0]!;
  lua.lua_pushnumber(Ls, md.at(0) + 1);
  lua.lua_pushnumber(Ls, md.at(1));
  return 2 + pushCaptures(Ls, s, md);
};

function indexOf(Ls: any, s: Uint8Array, p: Uint8Array, from: number): number {
  const first = p[0]!;
  const last = s.length - p.length;
  for (let i = from; i <= last; i++) {
    if (s[i] !== first) continue;
    let j = 1;
    while (j < p.length && s[i + j] === p[j]) j++;
    if (j === p.length) return i;
    if ((i & 4095) === 4095) pmStep(Ls, 128 * (1 + (p.length >> 5)));
  }
  return -1;
}

/** stringlib.go strMatch: no match pushes nil but returns 0 values. */
export const gopherStrMatch: Fn = (Ls) => {
  const s: Uint8Array = lauxlib.luaL_checklstring(Ls, 1);
  const p: Uint8Array = lauxlib.luaL_checklstring(Ls, 2);
  let offset = optInt(Ls, 3, 1, 'match');
  if (offset < 0) offset = s.length + offset + 1;
  offset--;
  if (offset < 0) offset = 0;
  const mds = gopherFind(Ls, p, s, offset, 1);
  if (mds.length === 0) {
    lua.lua_pushnil(Ls);
    return 0;
  }
  const md = mds[0]!;
  if (md.length / 2 === 1) {
    lua.lua_pushlstring(Ls, s.subarray(md.at(0), md.at(1)), md.at(1) - md.at(0));
    return 1;
  }
  return pushCaptures(Ls, s, md);
};

function pushCap(Ls: any, c: Cap): void {
  if (typeof c === 'number') lua.lua_pushnumber(Ls, c);
  else lua.lua_pushlstring(Ls, c, c.length);
}

export function makeGmatch(): Fn {
  return (Ls) => {
    lauxlib.luaL_checklstring(Ls, 1);
    lauxlib.luaL_checklstring(Ls, 2);
    const s: Uint8Array = lua.lua_tolstring(Ls, 1);
    const matches = findAll(Ls, 1, 2, -1);
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

export function makeGsub(): Fn {
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
    const matches = findAll(Ls, 1, 2, limit);
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
