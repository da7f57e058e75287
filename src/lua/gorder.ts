/**
 * gopher-lua's traversal order of a table (table.go LTable.Next), emulated over fengari's
 * tables. gopher-lua keeps every positive integer key below MaxArrayIndex (67108864,
 * config.go) in an array part (RawSet: isArrayKey) and walks it first, in index order; then
 * the other keys in the order they were first inserted (LTable.keys). fengari walks one
 * insertion-ordered list of all keys, so `{x = 1, 1, 2}` iterated as x, 2, 1 (gopher-lua:
 * 1, 2, x). `pairs`, `next` and the JSON encoding of the returned table (layeh.com/gopher-json
 * walks Next) all see this order.
 *
 * A key outside the array part that is deleted keeps its place (table.go RawSetString and
 * RawSetH delete from the map but never from LTable.keys/k2i), so set again it comes back
 * where it was: during an evaluation such a deletion leaves the entry in fengari's list with
 * a nil value (a tombstone, see `deleteKey`) instead of unlinking it.
 */
import { T, lobject, lstring } from './fengari/internals.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const MAX_ARRAY_INDEX = 67108864;

interface Order {
  /** Integer keys of the array part, ascending. */
  ints: number[];
  /** Entries of the other keys, insertion order (tombstones included: LTable.keys). */
  rest: any[];
  /** Index of each entry of `rest`. */
  restPos: Map<any, number>;
  entries: Set<any>;
}

const cache = new WeakMap<any, Order>();

function isArrayKey(k: any): boolean {
  return k.ttisnumber() && Number.isInteger(k.value) && k.value > 0 && k.value < MAX_ARRAY_INDEX;
}

function build(t: any): Order {
  const ints: number[] = [];
  const rest: any[] = [];
  const entries = new Set<any>();
  for (let e = t.f; e; e = e.n) {
    entries.add(e);
    if (e.key.ttisdeadkey()) continue;
    if (isArrayKey(e.key)) ints.push(e.key.value);
    else rest.push(e);
  }
  ints.sort((a, b) => a - b);
  const restPos = new Map<any, number>();
  rest.forEach((e, i) => restPos.set(e, i));
  return { ints, rest, restPos, entries };
}

/**
 * Deletes `key` from `t` the way gopher-lua does when it is not an array key: the entry stays
 * in place with a nil value (gopher-lua's LTable.keys keeps it), so `next` from it goes on and
 * a later set revives it in its first position. Returns false for an array key or a key that
 * is not there (fengari deletes those itself).
 */
export function deleteKey(t: any, key: any): boolean {
  if (key.ttisnil() || (key.ttisnumber() && (Number.isNaN(key.value) || isArrayKey(key)))) return false;
  const e = t.strong.get(hashKey(key));
  if (e === undefined || e.value.ttisnil()) return e !== undefined;
  e.value.setnilvalue();
  t.gtomb = true;
  return true;
}

/** deleteKey for a key given as a JavaScript integer (lua_rawseti). */
export function deleteIntKey(t: any, key: number): boolean {
  if (key > 0 && key < MAX_ARRAY_INDEX) return false;
  const e = t.strong.get(key);
  if (e === undefined || e.value.ttisnil()) return e !== undefined;
  e.value.setnilvalue();
  t.gtomb = true;
  return true;
}

/** Whether `t` may hold tombstones (then fengari's size counts deleted keys). */
export function hasTombstones(t: any): boolean {
  return t.gtomb === true;
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

export function hashKey(key: any): unknown {
  if (key.type === T.LUA_TSHRSTR || key.type === T.LUA_TLNGSTR) return lstring.luaS_hashlongstr(key.tsvalue());
  return key.value;
}

function entryOf(t: any, key: any): any {
  const h = hashKey(key);
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

/**
 * luaH_next as table.go LTable.Next runs it: false at the end. From nil, or from an integer key
 * 1..len(array), the rest of the array part, then the other keys from the first. From a key
 * that is not an array key, the keys after it in LTable.keys; a key never set there
 * (k2i[key] is 0) goes on from the second key, as does an integer beyond the array part and 0
 * when 0 is not a key.
 */
export function gopherNext(L: any, t: any, keyI: number): boolean {
  const o = orderOf(t);
  const key = L.stack[keyI];
  let from = 0;
  let kv = 0;
  let inArray = key.type === T.LUA_TNIL;
  if (!inArray && key.ttisnumber() && Number.isInteger(key.value) && key.value > 0 && key.value < MAX_ARRAY_INDEX) {
    kv = key.value;
    inArray = true;
  }
  if (inArray) {
    const ints = o.ints;
    // first array key above kv
    let lo = 0;
    let hi = ints.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ints[mid] <= kv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < ints.length; i++) {
      const e = t.strong.get(ints[i]);
      if (live(e)) return found(L, keyI, e);
    }
    // table.go Next: `tb.array == nil || index == len(tb.array)` goes on from keys[0]
    from = kv > arrayLength(t) && !(t.gnoarr === true && arrayLength(t) === 0) ? 1 : 0;
  } else {
    const e = entryOf(t, key);
    const p = e === undefined ? undefined : o.restPos.get(e);
    from = p === undefined ? 1 : p + 1;
  }
  for (let j = from; j < o.rest.length; j++) {
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
