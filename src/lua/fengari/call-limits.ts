/**
 * Patch `call-limits` (fidelity): gopher-lua's call-stack and registry sizes.
 *
 * gopher-lua's call stack holds CallStackSize (256, config.go) frames, Lua and Go functions
 * alike, the main chunk included; one more raises "stack overflow" (state.go, vm.go). fengari
 * creates one CallInfo per call in the same places (lstate.js luaE_extendCI), which counts
 * the depth. gopher-lua's data stack (the registry) holds RegistrySize (5120) values, and
 * Argo's Options do not let it grow: "registry overflow" where fengari's stack grows
 * (ldo.js luaD_checkstack, luaD_growstack).
 *
 * The depth is counted on every CallInfo (a field fengari does not read); the errors are
 * raised only during an evaluation.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { ldo, lstate } from './internals.js';
import { runErrorNamingLuaCaller } from './run-error.js';
import { type PatchDeps, scope } from './scope.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export function install(deps: PatchDeps): void {
  const { callStackSize, registrySize, registrySlack } = deps;
  const origExtendCI = lstate.luaE_extendCI;
  lstate.luaE_extendCI = (Ls: any) => {
    const depth = (Ls.ci.depth ?? 0) + 1;
    if (depth > callStackSize && scope.evaluating) runErrorNamingLuaCaller(Ls, 'stack overflow', callStackSize);
    const ci = origExtendCI(Ls);
    ci.depth = depth;
    return ci;
  };
  // gopher-lua's data stack (the registry) holds RegistrySize (5120, config.go) values for a
  // thread's frames together, and Argo's Options do not let it grow: `unpack` of 6000 values,
  // or deep recursion with many locals, is "registry overflow". fengari's stack holds the
  // same registers; it is checked where it grows (calls, varargs, lua_checkstack).
  const origCheckStack = ldo.luaD_checkstack;
  const origGrowStack = ldo.luaD_growstack;
  let raisingOverflow = false; // building the error message itself needs stack
  const checkRegistry = (Ls: any, n: number): void => {
    if (!scope.evaluating || raisingOverflow || Ls.top + n - (Ls.base_ci.next?.funcOff ?? 0) <= registrySize + registrySlack) return;
    raisingOverflow = true;
    try {
      runErrorNamingLuaCaller(Ls, 'registry overflow', callStackSize);
    } finally {
      raisingOverflow = false;
    }
  };
  ldo.luaD_checkstack = (Ls: any, n: number) => {
    checkRegistry(Ls, n);
    return origCheckStack(Ls, n);
  };
  ldo.luaD_growstack = (Ls: any, n: number) => {
    checkRegistry(Ls, n);
    return origGrowStack(Ls, n);
  };
}
