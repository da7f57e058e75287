/**
 * Patch `string-bound` (sandbox bound): strings built by the VM (lobject.js setsvalue2s, through
 * which `..` stores its result) are bounded in size and charged to the evaluation's budget.
 *
 * A `s = s .. s` loop would exhaust memory in a few steps: a result over the runtime's bound
 * stops the run with its memory message; copying a large string (a memcpy) is work, charged.
 *
 * Scoped to evaluations: outside one, fengari's own store.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { lobject } from './internals.js';
import { type PatchDeps, scope } from './scope.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export function install(deps: PatchDeps): void {
  const { maxStringBytes, stringTooLong, charge } = deps;
  const origSet = lobject.setsvalue2s;
  lobject.setsvalue2s = (Ls: any, idx: number, ts: any) => {
    if (scope.evaluating) {
      const len = ts.realstring.length;
      if (len > maxStringBytes) stringTooLong(Ls);
      if (len >= 4096) charge(Ls, len >> 9, true); // copying a large string (a memcpy) is work too
    }
    origSet(Ls, idx, ts);
  };
}
