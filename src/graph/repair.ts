import type { Component, Tier } from '../catalog/types.js';
import { buildGraph, findCycles, topologicalOrder, type DependencyGraph } from './graph.js';

/** One wave change of a repair. */
export interface WaveChange {
  component: string;
  from: number;
  to: number;
  /** Why it moves (tier band, a dependency, a dependent). */
  reason: string;
}

export interface WaveRepair {
  /** False when no wave assignment satisfies every edge and band (see `problems`). */
  ok: boolean;
  changes: WaveChange[];
  /** Why no assignment exists: cycles, band conflicts. */
  problems: string[];
  /**
   * True when the number of changes is proven minimal (always, unless the components in
   * conflict were too many for the exact search; then `changes` comes from the better of
   * two greedy passes and is feasible but possibly not minimal).
   */
  minimal: boolean;
  /** Components that must move in every solution (their wave is outside what edges and bands allow). */
  forced: number;
  /** For band conflicts: each chain (dependency first) whose bands leave too few waves. */
  conflictChains?: string[][];
}

/** Components in conflict beyond which the exact search is not tried. */
export const EXACT_LIMIT = 64;
/** Search steps the exact search may take before giving up on proving minimality. */
const SEARCH_BUDGET = 200_000;

const NEG = -Infinity;
const POS = Infinity;

/**
 * Finds wave changes so that every component's wave is strictly greater than each of its
 * dependencies' (including `extraEdges`, e.g. suggested ones) and inside its tier's band,
 * moving as few components as possible.
 *
 * Method (n components, m edges):
 * 1. Cycle check (Kahn, O(n+m)): a cycle has no solution.
 * 2. E(v) = max(band low, E(dep)+1) in topological order and Lt(v) = min(band high,
 *    Lt(dependent)-1) in reverse: the earliest and latest wave any solution can give v.
 *    E(v) > Lt(v) means no solution (a band conflict along a chain). O(n+m).
 * 3. Keeping a set K of components unchanged is feasible iff (a) each kept v has
 *    E(v) <= w(v) <= Lt(v) and (b) each pair of kept u, v where v depends on u through a
 *    longest chain of L edges has w(v) - w(u) >= L. (Difference constraints with no cycle
 *    through the fixed values; a violation is a chain from a kept or band-bound start to a
 *    kept or band-bound end.) Components failing (a) must move ("forced"). A component in
 *    no conflicting pair is kept by every maximal K. So the problem is a maximum
 *    independent set in the conflict graph of the remaining components ("C"), found by
 *    forward/backward passes in O(n+m).
 * 4. If |C| <= EXACT_LIMIT, the conflict graph is built (one longest-path pass per member,
 *    O(|C|(n+m))) and solved exactly by branch and bound (bounded by SEARCH_BUDGET); else,
 *    or if the budget runs out, the better of a forward and a backward greedy pass is used
 *    and `minimal` is false.
 * 5. Waves for moved components: in topological order, the current wave clamped into
 *    [max(band low, dependencies + 1), min(band high, kept dependents - chain length)], so a
 *    moved component lands as close to where it was as the constraints allow.
 */
export function repairWaves(
  components: readonly Component[],
  tiers: readonly Tier[],
  extraEdges: readonly { component: string; dependency: string }[] = [],
): WaveRepair {
  const g = buildGraph(components, extraEdges);
  const n = components.length;
  const { order, complete } = topologicalOrder(g);
  if (!complete) {
    const problems = findCycles(g).map(({ cycle }) => {
      const names = cycle.map((v) => components[v]!.name);
      return names.length === 1
        ? `cycle: ${names[0]} depends on itself`
        : `cycle: ${[...names, names[0]].join(' -> ')} (no wave order can satisfy a cycle)`;
    });
    return { ok: false, changes: [], problems, minimal: false, forced: 0 };
  }
  const bands = new Map(tiers.map((t) => [t.name, t.waves] as const));
  const lo = new Float64Array(n);
  const hi = new Float64Array(n);
  const w = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const b = bands.get(components[v]!.tier);
    lo[v] = b ? b[0] : NEG;
    hi[v] = b ? b[1] : POS;
    w[v] = components[v]!.wave;
  }

  // 2. Earliest and latest waves, with the chain that sets each bound.
  const E = new Float64Array(n);
  const ePred = new Int32Array(n).fill(-1);
  for (const v of order) {
    E[v] = lo[v]!;
    for (const d of g.deps[v]!) {
      if (E[d]! + 1 > E[v]!) {
        E[v] = E[d]! + 1;
        ePred[v] = d;
      }
    }
  }
  const Lt = new Float64Array(n);
  const lSucc = new Int32Array(n).fill(-1);
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i]!;
    Lt[v] = hi[v]!;
    for (const u of g.dependents[v]!) {
      if (Lt[u]! - 1 < Lt[v]!) {
        Lt[v] = Lt[u]! - 1;
        lSucc[v] = u;
      }
    }
  }
  // Every component on one conflicting chain reports the same chain: its ends (the start of
  // its ePred chain, the end of its lSucc chain) are found in O(n) first, and each distinct
  // chain is built once (building it for every member was cubic on a long chain).
  const first = new Int32Array(n);
  for (const v of order) first[v] = ePred[v]! < 0 ? v : first[ePred[v]!]!;
  const last = new Int32Array(n);
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i]!;
    last[v] = lSucc[v]! < 0 ? v : last[lSucc[v]!]!;
  }
  const conflicts = new Map<string, { text: string; chain: string[] }>();
  for (const v of order) {
    if (E[v]! <= Lt[v]!) continue;
    const a = components[first[v]!]!;
    const b = components[last[v]!]!;
    const key = `${a.name}\u0000${b.name}`;
    if (conflicts.has(key)) continue;
    const chain: number[] = [];
    for (let x = v; x >= 0; x = ePred[x]!) chain.push(x);
    chain.reverse();
    for (let x = lSucc[v]!; x >= 0; x = lSucc[x]!) chain.push(x);
    const names = chain.map((x) => components[x]!.name);
    conflicts.set(key, {
      chain: names,
      text:
        `band conflict: ${chainText(names)} needs ${chain.length} successive waves, ` +
        `from ${lo[chain[0]!]} (tier ${a.tier} starts there) to at most ${hi[chain[chain.length - 1]!]} (tier ${b.tier} ends there)`,
    });
  }
  if (conflicts.size > 0) {
    const list = [...conflicts.values()].sort((x, y) => (x.text < y.text ? -1 : x.text > y.text ? 1 : 0));
    return {
      ok: false,
      changes: [],
      problems: list.map((x) => x.text),
      minimal: false,
      forced: 0,
      conflictChains: list.map((x) => x.chain),
    };
  }

  // 3. Forced moves, then the components in some conflicting pair.
  const free = new Uint8Array(n); // 1: not forced
  let forced = 0;
  for (let v = 0; v < n; v++) {
    if (w[v]! >= E[v]! && w[v]! <= Lt[v]!) free[v] = 1;
    else forced++;
  }
  const M = new Float64Array(n).fill(NEG); // max over free ancestors u of w(u) + L(u, v)
  const inC = new Uint8Array(n);
  for (const v of order) {
    for (const d of g.deps[v]!) {
      const base = Math.max(free[d] ? w[d]! : NEG, M[d]!) + 1;
      if (base > M[v]!) M[v] = base;
    }
  }
  const N = new Float64Array(n).fill(POS); // min over free descendants u of w(u) - L(v, u)
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i]!;
    for (const u of g.dependents[v]!) {
      const base = Math.min(free[u] ? w[u]! : POS, N[u]!) - 1;
      if (base < N[v]!) N[v] = base;
    }
  }
  const C: number[] = [];
  for (let v = 0; v < n; v++) {
    if (free[v] && (M[v]! > w[v]! || N[v]! < w[v]!)) {
      inC[v] = 1;
      C.push(v);
    }
  }

  // 4. Choose which conflicting components stay.
  const keep = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (free[v] && !inC[v]) keep[v] = 1;
  const forwardKeep = greedy(g, order, w, lo, hi, free, keep, true);
  const backwardKeep = greedy(g, order, w, lo, hi, free, keep, false);
  const count = (k: Uint8Array): number => C.reduce((s, v) => s + k[v]!, 0);
  let chosen = count(forwardKeep) >= count(backwardKeep) ? forwardKeep : backwardKeep;
  let minimal = C.length === 0;
  if (C.length > 0 && C.length <= EXACT_LIMIT) {
    const exact = exactKeep(g, order, w, C, chosen);
    if (exact) {
      chosen = keep.slice();
      for (const v of exact) chosen[v] = 1;
      minimal = true;
    }
  }

  // 5. Waves: kept stay; moved are clamped into what their neighbours allow.
  const UK = new Float64Array(n);
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i]!;
    let h = hi[v]!;
    for (const u of g.dependents[v]!) h = Math.min(h, (chosen[u] ? w[u]! : UK[u]!) - 1);
    UK[v] = h;
  }
  const x = new Float64Array(n);
  for (const v of order) {
    if (chosen[v]) {
      x[v] = w[v]!;
      continue;
    }
    let low = lo[v]!;
    for (const d of g.deps[v]!) low = Math.max(low, x[d]! + 1);
    x[v] = Math.min(Math.max(w[v]!, low), UK[v]!);
  }
  const changes: WaveChange[] = [];
  for (let v = 0; v < n; v++) {
    for (const d of g.deps[v]!) {
      if (!(x[v]! > x[d]!)) throw new Error(`wave repair produced an invalid order for ${components[v]!.name}`);
    }
    if (x[v]! < lo[v]! || x[v]! > hi[v]!) throw new Error(`wave repair left ${components[v]!.name} outside its band`);
    if (x[v] === w[v]) continue;
    const c = components[v]!;
    let reason: string;
    if (w[v]! < lo[v]! || w[v]! > hi[v]!) reason = `outside tier ${c.tier}'s band [${lo[v]}, ${hi[v]}]`;
    else {
      const d = g.deps[v]!.find((dd) => x[dd]! >= w[v]!);
      const u = g.dependents[v]!.find((uu) => x[uu]! <= w[v]!);
      if (d !== undefined) reason = `must come after ${components[d]!.name} (wave ${x[d]})`;
      else if (u !== undefined) reason = `must come before ${components[u]!.name} (wave ${x[u]})`;
      else reason = 'makes room for the order of its neighbours';
    }
    changes.push({ component: c.name, from: w[v]!, to: x[v]!, reason });
  }
  return { ok: true, changes, problems: [], minimal, forced };
}

/** Components a band-conflict message names before it counts the rest. */
const CHAIN_NAMED = 5;

/** `a < b < c`, or for a long chain its first three and last two with the count of the others between. */
export function chainText(names: readonly string[]): string {
  if (names.length <= CHAIN_NAMED + 1) return names.join(' < ');
  const head = names.slice(0, CHAIN_NAMED - 2);
  const tail = names.slice(names.length - 2);
  const more = names.length - head.length - tail.length;
  return `${head.join(' < ')} < ... (${more.toLocaleString('en-US')} more) < ${tail.join(' < ')}`;
}

/**
 * One greedy pass: forward (topological order) keeps a free component when its wave is
 * above what its dependencies now need; backward keeps it when below what its dependents
 * allow. Components already in `base` stay kept. Returns the kept set.
 */
function greedy(
  g: DependencyGraph,
  order: number[],
  w: Float64Array,
  lo: Float64Array,
  hi: Float64Array,
  free: Uint8Array,
  base: Uint8Array,
  forward: boolean,
): Uint8Array {
  const n = w.length;
  const keep = base.slice();
  const val = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = order[forward ? i : n - 1 - i]!;
    if (forward) {
      let low = lo[v]!;
      for (const d of g.deps[v]!) low = Math.max(low, val[d]! + 1);
      if (keep[v] || (free[v] && w[v]! >= low)) {
        keep[v] = 1;
        val[v] = w[v]!;
      } else val[v] = low;
    } else {
      let high = hi[v]!;
      for (const u of g.dependents[v]!) high = Math.min(high, val[u]! - 1);
      if (keep[v] || (free[v] && w[v]! <= high)) {
        keep[v] = 1;
        val[v] = w[v]!;
      } else val[v] = high;
    }
  }
  return keep;
}

/**
 * Maximum set of `C` with no conflicting pair (u before v by a longest chain of L edges,
 * w(v) - w(u) < L), by branch and bound; undefined if the search budget runs out.
 */
function exactKeep(g: DependencyGraph, order: number[], w: Float64Array, C: number[], start: Uint8Array): number[] | undefined {
  const k = C.length;
  const pos = new Int32Array(w.length);
  order.forEach((v, i) => (pos[v] = i));
  const local = new Map(C.map((v, i) => [v, i] as const));
  const adj: Set<number>[] = Array.from({ length: k }, () => new Set<number>());
  const dist = new Float64Array(w.length);
  for (let i = 0; i < k; i++) {
    const c = C[i]!;
    dist.fill(NEG);
    dist[c] = 0;
    for (let p = pos[c]!; p < order.length; p++) {
      const v = order[p]!;
      if (dist[v] === NEG) continue;
      for (const u of g.dependents[v]!) if (dist[v]! + 1 > dist[u]!) dist[u] = dist[v]! + 1;
      const j = local.get(v);
      if (j !== undefined && v !== c && w[v]! - w[c]! < dist[v]!) {
        adj[i]!.add(j);
        adj[j]!.add(i);
      }
    }
  }
  let best: number[] = C.map((v, i) => (start[v] ? i : -1)).filter((i) => i >= 0);
  let budget = SEARCH_BUDGET;
  const rec = (cands: number[], chosen: number[]): void => {
    if (--budget < 0) throw new Error('budget');
    if (chosen.length + cands.length <= best.length) return;
    if (cands.length === 0) {
      best = chosen;
      return;
    }
    const inSet = new Set(cands);
    let pick = -1;
    let pickDeg = -1;
    for (const v of cands) {
      let deg = 0;
      for (const x of adj[v]!) if (inSet.has(x)) deg++;
      if (deg <= 1) {
        // A vertex of degree 0 or 1 is in some maximum independent set: take it.
        rec(
          cands.filter((x) => x !== v && !adj[v]!.has(x)),
          [...chosen, v],
        );
        return;
      }
      if (deg > pickDeg) {
        pick = v;
        pickDeg = deg;
      }
    }
    rec(
      cands.filter((x) => x !== pick && !adj[pick]!.has(x)),
      [...chosen, pick],
    );
    rec(
      cands.filter((x) => x !== pick),
      chosen,
    );
  };
  try {
    rec([...Array(k).keys()], []);
  } catch (e) {
    if ((e as Error).message === 'budget') return undefined;
    throw e;
  }
  return best.map((i) => C[i]!);
}
