import { describe, expect, it } from 'vitest';
import type { Component, Tier } from '../../src/catalog/types.js';
import { EXACT_LIMIT, repairWaves } from '../../src/graph/repair.js';

/** Minimal components for the repair (only what it reads). */
function comps(spec: [name: string, tier: string, wave: number, deps: string[]][]): Component[] {
  return spec
    .map(([name, tier, wave, dependencies]) => ({ name, tier, wave, dependencies }) as unknown as Component)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

const T = (bands: Record<string, [number, number]>): Tier[] => Object.entries(bands).map(([name, waves]) => ({ name, waves }));

function satisfies(
  c: Component[],
  tiers: Tier[],
  waves: Map<string, number>,
  extra: { component: string; dependency: string }[] = [],
): boolean {
  const band = new Map(tiers.map((t) => [t.name, t.waves]));
  for (const x of c) {
    const w = waves.get(x.name)!;
    const b = band.get(x.tier)!;
    if (w < b[0] || w > b[1]) return false;
    for (const d of [...x.dependencies, ...extra.filter((e) => e.component === x.name).map((e) => e.dependency)])
      if (!(w > waves.get(d)!)) return false;
  }
  return true;
}

function applied(c: Component[], changes: { component: string; to: number }[]): Map<string, number> {
  const m = new Map(c.map((x) => [x.name, x.wave]));
  for (const ch of changes) m.set(ch.component, ch.to);
  return m;
}

/** Smallest number of changed waves over every assignment in [lo, hi] (exhaustive). */
function bruteForce(c: Component[], tiers: Tier[], lo: number, hi: number): number | undefined {
  let best: number | undefined;
  const n = c.length;
  const waves = new Map<string, number>();
  const rec = (i: number, changed: number): void => {
    if (best !== undefined && changed >= best) return;
    if (i === n) {
      if (satisfies(c, tiers, waves)) best = changed;
      return;
    }
    for (let w = lo; w <= hi; w++) {
      waves.set(c[i]!.name, w);
      rec(i + 1, changed + (w === c[i]!.wave ? 0 : 1));
    }
  };
  rec(0, 0);
  return best;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('repairWaves', () => {
  it('keeps a valid catalog as it is', () => {
    const c = comps([
      ['a', 'x', 1, []],
      ['b', 'x', 2, ['a']],
    ]);
    expect(repairWaves(c, T({ x: [0, 9] }))).toEqual({ ok: true, changes: [], problems: [], minimal: true, forced: 0 });
  });

  it('grafana-datasources (41) after grafana (42): one move, to just above grafana', () => {
    const c = comps([
      ['platform-grafana', 'platform', 42, []],
      ['platform-grafana-datasources', 'platform', 41, []],
      ['platform-observability-smoke', 'platform', 43, ['platform-grafana', 'platform-grafana-datasources']],
    ]);
    const r = repairWaves(c, T({ platform: [35, 99] }), [{ component: 'platform-grafana-datasources', dependency: 'platform-grafana' }]);
    // Moving datasources to 43 would collide with the smoke; moving grafana below 41 is the single change.
    expect(r.ok).toBe(true);
    expect(r.changes).toHaveLength(1);
    expect(r.minimal).toBe(true);
    expect(
      satisfies(c, T({ platform: [35, 99] }), applied(c, r.changes), [
        { component: 'platform-grafana-datasources', dependency: 'platform-grafana' },
      ]),
    ).toBe(true);
    expect(r.changes[0]).toEqual({
      component: 'platform-grafana',
      from: 42,
      to: 40,
      reason: 'must come before platform-grafana-datasources (wave 41)',
    });
  });

  it('beats both greedy orders: a chain with an early outlier and a late one', () => {
    // waves 9, 2, 3, 1, 10 along a chain: keeping b, c, e and moving a and d is optimal (2 moves).
    const c = comps([
      ['a', 'x', 9, []],
      ['b', 'x', 2, ['a']],
      ['c', 'x', 3, ['b']],
      ['d', 'x', 1, ['c']],
      ['e', 'x', 10, ['d']],
    ]);
    const r = repairWaves(c, T({ x: [0, 20] }));
    expect(r.changes.map((ch) => ch.component).sort()).toEqual(['a', 'd']);
    expect(r.minimal).toBe(true);
  });

  it('moves a wave outside its band into it (forced), even with no edge', () => {
    const c = comps([['a', 'data', 12, []]]);
    const r = repairWaves(c, T({ data: [16, 35] }));
    expect(r.changes).toEqual([{ component: 'a', from: 12, to: 16, reason: "outside tier data's band [16, 35]" }]);
    expect(r.forced).toBe(1);
  });

  it('explains a cycle and a band conflict instead of inventing waves', () => {
    const cyc = repairWaves(
      comps([
        ['a', 'x', 1, ['b']],
        ['b', 'x', 2, ['a']],
      ]),
      T({ x: [0, 9] }),
    );
    expect(cyc).toMatchObject({ ok: false, changes: [], problems: ['cycle: a -> b -> a (no wave order can satisfy a cycle)'] });
    // data-db-migrations (data, <= 35) must follow platform-postgres-clusters (platform, >= 35) and data-temporal follows it.
    const c = comps([
      ['platform-postgres-clusters', 'platform', 36, []],
      ['data-db-migrations', 'data', 17, ['platform-postgres-clusters']],
      ['data-temporal', 'data', 26, ['data-db-migrations']],
    ]);
    const r = repairWaves(c, T({ data: [16, 35], platform: [35, 99] }));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      'band conflict: platform-postgres-clusters < data-db-migrations < data-temporal needs 3 successive waves, from 35 (tier platform starts there) to at most 35 (tier data ends there)',
    ]);
  });

  it('matches an exhaustive search on 300 random small catalogs (fewest moves, always valid)', () => {
    const rand = rng(382);
    for (let iter = 0; iter < 300; iter++) {
      const n = 2 + Math.floor(rand() * 4); // 2..5 components
      const names = Array.from({ length: n }, (_, i) => `c${i}`);
      const spec: [string, string, number, string[]][] = names.map((name, i) => {
        const deps = names.slice(0, i).filter(() => rand() < 0.45); // edges only to lower ids: a DAG
        const tier = rand() < 0.5 ? 'x' : 'y';
        return [name, tier, Math.floor(rand() * 7), deps];
      });
      const tiers = T({ x: [0, 4 + Math.floor(rand() * 3)], y: [Math.floor(rand() * 3), 6] });
      const c = comps(spec);
      const r = repairWaves(c, tiers);
      const best = bruteForce(c, tiers, 0, 6 + n);
      if (best === undefined) {
        expect(r.ok, JSON.stringify(spec)).toBe(false);
        continue;
      }
      expect(r.ok, JSON.stringify(spec)).toBe(true);
      expect(satisfies(c, tiers, applied(c, r.changes)), JSON.stringify(spec)).toBe(true);
      expect(r.minimal).toBe(true);
      expect(r.changes.length, JSON.stringify({ spec, tiers, changes: r.changes })).toBe(best);
    }
  });

  it('large conflicts: falls back to a valid greedy repair and says it is not proven minimal', () => {
    // A long chain in reverse wave order: every pair conflicts.
    const n = EXACT_LIMIT + 10;
    const spec: [string, string, number, string[]][] = Array.from({ length: n }, (_, i) => [
      `c${String(i).padStart(3, '0')}`,
      'x',
      500 - i,
      i > 0 ? [`c${String(i - 1).padStart(3, '0')}`] : [],
    ]);
    const c = comps(spec);
    const r = repairWaves(c, T({ x: [0, 1000] }));
    expect(r.ok).toBe(true);
    expect(r.minimal).toBe(false);
    expect(satisfies(c, T({ x: [0, 1000] }), applied(c, r.changes))).toBe(true);
    expect(r.changes.length).toBe(n - 1); // keeping one is the best possible here
  });
});
