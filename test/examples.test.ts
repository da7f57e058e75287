import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { checkCatalog, loadCatalog, type Catalog, type Environment, type Finding } from '../src/index.js';
import { BEFORE, readGaps } from './helpers/gaps.js';

const ROOT = join(__dirname, '..');
const EXAMPLE = join(ROOT, 'examples', 'ameide');
const ENVS = ['dev', 'prod', 'staging'];
const COMPONENT_COUNT = 60;

/**
 * Every component backlog 382's "Proposed gating" section names (braces expanded).
 * `app-runtime-agent/langgraph` is the document's spelling of apps-runtime-agent-langgraph
 * (examples/ameide/README.md, "Interpretations"); `apps-www-ameide*` stands for both web apps.
 */
const PROPOSED_GATING_NAMES = [
  'foundation-external-secrets',
  'foundation-external-secrets-ready',
  'foundation-vault-secret-store',
  'foundation-vault-secrets-platform',
  'foundation-vault-secrets-temporal',
  'foundation-vault-secrets-observability',
  'foundation-vault-bootstrap',
  'foundation-vault-core',
  'foundation-vault-webhook-certs',
  'foundation-operators-smoke',
  'foundation-bootstrap-smoke',
  'data-kafka-cluster',
  'foundation-strimzi-operator',
  'data-redis-failover',
  'foundation-redis-operator',
  'data-clickhouse-secrets',
  'foundation-clickhouse-operator',
  'platform-postgres-clusters',
  'foundation-cloudnative-pg',
  'data-minio',
  'data-db-migrations',
  'data-data-plane-smoke',
  'data-data-plane-ext-smoke',
  'data-temporal',
  'data-clickhouse',
  'platform-keycloak',
  'platform-keycloak-realm',
  'platform-cert-manager-config',
  'foundation-cert-manager',
  'platform-envoy-gateway',
  'foundation-crds-gateway',
  'platform-gateway',
  'platform-secrets-smoke',
  'platform-prometheus',
  'platform-loki',
  'platform-tempo',
  'platform-grafana',
  'platform-grafana-datasources',
  'platform-otel-collector',
  'platform-alloy-logs',
  'platform-langfuse',
  'platform-langfuse-bootstrap',
  'platform-observability-smoke',
  'apps-workflows',
  'apps-workflows-runtime',
  'apps-inference',
  'apps-runtime-agent-langgraph',
  'apps-agents',
  'apps-agents-runtime',
  'apps-www-ameide',
  'apps-www-ameide-platform',
  'apps-inference-gateway',
  'apps-platform-smoke',
  // named in the findings and the smoke list
  'apps-platform',
  'apps-graph',
  'platform-control-plane-smoke',
  'platform-auth-smoke',
];

const APPS = [
  'apps-platform',
  'apps-graph',
  'apps-workflows',
  'apps-workflows-runtime',
  'apps-inference',
  'apps-inference-gateway',
  'apps-agents',
  'apps-agents-runtime',
  'apps-runtime-agent-langgraph',
  'apps-www-ameide',
  'apps-www-ameide-platform',
];

/** The edges of "Proposed gating/wave adjustments", as direct dependencies. */
const PROPOSED_EDGES: [string, string[]][] = [
  ['foundation-external-secrets-ready', ['foundation-external-secrets']],
  ['foundation-vault-secret-store', ['foundation-external-secrets-ready']],
  ['foundation-vault-secrets-platform', ['foundation-vault-secret-store']],
  ['foundation-vault-secrets-temporal', ['foundation-vault-secret-store']],
  ['foundation-vault-secrets-observability', ['foundation-vault-secret-store']],
  ['foundation-vault-bootstrap', ['foundation-vault-core', 'foundation-vault-webhook-certs']],
  [
    'foundation-operators-smoke',
    [
      'foundation-cert-manager',
      'foundation-external-secrets',
      'foundation-cloudnative-pg',
      'foundation-strimzi-operator',
      'foundation-redis-operator',
      'foundation-clickhouse-operator',
    ],
  ],
  [
    'foundation-bootstrap-smoke',
    [
      'foundation-vault-secret-store',
      'foundation-vault-secrets-platform',
      'foundation-vault-secrets-temporal',
      'foundation-vault-secrets-observability',
    ],
  ],
  ['data-kafka-cluster', ['foundation-strimzi-operator']],
  ['data-redis-failover', ['foundation-redis-operator']],
  ['data-clickhouse-secrets', ['foundation-clickhouse-operator', 'foundation-vault-secret-store']],
  ['data-minio', ['foundation-vault-secret-store']],
  ['data-db-migrations', ['platform-postgres-clusters', 'foundation-vault-secrets-platform']],
  ['data-data-plane-smoke', ['data-kafka-cluster', 'data-redis-failover', 'data-clickhouse']],
  ['data-data-plane-ext-smoke', ['data-minio', 'data-temporal']],
  ['platform-postgres-clusters', ['foundation-cloudnative-pg', 'foundation-vault-secret-store']],
  ['platform-keycloak', ['platform-postgres-clusters', 'foundation-vault-secrets-platform', 'foundation-vault-secret-store']],
  ['platform-keycloak-realm', ['platform-keycloak']],
  ['platform-cert-manager-config', ['foundation-cert-manager']],
  ['platform-envoy-gateway', ['foundation-cert-manager', 'foundation-crds-gateway']],
  ['platform-gateway', ['platform-envoy-gateway', 'platform-cert-manager-config']],
  ['platform-secrets-smoke', ['foundation-vault-secrets-platform', 'platform-keycloak']],
  ['platform-prometheus', ['foundation-vault-secrets-observability', 'foundation-cert-manager']],
  ['platform-loki', ['foundation-vault-secrets-observability', 'foundation-cert-manager']],
  ['platform-tempo', ['foundation-vault-secrets-observability', 'foundation-cert-manager']],
  ['platform-grafana', ['platform-prometheus', 'platform-loki', 'platform-tempo', 'foundation-vault-secrets-observability']],
  ['platform-grafana-datasources', ['platform-grafana', 'platform-prometheus', 'platform-loki', 'platform-tempo']],
  ['platform-otel-collector', ['platform-prometheus', 'platform-tempo']],
  ['platform-alloy-logs', ['platform-loki']],
  ['platform-langfuse', ['data-clickhouse', 'data-redis-failover', 'data-minio', 'foundation-vault-secrets-observability']],
  ['platform-langfuse-bootstrap', ['platform-langfuse', 'foundation-vault-secret-store']],
  [
    'platform-observability-smoke',
    [
      'platform-grafana',
      'platform-grafana-datasources',
      'platform-prometheus',
      'platform-loki',
      'platform-tempo',
      'platform-otel-collector',
      'platform-alloy-logs',
    ],
  ],
  ...APPS.map((a): [string, string[]] => [
    a,
    ['platform-postgres-clusters', 'foundation-vault-secrets-platform', 'foundation-vault-secret-store'],
  ]),
  ['apps-workflows', ['data-temporal']],
  ['apps-workflows-runtime', ['data-temporal']],
  ['apps-inference', ['data-redis-failover']],
  ['apps-runtime-agent-langgraph', ['data-redis-failover', 'data-minio']],
  ['apps-agents', ['data-minio']],
  ['apps-agents-runtime', ['data-minio']],
  ['apps-www-ameide', ['platform-keycloak-realm', 'platform-gateway', 'data-redis-failover']],
  ['apps-www-ameide-platform', ['platform-keycloak-realm', 'platform-gateway', 'data-redis-failover']],
  ['apps-inference-gateway', ['data-redis-failover', 'platform-gateway']],
  ['apps-platform-smoke', ['platform-keycloak', 'platform-gateway', ...APPS]],
];

function ancestors(env: Environment, name: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(env.byName.get(name)?.dependencies ?? [])];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (seen.has(d)) continue;
    seen.add(d);
    stack.push(...(env.byName.get(d)?.dependencies ?? []));
  }
  return seen;
}

describe('examples/ameide (backlog 382 after its proposed gating)', () => {
  const catalog: Catalog = loadCatalog(EXAMPLE);

  it('checks clean: no errors, and one warning: smoke-image (the example pins the smoke image by tag; wavegate cannot vouch for a digest)', () => {
    expect(catalog.findings).toEqual([]);
    expect(checkCatalog(catalog).map((f) => `${f.severity} ${f.rule} ${f.file}`)).toEqual(['warning smoke-image wavegate.yaml']);
  });

  it('has dev, staging and prod with the same 60 components', () => {
    expect(catalog.environments.map((e) => e.name)).toEqual(ENVS);
    for (const env of catalog.environments) expect(env.components).toHaveLength(COMPONENT_COUNT);
    const names = (e: Environment): string[] => e.components.map((c) => c.name);
    for (const env of catalog.environments) expect(names(env)).toEqual(names(catalog.environments[0]!));
  });

  it('contains every component backlog 382 names, and no temporal namespace-bootstrap app', () => {
    for (const env of catalog.environments) {
      const missing = PROPOSED_GATING_NAMES.filter((n) => !env.byName.has(n));
      expect(missing, env.name).toEqual([]);
      expect(env.byName.has('data-temporal-namespace-bootstrap')).toBe(false);
    }
  });

  it('has every edge of the proposed gating as a direct dependency', () => {
    for (const env of catalog.environments) {
      const absent: string[] = [];
      for (const [from, tos] of PROPOSED_EDGES) {
        const deps = env.byName.get(from)?.dependencies ?? [];
        for (const to of tos) if (!deps.includes(to)) absent.push(`${from} -> ${to}`);
      }
      expect(absent, env.name).toEqual([]);
    }
  });

  it('orders every edge by wave, keeps each wave in its tier band and every smoke last in its tier', () => {
    const bands = new Map(catalog.settings.tiers.map((t) => [t.name, t.waves]));
    for (const env of catalog.environments) {
      const problems: string[] = [];
      for (const c of env.components) {
        const [lo, hi] = bands.get(c.tier)!;
        if (c.wave < lo || c.wave > hi) problems.push(`${c.name} wave ${c.wave} outside ${c.tier}`);
        for (const d of c.dependencies) {
          const dw = env.byName.get(d)!.wave;
          if (c.wave <= dw) problems.push(`${c.name} (${c.wave}) not after ${d} (${dw})`);
        }
      }
      for (const smoke of env.components.filter((c) => c.componentType === 'smoke')) {
        for (const c of env.components) {
          if (c.tier === smoke.tier && c.componentType !== 'smoke' && c.wave >= smoke.wave)
            problems.push(`${smoke.name} not after ${c.name}`);
        }
      }
      expect(problems, env.name).toEqual([]);
    }
  });

  it('gives every consumer a dependency path to its provider, and every smoke a path to what it validates and checks', () => {
    for (const env of catalog.environments) {
      const provider = new Map<string, string>();
      for (const c of env.components) {
        for (const t of ['kinds', 'secrets', 'services'] as const) for (const i of c.provides[t]) provider.set(`${t}:${i}`, c.name);
      }
      const problems: string[] = [];
      for (const c of env.components) {
        const up = ancestors(env, c.name);
        for (const t of ['kinds', 'secrets', 'services'] as const) {
          for (const i of c.consumes[t]) {
            const p = provider.get(`${t}:${i}`);
            if (p === undefined) problems.push(`${c.name} consumes ${i}, which nothing provides`);
            else if (!up.has(p)) problems.push(`${c.name} has no path to ${p} (${i})`);
          }
        }
        if (!c.smoke) continue;
        expect(c.dependencies.length, c.name).toBeGreaterThan(0);
        expect(c.smoke.validates.length, c.name).toBeGreaterThan(0);
        for (const v of c.smoke.validates) if (!up.has(v)) problems.push(`${c.name} validates ${v} without depending on it`);
        for (const s of [...c.smoke.secrets, ...c.smoke.externalSecrets]) {
          const p = provider.get(`secrets:${s.namespace ?? c.namespace}/${s.name}`);
          if (p === undefined || !up.has(p)) problems.push(`${c.name} checks Secret ${s.name} whose producer it does not depend on`);
        }
      }
      expect(problems, env.name).toEqual([]);
    }
  });

  it('places the waves the document fixes: secrets smoke at 43, datasources after grafana, no Vault edge for Temporal', () => {
    for (const env of catalog.environments) {
      const w = (n: string): number => env.byName.get(n)!.wave;
      expect(w('platform-secrets-smoke')).toBe(43);
      expect(w('platform-grafana-datasources')).toBeGreaterThan(w('platform-grafana'));
      for (const c of env.components.filter((x) => x.tier === 'platform' && x.componentType !== 'smoke')) {
        expect(c.wave, c.name).toBeLessThan(w('platform-secrets-smoke'));
      }
      expect(env.byName.get('data-temporal')!.dependencies.filter((d) => d.startsWith('foundation-vault'))).toEqual([]);
      expect(env.byName.get('data-temporal')!.health).toContain('temporal.io/TemporalNamespace');
      const secretsSmoke = env.byName.get('platform-secrets-smoke')!.smoke!;
      const checked = secretsSmoke.secrets.map((s) => s.name);
      for (const s of [
        'grafana-admin-credentials',
        'loki-s3-credentials',
        'tempo-s3-credentials',
        'minio-service-users',
        'platform-db-credentials',
      ]) {
        expect(checked).toContain(s);
        expect(secretsSmoke.secrets.find((x) => x.name === s)!.keys!.length).toBeGreaterThan(0);
      }
    }
  });

  it('has one ApplicationSet per environment, with a RollingSync step per wave of its components, never setting dependsOn', () => {
    const dir = join(EXAMPLE, 'argocd');
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(files).toEqual(ENVS.map((e) => `applicationset-${e}.yaml`));
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      const docs = parseAllDocuments(text);
      expect(docs).toHaveLength(1);
      expect(docs[0]!.errors).toEqual([]);
      const appset = docs[0]!.toJS() as Record<string, any>;
      expect(appset.kind).toBe('ApplicationSet');
      expect(appset.spec.template.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBeUndefined();
      expect(appset.spec.template.spec.dependsOn).toBeUndefined();
      expect(appset.spec.dependsOn).toBeUndefined();
      const env = f.replace(/^applicationset-|\.yaml$/g, '');
      // Progressive Syncs (Argo CD docs operator-manual/applicationset/Progressive-Syncs.md): steps in
      // order, each selecting one wave by the label the template sets from the component's wave.
      expect(appset.spec.template.metadata.labels['wavegate.dev/wave']).toBe('{{ .wave }}');
      const waves = [...new Set(loadCatalog(EXAMPLE, { env }).environments[0]!.components.map((c) => c.wave))].sort((a, b) => a - b);
      expect(appset.spec.strategy.type).toBe('RollingSync');
      expect(appset.spec.strategy.rollingSync.steps).toEqual(
        waves.map((w) => ({ matchExpressions: [{ key: 'wavegate.dev/wave', operator: 'In', values: [String(w)] }] })),
      );
      expect(appset.spec.generators[0].git.files.map((x: { path: string }) => x.path)).toEqual([
        'environments/_shared/components/**/component.yaml',
        `environments/${env}/components/**/component.yaml`,
      ]);
    }
  });
});

describe("test/fixtures/backlog-382-before (the document's findings)", () => {
  const catalog = loadCatalog(BEFORE);
  const findings: Finding[] = checkCatalog(catalog);
  const gaps = readGaps();

  it('loads without YAML or schema problems and has the same components as the example', () => {
    expect(catalog.findings).toEqual([]);
    expect(catalog.environments.map((e) => e.name)).toEqual(ENVS);
    const example = loadCatalog(EXAMPLE);
    for (const env of catalog.environments) {
      expect(env.components.map((c) => c.name)).toEqual(example.environments[0]!.components.map((c) => c.name));
    }
  });

  it('GAPS.md lists 53 gaps, each with a known rule and existing files', () => {
    expect(gaps.map((g) => g.id)).toEqual(Array.from({ length: 53 }, (_, i) => i + 1));
    const rules = new Set([
      'none',
      'unknown-dependency',
      'dependency-cycle',
      'wave-order',
      'tier-band',
      'missing-edge',
      'smoke-coverage',
      'health-coverage',
      'env-parity',
      'smoke-not-deployed',
      'argo-depends-on',
      'helm-test-hook-ignored',
      'rollout-order',
      'rollout-inert-wave',
      'chart-wait-hook',
    ]);
    for (const g of gaps) {
      expect(rules.has(g.rule), `gap ${g.id}: ${g.rule}`).toBe(true);
      for (const f of g.files) if (!f.includes('*')) expect(() => readFileSync(join(BEFORE, f)), `gap ${g.id}: ${f}`).not.toThrow();
    }
  });

  it('reports every gap of GAPS.md under its rule', () => {
    const unreported: string[] = [];
    for (const g of gaps.filter((x) => x.rule !== 'none')) {
      if (g.envs === undefined) {
        for (const f of g.files)
          if (!findings.some((x) => x.rule === g.rule && x.file === f)) unreported.push(`gap ${g.id}: ${g.rule} ${f}`);
        continue;
      }
      for (const env of g.envs) {
        if (g.findings.length === 0) {
          for (const f of g.files)
            if (!findings.some((x) => x.rule === g.rule && x.environment === env && x.file === f))
              unreported.push(`gap ${g.id}: ${g.rule} ${env} ${f}`);
        }
        for (const { component, related } of g.findings) {
          const mine = findings.filter((x) => x.rule === g.rule && x.environment === env && x.component === component);
          if (mine.length === 0) unreported.push(`gap ${g.id}: ${g.rule} ${env} ${component}`);
          for (const r of related) {
            if (!mine.some((x) => x.related?.includes(r))) unreported.push(`gap ${g.id}: ${g.rule} ${env} ${component} -> ${r}`);
          }
        }
      }
    }
    expect(unreported).toEqual([]);
  });

  it('reports nothing GAPS.md does not list', () => {
    const listed = (x: Finding): boolean =>
      gaps.some((g) => {
        if (g.rule !== x.rule) return false;
        if (g.envs === undefined) return x.environment === undefined && g.files.includes(x.file ?? '');
        if (!g.envs.includes(x.environment ?? '')) return false;
        if (g.findings.length === 0) return g.files.includes(x.file ?? '');
        return g.findings.some(
          (f) => f.component === x.component && (f.related.length === 0 || (x.related ?? []).every((r) => f.related.includes(r))),
        );
      });
    // smoke-image: the fixture, like the example, pins the smoke image by tag (not a gap of the document)
    expect(
      findings
        .filter((x) => !listed(x) && x.rule !== 'smoke-image')
        .map((x) => `${x.rule} ${x.environment ?? '-'} ${x.component ?? x.file} ${x.related?.join(',') ?? ''}`),
    ).toEqual([]);
  });
});
