import type { Catalog, Component, Environment } from '../catalog/types.js';
import type { Finding, SmokeCheckField } from '../findings.js';
import { buildGraph, newSmokeName, smokeValidating, topologicalOrder } from './graph.js';
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
  /** `consumes` entries to add (rule chart-wait-hook: what a chart-level wait polled for). */
  addConsumes: SuggestedConsumes[];
  /** Smoke checks to add, to the smoke validating the component or to a new one. */
  addSmokeChecks: SuggestedSmokeCheck[];
  /** Smoke components to create (for components no smoke validates). */
  newSmokes: NewSmoke[];
  /** What fix will not do (it never deletes a wait hook), and why. */
  notes: string[];
}

export interface SuggestedConsumes {
  component: string;
  type: 'secrets' | 'services';
  item: string;
  rules: string[];
}

export interface SuggestedSmokeCheck {
  /** The smoke component that gets the check (an existing one, or one of `newSmokes`). */
  smoke: string;
  /** The component whose wait the check replaces. */
  validates: string;
  field: SmokeCheckField;
  entry: Record<string, string>;
  rules: string[];
}

/** A smoke component fix creates: validates one component, one wave after it, in its tier. */
export interface NewSmoke {
  name: string;
  validates: string;
  tier: string;
  wave: number;
  namespace?: string;
  project?: string;
  /** Where it goes for this environment alone, and (for a component from _shared) where a shared one goes. */
  file: string;
  sharedFile?: string;
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
        skipped.push({
          ...e,
          why: `its waves cannot fit the tier bands: ${onChain.get(`${e.component}\u0000${e.dependency}`)}; move a component to another tier or widen a band`,
        });
      }
      all = all.filter((e) => !blocked.includes(e));
    }
    const extra = waitHookRepairs(catalog, env, findings, waves);
    if (
      added.length === 0 &&
      skipped.length === 0 &&
      waves.ok &&
      waves.changes.length === 0 &&
      extra.addConsumes.length === 0 &&
      extra.addSmokeChecks.length === 0 &&
      extra.notes.length === 0
    )
      continue;
    out.push({
      environment: env.name,
      addDependencies: added,
      skippedDependencies: skipped,
      impliedDependencies: implied,
      waves,
      ...extra,
    });
  }
  return out;
}

/** Folder of a component file under `environments/<env>/components/`, without the env part. */
function componentRel(file: string): string {
  return file.replace(/^environments\/[^/]+\/components\//, '').replace(/\/[^/]+$/, '');
}

/**
 * The consumes entries, smoke checks and new smokes the findings ask for (rule
 * chart-wait-hook), deduplicated; checks go to the smoke that validates the component, else to
 * a new smoke `<component>-smoke` one wave after it (after the suggested wave change, if any),
 * in its tier and namespace, next to its folder.
 */
function waitHookRepairs(
  catalog: Catalog,
  env: Environment,
  findings: readonly Finding[],
  waves: WaveRepair,
): Pick<EnvironmentSuggestion, 'addConsumes' | 'addSmokeChecks' | 'newSmokes' | 'notes'> {
  const consumes = new Map<string, SuggestedConsumes>();
  const checks = new Map<string, SuggestedSmokeCheck>();
  const newSmokes = new Map<string, NewSmoke>();
  const notes: string[] = [];
  const movedTo = new Map(waves.ok ? waves.changes.map((c) => [c.component, c.to]) : []);
  const unplaceable = new Set<string>();
  for (const f of findings) {
    if (f.environment !== env.name || !f.fix) continue;
    for (const n of f.fix.notes ?? []) if (n.startsWith(`${env.name}: `) && !notes.includes(n)) notes.push(n);
    for (const e of f.fix.addConsumes ?? []) {
      if (e.environment !== env.name) continue;
      const key = `${e.component}\u0000${e.type}\u0000${e.item}`;
      const s = consumes.get(key) ?? { component: e.component, type: e.type, item: e.item, rules: [] };
      if (!s.rules.includes(f.rule)) s.rules.push(f.rule);
      consumes.set(key, s);
    }
    for (const e of f.fix.addSmokeChecks ?? []) {
      if (e.environment !== env.name) continue;
      const c = env.byName.get(e.component);
      if (!c) continue;
      let smoke = smokeValidating(env, c)?.name;
      if (smoke === undefined) {
        const made = newSmokes.get(c.name) ?? newSmoke(catalog, env, c, movedTo.get(c.name) ?? c.wave);
        if (typeof made === 'string') {
          if (!unplaceable.has(c.name)) notes.push(`${env.name}: no smoke for ${c.name}: ${made}`);
          unplaceable.add(c.name);
          continue;
        }
        newSmokes.set(c.name, made);
        smoke = made.name;
      }
      const key = `${smoke}\u0000${e.field}\u0000${JSON.stringify(e.entry)}`;
      const s = checks.get(key) ?? { smoke, validates: c.name, field: e.field, entry: e.entry, rules: [] };
      if (!s.rules.includes(f.rule)) s.rules.push(f.rule);
      checks.set(key, s);
    }
  }
  const order = (a: string, b: string): number => byName(a, b);
  return {
    addConsumes: [...consumes.values()].sort((a, b) => order(a.component, b.component) || order(a.type, b.type) || order(a.item, b.item)),
    addSmokeChecks: [...checks.values()].sort(
      (a, b) => order(a.smoke, b.smoke) || order(a.field, b.field) || order(JSON.stringify(a.entry), JSON.stringify(b.entry)),
    ),
    newSmokes: [...newSmokes.values()].sort((a, b) => order(a.name, b.name)),
    notes: notes.sort(),
  };
}

/** The new smoke for `c` (at wave `wave` + 1), or why there can be none. */
function newSmoke(catalog: Catalog, env: Environment, c: Component, wave: number): NewSmoke | string {
  let name = newSmokeName(c);
  for (let i = 2; env.byName.has(name); i++) name = `${newSmokeName(c)}-${i}`;
  const tier = catalog.settings.tiers.find((t) => t.name === c.tier);
  if (tier && wave + 1 > tier.waves[1])
    return `it would be wave ${wave + 1}, above tier ${c.tier}'s band [${tier.waves[0]}, ${tier.waves[1]}]; add the checks to a smoke by hand`;
  const rel = componentRel(c.file);
  const folder = `${rel}-smoke${name === newSmokeName(c) ? '' : name.slice(newSmokeName(c).length)}`;
  return {
    name,
    validates: c.name,
    tier: c.tier,
    wave: wave + 1,
    ...(c.namespace !== undefined ? { namespace: c.namespace } : {}),
    ...(typeof c.raw.project === 'string' ? { project: c.raw.project } : {}),
    file: `environments/${env.name}/components/${folder}/component.yaml`,
    ...(c.origin === 'shared' ? { sharedFile: `environments/_shared/components/${folder}/component.yaml` } : {}),
  };
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
function addWithoutCycles(
  env: Environment,
  wanted: SuggestedEdge[],
): { added: SuggestedEdge[]; skipped: (SuggestedEdge & { why: string })[] } {
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
    for (const c of s.addConsumes) lines.push(`  add consumes    ${c.component}: ${c.type} ${c.item}  (${c.rules.join(', ')})`);
    for (const n of s.newSmokes) lines.push(`  new smoke       ${n.name}: validates ${n.validates}, tier ${n.tier}, wave ${n.wave}`);
    for (const c of s.addSmokeChecks)
      lines.push(`  add smoke check ${c.smoke}: smoke.${c.field} ${describeEntry(c.entry)}  (${c.rules.join(', ')})`);
    for (const n of s.notes) lines.push(`  not fixed       ${n.slice(s.environment.length + 2)}`);
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

/** `Deployment apps/redis (Available)`, `apps/app-db-credentials`. */
export function describeEntry(e: Record<string, string>): string {
  const where = e.namespace ? `${e.namespace}/` : '';
  return `${e.kind ? `${e.kind} ` : ''}${where}${e.name}${e.condition ? ` (${e.condition})` : ''}`;
}

/** JSON shape of the suggestions (for `check --suggest --format json`). */
export function suggestionsToJson(suggestions: readonly EnvironmentSuggestion[]): unknown[] {
  return suggestions.map((s) => ({
    environment: s.environment,
    addDependencies: s.addDependencies.map((e) => ({ component: e.component, dependency: e.dependency, rules: e.rules })),
    skippedDependencies: s.skippedDependencies.map((e) => ({ component: e.component, dependency: e.dependency, why: e.why })),
    impliedDependencies: s.impliedDependencies.map((e) => ({ component: e.component, dependency: e.dependency, rules: e.rules })),
    waveChanges: s.waves.changes.map((c) => ({ component: c.component, from: c.from, to: c.to, reason: c.reason })),
    addConsumes: s.addConsumes.map((c) => ({ component: c.component, type: c.type, item: c.item, rules: c.rules })),
    newSmokes: s.newSmokes.map((n) => ({ name: n.name, validates: n.validates, tier: n.tier, wave: n.wave })),
    addSmokeChecks: s.addSmokeChecks.map((c) => ({
      smoke: c.smoke,
      validates: c.validates,
      field: c.field,
      entry: c.entry,
      rules: c.rules,
    })),
    notes: s.notes,
    ...(s.waves.ok ? { minimal: s.waves.minimal } : { problems: s.waves.problems }),
  }));
}
