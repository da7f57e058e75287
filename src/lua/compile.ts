/**
 * The compile cache: one chunk per script text (Argo CD keeps an LRU of 1024), its integer
 * constants turned into floats (gopher-lua has only float64 numbers).
 */
import { T, lauxlib, lua, to_luastring } from './fengari/internals.js';
import { setCompiling } from './fengari/scope.js';
import { L } from './context.js';
import {
  checkGopherLuaSyntax,
  gopherSource,
  gopherSyntaxErrorText,
  gopherSyntaxFromLuaError,
  gopherSyntaxMessage,
  withVarargArg,
} from './syntax.js';
import { jsString } from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface Compiled {
  closure?: any; // LClosure
  error?: string;
}
export const compiled = new Map<string, Compiled>();
const COMPILED_MAX = 1024; // Argo's LRU size

export function floatConstants(p: any): void {
  for (const k of p.k) if (k.type === T.LUA_TNUMINT) k.type = T.LUA_TNUMFLT;
  for (const sub of p.p) floatConstants(sub);
}

export function compile(script: string): Compiled {
  let c = compiled.get(script);
  if (c) return c;
  const problems = checkGopherLuaSyntax(script);
  if (problems.length > 0) {
    c = { error: gopherSyntaxMessage(script) ?? gopherSyntaxErrorText(problems[0]!) };
  } else {
    setCompiling(true);
    let status: number;
    try {
      status = lauxlib.luaL_loadbuffer(L, to_luastring(withVarargArg(gopherSource(script))), null, to_luastring('=<string>'));
    } finally {
      setCompiling(false);
    }
    if (status !== lua.LUA_OK) {
      const e = jsString(L, -1);
      c = { error: gopherSyntaxFromLuaError(script, e) ?? e };
    } else {
      const cl = L.stack[L.top - 1].value;
      floatConstants(cl.p);
      cl.p.gopherScript = script; // debug.getinfo's lastlinedefined of the main chunk (compile.go Compile)
      c = { closure: cl };
    }
    lua.lua_pop(L, 1);
  }
  if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value as string);
  compiled.set(script, c);
  return c;
}
