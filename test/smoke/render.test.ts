import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UserError } from '../../src/errors.js';
import { renderCatalog } from '../../src/render/index.js';
import { buildSmokeChart, chartVersion, guessPlural, isClusterScoped, renderSmokes } from '../../src/smoke/render.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { smokeSettings } from '../../src/smoke/settings.js';
import { DIGEST, EMPTY_SMOKE, loadFixture, SECRETS_SMOKE, smokeSection, VAULT_SECRETS, VERSIONED_SMOKE } from './fixture.js';

const text = (c: string | Uint8Array | undefined): string => (typeof c === 'string' ? c : Buffer.from(c ?? '').toString('utf8'));

async function untar(
  tgz: Uint8Array,
): Promise<{ name: string; mtime?: Date; mode?: number; uid?: number; gid?: number; content: string }[]> {
  const out: { name: string; mtime?: Date; mode?: number; uid?: number; gid?: number; content: string }[] = [];
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        out.push({ name: h.name, mtime: h.mtime, mode: h.mode, uid: h.uid, gid: h.gid, content: Buffer.concat(chunks).toString('utf8') });
        next();
      });
    });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  Readable.from([gunzipSync(tgz)]).pipe(ex);
  await done;
  return out;
}

describe('renderSmokes', () => {
  it('writes a chart folder, a package per smoke with checks, and one index; none for a smoke without checks', async () => {
    const { catalog, env } = loadFixture();
    const r = await renderSmokes(catalog, env);
    const paths = r.files.map((f) => f.path);
    expect(paths.filter((p) => !p.includes('/secrets-smoke/') && !p.includes('/versioned-smoke/'))).toEqual([
      expect.stringMatching(/^smokes\/secrets-smoke-0\.1\.0_dev\.[0-9a-f]{10}\.tgz$/),
      expect.stringMatching(/^smokes\/versioned-smoke-1\.2\.3_dev\.[0-9a-f]{10}\.tgz$/),
      'smokes/index.yaml',
    ]);
    expect(paths.filter((p) => p.startsWith('smokes/secrets-smoke/')).sort()).toEqual([
      'smokes/secrets-smoke/Chart.yaml',
      'smokes/secrets-smoke/files/check.sh',
      'smokes/secrets-smoke/templates/_helpers.tpl',
      'smokes/secrets-smoke/templates/_pod.tpl',
      'smokes/secrets-smoke/templates/configmap.yaml',
      'smokes/secrets-smoke/templates/job.yaml',
      'smokes/secrets-smoke/templates/rbac.yaml',
      'smokes/secrets-smoke/templates/serviceaccount.yaml',
      'smokes/secrets-smoke/values.schema.json',
      'smokes/secrets-smoke/values.yaml',
    ]);
    expect(paths.some((p) => p.includes('empty-smoke'))).toBe(false);
    expect(r.findings).toEqual([]);
    expect(r.summary).toBe('smokes: 2 charts (secrets-smoke, versioned-smoke)');
  });

  it('fills values.yaml from the smoke block and the smoke: settings (namespaces, plurals, hook, timeout)', async () => {
    const { catalog, env } = loadFixture();
    const r = await renderSmokes(catalog, env);
    const values = parse(text(r.files.find((f) => f.path === 'smokes/secrets-smoke/values.yaml')?.content));
    expect(values).toEqual({
      image: { repository: 'registry.example.com/tools/kubectl', tag: 'v1.35.2', digest: DIGEST, pullPolicy: 'IfNotPresent' },
      mode: 'regular',
      runner: 'kubectl',
      hook: 'PostSync',
      attempts: 12,
      sleepSeconds: 5,
      timeoutSeconds: 120,
      requestTimeoutSeconds: 10,
      ttlSecondsAfterFinished: 3600,
      resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      checks: {
        externalSecrets: [
          { name: 'grafana-admin-credentials', namespace: 'observability' },
          { name: 'platform-db', namespace: 'platform' },
        ],
        secrets: [
          { name: 'grafana-admin-credentials', namespace: 'observability', keys: ['admin-user', 'admin-password'] },
          { name: 'platform-db', namespace: 'platform', keys: ['username', 'password'] },
          { name: 'tls-only', namespace: 'platform' },
        ],
        resources: [
          {
            apiVersion: 'postgresql.cnpg.io/v1',
            kind: 'Cluster',
            plural: 'clusters',
            name: 'platform-postgres',
            namespace: 'platform',
            condition: 'Ready',
          },
          {
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'Gateway',
            plural: 'gateways',
            name: 'edge',
            namespace: 'gateway',
            condition: 'Programmed',
          },
          { apiVersion: 'example.io/v1', kind: 'Policy', plural: 'policies', name: 'p1', namespace: 'gateway', condition: 'Ready' },
          { apiVersion: 'example.io/v1', kind: 'Mouse', plural: 'mice', name: 'm1', namespace: 'platform', condition: 'Ready' },
          {
            apiVersion: 'external-secrets.io/v1',
            kind: 'ClusterSecretStore',
            plural: 'clustersecretstores',
            name: 'vault',
            clusterScoped: true,
            condition: 'Ready',
          },
        ],
      },
    });
    const versioned = parse(text(r.files.find((f) => f.path === 'smokes/versioned-smoke/values.yaml')?.content));
    expect(versioned.hook).toBe('PreSync');
    expect(versioned.mode).toBe('hook');
    expect(versioned.timeoutSeconds).toBe(600);
    // No namespace on the entry nor the component: left to the release namespace.
    expect(versioned.checks.secrets).toEqual([{ name: 'db', namespace: 'data', keys: ['url'] }]);
  });

  it('uses the defaults without a smoke: section (the missing digest is rule smoke-image, test/rules/smoke-image.test.ts)', async () => {
    const { catalog, env } = loadFixture(undefined, null);
    const r = await renderSmokes(catalog, env);
    const values = parse(text(r.files.find((f) => f.path === 'smokes/secrets-smoke/values.yaml')?.content));
    expect(values.image).toEqual({ repository: 'registry.k8s.io/kubectl', tag: 'v1.35.2', digest: '', pullPolicy: 'IfNotPresent' });
    expect(values.attempts).toBe(30);
    expect(values.sleepSeconds).toBe(10);
    expect(r.findings).toEqual([]);
  });

  it('renders nothing (and no index) when no smoke has checks', async () => {
    const { catalog, env } = loadFixture([EMPTY_SMOKE, VAULT_SECRETS]);
    const r = await renderSmokes(catalog, env);
    expect(r.files).toEqual([]);
    expect(r.findings).toEqual([]);
  });

  it('is deterministic: re-rendering gives byte-identical files, packages and digests', async () => {
    const a = await renderSmokes(...(Object.values(loadFixture()) as [never, never]));
    const b = await renderSmokes(...(Object.values(loadFixture()) as [never, never]));
    expect(b.files.map((f) => f.path)).toEqual(a.files.map((f) => f.path));
    for (let i = 0; i < a.files.length; i++) expect(Buffer.from(b.files[i]!.content).equals(Buffer.from(a.files[i]!.content))).toBe(true);
    const tgzFile = a.files.find((f) => /^smokes\/secrets-smoke-0\.1\.0_dev\.[0-9a-f]{10}\.tgz$/.test(f.path))!;
    const tgz = tgzFile.content as Uint8Array;
    // gzip header: no timestamp, default compression level (XFL 0, as Go's gzip writes for helm package), OS byte fixed.
    expect([...tgz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
    const index = parse(text(a.files.find((f) => f.path === 'smokes/index.yaml')!.content));
    const entry = index.entries['secrets-smoke'][0];
    expect(entry.digest).toBe(createHash('sha256').update(tgz).digest('hex'));
    expect(entry.urls).toEqual([tgzFile.path.slice('smokes/'.length)]);
    expect(entry.version).toMatch(/^0\.1\.0\+dev\.[0-9a-f]{10}$/);
    expect(entry.urls[0]).toBe(`secrets-smoke-${entry.version.replace('+', '_')}.tgz`);
    expect(index.entries['versioned-smoke'][0].version).toMatch(/^1\.2\.3\+dev\.[0-9a-f]{10}$/);
    expect(index.apiVersion).toBe('v1');
  });

  it('is part of wavegate render: DIR/<env>/smokes/ is written, and a second render gives the same bytes', async () => {
    // Without empty-smoke, which smoke-coverage reports as an error (render writes nothing then).
    const { catalog } = loadFixture([SECRETS_SMOKE, VERSIONED_SMOKE, VAULT_SECRETS]);
    const outs = [mkdtempSync(join(tmpdir(), 'wavegate-render-a-')), mkdtempSync(join(tmpdir(), 'wavegate-render-b-'))];
    try {
      for (const out of outs) expect((await renderCatalog(catalog, { out })).written).toBe(true);
      const list = (dir: string): string[] =>
        readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => relative(dir, join(e.parentPath, e.name)))
          .sort();
      const files = list(join(outs[0]!, 'dev', 'smokes'));
      expect(files.some((f) => /^secrets-smoke-0\.1\.0_dev\.[0-9a-f]{10}\.tgz$/.test(f))).toBe(true);
      expect(files).toContain('index.yaml');
      expect(files).toContain(join('secrets-smoke', 'templates', 'job.yaml'));
      expect(list(join(outs[1]!, 'dev', 'smokes'))).toEqual(files);
      for (const f of files)
        expect(readFileSync(join(outs[1]!, 'dev', 'smokes', f)).equals(readFileSync(join(outs[0]!, 'dev', 'smokes', f))), f).toBe(true);
    } finally {
      for (const out of outs) rmSync(out, { recursive: true, force: true });
    }
  });

  it('packages Chart.yaml first, then every file by path, with fixed mtime, mode and owner', async () => {
    const { catalog, env } = loadFixture();
    const r = await renderSmokes(catalog, env);
    const entries = await untar(r.files.find((f) => /^smokes\/secrets-smoke-[^/]+\.tgz$/.test(f.path))!.content as Uint8Array);
    expect(entries.map((e) => e.name)).toEqual([
      'secrets-smoke/Chart.yaml',
      'secrets-smoke/files/check.sh',
      'secrets-smoke/templates/_helpers.tpl',
      'secrets-smoke/templates/_pod.tpl',
      'secrets-smoke/templates/configmap.yaml',
      'secrets-smoke/templates/job.yaml',
      'secrets-smoke/templates/rbac.yaml',
      'secrets-smoke/templates/serviceaccount.yaml',
      'secrets-smoke/values.schema.json',
      'secrets-smoke/values.yaml',
    ]);
    for (const e of entries) {
      expect(e.mtime?.getTime()).toBe(0);
      expect(e.mode).toBe(0o644);
      expect([e.uid, e.gid]).toEqual([0, 0]);
      expect(e.content).toBe(text(r.files.find((f) => f.path === `smokes/${e.name}`)!.content));
    }
  });

  it('shows a change of checks in the version (build metadata), appVersion and the content-hash annotation', async () => {
    const { catalog, env } = loadFixture();
    const settings = smokeSettings(catalog.settings);
    const comp = env.byName.get('secrets-smoke')!;
    const before = await buildSmokeChart(comp, env, settings);
    expect(await buildSmokeChart(comp, env, settings)).toMatchObject({ version: before.version });
    const changed = { ...comp, smoke: { ...comp.smoke!, secrets: [...comp.smoke!.secrets, { name: 'another' }] } };
    const after = await buildSmokeChart(changed, env, settings);
    const ann = (m: Record<string, unknown>): Record<string, string> => m.annotations as Record<string, string>;
    expect(before.version).toBe(`0.1.0+dev.${ann(before.metadata)['wavegate.dev/content-sha256']!.slice(0, 10)}`);
    expect(after.version).not.toBe(before.version);
    expect(after.version.startsWith('0.1.0+dev.')).toBe(true);
    expect(after.metadata.version).toBe(after.version);
    expect(after.metadata.appVersion).not.toBe(before.metadata.appVersion);
    expect(ann(after.metadata)['wavegate.dev/content-sha256']).not.toBe(ann(before.metadata)['wavegate.dev/content-sha256']);
    expect(String(before.metadata.appVersion)).toBe(ann(before.metadata)['wavegate.dev/content-sha256']!.slice(0, 12));
    expect(ann(before.metadata)['wavegate.dev/validates']).toBe('vault-secrets');
  });

  it('gives every chart of every environment of examples/ameide its own name and version; index digests match the packages', async () => {
    const catalog = loadCatalog(join(__dirname, '..', '..', 'examples', 'ameide'));
    expect(catalog.environments.length).toBeGreaterThanOrEqual(3);
    const seen = new Map<string, string>();
    let charts = 0;
    for (const env of catalog.environments) {
      const r = await renderSmokes(catalog, env);
      const index = parse(text(r.files.find((f) => f.path === 'smokes/index.yaml')!.content));
      for (const [name, versions] of Object.entries(
        index.entries as Record<string, { version: string; digest: string; urls: string[] }[]>,
      )) {
        for (const v of versions) {
          charts++;
          expect(v.version).toMatch(new RegExp(`^\\d+\\.\\d+\\.\\d+\\+${env.name}\\.[0-9a-f]{10}$`));
          const key = `${name}@${v.version}`;
          expect(seen.has(key), `${key} in ${env.name} and ${seen.get(key)}`).toBe(false);
          seen.set(key, env.name);
          const pkg = r.files.find((f) => f.path === `smokes/${v.urls[0]}`)!;
          expect(createHash('sha256').update(pkg.content).digest('hex')).toBe(v.digest);
        }
      }
    }
    expect(seen.size).toBe(charts);
    expect(charts).toBeGreaterThanOrEqual(3 * 9);
  });

  it('makes a build-metadata identifier of any environment name', () => {
    expect(chartVersion('0.1.0', 'dev', 'ab'.repeat(32))).toBe('0.1.0+dev.abababab' + 'ab');
    expect(chartVersion('1.0.0-rc.1', 'eu_west.1', 'cd'.repeat(32))).toBe('1.0.0-rc.1+eu-west-1.cdcdcdcdcd');
  });

  it('guesses plurals like Kubernetes, with English vowel + y', () => {
    expect(['Cluster', 'Policy', 'Gateway', 'Ingress', 'Endpoints', 'ExternalSecret', 'Kafka', 'Box', 'Patch'].map(guessPlural)).toEqual([
      'clusters',
      'policies',
      'gateways',
      'ingresses',
      'endpoints',
      'externalsecrets',
      'kafkas',
      'boxes',
      'patches',
    ]);
  });

  it('tells cluster-scoped kinds from namespaced ones, the catalog having the last word', () => {
    expect(isClusterScoped('cert-manager.io/v1', 'ClusterIssuer')).toBe(true);
    expect(isClusterScoped('gateway.networking.k8s.io/v1', 'GatewayClass')).toBe(true);
    expect(isClusterScoped('v1', 'Namespace')).toBe(true);
    expect(isClusterScoped('example.io/v1', 'ClusterPolicy')).toBe(true);
    expect(isClusterScoped('postgresql.cnpg.io/v1', 'Cluster')).toBe(false);
    expect(isClusterScoped('gateway.networking.k8s.io/v1', 'Gateway')).toBe(false);
    expect(isClusterScoped('example.io/v1', 'ClusterPolicy', false)).toBe(false);
    expect(isClusterScoped('example.io/v1', 'Widget', true)).toBe(true);
  });

  it("reads smoke.mode and smoke.runner from wavegate.yaml (a component's smoke.mode wins) and rejects other values", async () => {
    const { catalog, env } = loadFixture(undefined, smokeSection({ mode: 'hook', runner: 'script' }));
    const r = await renderSmokes(catalog, env);
    const values = parse(text(r.files.find((f) => f.path === 'smokes/secrets-smoke/values.yaml')?.content));
    expect([values.mode, values.runner]).toEqual(['hook', 'script']);
    const regular = loadFixture(
      [{ ...SECRETS_SMOKE, smoke: { ...SECRETS_SMOKE.smoke, mode: 'regular' } }, VAULT_SECRETS],
      smokeSection({ mode: 'hook' }),
    );
    const rv = parse(
      text((await renderSmokes(regular.catalog, regular.env)).files.find((f) => f.path === 'smokes/secrets-smoke/values.yaml')?.content),
    );
    expect(rv.mode).toBe('regular');
    expect(() => loadFixture([SECRETS_SMOKE], 'smoke:\n  mode: postsync\n')).toThrow(/wavegate\.yaml:2:\d+: .*mode/);
    expect(() => loadFixture([SECRETS_SMOKE], 'smoke:\n  runner: bash\n')).toThrow(/wavegate\.yaml:2:\d+: .*runner/);
  });

  it('rejects a bad smoke: section in wavegate.yaml with file and line', () => {
    expect(() => loadFixture([SECRETS_SMOKE], 'smoke:\n  attempts: 0\n')).toThrow(UserError);
    expect(() => loadFixture([SECRETS_SMOKE], 'smoke:\n  attempts: 0\n')).toThrow(/wavegate\.yaml:2:\d+: .*attempts/);
    expect(() => loadFixture([SECRETS_SMOKE], smokeSection({ image: { digest: 'latest' } }))).toThrow(/digest/);
    expect(() => loadFixture([SECRETS_SMOKE], 'smoke:\n  sleep: 3\n')).toThrow(/sleep/);
  });

  it('rejects a bad smoke version or plural in a component with a schema finding', () => {
    expect(() => loadFixture([{ ...VERSIONED_SMOKE, smoke: { ...VERSIONED_SMOKE.smoke, version: 'v1' } }])).toThrow(/schema.*version/);
    expect(() =>
      loadFixture([{ ...VERSIONED_SMOKE, smoke: { resources: [{ apiVersion: 'x.io/v1', kind: 'X', name: 'x', plural: 'X s' }] } }]),
    ).toThrow(/schema.*plural/);
  });
});
