/**
 * Patch `integer-args` (fidelity): integer arguments of library functions truncate (lvm.js
 * tointeger).
 *
 * Integer arguments of library functions (string.sub, byte, rep, table.insert, select...):
 * gopher-lua's CheckInt is int(LNumber), a truncation, where fengari (5.3) refuses a float
 * with a fraction ("number has no integer representation"). fengari's integers are 32-bit,
 * so the result is clamped to that range (string positions and counts clamp the same way).
 * CheckInt/OptInt take no string (fengari converted "10"); the refusal is reworded by the
 * runtime (src/lua/errors.ts).
 *
 * Scoped to evaluations: outside one, fengari's own conversion.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { lvm } from './internals.js';
import { scope } from './scope.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export function install(): void {
  const origToInteger = lvm.tointeger;
  lvm.tointeger = (o: any) => {
    // CheckInt/OptInt take no string (fengari converted "10"); the refusal is reworded below.
    if (scope.evaluating && o.ttisstring()) return false;
    if (scope.evaluating && o.ttisfloat()) {
      const v = Number.isNaN(o.value) ? -2147483648 : Math.trunc(o.value);
      return Math.max(-2147483648, Math.min(2147483647, v));
    }
    return origToInteger(o);
  };
}
