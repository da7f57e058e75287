import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { checkCatalog } from '../../src/check.js';
import { graphPicture, toDot, toMermaid } from '../../src/graph/render.js';
import { catalogOf } from '../helpers/catalog.js';
import { comp } from '../helpers/rules.js';

const root = catalogOf([
  comp('foundation-vault-secrets-observability', 'foundation', 6, { provides: { secrets: ['grafana-admin'] } }),
  comp('platform-grafana', 'platform', 42, { consumes: { secrets: ['grafana-admin'] } }),
  comp('platform-grafana-datasources', 'platform', 41, { dependencies: ['platform-grafana'] }),
  comp('platform-observability-smoke', 'platform', 43, {
    componentType: 'smoke',
    dependencies: ['platform-grafana-datasources'],
    smoke: { validates: ['platform-grafana-datasources'], secrets: [{ name: 'grafana-admin' }] },
  }),
  comp('loop-a', 'apps', 50, { dependencies: ['loop-b'] }),
  comp('loop-b', 'apps', 51, { dependencies: ['loop-a'] }),
]);
const catalog = loadCatalog(root);
const env = catalog.environments[0]!;
const findings = checkCatalog(catalog);

/** Runs Graphviz; returns its exit code and stderr (warnings included). */
function dot(input: string): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync('dot', ['-Tsvg'], { input, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('wavegate graph', () => {
  it('groups by tier, draws inverted, cyclic and missing edges in red, smokes apart', () => {
    const p = graphPicture(catalog, env, findings);
    expect(p.tiers.map((t) => t.name)).toEqual(['foundation', 'platform', 'apps']);
    expect(p.edges.map((e) => `${e.from}>${e.to}:${e.kind}`)).toEqual([
      'foundation-vault-secrets-observability>platform-grafana:missing',
      'loop-a>loop-b:cycle',
      'loop-b>loop-a:cycle',
      'platform-grafana>platform-grafana-datasources:inverted',
      'platform-grafana-datasources>platform-observability-smoke:ok',
    ]);
  });

  it('DOT renders with Graphviz without warnings: a column per wave, tier colours, red edges, smoke style', () => {
    const text = toDot(graphPicture(catalog, env, findings));
    expect(text).toContain('"wave:6" -> "wave:41" -> "wave:42" -> "wave:43" -> "wave:50" -> "wave:51" [style=invis];');
    expect(text).toContain('  { rank=same; "wave:42"; "platform-grafana"; }');
    expect(text).toContain('"wave:41" [label="wave 41\\nplatform", shape=plaintext');
    expect(text).toContain(
      '"platform-grafana" -> "platform-grafana-datasources" [color="#d62728", fontcolor="#d62728", penwidth=2, constraint=false, label="wave 42 -> 41"];',
    );
    expect(text).toMatch(/"foundation-vault-secrets-observability" -> "platform-grafana" \[[^\]]*style=dashed, label="missing"\]/);
    expect(text).toMatch(/"platform-observability-smoke" \[label="platform-observability-smoke\\nwave 43", shape=note/);
    // tier colours follow the catalog's tier order (foundation first, platform third)
    expect(text).toContain(
      '"foundation-vault-secrets-observability" [label="foundation-vault-secrets-observability\\nwave 6", fillcolor="#e3ecfa"',
    );
    expect(text).toContain('"platform-grafana" [label="platform-grafana\\nwave 42", fillcolor="#fdebd9"');
    const r = dot(text);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('<svg');
    expect(r.stdout.replace(/&#45;/g, '-')).toContain('platform-grafana-datasources');
  });

  it('DOT of the example and of the before fixture (60 components, many red edges) renders in every environment, without warnings', () => {
    for (const dir of [join(__dirname, '..', '..', 'examples', 'ameide'), join(__dirname, '..', 'fixtures', 'backlog-382-before')]) {
      const c = loadCatalog(dir);
      const f = checkCatalog(c);
      for (const e of c.environments) {
        const r = dot(toDot(graphPicture(c, e, f)));
        expect(r.stderr, `${dir} ${e.name}`).toBe('');
        expect(r.status, `${dir} ${e.name}`).toBe(0);
      }
    }
  });

  it('a subgraph around one component, to a depth', () => {
    const one = graphPicture(catalog, env, findings, { component: 'platform-grafana-datasources', depth: 1 });
    expect(one.tiers.flatMap((t) => t.waves.flatMap((w) => w.components.map((c) => c.name))).sort()).toEqual([
      'platform-grafana',
      'platform-grafana-datasources',
      'platform-observability-smoke',
    ]);
    const two = graphPicture(catalog, env, findings, { component: 'platform-grafana-datasources', depth: 2 });
    expect(two.edges).toHaveLength(3);
    expect(() => graphPicture(catalog, env, findings, { component: 'nope' })).toThrow('component "nope" not found in environment dev');
  });

  it('Mermaid: subgraph per tier, dashed missing edges, red linkStyle, smoke class', () => {
    const m = toMermaid(graphPicture(catalog, env, findings));
    expect(m.startsWith('flowchart LR\n')).toBe(true);
    expect(m).toContain('  subgraph t1 ["platform (waves 35-99)"]');
    expect(m).toMatch(/n\d+\["platform-grafana<br\/>wave 42"\]/);
    expect(m).toMatch(/n\d+ -\.->\|"missing"\| n\d+/);
    expect(m).toContain('  linkStyle 0,1,2,3 stroke:#d62728,stroke-width:2px,color:#d62728');
    expect(m).toMatch(/ {2}class n\d+ smoke\n/);
    expect(m.match(/^\s+subgraph /gm)).toHaveLength(3);
    expect(m.match(/^\s+end$/gm)).toHaveLength(3);
  });
});
