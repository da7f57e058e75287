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
import { DEFAULT_IMAGE_PROGRAMS, RUNNER_PROGRAMS, SMOKE_DEFAULTS } from '../../src/smoke/settings.js';
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
  for (const e of values.checks.externalSecrets ?? [])
    out.push(`${e.namespace ?? releaseNs} external-secrets.io externalsecrets ${e.name}`);
  for (const s of values.checks.secrets ?? []) out.push(`${s.namespace ?? releaseNs} "" secrets ${s.name}`);
  for (const r of values.checks.resources ?? []) {
    const group = r.apiVersion.includes('/') ? r.apiVersion.split('/')[0] : '""';
    out.push(`${r.clusterScoped ? '*' : (r.namespace ?? releaseNs)} ${group} ${r.plural} ${r.name}`);
  }
  return [...new Set(out)].sort();
}

/**
 * What the rendered Roles and ClusterRoles grant, as (namespace or `*`, apiGroup, resource,
 * name); every rule must have exactly `verbs` (runner kubectl: get, list, watch for kubectl
 * wait; runner script: get) and resourceNames.
 */
function grantedAccess(objs: Obj[], verbs = ['get', 'list', 'watch']): string[] {
  const out: string[] = [];
  for (const role of objs.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
    for (const rule of role.rules) {
      expect(rule.verbs).toEqual(verbs);
      expect(rule.resourceNames?.length).toBeGreaterThan(0);
      for (const g of rule.apiGroups)
        for (const res of rule.resources)
          for (const n of rule.resourceNames) out.push(`${role.metadata.namespace ?? '*'} ${g === '' ? '""' : g} ${res} ${n}`);
    }
  }
  return out.sort();
}

beforeAll(async () => {
  for (const [bin, what] of [
    [HELM, 'helm'],
    [KUBECTL, 'kubectl'],
  ] as const) {
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
    const all = [
      ...charts(fixtureFiles).map((c) => join(fixtureDir, 'smokes', c)),
      ...charts(exampleFiles).map((c) => join(exampleDir, 'smokes', c)),
    ];
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

  it('renders the Job as a regular resource (mode regular, the default): no Argo hook on it or what it needs; a helm test Job Argo skips', async () => {
    const objs = await template(join(fixtureDir, 'smokes', 'secrets-smoke'), 'secrets-smoke', 'platform');
    const jobs = objs.filter((o) => o.kind === 'Job');
    expect(jobs.map((j) => j.metadata.name)).toEqual([expect.stringMatching(/^secrets-smoke-[0-9a-f]{10}$/), 'secrets-smoke-test']);
    const [job, test] = jobs as [Obj, Obj];
    // No annotation at all: Argo CD's hook detection (gitops-engine pkg/sync/hook, resource_util
    // IsHook) looks at argocd.argoproj.io/hook and helm.sh/hook, so neither may be on the Job.
    expect(job.metadata.annotations).toBeUndefined();
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    // The helm test Job: a Helm test hook only, which Argo CD skips (argo-cd#2038) and leaves out of health.
    expect(test.metadata.annotations).toEqual({ 'helm.sh/hook': 'test', 'helm.sh/hook-delete-policy': 'before-hook-creation' });
    expect(test.spec.template).toEqual(job.spec.template);
    for (const o of objs.filter((x) => x.kind !== 'Job')) {
      expect(o.metadata.annotations, `${o.kind} ${o.metadata.name}`).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
    }
    // runner kubectl needs no script: no ConfigMap.
    expect(objs.map((o) => o.kind)).not.toContain('ConfigMap');
  });

  it('mode hook (opt-in): every object is an Argo hook of the phase, the Job also a Helm test, no hash in its name', async () => {
    const objs = await template(join(fixtureDir, 'smokes', 'secrets-smoke'), 'secrets-smoke', 'platform', ['--set', 'mode=hook']);
    const jobs = objs.filter((o) => o.kind === 'Job');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.metadata.name).toBe('secrets-smoke');
    expect(jobs[0]!.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'PostSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'helm.sh/hook': 'test',
      'helm.sh/hook-delete-policy': 'before-hook-creation',
    });
    expect(jobs[0]!.spec.ttlSecondsAfterFinished).toBe(3600);
    for (const o of objs.filter((x) => x.kind !== 'Job')) {
      expect(o.metadata.annotations).toEqual({
        'argocd.argoproj.io/hook': 'PostSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        'argocd.argoproj.io/sync-wave': '-1',
      });
    }
    // versioned-smoke sets mode: hook and hook: PreSync in its component.
    const pre = await template(join(fixtureDir, 'smokes', 'versioned-smoke'), 'v', 'data');
    expect(pre.filter((o) => o.kind === 'Job').map((o) => o.metadata.annotations['argocd.argoproj.io/hook'])).toEqual(['PreSync']);
  });

  it('names the Job by a hash of what it runs: same checks same name, a changed check or image a new one', async () => {
    const dir = join(fixtureDir, 'smokes', 'secrets-smoke');
    const name = async (extra: string[] = []): Promise<string> =>
      (await template(dir, 'secrets-smoke', 'platform', extra)).find((o) => o.kind === 'Job')!.metadata.name;
    const base = await name();
    expect(await name()).toBe(base);
    expect(await name(['--set', 'attempts=12'])).toBe(base); // the value it already has
    const changed = [
      await name(['--set-json', 'checks.secrets=[{"name":"platform-db","keys":["username"]}]']),
      await name(['--set', 'image.tag=v1.35.3']),
      await name(['--set', 'timeoutSeconds=300']),
      await name(['--set', 'runner=script']),
    ];
    for (const n of changed) expect(n).toMatch(/^secrets-smoke-[0-9a-f]{10}$/);
    expect(new Set([base, ...changed]).size).toBe(changed.length + 1);
    // runner script: the script and its checks are in the ConfigMap, and count too.
    const script = await name(['--set', 'runner=script']);
    expect(await name(['--set', 'runner=script', '--set-json', 'checks.resources=[]'])).not.toBe(script);
  });

  it('runs only programs the image has: runner kubectl execs kubectl (all the default distroless image holds), runner script sh', async () => {
    expect(SMOKE_DEFAULTS.image.repository).toBe('registry.k8s.io/kubectl');
    for (const [dir, files] of [
      [fixtureDir, fixtureFiles],
      [exampleDir, exampleFiles],
    ] as const) {
      for (const chart of charts(files)) {
        for (const runner of ['kubectl', 'script'] as const) {
          const objs = await template(join(dir, 'smokes', chart), chart, 'ns', ['--set', `runner=${runner}`]);
          const allowed = runner === 'kubectl' ? DEFAULT_IMAGE_PROGRAMS : RUNNER_PROGRAMS.script;
          for (const job of objs.filter((o) => o.kind === 'Job')) {
            const pod = job.spec.template.spec;
            for (const c of [...(pod.initContainers ?? []), ...pod.containers] as Obj[]) {
              expect(c.command, `${chart} ${c.name}`).toBeDefined(); // never the image's entrypoint
              expect(allowed, `${chart} ${runner} ${c.name}: ${c.command[0]}`).toContain(c.command[0]);
            }
          }
        }
      }
    }
    expect(RUNNER_PROGRAMS.kubectl.every((p) => DEFAULT_IMAGE_PROGRAMS.includes(p))).toBe(true);
    expect(DEFAULT_IMAGE_PROGRAMS).not.toContain('sh');
  });

  it('bounds the run, and every container (init and main, both runners) meets Pod Security restricted', async () => {
    for (const runner of ['kubectl', 'script']) {
      const objs = await template(join(fixtureDir, 'smokes', 'secrets-smoke'), 'secrets-smoke', 'platform', ['--set', `runner=${runner}`]);
      for (const job of objs.filter((o) => o.kind === 'Job')) {
        expect(job.spec.backoffLimit).toBe(runner === 'kubectl' ? 11 : 0); // attempts 12
        expect(job.spec.activeDeadlineSeconds).toBe(120);
        const pod = job.spec.template.spec;
        expect(pod.restartPolicy).toBe('Never');
        expect(pod.serviceAccountName).toBe('secrets-smoke');
        // Restricted profile: checks of the Pod Security Standards "restricted" level.
        for (const host of ['hostNetwork', 'hostPID', 'hostIPC']) expect(pod[host]).toBeFalsy();
        // Restricted allows only these volume types.
        const allowed = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
        for (const v of pod.volumes as Obj[])
          expect(
            Object.keys(v)
              .filter((k) => k !== 'name')
              .every((k) => allowed.includes(k)),
            v.name,
          ).toBe(true);
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
        expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '32Mi' } });
        const containers = [...(pod.initContainers ?? []), ...pod.containers] as Obj[];
        expect(containers.length).toBe(runner === 'kubectl' ? 12 : 1); // 2 ExternalSecrets, 2+2+1 Secret keys/existence, 5 resources
        expect(new Set(containers.map((c) => c.name)).size).toBe(containers.length);
        for (const c of containers) {
          expect(c.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
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
          expect(c.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
          expect(c.image).toBe(`registry.example.com/tools/kubectl:v1.35.2@${DIGEST}`);
          // kubectl's cache goes to the writable emptyDir at /tmp.
          expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
          const env = Object.fromEntries((c.env as Obj[]).map((e) => [e.name, e.value]));
          expect(env).toEqual({
            HOME: '/tmp',
            KUBECACHEDIR: '/tmp/.kube/cache',
            ...(runner === 'script'
              ? { SMOKE_ATTEMPTS: '12', SMOKE_SLEEP_SECONDS: '5', SMOKE_DEADLINE_SECONDS: '108', SMOKE_REQUEST_TIMEOUT_SECONDS: '10' }
              : {}),
          });
          if (runner === 'kubectl') expect(c.args).toContain('--timeout=108s');
        }
      }
    }
  });

  it('grants get on exactly the checked objects: one Role per namespace, with resourceNames', async () => {
    for (const [dir, files] of [
      [fixtureDir, fixtureFiles],
      [exampleDir, exampleFiles],
    ] as const) {
      for (const chart of charts(files)) {
        const values = parse(readFileSync(join(dir, 'smokes', chart, 'values.yaml'), 'utf8'));
        const objs = await template(join(dir, 'smokes', chart), chart, 'release-ns');
        expect(grantedAccess(objs), chart).toEqual(expectedAccess(values, 'release-ns'));
        const roleNs = objs.filter((o) => o.kind === 'Role').map((o) => o.metadata.namespace);
        expect(new Set(roleNs).size).toBe(roleNs.length);
        for (const rb of objs.filter((o) => o.kind === 'RoleBinding')) {
          expect(rb.roleRef).toEqual({
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Role',
            name: objs.find((o) => o.kind === 'Role')!.metadata.name,
          });
          expect(rb.subjects).toEqual([
            { kind: 'ServiceAccount', name: objs.find((o) => o.kind === 'ServiceAccount')!.metadata.name, namespace: 'release-ns' },
          ]);
        }
        expect(
          objs
            .filter((o) => o.kind === 'RoleBinding')
            .map((o) => o.metadata.namespace)
            .sort(),
        ).toEqual([...roleNs].sort());
        const clusterRoles = objs.filter((o) => o.kind === 'ClusterRole');
        const crbs = objs.filter((o) => o.kind === 'ClusterRoleBinding');
        expect(crbs.length).toBe(clusterRoles.length);
        expect(clusterRoles.length).toBeLessThanOrEqual(1);
        for (const crb of crbs) {
          expect(crb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoles[0]!.metadata.name });
          expect(crb.subjects).toEqual([
            { kind: 'ServiceAccount', name: objs.find((o) => o.kind === 'ServiceAccount')!.metadata.name, namespace: 'release-ns' },
          ]);
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
    const replace = (secrets: string): string[] => [
      '--set-json',
      'checks.externalSecrets=[]',
      '--set-json',
      'checks.resources=[]',
      '--set-json',
      `checks.secrets=${secrets}`,
    ];
    const objs = await template(dir, 'r', 'apps', replace('[{"name":"only-this","keys":["k"]}]'));
    expect(grantedAccess(objs)).toEqual(['apps "" secrets only-this']);
    const job = objs.find((o) => o.kind === 'Job')!;
    expect(job.spec.template.spec.initContainers).toBeUndefined();
    expect(job.spec.template.spec.containers.map((c: Obj) => c.args)).toEqual([
      ['wait', '--for=jsonpath={.data.k}', '--timeout=108s', '--namespace', 'apps', 'secrets/only-this'],
    ]);
    const scripted = await template(dir, 'r', 'apps', [...replace('[{"name":"only-this","keys":["k"]}]'), '--set', 'runner=script']);
    expect(grantedAccess(scripted, ['get'])).toEqual(['apps "" secrets only-this']);
    const cm = scripted.find((o) => o.kind === 'ConfigMap')!;
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
    const tricky = {
      ...VERSIONED_SMOKE,
      name: 'tricky-smoke',
      smoke: { ...VERSIONED_SMOKE.smoke, secrets: [{ name: 'db', namespace: 'data', keys: words }] },
    };
    const fx = loadFixture([tricky, VAULT_SECRETS]);
    const dir = writeRendered((await renderSmokes(fx.catalog, fx.env)).files);
    dirs.push(dir);
    const objs = await template(join(dir, 'smokes', 'tricky-smoke'), 'r', 'apps', ['--set', 'runner=script']);
    const cm = objs.find((o) => o.kind === 'ConfigMap')!;
    expect(cm.data.checks).toBe(`secret data db ${words.join(',')}\n`);
    const pod = (await template(join(dir, 'smokes', 'tricky-smoke'), 'r', 'apps')).find((o) => o.kind === 'Job')!.spec.template.spec;
    const fors = [...(pod.initContainers ?? []), ...pod.containers].map((c: Obj) => c.args[1]);
    expect(fors).toEqual(words.map((w) => `--for=jsonpath={.data.${w.replace(/\./g, '\\.')}}`));
  });

  it('packages are accepted by helm show chart, and the folder serves as a chart repository', async () => {
    const version = (name: string): string => parse(readFileSync(join(fixtureDir, 'smokes', name, 'Chart.yaml'), 'utf8')).version;
    const v = version('secrets-smoke');
    expect(v).toMatch(/^0\.1\.0\+dev\.[0-9a-f]{10}$/);
    const tgz = join(fixtureDir, 'smokes', `secrets-smoke-${v.replace('+', '_')}.tgz`);
    const shown = await helm(['show', 'chart', tgz]);
    expect(shown.code).toBe(0);
    expect(parse(shown.stdout)).toEqual(parse(readFileSync(join(fixtureDir, 'smokes', 'secrets-smoke', 'Chart.yaml'), 'utf8')));
    const values = await helm(['show', 'values', tgz]);
    expect(values.stdout.trimEnd()).toBe(readFileSync(join(fixtureDir, 'smokes', 'secrets-smoke', 'values.yaml'), 'utf8').trimEnd());

    // Serve DIR/<env>/smokes over http as a repository; helm repo add + pull must get the same bytes.
    const root = join(fixtureDir, 'smokes');
    const server: Server = createServer((req, res) => {
      const name = (req.url ?? '/').replace(/^\/+/, '');
      const name2 = decodeURIComponent(name);
      if (!/^[a-z0-9._+-]+\.(tgz|yaml)$/.test(name2) || !existsSync(join(root, name2))) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200).end(readFileSync(join(root, name2)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const add = await helm(['repo', 'add', 'wg', url]);
      expect(add.stderr).toBe('');
      expect(add.code).toBe(0);
      const search = await helm(['search', 'repo', 'wg/', '--output', 'json']);
      expect(
        JSON.parse(search.stdout)
          .map((e: Obj) => `${e.name}@${e.version}`)
          .sort(),
      ).toEqual([`wg/secrets-smoke@${v}`, `wg/versioned-smoke@${version('versioned-smoke')}`]);
      const out = mkdtempSync(join(tmpdir(), 'wavegate-helm-pull-'));
      dirs.push(out);
      const pull = await helm(['pull', 'wg/secrets-smoke', '--version', v, '--destination', out]);
      expect(pull.stderr).toBe('');
      expect(pull.code).toBe(0);
      // helm pull keeps the file name of the index's URL.
      expect(readFileSync(join(out, `secrets-smoke-${v.replace('+', '_')}.tgz`)).equals(readFileSync(tgz))).toBe(true);
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
    expect(exampleFiles.some((f) => /^smokes\/platform-secrets-smoke-\d+\.\d+\.\d+_dev\.[0-9a-f]{10}\.tgz$/.test(f.path))).toBe(true);
  });

  /** Every checked object of the example's values recorded healthy (ExternalSecrets Ready, Secrets with their keys), some overridden. */
  const recordAll = (values: Obj, secretValue: string, override: Record<string, Recorded> = {}): Record<string, Recorded> => {
    const recorded: Record<string, Recorded> = {};
    for (const e of values.checks.externalSecrets as Obj[]) {
      recorded[`external-secrets.io/externalsecrets/${e.namespace}/${e.name}`] = {
        object: {
          metadata: { name: e.name, namespace: e.namespace },
          status: { conditions: [{ type: 'Ready', status: 'True', reason: 'SecretSynced', message: 'Secret was synced' }] },
        },
      };
    }
    for (const s of values.checks.secrets as Obj[]) {
      const data = Object.fromEntries(((s.keys ?? []) as string[]).map((k) => [k, Buffer.from(secretValue).toString('base64')]));
      recorded[`/secrets/${s.namespace}/${s.name}`] = { object: { metadata: { name: s.name, namespace: s.namespace }, data } };
    }
    return { ...recorded, ...override };
  };

  /** (namespace, group, resource, name) of each object request (GET by name, or LIST/WATCH with a metadata.name field selector). */
  const objectRequests = (requests: { path: string; query: string }[]): string[] =>
    requests.flatMap((r) => {
      const byName =
        /^\/api\/v1\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(r.path) ??
        /^\/apis\/([^/]+)\/[^/]+\/namespaces\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(r.path);
      if (byName)
        return [byName.length === 4 ? `${byName[1]} "" ${byName[2]} ${byName[3]}` : `${byName[2]} ${byName[1]} ${byName[3]} ${byName[4]}`];
      const coll =
        /^\/api\/v1\/namespaces\/([^/]+)\/([^/]+)$/.exec(r.path) ?? /^\/apis\/([^/]+)\/[^/]+\/namespaces\/([^/]+)\/([^/]+)$/.exec(r.path);
      if (!coll) return [];
      const name = /^metadata\.name=(.+)$/.exec(new URLSearchParams(r.query).get('fieldSelector') ?? '')?.[1] ?? '<no field selector>';
      return [coll.length === 3 ? `${coll[1]} "" ${coll[2]} ${name}` : `${coll[2]} ${coll[1]} ${coll[3]} ${name}`];
    });

  /** Runs the Job's containers (init containers in order, then the main one; stops at the first failure, as the kubelet does) with the real kubectl. */
  async function runKubectlJob(
    job: Obj,
    kubeconfig: string,
    work: string,
  ): Promise<{ name: string; code: number | null; stdout: string; stderr: string }[]> {
    const pod = job.spec.template.spec;
    const out: { name: string; code: number | null; stdout: string; stderr: string }[] = [];
    for (const c of [...(pod.initContainers ?? []), ...pod.containers] as Obj[]) {
      expect(c.command).toEqual(['kubectl']);
      const env = {
        ...Object.fromEntries((c.env as Obj[]).map((e) => [e.name, e.value])),
        HOME: work,
        KUBECACHEDIR: join(work, 'cache'),
        KUBECONFIG: kubeconfig,
      };
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
        const child = spawn(KUBECTL, c.args as string[], { env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => done({ code, stdout, stderr }));
      });
      out.push({ name: c.name, ...r });
      if (r.code !== 0) break;
    }
    return out;
  }

  it('runner kubectl end to end: the Job from helm template, each container run by the real kubectl against the stand-in API server; requests stay within the Role', async () => {
    const objs = await template(join(exampleDir, 'smokes', 'platform-secrets-smoke'), 'platform-secrets-smoke', 'ameide', [
      '--set',
      'timeoutSeconds=30',
    ]);
    const values = parse(readFileSync(join(exampleDir, 'smokes', 'platform-secrets-smoke', 'values.yaml'), 'utf8'));
    const secretValue = 'S3CR3T-value-never-printed';
    const job = objs.find((o) => o.kind === 'Job' && !o.metadata.annotations)!;
    const n =
      (values.checks.externalSecrets as Obj[]).length +
      (values.checks.secrets as Obj[]).reduce((sum: number, s: Obj) => sum + Math.max(1, (s.keys ?? []).length), 0);
    const work = mkdtempSync(join(tmpdir(), 'wavegate-smoke-kubectl-'));
    dirs.push(work);

    const api = await startStandInApiServer(recordAll(values, secretValue));
    try {
      const kubeconfig = api.writeKubeconfig(work);
      const results = await runKubectlJob(job, kubeconfig, work);
      expect(results.map((r) => r.code)).toEqual(new Array(n).fill(0));
      // kubectl wait's own success line names each object.
      expect(results[0]!.stdout.trim()).toBe(`externalsecret.external-secrets.io/${values.checks.externalSecrets[0].name} condition met`);
      for (const r of results) expect(r.stdout).toMatch(/condition met\n$/);
      const all = results.map((r) => r.stdout + r.stderr).join('');
      expect(all).not.toContain(secretValue);
      expect(all).not.toContain(Buffer.from(secretValue).toString('base64'));
      // Every object read (get, list, watch) is one the Role grants, by name.
      const granted = new Set(grantedAccess(objs));
      const reads = objectRequests(api.requests);
      expect(reads.length).toBeGreaterThanOrEqual(2 * n);
      for (const r of reads) expect(granted.has(r), r).toBe(true);
    } finally {
      await api.close();
    }

    // An ExternalSecret not Ready and a Secret missing a key: the pod fails, kubectl's error names the object.
    const bad = values.checks.externalSecrets[1].name as string;
    const api2 = await startStandInApiServer(
      recordAll(values, secretValue, {
        [`external-secrets.io/externalsecrets/ameide/${bad}`]: {
          object: {
            metadata: { name: bad, namespace: 'ameide' },
            status: {
              conditions: [
                { type: 'Ready', status: 'False', reason: 'SecretSyncedError', message: 'could not get secret data from provider' },
              ],
            },
          },
        },
      }),
    );
    try {
      const failing = await template(join(exampleDir, 'smokes', 'platform-secrets-smoke'), 'platform-secrets-smoke', 'ameide', [
        '--set',
        'timeoutSeconds=7',
      ]);
      const results = await runKubectlJob(
        failing.find((o) => o.kind === 'Job' && !o.metadata.annotations)!,
        api2.writeKubeconfig(work),
        work,
      );
      expect(results.map((r) => r.code)).toEqual([0, 1]);
      expect(results[1]!.name).toBe(`check-2-externalsecret-${bad}`);
      expect(results[1]!.stderr.trim()).toBe(`error: timed out waiting for the condition on externalsecrets/${bad}`);
    } finally {
      await api2.close();
    }
    const secretName = values.checks.secrets[0].name as string;
    const api3 = await startStandInApiServer(
      recordAll(values, secretValue, {
        [`/secrets/ameide/${secretName}`]: { object: { metadata: { name: secretName, namespace: 'ameide' }, data: { other: 'eA==' } } },
      }),
    );
    try {
      const failing = await template(join(exampleDir, 'smokes', 'platform-secrets-smoke'), 'platform-secrets-smoke', 'ameide', [
        '--set',
        'timeoutSeconds=7',
      ]);
      const results = await runKubectlJob(
        failing.find((o) => o.kind === 'Job' && !o.metadata.annotations)!,
        api3.writeKubeconfig(work),
        work,
      );
      const last = results[results.length - 1]!;
      expect(last.code).toBe(1);
      expect(last.name).toBe(
        `check-${(values.checks.externalSecrets as Obj[]).length + 1}-secret-${secretName}-${values.checks.secrets[0].keys[0]}`.toLowerCase(),
      );
      expect(last.stderr.trim()).toBe(`error: timed out waiting for the condition on secrets/${secretName}`);
    } finally {
      await api3.close();
    }
  }, 60_000);

  it('runner script end to end: the script and checks from helm template, real kubectl, the stand-in API server; requests stay within the Role', async () => {
    const objs = await template(join(exampleDir, 'smokes', 'platform-secrets-smoke'), 'platform-secrets-smoke', 'ameide', [
      '--set',
      'runner=script',
    ]);
    const cm = objs.find((o) => o.kind === 'ConfigMap')!;
    const values = parse(readFileSync(join(exampleDir, 'smokes', 'platform-secrets-smoke', 'values.yaml'), 'utf8'));
    const secretValue = 'S3CR3T-value-never-printed';
    const api = await startStandInApiServer(recordAll(values, secretValue));
    const work = mkdtempSync(join(tmpdir(), 'wavegate-smoke-e2e-'));
    dirs.push(work);
    try {
      api.writeKubeconfig(work);
      writeFileSync(join(work, 'check.sh'), cm.data['check.sh']);
      writeFileSync(join(work, 'checks'), cm.data.checks);
      const job = objs.find((o) => o.kind === 'Job' && !o.metadata.annotations)!;
      const jobEnv = Object.fromEntries((job.spec.template.spec.containers[0].env as Obj[]).map((e) => [e.name, e.value]));
      const result = await new Promise<{ code: number | null; out: string }>((done) => {
        const child = spawn('sh', [join(work, 'check.sh'), join(work, 'checks')], {
          env: {
            ...jobEnv,
            PATH: `${join(ROOT, '.tools', 'bin')}:/usr/bin:/bin`,
            HOME: work,
            TMPDIR: work,
            KUBECACHEDIR: join(work, 'cache'),
            KUBECONFIG: join(work, 'kubeconfig'),
          },
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
      const granted = new Set(grantedAccess(objs, ['get']));
      const reads = objectRequests(api.requests);
      expect(reads.length).toBe(n);
      for (const r of reads) expect(granted.has(r), r).toBe(true);
    } finally {
      await api.close();
    }
  });
});
