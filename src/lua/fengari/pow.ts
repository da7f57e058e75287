/**
 * Patch `pow` (fidelity): `^` is Go's math.Pow.
 *
 * gopher-lua computes `^` with math.Pow (vm.go arith; compile.go folds constants with it).
 * fengari's VM calls the global Math.pow itself (lvm.js OP_POW, lobject.js luaO_arith), so the
 * global is replaced. Scoped to evaluations: while a chunk of wavegate's compiles or runs
 * (synchronous, nothing else runs in between) it is goPow; any other caller gets the original.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { type PatchDeps, scope } from './scope.js';

export function install(deps: PatchDeps): void {
  const { goPow } = deps;
  const origPow = Math.pow;
  Math.pow = (x: number, y: number): number => (scope.evaluating || scope.compiling ? goPow(x, y) : origPow(x, y));
}
