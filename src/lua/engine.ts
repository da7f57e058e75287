/**
 * Engine set-up: the one fengari state, fengari patched (fengari/index.ts), and the library
 * templates every evaluation's globals are copied from: fengari's libraries with gopher-lua's
 * functions put in where they differ (baselib.ts, stringlib.ts, goformat.ts, compare.ts,
 * gotable.ts, goos.ts, gopattern.ts), charged where one call can do unbounded work (bounds.ts).
 */
import { T, TValue, lauxlib, lobject, lua, lualib, to_luastring } from './fengari/internals.js';
import { installPatches } from './fengari/index.js';
import { runError } from './fengari/run-error.js';
import { luaopenSteppedString, setPatternStep } from './fengari/stepped-string.js';
import {
  GOPHER_CALL_STACK_SIZE,
  GOPHER_REGISTRY_SIZE,
  GOPHER_STRING_FUNCTIONS,
  GOPHER_TYPE_NAMES,
  HOOK_STEP,
  MAX_STRING_BYTES,
  MEMORY_MESSAGE,
  REGISTRY_SLACK,
} from './api.js';
import {
  luaAssert,
  luaCollectgarbage,
  luaDofile,
  luaGetfenv,
  luaIpairs,
  luaLoad,
  luaLoadfile,
  luaLoadlib,
  luaLoadstring,
  luaModule,
  luaNewproxy,
  luaNoop,
  luaPrint,
  luaRequire,
  luaSeeall,
  luaSetfenv,
  luaSetmetatable,
  luaTonumber,
  luaTostring,
  loaderLua,
  loaderPreload,
  makePairs,
  wrapSelect,
} from './baselib.js';
import { charge, chargedByLength, hook } from './bounds.js';
import { gopherSort, wrapSort } from './compare.js';
import { L, ctx, markBounded, setMainState } from './context.js';
import { goGetinfo } from './debuglib.js';
import { libErrorText, wrapError } from './errors.js';
import { wrapFormat } from './goformat.js';
import { goNumberString, goParseNumber, goPow } from './gonum.js';
import { argoSafeOs, gopherOs } from './goos.js';
import { gopherStrFind, gopherStrMatch, makeGmatch, makeGsub, setPmStep } from './gopattern.js';
import {
  arrayLength,
  deleteIntKey,
  deleteKey,
  gopherLen,
  gopherNext,
  hashKey,
  hasTombstones,
  naturalOrder,
  noteArrayKey,
  setArrayLength,
} from './gorder.js';
import { makeTableLib } from './gotable.js';
import { gopherWhere } from './gowhere.js';
import { goCase, goStrByte, goStrChar, goStrSub, optIntArg, wrapConcat, wrapGsub, wrapRep } from './stringlib.js';
import {
  type Fn,
  addStr,
  checkJsString,
  floatResults,
  gopherKeyString,
  jsString,
  luaStringOf,
  pushJsString,
  materialize,
  newTable,
  raise,
  rawGetStr,
  tableTV,
  typeName,
  boundedRaise,
} from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface Lib {
  [name: string]: any; // TValue of a function, or a number TValue
}

export let tmpl:
  | {
      base: Lib;
      table: Lib;
      string: Lib;
      math: Lib;
      os: Lib;
      safeOs: Lib;
      coroutine: Lib;
      debug: Lib;
      io: Lib;
      channel: Lib;
      packageFns: Lib;
      loaders: any[];
      osLoader: any;
    }
  | undefined;

function fnTV(f: Fn): any {
  return new TValue(T.LUA_TLCF, f);
}

function libFrom(tableTv: any, names: readonly string[], renames: Record<string, string> = {}): Lib {
  const out: Lib = {};
  for (const name of names) {
    const v = rawGetStr(tableTv.value, renames[name] ?? name);
    if (!v || v.ttisnil()) throw new Error(`fengari library lacks ${name}`);
    out[name] = v;
  }
  return out;
}

function getGlobalTV(name: string): any {
  lua.lua_getglobal(L, to_luastring(name));
  const tv = L.stack[L.top - 1];
  const copy = new TValue(tv.type, tv.value);
  lua.lua_pop(L, 1);
  return copy;
}

// --- table / math / string / os extras ---------------------------------------------------------

const tableGetn: Fn = (Ls) => {
  lauxlib.luaL_checktype(Ls, 1, lua.LUA_TTABLE);
  lua.lua_pushnumber(Ls, lua.lua_rawlen(Ls, 1));
  return 1;
};

/** tablelib.go tableMaxn: LTable.MaxN, the last non-nil slot of the array part (gopher-lua's Len). */
const tableMaxn: Fn = (Ls) => {
  lauxlib.luaL_checktype(Ls, 1, lua.LUA_TTABLE);
  lua.lua_pushnumber(Ls, lua.lua_rawlen(Ls, 1));
  return 1;
};

const num = (Ls: any, i: number): number => lauxlib.luaL_checknumber(Ls, i);
const pushNum = (Ls: any, v: number): number => {
  lua.lua_pushnumber(Ls, v);
  return 1;
};
const mathExtras: Record<string, Fn> = {
  cosh: (Ls) => pushNum(Ls, Math.cosh(num(Ls, 1))),
  sinh: (Ls) => pushNum(Ls, Math.sinh(num(Ls, 1))),
  tanh: (Ls) => pushNum(Ls, Math.tanh(num(Ls, 1))),
  log10: (Ls) => pushNum(Ls, Math.log10(num(Ls, 1))),
  pow: (Ls) => pushNum(Ls, goPow(num(Ls, 1), num(Ls, 2))), // mathlib.go mathPow: math.Pow
  atan2: (Ls) => pushNum(Ls, Math.atan2(num(Ls, 1), num(Ls, 2))),
  ldexp: (Ls) => pushNum(Ls, num(Ls, 1) * 2 ** num(Ls, 2)),
  frexp: (Ls) => {
    const x = num(Ls, 1);
    if (x === 0 || !Number.isFinite(x)) {
      lua.lua_pushnumber(Ls, x);
      lua.lua_pushnumber(Ls, 0);
      return 2;
    }
    let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
    let m = x * 2 ** -e;
    while (Math.abs(m) < 0.5) {
      m *= 2;
      e--;
    }
    while (Math.abs(m) >= 1) {
      m /= 2;
      e++;
    }
    lua.lua_pushnumber(Ls, m);
    lua.lua_pushnumber(Ls, e);
    return 2;
  },
};

const safeOsLoader: Fn = (Ls) => {
  lobject.pushobj2s(Ls, tableTV(copyLib(tmpl!.safeOs)));
  return 1;
};

export function initEngine(): void {
  if (L) return;
  installPatches({
    materialize,
    gorder: { gopherLen, hasTombstones, naturalOrder, gopherNext, hashKey, deleteKey, deleteIntKey, noteArrayKey },
    goPow,
    goNumberString,
    goParseNumber,
    typeName,
    gopherKeyString,
    luaStringOf,
    gopherWhere,
    libErrorText,
    callStackSize: GOPHER_CALL_STACK_SIZE,
    registrySize: GOPHER_REGISTRY_SIZE,
    registrySlack: REGISTRY_SLACK,
    maxStringBytes: MAX_STRING_BYTES,
    stringTooLong: (Ls) => {
      markBounded();
      return runError(Ls, MEMORY_MESSAGE);
    },
    charge,
  });
  setMainState(lauxlib.luaL_newstate());
  // tostring of a table, function or thread prints fengari's object id: started where Go's heap
  // addresses are (0xc000...), "table: 0xc000000123" has the length of gopher-lua's
  // "table: 0xc00005b740", so widths and lengths computed from it agree.
  L.l_G.id_counter = 0xc000000000;
  const req = (name: string, open: unknown) => {
    lauxlib.luaL_requiref(L, to_luastring(name), open, 1);
    lua.lua_pop(L, 1);
  };
  req('_G', lualib.luaopen_base);
  req('table', lualib.luaopen_table);
  req('string', luaopenSteppedString); // fengari's, with the deadline checked inside the matcher
  setPatternStep(charge);
  setPmStep(charge);
  req('math', lualib.luaopen_math);
  req('os', lualib.luaopen_os);
  req('coroutine', lualib.luaopen_coroutine);
  req('debug', lualib.luaopen_debug);
  const nextFn = getGlobalTV('next').value;

  const base: Lib = {
    assert: fnTV(luaAssert),
    collectgarbage: fnTV(luaCollectgarbage),
    dofile: fnTV(luaDofile),
    error: fnTV(wrapError(getGlobalTV('error').value)),
    getfenv: fnTV(luaGetfenv),
    getmetatable: getGlobalTV('getmetatable'),
    load: fnTV(luaLoad),
    loadfile: fnTV(luaLoadfile),
    loadstring: fnTV(luaLoadstring),
    next: getGlobalTV('next'),
    pcall: getGlobalTV('pcall'),
    print: fnTV(luaPrint),
    rawequal: getGlobalTV('rawequal'),
    rawget: getGlobalTV('rawget'),
    rawset: getGlobalTV('rawset'),
    select: fnTV(wrapSelect(floatResults(getGlobalTV('select').value))),
    _printregs: fnTV(luaNoop),
    setfenv: fnTV(luaSetfenv),
    setmetatable: fnTV(luaSetmetatable),
    tonumber: fnTV(luaTonumber),
    tostring: fnTV(luaTostring),
    type: getGlobalTV('type'),
    unpack: undefined,
    xpcall: getGlobalTV('xpcall'),
    newproxy: fnTV(luaNewproxy),
    module: fnTV(luaModule),
    require: fnTV(luaRequire),
    ipairs: fnTV(luaIpairs),
    pairs: fnTV(makePairs(nextFn)),
  };
  const tableLib = getGlobalTV('table');
  // baselib.go baseUnpack: L.CheckTable(1) (fengari's 5.3 unpack takes any value with a length),
  // OptInt start and end (end defaults to tb.Len()), values by RawGetInt (no __index); more values
  // than the registry holds is "registry overflow" (fengari would say "too many results")
  base.unpack = fnTV((Ls) => {
    if (lua.lua_type(Ls, 1) !== lua.LUA_TTABLE)
      raise(Ls, `bad argument #1 to unpack (table expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, 1)] ?? 'nil'})`);
    const start = optIntArg(Ls, 2, 1, 'unpack');
    const end = optIntArg(Ls, 3, lua.lua_rawlen(Ls, 1), 'unpack');
    if (start > end) return 0;
    const n = end - start + 1;
    if (n >= 1000000) raise(Ls, 'registry overflow');
    lua.lua_checkstack(Ls, n);
    for (let i = start; i <= end; i++) lua.lua_rawgeti(Ls, 1, i);
    return n;
  });
  const stringLib = getGlobalTV('string');
  const mathLib = getGlobalTV('math');
  const osLib = getGlobalTV('os');

  const table: Lib = {
    ...libFrom(tableLib, ['concat', 'insert', 'remove', 'sort']),
    getn: fnTV(tableGetn),
    maxn: fnTV(tableMaxn),
  };
  // Go's os.date/os.time (goos.ts): gopher-lua's oslib.go with open libs, Argo CD's
  // oslib_safe.go copy for require("os").
  const safeOs: Lib = { time: fnTV(argoSafeOs.time), date: fnTV(argoSafeOs.date) };
  // No table.time/table.date: Argo's OpenSafeOs calls RegisterModule("table", osFuncs), and
  // gopher-lua v1.1.2's RegisterModule (auxlib.go) returns an already-loaded module unchanged;
  // OpenTable loaded "table" just before (util/lua/lua.go), so nothing is added.

  // gfind is gmatch under its 5.0 name (fengari has no gfind)
  const str = libFrom(
    stringLib,
    GOPHER_STRING_FUNCTIONS.filter((n) => n !== 'gfind'),
  );
  str.gfind = str.gmatch;
  str.format = fnTV(wrapFormat(str.format.value));
  str.rep = fnTV(wrapRep(str.rep.value));
  str.gsub = fnTV(wrapGsub(str.gsub.value));
  // stringlib.go strMatch pushes nil but returns 0 values when nothing matches, so
  // tostring(string.match(s, p)) is "bad argument #1 to tostring (value expected)" there.
  const matchFn = str.match.value;
  str.match = fnTV((Ls) => {
    const n = matchFn(Ls);
    if (n === 1 && lua.lua_isnil(Ls, -1)) return 0;
    return n;
  });
  // charged by length inside the call, so the evaluation deadline holds there too
  str.lower = fnTV(chargedByLength(goCase(false), 4));
  str.upper = fnTV(chargedByLength(goCase(true), 4));
  str.reverse = fnTV(chargedByLength(str.reverse.value, 4));
  str.sub = fnTV(chargedByLength(goStrSub, 8));
  str.char = fnTV(goStrChar);
  // tablelib.go's insert/remove/concat over the array part (gotable.ts)
  const tableAt1 = (Ls: any): any => {
    const t = Ls.stack[Ls.ci.funcOff + 1].value;
    if (t.lazy !== undefined) materialize(t);
    return t;
  };
  const goTable = makeTableLib({
    len: (Ls) => lua.lua_rawlen(Ls, 1),
    arrayLength: (Ls) => arrayLength(tableAt1(Ls)),
    setArrayLength: (Ls, n) => setArrayLength(tableAt1(Ls), n),
  });
  table.insert = fnTV(goTable.insert);
  table.remove = fnTV(goTable.remove);
  table.concat = fnTV(wrapConcat(goTable.concat));
  table.sort = fnTV(wrapSort(gopherSort));
  for (const k of ['byte', 'find', 'len']) str[k] = fnTV(floatResults(str[k].value));
  str.byte = fnTV(goStrByte);
  // find, match, gmatch and gsub run gopher-lua's own matcher (pm.ts), as stringlib.go does.
  str.find = fnTV(gopherStrFind);
  str.match = fnTV(gopherStrMatch);
  str.gmatch = fnTV(makeGmatch());
  str.gfind = str.gmatch;
  str.gsub = fnTV(chargedByLength(wrapGsub(makeGsub()), 8));

  const math = libFrom(mathLib, [
    'abs',
    'acos',
    'asin',
    'atan',
    'ceil',
    'cos',
    'deg',
    'exp',
    'floor',
    'fmod',
    'huge',
    'log',
    'max',
    'min',
    'modf',
    'pi',
    'rad',
    'random',
    'randomseed',
    'sin',
    'sqrt',
    'tan',
  ]);
  for (const k of Object.keys(math)) {
    if (math[k].type === T.LUA_TLCF) math[k] = fnTV(floatResults(math[k].value));
  }
  for (const [k, f] of Object.entries(mathExtras)) math[k] = fnTV(f);
  // mathlib.go mathMax/mathMin: no argument is "wrong number of arguments".
  // Each argument goes through CheckNumber (a number or a numeric string), fengari compared them.
  for (const k of ['max', 'min']) {
    const f = math[k].value;
    math[k] = fnTV((Ls) => {
      const n = lua.lua_gettop(Ls);
      if (n === 0) raise(Ls, 'wrong number of arguments');
      for (let i = 1; i <= n; i++) {
        const t = lua.lua_type(Ls, i);
        if (t === lua.LUA_TNUMBER) continue;
        const v = t === lua.LUA_TSTRING ? goParseNumber(jsString(Ls, i)) : undefined;
        if (v === undefined) raise(Ls, `bad argument #${i} to ${k} (number expected, got ${GOPHER_TYPE_NAMES[t] ?? 'nil'})`);
        lua.lua_pushnumber(Ls, v);
        lua.lua_replace(Ls, i);
      }
      return f(Ls);
    });
  }
  math.mod = math.fmod;
  math.log = fnTV((Ls) => pushNum(Ls, Math.log(num(Ls, 1)))); // mathlib.go mathLog: no base argument
  // mathlib.go mathModf: Go's math.Modf (an infinity's fraction is NaN, -0 gives -0 and -0)
  const goModf = (f: number): [number, number] => {
    if (f < 1) {
      if (f < 0) {
        const [i, fr] = goModf(-f);
        return [-i, -fr];
      }
      if (f === 0) return [f, f];
      return [0, f];
    }
    const i = Math.trunc(f);
    return [i, f - i];
  };
  const origModf = math.modf!.value;
  math.modf = fnTV((Ls) => {
    origModf(Ls); // the argument check
    const [i, fr] = goModf(lua.lua_tonumber(Ls, 1));
    lua.lua_settop(Ls, 0);
    lua.lua_pushnumber(Ls, i);
    lua.lua_pushnumber(Ls, fr);
    return 2;
  });
  math.huge = new TValue(T.LUA_TNUMFLT, Number.MAX_VALUE); // gopher-lua: math.MaxFloat64, not inf

  const os: Lib = {
    ...libFrom(osLib, ['clock']),
    difftime: fnTV(gopherOs.difftime),
    time: fnTV(gopherOs.time),
    date: fnTV(gopherOs.date),
    // oslib.go:142 osGetEnv: os.Getenv of the controller's process, nil when unset or empty.
    // That environment is unknowable offline: every variable reads as unset, and the result
    // lists the names (HealthResult.environment) so `health test` can say so.
    getenv: fnTV((Ls) => {
      const name = checkJsString(Ls, 1);
      if (ctx) (ctx.environment ??= []).push(name);
      lua.lua_pushnil(Ls);
      return 1;
    }),
    // oslib.go has these too; they reach the controller's process and files, which wavegate
    // does not emulate: a call says so (type() sees a function, as in Argo CD).
    ...Object.fromEntries(
      ['execute', 'exit', 'remove', 'rename', 'setenv', 'setlocale', 'tmpname'].map((name) => [
        name,
        fnTV((Ls) => boundedRaise(Ls, `os.${name} is not emulated by wavegate (the script would run it in Argo CD's controller)`)),
      ]),
    ),
  };
  const coroutine = libFrom(getGlobalTV('coroutine'), ['create', 'resume', 'running', 'status', 'wrap', 'yield']);
  // coroutinelib.go: resume checks for a thread with TypeError's words; wrap re-raises the
  // coroutine's error as it is (fengari's auxwrap prefixed the position a second time).
  const coResume = coroutine.resume.value;
  coroutine.resume = fnTV((Ls) => {
    if (lua.lua_type(Ls, 1) !== lua.LUA_TTHREAD)
      raise(Ls, `bad argument #1 to resume (thread expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, 1)] ?? 'nil'})`);
    const n = coResume(Ls);
    // coroutinelib.go's words for a finished coroutine
    if (
      n === 2 &&
      !lua.lua_toboolean(Ls, -2) &&
      lua.lua_type(Ls, -1) === lua.LUA_TSTRING &&
      (jsString(Ls, -1) === 'cannot resume dead coroutine' || jsString(Ls, -1) === 'cannot resume non-suspended coroutine')
    ) {
      // coroutinelib.go coResume: "can not resume a dead thread", and for the thread that is
      // running (or waiting on the one it resumed) "can not resume a running thread"
      const dead = jsString(Ls, -1) === 'cannot resume dead coroutine';
      lua.lua_pop(Ls, 1);
      pushJsString(Ls, dead ? 'can not resume a dead thread' : 'can not resume a running thread');
    }
    return n;
  });
  const coYield = coroutine.yield.value;
  coroutine.yield = fnTV((Ls) => (lua.lua_isyieldable(Ls) ? coYield(Ls) : raise(Ls, 'can not yield from outside of a coroutine')));
  const coCreate = coroutine.create.value;
  const wrapped: Fn = (Ls) => {
    const n = lua.lua_gettop(Ls);
    lua.lua_pushcfunction(Ls, coResume);
    lua.lua_insert(Ls, 1);
    lua.lua_pushvalue(Ls, lua.lua_upvalueindex(1));
    lua.lua_insert(Ls, 2);
    lua.lua_call(Ls, n + 1, lua.LUA_MULTRET);
    if (!lua.lua_toboolean(Ls, 1)) {
      lua.lua_settop(Ls, 2);
      if (lua.lua_type(Ls, 2) === lua.LUA_TSTRING && jsString(Ls, 2) === 'cannot resume dead coroutine')
        raise(Ls, 'can not resume a dead thread');
      return lua.lua_error(Ls);
    }
    lua.lua_remove(Ls, 1);
    return lua.lua_gettop(Ls);
  };
  coroutine.wrap = fnTV((Ls) => {
    coCreate(Ls);
    lua.lua_pushcclosure(Ls, wrapped, 1);
    return 1;
  });
  // coroutinelib.go coRunning: nil on the main thread, else the coroutine (one value).
  coroutine.running = fnTV((Ls) => {
    if (lua.lua_pushthread(Ls)) lua.lua_pushnil(Ls);
    return 1;
  });
  const debug = libFrom(getGlobalTV('debug'), [
    'getinfo',
    'getlocal',
    'getmetatable',
    'getupvalue',
    'setlocal',
    'setmetatable',
    'setupvalue',
    'traceback',
  ]);
  debug.getinfo = fnTV(goGetinfo);
  debug.getfenv = fnTV(luaGetfenv);
  debug.setfenv = fnTV(luaSetfenv);

  // iolib.go and channellib.go exist with open libs; they reach the controller's files and Go
  // channels, which wavegate does not run: the names are there (type(io) is "table"), a call
  // says what it would do.
  const notEmulated = (lib: string, names: string[]): Lib =>
    Object.fromEntries(
      names.map((name) => [
        name,
        fnTV((Ls) => boundedRaise(Ls, `${lib}.${name} is not emulated by wavegate (the script would run it in Argo CD's controller)`)),
      ]),
    );
  const io = notEmulated('io', ['close', 'flush', 'lines', 'input', 'output', 'open', 'popen', 'read', 'type', 'tmpfile', 'write']);
  const channel = notEmulated('channel', ['make', 'select']);

  tmpl = {
    base,
    io,
    channel,
    table,
    string: str,
    math,
    os,
    safeOs,
    coroutine,
    debug,
    packageFns: { loadlib: fnTV(luaLoadlib), seeall: fnTV(luaSeeall) },
    loaders: [fnTV(loaderPreload), fnTV(loaderLua)],
    osLoader: fnTV(safeOsLoader),
  };

  // Nothing of fengari's own globals is visible to scripts: each evaluation runs in its own env.
  lua.lua_sethook(L, hook, lua.LUA_MASKCOUNT, HOOK_STEP);
}

export function copyLib(lib: Lib): any {
  const t = newTable();
  for (const k of Object.keys(lib)) {
    const v = lib[k];
    if (v !== undefined) addStr(t, k, new TValue(v.type, v.value));
  }
  return t;
}
