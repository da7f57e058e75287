// Rules health-lint, health-test and argocd-cm-conflict: what render refuses (or warns about)
// for the checks it would ship, run by `check` too, so both give the same verdict. The rules'
// cases are catalogs in memory (the rule tester): an override's script, check.yaml,
// health_test.yaml and testdata come from the loaded model (catalog.files), never the disk.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { argocdCmConflict } from '../../src/rules/argocd-cm-conflict.js';
import { healthLint } from '../../src/rules/health-lint.js';
import { healthTest } from '../../src/rules/health-test.js';
import { renderHealth } from '../../src/health/render.js';
import { environmentChecks } from '../../src/health/verify.js';
import type { Catalog } from '../../src/catalog/types.js';
import { catalogOf, writeCatalog, type FileContent } from '../helpers/catalog.js';
import { catalogFilesOf, memoryCatalog, ruleTester, type CatalogInput } from './rule-tester.js';

const BIN = resolve(__dirname, '..', '..', 'bin', 'wavegate.js');
const widget = { name: 'widgets', tier: 'platform', wave: 40, health: ['example.com/Widget'] };
const ready = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, status: { phase: 'READY' } };
const good = 'return { status = "Healthy", message = obj.status.phase }\n';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A widget gated on example.com/Widget whose override (a file, with its tests) is `script`: a catalog in memory (the rule tester's input). */
const inMemory = (
  script: string,
  expected = 'READY',
  extra: Record<string, FileContent> = {},
  settings: Record<string, unknown> = {},
): CatalogInput => ({
  components: [widget],
  files: {
    'wavegate.yaml': { ...settings, health: { overrides: { 'example.com/Widget': 'checks/widget/health.lua' } } },
    'checks/widget/health.lua': script,
    'checks/widget/health_test.yaml': {
      tests: [{ healthStatus: { status: 'Healthy', message: expected }, inputPath: 'testdata/ready.yaml' }],
    },
    'checks/widget/testdata/ready.yaml': ready,
    ...extra,
  },
});
/** `inMemory`'s catalog written to a temp folder, for the CLI (`check` and `render` on disk). */
const override = (script: string, expected = 'READY'): string =>
  writeCatalog(catalogFilesOf(inMemory(script, expected)) as Record<string, FileContent>);
/**
 * The override was read, and from the model only: the memory catalog's root is not on disk, and
 * the check ships with its tests (a valid case would pass without reading anything otherwise).
 */
const readFromModel = (_f: unknown, catalog: Catalog): void => {
  expect(existsSync(catalog.root)).toBe(false);
  const checks = environmentChecks(catalog, catalog.environments[0]!, 'override');
  expect(checks).toHaveLength(1);
  expect(checks[0]!.check?.script).toMatch(/return/);
  expect(checks[0]!.tests.map((t) => t.name)).toContain('health_test.yaml');
};
const lower = 'local s = string.lower(obj.status.phase)\nreturn { status = "Healthy", message = s }\n';

/** A library kind's folder (wavegate's own lua/), as files of a catalog folder `to`. */
function libraryFolder(ref: string, to: string): Record<string, FileContent> {
  const dir = resolve(__dirname, '..', '..', 'lua', ref);
  const out: Record<string, FileContent> = {};
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out[`${to}/${r}`] = readFileSync(join(dir, r), 'utf8');
    }
  };
  walk('');
  return out;
}

ruleTester.run(healthLint, {
  valid: [
    { name: 'an override within the sandbox', ...inMemory(good), check: readFromModel },
    { name: "a library check (linted by wavegate's own suite)", components: [{ ...widget, health: ['kafka.strimzi.io/Kafka'] }] },
    {
      name: 'string.lower with useOpenLibs in a check.yaml beside the script',
      ...inMemory(lower, 'ready', { 'checks/widget/check.yaml': 'useOpenLibs: true\n' }),
      check: readFromModel,
    },
    {
      name: "an override folder whose check.yaml names a library template (a copy of wavegate's postgresql.cnpg.io/Cluster)",
      components: [{ ...widget, health: ['postgresql.cnpg.io/Cluster'] }],
      files: {
        'wavegate.yaml': { health: { overrides: { 'postgresql.cnpg.io/Cluster': 'checks/cnpg' } } },
        ...libraryFolder('postgresql.cnpg.io/Cluster', 'checks/cnpg'),
      },
      check: readFromModel,
    },
  ],
  invalid: [
    {
      name: "string.lower without useOpenLibs, at the override's line and column",
      ...inMemory(lower, 'ready'),
      errors: [
        {
          severity: 'error',
          environment: 'dev',
          file: 'checks/widget/health.lua',
          line: 1,
          column: 11,
          related: ['example.com/Widget'],
          message: /^health\.overrides example\.com\/Widget: open-libs: 'string' is not available without open libs/,
        },
      ],
      check: readFromModel,
    },
    {
      name: 'a syntax error, at its line',
      ...inMemory('return { status = \n'),
      errors: [{ file: 'checks/widget/health.lua', line: 2, column: 1, message: "syntax: <expression> expected near '<eof>'" }],
    },
    {
      name: 'an unknown field in check.yaml, naming check.yaml:line:column',
      ...inMemory(good, 'READY', { 'checks/widget/check.yaml': 'useOpenLibs: true\nbogus: 1\n' }),
      errors: [
        { message: /checks\/widget\/check\.yaml:2:1: unknown field "bogus" \(expected template, data, useOpenLibs, description\)$/ },
      ],
    },
    {
      name: 'template data its schema refuses, naming check.yaml:line:column and the field',
      components: [{ ...widget, health: ['postgresql.cnpg.io/Cluster'] }],
      files: {
        'wavegate.yaml': { health: { overrides: { 'postgresql.cnpg.io/Cluster': 'checks/cnpg' } } },
        'checks/cnpg/check.yaml': 'template: phase\ndata:\n  kind: Cluster\n  nosuch: 1\n',
        'checks/cnpg/health_test.yaml': { tests: [] },
      },
      errors: [{ message: /checks\/cnpg\/check\.yaml:3:3: data\.field: missing required field \(template phase\)/ }],
    },
  ],
});

ruleTester.run(healthTest, {
  valid: [
    { name: 'the override passes its cases', ...inMemory(good), check: readFromModel },
    {
      name: "a copy of wavegate's postgresql.cnpg.io/Cluster (a template) passes its own cases",
      components: [{ ...widget, health: ['postgresql.cnpg.io/Cluster'] }],
      files: {
        'wavegate.yaml': { health: { overrides: { 'postgresql.cnpg.io/Cluster': 'checks/cnpg' } } },
        ...libraryFolder('postgresql.cnpg.io/Cluster', 'checks/cnpg'),
      },
      check: readFromModel,
    },
    {
      name: 'testdata reached with .. inside the catalog, and a nested health_test.yaml',
      ...inMemory(good, 'READY', {
        'checks/widget/health_test.yaml': {
          tests: [{ healthStatus: { status: 'Healthy', message: 'SHARED' }, inputPath: '../../shared/w.yaml' }],
        },
        'checks/widget/more/health_test.yaml': {
          tests: [{ healthStatus: { status: 'Healthy', message: 'READY' }, inputPath: '../testdata/ready.yaml' }],
        },
        'shared/w.yaml': { ...ready, status: { phase: 'SHARED' } },
      }),
      check: readFromModel,
    },
  ],
  invalid: [
    {
      name: 'a case that fails, naming the case and what came out',
      ...inMemory(good, 'ready'),
      errors: [
        {
          severity: 'error',
          environment: 'dev',
          file: 'checks/widget/health.lua',
          message: 'health.overrides example.com/Widget: test 1 (testdata/ready.yaml) expected Healthy "ready", got Healthy "READY"',
        },
      ],
      check: readFromModel,
    },
    {
      name: 'a failing case of a health_test.yaml in a subfolder (run as `health test` runs the folder)',
      ...inMemory(good, 'READY', {
        'checks/widget/more/health_test.yaml': {
          tests: [{ healthStatus: { status: 'Healthy', message: 'nope' }, inputPath: '../testdata/ready.yaml' }],
        },
      }),
      errors: [{ message: 'test 1 (../testdata/ready.yaml) expected Healthy "nope", got Healthy "READY"' }],
    },
    {
      name: 'an input that is not there',
      ...inMemory(good, 'READY', {
        'checks/widget/health_test.yaml': {
          tests: [{ healthStatus: { status: 'Healthy', message: 'x' }, inputPath: 'testdata/missing.yaml' }],
        },
      }),
      errors: [{ message: 'test 1 (testdata/missing.yaml) expected Healthy "x", cannot read input testdata/missing.yaml: file not found' }],
    },
    {
      name: 'an input leading out of the catalog with ..',
      ...inMemory(good, 'READY', {
        'checks/widget/health_test.yaml': { tests: [{ healthStatus: { status: 'Healthy' }, inputPath: '../../../etc/passwd' }] },
      }),
      errors: [{ message: 'cannot read input ../../../etc/passwd: it leads outside its folder (through a symlink or ..)' }],
    },
    {
      name: 'testdata larger than limits.maxFileBytes: refused unread, and not copied into the render',
      ...inMemory(good, 'READY', { 'checks/widget/testdata/big.yaml': `x: "${'a'.repeat(2000)}"\n` }, { limits: { maxFileBytes: 1024 } }),
      errors: [
        {
          file: 'checks/widget/testdata/big.yaml',
          message:
            'health.overrides example.com/Widget: testdata/big.yaml: larger than 1 KiB (limits.maxFileBytes in wavegate.yaml); not copied into the render',
        },
      ],
    },
    {
      name: 'a health_test.yaml that is not YAML',
      ...inMemory(good, 'READY', { 'checks/widget/health_test.yaml': 'tests: [\n' }),
      errors: [{ message: /test 0 \(\) expected {2}"", cannot read .*checks\/widget\/health_test\.yaml: not valid YAML/ }],
    },
  ],
});

describe('render ships what the model holds', () => {
  it("an override's script, tests and testdata (bytes as they are) from a catalog in memory", () => {
    const blob = Buffer.from([0, 1, 2, 255, 10]);
    const catalog = memoryCatalog(
      inMemory(good, 'READY', { 'checks/widget/testdata/blob.bin': blob, 'checks/widget/check.yaml': 'useOpenLibs: true\n' }),
    );
    const r = renderHealth(catalog, catalog.environments[0]!);
    const files = new Map(r.testFiles!.map((f) => [f.path, f.content]));
    expect([...files.keys()].filter((p) => p.includes('example.com'))).toEqual([
      'health/example.com/Widget/health.lua',
      'health/example.com/Widget/check.yaml',
      'health/example.com/Widget/health_test.yaml',
      'health/example.com/Widget/testdata/blob.bin',
      'health/example.com/Widget/testdata/ready.yaml',
    ]);
    expect(files.get('health/example.com/Widget/health.lua')).toBe(good);
    expect(Buffer.from(files.get('health/example.com/Widget/testdata/blob.bin') as Uint8Array)).toEqual(blob);
    expect(existsSync(catalog.root)).toBe(false);
  });
});

describe('health-lint and health-test severities are fixed', () => {
  it('rules: {health-test: off} in wavegate.yaml is refused with its line', () => {
    const root = catalogOf([widget], { extra: { 'wavegate.yaml': 'rules:\n  health-test: off\n' } });
    const r = spawnSync(process.execPath, [BIN, 'check', root], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('wavegate.yaml:2:3: rules.health-test');
  });
});

const cm = (key: string): string =>
  [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: argocd-cm',
    'data:',
    `  ${key}: |`,
    '    return { status = "Healthy" }',
    '',
  ].join('\n');
const kafka = { ...widget, health: ['kafka.strimzi.io/Kafka'] };

ruleTester.run(argocdCmConflict, {
  valid: [
    { name: 'no argocd-cm in the catalog', components: [kafka] },
    {
      name: 'an argocd-cm setting a key the patch does not set',
      components: [kafka],
      files: { 'argocd/cm.yaml': cm('resource.customizations.health.example.com_Other') },
    },
  ],
  invalid: [
    {
      name: 'a key the patch replaces, at its line, a warning',
      components: [kafka],
      files: { 'argocd/cm.yaml': cm('resource.customizations.health.kafka.strimzi.io_Kafka') },
      errors: [
        {
          severity: 'warning',
          environment: 'dev',
          file: 'argocd/cm.yaml',
          line: 6,
          message: 'argocd-cm already sets resource.customizations.health.kafka.strimzi.io_Kafka',
        },
      ],
    },
    {
      name: "the legacy resource.customizations block's health.lua for a kind the patch ships",
      components: [kafka],
      files: {
        'argocd/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  resource.customizations: |\n    kafka.strimzi.io/Kafka:\n      health.lua: |\n        return {}\n',
      },
      errors: [{ file: 'argocd/cm.yaml', line: 6, message: 'resource.customizations block has a health.lua for kafka.strimzi.io/Kafka' }],
    },
  ],
});

describe('check gives the verdict render gives (same exit code, same findings)', () => {
  const cli = (args: string[]): { code: number | null; findings: { rule: string; severity: string }[] } => {
    const r = spawnSync(process.execPath, [BIN, ...args, '--format', 'json'], { encoding: 'utf8' });
    return { code: r.status, findings: (JSON.parse(r.stdout) as { findings: { rule: string; severity: string }[] }).findings };
  };
  const smoke = [
    { name: 'store', tier: 'foundation', wave: 1 },
    {
      name: 'store-smoke',
      tier: 'foundation',
      wave: 2,
      componentType: 'smoke',
      dependencies: ['store'],
      smoke: { validates: ['store'], secrets: [{ name: 'db', namespace: 'app' }] },
    },
  ];
  const cases: [string, string][] = [
    ['rules: {smoke-image: error}', catalogOf(smoke, { extra: { 'wavegate.yaml': 'rules:\n  smoke-image: error\n' } })],
    ['an override whose own test fails', override(good, 'ready')],
    ['an override outside the sandbox', override('return { status = "Healthy", message = string.lower(obj.status.phase) }\n', 'ready')],
    ['a clean catalog', override(good)],
  ];
  for (const [name, root] of cases) {
    it(name, () => {
      const out = mkdtempSync(join(tmpdir(), 'wavegate-verdict-'));
      dirs.push(out);
      const check = cli(['check', root]);
      const render = cli(['render', root, '--out', out]);
      expect(check.code).toBe(render.code);
      expect(check.findings).toEqual(render.findings);
      expect(check.code).toBe(name === 'a clean catalog' ? 0 : 1);
    });
  }
});
