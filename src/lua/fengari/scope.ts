/**
 * What the patches of this folder share: whether an evaluation runs (or a chunk of wavegate's
 * compiles), and what the runtime lends them to speak gopher-lua. Patches act only while
 * `scope.evaluating` (or `scope.compiling`) is set and otherwise leave fengari's own behaviour.
 */
import './version.js'; // first: refuses a fengari these patches were not written for

/* eslint-disable @typescript-eslint/no-explicit-any */

export const scope = {
  /** Set by the runtime for the span of one evaluation (src/lua/context.ts setContext). */
  evaluating: false,
  /** Set while the runtime compiles a health script (src/lua/compile.ts). */
  compiling: false,
};

/** Marks the span of an evaluation (the runtime's only way to change the scope). */
export function setEvaluating(on: boolean): void {
  scope.evaluating = on;
}

/** Marks the span of compiling a health script. */
export function setCompiling(on: boolean): void {
  scope.compiling = on;
}

/**
 * gopher-lua's behaviour the patches need, given by the runtime when it installs them
 * (src/lua/engine.ts): this folder imports nothing outside itself.
 */
export interface PatchDeps {
  /** Fills a lazily converted table (src/lua/values.ts). */
  materialize(t: any): void;
  /** gopher-lua's table order and array part (src/lua/gorder.ts). */
  gorder: {
    gopherLen(t: any): number;
    hasTombstones(t: any): boolean;
    naturalOrder(t: any): boolean;
    gopherNext(Ls: any, t: any, keyI: number): boolean;
    hashKey(k: any): unknown;
    deleteKey(t: any, key: any): boolean;
    deleteIntKey(t: any, key: number): boolean;
    noteArrayKey(t: any, key: any): void;
  };
  /** Go's math.Pow, number text and number parsing (src/lua/gonum.ts). */
  goPow(x: number, y: number): number;
  goNumberString(v: number): string;
  goParseNumber(s: string): number | undefined;
  /** gopher-lua's type name and text of a value (src/lua/values.ts). */
  typeName(tv: any): string;
  gopherKeyString(tv: any): string;
  luaStringOf(tv: any): string;
  /** The position gopher-lua's RaiseError writes (src/lua/gowhere.ts). */
  gopherWhere(Ls: any, level: number): string;
  /** The text a library error raised with lua_error is rewritten to, if any (src/lua/errors.ts). */
  libErrorText(Ls: any, tv: any): string | undefined;
  /** gopher-lua's call stack and registry sizes, and fengari's slack over the latter (src/lua/api.ts). */
  callStackSize: number;
  registrySize: number;
  registrySlack: number;
  /** The string-size bound and its error (src/lua/api.ts), marking the result sandbox-bound. */
  maxStringBytes: number;
  stringTooLong(Ls: any): never;
  /** Charges work to the evaluation's budget (src/lua/bounds.ts). */
  charge(Ls: any, cost: number, inVm?: boolean): void;
}
