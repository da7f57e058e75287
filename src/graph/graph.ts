import type { Component, Environment } from '../catalog/types.js';

/**
 * One environment's dependency graph with integer node ids (index into `components`,
 * which is sorted by name). An edge v -> d means "v depends on d" (d must come first).
 * Edges to names that are not components (unknown or broken) are left out; self-edges
 * and duplicates are kept out of `deps` but a self-dependency is remembered in `selfLoop`.
 */
export interface DependencyGraph {
  components: readonly Component[];
  index: ReadonlyMap<string, number>;
  /** deps[v]: ids v depends on, in the order written, without duplicates. */
  deps: number[][];
  /** dependents[d]: ids that depend on d, ascending. */
  dependents: number[][];
  selfLoop: boolean[];
}

/** Builds the graph in O(components + edges). `extraEdges` adds edges (e.g. suggested ones). */
export function buildGraph(
  components: readonly Component[],
  extraEdges: readonly { component: string; dependency: string }[] = [],
): DependencyGraph {
  const n = components.length;
  const index = new Map<string, number>();
  components.forEach((c, i) => index.set(c.name, i));
  const deps: number[][] = new Array(n);
  const dependents: number[][] = Array.from({ length: n }, () => []);
  const selfLoop: boolean[] = new Array(n).fill(false);
  // Dependency lists are short: a linear duplicate check beats a Set per component.
  const add = (v: number, d: number): void => {
    if (d === v) {
      selfLoop[v] = true;
      return;
    }
    const list = deps[v]!;
    if (list.length < 16 ? list.includes(d) : (seenOf[v] ??= new Set(list)).has(d)) return;
    list.push(d);
    seenOf[v]?.add(d);
  };
  const seenOf: (Set<number> | undefined)[] = new Array(n);
  for (let v = 0; v < n; v++) {
    deps[v] = [];
    for (const name of components[v]!.dependencies) {
      const d = index.get(name);
      if (d !== undefined) add(v, d);
    }
  }
  for (const e of extraEdges) {
    const v = index.get(e.component);
    const d = index.get(e.dependency);
    if (v !== undefined && d !== undefined) add(v, d);
  }
  for (let v = 0; v < n; v++) for (const d of deps[v]!) dependents[d]!.push(v);
  return { components, index, deps, dependents, selfLoop };
}

const graphCache = new WeakMap<Environment, DependencyGraph>();

/** The graph of an environment as declared (cached per loaded environment object). */
export function environmentGraph(env: Environment): DependencyGraph {
  let g = graphCache.get(env);
  if (!g) graphCache.set(env, (g = buildGraph(env.components)));
  return g;
}

export interface Sccs {
  /** scc[v]: id of v's strongly connected component. Ids are in reverse topological order of
   * the condensation along dependency edges: if v reaches d, then scc[v] >= scc[d]. */
  scc: Int32Array;
  /** Members of each component, by id. */
  members: number[][];
}

/**
 * Tarjan's strongly connected components, iterative (no recursion depth limit), O(V + E).
 * Components are numbered as Tarjan completes them, so dependencies get lower ids.
 */
export function stronglyConnected(g: DependencyGraph): Sccs {
  const n = g.deps.length;
  const idx = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const scc = new Int32Array(n).fill(-1);
  const members: number[][] = [];
  const stack: number[] = [];
  const callV: number[] = [];
  const callI: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (idx[root] !== -1) continue;
    callV.push(root);
    callI.push(0);
    idx[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (callV.length > 0) {
      const top = callV.length - 1;
      const v = callV[top]!;
      const ds = g.deps[v]!;
      const i = callI[top]!;
      if (i < ds.length) {
        callI[top] = i + 1;
        const w = ds[i]!;
        if (idx[w] === -1) {
          idx[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          callV.push(w);
          callI.push(0);
        } else if (onStack[w]) {
          if (idx[w]! < low[v]!) low[v] = idx[w]!;
        }
        continue;
      }
      callV.pop();
      callI.pop();
      if (callV.length > 0) {
        const parent = callV[callV.length - 1]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
      if (low[v] === idx[v]) {
        const id = members.length;
        const group: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          scc[w] = id;
          group.push(w);
        } while (w !== v);
        group.sort((a, b) => a - b);
        members.push(group);
      }
    }
  }
  return { scc, members };
}

/**
 * The cycles of the graph: one per strongly connected component with more than one member
 * or a self-dependency. Each is given as a closed walk in dependency order starting at the
 * member with the smallest name: the shortest cycle through that member (BFS inside the
 * component), so `a -> b -> c` means a depends on b, b on c, c on a.
 */
export function findCycles(g: DependencyGraph, sccs: Sccs = stronglyConnected(g)): { cycle: number[]; members: number[] }[] {
  const out: { cycle: number[]; members: number[] }[] = [];
  for (const group of sccs.members) {
    if (group.length === 1) {
      const v = group[0]!;
      if (g.selfLoop[v]) out.push({ cycle: [v], members: [v] });
      continue;
    }
    const start = group[0]!; // ids follow name order, so the smallest id has the smallest name
    const id = sccs.scc[start]!;
    const parent = new Map<number, number>();
    const queue = [start];
    let end = -1;
    for (let qi = 0; qi < queue.length && end < 0; qi++) {
      const v = queue[qi]!;
      for (const d of g.deps[v]!) {
        if (sccs.scc[d] !== id) continue;
        if (d === start) {
          end = v;
          break;
        }
        if (!parent.has(d)) {
          parent.set(d, v);
          queue.push(d);
        }
      }
    }
    const path: number[] = [];
    for (let v = end; v !== start; v = parent.get(v)!) path.push(v);
    path.push(start);
    path.reverse();
    out.push({ cycle: path, members: group });
  }
  out.sort((a, b) => a.cycle[0]! - b.cycle[0]!);
  return out;
}

/**
 * A topological order along dependency edges (dependencies first), Kahn's algorithm with
 * ties broken by id, O(V + E). Nodes on or behind a cycle are left out (`complete` false).
 */
export function topologicalOrder(g: DependencyGraph): { order: number[]; complete: boolean } {
  const n = g.deps.length;
  const remaining = new Int32Array(n);
  for (let v = 0; v < n; v++) remaining[v] = g.deps[v]!.length + (g.selfLoop[v] ? 1 : 0);
  const order: number[] = [];
  for (let v = 0; v < n; v++) if (remaining[v] === 0) order.push(v);
  for (let i = 0; i < order.length; i++) {
    for (const u of g.dependents[order[i]!]!) {
      if (--remaining[u]! === 0) order.push(u);
    }
  }
  return { order, complete: order.length === n };
}

/**
 * Topological rank of each node: 0 without dependencies, else 1 + the highest rank of its
 * dependencies (the longest dependency chain below it). -1 for nodes on or behind a cycle.
 */
export function topologicalRanks(g: DependencyGraph): Int32Array {
  const rank = new Int32Array(g.deps.length).fill(-1);
  for (const v of topologicalOrder(g).order) {
    let r = 0;
    for (const d of g.deps[v]!) if (rank[d]! + 1 > r) r = rank[d]! + 1;
    rank[v] = r;
  }
  return rank;
}

/** Every node reachable from `start` along dependency edges (its transitive dependencies), `start` excluded unless on a cycle. O(V + E). */
export function transitiveDependencies(g: DependencyGraph, start: number): Set<number> {
  const seen = new Set<number>();
  const stack = [...g.deps[start]!];
  if (g.selfLoop[start]) seen.add(start);
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    for (const d of g.deps[v]!) if (!seen.has(d)) stack.push(d);
  }
  return seen;
}

/**
 * Reachability queries along dependency edges, pruned by the condensation order: a path
 * from v to t only visits nodes whose SCC id is >= scc[t], so the search skips everything
 * below the lowest target. Each query is O(V + E) in the worst case, usually far less.
 * A stamp array avoids re-allocating per query.
 */
const REVERSE_AFTER = 8;
const MAX_REVERSE_SETS = 512;

export class Reachability {
  private readonly mark: Int32Array;
  private stamp = 0;
  readonly sccs: Sccs;
  constructor(
    readonly g: DependencyGraph,
    sccs?: Sccs,
  ) {
    this.sccs = sccs ?? stronglyConnected(g);
    this.mark = new Int32Array(g.deps.length);
  }

  /** Queries per target so far, and the targets asked about often enough to get a reverse set. */
  private readonly asked = new Map<number, number>();
  private readonly reverse = new Map<number, Uint8Array>();

  /**
   * Which of `targets` are reachable from `from` by one or more dependency edges.
   * A target asked about REVERSE_AFTER times gets the set of every node that reaches it
   * (one O(V + E) walk over dependents), so many consumers of one provider cost O(1) each
   * instead of a search each (a 10,000-long chain would otherwise be quadratic).
   */
  reachable(from: number, targets: readonly number[]): Set<number> {
    const found = new Set<number>();
    if (targets.length === 0) return found;
    const rest: number[] = [];
    for (const t of targets) {
      let rs = this.reverse.get(t);
      if (!rs) {
        const q = (this.asked.get(t) ?? 0) + 1;
        this.asked.set(t, q);
        if (q >= REVERSE_AFTER && this.reverse.size < MAX_REVERSE_SETS) this.reverse.set(t, (rs = this.reachingSet(t)));
      }
      if (rs) {
        if (rs[from]) found.add(t);
      } else rest.push(t);
    }
    if (rest.length === 0) return found;
    for (const t of this.search(from, rest)) found.add(t);
    return found;
  }

  /** Marks every node with a dependency path (one or more edges) to `t`. */
  private reachingSet(t: number): Uint8Array {
    const rs = new Uint8Array(this.g.deps.length);
    const stack = [...this.g.dependents[t]!];
    if (this.g.selfLoop[t]) rs[t] = 1;
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (rs[v]) continue;
      rs[v] = 1;
      for (const u of this.g.dependents[v]!) if (!rs[u]) stack.push(u);
    }
    return rs;
  }

  private search(from: number, targets: readonly number[]): Set<number> {
    const found = new Set<number>();
    const want = new Set(targets);
    const scc = this.sccs.scc;
    let floor = Infinity;
    for (const t of targets) if (scc[t]! < floor) floor = scc[t]!;
    if (scc[from]! < floor) return found;
    const stamp = ++this.stamp;
    const stack = [from];
    let first = true;
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (!first) {
        if (this.mark[v] === stamp) continue;
        this.mark[v] = stamp;
        if (want.has(v)) {
          found.add(v);
          if (found.size === want.size) break;
        }
      }
      first = false;
      for (const d of this.g.deps[v]!) {
        if (this.mark[d] !== stamp && scc[d]! >= floor) stack.push(d);
      }
    }
    return found;
  }

  /** A shortest dependency path from `from` to `to` (both included), or undefined. */
  path(from: number, to: number): number[] | undefined {
    const parent = new Map<number, number>();
    const queue = [from];
    const floor = this.sccs.scc[to]!;
    for (let i = 0; i < queue.length; i++) {
      const v = queue[i]!;
      for (const d of this.g.deps[v]!) {
        if (parent.has(d) || this.sccs.scc[d]! < floor) continue;
        parent.set(d, v);
        if (d === to) {
          const p = [to];
          for (let x = v; x !== from; x = parent.get(x)!) p.push(x);
          p.push(from);
          return p.reverse();
        }
        queue.push(d);
      }
    }
    return undefined;
  }
}

const reachCache = new WeakMap<Environment, Reachability>();
const sccCache = new WeakMap<Environment, Sccs>();

/** Strongly connected components of an environment's declared graph (cached). */
export function environmentSccs(env: Environment): Sccs {
  let s = sccCache.get(env);
  if (!s) sccCache.set(env, (s = stronglyConnected(environmentGraph(env))));
  return s;
}

/** Reachability over an environment's declared graph (cached). */
export function environmentReachability(env: Environment): Reachability {
  let r = reachCache.get(env);
  if (!r) reachCache.set(env, (r = new Reachability(environmentGraph(env), environmentSccs(env))));
  return r;
}

/** The smoke component of `env` whose smoke.validates names `c` (first by name), if any. */
export function smokeValidating(env: Environment, c: Component): Component | undefined {
  return env.components.find((s) => s.componentType === 'smoke' && s.name !== c.name && s.smoke?.validates.includes(c.name));
}

/** Name of the smoke component wavegate fix creates for `c` when no smoke validates it. */
export const newSmokeName = (c: Component): string => `${c.name}-smoke`;
