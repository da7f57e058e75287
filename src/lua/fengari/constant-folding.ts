/**
 * Patch `constant-folding` (fidelity): the compiler folds integer constants in float64
 * (lobject.js luaO_arith called with no state).
 *
 * gopher-lua folds constants in float64; fengari folds two integer constants in wrapping
 * 32-bit integers (`2147483647 + 1` would be negative). The compiler calls luaO_arith with no
 * state (`Ls === null`); the VM always passes one.
 *
 * Scoped to compiling a health script, or a chunk an evaluation loads: outside them, fengari's
 * own folding.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { T, TValue, lobject, lua } from './internals.js';
import { scope } from './scope.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const FLOAT_FOLD_OPS = new Set<number>([lua.LUA_OPADD, lua.LUA_OPSUB, lua.LUA_OPMUL, lua.LUA_OPMOD, lua.LUA_OPUNM]);

export function install(): void {
  const origArith = lobject.luaO_arith;
  lobject.luaO_arith = (Ls: any, op: number, p1: any, p2: any, p3: any) => {
    if (Ls === null && (scope.compiling || scope.evaluating) && p1.ttisinteger() && p2.ttisinteger() && FLOAT_FOLD_OPS.has(op)) {
      return origArith(Ls, op, new TValue(T.LUA_TNUMFLT, p1.value), new TValue(T.LUA_TNUMFLT, p2.value), p3);
    }
    return origArith(Ls, op, p1, p2, p3);
  };
}
