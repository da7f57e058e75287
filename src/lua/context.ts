/**
 * What one evaluation runs with: the one fengari state of the process and the context of the
 * evaluation running on it (evaluations never nest and JavaScript is single-threaded). Setting
 * the context also tells the fengari patches that an evaluation runs (fengari/scope.ts).
 */
import { setEvaluating } from './fengari/scope.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface EvalContext {
  env: any; // Table
  loaded: any; // Table: registry _LOADED of this evaluation
  loaders: any; // Table: registry _LOADERS of this evaluation
  printed: string[] | undefined;
  /** Names read with os.getenv. */
  environment?: string[];
  instructions: number;
  instructionLimit: number;
  memoryLimit: number;
  heapAtStart: number;
  /** Date.now() at which the run is stopped. */
  deadlineAt: number;
  /** Count-hook firings (the heap is sampled every tenth). */
  hookFires: number;
  /** Library work charged since the clock was last read. */
  sinceClock: number;
  stopped?: string;
  /** The run met one of wavegate's own bounds (memory, the instruction deadline) or a function it does not run. */
  bounded?: boolean;
}

export let ctx: EvalContext | undefined;

/** Starts (a context) or ends (undefined) an evaluation. */
export function setContext(c: EvalContext | undefined): void {
  ctx = c;
  setEvaluating(c !== undefined);
}

/** The one fengari state, created by initEngine (engine.ts). */
export let L: any;

export function setMainState(s: any): void {
  L = s;
}

/** Records that the result comes from wavegate's sandbox, not from Argo CD's (HealthResult.sandboxBound). */
export function markBounded(): void {
  if (ctx) ctx.bounded = true;
}
