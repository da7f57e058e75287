/**
 * Faster Lua function calls in fengari 0.1.5, with the same results.
 *
 * Profiling the health runtime showed about half of an evaluation in fengari's call path
 * (`adjust_top`, `moveresults` in ldo.js): it clears stack slots above the top with
 * `delete L.stack[i]`, which V8 runs as a slow generic property deletion. Writing
 * `undefined` leaves the slot just as empty for every reader (fengari never tests a slot for
 * presence; slots at or above `L.top` are always written before they are read) and is a
 * plain array store.
 *
 * fengari's VM (lvm.js) and API (lapi.js) call these through the ldo module object
 * (`ldo.luaD_precall`, `ldo.luaD_poscall`, `ldo.adjust_top`, `ldo.luaD_call`,
 * `ldo.luaD_callnoyield`), so replacing
 * the exports changes every call the VM makes. The replacements are line-for-line copies of
 * fengari's code with the store changed; cases they do not copy (vararg functions, call or
 * return hooks, metamethod `__call`, the C-stack overflow error) go to the original
 * functions. Installed once per process by installPatches (index.ts), before the state is
 * created. Process-wide, not scoped to evaluations: the exports are the call path of every
 * state, and a check of the evaluation scope on every call would cost what the patch gains;
 * wavegate runs no other fengari code.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { createRequire } from 'node:module';

/* eslint-disable @typescript-eslint/no-explicit-any */
const require = createRequire(import.meta.url);
require('fengari'); // its own load order first (the internal modules require each other in a cycle)
const ldo: any = require('fengari/src/ldo.js');
const lvm: any = require('fengari/src/lvm.js');
const lobject: any = require('fengari/src/lobject.js');
const lstate: any = require('fengari/src/lstate.js');
const defs: any = require('fengari/src/defs.js');
const llimits: any = require('fengari/src/llimits.js');

const { LUA_TNIL, LUA_TLCL, LUA_TLCF, LUA_TCCL } = defs.constant_types;
const { LUA_MULTRET, LUA_MASKCALL, LUA_MASKRET, LUA_MASKLINE, LUA_MINSTACK } = defs;
const LUAI_MAXCCALLS: number = llimits.LUAI_MAXCCALLS;
const TValue = lobject.TValue;

const PATCHED = Symbol.for('wavegate.fengari-fast');

export function install(): void {
  if (ldo[PATCHED]) return;
  if (typeof LUA_MINSTACK !== 'number' || typeof LUAI_MAXCCALLS !== 'number' || typeof ldo.luaD_precall !== 'function') {
    return; // not the fengari this was written for: keep its own code
  }
  const origPrecall = ldo.luaD_precall;
  const origPoscall = ldo.luaD_poscall;
  const origCall = ldo.luaD_call;

  const adjustTop = (L: any, newtop: number): void => {
    const stack = L.stack;
    let top = L.top;
    if (top < newtop) {
      while (top < newtop) stack[top++] = new TValue(LUA_TNIL, null);
    } else {
      while (top > newtop) stack[--top] = undefined;
    }
    L.top = top;
  };

  const poscall = (L: any, ci: any, firstResult: number, nres: number): boolean => {
    if (L.hookmask & (LUA_MASKRET | LUA_MASKLINE)) return origPoscall(L, ci, firstResult, nres);
    const wanted = ci.nresults;
    const res = ci.funcOff;
    L.ci = ci.previous;
    L.ci.next = null;
    const stack = L.stack;
    if (wanted === LUA_MULTRET) {
      for (let i = 0; i < nres; i++) lobject.setobjs2s(L, res + i, firstResult + i);
      for (let i = L.top; i >= res + nres; i--) stack[i] = undefined;
      L.top = res + nres;
      return false;
    }
    if (wanted === 1) {
      if (nres === 0) stack[res].setnilvalue();
      else lobject.setobjs2s(L, res, firstResult);
    } else if (wanted !== 0) {
      let i;
      if (wanted <= nres) {
        for (i = 0; i < wanted; i++) lobject.setobjs2s(L, res + i, firstResult + i);
      } else {
        for (i = 0; i < nres; i++) lobject.setobjs2s(L, res + i, firstResult + i);
        for (; i < wanted; i++) {
          if (res + i >= L.top) stack[res + i] = new TValue(LUA_TNIL, null);
          else stack[res + i].setnilvalue();
        }
      }
    }
    const newtop = res + wanted;
    for (let i = L.top; i >= newtop; i--) stack[i] = undefined;
    L.top = newtop;
    return true;
  };

  const precall = (L: any, off: number, nresults: number): boolean => {
    const func = L.stack[off];
    const type = func.type;
    if (L.hookmask & LUA_MASKCALL) return origPrecall(L, off, nresults);
    if (type === LUA_TLCL) {
      const p = func.value.p;
      if (p.is_vararg) return origPrecall(L, off, nresults);
      let n = L.top - off - 1;
      const fsize = p.maxstacksize;
      ldo.luaD_checkstack(L, fsize);
      for (; n < p.numparams; n++) L.stack[L.top++] = new TValue(LUA_TNIL, null); // complete missing arguments
      const base = off + 1;
      const ci = lstate.luaE_extendCI(L);
      ci.funcOff = off;
      ci.nresults = nresults;
      ci.func = func;
      ci.l_base = base;
      ci.top = base + fsize;
      adjustTop(L, ci.top);
      ci.l_code = p.code;
      ci.l_savedpc = 0;
      ci.callstatus = lstate.CIST_LUA;
      return false;
    }
    if (type === LUA_TCCL || type === LUA_TLCF) {
      const f = type === LUA_TCCL ? func.value.f : func.value;
      ldo.luaD_checkstack(L, LUA_MINSTACK);
      const ci = lstate.luaE_extendCI(L);
      ci.funcOff = off;
      ci.nresults = nresults;
      ci.func = func;
      ci.top = L.top + LUA_MINSTACK;
      ci.callstatus = 0;
      const n = f(L);
      if (typeof n !== 'number' || n < 0 || (n | 0) !== n) throw Error('invalid return value from JS function (expected integer)');
      poscall(L, ci, L.top - n, n);
      return true;
    }
    return origPrecall(L, off, nresults); // __call metamethod
  };

  const call = (L: any, off: number, nResults: number): void => {
    if (L.nCcalls + 1 >= LUAI_MAXCCALLS) {
      origCall(L, off, nResults); // raises fengari's own "JS stack overflow"
      return;
    }
    L.nCcalls++;
    if (!precall(L, off, nResults)) lvm.luaV_execute(L);
    L.nCcalls--;
  };

  const callNoYield = (L: any, off: number, nResults: number): void => {
    L.nny++;
    call(L, off, nResults);
    L.nny--;
  };

  ldo.adjust_top = adjustTop;
  ldo.luaD_poscall = poscall;
  ldo.luaD_precall = precall;
  ldo.luaD_call = call;
  ldo.luaD_callnoyield = callNoYield;
  ldo[PATCHED] = true;
}

/** True when the faster call path is in place (for tests and diagnostics). */
export function fengariFastCalls(): boolean {
  return ldo[PATCHED] === true;
}
