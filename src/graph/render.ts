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
  tiers: { name: string; band: [number, number]; waves: { wave: number; components: { name: string; smoke: boolean }[] }[] }[];
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
    .map((t) => {
      const waves = new Map<number, { name: string; smoke: boolean }[]>();
      for (const c of env.components) {
        if (c.tier !== t.name || !shown(c.name)) continue;
        waves.set(c.wave, [...(waves.get(c.wave) ?? []), { name: c.name, smoke: c.componentType === 'smoke' }]);
      }
      return {
        name: t.name,
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

const dq = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
const RED = '#d62728';

/** Graphviz DOT (render with `dot -Tsvg`). */
export function toDot(p: GraphPicture): string {
  const waveOf = new Map<string, number>();
  for (const t of p.tiers) for (const w of t.waves) for (const c of w.components) waveOf.set(c.name, w.wave);
  const out = [
    `digraph ${dq(`wavegate ${p.environment}`)} {`,
    `  graph [rankdir=LR, fontname="Helvetica", labelloc=t, label=${dq(`${p.environment}: dependencies in rollout order (red: inverted, cyclic or missing)`)}];`,
    '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", color="#4a6fa5", fontname="Helvetica", fontsize=11];',
    '  edge [color="#555555", fontname="Helvetica", fontsize=9];',
  ];
  for (const t of p.tiers) {
    out.push(`  subgraph ${dq(`cluster_${t.name}`)} {`, `    label=${dq(`${t.name} (waves ${t.band[0]}-${t.band[1]})`)};`, '    style="rounded"; color="#999999";');
    for (const w of t.waves) {
      for (const c of w.components) {
        const style = c.smoke ? ', shape=note, style="filled,dashed", fillcolor="#fff6d5", color="#b38f00"' : '';
        out.push(`    ${dq(c.name)} [label=${dq(`${c.name}\nwave ${w.wave}`)}${style}];`);
      }
    }
    out.push('  }');
  }
  // One rank per wave (Graphviz applies it within each tier's cluster).
  const byWave = new Map<number, string[]>();
  for (const [name, wave] of waveOf) byWave.set(wave, [...(byWave.get(wave) ?? []), name]);
  for (const wave of [...byWave.keys()].sort((a, b) => a - b)) out.push(`  { rank=same; ${byWave.get(wave)!.map(dq).join('; ')}; }`);
  for (const e of p.edges) {
    const attrs: string[] = [];
    if (e.kind !== 'ok') attrs.push(`color=${dq(RED)}`, `fontcolor=${dq(RED)}`, 'penwidth=2');
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
    out.push(`  subgraph t${i} ["${t.name} (waves ${t.band[0]}-${t.band[1]})"]`, '    direction LR');
    for (const w of t.waves) {
      for (const c of w.components) {
        out.push(`    ${id.get(c.name)}["${c.name}<br/>wave ${w.wave}"]`);
        if (c.smoke) smokes.push(id.get(c.name)!);
      }
    }
    out.push('  end');
  });
  const red: number[] = [];
  p.edges.forEach((e, i) => {
    const arrow = e.kind === 'missing' ? '-.->' : '-->';
    out.push(`  ${id.get(e.from)} ${arrow}${e.label ? `|"${e.label.replace(/>/g, '&gt;')}"|` : ''} ${id.get(e.to)}`);
    if (e.kind !== 'ok') red.push(i);
  });
  out.push('  classDef smoke fill:#fff6d5,stroke:#b38f00,stroke-dasharray:4 2');
  if (smokes.length > 0) out.push(`  class ${smokes.join(',')} smoke`);
  if (red.length > 0) out.push(`  linkStyle ${red.join(',')} stroke:${RED},stroke-width:2px,color:${RED}`);
  return `${out.join('\n')}\n`;
}
