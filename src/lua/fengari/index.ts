/**
 * The fengari patches: one registry, installed once by the runtime (src/lua/engine.ts) in this
 * order. Each file's header says what it changes, why, and whether it acts only during
 * evaluations (scope.ts). stepped-string.ts is a copy of fengari's string library, not a patch
 * of fengari's modules.
 *
 * Each patch earns its place: a `fidelity` patch makes fengari behave as gopher-lua does
 * (test/lua/gopher-fidelity.test.ts and the tests its header names fail without it); a
 * `bound` patch is one of wavegate's sandbox bounds (test/security); a `speed` patch changes
 * no result and is measured by the bench with and without it (`npm run bench`, rows "fengari
 * patch ..."; the bench skips it with WAVEGATE_BENCH_SKIP_PATCHES=<name>, which only names a
 * speed patch).
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import * as callLimits from './call-limits.js';
import * as constantFolding from './constant-folding.js';
import * as errorTexts from './error-texts.js';
import * as fastCall from './fast-call.js';
import * as integerArgs from './integer-args.js';
import * as lazyTables from './lazy-tables.js';
import * as metamethods from './metamethods.js';
import * as numberParse from './number-parse.js';
import * as numberText from './number-text.js';
import * as pow from './pow.js';
import type { PatchDeps } from './scope.js';
import * as stringBound from './string-bound.js';
import * as stringKeys from './string-keys.js';
import * as typeErrors from './type-errors.js';

export interface Patch {
  name: string;
  kind: 'fidelity' | 'bound' | 'speed';
  /** What it changes, in a line (the file's header says more). */
  summary: string;
  install(deps: PatchDeps): void;
}

export const PATCHES: readonly Patch[] = [
  {
    name: 'fast-call',
    kind: 'speed',
    summary: 'ldo.js call path: stack slots emptied by assignment, not delete',
    install: () => fastCall.install(),
  },
  {
    name: 'string-keys',
    kind: 'fidelity',
    summary: "a string's table and comparison key by its bytes",
    install: () => stringKeys.install(),
  },
  { name: 'pow', kind: 'fidelity', summary: "`^` is Go's math.Pow while a chunk compiles or runs", install: pow.install },
  {
    name: 'lazy-tables',
    kind: 'fidelity',
    summary: "obj filled on first access (speed) and gopher-lua's table semantics (fidelity)",
    install: lazyTables.install,
  },
  { name: 'number-text', kind: 'fidelity', summary: "numbers print in Go's format", install: numberText.install },
  { name: 'type-errors', kind: 'fidelity', summary: "wrong-type errors in gopher-lua's words", install: typeErrors.install },
  { name: 'call-limits', kind: 'fidelity', summary: "gopher-lua's call-stack and registry sizes", install: callLimits.install },
  { name: 'error-texts', kind: 'fidelity', summary: "errors raised inside fengari in gopher-lua's words", install: errorTexts.install },
  { name: 'metamethods', kind: 'fidelity', summary: 'comparison metamethods as in Lua 5.1', install: () => metamethods.install() },
  {
    name: 'integer-args',
    kind: 'fidelity',
    summary: 'integer arguments of library functions truncate',
    install: () => integerArgs.install(),
  },
  {
    name: 'number-parse',
    kind: 'fidelity',
    summary: 'strings used as numbers parse as gopher-lua parses them',
    install: numberParse.install,
  },
  { name: 'constant-folding', kind: 'fidelity', summary: 'integer constants fold in float64', install: () => constantFolding.install() },
  {
    name: 'string-bound',
    kind: 'bound',
    summary: "strings built by the VM bounded and charged to the evaluation's budget",
    install: stringBound.install,
  },
];

/** The speed patches the bench asked to leave out (WAVEGATE_BENCH_SKIP_PATCHES, comma-separated names). */
export function skippedPatches(value = process.env.WAVEGATE_BENCH_SKIP_PATCHES): Set<string> {
  const names = new Set((value ?? '').split(',').filter((s) => s !== ''));
  for (const n of names) {
    const p = PATCHES.find((x) => x.name === n);
    if (p?.kind !== 'speed') {
      const speed = PATCHES.filter((x) => x.kind === 'speed').map((x) => x.name);
      throw new Error(`WAVEGATE_BENCH_SKIP_PATCHES: ${n} is not a speed patch (speed patches: ${speed.join(', ')})`);
    }
  }
  return names;
}

let installed = false;

export function installPatches(deps: PatchDeps): void {
  if (installed) return;
  installed = true;
  const skip = skippedPatches();
  for (const p of PATCHES) if (!skip.has(p.name)) p.install(deps);
}
