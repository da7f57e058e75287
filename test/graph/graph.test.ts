import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import type { Component } from '../../src/catalog/types.js';
import { checkCatalog } from '../../src/check.js';
import {
  Reachability,
  buildGraph,
  findCycles,
  stronglyConnected,
  topologicalOrder,
  topologicalRanks,
  transitiveDependencies,
} from '../../src/graph/graph.js';
import { writeCatalog } from '../helpers/catalog.js';

const comps = (spec: Record<string, string[]>): Component[] =>
  Object.keys(spec)
    .sort()
    .map((name) => ({ name, dependencies: spec[name]! }) as unknown as Component);

describe('dependency graph algorithms', () => {
  const g = buildGraph(
    comps({ a: [], b: ['a'], c: ['a', 'b', 'b', 'missing'], d: ['c', 'e'], e: ['d'], f: ['f'], h: ['g'], g: ['h', 'c'] }),
  );
  const id = (n: string) => g.index.get(n)!;
  const names = (xs: Iterable<number>) => [...xs].map((x) => g.components[x]!.name).sort();

  it('drops unknown names and duplicates, remembers self-dependencies', () => {
    expect(g.deps[id('c')]!.map((x) => g.components[x]!.name)).toEqual(['a', 'b']);
    expect(g.selfLoop[id('f')]).toBe(true);
    expect(names(g.dependents[id('c')]!)).toEqual(['d', 'g']);
  });

  it('Tarjan: SCC ids put dependencies first; cycles come once each, in dependency order', () => {
    const s = stronglyConnected(g);
    expect(s.scc[id('d')]).toBe(s.scc[id('e')]);
    expect(s.scc[id('c')]! < s.scc[id('d')]!).toBe(true);
    expect(s.scc[id('a')]! < s.scc[id('b')]!).toBe(true);
    expect(findCycles(g, s).map((c) => c.cycle.map((x) => g.components[x]!.name))).toEqual([['d', 'e'], ['f'], ['g', 'h']]);
  });

  it('topological order and ranks leave out what sits on or behind a cycle', () => {
    const { order, complete } = topologicalOrder(g);
    expect(complete).toBe(false);
    expect(names(order)).toEqual(['a', 'b', 'c']);
    const r = topologicalRanks(g);
    expect([r[id('a')], r[id('b')], r[id('c')], r[id('d')], r[id('f')]]).toEqual([0, 1, 2, -1, -1]);
  });

  it('reachability: transitive dependencies, targeted queries and shortest paths', () => {
    expect(names(transitiveDependencies(g, id('d')))).toEqual(['a', 'b', 'c', 'd', 'e']);
    const reach = new Reachability(g);
    expect(names(reach.reachable(id('g'), [id('a'), id('d'), id('h')]))).toEqual(['a', 'h']);
    expect(names(reach.reachable(id('a'), [id('b')]))).toEqual([]);
    expect(reach.path(id('g'), id('a'))!.map((x) => g.components[x]!.name)).toEqual(['g', 'c', 'a']);
    expect(reach.path(id('a'), id('g'))).toBeUndefined();
  });

  it('reachability answers agree with a plain search, before and after a target gets its reverse set', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const spec: Record<string, string[]> = {};
    const n = 300;
    const nm = (i: number) => `n${String(i).padStart(3, '0')}`;
    for (let i = 0; i < n; i++) spec[nm(i)] = Array.from({ length: 3 }, () => nm(Math.floor(rand() * n))).filter(() => rand() < 0.5); // cycles allowed
    const rg = buildGraph(comps(spec));
    const reach = new Reachability(rg);
    for (let q = 0; q < 3000; q++) {
      const from = Math.floor(rand() * n);
      const targets = [Math.floor(rand() * 8), Math.floor(rand() * n)]; // the first few targets are asked often
      const expected = transitiveDependencies(rg, from);
      expect([...reach.reachable(from, targets)].sort(), `${from} ${targets}`).toEqual(
        targets.filter((t, i) => expected.has(t) && targets.indexOf(t) === i).sort(),
      );
    }
  });

  it('a chain of 10,000 consumers of one provider: each answered (by a reverse set after a few searches)', () => {
    const chain10k = Array.from(
      { length: 10_000 },
      (_, i) =>
        ({
          name: `c${String(i).padStart(5, '0')}`,
          dependencies: i > 0 ? [`c${String(i - 1).padStart(5, '0')}`] : [],
        }) as unknown as Component,
    );
    const r10k = new Reachability(buildGraph(chain10k));
    let hits = 0;
    for (let v = 1; v < 10_000; v++) hits += r10k.reachable(v, [0]).size;
    expect(hits).toBe(9_999);
  });

  it('handles a 200,000-long chain without recursion limits', () => {
    const n = 200_000;
    const chain = Array.from(
      { length: n },
      (_, i) =>
        ({
          name: `c${String(i).padStart(6, '0')}`,
          dependencies: i > 0 ? [`c${String(i - 1).padStart(6, '0')}`] : [],
        }) as unknown as Component,
    );
    const big = buildGraph(chain);
    expect(stronglyConnected(big).members).toHaveLength(n);
    expect(topologicalRanks(big)[n - 1]).toBe(n - 1);
    expect(new Reachability(big).reachable(n - 1, [0]).size).toBe(1);
  });
});

describe('scale', () => {
  it('checks a 10,000-component catalog in 3 environments', () => {
    // 10,000 components in _shared (realistic fan-in/out: up to 3 dependencies on earlier
    // components, provides/consumes along them, a smoke every 50), plus per-environment
    // overrides, one of which breaks the wave order in prod.
    const root = writeCatalog({});
    const tiers = [
      ['foundation', 0, 15],
      ['data', 16, 35],
      ['platform', 36, 70],
      ['apps', 71, 99],
    ] as const;
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const n = 10_000;
    const name = (i: number) => `c${String(i).padStart(5, '0')}`;
    const wave = (i: number) => {
      const t = tiers[Math.min(3, Math.floor((i / n) * 4))]!;
      return { tier: t[0], wave: t[1] + Math.floor(((i % (n / 4)) / (n / 4)) * (t[2] - t[1] + 1)) };
    };
    const depsOf: Set<number>[] = [];
    const text = (i: number, waveOverride?: number) => {
      const { tier, wave: w } = wave(i);
      let deps = depsOf[i];
      if (!deps) {
        deps = depsOf[i] = new Set<number>();
        for (let k = 0; k < 3 && i > 0; k++) {
          const d = Math.floor(rand() * i);
          if (wave(d).wave < w) deps.add(d);
        }
        if (i === n - 1) deps.add(n - n / 4 + 1); // the second apps component, wave 71
      }
      const lines = [`name: ${name(i)}`, `tier: ${tier}`, `wave: ${waveOverride ?? w}`, `provides:`, `  services: [svc-${i}]`];
      if (deps.size > 0) {
        lines.push('dependencies:', ...[...deps].map((d) => `  - ${name(d)}`));
        lines.push(`consumes:`, `  services: [${[...deps].map((d) => `svc-${d}`).join(', ')}]`);
      }
      if (i % 50 === 49 && deps.size > 0) {
        lines.push('componentType: smoke', 'smoke:', `  validates: [${[...deps].map(name).join(', ')}]`, '  secrets: [{name: s}]');
      }
      return `${lines.join('\n')}\n`;
    };
    for (let i = 0; i < n; i++) {
      const dir = join(root, 'environments', '_shared', 'components', name(i));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'component.yaml'), text(i));
    }
    for (const env of ['dev', 'staging', 'prod']) mkdirSync(join(root, 'environments', env, 'components'), { recursive: true });
    // prod: the last component goes to wave 71, not above all of its dependencies any more
    writeFileSync(join(root, 'environments', 'prod', 'components', 'component.yaml'), text(n - 1, 71));
    const catalog = loadCatalog(root);
    expect(catalog.environments.map((e) => e.components.length)).toEqual([n, n, n]);
    const findings = checkCatalog(catalog);
    // smoke-image: the synthetic catalog's smokes use the default image, pinned by tag
    expect(findings.filter((f) => f.rule !== 'env-parity' && f.rule !== 'wave-order' && f.rule !== 'smoke-image')).toEqual([]);
    expect(new Set(findings.filter((f) => f.rule === 'wave-order').map((f) => `${f.environment} ${f.component}`))).toEqual(
      new Set([`prod ${name(n - 1)}`]),
    );
    expect(findings.filter((f) => f.rule === 'env-parity').map((f) => `${f.environment} ${f.component}`)).toEqual([`prod ${name(n - 1)}`]);
  });
});
