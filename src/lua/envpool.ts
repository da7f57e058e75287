/**
 * Each evaluation's globals: built from the library templates (engine.ts), compared with a
 * snapshot after the run, and reused by the next evaluation only when untouched.
 */
import { T, TValue } from './fengari/internals.js';
import { LUA_PATH_DEFAULT } from './baselib.js';
import { copyLib, tmpl } from './engine.js';
import { addInt, addStr, newTable, strTV, tableTV } from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

// ---------------------------------------------------------------------------------------------
// Reuse of pristine tables. After an evaluation every table of the environment (globals,
// library copies, package tables) is compared with a snapshot taken when it was built: same
// entries, same values, no metatable. Untouched tables are reused by the next evaluation;
// globals that only gained string keys (a script's global functions) are cut back to the
// snapshot; anything else is rebuilt from scratch. A script therefore never sees what an
// earlier one wrote, and the common case allocates almost nothing.

export interface Snap {
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

export interface Pool {
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

export function acquireEnv(openLibs: boolean, objTV: any): { env: any; loaded: any; loaders: any; pool: Pool } {
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

export function releaseEnv(openLibs: boolean, pool: Pool): void {
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
