/**
 * fengari's string library with a step callback inside its pattern matcher.
 *
 * Argo CD stops a health script after 1 s (a context deadline the VM checks between
 * instructions). A backtracking pattern (`string.find(("a"):rep(3000), ".-.-.-.-b")`) runs
 * entirely inside one library call, where no instruction hook fires, so the bound has to be
 * checked inside the matcher. fengari 0.1.5 (its final release) keeps the matcher in local
 * functions of `lstrlib.js` that cannot be patched from outside; this module compiles a copy
 * of that file with two calls added, and the runtime opens `string` from the copy:
 *
 * - `match()` (every recursive step of the matcher, including each backtracking attempt of
 *   `-`, `*`, `+` and `?`) reports one step;
 * - the plain search (`string.find(s, p, 1, true)`, a naive scan) reports each candidate
 *   position with a cost of one step per 32 compared bytes.
 *
 * The callback may raise a Lua error (it is called with the running state); everything else
 * in the copy is fengari's code unchanged. If the file does not hold the expected text (another
 * fengari version), loading fails loudly rather than running without the bound.
 */
import './version.js'; // first: refuses a fengari these patches were not written for
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/* eslint-disable @typescript-eslint/no-explicit-any */
const require = createRequire(import.meta.url);
require('fengari'); // its own load order first

/** Set by the hook bundle (scripts/build-hook.mjs) to lstrlib.js's text, which it carries inside. */
declare const __WAVEGATE_LSTRLIB_SOURCE__: string | undefined;

export type PatternStep = (L: any, cost: number) => void;

let step: PatternStep = () => {};

/** Sets the function the matcher calls on each step (one per evaluation engine). */
export function setPatternStep(f: PatternStep): void {
  step = f;
}

const EDITS: [string, string][] = [
  [
    '    if (ms.matchdepth-- === 0)\n        luaL_error(ms.L, to_luastring("pattern too complex"));',
    '    __wavegate_step(ms.L, 1);\n    if (ms.matchdepth-- === 0)\n        luaL_error(ms.L, to_luastring("pattern too complex"));',
  ],
  ['const find_subarray = function(arr, subarr, from_index) {', 'const find_subarray = function(arr, subarr, from_index, L) {'],
  [
    '    for (; (i = arr.indexOf(subarr[0], i)) !== -1; i++) {\n',
    '    for (; (i = arr.indexOf(subarr[0], i)) !== -1; i++) {\n        __wavegate_step(L, 1 + (sl >> 5));\n',
  ],
  ['let f = find_subarray(s.subarray(init - 1), p, 0);', 'let f = find_subarray(s.subarray(init - 1), p, 0, L);'],
];

function load(): { luaopen_string: unknown } {
  const file = require.resolve('fengari/src/lstrlib.js');
  let src = typeof __WAVEGATE_LSTRLIB_SOURCE__ === 'string' ? __WAVEGATE_LSTRLIB_SOURCE__ : readFileSync(file, 'utf8');
  for (const [from, to] of EDITS) {
    const at = src.indexOf(from);
    if (at < 0 || src.indexOf(from, at + 1) >= 0) {
      throw new Error(
        `wavegate: ${file} is not the fengari 0.1.5 string library this runtime patches (missing: ${from.trim().slice(0, 60)})`,
      );
    }
    src = src.slice(0, at) + to + src.slice(at + from.length);
  }
  const fn = vm.compileFunction(src, ['exports', 'require', 'module', '__filename', '__dirname', '__wavegate_step'], {
    filename: file,
  });
  const mod: { exports: any } = { exports: {} };
  fn(mod.exports, createRequire(file), mod, file, path.dirname(file), (L: any, cost: number) => step(L, cost));
  if (typeof mod.exports.luaopen_string !== 'function') throw new Error(`wavegate: ${file} does not export luaopen_string`);
  return mod.exports;
}

/** `luaopen_string` of the stepped copy. */
export const luaopenSteppedString: unknown = load().luaopen_string;
