// Runs the real smoke check script (smokes/check.sh) with `sh` (dash) and the real kubectl
// against the stand-in API server in ./standin-apiserver.ts (a Node http server, not Kubernetes).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNNER_PROGRAMS } from '../../src/smoke/settings.js';
import { startStandInApiServer, type Recorded, type StandInApiServer } from './standin-apiserver.js';

const ROOT = resolve(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'smokes', 'check.sh');
const KUBECTL = join(ROOT, '.tools', 'bin', 'kubectl');

const b64 = (s: string): string => Buffer.from(s).toString('base64');

// Secret values that must never appear in any output, plain or base64.
const VALUES = ['s3cr3t-Admin-Pa55', 'AKIAEXAMPLEKEY01', 'wJalrXUtnFEMI/K7MDENG', 'pg-pass-9Xq', 'minio-user-pw'];

const readyEs = (name: string, ns: string): Recorded => ({
  object: {
    metadata: { name, namespace: ns },
    spec: { refreshInterval: '1h', target: { name } },
    status: {
      refreshTime: '2026-11-26T10:00:00Z',
      conditions: [
        { type: 'Ready', status: 'True', reason: 'SecretSynced', message: 'Secret was synced', lastTransitionTime: '2026-11-26T10:00:00Z' },
      ],
    },
  },
});
const failingEs = (name: string, ns: string): Recorded => ({
  object: {
    metadata: { name, namespace: ns },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'SecretSyncedError',
          message: 'could not get secret data from provider',
          lastTransitionTime: '2026-11-26T10:00:00Z',
        },
      ],
    },
  },
});
const secret = (name: string, ns: string, data: Record<string, string>): Recorded => ({
  object: {
    metadata: { name, namespace: ns },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  },
});

const RECORDED: Record<string, Recorded> = {
  'external-secrets.io/externalsecrets/observability/grafana-admin-credentials': readyEs('grafana-admin-credentials', 'observability'),
  'external-secrets.io/externalsecrets/observability/loki-s3': failingEs('loki-s3', 'observability'),
  'external-secrets.io/externalsecrets/data/minio-service-users': { forbidden: true },
  // Becomes Ready on the second GET: a bounded retry must pick that up.
  'external-secrets.io/externalsecrets/observability/tempo-s3': {
    sequence: [
      {
        metadata: { name: 'tempo-s3', namespace: 'observability' },
        status: { conditions: [{ type: 'Ready', status: 'False', reason: 'SecretSyncedError', message: 'store not ready' }] },
      },
      {
        metadata: { name: 'tempo-s3', namespace: 'observability' },
        status: { conditions: [{ type: 'Ready', status: 'True', reason: 'SecretSynced', message: 'Secret was synced' }] },
      },
    ],
  },
  '/secrets/observability/grafana-admin-credentials': secret('grafana-admin-credentials', 'observability', {
    'admin-user': 'admin',
    'admin-password': VALUES[0]!,
  }),
  '/secrets/observability/loki-s3': secret('loki-s3', 'observability', { AWS_ACCESS_KEY_ID: VALUES[1]!, note: VALUES[2]! }),
  '/secrets/platform/platform-db': secret('platform-db', 'platform', { username: 'app', password: VALUES[3]! }),
  '/secrets/data/minio-service-users': { forbidden: true },
  '/secrets/platform/token-rejected': { unauthorized: true },
  'postgresql.cnpg.io/clusters/platform/platform-postgres': {
    object: {
      metadata: { name: 'platform-postgres', namespace: 'platform' },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ClusterIsReady', message: 'Cluster is Ready' }] },
    },
  },
  'external-secrets.io/clustersecretstores/-/ameide-vault': {
    object: {
      metadata: { name: 'ameide-vault' },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Valid', message: 'store validated' }] },
    },
  },
  'postgresql.cnpg.io/clusters/platform/no-status': { object: { metadata: { name: 'no-status', namespace: 'platform' } } },
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: string[];
}

let api: StandInApiServer;
let dir: string;
/** A PATH holding only the programs RUNNER_PROGRAMS.script lists (what an image for runner script must have). */
let onlyListed: string;

beforeAll(async () => {
  if (!existsSync(KUBECTL)) throw new Error(`real kubectl not found at ${KUBECTL}: run node scripts/install-tools.mjs`);
  api = await startStandInApiServer(RECORDED);
  dir = mkdtempSync(join(tmpdir(), 'wavegate-smoke-script-'));
  api.writeKubeconfig(dir);
  onlyListed = join(dir, 'bin');
  mkdirSync(onlyListed);
  for (const p of RUNNER_PROGRAMS.script) {
    const found = p === 'kubectl' ? KUBECTL : spawnSync('sh', ['-c', `command -v ${p}`], { encoding: 'utf8' }).stdout.trim();
    if (!found.startsWith('/')) throw new Error(`${p} not found on this machine`);
    symlinkSync(found, join(onlyListed, p));
  }
});
afterAll(async () => {
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let runNo = 0;
function runScript(checks: string, env: Record<string, string> = {}, kubeconfig = join(dir, 'kubeconfig')): Promise<Run> {
  const checksFile = join(dir, `checks-${++runNo}`);
  writeFileSync(checksFile, checks);
  return new Promise((done, fail) => {
    // PATH has only the listed programs: the script must need nothing else.
    const child = spawn(join(onlyListed, 'sh'), [SCRIPT, checksFile], {
      env: {
        PATH: onlyListed,
        HOME: dir,
        TMPDIR: dir,
        KUBECONFIG: kubeconfig,
        KUBECACHEDIR: join(dir, 'cache'),
        SMOKE_ATTEMPTS: '2',
        SMOKE_SLEEP_SECONDS: '0',
        SMOKE_DEADLINE_SECONDS: '60',
        SMOKE_REQUEST_TIMEOUT_SECONDS: '5',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr, lines: stdout.split('\n').filter((l) => /^(PASS|FAIL|SUMMARY) /.test(l)) }));
  });
}

function expectNoSecretValues(run: Run): void {
  for (const v of VALUES) {
    for (const s of [v, b64(v)]) {
      expect(run.stdout).not.toContain(s);
      expect(run.stderr).not.toContain(s);
    }
  }
}

const ES = 'ExternalSecret externalsecrets.external-secrets.io Ready';

describe('smoke check script against the stand-in API server', () => {
  it('passes when every ExternalSecret is Ready and every Secret has its keys', async () => {
    const run = await runScript(
      [
        `condition observability grafana-admin-credentials ${ES}`,
        'secret observability grafana-admin-credentials admin-user,admin-password',
        'secret platform platform-db -',
        'condition platform platform-postgres Cluster clusters.v1.postgresql.cnpg.io Ready',
        'condition - ameide-vault ClusterSecretStore clustersecretstores.v1.external-secrets.io Ready',
        '',
      ].join('\n'),
    );
    expect(run.lines).toEqual([
      'PASS ExternalSecret observability/grafana-admin-credentials: Ready=True reason=SecretSynced message="Secret was synced"',
      'PASS Secret observability/grafana-admin-credentials: exists with keys admin-user,admin-password',
      'PASS Secret platform/platform-db: exists',
      'PASS Cluster platform/platform-postgres: Ready=True reason=ClusterIsReady message="Cluster is Ready"',
      'PASS ClusterSecretStore ameide-vault: Ready=True reason=Valid message="store validated"',
      'SUMMARY 5 checks: 5 passed, 0 failed',
    ]);
    expect(run.code).toBe(0);
    expectNoSecretValues(run);
    // Only GETs of single objects and discovery: no list, no watch.
    expect(api.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('reports not Ready (reason, message), missing, missing key and forbidden, runs every check, exits 1', async () => {
    const run = await runScript(
      [
        '# the first check fails; every later one must still run',
        `condition observability loki-s3 ${ES}`,
        `condition observability absent-es ${ES}`,
        `condition data minio-service-users ${ES}`,
        'secret observability loki-s3 AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY',
        'secret platform missing-secret password',
        'secret data minio-service-users users',
        'secret platform platform-db username,password',
        'condition platform no-status Cluster clusters.v1.postgresql.cnpg.io Ready',
      ].join('\n'),
    );
    expect(run.lines).toEqual([
      'FAIL ExternalSecret observability/loki-s3: Ready=False reason=SecretSyncedError message="could not get secret data from provider" (after 2 attempts)',
      'FAIL ExternalSecret observability/absent-es: not found (after 2 attempts)',
      'FAIL ExternalSecret data/minio-service-users: forbidden: externalsecrets.external-secrets.io "minio-service-users" is forbidden: User "system:serviceaccount:data:smoke" cannot get resource "externalsecrets" in API group "external-secrets.io" in the namespace "data" (after 2 attempts)',
      'FAIL Secret observability/loki-s3: missing keys: AWS_SECRET_ACCESS_KEY (after 2 attempts)',
      'FAIL Secret platform/missing-secret: not found (after 2 attempts)',
      'FAIL Secret data/minio-service-users: forbidden: secrets "minio-service-users" is forbidden: User "system:serviceaccount:data:smoke" cannot get resource "secrets" in API group "" in the namespace "data" (after 2 attempts)',
      'PASS Secret platform/platform-db: exists with keys username,password',
      'FAIL Cluster platform/no-status: no Ready condition reported yet (after 2 attempts)',
      'SUMMARY 8 checks: 1 passed, 7 failed',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('WAIT ExternalSecret observability/loki-s3: Ready=False reason=SecretSyncedError');
    expectNoSecretValues(run);
  });

  it('retries a check that is not Ready yet (bounded attempts) and passes it when it turns Ready', async () => {
    const run = await runScript(`condition observability tempo-s3 ${ES}\n`, { SMOKE_ATTEMPTS: '3', SMOKE_SLEEP_SECONDS: '1' });
    expect(run.stdout).toContain(
      'WAIT ExternalSecret observability/tempo-s3: Ready=False reason=SecretSyncedError message="store not ready" (round 1/3)',
    );
    expect(run.lines).toEqual([
      'PASS ExternalSecret observability/tempo-s3: Ready=True reason=SecretSynced message="Secret was synced"',
      'SUMMARY 1 checks: 1 passed, 0 failed',
    ]);
    expect(run.code).toBe(0);
  });

  it('stops retrying at the deadline even when attempts remain', async () => {
    const run = await runScript(`condition observability loki-s3 ${ES}\n`, {
      SMOKE_ATTEMPTS: '1000',
      SMOKE_SLEEP_SECONDS: '1',
      SMOKE_DEADLINE_SECONDS: '2',
    });
    expect(run.code).toBe(1);
    const fail = run.lines.find((l) => l.startsWith('FAIL'));
    expect(fail).toMatch(/^FAIL ExternalSecret observability\/loki-s3: Ready=False .* \(after (\d+) attempts\)$/);
    expect(Number(/after (\d+) attempts/.exec(fail!)![1])).toBeLessThan(10);
  });

  it('rejects a malformed checks file or settings with exit 2 before calling kubectl', async () => {
    const before = api.requests.length;
    const bad = await runScript('secret platform x;rm password\n');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/^ERROR .*checks-\d+:1: /m);
    const clusterSecret = await runScript('secret - x -\n');
    expect(clusterSecret.stdout).toContain('namespace and name must be Kubernetes names');
    expect(clusterSecret.code).toBe(2);
    const unknown = await runScript('configmap platform x\n');
    expect(unknown.stdout).toContain("unknown check type 'configmap'");
    expect(unknown.code).toBe(2);
    const attempts = await runScript(`condition observability loki-s3 ${ES}\n`, { SMOKE_ATTEMPTS: 'many' });
    expect(attempts.stdout).toContain("SMOKE_ATTEMPTS must be a whole number >= 1 (got 'many')");
    expect(attempts.code).toBe(2);
    const empty = await runScript('# nothing\n');
    expect(empty.code).toBe(2);
    expect(api.requests.length).toBe(before);
  });

  it("names the cause when kubectl's stderr starts with client log lines: unauthorized, unreachable, no such resource type", async () => {
    // A bad token: kubectl 1.35 prints memcache.go log lines ("E1204 ... memcache.go:265] ...")
    // on stderr before "error: You must be logged in to the server (...)".
    const rejecting = await startStandInApiServer({}, undefined, { rejectAll: true });
    try {
      const kc = rejecting.writeKubeconfig(join(dir, 'rejecting'));
      const run = await runScript('secret platform platform-db username\n', {}, kc);
      expect(run.lines).toEqual([
        'FAIL Secret platform/platform-db: unauthorized (is the ServiceAccount token mounted and valid?) (after 2 attempts)',
        'SUMMARY 1 checks: 0 passed, 1 failed',
      ]);
      expect(run.code).toBe(1);
    } finally {
      await rejecting.close();
    }
    // Discovery works, the object's GET is rejected: "error: You must be logged in to the server (Unauthorized)".
    const one = await runScript('secret platform token-rejected password\n');
    expect(one.lines[0]).toBe(
      'FAIL Secret platform/token-rejected: unauthorized (is the ServiceAccount token mounted and valid?) (after 2 attempts)',
    );
    // Nothing listens: log lines, then "The connection to the server 127.0.0.1:1 was refused ...".
    const unreachable = join(dir, 'unreachable');
    writeFileSync(unreachable, readFileSync(join(dir, 'kubeconfig'), 'utf8').replace(/server: "[^"]+"/, 'server: "http://127.0.0.1:1"'));
    const down = await runScript('secret platform platform-db username\n', { SMOKE_ATTEMPTS: '1' }, unreachable);
    expect(down.lines[0]).toBe(
      'FAIL Secret platform/platform-db: cannot reach the API server: The connection to the server 127.0.0.1:1 was refused - did you specify the right host or port? (after 1 attempts)',
    );
    // A CRD that is not installed: kubectl says "error: the server doesn't have a resource type".
    const nocrd = await runScript('condition platform x Widget widgets.v1.example.io Ready\n', { SMOKE_ATTEMPTS: '1' });
    expect(nocrd.lines[0]).toBe(
      'FAIL Widget platform/x: the server has no resource type "widgets" (is its CRD installed?) (after 1 attempts)',
    );
    for (const r of [one, down, nocrd]) {
      expect(r.stdout).not.toMatch(/memcache|^E\d{4} |error: error:/m);
      expectNoSecretValues(r);
    }
  });

  it('is clean under shellcheck (POSIX sh) and never uses set -x, -o yaml/json or jsonpath', () => {
    const r = spawnSync('shellcheck', ['--shell=sh', SCRIPT], { encoding: 'utf8' });
    if (r.error) throw new Error(`shellcheck not runnable (.ci/run installs it): ${r.error.message}`);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    const code = spawnSync('sh', ['-c', `grep -v '^ *#' "${SCRIPT}"`], { encoding: 'utf8' }).stdout;
    expect(code).not.toMatch(/set -[a-z]*x/);
    expect(code).not.toMatch(/-o\s*(yaml|json)|--output[= ](yaml|json)|jsonpath/);
  });
});
