/**
 * The health runtime's public types and constants, with no Lua engine behind them: `health lint`
 * and the CLI read the statuses from here without loading fengari.
 */

/**
 * gopher-lua's string library: stringlib.go strFuncs, plus gmatch and its Lua 5.0 name gfind
 * (OpenString). The runtime builds `string` from it; `health lint` flags `s:name()` without open
 * libs for each (a string has no methods in Argo CD's sandbox).
 */
export const GOPHER_STRING_FUNCTIONS = [
  'byte',
  'char',
  'dump',
  'find',
  'format',
  'gsub',
  'len',
  'lower',
  'match',
  'rep',
  'reverse',
  'sub',
  'upper',
  'gmatch',
  'gfind',
] as const;

export const HEALTH_STATUSES = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'] as const;
export type HealthStatusCode = (typeof HEALTH_STATUSES)[number];

export interface HealthResult {
  /** One of HEALTH_STATUSES, or '' when the script returned nil or an empty table. */
  status: string;
  message: string;
  /** Lines the script printed with `print` (only present when it printed). */
  printed?: string[];
  /**
   * Environment variables the script read with `os.getenv` (only present when it did). Argo CD
   * answers from its application controller's environment, which wavegate cannot know; here
   * every variable is unset (nil).
   */
  environment?: string[];
  /**
   * The result comes from where wavegate's sandbox differs from Argo CD's by design: its memory
   * bound, its instruction deadline, or a function it does not run (os.exit, setfenv...).
   */
  sandboxBound?: true;
}

export interface EvalOptions {
  /** All libraries, as Argo's built-in checks and `useOpenLibs` kinds get them. */
  openLibs?: boolean;
  /** Lua VM instructions before the run is stopped (stands in for Argo's 1 s timeout). */
  instructionLimit?: number;
  /** Heap growth during one evaluation before it is stopped. */
  memoryLimitBytes?: number;
  /**
   * Wall-clock bound in milliseconds (Argo's 1 s context deadline), checked between
   * instructions and inside library calls (pattern matching, `string.rep`, `table.concat`,
   * `table.sort`, coroutines): whichever of this and `instructionLimit` comes first stops the run.
   */
  timeoutMs?: number;
}

/** About what gopher-lua executes in Argo's 1 s deadline on a busy controller. */
export const DEFAULT_INSTRUCTION_LIMIT = 20_000_000;
export const DEFAULT_MEMORY_LIMIT_BYTES = 256 * 1024 * 1024;
/** Argo CD's health-script timeout (util/lua: 1 s). */
export const DEFAULT_TIMEOUT_MS = 1000;
/** No single string may grow beyond this (a `s = s .. s` loop would exhaust memory in a few steps). */
export const MAX_STRING_BYTES = 32 * 1024 * 1024;
export const HOOK_STEP = 10_000;

/** Argo's message when the 1 s context deadline stops a script (gopher-lua raises ctx.Err()). */
export const DEADLINE_MESSAGE = 'context deadline exceeded';
export const MEMORY_MESSAGE = 'memory limit exceeded (wavegate sandbox bound; Argo CD has none)';
export const INVALID_STATUS_MESSAGE = 'Lua returned an invalid health status';

export const GOPHER_TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

/** config.go CallStackSize, which Argo CD's lua.Options leave at the default. */
export const GOPHER_CALL_STACK_SIZE = 256;
/** config.go RegistrySize (256 * 20); RegistryMaxSize 0 keeps it fixed. */
export const GOPHER_REGISTRY_SIZE = 256 * 20;
/** fengari's stack runs this many slots ahead of gopher-lua's registry for the same values
 * (measured: `unpack` of 5113 values overflows in both). */
export const REGISTRY_SLACK = 18;
