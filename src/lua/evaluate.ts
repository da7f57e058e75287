/**
 * One evaluation: compile (cached), convert the object, take a pristine environment, run the
 * chunk under the bounds, and turn what it returned or raised into Argo CD's health result.
 */
import { T, TValue, lobject, lua } from './fengari/internals.js';
import {
  DEFAULT_INSTRUCTION_LIMIT,
  DEFAULT_MEMORY_LIMIT_BYTES,
  DEFAULT_TIMEOUT_MS,
  type EvalOptions,
  HOOK_STEP,
  type HealthResult,
} from './api.js';
import { hook } from './bounds.js';
import { compile, compiled } from './compile.js';
import { type EvalContext, L, setContext } from './context.js';
import { initEngine } from './engine.js';
import { acquireEnv, releaseEnv } from './envpool.js';
import { errorMessage } from './errors.js';
import { toHealth } from './result.js';
import { tableTV, toLua } from './values.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Runs one health script against one object with Argo CD's semantics and returns what Argo
 * would record: a runtime error, a non-table return, or a timeout becomes `Unknown` with the
 * error text as message.
 */
export function evaluateHealth(script: string, obj: unknown, options: EvalOptions = {}): HealthResult {
  initEngine();
  const c = compile(script);
  if (c.error !== undefined) return { status: 'Unknown', message: c.error };
  const objTV = toLua(obj);
  const openLibs = options.openLibs === true;
  const { env, loaded, loaders, pool } = acquireEnv(openLibs, objTV);
  const mt = L.l_G.mt;
  for (let i = 0; i < mt.length; i++) mt[i] = undefined;
  // The string metatable is this evaluation's string table (checked for changes like the rest).
  if (openLibs) mt[T.LUA_TSTRING] = pool.stringMt;
  const context: EvalContext = {
    env,
    loaded,
    loaders,
    printed: undefined,
    instructions: 0,
    instructionLimit: options.instructionLimit ?? DEFAULT_INSTRUCTION_LIMIT,
    memoryLimit: options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES,
    heapAtStart: -1,
    deadlineAt: Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    hookFires: 0,
    sinceClock: 0,
  };
  setContext(context);
  const base = L.top;
  lua.lua_sethook(L, hook, lua.LUA_MASKCOUNT, HOOK_STEP);
  let result: HealthResult;
  try {
    lobject.pushobj2s(L, new TValue(T.LUA_TLCL, c.closure));
    lobject.pushobj2s(L, tableTV(env));
    lua.lua_setupvalue(L, -2, 1);
    const status = lua.lua_pcall(L, 0, lua.LUA_MULTRET, 0);
    if (status !== lua.LUA_OK) {
      result = { status: 'Unknown', message: errorMessage(L) };
    } else {
      result = toHealth(L.top > base ? L.stack[L.top - 1] : undefined);
    }
  } finally {
    lua.lua_settop(L, base);
    for (let i = 0; i < mt.length; i++) mt[i] = undefined;
    setContext(undefined);
    releaseEnv(openLibs, pool);
  }
  if (context.printed) result.printed = context.printed;
  if (context.environment) result.environment = context.environment;
  if (context.bounded || context.stopped !== undefined) result.sandboxBound = true;
  return result;
}

/** Number of compiled chunks held (one per distinct script text, at most 1024). */
export function compileCacheSize(): number {
  return compiled.size;
}

/** Drops compiled chunks (tests and long-running callers). */
export function clearCompileCache(): void {
  compiled.clear();
}
