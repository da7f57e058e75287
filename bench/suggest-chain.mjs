// One `check --suggest` measurement on a dependency chain, built in memory (no files):
//
//   node bench/suggest-chain.mjs N band|missing
//
// band:    c0 <- c1 <- ... <- c(N-1), all declared, all in tier apps [35, 99] at wave 40: N-1
//          wave-order findings and one band conflict along the whole chain.
// missing: c(i) consumes a Secret c(i-1) provides, no dependency declared: N-1 missing-edge
//          findings, each suggesting an edge, in a tier wide enough for the whole chain.
// Prints JSON {n, kind, checkMs, suggestMs, findings, outputLines, longestLine}; used by
// bench/run.mjs (with peak memory from bench/stats-hook.mjs) and test/security/suggest-scale.test.ts.
import { catalogFiles } from '../dist/catalog/files.js';
import { memorySource } from '../dist/catalog/source.js';
import { checkCatalog } from '../dist/check.js';
import { formatSuggestions, suggestRepairs } from '../dist/graph/suggest.js';

export function chainCatalog(n, kind) {
  const tiers = kind === 'band' ? [{ name: 'apps', waves: [35, 99] }] : [{ name: 'apps', waves: [0, 10 * n] }];
  const components = [];
  for (let i = 0; i < n; i++) {
    const name = `c${i}`;
    const secrets = (j) => ({ kinds: [], secrets: j >= 0 ? [`ns/s${j}`] : [], services: [] });
    components.push({
      name,
      tier: 'apps',
      wave: 40,
      componentType: 'workload',
      namespace: 'ns',
      dependencies: kind === 'band' && i > 0 ? [`c${i - 1}`] : [],
      provides: kind === 'missing' ? secrets(i) : secrets(-1),
      consumes: kind === 'missing' ? secrets(i - 1) : secrets(-1),
      health: [],
      raw: { name, tier: 'apps', wave: 40 },
      file: `environments/dev/components/${name}/component.yaml`,
      origin: 'env',
      locate: () => undefined,
    });
  }
  components.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const env = { name: 'dev', components, byName: new Map(components.map((c) => [c.name, c])), broken: new Set() };
  return {
    root: '/nonexistent',
    settings: { tiers, extraFields: [] },
    environments: [env],
    findings: [],
    files: catalogFiles(memorySource({}), [env.name]),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 10000);
  const kind = process.argv[3] ?? 'band';
  const catalog = chainCatalog(n, kind);
  let t = performance.now();
  const findings = checkCatalog(catalog);
  const checkMs = performance.now() - t;
  t = performance.now();
  const text = formatSuggestions(suggestRepairs(catalog, findings));
  const suggestMs = performance.now() - t;
  const lines = text.split('\n');
  process.stdout.write(
    `${JSON.stringify({ n, kind, checkMs, suggestMs, findings: findings.length, outputLines: lines.length, longestLine: Math.max(...lines.map((l) => l.length)), text: n <= 100 ? text : undefined })}\n`,
  );
}
