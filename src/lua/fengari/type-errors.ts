/**
 * Patch `type-errors` (fidelity): the texts of errors on a value of the wrong type, in
 * gopher-lua's words (ldebug.js luaG_typeerror, luaG_ordererror; ltm.js luaT_trybinTM).
 *
 * - indexing a non-table: "attempt to index a non-table object(nil) with key 'x'" (the key
 *   read from the instruction that failed); calling a non-function; `#` without __len;
 * - comparing: "attempt to compare number with nil", with the calling line when a library
 *   function (table.sort) compared;
 * - arithmetic: "cannot perform add operation between number and nil" (a numeric string
 *   counts as a number, vm.go arith converts it first); "__unm undefined".
 *
 * Scoped to evaluations: outside one, fengari's own texts.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { lauxlib, ldebug, lopcodes, lstate, ltm, lua, to_jsstring } from './internals.js';
import { runError } from './run-error.js';
import { type PatchDeps, scope } from './scope.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

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

export function install(deps: PatchDeps): void {
  const { typeName, gopherKeyString, goParseNumber, luaStringOf } = deps;
  const origTypeError = ldebug.luaG_typeerror;
  ldebug.luaG_typeerror = (Ls: any, o: any, op: Uint8Array) => {
    if (!scope.evaluating) return origTypeError(Ls, o, op);
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
    if (!scope.evaluating) return origOrder(Ls, p1, p2);
    const msg = `attempt to compare ${typeName(p1)} with ${typeName(p2)}`;
    // A comparison made by a library function (table.sort without a comparator): gopher-lua's
    // RaiseError still names the calling line (state.go where), fengari gave no position.
    if (!(Ls.ci.callstatus & lstate.CIST_LUA)) {
      lauxlib.luaL_where(Ls, 1);
      const where = to_jsstring(lua.lua_tolstring(Ls, -1), undefined, undefined, true);
      lua.lua_pop(Ls, 1);
      runError(Ls, where + msg);
    }
    runError(Ls, msg);
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
    if (!scope.evaluating) return origTryBin(Ls, p1, p2, res, event);
    if (ltm.luaT_callbinTM(Ls, p1, p2, res, event)) return;
    if (event === TMS.TM_UNM) runError(Ls, '__unm undefined');
    const name = opNames[event];
    // vm.go arith: numeric strings are converted before the error, so they count as numbers.
    const arithType = (tv: any): string =>
      event !== TMS.TM_CONCAT && tv.ttisstring() && goParseNumber(luaStringOf(tv)) !== undefined ? 'number' : typeName(tv);
    if (name) runError(Ls, `cannot perform ${name} operation between ${arithType(p1)} and ${arithType(p2)}`);
    return origTryBin(Ls, p1, p2, res, event);
  };
}
