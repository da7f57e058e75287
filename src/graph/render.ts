import { escapeControl } from '../names.js';
import type { Catalog, Environment } from '../catalog/types.js';
import { UserError } from '../errors.js';
import type { Finding } from '../findings.js';
import { environmentGraph, findCycles } from './graph.js';

export interface GraphOptions {
  /** Draw only the neighbourhood of this component. */
  component?: string;
  /** How many dependency steps (either direction) around `component`; default 1. */
  depth?: number;
}

interface DrawnEdge {
  from: string; // the dependency
  to: string; // the dependent
  kind: 'ok' | 'inverted' | 'cycle' | 'missing';
  label?: string;
}

export interface GraphPicture {
  environment: string;
  /** Tiers with at least one component shown; `index` is the tier's position in the catalog. */
  tiers: {
    name: string;
    index: number;
    band: [number, number];
    waves: { wave: number; components: { name: string; smoke: boolean }[] }[];
  }[];
  edges: DrawnEdge[];
}

/**
 * What the pictures show: components grouped by tier and ranked by wave; dependency edges
 * drawn from the dependency to its dependent (rollout direction); edges whose wave order is
 * inverted or that lie on a cycle, and the edges the findings say are missing, in red.
 */
export function graphPicture(catalog: Catalog, env: Environment, findings: readonly Finding[], options: GraphOptions = {}): GraphPicture {
  const g = environmentGraph(env);
  const onCycle = new Set<string>();
  for (const { cycle } of findCycles(g)) {
    for (let i = 0; i < cycle.length; i++) onCycle.add(`${cycle[i]}>${cycle[(i + 1) % cycle.length]}`);
  }
  const edges: DrawnEdge[] = [];
  g.components.forEach((c, v) => {
    for (const d of g.deps[v]!) {
      const dep = g.components[d]!;
      if (onCycle.has(`${v}>${d}`)) edges.push({ from: dep.name, to: c.name, kind: 'cycle', label: 'cycle' });
      else if (c.wave <= dep.wave) edges.push({ from: dep.name, to: c.name, kind: 'inverted', label: `wave ${dep.wave} -> ${c.wave}` });
      else edges.push({ from: dep.name, to: c.name, kind: 'ok' });
    }
  });
  const seenMissing = new Set<string>();
  for (const f of findings) {
    if (f.environment !== env.name) continue;
    for (const e of f.fix?.addDependencies ?? []) {
      const key = `${e.dependency}>${e.component}`;
      if (e.environment !== env.name || seenMissing.has(key) || !env.byName.has(e.dependency) || !env.byName.has(e.component)) continue;
      seenMissing.add(key);
      const fromWave = env.byName.get(e.dependency)!.wave;
      const toWave = env.byName.get(e.component)!.wave;
      const label = toWave <= fromWave ? `missing, wave ${fromWave} -> ${toWave}` : 'missing';
      edges.push({ from: e.dependency, to: e.component, kind: 'missing', label });
    }
  }
  let keep: Set<string> | undefined;
  if (options.component !== undefined) {
    if (!env.byName.has(options.component)) {
      throw new UserError(`component "${options.component}" not found in environment ${env.name}`);
    }
    const depth = options.depth ?? 1;
    const near = new Map<string, string[]>();
    for (const e of edges) {
      near.set(e.from, [...(near.get(e.from) ?? []), e.to]);
      near.set(e.to, [...(near.get(e.to) ?? []), e.from]);
    }
    keep = new Set([options.component]);
    let frontier = [options.component];
    for (let i = 0; i < depth && frontier.length > 0; i++) {
      const next: string[] = [];
      for (const n of frontier) for (const m of near.get(n) ?? []) if (!keep.has(m)) keep.add(m), next.push(m);
      frontier = next;
    }
  }
  const shown = (name: string): boolean => !keep || keep.has(name);
  const tiers = catalog.settings.tiers
    .map((t, index) => {
      const waves = new Map<number, { name: string; smoke: boolean }[]>();
      for (const c of env.components) {
        if (c.tier !== t.name || !shown(c.name)) continue;
        waves.set(c.wave, [...(waves.get(c.wave) ?? []), { name: c.name, smoke: c.componentType === 'smoke' }]);
      }
      return {
        name: t.name,
        index,
        band: [t.waves[0], t.waves[1]] as [number, number],
        waves: [...waves.keys()].sort((a, b) => a - b).map((wave) => ({ wave, components: waves.get(wave)! })),
      };
    })
    .filter((t) => t.waves.length > 0);
  const order = (e: DrawnEdge): string => `${e.from}\u0000${e.to}\u0000${e.kind}`;
  return {
    environment: env.name,
    tiers,
    edges: edges.filter((e) => shown(e.from) && shown(e.to)).sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)),
  };
}

/** A DOT quoted string: `\n` stays a line break, other control characters are written as visible escapes. */
const dq = (s: string): string =>
  `"${s.split('\n').map(escapeControl).join('\n').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
/** Text inside a Mermaid `["..."]` or `|"..."|` label: no quote, angle bracket or control character of its own. */
const mq = (s: string): string => escapeControl(s).replace(/"/g, '#quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const RED = '#d62728';

/** Fill and border colours per tier, in catalog order (cycled beyond six tiers). */
const TIER_COLORS: readonly [string, string][] = [
  ['#e3ecfa', '#4a6fa5'],
  ['#e4f4e4', '#4a8a4a'],
  ['#fdebd9', '#b86e2a'],
  ['#efe4f7', '#7a4fa0'],
  ['#e0f3f5', '#3a8a94'],
  ['#f2f2f2', '#666666'],
];

/**
 * Graphviz DOT (render with `dot -Tsvg`). Columns are waves (a "wave N" header per column,
 * chained left to right, with every component of that wave on the same rank); tiers are
 * told apart by colour (legend in the title) and each column header names the tiers in it.
 * Tier clusters are not used: Graphviz 2.43 fails ("trouble in init_rank") when clusters
 * meet per-wave ranks and inverted edges, which is exactly what a picture of findings has.
 * Red edges do not constrain the layout (an inverted edge points backwards on purpose).
 */
export function toDot(p: GraphPicture): string {
  const color = new Map(p.tiers.map((t) => [t.name, TIER_COLORS[t.index % TIER_COLORS.length]!] as const));
  const legend = p.tiers.map((t) => `${t.name} ${t.band[0]}-${t.band[1]}`).join(', ');
  const out = [
    `digraph ${dq(`wavegate ${p.environment}`)} {`,
    `  graph [rankdir=LR, fontname="Helvetica", labelloc=t, ranksep=0.6, label=${dq(`${p.environment}: dependencies in rollout order, one column per wave (tiers by colour: ${legend}; red: inverted, cyclic or missing)`)}];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
    '  edge [color="#555555", fontname="Helvetica", fontsize=9];',
  ];
  const columns = new Map<number, { tier: string; name: string; smoke: boolean }[]>();
  for (const t of p.tiers) {
    for (const w of t.waves) for (const c of w.components) columns.set(w.wave, [...(columns.get(w.wave) ?? []), { tier: t.name, ...c }]);
  }
  const waves = [...columns.keys()].sort((a, b) => a - b);
  const header = (w: number): string => dq(`wave:${w}`);
  for (const w of waves) {
    const tiers = [...new Set(columns.get(w)!.map((c) => c.tier))].join(', ');
    out.push(`  ${header(w)} [label=${dq(`wave ${w}\n${tiers}`)}, shape=plaintext, style="", fontcolor="#666666"];`);
  }
  if (waves.length > 1) out.push(`  ${waves.map(header).join(' -> ')} [style=invis];`);
  for (const w of waves) {
    const comps = columns.get(w)!;
    for (const c of comps) {
      const [fill, line] = color.get(c.tier)!;
      const style = c.smoke
        ? `shape=note, style="filled,dashed", fillcolor="#fff6d5", color=${dq(line)}`
        : `fillcolor=${dq(fill)}, color=${dq(line)}`;
      out.push(`  ${dq(c.name)} [label=${dq(`${c.name}\nwave ${w}`)}, ${style}];`);
    }
    out.push(`  { rank=same; ${header(w)}; ${comps.map((c) => dq(c.name)).join('; ')}; }`);
  }
  for (const e of p.edges) {
    const attrs: string[] = [];
    if (e.kind !== 'ok') attrs.push(`color=${dq(RED)}`, `fontcolor=${dq(RED)}`, 'penwidth=2', 'constraint=false');
    if (e.kind === 'missing') attrs.push('style=dashed');
    if (e.label) attrs.push(`label=${dq(e.label)}`);
    out.push(`  ${dq(e.from)} -> ${dq(e.to)}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** Mermaid flowchart (renders in GitHub and GitLab Markdown). */
export function toMermaid(p: GraphPicture): string {
  const id = new Map<string, string>();
  let n = 0;
  for (const t of p.tiers) for (const w of t.waves) for (const c of w.components) id.set(c.name, `n${n++}`);
  const out = ['flowchart LR'];
  const smokes: string[] = [];
  p.tiers.forEach((t, i) => {
    out.push(`  subgraph t${i} ["${mq(t.name)} (waves ${t.band[0]}-${t.band[1]})"]`, '    direction LR');
    for (const w of t.waves) {
      for (const c of w.components) {
        out.push(`    ${id.get(c.name)}["${mq(c.name)}<br/>wave ${w.wave}"]`);
        if (c.smoke) smokes.push(id.get(c.name)!);
      }
    }
    out.push('  end');
  });
  const red: number[] = [];
  p.edges.forEach((e, i) => {
    const arrow = e.kind === 'missing' ? '-.->' : '-->';
    out.push(`  ${id.get(e.from)} ${arrow}${e.label ? `|"${mq(e.label)}"|` : ''} ${id.get(e.to)}`);
    if (e.kind !== 'ok') red.push(i);
  });
  out.push('  classDef smoke fill:#fff6d5,stroke:#b38f00,stroke-dasharray:4 2');
  if (smokes.length > 0) out.push(`  class ${smokes.join(',')} smoke`);
  if (red.length > 0) out.push(`  linkStyle ${red.join(',')} stroke:${RED},stroke-width:2px,color:${RED}`);
  return `${out.join('\n')}\n`;
}
