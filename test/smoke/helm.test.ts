// The rendered smoke charts under the real Helm binary (.tools/bin/helm, unpacked by
// scripts/install-tools.mjs), the Kubernetes API schemas (kubernetes-models), and the real
// kubectl + check script run from the rendered chart against the stand-in API server.
import { execFile, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, ServiceAccount } from 'kubernetes-models/v1';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadCatalog } from '../../src/catalog/load.js';
import type { RenderedFile } from '../../src/render/types.js';
import { renderSmokes } from '../../src/smoke/render.js';
import { DIGEST, loadFixture, VAULT_SECRETS, VERSIONED_SMOKE, writeRendered } from './fixture.js';
import { startStandInApiServer, type Recorded } from './standin-apiserver.js';

const ROOT = resolve(__dirname, '..', '..');
const HELM = join(ROOT, '.tools', 'bin', 'helm');
const KUBECTL = join(ROOT, '.tools', 'bin', 'kubectl');
const EXAMPLE = join(ROOT, 'examples', 'ameide');
const run = promisify(execFile);

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let helmHome: string;
const dirs: string[] = [];
let fixtureDir: string;
let fixtureFiles: RenderedFile[];
let exampleDir: string;
let exampleFiles: RenderedFile[];

async function helm(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: helmHome,
    HELM_CONFIG_HOME: join(helmHome, 'config'),
    HELM_CACHE_HOME: join(helmHome, 'cache'),
    HELM_DATA_HOME: join(helmHome, 'data'),
  };
  try {
    const r = await run(HELM, args, { env, cwd, maxBuffer: 32 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

async function template(chartDir: string, release: string, namespace: string, extra: string[] = []): Promise<Obj[]> {
  const r = await helm(['template', release, chartDir, '--namespace', namespace, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

const charts = (files: RenderedFile[]): string[] =>
  [...new Set(files.filter((f) => /^smokes\/[^/]+\/Chart\.yaml$/.test(f.path)).map((f) => f.path.split('/')[1]!))].sort();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const MODELS: Record<string, new (o: any) => { validate(): void }> = {
  'batch/v1/Job': Job,
  'v1/ConfigMap': ConfigMap,
  'v1/ServiceAccount': ServiceAccount,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
};

/** Every object validates against the Kubernetes API schema of its kind. */
function validateAll(objs: Obj[]): void {
  for (const o of objs) {
    const Model = MODELS[`${o.apiVersion}/${o.kind}`];
    if (!Model) throw new Error(`unexpected kind ${o.apiVersion} ${o.kind} in a smoke chart`);
    expect(() => new Model(o).validate(), `${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}`).not.toThrow();
  }
}

/** (namespace, apiGroup, resource, name) the values' checks name; namespace `*` for a cluster-scoped object. */
function expectedAccess(values: Obj, releaseNs: string): string[] {
  const out: string[] = [];
  for (const e of values.checks.externalSecrets ?? []) out.push(`${e.namespace ?? releaseNs} external-secrets.io externalsecrets ${e.name}`);
  for (const s of values.checks.secrets ?? []) out.push(`${s.namespace ?? releaseNs} "" secrets ${s.name}`);
  for (const r of values.checks.resources ?? []) {
    const group = r.apiVersion.includes('/') ? r.apiVersion.split('/')[0] : '""';
    out.push(`${r.clusterScoped ? '*' : (r.namespace ?? releaseNs)} ${group} ${r.plural} ${r.name}`);
  }
  return [...new Set(out)].sort();
}

/** What the rendered Roles and ClusterRoles grant, as (namespace or `*`, apiGroup, resource, name); every rule must be get with resourceNames. */
function grantedAccess(objs: Obj[]): string[] {
  const out: string[] = [];
  for (const role of objs.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
    for (const rule of role.rules) {
      expect(rule.verbs).toEqual(['get']);
      expect(rule.resourceNames?.length).toBeGreaterThan(0);
      for (const g of rule.apiGroups) for (const res of rule.resources) for (const n of rule.resourceNames) out.push(`${role.metadata.namespace ?? '*'} ${g === '' ? '""' : g} ${res} ${n}`);
    }
  }
  return out.sort();
}

beforeAll(async () => {
  for (const [bin, what] of [[HELM, 'helm'], [KUBECTL, 'kubectl']] as const) {
    if (!existsSync(bin)) throw new Error(`real ${what} not found at ${bin}: run node scripts/install-tools.mjs`);
  }
  helmHome = mkdtempSync(join(tmpdir(), 'wavegate-helm-home-'));
  dirs.push(helmHome);
  const fx = loadFixture();
  fixtureFiles = (await renderSmokes(fx.catalog, fx.env)).files;
  fixtureDir = writeRendered(fixtureFiles);
  dirs.push(fixtureDir);
  const ex = loadCatalog(EXAMPLE, { env: 'dev' });
  exampleFiles = (await renderSmokes(ex, ex.environments[0]!)).files;
  exampleDir = writeRendered(exampleFiles);
  dirs.push(exampleDir);
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('smoke charts under the real helm', () => {
  it('every rendered chart (fixture and examples/ameide) passes helm lint --strict', async () => {
    const all = [...charts(fixtureFiles).map((c) => join(fixtureDir, 'smokes', c)), ...charts(exampleFiles).map((c) => join(exampleDir, 'smokes', c))];
    expect(all.length).toBeGreaterThanOrEqual(3);
    const results = await Promise.all(all.map((dir) => helm(['lint', '--strict', dir])));
    results.forEach((r, i) => {
      expect(r.stdout, all[i]).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      expect(r.code, `${all[i]}\n${r.stdout}${r.stderr}`).toBe(0);
    });
  });

  it('every rendered chart renders with helm template and every manifest validates against the Kubernetes API schemas', async () => {
    const sets = [...charts(fixtureFiles).map((c) => [fixtureDir, c]), ...charts(exampleFiles).map((c) => [exampleDir, c])];
    for (const [dir, chart] of sets) {
      const objs = await template(join(dir!, 'smokes', chart!), chart!, 'smoke-ns');
      expect(objs.map((o) => o.kind)).toContain('Job');
      validateAll(objs);
    }
  });

  it('renders a Job with both hooks, bounded run, and a pod that meets Pod Security restricted', async () => {
    const objs = await template(join(fixtureDir, 'smokes', 'secrets-smoke'), 'secrets-smoke', 'platform');
    const job = objs.find((o) => o.kind === 'Job')!;
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'helm.sh/hook': 'test',
      'helm.sh/hook-delete-policy': 'before-hook-creation',
    });
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.activeDeadlineSeconds).toBe(120);
    expect(job.spec.ttlSecondsAfterFinished).toBe(3600);
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.serviceAccountName).toBe('secrets-smoke');
    // Restricted profile: checks of the Pod Security Standards "restricted" level.
    for (const host of ['hostNetwork', 'hostPID', 'hostIPC']) expect(pod[host]).toBeFalsy();
    // Restricted allows only these volume types.
    const allowed = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
    for (const v of pod.volumes as Obj[]) expect(Object.keys(v).filter((k) => k !== 'name').every((k) => allowed.includes(k)), v.name).toBe(true);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers).toHaveLength(1);
    expect(pod.initContainers).toBeUndefined();
    const c = pod.containers[0];
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.securityContext.capabilities.add).toBeUndefined();
    expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
    expect(c.image).toBe(`registry.example.com/tools/kubectl:v1.35.2@${DIGEST}`);
    // kubectl's cache goes to the writable emptyDir at /tmp.
    expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '32Mi' } });
    const env = Object.fromEntries((c.env as Obj[]).map((e) => [e.name, e.value]));
    expect(env).toEqual({
      HOME: '/tmp',
      KUBECACHEDIR: '/tmp/.kube/cache',
      SMOKE_ATTEMPTS: '12',
      SMOKE_SLEEP_SECONDS: '5',
      SMOKE_DEADLINE_SECONDS: '108',
      SMOKE_REQUEST_TIMEOUT_SECONDS: '10',
    });
    // The RBAC objects and script are Argo hooks of the same phase, one wave earlier.
    for (const o of objs.filter((x) => x.kind !== 'Job')) {
      expect(o.metadata.annotations).toEqual({
        'argocd.argoproj.io/hook': 'PostSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        'argocd.argoproj.io/sync-wave': '-1',
      });
    }
    const pre = await template(join(fixtureDir, 'smokes', 'versioned-smoke'), 'v', 'data');
    expect(pre.find((o) => o.kind === 'Job')!.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
  });

  it('grants get on exactly the checked objects: one Role per namespace, with resourceNames', async () => {
    for (const [dir, files] of [[fixtureDir, fixtureFiles], [exampleDir, exampleFiles]] as const) {
      for (const chart of charts(files)) {
        const values = parse(readFileSync(join(dir, 'smokes', chart, 'values.yaml'), 'utf8'));
        const objs = await template(join(dir, 'smokes', chart), chart, 'release-ns');
        expect(grantedAccess(objs), chart).toEqual(expectedAccess(values, 'release-ns'));
        const roleNs = objs.filter((o) => o.kind === 'Role').map((o) => o.metadata.namespace);
        expect(new Set(roleNs).size).toBe(roleNs.length);
        for (const rb of objs.filter((o) => o.kind === 'RoleBinding')) {
          expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: objs.find((o) => o.kind === 'Role')!.metadata.name });
          expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: objs.find((o) => o.kind === 'ServiceAccount')!.metadata.name, namespace: 'release-ns' }]);
        }
        expect(objs.filter((o) => o.kind === 'RoleBinding').map((o) => o.metadata.namespace).sort()).toEqual([...roleNs].sort());
        const clusterRoles = objs.filter((o) => o.kind === 'ClusterRole');
        const crbs = objs.filter((o) => o.kind === 'ClusterRoleBinding');
        expect(crbs.length).toBe(clusterRoles.length);
        expect(clusterRoles.length).toBeLessThanOrEqual(1);
        for (const crb of crbs) {
          expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoles[0]!.metadata.name });
          expect(crb.subjects).toEqual([{ kind: 'ServiceAccount', name: objs.find((o) => o.kind === 'ServiceAccount')!.metadata.name, namespace: 'release-ns' }]);
        }
      }
    }
    // The fixture spelled out: entries without a namespace take the component's (platform).
    const objs = await template(join(fixtureDir, 'smokes', 'secrets-smoke'), 'secrets-smoke', 'platform');
    expect(grantedAccess(objs)).toEqual([
      '* external-secrets.io clustersecretstores vault',
      'gateway example.io policies p1',
      'gateway gateway.networking.k8s.io gateways edge',
      'observability "" secrets grafana-admin-credentials',
      'observability external-secrets.io externalsecrets grafana-admin-credentials',
      'platform "" secrets platform-db',
      'platform "" secrets tls-only',
      'platform example.io mice m1',
      'platform external-secrets.io externalsecrets platform-db',
      'platform postgresql.cnpg.io clusters platform-postgres',
    ]);
  });

  it('keeps RBAC least-privilege when a user overrides the checks, and rejects unsafe names', async () => {
    const dir = join(fixtureDir, 'smokes', 'secrets-smoke');
    // Helm merges maps, so a user replaces the lists one by one.
    const replace = (secrets: string): string[] => ['--set-json', 'checks.externalSecrets=[]', '--set-json', 'checks.resources=[]', '--set-json', `checks.secrets=${secrets}`];
    const objs = await template(dir, 'r', 'apps', replace('[{"name":"only-this","keys":["k"]}]'));
    expect(grantedAccess(objs)).toEqual(['apps "" secrets only-this']);
    const cm = objs.find((o) => o.kind === 'ConfigMap')!;
    expect(cm.data.checks).toBe('secret apps only-this k\n');
    const bad = await helm(['template', 'r', dir, ...replace('[{"name":"x; rm -rf /"}]')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/schema/i);
    const none = await helm(['template', 'r', dir, ...replace('[]')]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('a smoke chart needs at least one check');
  });

  it('names that a YAML 1.1 reader would turn into booleans or numbers reach the check script unchanged', async () => {
    // Helm reads values.yaml with a YAML 1.1 parser: unquoted `on` would become true, `1e3` 1000.
    const words = ['on', 'yes', 'y', 'off', '1e3', '0x1F', '1_000', '0777', '.inf'];
    const tricky = { ...VERSIONED_SMOKE, name: 'tricky-smoke', smoke: { ...VERSIONED_SMOKE.smoke, secrets: [{ name: 'db', namespace: 'data', keys: words }] } };
    const fx = loadFixture([tricky, VAULT_SECRETS]);
    const dir = writeRendered((await renderSmokes(fx.catalog, fx.env)).files);
    dirs.push(dir);
    const objs = await template(join(dir, 'smokes', 'tricky-smoke'), 'r', 'apps');
    const cm = objs.find((o) => o.kind === 'ConfigMap')!;
    expect(cm.data.checks).toBe(`secret data db ${words.join(',')}\n`);
  });

  it('packages are accepted by helm show chart, and the folder serves as a chart repository', async () => {
    const tgz = join(fixtureDir, 'smokes', 'secrets-smoke-0.1.0.tgz');
    const shown = await helm(['show', 'chart', tgz]);
    expect(shown.code).toBe(0);
    expect(parse(shown.stdout)).toEqual(parse(readFileSync(join(fixtureDir, 'smokes', 'secrets-smoke', 'Chart.yaml'), 'utf8')));
    const values = await helm(['show', 'values', tgz]);
    expect(values.stdout.trimEnd()).toBe(readFileSync(join(fixtureDir, 'smokes', 'secrets-smoke', 'values.yaml'), 'utf8').trimEnd());

    // Serve DIR/<env>/smokes over http as a repository; helm repo add + pull must get the same bytes.
    const root = join(fixtureDir, 'smokes');
    const server: Server = createServer((req, res) => {
      const name = (req.url ?? '/').replace(/^\/+/, '');
      if (!/^[a-z0-9.-]+\.(tgz|yaml)$/.test(name) || !existsSync(join(root, name))) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200).end(readFileSync(join(root, name)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const add = await helm(['repo', 'add', 'wg', url]);
      expect(add.stderr).toBe('');
      expect(add.code).toBe(0);
      const search = await helm(['search', 'repo', 'wg/', '--output', 'json']);
      expect(JSON.parse(search.stdout).map((e: Obj) => `${e.name}@${e.version}`).sort()).toEqual(['wg/secrets-smoke@0.1.0', 'wg/versioned-smoke@1.2.3']);
      const out = mkdtempSync(join(tmpdir(), 'wavegate-helm-pull-'));
      dirs.push(out);
      const pull = await helm(['pull', 'wg/secrets-smoke', '--version', '0.1.0', '--destination', out]);
      expect(pull.code).toBe(0);
      expect(readFileSync(join(out, 'secrets-smoke-0.1.0.tgz')).equals(readFileSync(tgz))).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('examples/ameide platform-secrets-smoke', () => {
  it('checks the ExternalSecrets and Secrets backlog 382 names, with their keys', () => {
    const values = parse(readFileSync(join(exampleDir, 'smokes', 'platform-secrets-smoke', 'values.yaml'), 'utf8'));
    const secrets = Object.fromEntries((values.checks.secrets as Obj[]).map((s) => [s.name, s.keys]));
    const es = (values.checks.externalSecrets as Obj[]).map((e) => e.name);
    // Backlog 382: "grafana-admin-credentials, loki/tempo S3, minio-service-users, platform DB creds".
    for (const name of ['grafana-admin-credentials', 'minio-service-users', 'platform-db-credentials']) {
      expect(secrets[name]?.length, name).toBeGreaterThan(0);
      expect(es).toContain(name);
    }
    expect(Object.keys(secrets).some((n) => /loki.*s3|s3.*loki/.test(n))).toBe(true);
    expect(Object.keys(secrets).some((n) => /tempo.*s3|s3.*tempo/.test(n))).toBe(true);
    expect(exampleFiles.some((f) => /^smokes\/platform-secrets-smoke-\d+\.\d+\.\d+\.tgz$/.test(f.path))).toBe(true);
  });

  it('runs end to end: the script and checks from helm template, real kubectl, the stand-in API server; requests stay within the Role', async () => {
    const objs = await template(join(exampleDir, 'smokes', 'platform-secrets-smoke'), 'platform-secrets-smoke', 'ameide');
    const cm = objs.find((o) => o.kind === 'ConfigMap')!;
    const values = parse(readFileSync(join(exampleDir, 'smokes', 'platform-secrets-smoke', 'values.yaml'), 'utf8'));
    // Record every checked object as healthy: ExternalSecrets Ready, Secrets with their keys.
    const recorded: Record<string, Recorded> = {};
    const secretValue = 'S3CR3T-value-never-printed';
    for (const e of values.checks.externalSecrets as Obj[]) {
      recorded[`external-secrets.io/externalsecrets/${e.namespace}/${e.name}`] = {
        object: { metadata: { name: e.name, namespace: e.namespace }, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'SecretSynced', message: 'Secret was synced' }] } },
      };
    }
    for (const s of values.checks.secrets as Obj[]) {
      const data = Object.fromEntries(((s.keys ?? []) as string[]).map((k) => [k, Buffer.from(secretValue).toString('base64')]));
      recorded[`/secrets/${s.namespace}/${s.name}`] = { object: { metadata: { name: s.name, namespace: s.namespace }, data } };
    }
    const api = await startStandInApiServer(recorded);
    const work = mkdtempSync(join(tmpdir(), 'wavegate-smoke-e2e-'));
    dirs.push(work);
    try {
      api.writeKubeconfig(work);
      writeFileSync(join(work, 'check.sh'), cm.data['check.sh']);
      writeFileSync(join(work, 'checks'), cm.data.checks);
      const job = objs.find((o) => o.kind === 'Job')!;
      const jobEnv = Object.fromEntries((job.spec.template.spec.containers[0].env as Obj[]).map((e) => [e.name, e.value]));
      const result = await new Promise<{ code: number | null; out: string }>((done) => {
        const child = spawn('sh', [join(work, 'check.sh'), join(work, 'checks')], {
          env: { ...jobEnv, PATH: `${join(ROOT, '.tools', 'bin')}:/usr/bin:/bin`, HOME: work, TMPDIR: work, KUBECACHEDIR: join(work, 'cache'), KUBECONFIG: join(work, 'kubeconfig') },
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (code) => done({ code, out }));
      });
      const n = (values.checks.externalSecrets as Obj[]).length + (values.checks.secrets as Obj[]).length;
      expect(result.out).toContain(`SUMMARY ${n} checks: ${n} passed, 0 failed`);
      expect(result.out.split('\n').filter((l) => l.startsWith('PASS ')).length).toBe(n);
      expect(result.code).toBe(0);
      expect(result.out).not.toContain(secretValue);
      expect(result.out).not.toContain(Buffer.from(secretValue).toString('base64'));
      // Every object the script read is one the Role grants `get` on.
      const granted = new Set(grantedAccess(objs));
      const reads = api.requests
        .map((r) => /^\/api\/v1\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(r.path) ?? /^\/apis\/([^/]+)\/[^/]+\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(r.path))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => (m.length === 4 ? `${m[1]} "" ${m[2]} ${m[3]}` : `${m[2]} ${m[1]} ${m[3]} ${m[4]}`));
      expect(reads.length).toBe(n);
      for (const r of reads) expect(granted.has(r), r).toBe(true);
    } finally {
      await api.close();
    }
  });
});
