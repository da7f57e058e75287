import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { checkCatalog } from '../../src/check.js';
import type { Finding } from '../../src/findings.js';
import { BEFORE, BEFORE_ENVS, readGaps } from '../helpers/gaps.js';

// Backlog 382's gaps, one named test each (the table of test/fixtures/backlog-382-before/GAPS.md;
// test/examples.test.ts also checks that nothing else is reported).
const ROOT = join(__dirname, '..', '..');
const ALL = BEFORE_ENVS;
const gaps = readGaps();

const findings: Finding[] = checkCatalog(loadCatalog(BEFORE));
const find = (rule: string, env: string | undefined, component: string, related?: string): Finding[] =>
  findings.filter(
    (f) =>
      f.rule === rule &&
      f.environment === env &&
      f.component === component &&
      (related === undefined || (f.related ?? []).includes(related)),
  );

describe('backlog 382 "before": every gap the document names is reported under its rule', () => {
  it('the table has the 53 gaps', () => expect(gaps.map((g) => g.id)).toEqual(Array.from({ length: 53 }, (_, i) => i + 1)));

  for (const g of gaps.filter((x) => x.rule !== 'none')) {
    it(`gap ${g.id} -> ${g.rule}: ${g.says.slice(0, 110)}`, () => {
      if (!g.envs) {
        for (const file of g.files)
          expect(
            findings.filter((f) => f.rule === g.rule && f.file === file),
            file,
          ).not.toHaveLength(0);
        return;
      }
      for (const env of g.envs) {
        if (g.findings.length === 0) {
          for (const file of g.files)
            expect(
              findings.filter((f) => f.rule === g.rule && f.environment === env && f.file === file),
              `${env} ${file}`,
            ).not.toHaveLength(0);
        }
        for (const { component, related } of g.findings) {
          expect(find(g.rule, env, component), `${env} ${component}`).not.toHaveLength(0);
          for (const r of related) expect(find(g.rule, env, component, r), `${env} ${component} -> ${r}`).not.toHaveLength(0);
        }
      }
    });
  }

  it('gap 28: grafana-datasources (wave 41) lacks its edge to grafana (wave 42), and the finding says the edge needs a wave change', () => {
    for (const env of ALL) {
      const [f] = find('missing-edge', env, 'platform-grafana-datasources', 'platform-grafana');
      expect(f!.message).toContain('this also needs a wave change: platform-grafana-datasources is wave 41, platform-grafana is wave 42');
    }
  });

  it('gaps 12 and 23: the migrations/postgres and gateway findings say a wave change is needed too', () => {
    expect(find('missing-edge', 'dev', 'data-db-migrations', 'platform-postgres-clusters')[0]!.message).toContain(
      'this also needs a wave change: data-db-migrations is wave 17',
    );
    expect(find('missing-edge', 'dev', 'platform-gateway', 'platform-envoy-gateway')[0]!.message).toContain(
      'this also needs a wave change: platform-gateway is wave 36, platform-envoy-gateway is wave 36',
    );
  });

  it('gap 21: prod keycloak in the same wave as the clusters it now depends on', () => {
    expect(find('wave-order', 'prod', 'platform-keycloak', 'platform-postgres-clusters')[0]!.message).toBe(
      'wave 36 is not after dependency platform-postgres-clusters (wave 36): the same wave, so they sync together; platform-keycloak needs a wave above 36',
    );
  });

  it('the example catalog (after the proposed gating) reports nothing but the tag-pinned smoke image', () => {
    expect(checkCatalog(loadCatalog(join(ROOT, 'examples', 'ameide'))).map((f) => f.rule)).toEqual(['smoke-image']);
  });
});
