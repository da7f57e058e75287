/**
 * The fengari patches, installed once by the runtime (src/lua/engine.ts) in this order. Each
 * file's header says what it changes, why, and whether it acts only during evaluations
 * (scope.ts). stepped-string.ts is a copy of fengari's string library, not a patch of fengari's
 * modules.
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

let installed = false;

export function installPatches(deps: PatchDeps): void {
  if (installed) return;
  installed = true;
  fastCall.install();
  stringKeys.install();
  pow.install(deps);
  lazyTables.install(deps);
  numberText.install(deps);
  typeErrors.install(deps);
  callLimits.install(deps);
  errorTexts.install(deps);
  metamethods.install();
  integerArgs.install();
  numberParse.install(deps);
  constantFolding.install();
  stringBound.install(deps);
}
