// A small catalog with smoke components, shared by the smoke tests.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadCatalog } from '../../src/catalog/load.js';
import type { Catalog, Environment } from '../../src/catalog/types.js';
import type { RenderedFile } from '../../src/render/types.js';
import { catalogOf } from '../helpers/catalog.js';

export const DIGEST = `sha256:${'ab12'.repeat(16)}`;

export const SECRETS_SMOKE = {
  name: 'secrets-smoke',
  tier: 'platform',
  wave: 43,
  componentType: 'smoke',
  namespace: 'platform',
  dependencies: ['vault-secrets'],
  smoke: {
    validates: ['vault-secrets'],
    externalSecrets: [{ name: 'grafana-admin-credentials', namespace: 'observability' }, { name: 'platform-db' }],
    secrets: [
      { name: 'grafana-admin-credentials', namespace: 'observability', keys: ['admin-user', 'admin-password'] },
      { name: 'platform-db', keys: ['username', 'password'] },
      { name: 'tls-only' },
    ],
    resources: [
      { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', name: 'platform-postgres' },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'edge', namespace: 'gateway', condition: 'Programmed' },
      { apiVersion: 'example.io/v1', kind: 'Policy', name: 'p1', namespace: 'gateway' },
      { apiVersion: 'example.io/v1', kind: 'Mouse', name: 'm1', plural: 'mice' },
      { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', name: 'vault' },
    ],
    timeoutSeconds: 120,
  },
};

export const EMPTY_SMOKE = { name: 'empty-smoke', tier: 'platform', wave: 44, componentType: 'smoke', smoke: { validates: [] } };

export const VERSIONED_SMOKE = {
  name: 'versioned-smoke',
  tier: 'platform',
  wave: 44,
  componentType: 'smoke',
  dependencies: ['vault-secrets'],
  smoke: {
    validates: ['vault-secrets'],
    mode: 'hook',
    hook: 'PreSync',
    version: '1.2.3',
    secrets: [{ name: 'db', namespace: 'data', keys: ['url'] }],
  },
};

export const VAULT_SECRETS = { name: 'vault-secrets', tier: 'foundation', wave: 10, componentType: 'secrets', namespace: 'platform' };

export function smokeSection(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    smoke: {
      image: { repository: 'registry.example.com/tools/kubectl', tag: 'v1.35.2', digest: DIGEST },
      attempts: 12,
      sleepSeconds: 5,
      ...extra,
    },
  });
}

/** Loads a catalog with the given components (dev only) and wavegate.yaml text (null: no file). */
export function loadFixture(
  components: Record<string, unknown>[] = [SECRETS_SMOKE, EMPTY_SMOKE, VERSIONED_SMOKE, VAULT_SECRETS],
  wavegateYaml: string | null = smokeSection(),
): { catalog: Catalog; env: Environment } {
  const root = catalogOf(components, wavegateYaml === null ? {} : { extra: { 'wavegate.yaml': wavegateYaml } });
  const catalog = loadCatalog(root);
  if (catalog.findings.length > 0) throw new Error(`fixture catalog has findings: ${JSON.stringify(catalog.findings)}`);
  return { catalog, env: catalog.environments.find((e) => e.name === 'dev')! };
}

/** Writes rendered files under a fresh temp folder; returns it. */
export function writeRendered(files: readonly RenderedFile[], prefix = 'wavegate-smoke-out-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const f of files) {
    const abs = join(dir, ...f.path.split('/'));
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, f.content);
  }
  return dir;
}
