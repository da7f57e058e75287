// Rules health-lint, health-test and argocd-cm-conflict: what render refuses (or warns about)
// for the checks it would ship, run by `check` too, so both give the same verdict.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { argocdCmConflict } from '../../src/rules/argocd-cm-conflict.js';
import { healthLint } from '../../src/rules/health-lint.js';
import { healthTest } from '../../src/rules/health-test.js';
import { catalogOf, type FileContent } from '../helpers/catalog.js';
import { runRule } from '../helpers/rules.js';

const BIN = resolve(__dirname, '..', '..', 'bin', 'wavegate.js');
const widget = { name: 'widgets', tier: 'platform', wave: 40, health: ['example.com/Widget'] };
const ready = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, status: { phase: 'READY' } };
const override = (script: string, expected = 'READY', extra: Record<string, FileContent> = {}): string =>
  catalogOf([widget], {
    extra: {
      'wavegate.yaml': { health: { overrides: { 'example.com/Widget': 'checks/widget/health.lua' } } },
      'checks/widget/health.lua': script,
      'checks/widget/health_test.yaml': {
        tests: [{ healthStatus: { status: 'Healthy', message: expected }, inputPath: 'testdata/ready.yaml' }],
      },
      'checks/widget/testdata/ready.yaml': ready,
      ...extra,
    },
  });
const good = 'return { status = "Healthy", message = obj.status.phase }\n';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('health-lint', () => {
  it("valid: an override within the sandbox; library checks (linted by wavegate's own suite)", () => {
    expect(runRule(healthLint, override(good))).toEqual([]);
    expect(runRule(healthLint, catalogOf([{ ...widget, health: ['kafka.strimzi.io/Kafka'] }]))).toEqual([]);
  });
  it("invalid: string.lower without useOpenLibs, at the override's line", () => {
    const root = override('local s = string.lower(obj.status.phase)\nreturn { status = "Healthy", message = s }\n', 'ready');
    const f = runRule(healthLint, root);
    expect(f[0]).toMatchObject({ rule: 'health-lint', severity: 'error', environment: 'dev', file: 'checks/widget/health.lua', line: 1 });
    expect(f[0]!.message).toMatch(/^health\.overrides example\.com\/Widget: /);
  });
});

describe('health-test', () => {
  it('valid: the override passes its cases', () => expect(runRule(healthTest, override(good))).toEqual([]));
  it('invalid: a case that fails, naming the case and what came out', () => {
    const f = runRule(healthTest, override(good, 'ready'));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'health-test', severity: 'error', file: 'checks/widget/health.lua' });
    expect(f[0]!.message).toBe(
      'health.overrides example.com/Widget: test 1 (testdata/ready.yaml) expected Healthy "ready", got Healthy "READY"',
    );
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

describe('argocd-cm-conflict', () => {
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
  it('valid: no argocd-cm in the catalog; one setting keys the patch does not set', () => {
    expect(runRule(argocdCmConflict, catalogOf([{ ...widget, health: ['kafka.strimzi.io/Kafka'] }]))).toEqual([]);
    expect(
      runRule(
        argocdCmConflict,
        catalogOf([{ ...widget, health: ['kafka.strimzi.io/Kafka'] }], {
          extra: { 'argocd/cm.yaml': cm('resource.customizations.health.example.com_Other') },
        }),
      ),
    ).toEqual([]);
  });
  it('invalid: a key the patch replaces, at its line, a warning', () => {
    const f = runRule(
      argocdCmConflict,
      catalogOf([{ ...widget, health: ['kafka.strimzi.io/Kafka'] }], {
        extra: { 'argocd/cm.yaml': cm('resource.customizations.health.kafka.strimzi.io_Kafka') },
      }),
    );
    expect(f.map((x) => [x.rule, x.severity, x.environment, x.file, x.line])).toEqual([
      ['argocd-cm-conflict', 'warning', 'dev', 'argocd/cm.yaml', 6],
    ]);
  });
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
