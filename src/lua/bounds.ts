/**
 * The evaluation's bounds: the count hook (instructions, wall-clock deadline, heap growth), the
 * charge library calls make for work done inside one call, and functions charged by length.
 */
import { getHeapStatistics } from 'node:v8';
import { lua } from './fengari/internals.js';
import { runError } from './fengari/run-error.js';
import { DEADLINE_MESSAGE, MEMORY_MESSAGE } from './api.js';
import { type EvalContext, L, ctx } from './context.js';
import { type Fn, raise } from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Count hook: every HOOK_STEP instructions (on any coroutine: new threads inherit the hook).
 * Once a bound is hit, it fires on every instruction, as gopher-lua checks its context on
 * every instruction: a script that catches the error with pcall is stopped again at once.
 */
export function hook(Ls: any): void {
  const c = ctx;
  if (!c) return;
  if (c.stopped === undefined) {
    c.instructions += Ls.basehookcount;
    if (c.instructions >= c.instructionLimit || Date.now() >= c.deadlineAt) c.stopped = DEADLINE_MESSAGE;
    else if (++c.hookFires % 10 === 0) checkHeap(c);
  }
  if (c.stopped !== undefined) {
    stopEverywhere(Ls);
    runError(Ls, c.stopped);
  }
}

function checkHeap(c: EvalContext): void {
  const used = getHeapStatistics().used_heap_size;
  if (c.heapAtStart < 0) c.heapAtStart = used;
  else if (used - c.heapAtStart > c.memoryLimit) c.stopped = MEMORY_MESSAGE;
}

/** Once stopped, the hook fires on every instruction of this thread and of the main one. */
function stopEverywhere(Ls: any): void {
  lua.lua_sethook(Ls, hook, lua.LUA_MASKCOUNT, 1);
  if (Ls !== L) lua.lua_sethook(L, hook, lua.LUA_MASKCOUNT, 1); // a resumer must stop too
}

/** Wall-clock reads inside library calls at most once per this much charged work. */
const CLOCK_EVERY = 4096;

/**
 * Charges library work (in instruction equivalents: about what fengari spends on one VM
 * instruction) to the evaluation's budget and stops the run, from inside the library call,
 * once the instruction budget or the wall-clock deadline is used up. Without this a single
 * call (a backtracking pattern, a loop of 30 MB `string.rep`) runs unbounded between two
 * instruction hooks.
 */
export function charge(Ls: any, cost: number, inVm = false): void {
  const c = ctx;
  if (!c) return;
  if (c.stopped === undefined) {
    c.instructions += cost;
    c.sinceClock += cost;
    if (c.instructions >= c.instructionLimit) c.stopped = DEADLINE_MESSAGE;
    else if (c.sinceClock >= CLOCK_EVERY) {
      c.sinceClock = 0;
      if (Date.now() >= c.deadlineAt) c.stopped = DEADLINE_MESSAGE;
      else if (cost >= CLOCK_EVERY) checkHeap(c);
    }
  }
  if (c.stopped !== undefined) {
    stopEverywhere(Ls);
    if (inVm) runError(Ls, c.stopped);
    raise(Ls, c.stopped);
  }
}

/** Byte-at-a-time string functions: charged by the length of their subject (after the call for results). */
export function chargedByLength(orig: Fn, shift: number): Fn {
  return (Ls) => {
    if (lua.lua_type(Ls, 1) === lua.LUA_TSTRING) charge(Ls, 1 + (lua.lua_rawlen(Ls, 1) >> shift));
    const n = orig(Ls);
    if (n > 0 && lua.lua_type(Ls, -n) === lua.LUA_TSTRING) charge(Ls, lua.lua_rawlen(Ls, -n) >> 6);
    return n;
  };
}
