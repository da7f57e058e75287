/**
 * string.format as gopher-lua runs it: Go's fmt.Sprintf over the Lua values (`wrapFormat`),
 * through the port of Go's fmt in gofmt.ts.
 */
import { lua } from './fengari/internals.js';
import { type GoArg, GoStructVerb, gopherStringFormat } from './gofmt.js';
import { type Fn, checkJsString, gopherKeyString } from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A Lua string's bytes as a byte string (one character per byte), as gofmt.ts works on them. */
function byteString(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function bytesOf(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * string.format as gopher-lua does it (stringlib.go strFormat): Go's fmt.Sprintf over the
 * format and the Lua values themselves, ported in gofmt.ts. A number verb given a table,
 * function or thread (Go prints its internal struct, addresses and all) is left to fengari,
 * which raises an argument error (docs/sandbox.md, known differences).
 */
export function wrapFormat(orig: Fn): Fn {
  return (Ls) => {
    checkJsString(Ls, 1);
    const format = byteString(lua.lua_tolstring(Ls, 1));
    const top = lua.lua_gettop(Ls);
    const args: GoArg[] = [];
    for (let i = 2; i <= top; i++) {
      const t = lua.lua_type(Ls, i);
      if (t === lua.LUA_TNUMBER) args.push({ t: 'number', v: lua.lua_tonumber(Ls, i) });
      else if (t === lua.LUA_TSTRING) args.push({ t: 'string', b: byteString(lua.lua_tolstring(Ls, i)) });
      else if (t === lua.LUA_TBOOLEAN) args.push({ t: 'bool', v: lua.lua_toboolean(Ls, i) });
      else if (t === lua.LUA_TNIL) args.push({ t: 'nil' });
      else
        args.push({
          t: 'ref',
          goType: GO_LVALUE_TYPES[t] ?? '*lua.LUserData',
          str: gopherKeyString(Ls.stack[Ls.ci.funcOff + i]),
        });
    }
    let out: string;
    try {
      out = gopherStringFormat(format, args);
    } catch (e) {
      if (e instanceof GoStructVerb) return orig(Ls);
      throw e;
    }
    lua.lua_pushstring(Ls, bytesOf(out));
    return 1;
  };
}

/** The Go type fmt names for an LValue of each Lua type (value.go). */
const GO_LVALUE_TYPES = [
  '*lua.LNilType',
  'lua.LBool',
  '*lua.LUserData',
  'lua.LNumber',
  'lua.LString',
  '*lua.LTable',
  '*lua.LFunction',
  '*lua.LUserData',
  '*lua.LState',
];
