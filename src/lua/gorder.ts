/**
 * gopher-lua's traversal order of a table (table.go LTable.Next), emulated over fengari's
 * tables. gopher-lua keeps every positive integer key below MaxArrayIndex (67108864,
 * config.go) in an array part (RawSet: isArrayKey) and walks it first, in index order; then
 * the other keys in the order they were first inserted (LTable.keys). fengari walks one
 * insertion-ordered list of all keys, so `{x = 1, 1, 2}` iterated as x, 2, 1 (gopher-lua:
 * 1, 2, x). `pairs`, `next` and the JSON encoding of the returned table (layeh.com/gopher-json
 * walks Next) all see this order.
 *
 * Known difference: a string key deleted and set again moves to the end here; gopher-lua keeps
 * its first position (LTable.k2i is never pruned).
 */
import { T, lobject, lstring } from './fengari-internals.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const MAX_ARRAY_INDEX = 67108864;

interface Order {
  /** Integer keys of the array part, ascending. */
  ints: number[];
  /** Entries of the other keys, insertion order. */
  rest: any[];
  /** Position of each entry: ints first, then rest. */
  pos: Map<any, number>;
  entries: Set<any>;
}

const cache = new WeakMap<any, Order>();

function isArrayKey(k: any): boolean {
  return k.ttisnumber() && Number.isInteger(k.value) && k.value > 0 && k.value < MAX_ARRAY_INDEX;
}

function build(t: any): Order {
  const ints: number[] = [];
  const rest: any[] = [];
  const intEntries: any[] = [];
  const entries = new Set<any>();
  for (let e = t.f; e; e = e.n) {
    entries.add(e);
    if (e.key.ttisdeadkey()) continue;
    if (isArrayKey(e.key)) intEntries.push(e);
    else rest.push(e);
  }
  intEntries.sort((a, b) => a.key.value - b.key.value);
  const pos = new Map<any, number>();
  intEntries.forEach((e, i) => {
    ints.push(e.key.value);
    pos.set(e, i);
  });
  rest.forEach((e, i) => pos.set(e, ints.length + i));
  return { ints, rest, pos, entries };
}

function orderOf(t: any): Order {
  let o = cache.get(t);
  // A key added since the order was built is the list's last entry and unknown to it;
  // deletions only unlink known entries.
  if (o === undefined || (t.l && !o.entries.has(t.l))) {
    o = build(t);
    cache.set(t, o);
  }
  return o;
}

function hashOf(key: any): unknown {
  if (key.type === T.LUA_TSHRSTR || key.type === T.LUA_TLNGSTR) return lstring.luaS_hashlongstr(key.tsvalue());
  return key.value;
}

export function entryOf(t: any, key: any): any {
  const h = hashOf(key);
  return t.strong.get(h) ?? (t.dead_weak && typeof h === 'object' ? t.dead_weak.get(h) : undefined) ?? t.dead_strong.get(h);
}

function live(e: any): boolean {
  return e !== undefined && e.value !== undefined && !e.key.ttisdeadkey() && !e.value.ttisnil();
}

/** The live entries of `t` in gopher-lua's order. */
export function gopherEntries(t: any): any[] {
  const out: any[] = [];
  if (naturalOrder(t)) {
    for (let e = t.f; e; e = e.n) if (live(e)) out.push(e);
    return out;
  }
  const o = orderOf(t);
  for (const k of o.ints) {
    const e = t.strong.get(k);
    if (live(e)) out.push(e);
  }
  for (const e of o.rest) if (live(e)) out.push(e);
  return out;
}

interface Natural {
  l: any;
  size: number;
  natural: boolean;
}
const naturalCache = new WeakMap<any, Natural>();

/**
 * Whether fengari's own order already is gopher-lua's: the array keys come first and
 * ascending (true of every table decoded from an object, and of most a script builds).
 * Checked once per shape of the table (its last entry and size).
 */
export function naturalOrder(t: any): boolean {
  const c = naturalCache.get(t);
  if (c !== undefined && c.l === t.l && c.size === t.strong.size) return c.natural;
  let natural = true;
  let seenOther = false;
  let last = 0;
  for (let e = t.f; e; e = e.n) {
    if (isArrayKey(e.key)) {
      if (seenOther || e.key.value < last) {
        natural = false;
        break;
      }
      last = e.key.value;
    } else seenOther = true;
  }
  naturalCache.set(t, { l: t.l, size: t.strong.size, natural });
  return natural;
}

/** luaH_next in gopher-lua's order: false at the end (also for a key not in the table). */
export function gopherNext(L: any, t: any, keyI: number): boolean {
  const o = orderOf(t);
  const key = L.stack[keyI];
  let i = 0;
  if (key.type !== T.LUA_TNIL) {
    const e = entryOf(t, key);
    const p = e === undefined ? undefined : o.pos.get(e);
    if (p === undefined) return false;
    i = p + 1;
  }
  const n = o.ints.length;
  for (; i < n; i++) {
    const e = t.strong.get(o.ints[i]);
    if (live(e)) return found(L, keyI, e);
  }
  for (let j = i - n; j < o.rest.length; j++) {
    const e = o.rest[j];
    if (live(e)) return found(L, keyI, e);
  }
  return false;
}

function found(L: any, keyI: number, e: any): boolean {
  lobject.setobj2s(L, keyI, e.key);
  lobject.setobj2s(L, keyI + 1, e.value);
  return true;
}

/** table.go LTable.Len: the largest live integer key of the array part (0 if none). */
export function gopherLen(t: any): number {
  let max = 0;
  for (let e = t.f; e; e = e.n) {
    const k = e.key;
    if (k.ttisnumber() && k.value > max && Number.isInteger(k.value) && k.value < MAX_ARRAY_INDEX && live(e)) max = k.value;
  }
  return max;
}

/**
 * gopher-lua's array-part length (len(tb.array)): RawSet of any integer key up to
 * MaxArrayIndex pads the array to it, even with nil, and it shrinks only in table.remove.
 * Tracked on the table from its first write in an evaluation (before: its largest key).
 */
export function arrayLength(t: any): number {
  if (t.garr === undefined) t.garr = gopherLen(t);
  return t.garr;
}

/** Called before fengari stores `key` (a number, or a TValue) into `t`. */
export function noteArrayKey(t: any, key: any): void {
  const k = typeof key === 'number' ? key : key.ttisnumber() ? key.value : 0;
  if (k < 1 || k >= MAX_ARRAY_INDEX || !Number.isInteger(k)) return;
  if (k > arrayLength(t)) t.garr = k;
}

export function setArrayLength(t: any, n: number): void {
  t.garr = n;
}
