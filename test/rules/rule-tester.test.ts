// The rule tester loads its catalogs from memory: they must load exactly as the same files do
// from disk (same model, same findings of every rule), or a rule test in memory would prove
// nothing about the CLI. Checked on the example, the backlog-382 fixture and the wait-hook
// fixture (charts, kustomize bases, named templates), on a catalog with load findings, and on
// the example with health.overrides checks (read through the model: same findings of
// health-lint and health-test, same files shipped into the test tree).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, loadCatalogFromSource } from '../../src/catalog/load.js';
import { memorySource } from '../../src/catalog/source.js';
import type { Catalog } from '../../src/catalog/types.js';
import { checkCatalog } from '../../src/check.js';
import type { Finding } from '../../src/findings.js';
import { waveOrder } from '../../src/rules/wave-order.js';
import { renderHealth } from '../../src/health/render.js';
import { catalogOf, componentPath, writeCatalog } from '../helpers/catalog.js';
import { comp } from '../helpers/rules.js';
import { expectFindings, memoryCatalog, runRuleOn } from './rule-tester.js';

const ROOT = resolve(__dirname, '..', '..');

/** Every file below `root` (links are not followed), by relative path. */
function filesOf(root: string, rel = ''): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, filesOf(root, r));
    else if (e.isFile()) out[r] = readFileSync(join(root, r));
  }
  return out;
}

function snapshot(c: Catalog): unknown {
  return {
    root: c.root,
    settings: c.settings,
    settingsFile: c.settingsFile,
    findings: c.findings,
    others: c.files.componentDirYamlFiles,
    environments: c.environments.map((e) => ({
      name: e.name,
      broken: [...e.broken].sort(),
      unreadable: e.unreadable,
      components: e.components.map((x) => ({ ...x, locate: [x.locate(['name']), x.locate(['wave']), x.locate(['dependencies', 0])] })),
    })),
    manifests: c.files.manifestDocuments('').map((d) => ({ file: d.file, value: d.value, at: d.locate(['metadata', 'name']) })),
    deployed: c.environments.map((e) => e.components.map((x) => c.files.componentFiles(x))),
  };
}

function sameBothWays(root: string): Finding[] {
  const disk = loadCatalog(root);
  const memory = loadCatalogFromSource(memorySource(filesOf(root)), { root: disk.root });
  expect(snapshot(memory)).toEqual(snapshot(disk));
  expect(memory.environments.length).toBeGreaterThan(0);
  expect(
    memory.files.manifestDocuments('').length +
      memory.environments.flatMap((e) => e.components.flatMap((c) => memory.files.componentFiles(c))).length,
  ).toBeGreaterThan(0);
  const findings = checkCatalog(disk);
  expect(checkCatalog(memory)).toEqual(findings);
  return findings;
}

describe('catalogs in memory load as they do from disk', () => {
  it('the example, the backlog-382 fixture and the wait-hook fixture: same model, same findings', () => {
    sameBothWays(join(ROOT, 'examples', 'ameide'));
    expect(sameBothWays(join(ROOT, 'test', 'fixtures', 'backlog-382-before')).length).toBeGreaterThan(10);
    expect(sameBothWays(join(ROOT, 'test', 'fixtures', 'wait-hooks')).some((f) => f.rule === 'chart-wait-hook')).toBe(true);
  });

  it('a catalog with broken files, a misnamed component file, _shared and wavegate.yaml', () => {
    const root = writeCatalog({
      'wavegate.yaml': {
        tiers: [
          { name: 'data', waves: [0, 20] },
          { name: 'apps', waves: [21, 99] },
        ],
      },
      [componentPath('_shared', 'db')]: { name: 'db', tier: 'data', wave: 5 },
      [componentPath('dev', 'db')]: 'name: db\ntier: data\nwave: [\n',
      [componentPath('dev', 'app')]: { name: 'app', tier: 'apps', wave: 3, dependencies: ['db', 'nope'] },
      'environments/dev/components/extra/component.yml': { name: 'extra', tier: 'apps', wave: 30 },
      [componentPath('prod', 'app')]: { name: 'app', tier: 'apps', wave: 30, dependencies: ['db'] },
      'environments/prod/components/app/job.yaml':
        'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: test\n',
    });
    const findings = sameBothWays(root);
    expect(findings.map((f) => f.rule)).toEqual(
      expect.arrayContaining(['yaml', 'component-file', 'unknown-dependency', 'helm-test-hook-ignored']),
    );
  });
});

describe('health.overrides checks load and run from memory as from disk', () => {
  it('the example with overrides that pass, fail their tests, break the sandbox or have a bad check.yaml: same findings, same shipped files', () => {
    const lib = (ref: string, to: string): Record<string, Buffer> =>
      Object.fromEntries(Object.entries(filesOf(join(ROOT, 'lua', ref))).map(([k, v]) => [`${to}/${k}`, v]));
    const example = filesOf(join(ROOT, 'examples', 'ameide'));
    const ess = 'apiVersion: external-secrets.io/v1\nkind: ClusterSecretStore\nmetadata: {name: a}\nstatus: {phase: B}\n';
    const root = writeCatalog({
      ...example,
      'wavegate.yaml': `${example['wavegate.yaml']!.toString()}health:
  overrides:
    cert-manager.io/Certificate: checks/cert
    clickhouse.altinity.com/ClickHouseInstallation: checks/click
    external-secrets.io/ClusterSecretStore: checks/ess/health.lua
    databases.spotahome.com/RedisFailover: checks/redis
`,
      ...lib('cert-manager.io/Certificate', 'checks/cert'),
      'checks/click/check.yaml': 'template: phase\ndata:\n  kind: X\n',
      'checks/ess/health.lua': 'return { status = "Healthy", message = string.lower(obj.status.phase) }\n',
      'checks/ess/health_test.yaml':
        'tests:\n- healthStatus: {status: Healthy, message: B}\n  inputPath: ../../shared/s.yaml\n- healthStatus: {status: Healthy}\n  inputPath: testdata/none.yaml\n',
      'shared/s.yaml': ess,
      'checks/redis/health.lua': 'return { status = \n',
      'checks/redis/health_test.yaml': 'tests: []\n',
      'checks/redis/testdata/x.bin': Buffer.from([0, 255, 1]),
    });
    const findings = sameBothWays(root);
    const health = findings.filter((f) => (f.rule === 'health-lint' || f.rule === 'health-test') && f.environment === 'dev');
    expect(health.map((f) => [f.rule, f.file, f.line, f.message.split('\n')[0]!.replace(/^health\.overrides \S+: /, '')])).toEqual([
      [
        'health-lint',
        undefined,
        undefined,
        `${join(root, 'checks/click/check.yaml')}:3:3: data.field: missing required field (template phase)`,
      ],
      [
        'health-test',
        'checks/ess/health.lua',
        undefined,
        'test 1 (../../shared/s.yaml) expected Healthy "B", got Unknown "<string>:1: attempt to index a non-table object(nil) with key \'lower\'"',
      ],
      [
        'health-test',
        'checks/ess/health.lua',
        undefined,
        'test 2 (testdata/none.yaml) expected Healthy "", cannot read input testdata/none.yaml: file not found',
      ],
      [
        'health-lint',
        'checks/ess/health.lua',
        1,
        'open-libs: \'string\' is not available without open libs (Argo CD gives argocd-cm checks only package, base and table unless useOpenLibs is set; use require("os") for os.time/os.date)',
      ],
      ['health-lint', 'checks/redis/health.lua', 2, "syntax: <expression> expected near '<eof>'"],
    ]);
    const disk = loadCatalog(root);
    const memory = loadCatalogFromSource(memorySource(filesOf(root)), { root: disk.root });
    const shipped = (c: Catalog): unknown => c.environments.map((e) => renderHealth(c, e));
    expect(shipped(memory)).toEqual(shipped(disk));
  });
});

describe('the rule tester', () => {
  it('fails a case whose findings differ from the expected ones (count, field, message)', () => {
    const { findings } = runRuleOn(waveOrder, { components: [comp('a', 'data', 20), comp('b', 'data', 20, { dependencies: ['a'] })] });
    expectFindings(findings, [{ rule: 'wave-order', component: 'b', related: ['a'], line: 5, message: 'the same wave' }]);
    expect(() => expectFindings(findings, [{ rule: 'tier-band' }])).toThrow();
    expect(() => expectFindings(findings, [])).toThrow();
    expect(() => expectFindings(findings, [{ line: 4 }])).toThrow();
    expect(() => expectFindings(findings, [{ message: 'an earlier wave' }])).toThrow();
    expect(() => expectFindings(findings, [{ message: /^wave 20 is not after/ }])).not.toThrow();
  });

  it('refuses a catalog that does not load cleanly unless the case expects load findings', () => {
    const input = { files: { [componentPath('dev', 'a')]: 'name: a\ntier: data\nwave: [\n' } };
    expect(() => runRuleOn(waveOrder, input)).toThrow(/does not load cleanly/);
    expect(runRuleOn(waveOrder, { ...input, loadFindings: true }).catalog.findings.map((f) => f.rule)).toEqual(['yaml']);
  });

  it('builds the same catalog as catalogOf writes to disk', () => {
    const components = [comp('a', 'data', 20), comp('b', 'apps', 40, { dependencies: ['a'] })];
    const disk = loadCatalog(catalogOf(components, { envs: ['dev', 'prod'] }));
    const memory = memoryCatalog({ components, envs: ['dev', 'prod'] });
    expect(memory.environments.map((e) => e.components.map((c) => [c.file, c.raw]))).toEqual(
      disk.environments.map((e) => e.components.map((c) => [c.file, c.raw])),
    );
  });
});
