/**
 * Patch `lazy-tables` (speed and fidelity): fengari's table functions (ltable.js) fill a lazily
 * converted table before any access, and follow gopher-lua's table semantics during an
 * evaluation.
 *
 * - Lazy tables (speed): the object a health check gets becomes tables filled on first access
 *   (src/lua/values.ts toLua); every table access of fengari goes through these ltable
 *   functions, which fill the table first, so no script can tell. Acts on wavegate's lazy
 *   tables only (no other table has `lazy` set).
 * - Length, traversal order, deletion and the array part (fidelity, src/lua/gorder.ts):
 *   gopher-lua's Len is the last non-nil slot of the array part; next/pairs walk in
 *   gopher-lua's order; a table constructor without positional items has no array part.
 *   Scoped to evaluations: outside one, fengari's own functions run.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { T, lopcodes, lstate, ltable, Table } from './internals.js';
import { type PatchDeps, scope } from './scope.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export function install(deps: PatchDeps): void {
  const { materialize } = deps;
  const { gopherLen, hasTombstones, naturalOrder, gopherNext, hashKey, deleteKey, deleteIntKey, noteArrayKey } = deps.gorder;
  Table.prototype.lazy = undefined;
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
    if (!scope.evaluating || (t.strong.size === n && !hasTombstones(t))) return n;
    return gopherLen(t);
  };
  ltable.luaH_next = (Ls: any, t: any, keyI: number) => {
    if (t.lazy !== undefined) materialize(t);
    // During an evaluation next/pairs walk the table in gopher-lua's order (gorder.ts).
    if (scope.evaluating) {
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
    if (scope.evaluating) {
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
    if (scope.evaluating) {
      if (value.ttisnil() && deleteKey(t, key)) return;
      noteArrayKey(t, key); // gopher-lua's array part (gorder.ts)
    }
    return setfrom(Ls, t, key, value);
  };
  ltable.luaH_setint = (t: any, key: number, value: any) => {
    if (t.lazy !== undefined) materialize(t);
    if (scope.evaluating) {
      if (value.ttisnil() && deleteIntKey(t, key)) return;
      noteArrayKey(t, key);
    }
    return setint(t, key, value);
  };
}
