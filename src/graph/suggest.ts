import type { Catalog, Environment } from '../catalog/types.js';
import type { Finding } from '../findings.js';
import { buildGraph } from './graph.js';
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
    const { added, skipped } = addWithoutCycles(env, wanted);
    const waves = repairWaves(env.components, catalog.settings.tiers, added);
    if (added.length === 0 && skipped.length === 0 && waves.ok && waves.changes.length === 0) continue;
    out.push({ environment: env.name, addDependencies: added, skippedDependencies: skipped, waves });
  }
  return out;
}

function addWithoutCycles(env: Environment, wanted: SuggestedEdge[]): { added: SuggestedEdge[]; skipped: (SuggestedEdge & { why: string })[] } {
  const g = buildGraph(env.components);
  const deps = g.deps.map((d) => [...d]);
  const added: SuggestedEdge[] = [];
  const skipped: (SuggestedEdge & { why: string })[] = [];
  for (const e of wanted) {
    const c = g.index.get(e.component);
    const p = g.index.get(e.dependency);
    if (c === undefined || p === undefined) continue;
    // Would p (transitively) depend on c? Then c -> p closes a cycle.
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

/** Human text for `check --suggest`. */
export function formatSuggestions(suggestions: readonly EnvironmentSuggestion[]): string {
  if (suggestions.length === 0) return 'Suggested changes: none\n';
  const lines: string[] = [];
  for (const s of suggestions) {
    lines.push(`Suggested changes for ${s.environment}:`);
    for (const e of s.addDependencies) lines.push(`  add dependency  ${e.component} -> ${e.dependency}  (${e.rules.join(', ')})`);
    for (const e of s.skippedDependencies) lines.push(`  cannot add      ${e.component} -> ${e.dependency}: ${e.why}`);
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
    waveChanges: s.waves.changes.map((c) => ({ component: c.component, from: c.from, to: c.to, reason: c.reason })),
    ...(s.waves.ok ? { minimal: s.waves.minimal } : { problems: s.waves.problems }),
  }));
}
