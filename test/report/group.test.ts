// groupFindings must give exactly the groups a Map keyed by findings.ts groupKey gives (the
// grouping it replaced for speed, bench "check messy"): same groups, same order, same
// environments, on a real fixture and on generated findings built to collide.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { checkCatalog } from '../../src/check.js';
import { groupKey, type Finding } from '../../src/findings.js';
import { groupFindings } from '../../src/report/group.js';

/** The grouping by groupKey, as sarif.ts and findings-text.ts had it. */
function byGroupKey(findings: readonly Finding[]): { finding: Finding; environments: string[] }[] {
  const m = new Map<string, { finding: Finding; environments: string[] }>();
  for (const f of findings) {
    const k = groupKey(f);
    const g = m.get(k);
    if (g) {
      if (f.environment && !g.environments.includes(f.environment)) g.environments.push(f.environment);
    } else m.set(k, { finding: f, environments: f.environment ? [f.environment] : [] });
  }
  return [...m.values()];
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('groupFindings', () => {
  it('the same groups as groupKey on the backlog fixture (a _shared file reported in three environments)', () => {
    const findings = checkCatalog(loadCatalog(join(__dirname, '..', 'fixtures', 'backlog-382-before')));
    const want = byGroupKey(findings);
    expect(want.length).toBeLessThan(findings.length / 2);
    expect(groupFindings(findings)).toEqual(want);
  });

  it('the same groups as groupKey on 5,000 generated findings that collide in every field but one (and past the scan limit)', () => {
    const next = random(382);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const findings: Finding[] = [];
    for (let i = 0; i < 5000; i++) {
      const f: Finding = {
        rule: pick(['wave-order', 'env-parity', 'tier-band']),
        severity: pick(['error', 'warning'] as const),
        message: pick(['same message', 'other', 'x']),
      };
      const env = pick([undefined, 'dev', 'prod', 'staging']);
      if (env) f.environment = env;
      const file = pick([undefined, '', 'a.yaml', 'environments/_shared/components/x/component.yaml']);
      if (file !== undefined) f.file = file;
      const line = pick([undefined, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
      if (line !== undefined) f.line = line;
      const column = pick([undefined, 0, 1, 3]);
      if (column !== undefined) f.column = column;
      const component = pick([undefined, '', 'a', 'b']);
      if (component !== undefined) f.component = component;
      const related = pick([undefined, [], ['x'], ['x', 'y'], ['x\u0001y']]);
      if (related !== undefined) f.related = related;
      findings.push(f);
    }
    const want = byGroupKey(findings);
    // many findings per file and message: buckets go past the scan limit and switch to keys
    expect(want.length).toBeGreaterThan(500);
    expect(groupFindings(findings)).toEqual(want);
  });
});
