/**
 * Issue 13 item 11: smoke RBAC. Before the fix:
 * - `clusterScoped: true` on a namespaced kind (v1 Secret) rendered a ClusterRole granting
 *   `get` on that Secret name in every namespace;
 * - a Secret key named `-` (a valid key: [-._a-zA-Z0-9]+) was written to the checks file as
 *   `-`, which check.sh reads as "no keys", so the key was never checked;
 * - `apiVersion: "-/v1"` passed `check` and made the script exit 2 in the cluster.
 * apiVersion grammar as Kubernetes defines it (k8s.io/apimachinery validation): the group a
 * DNS-1123 subdomain, the version a DNS-1035 label.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { isKnownNamespaced } from '../../src/catalog/kinds.js';
import { buildSmokeChart } from '../../src/smoke/render.js';
import { smokeSettings } from '../../src/smoke/settings.js';
import { writeCatalog } from '../helpers/catalog.js';
import { smokeSection } from '../smoke/fixture.js';

const ROOT = resolve(__dirname, '..', '..');
const HELM = join(ROOT, '.tools', 'bin', 'helm');
const SCRIPT = join(ROOT, 'smokes', 'check.sh');

function smokeCatalog(resources: unknown[], secrets: unknown[] = []): string {
  const file = [
    'name: s',
    'tier: apps',
    'wave: 48',
    'componentType: smoke',
    'namespace: apps',
    'smoke:',
    '  validates: []',
    `  secrets: ${JSON.stringify(secrets)}`,
    `  resources:${resources.length === 0 ? ' []' : ''}`,
    ...resources.map((r) => `    - ${JSON.stringify(r)}`),
    '',
  ].join('\n');
  return writeCatalog({ 'environments/dev/components/s/component.yaml': file, 'wavegate.yaml': smokeSection() });
}

describe('clusterScoped on a kind known to be namespaced', () => {
  it.each([
    ['v1', 'Secret'],
    ['v1', 'ConfigMap'],
    ['apps/v1', 'Deployment'],
    ['external-secrets.io/v1', 'ExternalSecret'],
    ['postgresql.cnpg.io/v1', 'Cluster'],
  ])('%s %s with clusterScoped: true is a schema finding at the clusterScoped line', (apiVersion, kind) => {
    const c = loadCatalog(smokeCatalog([{ apiVersion, kind, name: 'x', clusterScoped: true }]));
    expect(c.environments[0]!.components).toEqual([]);
    expect(c.findings).toEqual([
      expect.objectContaining({
        rule: 'schema',
        file: 'environments/dev/components/s/component.yaml',
        line: 10,
        message: expect.stringMatching(
          new RegExp(`^smoke\\.resources\\[0\\]\\.clusterScoped: ${kind} \\(${apiVersion.replace('.', '\\.')}\\) is a namespaced kind`),
        ),
      }),
    ]);
  });

  it('cluster-scoped kinds and kinds wavegate does not know keep clusterScoped', () => {
    const c = loadCatalog(
      smokeCatalog([
        { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', name: 'vault', clusterScoped: true },
        { apiVersion: 'example.io/v1', kind: 'Widget', name: 'w', clusterScoped: true },
        { apiVersion: 'v1', kind: 'Namespace', name: 'apps' },
      ]),
    );
    expect(c.findings).toEqual([]);
    expect(isKnownNamespaced('v1', 'Secret')).toBe(true);
    expect(isKnownNamespaced('example.io/v1', 'Secret')).toBe(false);
    expect(isKnownNamespaced('v1', 'Namespace')).toBe(false);
  });
});

describe('apiVersion and kind grammars', () => {
  it.each([
    '-/v1',
    '/v1',
    'example.io/',
    'Example.io/v1',
    'a..b/v1',
    'example-.io/v1',
    'example.io/V1',
    'example.io/1',
    'example.io/v1/x',
    `${'a'.repeat(254)}/v1`,
    '',
  ])('apiVersion %j fails check with the file and line', (apiVersion) => {
    const c = loadCatalog(smokeCatalog([{ apiVersion, kind: 'Widget', name: 'w' }]));
    expect(c.findings).toEqual([
      expect.objectContaining({
        rule: 'schema',
        file: 'environments/dev/components/s/component.yaml',
        line: 10,
        message: expect.stringContaining('smoke.resources[0].apiVersion'),
      }),
    ]);
  });

  it('a bad kind fails too; valid forms load', () => {
    expect(loadCatalog(smokeCatalog([{ apiVersion: 'v1', kind: 'secret', name: 'w' }])).findings).toHaveLength(1);
    expect(loadCatalog(smokeCatalog([{ apiVersion: 'v1', kind: `W${'x'.repeat(63)}`, name: 'w' }])).findings).toHaveLength(1);
    const ok = ['v1', 'apps/v1', 'postgresql.cnpg.io/v1', 'example.io/v1beta1', 'gateway.networking.k8s.io/v1alpha2', 'x-y.example.io/v2'];
    const c = loadCatalog(smokeCatalog(ok.map((apiVersion, i) => ({ apiVersion, kind: 'Widget', name: `w${i}`, namespace: 'apps' }))));
    expect(c.findings).toEqual([]);
    const msg = loadCatalog(smokeCatalog([{ apiVersion: '-/v1', kind: 'Widget', name: 'w' }])).findings[0]!.message;
    expect(msg).toContain('is not a Kubernetes apiVersion: GROUP/VERSION with the group a DNS-1123 subdomain');
  });
});

describe('a Secret key named "-"', () => {
  it.skipIf(!existsSync(HELM))('is written to the checks file so that check.sh checks it (helm template)', async () => {
    const cases: [string[], string][] = [
      [['-'], 'secret apps dash -,'],
      [['-', 'a'], 'secret apps dash -,a'],
      [[], 'secret apps dash -'],
    ];
    for (const [keys, line] of cases) {
      const root = smokeCatalog([], [{ name: 'dash', ...(keys.length > 0 ? { keys } : {}) }]);
      const catalog = loadCatalog(root);
      expect(catalog.findings).toEqual([]);
      const env = catalog.environments[0]!;
      const chart = await buildSmokeChart(env.byName.get('s')!, env, smokeSettings(catalog.settings));
      const dir = mkdtempSync(join(tmpdir(), 'wavegate-rbac-chart-'));
      for (const f of chart.files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
      const r = spawnSync(HELM, ['template', 'r', dir, '--namespace', 'apps', '--set', 'runner=script'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: dir },
      });
      expect(r.status, r.stderr).toBe(0);
      const cm = parseAllDocuments(r.stdout)
        .map((d) => d.toJS() as { kind?: string; data?: Record<string, string> })
        .find((o) => o?.kind === 'ConfigMap');
      expect(cm!.data!.checks!.split('\n')).toContain(line);
    }
  });

  it('check.sh reads "-," as the key "-" (PASS when present, FAIL when missing) and "-" as no keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wavegate-rbac-sh-'));
    // A stand-in kubectl: prints the key names the script's go-template would print.
    const fake = join(dir, 'kubectl');
    writeFileSync(fake, '#!/bin/sh\nprintf "%s\\n" $FAKE_KEYS\n');
    chmodSync(fake, 0o755);
    const run = (checks: string, keys: string): { code: number | null; out: string } => {
      writeFileSync(join(dir, 'checks'), checks);
      const r = spawnSync('sh', [SCRIPT, join(dir, 'checks')], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', KUBECTL: fake, FAKE_KEYS: keys, SMOKE_ATTEMPTS: '1', SMOKE_SLEEP_SECONDS: '0' },
      });
      return { code: r.status, out: r.stdout + r.stderr };
    };
    const present = run('secret apps dash -,\n', '- other');
    expect(present.out).toContain('PASS Secret apps/dash: exists with keys -');
    expect(present.code).toBe(0);
    const missing = run('secret apps dash -,\n', 'other');
    expect(missing.out).toContain('FAIL Secret apps/dash: missing keys: -');
    expect(missing.code).toBe(1);
    const none = run('secret apps dash -\n', 'other');
    expect(none.out).toContain('PASS Secret apps/dash: exists');
    expect(none.code).toBe(0);
  });
});
