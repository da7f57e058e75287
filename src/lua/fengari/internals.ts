/**
 * Typed-enough access to fengari (Lua 5.3 in JavaScript) and the internal modules the
 * runtime drives directly for speed (building tables without the C-like API) and patches
 * once (number printing and error texts in gopher-lua's dialect). fengari 0.1.5 is the
 * final release; the internals used here are stable in it.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/* eslint-disable @typescript-eslint/no-explicit-any */
const fengari: any = require('fengari');
export const lua: any = fengari.lua;
export const lauxlib: any = fengari.lauxlib;
export const lualib: any = fengari.lualib;
export const lobject: any = require('fengari/src/lobject.js');
export const ltable: any = require('fengari/src/ltable.js');
export const lstring: any = require('fengari/src/lstring.js');
export const ldebug: any = require('fengari/src/ldebug.js');
export const ltm: any = require('fengari/src/ltm.js');
export const lopcodes: any = require('fengari/src/lopcodes.js');
const defs: any = require('fengari/src/defs.js');
export const lstate: any = require('fengari/src/lstate.js');
export const lfunc: any = require('fengari/src/lfunc.js');
export const lvm: any = require('fengari/src/lvm.js');
export const ldo: any = require('fengari/src/ldo.js');

export const T = defs.constant_types as {
  LUA_TNIL: number;
  LUA_TBOOLEAN: number;
  LUA_TLIGHTUSERDATA: number;
  LUA_TNUMBER: number;
  LUA_TSTRING: number;
  LUA_TTABLE: number;
  LUA_TFUNCTION: number;
  LUA_TUSERDATA: number;
  LUA_TTHREAD: number;
  LUA_TNUMFLT: number;
  LUA_TNUMINT: number;
  LUA_TSHRSTR: number;
  LUA_TLNGSTR: number;
  LUA_TLCL: number;
  LUA_TLCF: number;
  LUA_TCCL: number;
};

export const TValue: any = lobject.TValue;
export const Table: any = ltable.Table;

export const to_luastring: (s: string, cache?: boolean) => Uint8Array = fengari.to_luastring;
export const to_jsstring: (b: Uint8Array, from?: number, to?: number, replacement?: boolean) => string = fengari.to_jsstring;
