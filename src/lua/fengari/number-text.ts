/**
 * Patch `number-text` (fidelity): numbers print in Go's format (lobject.js luaO_tostring).
 *
 * gopher-lua's numbers are float64 values that print with Go's strconv ("1", "0.1", "1e+21");
 * fengari prints 5.3's integers and "%.14g". luaO_tostring is where fengari turns a number into
 * a string for `..`, tostring and the C API. Scoped to evaluations and to compiling a health
 * script: outside them, fengari's own text.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { lobject, lstring, to_luastring } from './internals.js';
import { type PatchDeps, scope } from './scope.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export function install(deps: PatchDeps): void {
  const { goNumberString } = deps;
  const origToString = lobject.luaO_tostring;
  lobject.luaO_tostring = (Ls: any, obj: any) => {
    if (obj.ttisnumber() && (scope.evaluating || scope.compiling)) {
      obj.setsvalue(lstring.luaS_bless(Ls, to_luastring(goNumberString(obj.value))));
      return;
    }
    origToString(Ls, obj);
  };
}
