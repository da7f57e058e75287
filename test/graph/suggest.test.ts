import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import type { Finding } from '../../src/findings.js';
import { formatSuggestions, suggestRepairs, suggestionsToJson } from '../../src/graph/suggest.js';
import { catalogOf } from '../helpers/catalog.js';
import { comp } from '../helpers/rules.js';

const edge = (component: string, dependency: string, rule = 'missing-edge'): Finding => ({
  rule,
  severity: 'error',
  environment: 'dev',
  component,
  message: 'test',
  fix: { addDependencies: [{ environment: 'dev', component, dependency }] },
});

describe('suggestRepairs', () => {
  it('drops edges other suggested edges imply, skips one that would close a cycle, then repairs waves', () => {
    const catalog = loadCatalog(
      catalogOf([
        comp('store', 'foundation', 5),
        comp('bundle', 'foundation', 6),
        comp('app', 'apps', 40),
        comp('back', 'foundation', 7, { dependencies: ['app'] }),
      ]),
    );
    const s = suggestRepairs(catalog, [edge('bundle', 'store'), edge('app', 'bundle'), edge('app', 'store'), edge('app', 'back')]);
    expect(s).toHaveLength(1);
    expect(s[0]!.addDependencies.map((e) => `${e.component}->${e.dependency}`)).toEqual(['app->bundle', 'bundle->store']);
    expect(s[0]!.impliedDependencies.map((e) => `${e.component}->${e.dependency}`)).toEqual(['app->store']);
    expect(s[0]!.skippedDependencies).toEqual([
      { component: 'app', dependency: 'back', rules: ['missing-edge'], why: 'would close a cycle: app -> back -> app' },
    ]);
    // back (foundation, 7) depends on app (apps, 40): the band conflict is declared, not suggested, so it is reported
    expect(s[0]!.waves.ok).toBe(false);
    expect(s[0]!.waves.problems[0]).toMatch(/^band conflict: app < back needs 2 successive waves/);
    const text = formatSuggestions(s);
    expect(text).toContain('  cannot add      app -> back: would close a cycle: app -> back -> app\n');
    expect(text).toContain('  (1 more edge the findings name is implied by these and not needed)\n');
    expect(text).toContain('  no wave assignment satisfies every dependency and tier band:\n');
    expect(suggestionsToJson(s)[0]).toMatchObject({ environment: 'dev', problems: [expect.stringMatching(/^band conflict/)] });
  });

  it('an environment with nothing to change is left out', () => {
    const catalog = loadCatalog(catalogOf([comp('a', 'data', 20), comp('b', 'data', 21, { dependencies: ['a'] })]));
    expect(suggestRepairs(catalog, [])).toEqual([]);
    expect(formatSuggestions([])).toBe('Suggested changes: none\n');
  });
});
