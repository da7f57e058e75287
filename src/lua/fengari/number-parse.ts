/**
 * Patch `number-parse` (fidelity): strings used as numbers parse as gopher-lua parses them
 * (lobject.js luaO_str2num).
 *
 * Strings used as numbers (arithmetic, math.floor("8")): gopher-lua's parseNumber (utils.go:
 * ParseInt base 0, so "010" is 8 and "0x10" is 16, else ParseFloat).
 *
 * Scoped to evaluations: the lexer (compiling, outside an evaluation) keeps fengari's own
 * conversion.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { lobject, to_jsstring } from './internals.js';
import { type PatchDeps, scope } from './scope.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export function install(deps: PatchDeps): void {
  const { goParseNumber } = deps;
  const origStr2num = lobject.luaO_str2num;
  lobject.luaO_str2num = (s: Uint8Array, o: any) => {
    if (!scope.evaluating) return origStr2num(s, o);
    const v = goParseNumber(to_jsstring(s, undefined, undefined, true));
    if (v === undefined) return 0;
    o.setfltvalue(v);
    return s.length + 1;
  };
}
