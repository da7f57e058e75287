import type { Catalog, Environment } from '../catalog/types.js';
import type { Finding } from '../findings.js';
import { buildGraph, topologicalOrder } from './graph.js';
import { repairWaves, type WaveRepair } from './repair.js';

export interface SuggestedEdge {
  component: string;
  dependency: string;
  /** Rules whose findings this edge repairs. */
  rules: string[];
}

/** Suggested changes for one environment. */
export interface EnvironmentSuggestion {
  environment: string;
  addDependencies: SuggestedEdge[];
  /** Suggested edges left out, and why (they would close a cycle with the others). */
  skippedDependencies: (SuggestedEdge & { why: string })[];
  /** Suggested edges not needed: the added ones already give a path (they fix their findings too). */
  impliedDependencies: SuggestedEdge[];
  /** Wave changes that satisfy every edge (with the added ones) and tier band. */
  waves: WaveRepair;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The repair for each environment: the edges the findings ask for (deduplicated; an edge
 * that would close a cycle with the graph plus the edges added before it is skipped), then
 * the fewest wave changes that make every edge and band hold (see `repairWaves`).
 * Environments with nothing to change are left out.
 */
export function suggestRepairs(catalog: Catalog, findings: readonly Finding[]): EnvironmentSuggestion[] {
  const out: EnvironmentSuggestion[] = [];
  for (const env of catalog.environments) {
    const edges = new Map<string, SuggestedEdge>();
    for (const f of findings) {
      for (const e of f.fix?.addDependencies ?? []) {
        if (e.environment !== env.name) continue;
        const key = `${e.component}\u0000${e.dependency}`;
        const s = edges.get(key) ?? { component: e.component, dependency: e.dependency, rules: [] };
        if (!s.rules.includes(f.rule)) s.rules.push(f.rule);
        edges.set(key, s);
      }
    }
    const wanted = [...edges.values()].sort((a, b) => byName(a.component, b.component) || byName(a.dependency, b.dependency));
    const { added: candidates, skipped } = addWithoutCycles(env, wanted);
    let all = candidates;
    let added: SuggestedEdge[];
    let implied: SuggestedEdge[];
    let waves: WaveRepair;
    for (;;) {
      ({ kept: added, implied } = withoutImplied(env, all));
      waves = repairWaves(env.components, catalog.settings.tiers, added);
      if (waves.ok || !waves.conflictChains) break;
      // A band conflict that a suggested edge causes: leave that edge out (a human must
      // move the component to another tier or widen a band) and repair the rest.
      const onChain = new Map<string, string>();
      waves.conflictChains.forEach((chain, i) => {
        for (let k = 1; k < chain.length; k++) onChain.set(`${chain[k]}\u0000${chain[k - 1]}`, waves.problems[i] ?? '');
      });
      const blocked = added.filter((e) => onChain.has(`${e.component}\u0000${e.dependency}`));
      if (blocked.length === 0) break;
      for (const e of blocked) {
        skipped.push({ ...e, why: `its waves cannot fit the tier bands: ${onChain.get(`${e.component}\u0000${e.dependency}`)}; move a component to another tier or widen a band` });
      }
      all = all.filter((e) => !blocked.includes(e));
    }
    if (added.length === 0 && skipped.length === 0 && waves.ok && waves.changes.length === 0) continue;
    out.push({ environment: env.name, addDependencies: added, skippedDependencies: skipped, impliedDependencies: implied, waves });
  }
  return out;
}

/**
 * Adds the wanted edges one by one, skipping each that would close a cycle with the graph
 * plus the edges added before it. Whether an edge closes a cycle is decided with a
 * topological order kept up to date as edges are added (Pearce and Kelly's dynamic
 * topological sort): an edge that agrees with the order cannot close a cycle and costs O(1);
 * otherwise only the components between its ends in the order are searched and reordered.
 * (A search from the dependency through the whole graph for every edge was quadratic on a
 * chain of 10,000 suggested edges.) The message of a skipped edge names the cycle as before.
 */
function addWithoutCycles(env: Environment, wanted: SuggestedEdge[]): { added: SuggestedEdge[]; skipped: (SuggestedEdge & { why: string })[] } {
  const g = buildGraph(env.components);
  const deps = g.deps.map((d) => [...d]);
  const dependents = g.dependents.map((d) => [...d]);
  const added: SuggestedEdge[] = [];
  const skipped: (SuggestedEdge & { why: string })[] = [];
  const topo = topologicalOrder(g);
  const n = deps.length;
  // ord: dependencies before dependents. Only for an acyclic declared graph (else every edge is searched).
  const ord = topo.complete ? new Int32Array(n) : undefined;
  if (ord) topo.order.forEach((v, i) => (ord[v] = i));
  const mark = new Int32Array(n);
  let stamp = 0;
  /** Whether c -> p keeps the graph acyclic; when it does, `ord` is updated for the new edge. */
  const fits = (c: number, p: number): boolean => {
    if (c === p) return false;
    if (!ord) return !reaches(p, c);
    const lb = ord[c]!;
    const ub = ord[p]!;
    if (ub < lb) return true;
    // Forward from c along dependents within (lb, ub]: meeting p means p depends on c.
    stamp++;
    const fwd: number[] = [];
    const stack = [c];
    mark[c] = stamp;
    while (stack.length > 0) {
      const v = stack.pop()!;
      fwd.push(v);
      for (const u of dependents[v]!) {
        if (u === p) return false;
        if (mark[u] !== stamp && ord[u]! < ub) {
          mark[u] = stamp;
          stack.push(u);
        }
      }
    }
    // Backward from p along dependencies within [lb, ub).
    const back: number[] = [];
    stack.push(p);
    mark[p] = stamp;
    while (stack.length > 0) {
      const v = stack.pop()!;
      back.push(v);
      for (const d of deps[v]!) {
        if (mark[d] !== stamp && ord[d]! > lb) {
          mark[d] = stamp;
          stack.push(d);
        }
      }
    }
    // p and what it depends on move before c and its dependents, into the same order slots.
    const byOrd = (x: number, y: number): number => ord[x]! - ord[y]!;
    back.sort(byOrd);
    fwd.sort(byOrd);
    const slots = [...back, ...fwd].map((v) => ord[v]!).sort((x, y) => x - y);
    [...back, ...fwd].forEach((v, i) => (ord[v] = slots[i]!));
    return true;
  };
  /** Whether `from` (transitively) depends on `to`. */
  const reaches = (from: number, to: number): boolean => {
    stamp++;
    const stack = [from];
    mark[from] = stamp;
    while (stack.length > 0) {
      const v = stack.pop()!;
      for (const d of deps[v]!) {
        if (d === to) return true;
        if (mark[d] !== stamp) {
          mark[d] = stamp;
          stack.push(d);
        }
      }
    }
    return false;
  };
  for (const e of wanted) {
    const c = g.index.get(e.component);
    const p = g.index.get(e.dependency);
    if (c === undefined || p === undefined) continue;
    if (fits(c, p)) {
      deps[c]!.push(p);
      dependents[p]!.push(c);
      added.push(e);
      continue;
    }
    // Would p (transitively) depend on c? Then c -> p closes a cycle: name it.
    const parent = new Map<number, number>([[p, -1]]);
    const stack = [p];
    let hit = c === p;
    while (stack.length > 0 && !hit) {
      const v = stack.pop()!;
      for (const d of deps[v]!) {
        if (parent.has(d)) continue;
        parent.set(d, v);
        if (d === c) {
          hit = true;
          break;
        }
        stack.push(d);
      }
    }
    if (hit) {
      const path: string[] = [];
      for (let v = c; v !== -1; v = parent.get(v)!) path.unshift(g.components[v]!.name);
      skipped.push({ ...e, why: `would close a cycle: ${e.component} -> ${path.join(' -> ')}` });
      continue;
    }
    deps[c]!.push(p);
    added.push(e);
  }
  return { added, skipped };
}

/**
 * Drops suggested edges that other edges (declared or suggested) already imply: every
 * finding asks only for a dependency path, so `c -> p` is not needed when c reaches p
 * another way. On an acyclic graph removing implied edges one at a time keeps every
 * reachability (the transitive reduction is unique), so the result fixes the same
 * findings with fewer edits. With a cycle in the graph nothing is dropped.
 */
function withoutImplied(env: Environment, added: SuggestedEdge[]): { kept: SuggestedEdge[]; implied: SuggestedEdge[] } {
  const g = buildGraph(env.components, added);
  const { order, complete } = topologicalOrder(g);
  if (!complete || added.length === 0) return { kept: added, implied: [] };
  const pos = new Int32Array(order.length);
  order.forEach((v, i) => (pos[v] = i));
  const deps = g.deps.map((d) => new Set(d));
  const declared = env.components.map((c) => new Set(c.dependencies));
  const kept: SuggestedEdge[] = [];
  const implied: SuggestedEdge[] = [];
  const mark = new Int32Array(order.length);
  let stamp = 0;
  // Longest-reaching edges first is not needed for correctness; a fixed order keeps output stable.
  for (const e of added) {
    const c = g.index.get(e.component)!;
    const p = g.index.get(e.dependency)!;
    if (declared[c]!.has(e.dependency)) continue;
    stamp++;
    const stack: number[] = [];
    for (const d of deps[c]!) if (d !== p && pos[d]! > pos[p]!) stack.push(d);
    let found = false;
    while (stack.length > 0 && !found) {
      const v = stack.pop()!;
      if (mark[v] === stamp) continue;
      mark[v] = stamp;
      for (const d of deps[v]!) {
        if (d === p) {
          found = true;
          break;
        }
        if (mark[d] !== stamp && pos[d]! > pos[p]!) stack.push(d);
      }
    }
    if (found) {
      deps[c]!.delete(p);
      implied.push(e);
    } else kept.push(e);
  }
  return { kept, implied };
}

/** Human text for `check --suggest`. */
export function formatSuggestions(suggestions: readonly EnvironmentSuggestion[]): string {
  if (suggestions.length === 0) return 'Suggested changes: none\n';
  const lines: string[] = [];
  for (const s of suggestions) {
    lines.push(`Suggested changes for ${s.environment}:`);
    for (const e of s.addDependencies) lines.push(`  add dependency  ${e.component} -> ${e.dependency}  (${e.rules.join(', ')})`);
    for (const e of s.skippedDependencies) lines.push(`  cannot add      ${e.component} -> ${e.dependency}: ${e.why}`);
    if (s.impliedDependencies.length > 0) {
      const n = s.impliedDependencies.length;
      lines.push(`  (${n} more edge${n === 1 ? '' : 's'} the findings name ${n === 1 ? 'is' : 'are'} implied by these and not needed)`);
    }
    if (!s.waves.ok) {
      lines.push('  no wave assignment satisfies every dependency and tier band:');
      for (const p of s.waves.problems) lines.push(`    ${p}`);
      continue;
    }
    for (const c of s.waves.changes) lines.push(`  set wave        ${c.component}: ${c.from} -> ${c.to}  (${c.reason})`);
    const n = s.waves.changes.length;
    if (n > 0) {
      lines.push(
        `  ${n} wave change${n === 1 ? '' : 's'}; ${s.waves.minimal ? 'no assignment moves fewer components' : `at least ${s.waves.forced} must move; fewer moves may exist (too many conflicts to prove it)`}`,
      );
    }
  }
  lines.push('Apply them with: wavegate fix');
  return `${lines.join('\n')}\n`;
}

/** JSON shape of the suggestions (for `check --suggest --format json`). */
export function suggestionsToJson(suggestions: readonly EnvironmentSuggestion[]): unknown[] {
  return suggestions.map((s) => ({
    environment: s.environment,
    addDependencies: s.addDependencies.map((e) => ({ component: e.component, dependency: e.dependency, rules: e.rules })),
    skippedDependencies: s.skippedDependencies.map((e) => ({ component: e.component, dependency: e.dependency, why: e.why })),
    impliedDependencies: s.impliedDependencies.map((e) => ({ component: e.component, dependency: e.dependency, rules: e.rules })),
    waveChanges: s.waves.changes.map((c) => ({ component: c.component, from: c.from, to: c.to, reason: c.reason })),
    ...(s.waves.ok ? { minimal: s.waves.minimal } : { problems: s.waves.problems }),
  }));
}
