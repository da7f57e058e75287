/**
 * Issue 13 item 12: `check --suggest` close to linear on a dependency chain, and band-conflict
 * messages bounded. Before the fix a 10,000-component chain took 15 s (50 s on a 2-core VM):
 * every component on a conflicting chain rebuilt the whole chain with Array.unshift (cubic),
 * and every suggested edge searched the whole graph for a cycle (quadratic). The band
 * conflict named every component of the chain in one line.
 *
 * The large cases run bench/suggest-chain.mjs (the bench's own measurement, on dist/) in a
 * child process with a 10 s kill timer: a hang or a cubic run fails instead of blocking.
 * Nothing about timing is asserted except that it ends.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Catalog, Component } from '../../src/catalog/types.js';
import { checkCatalog } from '../../src/check.js';
import type { Finding } from '../../src/findings.js';
import { formatSuggestions, suggestRepairs } from '../../src/graph/suggest.js';
import { chainText } from '../../src/graph/repair.js';
import { catalogFiles } from '../../src/catalog/files.js';
import { memorySource } from '../../src/catalog/source.js';

const SCRIPT = join(__dirname, '..', '..', 'bench', 'suggest-chain.mjs');
const KILL_MS = 10_000;

function chain(n: number, kind: 'band' | 'missing'): { n: number; findings: number; outputLines: number; longestLine: number } {
  const r = spawnSync(process.execPath, [SCRIPT, String(n), kind], { encoding: 'utf8', timeout: KILL_MS });
  expect(r.signal, `killed after ${KILL_MS} ms`).toBeNull();
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

function component(name: string, wave: number, dependencies: string[] = []): Component {
  return {
    name,
    tier: 'apps',
    wave,
    componentType: 'workload',
    dependencies,
    provides: { kinds: [], secrets: [], services: [] },
    consumes: { kinds: [], secrets: [], services: [] },
    health: [],
    raw: { name },
    file: `environments/dev/components/${name}/component.yaml`,
    origin: 'env',
    locate: () => undefined,
  };
}

function catalogOf(components: Component[], waves: [number, number]): Catalog {
  components.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    root: '/nonexistent',
    settings: { tiers: [{ name: 'apps', waves }], extraFields: [] },
    environments: [{ name: 'dev', components, byName: new Map(components.map((c) => [c.name, c])), broken: new Set() }],
    findings: [],
    files: catalogFiles(memorySource({}), ['dev']),
  };
}

describe('check --suggest on long dependency chains', () => {
  it('a 10,000-component chain with one band conflict ends, and its message names 5 components and counts the rest', {
    timeout: KILL_MS + 5000,
  }, () => {
    const r = chain(10_000, 'band');
    expect(r.findings).toBe(9999);
    expect(r.outputLines).toBe(5);
    expect(r.longestLine).toBeLessThan(300);
  });

  it('a 10,000-edge chain of suggested dependencies ends', { timeout: KILL_MS + 5000 }, () => {
    const r = chain(10_000, 'missing');
    expect(r.findings).toBe(9999);
    expect(r.outputLines).toBe(2 * 9999 + 4); // header, 9,999 edges, 9,999 wave changes, summary, apply line, end
  });

  it('the band-conflict line: first three, the count, last two', () => {
    const names = Array.from({ length: 50 }, (_, i) => `c${i}`);
    const catalog = catalogOf(
      names.map((n, i) => component(n, 40, i > 0 ? [`c${i - 1}`] : [])),
      [35, 60],
    );
    const text = formatSuggestions(suggestRepairs(catalog, checkCatalog(catalog)));
    expect(text).toContain(
      'band conflict: c0 < c1 < c2 < ... (45 more) < c48 < c49 needs 50 successive waves, from 35 (tier apps starts there) to at most 60 (tier apps ends there)',
    );
    expect(chainText(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a < b < c < d < e < f');
    expect(chainText(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a < b < c < ... (2 more) < f < g');
  });
});

describe('the incremental cycle check gives the same edges as a search per edge', () => {
  // Reference: the edges in the order suggestRepairs takes them (component, then dependency),
  // each skipped when the dependency already (transitively) depends on the component.
  function reference(n: number, declared: [number, number][], wanted: [number, number][]): { added: string[]; skipped: string[] } {
    const deps: number[][] = Array.from({ length: n }, () => []);
    for (const [c, p] of declared) deps[c]!.push(p);
    const reaches = (from: number, to: number): boolean => {
      const seen = new Set<number>();
      const stack = [from];
      while (stack.length > 0) {
        const v = stack.pop()!;
        if (v === to) return true;
        if (seen.has(v)) continue;
        seen.add(v);
        stack.push(...deps[v]!);
      }
      return false;
    };
    const name = (i: number): string => `n${String(i).padStart(3, '0')}`;
    const sorted = [...new Map(wanted.map(([c, p]) => [`${name(c)}>${name(p)}`, [c, p] as [number, number]])).values()].sort(
      ([a, b], [c, d]) => (name(a) < name(c) ? -1 : name(a) > name(c) ? 1 : name(b) < name(d) ? -1 : name(b) > name(d) ? 1 : 0),
    );
    const added: string[] = [];
    const skipped: string[] = [];
    const isDeclared = new Set(declared.map(([c, p]) => `${c}>${p}`));
    for (const [c, p] of sorted) {
      if (reaches(p, c)) skipped.push(`${name(c)}>${name(p)}`);
      else if (isDeclared.has(`${c}>${p}`))
        continue; // already declared: nothing to add
      else {
        deps[c]!.push(p);
        added.push(`${name(c)}>${name(p)}`);
      }
    }
    return { added, skipped };
  }

  it('on 200 random acyclic graphs with random suggested edges', () => {
    let seed = 13;
    const rnd = (k: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % k;
    };
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + rnd(30);
      const perm = Array.from({ length: n }, (_, i) => i).sort(() => rnd(3) - 1);
      const declared: [number, number][] = [];
      for (let k = 0; k < rnd(2 * n); k++) {
        const a = rnd(n);
        const b = rnd(n);
        if (perm[a]! > perm[b]!) declared.push([a, b]); // acyclic: depend only on lower perm
      }
      const wanted: [number, number][] = Array.from({ length: 1 + rnd(3 * n) }, () => [rnd(n), rnd(n)] as [number, number]).filter(
        ([a, b]) => a !== b,
      );
      const name = (i: number): string => `n${String(i).padStart(3, '0')}`;
      const deps = new Map<number, Set<string>>();
      for (const [c, p] of declared) (deps.get(c) ?? deps.set(c, new Set()).get(c)!).add(name(p));
      const catalog = catalogOf(
        Array.from({ length: n }, (_, i) => component(name(i), 1000, [...(deps.get(i) ?? [])])),
        [0, 100_000],
      );
      const findings: Finding[] = wanted.map(([c, p]) => ({
        rule: 'missing-edge',
        severity: 'error',
        environment: 'dev',
        component: name(c),
        message: 'test',
        fix: { addDependencies: [{ environment: 'dev', component: name(c), dependency: name(p) }] },
      }));
      const s = suggestRepairs(catalog, findings)[0];
      const ref = reference(
        n,
        declared.filter(([c, p]) => c !== p),
        wanted,
      );
      const got = {
        added: s ? [...s.addDependencies, ...s.impliedDependencies].map((e) => `${e.component}>${e.dependency}`).sort() : [],
        skipped: s
          ? s.skippedDependencies
              .filter((e) => e.why.startsWith('would close a cycle'))
              .map((e) => `${e.component}>${e.dependency}`)
              .sort()
          : [],
      };
      expect(got, `trial ${trial}`).toEqual({ added: [...ref.added].sort(), skipped: [...ref.skipped].sort() });
    }
  });
});
