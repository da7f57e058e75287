/**
 * Argo CD's Lua health-check execution, emulated on fengari.
 *
 * Argo CD (util/lua/lua.go) runs a health script in a fresh gopher-lua VM: Lua 5.1 plus
 * goto, libraries `package`, base and `table` (no `table.time`/`table.date`: its "safe os"
 * loader cannot add to the loaded `table` module), `require("os")` returning `{time, date}`, and everything else only
 * with `useOpenLibs`. The object is the global `obj`; the last value the chunk returns is
 * encoded to JSON and decoded into `{status, message}`.
 *
 * Speed with isolation: one fengari state for the whole process, libraries loaded once.
 * Each evaluation sees pristine globals (its own `_G`), pristine copies of every library
 * table, its own `package.loaded` and `obj`, and reset type metatables, so nothing a script
 * writes survives into the next evaluation: environment tables are compared with a snapshot
 * after each run and reused only when untouched (added globals are cut back), else rebuilt.
 * `obj` sub-tables are filled on first access. Chunks are compiled once per script text;
 * their integer constants are turned into floats so arithmetic behaves like gopher-lua's
 * float64 numbers. fengari itself is patched once (number printing, error texts, constant
 * folding, lazy tables); the error-text patches act only while an evaluation runs.
 */
import { getHeapStatistics } from 'node:v8';
import {
  T,
  TValue,
  Table,
  lauxlib,
  ldebug,
  lobject,
  lopcodes,
  ldo,
  lfunc,
  lstate,
  lvm,
  lstring,
  ltable,
  ltm,
  lua,
  lualib,
  to_jsstring,
  to_luastring,
} from './fengari-internals.js';
import { goFormatFloatG, goNumberString, goParseNumber, goPow, goToNumber } from './gonum.js';
import { luaopenSteppedString, setPatternStep } from './patterns.js';
import {
  checkGopherLuaSyntax,
  gopherSource,
  gopherSyntaxErrorText,
  gopherSyntaxFromLuaError,
  gopherSyntaxMessage,
  withVarargArg,
} from './syntax.js';
import {
  arrayLength,
  deleteIntKey,
  deleteKey,
  gopherEntries,
  gopherLen,
  gopherNext,
  hashKey,
  hasTombstones,
  naturalOrder,
  noteArrayKey,
  setArrayLength,
} from './gorder.js';
import { goCaseMap, goJsonString } from './gostrings.js';
import { argoSafeOs, gopherOs } from './goos.js';
import { gopherStrFind, gopherStrMatch, makeGmatch, makeGsub, setPmStep } from './gopattern.js';
import { makeTableLib } from './gotable.js';
import { goSort } from './gosort.js';
import { gopherRaise, gopherWhere } from './gowhere.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const HEALTH_STATUSES = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'] as const;
export type HealthStatusCode = (typeof HEALTH_STATUSES)[number];

export interface HealthResult {
  /** One of HEALTH_STATUSES, or '' when the script returned nil or an empty table. */
  status: string;
  message: string;
  /** Lines the script printed with `print` (only present when it printed). */
  printed?: string[];
  /**
   * Environment variables the script read with `os.getenv` (only present when it did). Argo CD
   * answers from its application controller's environment, which wavegate cannot know; here
   * every variable is unset (nil).
   */
  environment?: string[];
  /**
   * The result comes from where wavegate's sandbox differs from Argo CD's by design: its memory
   * bound, its instruction deadline, or a function it does not run (os.exit, setfenv...).
   */
  sandboxBound?: true;
}

export interface EvalOptions {
  /** All libraries, as Argo's built-in checks and `useOpenLibs` kinds get them. */
  openLibs?: boolean;
  /** Lua VM instructions before the run is stopped (stands in for Argo's 1 s timeout). */
  instructionLimit?: number;
  /** Heap growth during one evaluation before it is stopped. */
  memoryLimitBytes?: number;
  /**
   * Wall-clock bound in milliseconds (Argo's 1 s context deadline), checked between
   * instructions and inside library calls (pattern matching, `string.rep`, `table.concat`,
   * `table.sort`, coroutines): whichever of this and `instructionLimit` comes first stops the run.
   */
  timeoutMs?: number;
}

/** About what gopher-lua executes in Argo's 1 s deadline on a busy controller. */
export const DEFAULT_INSTRUCTION_LIMIT = 20_000_000;
export const DEFAULT_MEMORY_LIMIT_BYTES = 256 * 1024 * 1024;
/** Argo CD's health-script timeout (util/lua: 1 s). */
export const DEFAULT_TIMEOUT_MS = 1000;
/** No single string may grow beyond this (a `s = s .. s` loop would exhaust memory in a few steps). */
export const MAX_STRING_BYTES = 32 * 1024 * 1024;
const HOOK_STEP = 10_000;

/** Argo's message when the 1 s context deadline stops a script (gopher-lua raises ctx.Err()). */
export const DEADLINE_MESSAGE = 'context deadline exceeded';
export const MEMORY_MESSAGE = 'memory limit exceeded (wavegate sandbox bound; Argo CD has none)';
export const INVALID_STATUS_MESSAGE = 'Lua returned an invalid health status';

const GOPHER_TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

// ---------------------------------------------------------------------------------------------
// Per-evaluation context (evaluations never nest and JavaScript is single-threaded).

interface EvalContext {
  env: any; // Table
  loaded: any; // Table: registry _LOADED of this evaluation
  loaders: any; // Table: registry _LOADERS of this evaluation
  printed: string[] | undefined;
  /** Names read with os.getenv. */
  environment?: string[];
  instructions: number;
  instructionLimit: number;
  memoryLimit: number;
  heapAtStart: number;
  /** Date.now() at which the run is stopped. */
  deadlineAt: number;
  /** Count-hook firings (the heap is sampled every tenth). */
  hookFires: number;
  /** Library work charged since the clock was last read. */
  sinceClock: number;
  stopped?: string;
  /** The run met one of wavegate's own bounds (memory, the instruction deadline) or a function it does not run. */
  bounded?: boolean;
}

let ctx: EvalContext | undefined;

/** Records that the result comes from wavegate's sandbox, not from Argo CD's (HealthResult.sandboxBound). */
function markBounded(): void {
  if (ctx) ctx.bounded = true;
}

/** raise() for one of wavegate's own bounds or a function it does not run. */
function boundedRaise(Ls: any, msg: string): never {
  markBounded();
  return raise(Ls, msg);
}

// ---------------------------------------------------------------------------------------------
// Small helpers over fengari internals.

let L: any;
const strCache = new Map<string, any>();
const STR_CACHE_MAX = 200_000;

function tstr(s: string): any {
  let ts = strCache.get(s);
  if (ts === undefined) {
    ts = lstring.luaS_bless(L, to_luastring(s));
    lstring.luaS_hashlongstr(ts);
    ts.js = s; // TStrings are immutable: remember the JavaScript text for the way back
    if (strCache.size >= STR_CACHE_MAX) strCache.clear();
    strCache.set(s, ts);
  }
  return ts;
}

function strTV(s: string): any {
  return new TValue(T.LUA_TLNGSTR, tstr(s));
}

/**
 * A fengari Table whose `dead_strong` Map is created on first use: most tables an evaluation
 * builds (the object, library copies) never lose a key, and two Maps per table dominated
 * the garbage collector's work.
 */
const lazyTableProto = Object.create(Table.prototype);
Object.defineProperty(lazyTableProto, 'dead_strong', {
  get(this: any) {
    const m = new Map();
    Object.defineProperty(this, 'dead_strong', { value: m, writable: true, enumerable: true, configurable: true });
    return m;
  },
  set(this: any, v: unknown) {
    Object.defineProperty(this, 'dead_strong', { value: v, writable: true, enumerable: true, configurable: true });
  },
  configurable: true,
});

function newTable(): any {
  const t = Object.create(lazyTableProto);
  t.id = L.l_G.id_counter++;
  t.strong = new Map();
  t.dead_weak = undefined;
  t.f = undefined;
  t.l = undefined;
  t.metatable = null;
  t.flags = 0; // no metamethod absence cached: correct whatever keys it gets
  return t;
}

/** Appends a key known to be absent (fresh table). */
function addEntry(t: any, hash: unknown, key: any, value: any): void {
  const prev = t.l;
  const entry = { key, value, p: prev, n: undefined as unknown };
  if (!t.f) t.f = entry;
  if (prev) prev.n = entry;
  t.strong.set(hash, entry);
  t.l = entry;
}

function addStr(t: any, name: string, value: any): void {
  const ts = tstr(name);
  addEntry(t, ts.hash, new TValue(T.LUA_TLNGSTR, ts), value);
}

function addInt(t: any, i: number, value: any): void {
  addEntry(t, i, new TValue(T.LUA_TNUMINT, i), value);
}

function tableTV(t: any): any {
  return new TValue(T.LUA_TTABLE, t);
}

function rawGetStr(t: any, name: string): any {
  const e = t.strong.get(tstr(name).hash);
  return e ? e.value : undefined;
}

/**
 * Converts a JSON-like value into a Lua value the way Argo's decodeValue does; undefined for
 * nil. Objects and arrays become tables that are filled in on first access (see
 * `materialize`): a health check reads a few fields of a large object, and building the parts
 * it never touches was most of an evaluation's cost. Filling is complete and happens before any
 * read, write, length or traversal of the table, so no script can tell the difference.
 */
function toLua(v: unknown): any {
  switch (typeof v) {
    case 'string':
      return v.length <= 256 ? strTV(v) : new TValue(T.LUA_TLNGSTR, lstring.luaS_bless(L, to_luastring(v)));
    case 'number':
      return new TValue(T.LUA_TNUMFLT, v);
    case 'boolean':
      return new TValue(T.LUA_TBOOLEAN, v);
    case 'bigint':
      return new TValue(T.LUA_TNUMFLT, Number(v));
    case 'object': {
      if (v === null) return undefined;
      if (v instanceof Date) return strTV(v.toISOString());
      const t = newTable();
      t.lazy = v;
      return tableTV(t);
    }
    default:
      return undefined;
  }
}

/** Fills a lazily converted table from its JavaScript source (once). */
function materialize(t: any): void {
  const v = t.lazy;
  t.lazy = undefined;
  if (Array.isArray(v)) {
    let i = 1;
    for (const item of v) {
      const tv = toLua(item);
      if (tv !== undefined) addInt(t, i++, tv); // Append(nil) is a no-op: nulls drop out
    }
  } else {
    const o = v as Record<string, unknown>;
    for (const k in o) {
      if (!Object.hasOwn(o, k)) continue;
      const tv = toLua(o[k]);
      if (tv !== undefined) addStr(t, k, tv);
    }
  }
}

function luaStringOf(tv: any): string {
  const ts = tv.value;
  // TStrings are immutable: the text is kept for the next time (a script's constants are
  // the same TStrings on every evaluation).
  return (ts.js ??= to_jsstring(ts.getstr(), undefined, undefined, true));
}

function jsString(Ls: any, idx: number): string {
  return to_jsstring(lua.lua_tolstring(Ls, idx), undefined, undefined, true);
}

function checkJsString(Ls: any, idx: number): string {
  return to_jsstring(lauxlib.luaL_checklstring(Ls, idx), undefined, undefined, true);
}

function pushJsString(Ls: any, s: string): void {
  lua.lua_pushstring(Ls, to_luastring(s));
}

/** Raises `msg` with the caller's position, as gopher-lua's RaiseError does. */
function raise(Ls: any, msg: string): never {
  return gopherRaise(Ls, msg);
}

/** The id fengari's "%p" prints for an object (lobject.js: a JavaScript function gets one from l_G.ids). */
function objectId(v: any): number {
  if (typeof v?.id === 'number') return v.id;
  if (v === null || v === undefined || (typeof v !== 'object' && typeof v !== 'function')) return 0;
  const g = L.l_G;
  let id = g.ids.get(v);
  if (!id) {
    id = g.id_counter++;
    g.ids.set(v, id);
  }
  return id;
}

/** gopher-lua's tostring of any value (numbers in Go's format). */
function gopherToString(Ls: any, idx: number): string {
  if (lua.lua_type(Ls, idx) === lua.LUA_TNUMBER) return goNumberString(lua.lua_tonumber(Ls, idx));
  lauxlib.luaL_tolstring(Ls, idx);
  const s = to_jsstring(lua.lua_tolstring(Ls, -1), undefined, undefined, true);
  lua.lua_pop(Ls, 1);
  return s;
}

/** Makes the integer results of a C function floats (gopher-lua has only float64). */
function floatResults(fn: (Ls: any) => number): (Ls: any) => number {
  return (Ls: any) => {
    const n = fn(Ls);
    for (let i = 1; i <= n; i++) {
      const tv = Ls.stack[Ls.top - i];
      if (tv && tv.type === T.LUA_TNUMINT) tv.type = T.LUA_TNUMFLT;
    }
    return n;
  };
}

// ---------------------------------------------------------------------------------------------
// gopher-lua's error texts (patched into fengari once).

function gopherKeyString(tv: any): string {
  switch (tv.ttnov()) {
    case T.LUA_TNUMBER:
      return goNumberString(tv.value);
    case T.LUA_TSTRING:
      return luaStringOf(tv);
    case T.LUA_TBOOLEAN:
      return tv.value ? 'true' : 'false';
    case T.LUA_TNIL:
      return 'nil';
    default:
      return `${GOPHER_TYPE_NAMES[tv.ttnov()]}: 0x${objectId(tv.value).toString(16)}`;
  }
}

function typeName(tv: any): string {
  return GOPHER_TYPE_NAMES[tv.ttnov()] ?? 'userdata';
}

/** The key of the table access the current instruction performs, if it is one. */
function currentIndexKey(Ls: any): any {
  const ci = Ls.ci;
  if (!(ci.callstatus & lstate.CIST_LUA)) return undefined;
  const p = ci.func.value.p;
  const i = p.code[ci.l_savedpc - 1];
  if (!i) return undefined;
  const OC = lopcodes.OpCodesI;
  let rk: number;
  switch (i.opcode) {
    case OC.OP_GETTABLE:
    case OC.OP_GETTABUP:
    case OC.OP_SELF:
      rk = i.C;
      break;
    case OC.OP_SETTABLE:
    case OC.OP_SETTABUP:
      rk = i.B;
      break;
    default:
      return undefined;
  }
  return lopcodes.ISK(rk) ? p.k[lopcodes.INDEXK(rk)] : Ls.stack[ci.l_base + rk];
}

function runError(Ls: any, msg: string): never {
  ldebug.luaG_runerror(Ls, to_luastring('%s'), to_luastring(msg));
  throw new Error('unreachable');
}

let patched = false;

/** config.go CallStackSize, which Argo CD's lua.Options leave at the default. */
export const GOPHER_CALL_STACK_SIZE = 256;
/** config.go RegistrySize (256 * 20); RegistryMaxSize 0 keeps it fixed. */
export const GOPHER_REGISTRY_SIZE = 256 * 20;
/** fengari's stack runs this many slots ahead of gopher-lua's registry for the same values
 * (measured: `unpack` of 5113 values overflows in both). */
const REGISTRY_SLACK = 18;

/** An error with the position of the nearest Lua function (state.go where with skipg). */
function runErrorNamingLuaCaller(Ls: any, msg: string): never {
  if (Ls.ci.callstatus & lstate.CIST_LUA) runError(Ls, msg);
  for (let level = 0; level <= GOPHER_CALL_STACK_SIZE; level++) {
    lauxlib.luaL_where(Ls, level);
    const where = jsString(Ls, -1);
    lua.lua_pop(Ls, 1);
    if (where !== '') runError(Ls, where + msg);
  }
  runError(Ls, msg);
}

/** Every table access of fengari goes through these ltable functions: fill lazy tables first. */
function patchLazyTables(): void {
  Table.prototype.lazy = undefined;
  lazyTableProto.lazy = undefined;
  const get = ltable.luaH_get;
  const getint = ltable.luaH_getint;
  const getstr = ltable.luaH_getstr;
  const getn = ltable.luaH_getn;
  const next = ltable.luaH_next;
  const setfrom = ltable.luaH_setfrom;
  const setint = ltable.luaH_setint;
  ltable.luaH_get = (Ls: any, t: any, key: any) => {
    if (t.lazy !== undefined) materialize(t);
    return get(Ls, t, key);
  };
  ltable.luaH_getint = (t: any, key: number) => {
    if (t.lazy !== undefined) materialize(t);
    return getint(t, key);
  };
  ltable.luaH_getstr = (t: any, key: any) => {
    if (t.lazy !== undefined) materialize(t);
    return getstr(t, key);
  };
  ltable.luaH_getn = (t: any) => {
    if (t.lazy !== undefined) materialize(t);
    const n = getn(t);
    // gopher-lua's Len is the last non-nil slot of the array part (table.go), which holds
    // every integer key below MaxArrayIndex: #{nil, nil, 3} is 3. A table of exactly 1..n is
    // the same either way.
    if (ctx === undefined || (t.strong.size === n && !hasTombstones(t))) return n;
    return gopherLen(t);
  };
  ltable.luaH_next = (Ls: any, t: any, keyI: number) => {
    if (t.lazy !== undefined) materialize(t);
    // During an evaluation next/pairs walk the table in gopher-lua's order (gorder.ts).
    if (ctx !== undefined) {
      if (!naturalOrder(t)) return gopherNext(Ls, t, keyI);
      // fengari's list is gopher-lua's order: walk it past tombstones (gorder.ts deleteKey),
      // from nil or a key it holds; any other key as table.go Next takes it.
      const k = Ls.stack[keyI];
      if (k.type !== T.LUA_TNIL && t.strong.get(hashKey(k)) === undefined) return gopherNext(Ls, t, keyI);
      let more = next(Ls, t, keyI);
      while (more && Ls.stack[keyI + 1].ttisnil()) more = next(Ls, t, keyI);
      return more;
    }
    return next(Ls, t, keyI);
  };
  // A table constructor without positional items (OP_NEWTABLE B = 0) gives gopher-lua a table
  // with no array part at all (vm.go OP_NEWTABLE: newLTable(B, C)); table.go Next treats an
  // integer key then as the end of the array part (gorder.ts gopherNext).
  const luaHNew = ltable.luaH_new;
  const OP_NEWTABLE = lopcodes.OpCodesI.OP_NEWTABLE;
  ltable.luaH_new = (Ls: any) => {
    const t = luaHNew(Ls);
    if (ctx !== undefined) {
      const ci = Ls.ci;
      if (ci.callstatus & lstate.CIST_LUA) {
        const i = ci.l_code[ci.l_savedpc - 1];
        if (i !== undefined && i.opcode === OP_NEWTABLE && i.B === 0) t.gnoarr = true;
      }
    }
    return t;
  };
  ltable.luaH_setfrom = (Ls: any, t: any, key: any, value: any) => {
    if (t.lazy !== undefined) materialize(t);
    if (ctx !== undefined) {
      if (value.ttisnil() && deleteKey(t, key)) return;
      noteArrayKey(t, key); // gopher-lua's array part (gorder.ts)
    }
    return setfrom(Ls, t, key, value);
  };
  ltable.luaH_setint = (t: any, key: number, value: any) => {
    if (t.lazy !== undefined) materialize(t);
    if (ctx !== undefined) {
      if (value.ttisnil() && deleteIntKey(t, key)) return;
      noteArrayKey(t, key);
    }
    return setint(t, key, value);
  };
}
const FLOAT_FOLD_OPS = new Set<number>([lua.LUA_OPADD, lua.LUA_OPSUB, lua.LUA_OPMUL, lua.LUA_OPMOD, lua.LUA_OPUNM]);
/** True while fengari compiles a chunk of ours (constant folding of `^`). */
let compiling = false;

/** Two hex digits per byte. */
const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function patchFengari(): void {
  if (patched) return;
  patched = true;
  // fengari keys tables by a string's "hash" ("|" and each byte in hex without padding) and
  // compares strings by it (lvm.js l_strcmp), so a byte below 0x10 breaks both: "\n" < "0" is
  // false, "\1#" and "\18\3" are the same key. gopher-lua compares bytes (vm.go strCmp) and keys
  // by the string. Two digits per byte keep the order of bytes and tell every string apart;
  // for strings without such bytes the hash is fengari's own. The constructor's `this.hash =
  // null` goes through this setter, the hash is computed on first use.
  Object.defineProperty(lstring.TString.prototype, 'hash', {
    configurable: true,
    get(this: { h2?: string; realstring: Uint8Array }) {
      let h = this.h2;
      if (h === undefined) {
        h = '|';
        const b = this.realstring;
        for (let i = 0; i < b.length; i++) h += HEX_BYTE[b[i]!];
        this.h2 = h;
      }
      return h;
    },
    set(this: { h2?: string }, v: string | null) {
      this.h2 = v === null ? undefined : v;
    },
  });
  // `^` is Go's math.Pow in gopher-lua (vm.go arith; compile.go folds constants with it).
  // fengari's VM calls the global Math.pow itself (lvm.js OP_POW, lobject.js luaO_arith), so
  // while a chunk of ours compiles or runs (synchronous, nothing else runs in between) it is
  // goPow; any other caller gets the original.
  const origPow = Math.pow;
  Math.pow = (x: number, y: number): number => (ctx !== undefined || compiling ? goPow(x, y) : origPow(x, y));
  patchLazyTables();
  const origToString = lobject.luaO_tostring;
  lobject.luaO_tostring = (Ls: any, obj: any) => {
    if (obj.ttisnumber()) {
      obj.setsvalue(lstring.luaS_bless(Ls, to_luastring(goNumberString(obj.value))));
      return;
    }
    origToString(Ls, obj);
  };
  const origTypeError = ldebug.luaG_typeerror;
  ldebug.luaG_typeerror = (Ls: any, o: any, op: Uint8Array) => {
    if (ctx === undefined) return origTypeError(Ls, o, op);
    const what = to_jsstring(op);
    if (what === 'index') {
      const key = currentIndexKey(Ls);
      if (key !== undefined) {
        runError(Ls, `attempt to index a non-table object(${typeName(o)}) with key '${gopherKeyString(key)}'`);
      }
      runError(Ls, `attempt to index a non-table object(${typeName(o)})`);
    }
    if (what === 'call') runError(Ls, 'attempt to call a non-function object');
    if (what === 'get length of') runError(Ls, '__len undefined');
    return origTypeError(Ls, o, op);
  };
  const origOrder = ldebug.luaG_ordererror;
  ldebug.luaG_ordererror = (Ls: any, p1: any, p2: any) => {
    if (ctx === undefined) return origOrder(Ls, p1, p2);
    const msg = `attempt to compare ${typeName(p1)} with ${typeName(p2)}`;
    // A comparison made by a library function (table.sort without a comparator): gopher-lua's
    // RaiseError still names the calling line (state.go where), fengari gave no position.
    if (!(Ls.ci.callstatus & lstate.CIST_LUA)) {
      lauxlib.luaL_where(Ls, 1);
      const where = jsString(Ls, -1);
      lua.lua_pop(Ls, 1);
      runError(Ls, where + msg);
    }
    runError(Ls, msg);
  };
  // gopher-lua's call stack holds CallStackSize (256, config.go) frames, Lua and Go functions
  // alike, the main chunk included; one more raises "stack overflow" (state.go, vm.go).
  // fengari creates one CallInfo per call in the same places.
  const origExtendCI = lstate.luaE_extendCI;
  lstate.luaE_extendCI = (Ls: any) => {
    const depth = (Ls.ci.depth ?? 0) + 1;
    if (depth > GOPHER_CALL_STACK_SIZE && ctx !== undefined) runErrorNamingLuaCaller(Ls, 'stack overflow');
    const ci = origExtendCI(Ls);
    ci.depth = depth;
    return ci;
  };
  // gopher-lua's data stack (the registry) holds RegistrySize (5120, config.go) values for a
  // thread's frames together, and Argo's Options do not let it grow: `unpack` of 6000 values,
  // or deep recursion with many locals, is "registry overflow". fengari's stack holds the
  // same registers; it is checked where it grows (calls, varargs, lua_checkstack).
  const origCheckStack = ldo.luaD_checkstack;
  const origGrowStack = ldo.luaD_growstack;
  let raisingOverflow = false; // building the error message itself needs stack
  const checkRegistry = (Ls: any, n: number): void => {
    if (ctx === undefined || raisingOverflow || Ls.top + n - (Ls.base_ci.next?.funcOff ?? 0) <= GOPHER_REGISTRY_SIZE + REGISTRY_SLACK)
      return;
    raisingOverflow = true;
    try {
      runErrorNamingLuaCaller(Ls, 'registry overflow');
    } finally {
      raisingOverflow = false;
    }
  };
  ldo.luaD_checkstack = (Ls: any, n: number) => {
    checkRegistry(Ls, n);
    return origCheckStack(Ls, n);
  };
  ldo.luaD_growstack = (Ls: any, n: number) => {
    checkRegistry(Ls, n);
    return origGrowStack(Ls, n);
  };
  // gopher-lua's texts for errors fengari raises through luaG_runerror (vm.go OP_FORPREP).
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
    if (ctx !== undefined) {
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
  // Errors raised by library functions (luaL_error -> lua_error): gopher-lua's wording, also
  // for a script that catches them with pcall.
  const origErrorMsg = ldebug.luaG_errormsg;
  ldebug.luaG_errormsg = (Ls: any) => {
    if (ctx !== undefined) {
      // state.go raiseError/Error: without an xpcall handler, gopher-lua closes every open
      // upvalue of the thread (closeAllUpvalues) before unwinding, so after pcall catches the
      // error, closures no longer share the locals they captured with the running functions.
      if (Ls.errfunc === 0) lfunc.luaF_close(Ls, 0);
      const tv = Ls.stack[Ls.top - 1];
      const fromError = userErrorRaise;
      userErrorRaise = false;
      if (tv?.ttisstring() && !fromError) {
        const msg = luaStringOf(tv);
        const text = gopherLibError(gopherArgName(Ls, msg));
        if (text !== msg) {
          lua.lua_pop(Ls, 1);
          pushJsString(Ls, text);
        }
      }
    }
    return origErrorMsg(Ls);
  };
  // vm.go objectRational: __eq, __lt and __le apply only when both operands have the same
  // function for the event (Lua 5.1's rule; fengari, as 5.3, takes either operand's). Without
  // one, == is false, and < / <= fail with "attempt to compare" (<= tries __lt the other way
  // round first, in both).
  const sameTM = (Ls: any, p1: any, p2: any, event: number): any => {
    const m1 = ltm.luaT_gettmbyobj(Ls, p1, event);
    if (!m1.ttisfunction()) return undefined;
    const m2 = ltm.luaT_gettmbyobj(Ls, p2, event);
    return m2.ttisfunction() && m1.type === m2.type && m1.value === m2.value ? m1 : undefined;
  };
  const origOrderTM = ltm.luaT_callorderTM;
  ltm.luaT_callorderTM = (Ls: any, p1: any, p2: any, event: number) => {
    if (ctx === undefined) return origOrderTM(Ls, p1, p2, event);
    if (p1.ttnov() !== p2.ttnov()) return null;
    const tm = sameTM(Ls, p1, p2, event);
    if (tm === undefined) return null;
    const res = new TValue(T.LUA_TNIL, null);
    ltm.luaT_callTM(Ls, tm, p1, p2, res, 1);
    return !res.l_isfalse();
  };
  // luaV_equalobj looks up __eq with fasttm, then calls it with luaT_callTM.
  const origFastTM = ltm.fasttm;
  const TM_EQ = ltm.TMS.TM_EQ;
  let pendingEq = false;
  ltm.fasttm = (l: any, et: any, e: number) => {
    const r = origFastTM(l, et, e);
    if (e === TM_EQ && r !== null && ctx !== undefined) pendingEq = true;
    return r;
  };
  const origCallTM = ltm.luaT_callTM;
  ltm.luaT_callTM = (Ls: any, f: any, p1: any, p2: any, p3: any, hasres: number) => {
    if (pendingEq) {
      pendingEq = false;
      const tm = sameTM(Ls, p1, p2, TM_EQ);
      if (tm === undefined) {
        p3.setbvalue(false);
        return;
      }
      return origCallTM(Ls, tm, p1, p2, p3, hasres);
    }
    return origCallTM(Ls, f, p1, p2, p3, hasres);
  };
  const origTryBin = ltm.luaT_trybinTM;
  const TMS = ltm.TMS;
  const opNames: Record<number, string> = {
    [TMS.TM_ADD]: 'add',
    [TMS.TM_SUB]: 'sub',
    [TMS.TM_MUL]: 'mul',
    [TMS.TM_DIV]: 'div',
    [TMS.TM_MOD]: 'mod',
    [TMS.TM_POW]: 'pow',
    [TMS.TM_CONCAT]: 'concat',
  };
  ltm.luaT_trybinTM = (Ls: any, p1: any, p2: any, res: any, event: number) => {
    if (ctx === undefined) return origTryBin(Ls, p1, p2, res, event);
    if (ltm.luaT_callbinTM(Ls, p1, p2, res, event)) return;
    if (event === TMS.TM_UNM) runError(Ls, '__unm undefined');
    const name = opNames[event];
    // vm.go arith: numeric strings are converted before the error, so they count as numbers.
    const arithType = (tv: any): string =>
      event !== TMS.TM_CONCAT && tv.ttisstring() && goParseNumber(luaStringOf(tv)) !== undefined ? 'number' : typeName(tv);
    if (name) runError(Ls, `cannot perform ${name} operation between ${arithType(p1)} and ${arithType(p2)}`);
    return origTryBin(Ls, p1, p2, res, event);
  };
  // Integer arguments of library functions (string.sub, byte, rep, table.insert, select...):
  // gopher-lua's CheckInt is int(LNumber), a truncation, where fengari (5.3) refuses a float
  // with a fraction ("number has no integer representation"). fengari's integers are 32-bit,
  // so the result is clamped to that range (string positions and counts clamp the same way).
  const origToInteger = lvm.tointeger;
  lvm.tointeger = (o: any) => {
    // CheckInt/OptInt take no string (fengari converted "10"); the refusal is reworded below.
    if (ctx !== undefined && o.ttisstring()) return false;
    if (ctx !== undefined && o.ttisfloat()) {
      const v = Number.isNaN(o.value) ? -2147483648 : Math.trunc(o.value);
      return Math.max(-2147483648, Math.min(2147483647, v));
    }
    return origToInteger(o);
  };
  // Strings used as numbers (arithmetic, math.floor("8")): gopher-lua's parseNumber (utils.go:
  // ParseInt base 0, so "010" is 8 and "0x10" is 16, else ParseFloat). The lexer (outside an
  // evaluation) keeps fengari's own conversion.
  const origStr2num = lobject.luaO_str2num;
  lobject.luaO_str2num = (s: Uint8Array, o: any) => {
    if (ctx === undefined) return origStr2num(s, o);
    const v = goParseNumber(to_jsstring(s, undefined, undefined, true));
    if (v === undefined) return 0;
    o.setfltvalue(v);
    return s.length + 1;
  };
  // Constant folding in the compiler: gopher-lua folds in float64, fengari in wrapping 32-bit ints.
  const origArith = lobject.luaO_arith;
  lobject.luaO_arith = (Ls: any, op: number, p1: any, p2: any, p3: any) => {
    if (Ls === null && p1.ttisinteger() && p2.ttisinteger() && FLOAT_FOLD_OPS.has(op)) {
      return origArith(Ls, op, new TValue(T.LUA_TNUMFLT, p1.value), new TValue(T.LUA_TNUMFLT, p2.value), p3);
    }
    return origArith(Ls, op, p1, p2, p3);
  };
  // Bound string growth by concatenation (the VM's `..` builds its result through this).
  const origSet = lobject.setsvalue2s;
  lobject.setsvalue2s = (Ls: any, idx: number, ts: any) => {
    if (ctx !== undefined) {
      const len = ts.realstring.length;
      if (len > MAX_STRING_BYTES) {
        markBounded();
        runError(Ls, MEMORY_MESSAGE);
      }
      if (len >= 4096) charge(Ls, len >> 9, true); // copying a large string (a memcpy) is work too
    }
    origSet(Ls, idx, ts);
  };
}

// ---------------------------------------------------------------------------------------------
// Library templates: name -> function value, captured once from freshly opened fengari libs.

type Fn = (Ls: any) => number;
interface Lib {
  [name: string]: any; // TValue of a function, or a number TValue
}

let tmpl:
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

function libFrom(tableTv: any, names: string[], renames: Record<string, string> = {}): Lib {
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

// --- base functions written for gopher-lua's behaviour --------------------------------------

const TOSTRING_EVENT = to_luastring('__tostring');

const luaTostring: Fn = (Ls) => {
  lauxlib.luaL_checkany(Ls, 1);
  // state.go ToStringMeta: __tostring's result is returned as it is, string or not.
  if (lua.lua_type(Ls, 1) === lua.LUA_TTABLE || lua.lua_type(Ls, 1) === lua.LUA_TUSERDATA) {
    const mt = lauxlib.luaL_getmetafield(Ls, 1, TOSTRING_EVENT);
    if (mt === lua.LUA_TFUNCTION) {
      lua.lua_pushvalue(Ls, 1);
      lua.lua_call(Ls, 1, 1);
      return 1;
    }
    if (mt !== lua.LUA_TNIL) {
      // a __tostring that is not a function is ignored (metaOp1 looks for a function)
      lua.lua_pop(Ls, 1);
      lua.lua_pushstring(Ls, to_luastring(gopherKeyString(Ls.stack[Ls.ci.funcOff + 1])));
      return 1;
    }
  }
  // A string without a __tostring metamethod is its own result, as in gopher-lua: no round
  // trip through a JavaScript string (health checks call tostring on most messages).
  if (lua.lua_type(Ls, 1) === lua.LUA_TSTRING) {
    if (lauxlib.luaL_getmetafield(Ls, 1, TOSTRING_EVENT) === lua.LUA_TNIL) {
      lua.lua_pushvalue(Ls, 1);
      return 1;
    }
    lua.lua_pop(Ls, 1);
  }
  pushJsString(Ls, gopherToString(Ls, 1));
  return 1;
};

const luaTonumber: Fn = (Ls) => {
  lauxlib.luaL_checkany(Ls, 1);
  const base = lauxlib.luaL_optinteger(Ls, 2, 10);
  const t = lua.lua_type(Ls, 1);
  if (t === lua.LUA_TNUMBER) {
    lua.lua_pushnumber(Ls, lua.lua_tonumber(Ls, 1));
  } else if (t === lua.LUA_TSTRING) {
    const str = to_jsstring(lua.lua_tolstring(Ls, 1), undefined, undefined, true);
    // baselib.go baseToNumber: without a base, a "0x" prefix (after trimming) means base 16.
    const trimmed = str.replace(/^[ \n\t]+|[ \n\t]+$/g, '');
    const hex = lua.lua_isnoneornil(Ls, 2) && !trimmed.includes('.') && /^0x/i.test(trimmed);
    const v = hex ? (/^[ \n\t]/.test(trimmed.slice(2)) ? undefined : goToNumber(trimmed.slice(2), 16)) : goToNumber(str, base);
    if (v === undefined) lua.lua_pushnil(Ls);
    else lua.lua_pushnumber(Ls, v);
  } else {
    lua.lua_pushnil(Ls);
  }
  return 1;
};

const luaPrint: Fn = (Ls) => {
  const n = lua.lua_gettop(Ls);
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) parts.push(gopherToString(Ls, i));
  if (ctx) (ctx.printed ??= []).push(parts.join('\t'));
  return 0;
};

const luaAssert: Fn = (Ls) => {
  if (!lua.lua_toboolean(Ls, 1)) {
    // baselib.go baseAssert: L.OptString(2, ...) accepts only a string (or nothing).
    if (!lua.lua_isnoneornil(Ls, 2) && lua.lua_type(Ls, 2) !== lua.LUA_TSTRING) {
      raise(Ls, `bad argument #2 to assert (string expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, 2)] ?? 'userdata'})`);
    }
    const msg = lua.lua_isnoneornil(Ls, 2) ? 'assertion failed!' : jsString(Ls, 2);
    raise(Ls, msg);
  }
  return lua.lua_gettop(Ls);
};

const luaCollectgarbage: Fn = () => 0;

/** baselib.go baseNewProxy: a userdata; true gives it a new metatable, a proxy shares its one. */
const luaNewproxy: Fn = (Ls) => {
  const arg = lua.lua_type(Ls, 1);
  lua.lua_newuserdata(Ls, 0);
  if (arg === lua.LUA_TBOOLEAN && lua.lua_toboolean(Ls, 1)) {
    lua.lua_newtable(Ls);
    lua.lua_setmetatable(Ls, -2);
  } else if (arg === lua.LUA_TUSERDATA && lua.lua_getmetatable(Ls, 1)) {
    lua.lua_setmetatable(Ls, -2);
  }
  return 1;
};

/**
 * baselib.go baseSetMetatable: any non-nil value takes a metatable; for a value that is not a
 * table or userdata it becomes the metatable of its whole type (state.go SetMetatable:
 * builtinMts), as lua_setmetatable does in fengari. Type metatables are reset after each
 * evaluation.
 */
const META_FIELD = to_luastring('__metatable');
const luaSetmetatable: Fn = (Ls) => {
  const t2 = lua.lua_type(Ls, 2);
  if (t2 !== lua.LUA_TNIL && t2 !== lua.LUA_TNONE && t2 !== lua.LUA_TTABLE)
    raise(Ls, `bad argument #2 to setmetatable (nil or table expected, got ${GOPHER_TYPE_NAMES[t2] ?? 'nil'})`);
  if (lua.lua_isnil(Ls, 1)) raise(Ls, 'cannot set metatable to a nil object.');
  if (lauxlib.luaL_getmetafield(Ls, 1, META_FIELD) !== lua.LUA_TNIL) raise(Ls, 'cannot change a protected metatable');
  lua.lua_settop(Ls, 2);
  lua.lua_setmetatable(Ls, 1);
  return 1;
};

/** baselib.go baseSelect: CheckTypes(1, number, string); a string other than "#" is refused. */
function wrapSelect(orig: Fn): Fn {
  return (Ls) => {
    const t = lua.lua_type(Ls, 1);
    if (t !== lua.LUA_TNUMBER && t !== lua.LUA_TSTRING)
      raise(Ls, `bad argument #1 to select (number or string expected, got ${GOPHER_TYPE_NAMES[t] ?? 'nil'})`);
    if (t === lua.LUA_TSTRING) {
      const s = jsString(Ls, 1);
      if (s !== '#') raise(Ls, `bad argument #1 to select (invalid string '${s}')`);
    }
    return orig(Ls);
  };
}

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
function wrapError(orig: Fn): Fn {
  return (Ls) => {
    if (lua.lua_gettop(Ls) === 0) raise(Ls, 'bad argument #1 to error (value expected)');
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

/** pairs without 5.3's __pairs (gopher-lua is 5.1). */
const luaPairs: Fn = (Ls) => {
  lauxlib.luaL_checktype(Ls, 1, lua.LUA_TTABLE);
  lua.lua_pushcfunction(Ls, nextFn);
  lua.lua_pushvalue(Ls, 1);
  lua.lua_pushnil(Ls);
  return 3;
};
let nextFn: Fn;

const ipairsAux: Fn = (Ls) => {
  const i = lua.lua_tonumber(Ls, 2) + 1;
  if (lua.lua_rawgeti(Ls, 1, i) === lua.LUA_TNIL) return 0;
  lua.lua_pushnumber(Ls, i);
  lua.lua_insert(Ls, -2);
  return 2;
};

/** ipairs with raw access, no __ipairs/__index (gopher-lua). */
const luaIpairs: Fn = (Ls) => {
  lauxlib.luaL_checktype(Ls, 1, lua.LUA_TTABLE);
  lua.lua_pushcfunction(Ls, ipairsAux);
  lua.lua_pushvalue(Ls, 1);
  lua.lua_pushnumber(Ls, 0);
  return 3;
};

/** Compiles a chunk the way gopher-lua would accept it and gives it this evaluation's globals. */
function loadChunk(Ls: any, source: string, chunkname: string): boolean {
  const problems = checkGopherLuaSyntax(source);
  if (problems.length > 0) {
    pushJsString(Ls, gopherSyntaxMessage(source, chunkname) ?? gopherSyntaxErrorText(problems[0]!, chunkname));
    return false;
  }
  const status = lauxlib.luaL_loadbuffer(Ls, to_luastring(withVarargArg(gopherSource(source))), null, to_luastring(`=${chunkname}`));
  if (status !== lua.LUA_OK) return false;
  floatConstants(Ls.stack[Ls.top - 1].value.p);
  if (ctx) {
    lobject.pushobj2s(Ls, tableTV(ctx.env));
    lua.lua_setupvalue(Ls, -2, 1);
  }
  return true;
}

const luaLoadstring: Fn = (Ls) => {
  const src = checkJsString(Ls, 1);
  const name = lua.lua_isnoneornil(Ls, 2) ? '<string>' : jsString(Ls, 2);
  if (loadChunk(Ls, src, name)) return 1;
  lua.lua_pushnil(Ls);
  lua.lua_insert(Ls, -2);
  return 2;
};

const luaLoad: Fn = (Ls) => {
  lauxlib.luaL_checktype(Ls, 1, lua.LUA_TFUNCTION);
  const name = lua.lua_isnoneornil(Ls, 2) ? '?' : jsString(Ls, 2);
  const parts: string[] = [];
  for (;;) {
    lua.lua_pushvalue(Ls, 1);
    lua.lua_call(Ls, 0, 1);
    if (lua.lua_isnil(Ls, -1)) {
      lua.lua_pop(Ls, 1);
      break;
    }
    if (lua.lua_type(Ls, -1) !== lua.LUA_TSTRING) raise(Ls, 'loader function must return a string or nil object.');
    const s = jsString(Ls, -1);
    lua.lua_pop(Ls, 1);
    if (s.length === 0) break;
    parts.push(s);
  }
  if (loadChunk(Ls, parts.join(''), name)) return 1;
  lua.lua_pushnil(Ls);
  lua.lua_insert(Ls, -2);
  return 2;
};

const luaLoadfile: Fn = (Ls) => {
  const name = lua.lua_gettop(Ls) < 1 ? '<stdin>' : checkJsString(Ls, 1);
  lua.lua_pushnil(Ls);
  pushJsString(Ls, `can not open file: ${name}`);
  return 2;
};

const luaDofile: Fn = (Ls) => {
  const name = jsString(Ls, 1);
  raise(Ls, `open ${name}: no such file or directory`);
};

const luaGetfenv: Fn = (Ls) => {
  if (ctx) lobject.pushobj2s(Ls, tableTV(ctx.env));
  else lua.lua_pushnil(Ls);
  return 1;
};

const luaSetfenv: Fn = (Ls) => boundedRaise(Ls, 'setfenv is not emulated by wavegate (the script would run in Argo CD)');
const luaModule: Fn = (Ls) => boundedRaise(Ls, 'module() is not emulated by wavegate (the script would run in Argo CD)');
const luaNoop: Fn = () => 0;

// --- package / require -------------------------------------------------------------------------

const LUA_PATH_DEFAULT = './?.lua;/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua';

function envPackageField(Ls: any, field: string): void {
  // package.<field> from this evaluation's globals
  lobject.pushobj2s(Ls, tableTV(ctx!.env));
  lua.lua_getfield(Ls, -1, to_luastring('package'));
  lua.lua_remove(Ls, -2);
  if (lua.lua_type(Ls, -1) === lua.LUA_TTABLE) lua.lua_getfield(Ls, -1, to_luastring(field));
  else lua.lua_pushnil(Ls);
  lua.lua_remove(Ls, -2);
}

const loaderPreload: Fn = (Ls) => {
  const name = checkJsString(Ls, 1);
  envPackageField(Ls, 'preload');
  if (lua.lua_type(Ls, -1) !== lua.LUA_TTABLE) raise(Ls, 'package.preload must be a table');
  lua.lua_getfield(Ls, -1, to_luastring(name));
  if (lua.lua_isnil(Ls, -1)) pushJsString(Ls, `no field package.preload['${name}']`);
  return 1;
};

const loaderLua: Fn = (Ls) => {
  const name = checkJsString(Ls, 1).replace(/\./g, '/');
  envPackageField(Ls, 'path');
  if (lua.lua_type(Ls, -1) !== lua.LUA_TSTRING) raise(Ls, 'package.path must be a string');
  const path = jsString(Ls, -1);
  // The sandbox has no files: every candidate is missing, as on an Argo CD controller.
  const msgs = path.split(';').map((p) => `stat ${p.replace(/\?/g, name)}: no such file or directory`);
  pushJsString(Ls, msgs.join('\n\t'));
  return 1;
};

const LOOP_SENTINEL = {};

const luaRequire: Fn = (Ls) => {
  const name = checkJsString(Ls, 1);
  const c = ctx!;
  const loaded = c.loaded;
  const lv = rawGetStr(loaded, name);
  if (lv && !lv.l_isfalse()) {
    if (lv.type === T.LUA_TLIGHTUSERDATA && lv.value === LOOP_SENTINEL) {
      raise(Ls, `loop or previous error loading module: ${name}`);
    }
    lobject.pushobj2s(Ls, lv);
    return 1;
  }
  const messages: string[] = [];
  let found = false;
  for (let i = 1; ; i++) {
    const e = c.loaders.strong.get(i);
    if (!e) break;
    lobject.pushobj2s(Ls, e.value);
    pushJsString(Ls, name);
    lua.lua_call(Ls, 1, 1);
    if (lua.lua_type(Ls, -1) === lua.LUA_TFUNCTION) {
      found = true;
      break;
    }
    if (lua.lua_type(Ls, -1) === lua.LUA_TSTRING) messages.push(jsString(Ls, -1));
    lua.lua_pop(Ls, 1);
  }
  if (!found) raise(Ls, `module ${name} not found:\n\t${messages.join('\n\t')}, `);
  const loadedTv = tableTV(loaded);
  lobject.pushobj2s(Ls, loadedTv);
  lua.lua_pushlightuserdata(Ls, LOOP_SENTINEL);
  lua.lua_setfield(Ls, -2, to_luastring(name));
  lua.lua_pop(Ls, 1);
  pushJsString(Ls, name);
  lua.lua_call(Ls, 1, 1);
  lobject.pushobj2s(Ls, loadedTv);
  lua.lua_getfield(Ls, -1, to_luastring(name));
  const isSentinel = lua.lua_touserdata(Ls, -1) === LOOP_SENTINEL;
  lua.lua_pop(Ls, 1);
  if (!lua.lua_isnil(Ls, -2) && isSentinel) {
    lua.lua_pushvalue(Ls, -2);
    lua.lua_setfield(Ls, -2, to_luastring(name));
    lua.lua_pop(Ls, 1);
    return 1;
  }
  if (isSentinel) {
    lua.lua_pushboolean(Ls, true);
    lua.lua_setfield(Ls, -2, to_luastring(name));
    lua.lua_pushboolean(Ls, true);
    return 1;
  }
  lua.lua_getfield(Ls, -1, to_luastring(name));
  return 1;
};

const safeOsLoader: Fn = (Ls) => {
  lobject.pushobj2s(Ls, tableTV(copyLib(tmpl!.safeOs)));
  return 1;
};

const luaLoadlib: Fn = (Ls) => raise(Ls, 'loadlib is not supported');
const luaSeeall: Fn = (Ls) => {
  lauxlib.luaL_checktype(Ls, 1, lua.LUA_TTABLE);
  if (!lua.lua_getmetatable(Ls, 1)) {
    lua.lua_createtable(Ls, 0, 1);
    lua.lua_pushvalue(Ls, -1);
    lua.lua_setmetatable(Ls, 1);
  }
  lobject.pushobj2s(Ls, tableTV(ctx!.env));
  lua.lua_setfield(Ls, -2, to_luastring('__index'));
  return 0;
};

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

/** Go's int64(f) on amd64: truncation, and the minimum int64 for what does not fit. */
function goInt64(v: number): bigint {
  if (!Number.isFinite(v) || Math.abs(v) >= 9223372036854775808) return -9223372036854775808n;
  return BigInt(Math.trunc(v));
}

/** Go's fmt for an integer verb (d, x, X, o) with flags, width and precision. */
function goFormatInt(n: bigint, verb: string, flags: string, width: number | undefined, prec: number | undefined): string {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  const base = verb === 'x' || verb === 'X' ? 16 : verb === 'o' ? 8 : verb === 'b' ? 2 : 10;
  let digits = abs.toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  if (prec !== undefined) digits = prec === 0 && abs === 0n ? '' : digits.padStart(prec, '0');
  const sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const prefix = flags.includes('#') ? (base === 16 ? (verb === 'X' ? '0X' : '0x') : base === 8 ? '0' : '') : '';
  let out = sign + prefix + digits;
  if (width !== undefined && out.length < width) {
    if (flags.includes('-')) out = out.padEnd(width, ' ');
    else if (flags.includes('0') && prec === undefined) out = sign + prefix + digits.padStart(width - sign.length - prefix.length, '0');
    else out = out.padStart(width, ' ');
  }
  return out;
}

/** Go's strconv.Quote, as `%q` prints a string. */
function goQuote(str: string): string {
  let out = '"';
  for (const ch of str) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0xfffd && ch !== '\ufffd') out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

/**
 * strconv.Quote of a Go string's bytes: a byte that starts no valid UTF-8 sequence is `\xHH`,
 * a rune unicode.IsPrint refuses (other than the escapes above) `\uXXXX` or `\UXXXXXXXX`.
 */
function goQuoteBytes(b: Uint8Array): string {
  let out = '"';
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    let n = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
    let r = n === 1 ? c : n === 2 ? c & 0x1f : n === 3 ? c & 0x0f : c & 0x07;
    for (let k = 1; k < n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) {
        n = 0;
        break;
      }
      r = (r << 6) | (d & 0x3f);
    }
    if (n === 3 && (r < 0x800 || (r >= 0xd800 && r <= 0xdfff))) n = 0;
    if (n === 4 && (r < 0x10000 || r > 0x10ffff)) n = 0;
    if (n === 0) {
      out += `\\x${c.toString(16).padStart(2, '0')}`;
      i++;
      continue;
    }
    const ch = String.fromCodePoint(r);
    if (r < 0x80) out += goQuote(ch).slice(1, -1);
    else if (/[\p{C}\p{Z}]/u.test(ch))
      out += r < 0x10000 ? `\\u${r.toString(16).padStart(4, '0')}` : `\\U${r.toString(16).padStart(8, '0')}`;
    else out += ch;
    i += n;
  }
  return `${out}"`;
}

/**
 * The exact decimal value of a finite double |v|, as Go's strconv decimal holds it: digits with
 * no trailing zeros, value = 0.d1d2... x 10^dp (zero: no digits, dp 0).
 */
interface Decimal {
  d: string;
  dp: number;
}

function exactDecimal(a: number): Decimal {
  if (a === 0) return { d: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(a));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  let digits: string;
  let dp: number;
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e)).toString(); // mant / 2^-e = mant * 5^-e / 10^-e
    dp = digits.length + e;
  }
  return { d: digits.replace(/0+$/, ''), dp };
}

/** Go's decimal.Round(nd): to nd digits, an exact half rounding to even (strconv/decimal.go shouldRoundUp). */
function roundDecimal(x: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  const up = next === 5 && nd + 1 === x.d.length ? nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 === 1 : next >= 5;
  if (!up) return { d: x.d.slice(0, nd).replace(/0+$/, ''), dp: nd === 0 ? 0 : x.dp };
  let i = nd - 1;
  while (i >= 0 && x.d[i] === '9') i--;
  if (i < 0) return { d: '1', dp: x.dp + 1 };
  return { d: x.d.slice(0, i) + String.fromCharCode(x.d.charCodeAt(i) + 1), dp: x.dp };
}

/** strconv fmtF: prec digits after the point. */
function fmtF(x: Decimal, prec: number): string {
  let out = '';
  if (x.dp > 0) out = x.d.slice(0, x.dp).padEnd(x.dp, '0');
  else out = '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = x.dp + i - 1;
      out += j >= 0 && j < x.d.length ? x.d[j] : '0';
    }
  }
  return out;
}

/** strconv fmtE: one digit, prec digits after the point, an exponent of at least two digits. */
function fmtE(x: Decimal, prec: number, e: string): string {
  let out = x.d.length > 0 ? x.d[0]! : '0';
  if (prec > 0) out += `.${x.d.slice(1, prec + 1).padEnd(prec, '0')}`;
  const exp = x.d.length === 0 ? 0 : x.dp - 1;
  const ae = Math.abs(exp);
  return `${out}${e}${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
}

/**
 * Go's %e / %f / %g with an explicit or default precision, rounded from the exact binary value
 * with ties to even as strconv does (`%.0f` of 2.5 is 2, `%.1f` of 0.25 is 0.2; fengari and C's
 * JS-based sprintf round ties up), and Go's exponent form (1.2e+04, not 1.2e+4).
 */
function goFormatExpG(v: number, verb: string, flags: string, width: number | undefined, prec: number | undefined): string {
  let body: string;
  const lower = verb.toLowerCase();
  if (!Number.isFinite(v)) {
    // fmt/format.go fmtFloat: infinities keep their sign ("+Inf"), a space flag replaces "+",
    // NaN shows a sign only with the + or space flag; never zero padded.
    const sign = Number.isNaN(v) || v > 0 ? (flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : Number.isNaN(v) ? '' : '+') : '-';
    body = sign + (Number.isNaN(v) ? 'NaN' : 'Inf');
    return pad(body, flags.replace('0', ''), width);
  }
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  const x = exactDecimal(a);
  if (lower === 'e') {
    const p = prec ?? 6;
    body = fmtE(roundDecimal(x, p + 1), p, 'e');
  } else if (lower === 'f') {
    const p = prec ?? 6;
    body = fmtF(roundDecimal(x, x.dp + p), p);
  } else if (prec === undefined) {
    body = goFormatFloatG(a);
  } else {
    let p = prec === 0 ? 1 : prec;
    const digs = roundDecimal(x, p);
    const nd = digs.d.length;
    let eprec = p;
    if (eprec > nd && nd >= digs.dp) eprec = nd;
    const exp = digs.dp - 1;
    if (exp < -4 || exp >= eprec) {
      if (p > nd) p = nd;
      body = fmtE(digs, p - 1, 'e');
    } else {
      if (p > digs.dp) p = nd;
      body = fmtF(digs, Math.max(p - digs.dp, 0));
    }
  }
  if (flags.includes('#')) body = goSharpFloat(body, lower === 'g' ? (prec ?? 6) : 0);
  if (verb === 'E' || verb === 'G') body = body.toUpperCase();
  const sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  if (width !== undefined && flags.includes('0') && !flags.includes('-') && sign.length + body.length < width) {
    return sign + body.padStart(width - sign.length, '0');
  }
  return pad(sign + body, flags, width);
}

/**
 * fmt/format.go fmtFloat with the # flag: a decimal point always, and for %g trailing zeros up
 * to `digits` significant digits ("%#g" of -10 is "-10.0000").
 */
function goSharpFloat(num: string, digits: number): string {
  let tail = '';
  const e = num.search(/[eE]/);
  if (e >= 0) {
    tail = num.slice(e);
    num = num.slice(0, e);
  }
  let point = false;
  let nonzero = false;
  for (const c of num) {
    if (c === '.') point = true;
    else {
      if (c !== '0') nonzero = true;
      if (nonzero) digits--;
    }
  }
  if (!point) {
    if (num === '0') digits--;
    num += '.';
  }
  while (digits > 0) {
    num += '0';
    digits--;
  }
  return num + tail;
}

function pad(s: string, flags: string, width: number | undefined): string {
  if (width === undefined || s.length >= width) return s;
  return flags.includes('-') ? s.padEnd(width, ' ') : s.padStart(width, ' ');
}

/** value.go LNumber.Format: the verb a float64 number is printed with by Go's fmt. */
function goFormatNumber(v: number, conv: string, flags: string, width: number | undefined, prec: number | undefined): string | undefined {
  switch (conv) {
    case 'd':
    case 'i':
    case 'x':
    case 'X':
    case 'o':
    case 'b':
      return goFormatInt(goInt64(v), conv === 'i' ? 'd' : conv, flags, width, prec);
    case 'c': {
      // Go's %c of an int64 is the rune, UTF-8 encoded (invalid code points print U+FFFD).
      const r = goInt64(v);
      const ok = r >= 0n && r <= 0x10ffffn && !(r >= 0xd800n && r <= 0xdfffn);
      return pad(String.fromCodePoint(ok ? Number(r) : 0xfffd), flags, width);
    }
    case 's':
      return pad(prec === undefined ? goNumberString(v) : goNumberString(v).slice(0, prec), flags, width);
    case 'q':
      return pad(goQuote(goNumberString(v)), flags, width);
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
      return goFormatExpG(v, conv, flags, width, prec);
    default: {
      // Any other verb (%a, %u, ...) is one Go does not know for the value: %!a(int64=1).
      if (Number.isInteger(v) && Math.abs(v) < 9223372036854775808)
        return `%!${conv}(int64=${goFormatInt(goInt64(v), 'd', flags, width, prec)})`;
      return `%!${conv}(float64=${pad(goNumberString(v), flags, width)})`;
    }
  }
}

/** Go's %s of a string: precision and width count runes; the 0 flag pads with zeros. */
function goPadRunes(str: string, flags: string, width: number | undefined, prec: number | undefined): string {
  const runes = [...str];
  const cut = prec === undefined ? runes : runes.slice(0, prec);
  const body = cut.join('');
  if (width === undefined || cut.length >= width) return body;
  const fill = (flags.includes('0') && !flags.includes('-') ? '0' : ' ').repeat(width - cut.length);
  return flags.includes('-') ? body + fill : fill + body;
}

/** value.go LString.Format: %d of a string prints it (%s) if it parses as a number, else 0. */
function goFormatString(
  bytes: Uint8Array,
  conv: string,
  flags: string,
  width: number | undefined,
  prec: number | undefined,
): string | undefined {
  if (conv === 's' && ((width === undefined && prec === undefined) || bytes.every((b) => b < 0x80 && b !== 0))) return undefined; // same in C (which refuses a zero byte)
  const str = to_jsstring(bytes, undefined, undefined, true);
  if (conv === 'd' || conv === 'i') {
    if (goParseNumber(str) === undefined) return goFormatInt(0n, 'd', flags, width, prec);
    return goPadRunes(str, flags, width, prec);
  }
  if (conv === 'q') return pad(goQuoteBytes(bytes), flags, width);
  if (conv === 's') {
    // Go counts width and precision in runes, C in bytes: only non-ASCII text differs.
    return goPadRunes(str, flags, width, prec);
  }
  if (conv === 'x' || conv === 'X') {
    if (flags !== '' || prec !== undefined) return undefined;
    let hex = '';
    for (const b of bytes) hex += b.toString(16).padStart(2, '0');
    return pad(conv === 'X' ? hex.toUpperCase() : hex, flags, width);
  }
  return `%!${conv}(string=${goPadRunes(str, flags, width, prec)})`; // fmt's badVerb prints the value with the verb's width
}

/**
 * string.format as gopher-lua does it: the arguments go to Go's fmt.Sprintf. Numbers are
 * float64 values that format themselves: %d/%x/%o print int64(n) (no 32-bit limit, Go's sign
 * handling), %s and %q print tostring(n), %g without precision is Go's shortest form, %e/%f/%g
 * round ties to even; a verb with no argument left prints %!<verb>(MISSING). The rest (%s of
 * strings, %c, widths of strings) is the same in C and Go and left to fengari.
 */
function wrapFormat(orig: Fn): Fn {
  return (Ls) => {
    const fmt = checkJsString(Ls, 1);
    const top = lua.lua_gettop(Ls);
    // stringlib.go strFormat: Sprintf gets min(count("%") - count("%%"), #args) arguments;
    // a verb past them is MISSING, and arguments no verb used are printed as EXTRA.
    const npat = fmt.split('%').length - 1 - (fmt.split('%%').length - 1);
    const passed = Math.min(npat, top - 1) + 1;
    // Go takes any character after flags, width and precision as the verb; a final "%" alone
    // is "%!(NOVERB)".
    const re = /%[-+ #0]*\d*(?:\.\d*)?$|%([-+ #0]*)(\d*)(?:\.(\d*))?([\s\S])/g;
    let out = '';
    let last = 0;
    let arg = 1;
    let changed = false;
    const kept: number[] = [];
    let m: RegExpExecArray | null;
    while ((m = re.exec(fmt)) !== null) {
      const [spec, flags, w, p, conv] = m as unknown as [string, string, string, string | undefined, string];
      out += fmt.slice(last, m.index);
      last = m.index + spec.length;
      if (conv === undefined) {
        out += '%%!(NOVERB)';
        changed = true;
        continue;
      }
      if (conv === '%') {
        out += '%%'; // flags and width are ignored for a literal percent
        if (spec !== '%%') changed = true;
        continue;
      }
      arg++;
      const width = w === '' ? undefined : Number(w);
      const prec = p === undefined ? undefined : p === '' ? 0 : Number(p);
      const t = arg <= passed ? lua.lua_type(Ls, arg) : lua.LUA_TNONE;
      let literal: string | undefined;
      if (t === lua.LUA_TNUMBER) {
        literal = goFormatNumber(lua.lua_tonumber(Ls, arg), conv, flags, width, prec);
      } else if (t === lua.LUA_TNONE) {
        // gopher-lua passes the arguments it has to Go's fmt.Sprintf: a verb without one prints
        // Go's "%!<verb>(MISSING)" (stringlib.go strFormat), where Lua raises "no value".
        literal = `%!${conv}(MISSING)`;
      } else if (t === lua.LUA_TSTRING) {
        literal = goFormatString(lua.lua_tolstring(Ls, arg), conv, flags, width, prec);
      } else if (t === lua.LUA_TNIL) {
        // *LNilType: a Stringer ("nil") for the string verbs, else Go prints the empty struct.
        if (conv === 'q') literal = pad('"nil"', flags, width);
        else if (conv === 'v') literal = pad('nil', flags, width);
        else if (conv === 'w') literal = '%!w(*lua.LNilType=&{})';
        else if (conv !== 's') literal = conv === 'x' ? '6e696c' : conv === 'X' ? '6E696C' : '&{}';
      } else if (
        (t === lua.LUA_TTABLE || t === lua.LUA_TFUNCTION || t === lua.LUA_TTHREAD || t === lua.LUA_TUSERDATA) &&
        'svqxX'.includes(conv) &&
        !(conv === 'v' && flags.includes('#'))
      ) {
        // LTable/LFunction/LState String(): "table: 0x..." (gopher-lua's %s does not call
        // __tostring); fmt calls String() for %v %s %q %x %X (fmt/print.go handleMethods).
        const text = gopherKeyString(Ls.stack[Ls.ci.funcOff + arg]);
        literal =
          conv === 's' || conv === 'v'
            ? goPadRunes(text, flags, width, prec)
            : goFormatString(to_luastring(text), conv, flags, width, prec);
      } else if (t === lua.LUA_TBOOLEAN) {
        const b = lua.lua_toboolean(Ls, arg) ? 'true' : 'false';
        if (conv === 'q') literal = pad(`"${b}"`, flags, width);
        else if (conv !== 's') literal = `%!${conv}(lua.LBool=${b})`;
      }
      if (literal === undefined) {
        out += spec;
        kept.push(arg);
      } else {
        out += literal.replace(/%/g, '%%');
        changed = true;
      }
    }
    out += fmt.slice(last);
    if (arg < passed) {
      // fmt's "%!(EXTRA type=value, ...)", each value as %v prints it (String())
      const extra: string[] = [];
      for (let i = arg + 1; i <= passed; i++)
        extra.push(`${GO_LVALUE_TYPES[lua.lua_type(Ls, i)] ?? '*lua.LUserData'}=${gopherKeyString(Ls.stack[Ls.ci.funcOff + i])}`);
      out += `%!(EXTRA ${extra.join(', ')})`.replace(/%/g, '%%');
      changed = true;
    }
    if (!changed) return orig(Ls);
    pushJsString(Ls, out);
    for (const k of kept) lua.lua_pushvalue(Ls, k);
    for (let i = 0; i < top; i++) lua.lua_remove(Ls, 1);
    return orig(Ls);
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

/** auxlib.go OptInt: nil gives the default, else a number (truncated), else a type error. */
function optIntArg(Ls: any, i: number, d: number, fn: string): number {
  const t = lua.lua_type(Ls, i);
  if (t === lua.LUA_TNIL || t === lua.LUA_TNONE) return d;
  if (t !== lua.LUA_TNUMBER) raise(Ls, `bad argument #${i} to ${fn} (number expected, got ${GOPHER_TYPE_NAMES[t] ?? 'nil'})`);
  const v = lua.lua_tonumber(Ls, i);
  return Number.isFinite(v) ? Math.trunc(v) : v > 0 ? 2 ** 63 : -(2 ** 63);
}

/**
 * stringlib.go strByte: the start is made 0-based before a negative one is counted from the
 * end, so string.byte("10", 0, -2) gives nothing (Lua: the first byte).
 */
const goStrByte: Fn = (Ls) => {
  const b: Uint8Array = lauxlib.luaL_checklstring(Ls, 1);
  let start = optIntArg(Ls, 2, 1, 'byte') - 1;
  let end = optIntArg(Ls, 3, -1, 'byte');
  const l = b.length;
  if (start < 0) start = l + start + 1;
  if (end < 0) end = l + end + 1;
  if (lua.lua_gettop(Ls) === 2) {
    if (start < 0 || start >= l) return 0;
    lua.lua_pushnumber(Ls, b[start]!);
    return 1;
  }
  start = Math.max(start, 0);
  end = Math.min(end, l);
  if (end < 0 || end <= start || start >= l) return 0;
  lua.lua_checkstack(Ls, end - start);
  for (let i = start; i < end; i++) lua.lua_pushnumber(Ls, b[i]!);
  return end - start;
};

/** Results from this size on are built by doubling copies (fengari copies `s` n times). */
const REP_FAST_BYTES = 64 * 1024;

function wrapRep(orig: Fn): Fn {
  return (Ls) => {
    const s = lauxlib.luaL_checklstring(Ls, 1);
    // auxlib.go CheckInt: a number only ("2" is refused)
    if (lua.lua_type(Ls, 2) !== lua.LUA_TNUMBER)
      raise(Ls, `bad argument #2 to rep (number expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, 2)] ?? 'nil'})`);
    const n = lauxlib.luaL_checknumber(Ls, 2);
    if (n > 0 && s.length * n > MAX_STRING_BYTES) boundedRaise(Ls, MEMORY_MESSAGE);
    // stringlib.go strRep: L.CheckInt(2) truncates, and there is no separator argument.
    lua.lua_settop(Ls, 2);
    const count = Number.isFinite(n) ? Math.trunc(n) : 0;
    lua.lua_pushnumber(Ls, count);
    lua.lua_replace(Ls, 2);
    const total = count > 0 ? s.length * count : 0;
    charge(Ls, 1 + (total >> 6));
    if (total >= REP_FAST_BYTES) {
      const out = new Uint8Array(total);
      out.set(s, 0);
      for (let len = s.length; len < total; len *= 2) out.copyWithin(len, 0, Math.min(len, total - len));
      lobject.pushsvalue2s(Ls, lstring.luaS_bless(Ls, out));
      return 1;
    }
    return orig(Ls);
  };
}

/** stringlib.go strLower/strUpper: Go's strings.ToLower/ToUpper (gostrings.ts). */
function goCase(upper: boolean): Fn {
  return (Ls) => {
    const b = lauxlib.luaL_checklstring(Ls, 1);
    const out = goCaseMap(b, upper);
    lua.lua_pushlstring(Ls, out, out.length);
    return 1;
  };
}

/** stringlib.go strChar: uint8(L.CheckInt(i)) for each argument (no range error). */
const goStrChar: Fn = (Ls) => {
  const n = lua.lua_gettop(Ls);
  const out = new Uint8Array(n);
  for (let i = 1; i <= n; i++) {
    if (lua.lua_type(Ls, i) !== lua.LUA_TNUMBER)
      raise(Ls, `bad argument #${i} to char (number expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, i)] ?? 'nil'})`);
    const v = lua.lua_tonumber(Ls, i);
    out[i - 1] = Number.isFinite(v) ? Number(BigInt.asUintN(8, BigInt(Math.trunc(v)))) : 0;
  }
  lua.lua_pushlstring(Ls, out, n);
  return 1;
};

function wrapGsub(orig: Fn): Fn {
  return (Ls) => {
    const n = orig(Ls);
    if (lua.lua_type(Ls, -n) === lua.LUA_TSTRING && lua.lua_rawlen(Ls, -n) > MAX_STRING_BYTES) boundedRaise(Ls, MEMORY_MESSAGE);
    return n;
  };
}

function wrapConcat(orig: Fn): Fn {
  return (Ls) => {
    if (lua.lua_type(Ls, 1) === lua.LUA_TTABLE) charge(Ls, 1 + 4 * lua.lua_rawlen(Ls, 1));
    const n = orig(Ls);
    const len = lua.lua_rawlen(Ls, -1);
    if (len > MAX_STRING_BYTES) boundedRaise(Ls, MEMORY_MESSAGE);
    charge(Ls, len >> 6);
    return n;
  };
}

/** Sorting n values costs about n log n comparisons (a Lua comparator also runs instructions). */
function wrapSort(orig: Fn): Fn {
  return (Ls) => {
    if (lua.lua_type(Ls, 1) === lua.LUA_TTABLE) {
      const n = lua.lua_rawlen(Ls, 1);
      charge(Ls, 1 + Math.ceil(n * Math.log2(n + 1)));
    }
    return orig(Ls);
  };
}

/**
 * vm.go:2383 lessThan: two numbers compare, any other pair of types is an error, strings
 * compare by bytes, other values only through one `__lt` function both share (vm.go
 * objectRationalWithError: metaOp1 of each must be the same function).
 */
function gopherLessThan(Ls: any, ia: number, ib: number): boolean {
  const ta = lua.lua_type(Ls, ia);
  const tb = lua.lua_type(Ls, ib);
  if (ta === lua.LUA_TNUMBER && tb === lua.LUA_TNUMBER) return lua.lua_tonumber(Ls, ia) < lua.lua_tonumber(Ls, ib);
  if (ta === tb && ta === lua.LUA_TSTRING) return lua.lua_compare(Ls, ia, ib, lua.LUA_OPLT);
  if (ta === tb && ta !== lua.LUA_TNUMBER) {
    const r = gopherMetaCompare(Ls, ia, ib, '__lt');
    if (r !== undefined) return r;
  }
  return raise(Ls, `attempt to compare ${GOPHER_TYPE_NAMES[ta] ?? 'nil'} with ${GOPHER_TYPE_NAMES[tb] ?? 'nil'}`);
}

/** vm.go objectRational: the result of the shared metamethod, or undefined when there is none. */
function gopherMetaCompare(Ls: any, ia: number, ib: number, event: string): boolean | undefined {
  ia = lua.lua_absindex(Ls, ia);
  ib = lua.lua_absindex(Ls, ib);
  const metaOp = (i: number): void => {
    if (!lua.lua_getmetatable(Ls, i)) {
      lua.lua_pushnil(Ls);
      return;
    }
    lua.lua_pushstring(Ls, to_luastring(event));
    lua.lua_rawget(Ls, -2);
    lua.lua_remove(Ls, -2);
  };
  metaOp(ia);
  metaOp(ib);
  if (lua.lua_type(Ls, -1) !== lua.LUA_TFUNCTION || !lua.lua_rawequal(Ls, -1, -2)) {
    lua.lua_pop(Ls, 2);
    return undefined;
  }
  lua.lua_pop(Ls, 1);
  lua.lua_pushvalue(Ls, ia);
  lua.lua_pushvalue(Ls, ib);
  lua.lua_call(Ls, 2, 1);
  const r = lua.lua_toboolean(Ls, -1);
  lua.lua_pop(Ls, 1);
  return r;
}

/**
 * tablelib.go tableSort: sort.Sort (gosort.ts) over len(tbl.array) slots, nil ones included
 * (they make lessThan fail as in Argo CD), Less the comparator's result as a boolean (LVAsBool)
 * or lessThan. A second argument must be a function, even nil (CheckFunction).
 */
const gopherSort: Fn = (Ls) => {
  if (lua.lua_type(Ls, 1) !== lua.LUA_TTABLE)
    raise(Ls, `bad argument #1 to sort (table expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, 1)] ?? 'nil'})`);
  const withFn = lua.lua_gettop(Ls) !== 1;
  if (withFn && lua.lua_type(Ls, 2) !== lua.LUA_TFUNCTION)
    raise(Ls, `bad argument #2 to sort (function expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, 2)] ?? 'nil'})`);
  lua.lua_settop(Ls, withFn ? 2 : 1);
  const t = Ls.stack[Ls.ci.funcOff + 1].value;
  if (t.lazy !== undefined) materialize(t);
  const n = arrayLength(t);
  goSort(n, {
    less: (i, j) => {
      lua.lua_rawgeti(Ls, 1, i + 1);
      lua.lua_rawgeti(Ls, 1, j + 1);
      if (withFn) {
        lua.lua_pushvalue(Ls, 2);
        lua.lua_insert(Ls, -3);
        lua.lua_call(Ls, 2, 1);
        const r = lua.lua_toboolean(Ls, -1);
        lua.lua_pop(Ls, 1);
        return r;
      }
      const r = gopherLessThan(Ls, -2, -1);
      lua.lua_pop(Ls, 2);
      return r;
    },
    swap: (i, j) => {
      lua.lua_rawgeti(Ls, 1, i + 1);
      lua.lua_rawgeti(Ls, 1, j + 1);
      lua.lua_rawseti(Ls, 1, i + 1);
      lua.lua_rawseti(Ls, 1, j + 1);
    },
  });
  return 0;
};

// ---------------------------------------------------------------------------------------------
// Engine set-up.

function initEngine(): void {
  if (L) return;
  patchFengari();
  L = lauxlib.luaL_newstate();
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
  nextFn = getGlobalTV('next').value;

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
    pairs: fnTV(luaPairs),
  };
  const tableLib = getGlobalTV('table');
  const unpackFn = rawGetStr(tableLib.value, 'unpack').value;
  // baselib.go baseUnpack: L.CheckTable(1) (fengari's 5.3 unpack takes any value with a length)
  base.unpack = fnTV((Ls) => {
    if (lua.lua_type(Ls, 1) !== lua.LUA_TTABLE)
      raise(Ls, `bad argument #1 to unpack (table expected, got ${GOPHER_TYPE_NAMES[lua.lua_type(Ls, 1)] ?? 'nil'})`);
    return unpackFn(Ls);
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

  const str = libFrom(stringLib, [
    'byte',
    'char',
    'dump',
    'find',
    'format',
    'gsub',
    'len',
    'lower',
    'match',
    'rep',
    'reverse',
    'sub',
    'upper',
    'gmatch',
  ]);
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
  str.sub = fnTV(chargedByLength(str.sub.value, 8));
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
      jsString(Ls, -1) === 'cannot resume dead coroutine'
    ) {
      lua.lua_pop(Ls, 1);
      pushJsString(Ls, 'can not resume a dead thread');
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

function copyLib(lib: Lib): any {
  const t = newTable();
  for (const k of Object.keys(lib)) {
    const v = lib[k];
    if (v !== undefined) addStr(t, k, new TValue(v.type, v.value));
  }
  return t;
}

/**
 * Count hook: every HOOK_STEP instructions (on any coroutine: new threads inherit the hook).
 * Once a bound is hit, it fires on every instruction, as gopher-lua checks its context on
 * every instruction: a script that catches the error with pcall is stopped again at once.
 */
function hook(Ls: any): void {
  const c = ctx;
  if (!c) return;
  if (c.stopped === undefined) {
    c.instructions += Ls.basehookcount;
    if (c.instructions >= c.instructionLimit || Date.now() >= c.deadlineAt) c.stopped = DEADLINE_MESSAGE;
    else if (++c.hookFires % 10 === 0) checkHeap(c);
  }
  if (c.stopped !== undefined) {
    stopEverywhere(Ls);
    runError(Ls, c.stopped);
  }
}

function checkHeap(c: EvalContext): void {
  const used = getHeapStatistics().used_heap_size;
  if (c.heapAtStart < 0) c.heapAtStart = used;
  else if (used - c.heapAtStart > c.memoryLimit) c.stopped = MEMORY_MESSAGE;
}

/** Once stopped, the hook fires on every instruction of this thread and of the main one. */
function stopEverywhere(Ls: any): void {
  lua.lua_sethook(Ls, hook, lua.LUA_MASKCOUNT, 1);
  if (Ls !== L) lua.lua_sethook(L, hook, lua.LUA_MASKCOUNT, 1); // a resumer must stop too
}

/** Wall-clock reads inside library calls at most once per this much charged work. */
const CLOCK_EVERY = 4096;

/**
 * Charges library work (in instruction equivalents: about what fengari spends on one VM
 * instruction) to the evaluation's budget and stops the run, from inside the library call,
 * once the instruction budget or the wall-clock deadline is used up. Without this a single
 * call (a backtracking pattern, a loop of 30 MB `string.rep`) runs unbounded between two
 * instruction hooks.
 */
function charge(Ls: any, cost: number, inVm = false): void {
  const c = ctx;
  if (!c) return;
  if (c.stopped === undefined) {
    c.instructions += cost;
    c.sinceClock += cost;
    if (c.instructions >= c.instructionLimit) c.stopped = DEADLINE_MESSAGE;
    else if (c.sinceClock >= CLOCK_EVERY) {
      c.sinceClock = 0;
      if (Date.now() >= c.deadlineAt) c.stopped = DEADLINE_MESSAGE;
      else if (cost >= CLOCK_EVERY) checkHeap(c);
    }
  }
  if (c.stopped !== undefined) {
    stopEverywhere(Ls);
    if (inVm) runError(Ls, c.stopped);
    raise(Ls, c.stopped);
  }
}

/** Byte-at-a-time string functions: charged by the length of their subject (after the call for results). */
function chargedByLength(orig: Fn, shift: number): Fn {
  return (Ls) => {
    if (lua.lua_type(Ls, 1) === lua.LUA_TSTRING) charge(Ls, 1 + (lua.lua_rawlen(Ls, 1) >> shift));
    const n = orig(Ls);
    if (n > 0 && lua.lua_type(Ls, -n) === lua.LUA_TSTRING) charge(Ls, lua.lua_rawlen(Ls, -n) >> 6);
    return n;
  };
}

// ---------------------------------------------------------------------------------------------
// Compile cache.

interface Compiled {
  closure?: any; // LClosure
  error?: string;
}
const compiled = new Map<string, Compiled>();
const COMPILED_MAX = 1024; // Argo's LRU size

function floatConstants(p: any): void {
  for (const k of p.k) if (k.type === T.LUA_TNUMINT) k.type = T.LUA_TNUMFLT;
  for (const sub of p.p) floatConstants(sub);
}

function compile(script: string): Compiled {
  let c = compiled.get(script);
  if (c) return c;
  const problems = checkGopherLuaSyntax(script);
  if (problems.length > 0) {
    c = { error: gopherSyntaxMessage(script) ?? gopherSyntaxErrorText(problems[0]!) };
  } else {
    compiling = true;
    let status: number;
    try {
      status = lauxlib.luaL_loadbuffer(L, to_luastring(withVarargArg(gopherSource(script))), null, to_luastring('=<string>'));
    } finally {
      compiling = false;
    }
    if (status !== lua.LUA_OK) {
      const e = jsString(L, -1);
      c = { error: gopherSyntaxFromLuaError(script, e) ?? e };
    } else {
      const cl = L.stack[L.top - 1].value;
      floatConstants(cl.p);
      c = { closure: cl };
    }
    lua.lua_pop(L, 1);
  }
  if (compiled.size >= COMPILED_MAX) compiled.delete(compiled.keys().next().value as string);
  compiled.set(script, c);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Return value handling: gopher-json encoding + Go's json.Unmarshal into HealthStatus.

class EncodeError extends Error {}

/**
 * layeh.com/gopher-json Encode (json.go jsonValue.MarshalJSON), which Argo CD runs on the
 * returned table, then json.Unmarshal into HealthStatus. A table is walked in gopher-lua's
 * order (gorder.ts): no keys encodes `[]`; a first key that is a number makes an array whose
 * keys must be 1, 2, 3... (else "cannot encode sparse array", a non-number key "cannot
 * encode mixed or invalid key types"); a first string key makes an object of string keys only;
 * any other first key is invalid. Values are then marshalled, objects in sorted key order
 * (encoding/json sorts map keys). Every table visited stays visited (the map is never
 * cleared), so one table reached twice is "recursively nested". NaN and ±Inf fail
 * (json: unsupported value). Each jsonValue level wraps a child's error in encoding/json's
 * MarshalerError, and Encode's own json.Marshal once more: an error at depth d (the returned
 * table is depth 0) carries d+1 prefixes.
 */
const MARSHALER_PREFIX = 'json: error calling MarshalJSON for type json.jsonValue: ';

function encodeFail(depth: number, msg: string): never {
  throw new EncodeError(MARSHALER_PREFIX.repeat(depth + 1) + msg);
}

/** Marshals `v` at `depth`; returns the object entries of a table that encodes as an object. */
function marshalValue(v: any, depth: number, visited: Set<unknown>): [string, any][] | undefined {
  switch (v.ttnov()) {
    case T.LUA_TNIL:
    case T.LUA_TBOOLEAN:
    case T.LUA_TSTRING:
      return undefined;
    case T.LUA_TNUMBER:
      if (!Number.isFinite(v.value)) encodeFail(depth, `json: unsupported value: ${goNumberString(v.value)}`);
      return undefined;
    case T.LUA_TTABLE: {
      const t = v.value;
      if (visited.has(t)) encodeFail(depth, 'cannot encode recursively nested tables to JSON');
      visited.add(t);
      if (t.lazy !== undefined) materialize(t);
      const entries = gopherEntries(t);
      if (entries.length === 0) return undefined;
      const first = entries[0].key;
      if (first.ttisnumber()) {
        let expected = 1;
        for (const e of entries) {
          if (!e.key.ttisnumber()) encodeFail(depth, 'cannot encode mixed or invalid key types');
          if (e.key.value !== expected) encodeFail(depth, 'cannot encode sparse array');
          expected++;
        }
        for (const e of entries) marshalValue(e.value, depth + 1, visited);
        return undefined;
      }
      if (!first.ttisstring()) encodeFail(depth, 'cannot encode mixed or invalid key types');
      const obj: [string, any][] = [];
      for (const e of entries) {
        if (!e.key.ttisstring()) encodeFail(depth, 'cannot encode mixed or invalid key types');
        obj.push([luaStringOf(e.key), e.value]);
      }
      obj.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [, val] of obj) marshalValue(val, depth + 1, visited);
      return obj;
    }
    default:
      return encodeFail(depth, `cannot encode ${typeName(v)} to JSON`);
  }
}

/** A string field as Go holds it after the JSON round trip (invalid UTF-8 bytes: U+FFFD each). */
function jsonText(tv: any): string {
  const b: Uint8Array = tv.value.getstr();
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return goJsonString(b);
  return luaStringOf(tv);
}

function toHealth(ret: any): HealthResult {
  if (ret === undefined || ret.ttisnil()) return { status: '', message: '' };
  if (!ret.ttistable()) return { status: 'Unknown', message: `expect table output from Lua script, not ${typeName(ret)}` };
  let entries;
  try {
    entries = marshalValue(ret, 0, new Set());
  } catch (e) {
    if (e instanceof EncodeError) return { status: 'Unknown', message: e.message };
    throw e;
  }
  // An empty table encodes as [] and any json.UnmarshalTypeError yields an empty HealthStatus.
  if (entries === undefined) return { status: '', message: '' };
  // Unmarshal matches field names case-insensitively; with keys in sorted order, the last wins.
  let status = '';
  let message = '';
  for (const [k, v] of entries) {
    const field = k.toLowerCase();
    if (field !== 'status' && field !== 'message') continue;
    if (v.ttisnil()) continue;
    // json.Unmarshal of a number, bool, object or array into a string field is an
    // UnmarshalTypeError, which Argo turns into an empty health status.
    if (!v.ttisstring()) return { status: '', message: '' };
    if (field === 'status') status = jsonText(v);
    else message = jsonText(v);
  }
  if (!(HEALTH_STATUSES as readonly string[]).includes(status)) return { status: 'Unknown', message: INVALID_STATUS_MESSAGE };
  return { status, message };
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
function errorMessage(Ls: any): string {
  const tv = Ls.stack[Ls.top - 1];
  if (!tv) return '';
  if (tv.type === T.LUA_TLIGHTUSERDATA && tv.value instanceof Error) return tv.value.message;
  if (tv.ttisstring()) return gopherArgError(luaStringOf(tv));
  if (tv.ttisnumber()) return goNumberString(tv.value);
  if (tv.ttisnil()) return 'nil';
  if (tv.ttisboolean()) return tv.value ? 'true' : 'false';
  return `${typeName(tv)}: 0x${objectId(tv.value).toString(16)}`;
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

// ---------------------------------------------------------------------------------------------
// Reuse of pristine tables. After an evaluation every table of the environment (globals,
// library copies, package tables) is compared with a snapshot taken when it was built: same
// entries, same values, no metatable. Untouched tables are reused by the next evaluation;
// globals that only gained string keys (a script's global functions) are cut back to the
// snapshot; anything else is rebuilt from scratch. A script therefore never sees what an
// earlier one wrote, and the common case allocates almost nothing.

interface Snap {
  t: any;
  size: number;
  entries: any[];
  types: number[];
  values: unknown[];
  last: any;
}

function snapshot(t: any): Snap {
  const entries: any[] = [];
  const types: number[] = [];
  const values: unknown[] = [];
  for (let e = t.f; e; e = e.n) {
    entries.push(e);
    types.push(e.value.type);
    values.push(e.value.value);
  }
  return { t, size: t.strong.size, entries, types, values, last: t.l };
}

/** 0: untouched; 1: only gained keys (after the snapshot's last entry); 2: changed. */
function compareSnap(s: Snap, skip: number): 0 | 1 | 2 {
  const t = s.t;
  if (t.metatable !== null) return 2;
  const { entries, types, values } = s;
  for (let i = 0; i < entries.length; i++) {
    if (i === skip) continue;
    const v = entries[i].value;
    if (v === undefined || v.type !== types[i] || v.value !== values[i]) return 2;
  }
  if (t.strong.size === s.size && t.l === s.last) return 0;
  if (t.strong.size > s.size && s.last && s.last.n !== undefined && entries.length === s.size) return 1;
  return 2;
}

/** Cuts keys added after the snapshot; false when one is not a string key. */
function cutBack(s: Snap): boolean {
  const t = s.t;
  for (let e = s.last.n; e; e = e.n) if (!e.key.ttisstring()) return false;
  for (let e = s.last.n; e; e = e.n) t.strong.delete(e.key.value.hash);
  s.last.n = undefined;
  t.l = s.last;
  if (t.strong.size !== s.size) return false;
  if (Object.hasOwn(t, 'dead_strong')) t.dead_strong.clear();
  t.dead_weak = undefined;
  return true;
}

interface Pool {
  env: any;
  loaded: any;
  loaders: any;
  /** gopher-lua's string metatable is the string module itself (with __index = itself). */
  stringMt: any;
  envSnap: Snap;
  objIndex: number;
  subs: Snap[];
}

const pools: [Pool | undefined, Pool | undefined] = [undefined, undefined];

function acquireEnv(openLibs: boolean, objTV: any): { env: any; loaded: any; loaders: any; pool: Pool } {
  const slot = openLibs ? 1 : 0;
  let pool = pools[slot];
  pools[slot] = undefined; // in use; returned only when found pristine
  if (pool === undefined) {
    const built = buildEnv(openLibs);
    const subs: Snap[] = built.subTables.map(snapshot);
    addStr(built.env, 'obj', new TValue(T.LUA_TNIL, null)); // placeholder, replaced below
    const envSnap = snapshot(built.env);
    pool = {
      env: built.env,
      loaded: built.loaded,
      loaders: built.loaders,
      stringMt: built.stringMt,
      envSnap,
      objIndex: envSnap.entries.length - 1,
      subs,
    };
  }
  const objEntry = pool.envSnap.entries[pool.objIndex];
  if (objTV === undefined) {
    objEntry.value.type = T.LUA_TNIL;
    objEntry.value.value = null;
  } else {
    objEntry.value.type = objTV.type;
    objEntry.value.value = objTV.value;
  }
  // Lua reads the nil placeholder as "no obj" exactly like a missing key.
  return { env: pool.env, loaded: pool.loaded, loaders: pool.loaders, pool };
}

function releaseEnv(openLibs: boolean, pool: Pool): void {
  for (const s of pool.subs) if (compareSnap(s, -1) !== 0) return; // dropped: rebuilt next time
  const state = compareSnap(pool.envSnap, pool.objIndex);
  if (state === 2) return;
  if (state === 1 && !cutBack(pool.envSnap)) return;
  const objEntry = pool.envSnap.entries[pool.objIndex];
  objEntry.value.type = T.LUA_TNIL; // do not keep the object alive
  objEntry.value.value = null;
  pools[openLibs ? 1 : 0] = pool;
}

function buildEnv(openLibs: boolean): { env: any; loaded: any; loaders: any; subTables: any[]; stringMt: any } {
  const t = tmpl!;
  const env = newTable();
  const envTV = tableTV(env);
  const base = t.base;
  for (const k in base) {
    const v = base[k];
    if (v !== undefined) addStr(env, k, new TValue(v.type, v.value));
  }
  addStr(env, '_G', tableTV(env));
  addStr(env, '_VERSION', strTV('Lua 5.1'));
  const tableT = copyLib(t.table);
  addStr(env, 'table', tableTV(tableT));

  const pkg = copyLib(t.packageFns);
  const loaded = newTable();
  addStr(loaded, '_G', envTV);
  addStr(loaded, 'table', tableTV(tableT));
  const preload = newTable();
  addStr(preload, 'os', new TValue(t.osLoader.type, t.osLoader.value));
  const loaders = newTable();
  addInt(loaders, 1, new TValue(t.loaders[0].type, t.loaders[0].value));
  addInt(loaders, 2, new TValue(t.loaders[1].type, t.loaders[1].value));
  addStr(pkg, 'preload', tableTV(preload));
  addStr(pkg, 'loaders', tableTV(loaders));
  addStr(pkg, 'loaded', tableTV(loaded));
  addStr(pkg, 'path', strTV(LUA_PATH_DEFAULT));
  addStr(pkg, 'cpath', strTV(''));
  addStr(pkg, 'config', strTV('/\n;\n?\n!\n-\n')); // loadlib.go: LuaDirSep, ";", "?", "!", "-"

  addStr(env, 'package', tableTV(pkg));

  // util/lua/lua.go sets the global actionParams (an empty table for a health check).
  const actionParams = newTable();
  addStr(env, 'actionParams', tableTV(actionParams));
  const subTables = [tableT, pkg, loaded, preload, loaders, actionParams];
  let stringMt: any;
  if (openLibs) {
    const stringT = copyLib(t.string);
    addStr(stringT, '__index', tableTV(stringT));
    stringMt = stringT;
    const libs = [stringT, copyLib(t.math), copyLib(t.os), copyLib(t.coroutine), copyLib(t.debug), copyLib(t.io), copyLib(t.channel)];
    addStr(env, 'io', tableTV(libs[5]));
    addStr(env, 'channel', tableTV(libs[6]));
    addStr(env, 'string', tableTV(libs[0]));
    addStr(env, 'math', tableTV(libs[1]));
    addStr(env, 'os', tableTV(libs[2]));
    addStr(env, 'coroutine', tableTV(libs[3]));
    addStr(env, 'debug', tableTV(libs[4]));
    subTables.push(...libs);
  }
  return { env, loaded, loaders, subTables, stringMt };
}

/**
 * Runs one health script against one object with Argo CD's semantics and returns what Argo
 * would record: a runtime error, a non-table return, or a timeout becomes `Unknown` with the
 * error text as message.
 */
export function evaluateHealth(script: string, obj: unknown, options: EvalOptions = {}): HealthResult {
  initEngine();
  const c = compile(script);
  if (c.error !== undefined) return { status: 'Unknown', message: c.error };
  const objTV = toLua(obj);
  const openLibs = options.openLibs === true;
  const { env, loaded, loaders, pool } = acquireEnv(openLibs, objTV);
  const mt = L.l_G.mt;
  for (let i = 0; i < mt.length; i++) mt[i] = undefined;
  // The string metatable is this evaluation's string table (checked for changes like the rest).
  if (openLibs) mt[T.LUA_TSTRING] = pool.stringMt;
  const context: EvalContext = {
    env,
    loaded,
    loaders,
    printed: undefined,
    instructions: 0,
    instructionLimit: options.instructionLimit ?? DEFAULT_INSTRUCTION_LIMIT,
    memoryLimit: options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES,
    heapAtStart: -1,
    deadlineAt: Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    hookFires: 0,
    sinceClock: 0,
  };
  ctx = context;
  const base = L.top;
  lua.lua_sethook(L, hook, lua.LUA_MASKCOUNT, HOOK_STEP);
  let result: HealthResult;
  try {
    lobject.pushobj2s(L, new TValue(T.LUA_TLCL, c.closure));
    lobject.pushobj2s(L, tableTV(env));
    lua.lua_setupvalue(L, -2, 1);
    const status = lua.lua_pcall(L, 0, lua.LUA_MULTRET, 0);
    if (status !== lua.LUA_OK) {
      result = { status: 'Unknown', message: errorMessage(L) };
    } else {
      result = toHealth(L.top > base ? L.stack[L.top - 1] : undefined);
    }
  } finally {
    lua.lua_settop(L, base);
    for (let i = 0; i < mt.length; i++) mt[i] = undefined;
    ctx = undefined;
    releaseEnv(openLibs, pool);
  }
  if (context.printed) result.printed = context.printed;
  if (context.environment) result.environment = context.environment;
  if (context.bounded || context.stopped !== undefined) result.sandboxBound = true;
  return result;
}

/** Number of compiled chunks held (one per distinct script text, at most 1024). */
export function compileCacheSize(): number {
  return compiled.size;
}

/** Drops compiled chunks (tests and long-running callers). */
export function clearCompileCache(): void {
  compiled.clear();
}

/** Whether `s` is one of the six health statuses Argo CD accepts. */
export function isHealthStatus(s: string): s is HealthStatusCode {
  return (HEALTH_STATUSES as readonly string[]).includes(s);
}
