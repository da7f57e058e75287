/**
 * Argo CD's Lua health-check execution, emulated on fengari: the entry point of the runtime.
 *
 * Argo CD (util/lua/lua.go) runs a health script in a fresh gopher-lua VM: Lua 5.1 plus
 * goto, libraries `package`, base and `table` (no `table.time`/`table.date`: its "safe os"
 * loader cannot add to the loaded `table` module), `require("os")` returning `{time, date}`, and everything else only
 * with `useOpenLibs`. The object is the global `obj`; the last value the chunk returns is
 * encoded to JSON and decoded into `{status, message}`.
 *
 * Speed with isolation: one fengari state for the whole process, libraries loaded once.
 * Each evaluation sees pristine globals (its own `_G`), pristine copies of every library
 * table, its own `package.loaded` and `obj`, and reset type metatables, so nothing a script
 * writes survives into the next evaluation: environment tables are compared with a snapshot
 * after each run and reused only when untouched (added globals are cut back), else rebuilt.
 * `obj` sub-tables are filled on first access. Chunks are compiled once per script text;
 * their integer constants are turned into floats so arithmetic behaves like gopher-lua's
 * float64 numbers. fengari itself is patched once (src/lua/fengari/: number printing, error
 * texts, constant folding, lazy tables); most patches act only while an evaluation runs.
 *
 * The modules, in the order an evaluation meets them (ARCHITECTURE.md, "Lua runtime"):
 * - api.ts: the public types and constants (no engine behind them);
 * - evaluate.ts: one evaluation; compile.ts: the compile cache; envpool.ts: pristine globals;
 *   result.ts: the returned value as Argo CD records it; errors.ts: error texts;
 * - engine.ts: the state and the library templates, from baselib.ts, stringlib.ts,
 *   goformat.ts, compare.ts and the go*.ts modules; bounds.ts: the hook and the charges;
 * - values.ts: Lua values built on fengari's internals; context.ts: the running evaluation;
 * - fengari/: the only code that touches fengari's internals, refusing any other fengari.
 */
export {
  DEADLINE_MESSAGE,
  DEFAULT_INSTRUCTION_LIMIT,
  DEFAULT_MEMORY_LIMIT_BYTES,
  DEFAULT_TIMEOUT_MS,
  type EvalOptions,
  GOPHER_CALL_STACK_SIZE,
  GOPHER_REGISTRY_SIZE,
  HEALTH_STATUSES,
  type HealthResult,
  type HealthStatusCode,
  INVALID_STATUS_MESSAGE,
  MAX_STRING_BYTES,
  MEMORY_MESSAGE,
} from './api.js';
export { clearCompileCache, compileCacheSize, evaluateHealth } from './evaluate.js';
