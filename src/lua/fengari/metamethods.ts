/**
 * Patch `metamethods` (fidelity): comparison metamethods apply as in Lua 5.1 (ltm.js
 * luaT_callorderTM, fasttm, luaT_callTM).
 *
 * vm.go objectRational: __eq, __lt and __le apply only when both operands have the same
 * function for the event (Lua 5.1's rule; fengari, as 5.3, takes either operand's). Without
 * one, == is false, and < / <= fail with "attempt to compare" (<= tries __lt the other way
 * round first, in both). luaV_equalobj looks up __eq with fasttm, then calls it with
 * luaT_callTM: the lookup marks the call that follows.
 *
 * Scoped to evaluations: outside one, fengari's own rule.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { T, TValue, ltm } from './internals.js';
import { scope } from './scope.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export function install(): void {
  const sameTM = (Ls: any, p1: any, p2: any, event: number): any => {
    const m1 = ltm.luaT_gettmbyobj(Ls, p1, event);
    if (!m1.ttisfunction()) return undefined;
    const m2 = ltm.luaT_gettmbyobj(Ls, p2, event);
    return m2.ttisfunction() && m1.type === m2.type && m1.value === m2.value ? m1 : undefined;
  };
  const origOrderTM = ltm.luaT_callorderTM;
  ltm.luaT_callorderTM = (Ls: any, p1: any, p2: any, event: number) => {
    if (!scope.evaluating) return origOrderTM(Ls, p1, p2, event);
    if (p1.ttnov() !== p2.ttnov()) return null;
    const tm = sameTM(Ls, p1, p2, event);
    if (tm === undefined) return null;
    const res = new TValue(T.LUA_TNIL, null);
    ltm.luaT_callTM(Ls, tm, p1, p2, res, 1);
    return !res.l_isfalse();
  };
  const origFastTM = ltm.fasttm;
  const TM_EQ = ltm.TMS.TM_EQ;
  let pendingEq = false;
  ltm.fasttm = (l: any, et: any, e: number) => {
    const r = origFastTM(l, et, e);
    if (e === TM_EQ && r !== null && scope.evaluating) pendingEq = true;
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
}
