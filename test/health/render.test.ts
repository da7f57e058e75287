import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, parseDocument, isMap, isScalar, Scalar } from 'yaml';
import { loadCatalog } from '../../src/catalog/load.js';
import { defaultSettings } from '../../src/catalog/settings.js';
import { checkCatalog } from '../../src/check.js';
import { renderCatalog } from '../../src/render/index.js';
import { patchYaml, valuesYaml } from '../../src/health/render.js';
import { argocdCmData, type ShippedCheck } from '../../src/health/verify.js';
import type { Catalog, Environment } from '../../src/catalog/types.js';
import { evaluateHealth } from '../../src/lua/runtime.js';
import { catalogOf, writeCatalog } from '../helpers/catalog.js';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'wavegate.js');
const EXAMPLE = join(ROOT, 'examples', 'ameide');
const KUBECTL = join(ROOT, '.tools', 'bin', 'kubectl');

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wavegate-render-'));
  tmp.push(d);
  return d;
}

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under dir: relative path -> bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** Argo CD's split-key grammar: the part after the prefix is <group>_<Kind> (exactly two parts) or a core <Kind>. */
const HEALTH_KEY = /^resource\.customizations\.health\.(.+)$/;
const OPEN_LIBS_KEY = /^resource\.customizations\.useOpenLibs\.(.+)$/;
function suffixOk(suffix: string): boolean {
  const parts = suffix.split('_');
  if (parts.length === 1) return /^[A-Z][A-Za-z0-9]*$/.test(parts[0]!);
  return (
    parts.length === 2 &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(parts[0]!) &&
    /^[A-Z][A-Za-z0-9]*$/.test(parts[1]!)
  );
}

/** Checks every key/value of a rendered data map against Argo CD's argocd-cm grammar; returns the health kinds. */
function checkArgoKeys(text: string, path: string[]): string[] {
  const doc = parseDocument(text);
  expect(doc.errors).toEqual([]);
  const data = doc.getIn(path, true);
  expect(isMap(data)).toBe(true);
  const kinds: string[] = [];
  for (const pair of (data as { items: { key: unknown; value: unknown }[] }).items) {
    const key = String((pair.key as Scalar).value);
    const value = pair.value as Scalar;
    expect(isScalar(value), key).toBe(true);
    const h = HEALTH_KEY.exec(key);
    const o = OPEN_LIBS_KEY.exec(key);
    expect(h !== null || o !== null, `unexpected key ${key}`).toBe(true);
    const suffix = (h ?? o)![1]!;
    expect(suffixOk(suffix), `key ${key}: needs exactly two parts around "_" (or a core Kind)`).toBe(true);
    if (h) {
      expect(typeof value.value, key).toBe('string');
      expect(value.type, `${key} is a literal block`).toBe(Scalar.BLOCK_LITERAL);
      kinds.push(suffix);
    } else {
      // a quoted "true": a YAML boolean true is not a string and Argo CD would not read it
      expect(value.value, key).toBe('true');
      expect(value.type, key).toBe(Scalar.QUOTE_DOUBLE);
    }
  }
  const keys = (data as { items: { key: Scalar }[] }).items.map((p) => String(p.key.value));
  expect(keys).toEqual([...keys].sort());
  return kinds;
}

/** The environment folders of a render output (OUT/.tests, the test tree, is not one). */
const envFolders = (out: string): string[] => readdirSync(out).filter((n) => !n.startsWith('.'));

describe('wavegate render on examples/ameide', () => {
  const out = tempDir();
  const first = run(['render', EXAMPLE, '--out', out]);

  it('renders every environment and prints a summary', () => {
    expect(first.stderr).toBe('');
    expect(first.code, first.stderr).toBe(0);
    const catalog = loadCatalog(EXAMPLE);
    for (const env of catalog.environments) {
      expect(first.stdout).toMatch(
        new RegExp(
          `^${env.name}: \\d+ files in \\S*/${env.name}, \\d+ test files in \\S*/\\.tests/${env.name} \\(health: \\d+ checks in argocd-cm\\.patch\\.yaml, \\d+ kinds? left to Argo CD[;)]`,
          'm',
        ),
      );
      for (const f of ['argocd-cm.patch.yaml', 'argocd-values.yaml']) expect(existsSync(join(out, env.name, f)), f).toBe(true);
      // what is applied and what is only tested are apart (issue 15): no health/ in OUT/<env>
      expect(existsSync(join(out, env.name, 'health')), env.name).toBe(false);
      expect(existsSync(join(out, '.tests', env.name, 'health')), env.name).toBe(true);
    }
  });

  it('writes a patch whose every key and value follows Argo CD key grammar (evidence)', () => {
    for (const env of envFolders(out)) {
      const patch = readFileSync(join(out, env, 'argocd-cm.patch.yaml'), 'utf8');
      const obj = parse(patch) as {
        apiVersion: string;
        kind: string;
        metadata: { name: string; namespace: string };
        data: Record<string, string>;
      };
      expect(obj).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm' } });
      expect(obj.metadata.namespace).toBeUndefined();
      const kinds = checkArgoKeys(patch, ['data']);
      expect(kinds.length).toBeGreaterThan(10);
      const values = readFileSync(join(out, env, 'argocd-values.yaml'), 'utf8');
      checkArgoKeys(values, ['configs', 'cm']);
      expect((parse(values) as { configs: { cm: unknown } }).configs.cm).toEqual(obj.data);
      expect((parse(values) as { configs: { params: unknown } }).configs.params).toEqual({
        'applicationsetcontroller.enable.progressive.syncs': 'true',
      });
    }
  });

  it('gates every kind the catalog waits on: each is shipped, left to Argo CD on purpose, or computed by Argo CD', () => {
    const catalog = loadCatalog(EXAMPLE);
    for (const env of catalog.environments) {
      const data = (parse(readFileSync(join(out, env.name, 'argocd-cm.patch.yaml'), 'utf8')) as { data: Record<string, string> }).data;
      const gated = new Set(env.components.flatMap((c) => c.health));
      for (const ref of ['temporal.io/TemporalCluster', 'databases.spotahome.com/RedisFailover', 'k8s.keycloak.org/KeycloakRealmImport']) {
        if (gated.has(ref)) expect(Object.keys(data)).toContain(`resource.customizations.health.${ref.replace('/', '_')}`);
      }
    }
    expect(checkCatalog(catalog).filter((f) => f.rule === 'health-coverage')).toEqual([]);
  });

  it('every shipped script is the one in health/ and is exercised by a passing test in the sandbox it gets', () => {
    for (const env of envFolders(out)) {
      const data = (parse(readFileSync(join(out, env, 'argocd-cm.patch.yaml'), 'utf8')) as { data: Record<string, string> }).data;
      for (const [key, script] of Object.entries(data)) {
        const m = /^resource\.customizations\.health\.(.+)$/.exec(key);
        if (!m) continue;
        const [group, kind] = m[1]!.includes('_') ? m[1]!.split('_') : ['', m[1]!];
        const dir = join(out, '.tests', env, 'health', ...(group ? [group, kind!] : [kind!]));
        expect(readFileSync(join(dir, 'health.lua'), 'utf8'), key).toBe(script);
        const openLibs = data[`resource.customizations.useOpenLibs.${m[1]}`] === 'true';
        const suite = parse(readFileSync(join(dir, 'health_test.yaml'), 'utf8')) as {
          tests: { healthStatus: { status: string; message?: string }; inputPath: string }[];
        };
        expect(suite.tests.length, key).toBeGreaterThan(0);
        const seen = new Set<string>();
        for (const t of suite.tests) {
          const obj = parse(readFileSync(join(dir, t.inputPath), 'utf8')) as Record<string, unknown>;
          const api = String(obj.apiVersion);
          expect(`${api.includes('/') ? api.split('/')[0] : ''}_${obj.kind}`, t.inputPath).toBe(group ? `${group}_${kind}` : `_${kind}`);
          const r = evaluateHealth(script, obj, { openLibs });
          expect({ key, input: t.inputPath, status: r.status, message: r.message }).toEqual({
            key,
            input: t.inputPath,
            status: t.healthStatus.status,
            message: t.healthStatus.message ?? '',
          });
          seen.add(r.status);
        }
        expect(seen.size, `${key}: tests cover more than one outcome`).toBeGreaterThan(1);
      }
    }
  });

  // Argo CD's own argocd-cm and argocd-cmd-params-cm, verbatim from manifests/install.yaml of v3.5.1
  // (test/fixtures/argo-cd-install/configmaps.yaml): no metadata.namespace, default data keys.
  const INSTALL = join(ROOT, 'test', 'fixtures', 'argo-cd-install', 'configmaps.yaml');
  const installDocs = (): { metadata: { name: string }; data?: Record<string, string> }[] =>
    parseAllDocuments(readFileSync(INSTALL, 'utf8')).map((d) => d.toJS() as { metadata: { name: string }; data?: Record<string, string> });

  it("applies with the real kubectl kustomize onto Argo CD's own install manifests, keeping their default keys", () => {
    if (!existsSync(KUBECTL)) throw new Error(`real kubectl not found at ${KUBECTL}: run node scripts/install-tools.mjs`);
    const work = tempDir();
    writeFileSync(join(work, 'install.yaml'), readFileSync(INSTALL));
    for (const f of ['argocd-cm.patch.yaml', 'argocd-cmd-params-cm.patch.yaml'])
      writeFileSync(join(work, f), readFileSync(join(out, 'dev', f)));
    // docs/health-checks.md's kustomization for Argo CD's own install
    writeFileSync(
      join(work, 'kustomization.yaml'),
      'namespace: argocd\nresources:\n  - install.yaml\npatches:\n  - path: argocd-cm.patch.yaml\n  - path: argocd-cmd-params-cm.patch.yaml\n',
    );
    const kz = spawnSync(KUBECTL, ['kustomize', work], { encoding: 'utf8' });
    expect(kz.stderr).toBe('');
    expect(kz.status).toBe(0);
    const outDocs = parseAllDocuments(kz.stdout).map(
      (d) => d.toJS() as { metadata: { name: string; namespace?: string }; data: Record<string, string> },
    );
    const byName = (docs: { metadata: { name: string } }[], n: string) =>
      docs.find((d) => d.metadata.name === n) as unknown as { metadata: { namespace?: string }; data: Record<string, string> };
    const base = installDocs();
    const patch = (parse(readFileSync(join(out, 'dev', 'argocd-cm.patch.yaml'), 'utf8')) as { data: Record<string, string> }).data;
    const cm = byName(outDocs, 'argocd-cm');
    expect(cm.metadata.namespace).toBe('argocd');
    // Argo's default keys survive: resource.exclusions and resource.customizations.ignoreResourceUpdates.*
    expect(Object.keys(byName(base, 'argocd-cm').data)).toEqual(
      expect.arrayContaining(['resource.exclusions', 'resource.customizations.ignoreResourceUpdates.all']),
    );
    expect(cm.data).toEqual({ ...byName(base, 'argocd-cm').data, ...patch });
    expect(byName(outDocs, 'argocd-cmd-params-cm').data).toEqual({ 'applicationsetcontroller.enable.progressive.syncs': 'true' });
    const kp = spawnSync(
      KUBECTL,
      ['patch', '-f', join(work, 'install.yaml'), '--local', '--patch-file', join(work, 'argocd-cm.patch.yaml'), '-o', 'json'],
      { encoding: 'utf8' },
    );
    expect(kp.status, kp.stderr).toBe(0);
  });

  it('writes argocd.namespace into both patches when set, and the timeout from rollout.syncTimeoutSeconds; the Helm values carry the same params', () => {
    if (!existsSync(KUBECTL)) throw new Error(`real kubectl not found at ${KUBECTL}: run node scripts/install-tools.mjs`);
    const root = catalogOf([{ name: 'a', tier: 'foundation', wave: 1, health: ['cert-manager.io/Certificate'] }], {
      extra: { 'wavegate.yaml': 'argocd:\n  namespace: openshift-gitops\nrollout:\n  syncTimeoutSeconds: 900\n' },
    });
    const o = tempDir();
    const r = run(['render', root, '--out', o]);
    expect(r.code, r.stderr).toBe(0);
    const params = parse(readFileSync(join(o, 'dev', 'argocd-cmd-params-cm.patch.yaml'), 'utf8')) as {
      metadata: { namespace: string };
      data: Record<string, string>;
    };
    expect(params.metadata.namespace).toBe('openshift-gitops');
    expect(params.data).toEqual({ 'applicationsetcontroller.enable.progressive.syncs': 'true', 'controller.sync.timeout.seconds': '900' });
    expect(
      (parse(readFileSync(join(o, 'dev', 'argocd-cm.patch.yaml'), 'utf8')) as { metadata: { namespace: string } }).metadata.namespace,
    ).toBe('openshift-gitops');
    expect((parse(readFileSync(join(o, 'dev', 'argocd-values.yaml'), 'utf8')) as { configs: { params: unknown } }).configs.params).toEqual(
      params.data,
    );
    // an install elsewhere: the live ConfigMaps carry the namespace, so does the patch (docs/health-checks.md's second kustomization)
    const work = tempDir();
    const live = readFileSync(INSTALL, 'utf8').replace(
      /^ {2}name: (argocd-cm|argocd-cmd-params-cm)$/gm,
      '  name: $1\n  namespace: openshift-gitops',
    );
    writeFileSync(join(work, 'live.yaml'), live);
    for (const f of ['argocd-cm.patch.yaml', 'argocd-cmd-params-cm.patch.yaml'])
      writeFileSync(join(work, f), readFileSync(join(o, 'dev', f)));
    writeFileSync(
      join(work, 'kustomization.yaml'),
      'resources:\n  - live.yaml\npatches:\n  - path: argocd-cm.patch.yaml\n  - path: argocd-cmd-params-cm.patch.yaml\n',
    );
    const kz = spawnSync(KUBECTL, ['kustomize', work], { encoding: 'utf8' });
    expect(kz.stderr).toBe('');
    const docs = parseAllDocuments(kz.stdout).map((d) => d.toJS() as { metadata: { name: string }; data: Record<string, string> });
    expect(docs.find((d) => d.metadata.name === 'argocd-cmd-params-cm')!.data['controller.sync.timeout.seconds']).toBe('900');
    expect(Object.keys(docs.find((d) => d.metadata.name === 'argocd-cm')!.data)).toContain(
      'resource.customizations.health.cert-manager.io_Certificate',
    );
  });

  it("reports a key of the catalog's own argocd-cm that the patch replaces (split key or legacy block), at its line", () => {
    const userCm = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: argocd-cm',
      'data:',
      '  resource.exclusions: "[]"',
      '  resource.customizations.health.cert-manager.io_Certificate: |',
      '    return { status = "Healthy" }',
      '  resource.customizations: |',
      '    kafka.strimzi.io/Kafka:',
      '      health.lua: |',
      '        return { status = "Healthy" }',
      '',
    ].join('\n');
    const root = catalogOf(
      [{ name: 'a', tier: 'foundation', wave: 1, health: ['cert-manager.io/Certificate', 'kafka.strimzi.io/Kafka'] }],
      {
        extra: { 'argocd/argocd-cm.yaml': userCm },
      },
    );
    const o = tempDir();
    const r = run(['render', root, '--out', o, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const findings = (
      JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number; message: string }[] }
    ).findings.filter((f) => f.rule === 'argocd-cm-conflict');
    expect(findings.map((f) => [f.file, f.line])).toEqual([
      ['argocd/argocd-cm.yaml', 7],
      ['argocd/argocd-cm.yaml', 9],
    ]);
    expect(findings[0]!.message).toMatch(
      /already sets resource\.customizations\.health\.cert-manager\.io_Certificate; argocd-cm\.patch\.yaml replaces it/,
    );
    expect(findings[1]!.message).toMatch(/health\.lua for kafka\.strimzi\.io\/Kafka/);
  });

  it('wavegate health test on the test tree of each environment passes (README: re-run the tests of exactly what ships)', () => {
    for (const env of envFolders(out)) {
      const r = run(['health', 'test', join(out, '.tests', env, 'health')]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^[1-9]\d* passed, 0 failed$/m);
    }
  });

  it('health eval with the rendered patch evaluates a live object with what would be deployed', () => {
    const r = run([
      'health',
      'eval',
      join(ROOT, 'lua', 'kafka.strimzi.io', 'Kafka', 'testdata', 'progressing_staleGeneration.yaml'),
      '--argocd-cm',
      join(out, 'dev', 'argocd-cm.patch.yaml'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      'STATUS: Progressing\nMESSAGE: Waiting for the controller to observe generation 4 (status is for generation 3)\n',
    );
  });

  it('is byte-identical on re-run', () => {
    const before = snapshot(out);
    const again = run(['render', EXAMPLE, '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    const after = snapshot(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [k, v] of before) expect(after.get(k)!.equals(v), k).toBe(true);
  });

  it('--env renders only that environment and leaves the others in place', () => {
    const before = snapshot(join(out, 'prod'));
    const beforeTests = snapshot(join(out, '.tests', 'prod'));
    const r = run(['render', EXAMPLE, '--out', out, '--env', 'dev', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      written: boolean;
      environments: { name: string; dir: string; files: string[]; testDir: string; testFiles: string[] }[];
    };
    expect(j.written).toBe(true);
    expect(j.environments.map((e) => e.name)).toEqual(['dev']);
    expect(j.environments[0]!.files).toContain('argocd-cm.patch.yaml');
    expect(j.environments[0]!.files.filter((f) => f.startsWith('health/'))).toEqual([]);
    // --format json names the test folder and its files (relative to the working folder, as dir)
    expect(j.environments[0]!.testDir).toBe(relative(process.cwd(), join(out, '.tests', 'dev')));
    expect(j.environments[0]!.testFiles).toContain('health/external-secrets.io/ExternalSecret/health_test.yaml');
    expect(j.environments[0]!.testFiles.every((f) => f.startsWith('health/'))).toBe(true);
    const after = snapshot(join(out, 'prod'));
    expect([...after.keys()]).toEqual([...before.keys()]);
    expect([...snapshot(join(out, '.tests', 'prod')).keys()]).toEqual([...beforeTests.keys()]);
    const bad = run(['render', EXAMPLE, '--out', out, '--env', 'nope']);
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toMatch(/environment "nope"/);
  });
  it('says which folders of a gone environment it removed (both trees) and which it left alone', () => {
    for (const d of ['qa', '.tests/qa']) {
      mkdirSync(join(out, d), { recursive: true });
      writeFileSync(join(out, d, '.wavegate-render'), 'x');
    }
    mkdirSync(join(out, '.tests', 'notes'), { recursive: true });
    const r = run(['render', EXAMPLE, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => /^(removed|left) /.test(l));
    expect(lines).toEqual([
      `removed ${join(out, 'qa')}: environment qa is gone from the catalog`,
      `removed ${join(out, '.tests', 'qa')}: environment qa is gone from the catalog`,
      `left ${join(out, '.tests', 'notes')} alone: no environment notes in the catalog, and wavegate did not write it`,
    ]);
    rmSync(join(out, '.tests', 'notes'), { recursive: true });
  });
});

const widget = {
  name: 'widgets',
  tier: 'platform',
  wave: 40,
  health: ['example.com/Widget', 'cert-manager.io/Certificate', 'apps/Deployment'],
};

describe('health coverage and settings', () => {
  it('a gated kind with no check is a health-coverage error at its line, and render writes nothing', async () => {
    const root = catalogOf([widget]);
    const catalog = loadCatalog(root);
    const findings = checkCatalog(catalog).filter((f) => f.rule === 'health-coverage');
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        environment: 'dev',
        component: 'widgets',
        related: ['example.com/Widget'],
        file: 'environments/dev/components/widgets/component.yaml',
        line: expect.any(Number),
        message: expect.stringMatching(/example\.com\/Widget has no health check .* would not wait/),
      }),
    ]);
    const out = tempDir();
    writeFileSync(join(out, 'keep.txt'), 'previous');
    const report = await renderCatalog(catalog, { out });
    expect(report.written).toBe(false);
    expect(readdirSync(out)).toEqual(['keep.txt']);
  });

  it('a failed render leaves the previous output untouched (CLI exit 1, findings printed)', () => {
    const out = tempDir();
    const good = catalogOf([{ ...widget, health: ['cert-manager.io/Certificate'] }]);
    expect(run(['render', good, '--out', out]).code).toBe(0);
    const before = snapshot(out);
    const bad = catalogOf([widget]);
    const r = run(['render', bad, '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/health-coverage/);
    expect(r.stdout).toMatch(/nothing written/);
    const after = snapshot(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [k, v] of before) expect(after.get(k)!.equals(v), k).toBe(true);
  });

  it('recovers from a render killed mid-swap: the moved-aside output comes back, leftovers are removed', async () => {
    const out = tempDir();
    const root = catalogOf([{ ...widget, health: ['cert-manager.io/Certificate'] }]);
    // state after a crash between "old folder renamed aside" and "new folder renamed in"
    mkdirSync(join(out, 'dev.wavegate-old-1-1'), { recursive: true });
    writeFileSync(join(out, 'dev.wavegate-old-1-1', 'argocd-cm.patch.yaml'), 'previous');
    writeFileSync(join(out, 'dev.wavegate-old-1-1', '.wavegate-render'), 'previous render');
    mkdirSync(join(out, 'dev.wavegate-new-1-1'), { recursive: true });
    writeFileSync(join(out, 'dev.wavegate-new-1-1', 'half'), 'x');
    const report = await renderCatalog(loadCatalog(root), { out });
    expect(report.written).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['.tests', 'dev']);
    expect(readdirSync(join(out, '.tests'))).toEqual(['dev']);
    expect(readFileSync(join(out, 'dev', 'argocd-cm.patch.yaml'), 'utf8')).toMatch(/cert-manager\.io_Certificate/);
  });

  it('health.overrides ships a team script with its tests and useOpenLibs; health.builtin leaves a kind to Argo CD', async () => {
    const script =
      'local s = string.lower(obj.status and obj.status.phase or "")\nif s == "ready" then\n  return { status = "Healthy", message = "ready" }\nend\nreturn { status = "Progressing", message = "waiting" }\n';
    const root = catalogOf([widget], {
      extra: {
        'wavegate.yaml': { health: { overrides: { 'example.com/Widget': 'checks/widget' }, builtin: ['cert-manager.io/Certificate'] } },
        'checks/widget/health.lua': script,
        'checks/widget/check.yaml': 'useOpenLibs: true\n',
        'checks/widget/health_test.yaml': {
          tests: [{ healthStatus: { status: 'Healthy', message: 'ready' }, inputPath: 'testdata/ready.yaml' }],
        },
        'checks/widget/testdata/ready.yaml': {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
          status: { phase: 'READY' },
        },
      },
    });
    const catalog = loadCatalog(root);
    expect(checkCatalog(catalog).filter((f) => f.rule === 'health-coverage')).toEqual([]);
    const out = tempDir();
    const report = await renderCatalog(catalog, { out });
    expect(report.written).toBe(true);
    const patch = readFileSync(join(out, 'dev', 'argocd-cm.patch.yaml'), 'utf8');
    const data = (parse(patch) as { data: Record<string, string> }).data;
    expect(Object.keys(data)).toEqual([
      'resource.customizations.health.example.com_Widget',
      'resource.customizations.useOpenLibs.example.com_Widget',
    ]);
    expect(data['resource.customizations.health.example.com_Widget']).toBe(script);
    expect(patch).toContain('resource.customizations.useOpenLibs.example.com_Widget: "true"');
    checkArgoKeys(patch, ['data']);
    const shipped = join(out, '.tests', 'dev', 'health', 'example.com', 'Widget');
    expect(readFileSync(join(shipped, 'check.yaml'), 'utf8')).toBe('useOpenLibs: true\n');
    expect(existsSync(join(shipped, 'testdata', 'ready.yaml'))).toBe(true);
    expect(report.environments[0]!.summary).toContain('health: 1 check in argocd-cm.patch.yaml (1 override), 2 kinds left to Argo CD');
    // the shipped folder re-runs as shipped: the kind gets the libraries its patch gives it
    const rerun = run(['health', 'test', join(out, '.tests', 'dev', 'health')]);
    expect(rerun.stdout).toMatch(/^1 passed, 0 failed$/m);
    expect(rerun.code, rerun.stderr).toBe(0);
    rmSync(join(shipped, 'check.yaml'));
    const without = run(['health', 'test', join(out, '.tests', 'dev', 'health')]);
    expect(without.stdout).toMatch(/^0 passed, 1 failed$/m);
  });

  it('refuses to ship an override that breaks the sandbox rules or fails its own tests', async () => {
    const root = catalogOf([{ ...widget, health: ['example.com/Widget'] }], {
      extra: {
        'wavegate.yaml': { health: { overrides: { 'example.com/Widget': 'checks/widget/health.lua' } } },
        // string.lower needs useOpenLibs, which this override does not declare
        'checks/widget/health.lua': 'local s = string.lower(obj.status.phase)\nreturn { status = "Healthy", message = s }\n',
        'checks/widget/health_test.yaml': {
          tests: [{ healthStatus: { status: 'Healthy', message: 'ready' }, inputPath: 'testdata/ready.yaml' }],
        },
        'checks/widget/testdata/ready.yaml': {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
          status: { phase: 'READY' },
        },
      },
    });
    const out = tempDir();
    const report = await renderCatalog(loadCatalog(root), { out });
    expect(report.written).toBe(false);
    expect(readdirSync(out)).toEqual([]);
    const lint = report.findings.filter((f) => f.rule === 'health-lint');
    expect(lint.length).toBeGreaterThan(0);
    expect(lint[0]).toMatchObject({ severity: 'error', environment: 'dev', file: 'checks/widget/health.lua', line: 1 });
    expect(lint[0]!.message).toMatch(/^health\.overrides example\.com\/Widget: /);
    const failed = report.findings.filter((f) => f.rule === 'health-test');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toMatch(
      /test 1 \(testdata\/ready\.yaml\) expected Healthy "ready", got Unknown ".*index a nil value|got Unknown/,
    );
  });

  it('reports an override path that does not exist, an untested override and an unknown built-in, with wavegate.yaml lines', () => {
    const root = catalogOf([widget], {
      extra: {
        'wavegate.yaml':
          'health:\n  builtin:\n    - example.org/Gadget\n  overrides:\n    example.com/Widget: checks/missing.lua\n    cert-manager.io/Certificate: checks/cert.lua\n',
        'checks/cert.lua': 'return { status = "Healthy" }\n',
      },
    });
    const findings = checkCatalog(loadCatalog(root)).filter((f) => f.rule === 'health-coverage');
    const brief = findings.map((f) => [f.severity, f.file, f.line, f.message.split(':').slice(0, 2).join(':')]);
    expect(brief).toEqual([
      ['warning', 'wavegate.yaml', 3, 'health.builtin: example.org/Gadget'],
      ['error', 'wavegate.yaml', 5, 'health.overrides: example.com/Widget'],
      ['warning', 'wavegate.yaml', 6, 'health.overrides: cert-manager.io/Certificate'],
    ]);
    expect(findings[0]!.message).toContain(
      'no Argo CD release from v2.8 to v3.5 has a built-in check for it, so Argo CD treats it as Healthy at once',
    );
    expect(findings[1]!.message).toMatch(/checks\/missing\.lua does not exist/);
    expect(findings[2]!.message).toMatch(/no health_test\.yaml beside checks\/cert\.lua/);
  });

  it('the health: section is validated by the schema', () => {
    const root = writeCatalog({
      'wavegate.yaml': 'health:\n  builtin: [not a kind]\n',
      'environments/dev/components/a/component.yaml': { name: 'a', tier: 'apps', wave: 40 },
    });
    const r = run(['check', root]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/wavegate\.yaml:2:\d+: .*builtin/);
  });

  it("refuses an --out that would replace the catalog's own folders", () => {
    // a catalog in a folder named like its environment: <parent>/dev, rendered to <parent>
    const parent = tempDir();
    const root = join(parent, 'dev');
    mkdirSync(join(root, 'environments', 'dev', 'components', 'widgets'), { recursive: true });
    writeFileSync(
      join(root, 'environments', 'dev', 'components', 'widgets', 'component.yaml'),
      'name: widgets\ntier: platform\nwave: 40\n',
    );
    for (const out of [parent, join(root, 'environments'), join(root, 'environments', 'dev', 'out')]) {
      const r = run(['render', root, '--out', out]);
      expect(r.code, `${out}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/would replace folders of the catalog/);
    }
    expect(readdirSync(parent)).toEqual(['dev']);
    expect(existsSync(join(root, 'environments', 'dev', 'components', 'widgets', 'component.yaml'))).toBe(true);
    expect(run(['render', root, '--out', join(root, 'out')]).code).toBe(0);
  });

  it('render needs --out', () => {
    const r = run(['render', EXAMPLE]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--out/);
  });
});

describe('patch YAML', () => {
  it('carries any script byte for byte (indented first line, trailing spaces, tabs, no final newline, blank lines, unicode, control characters)', () => {
    const scripts = [
      '  -- indented\nreturn {}\n',
      'x = 1   \nreturn {}\n',
      'a\tb\nreturn {}',
      'return {}',
      'x\n\n\nreturn {}\n\n\n',
      'm = "é ✓"\nreturn {}\n',
      'm = "\u0001"\nreturn {}\n',
    ];
    const checks: ShippedCheck[] = scripts.map((script, i) => ({
      script,
      openLibs: i === 0,
      ref: `k${i}.example.com/K`,
      group: `k${i}.example.com`,
      kind: 'K',
      source: 'override',
      dir: '/x',
    }));
    const data = argocdCmData(checks);
    const catalog = { root: '/tmp/cat', settings: defaultSettings() } as Catalog;
    const env = { name: 'dev' } as Environment;
    const patch = parse(patchYaml(catalog, env, data)) as { data: Record<string, string> };
    const values = parse(valuesYaml(catalog, env, data)) as { configs: { cm: Record<string, string> } };
    scripts.forEach((script, i) => {
      expect(patch.data[`resource.customizations.health.k${i}.example.com_K`]).toBe(script);
      expect(values.configs.cm[`resource.customizations.health.k${i}.example.com_K`]).toBe(script);
    });
    expect(patch.data['resource.customizations.useOpenLibs.k0.example.com_K']).toBe('true');
    expect(Object.keys(patch.data)).toEqual(Object.keys(patch.data).sort());
  });
});
