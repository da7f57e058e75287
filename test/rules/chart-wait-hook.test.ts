/**
 * chart-wait-hook. Hook mapping as in gitops-engine (Argo CD v3.5.1 mirror):
 * pkg/sync/hook/hook.go Types (argocd.argoproj.io/hook values NewHookType knows win, else the
 * Helm ones) and pkg/sync/hook/helm/type.go (pre-install/pre-upgrade -> PreSync,
 * post-install/post-upgrade -> PostSync). Chart shapes: test/fixtures/wait-hooks (each file
 * names the public chart its shape comes from) and the inline ones below (named per case).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { checkCatalog } from '../../src/check.js';
import { chartWaitHook } from '../../src/rules/chart-wait-hook.js';
import { collectDefines, scanWaits } from '../../src/rules/wait-scan.js';
import { comp, runRule } from '../helpers/rules.js';
import { filesIn, findingsOf, inMemory, memoryCatalog } from './rule-tester.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'wait-hooks');
const ROOT = join(__dirname, '..', '..');

const job = (annotations: string, script: string, name = 'wait'): string =>
  `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}\n  annotations:\n${annotations}spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: c\n          image: bitnami/kubectl:1.31\n          command: ["sh", "-c", ${JSON.stringify(script)}]\n`;

const store = comp('secrets-app', 'foundation', 10, { namespace: 'apps', provides: { secrets: ['app-db-credentials', 'app-api-token'] } });
const db = comp('postgres', 'data', 20, { namespace: 'apps', provides: { services: ['postgres-rw'] } });
const app = comp('app', 'platform', 40, { namespace: 'apps' });
const chart = (files: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(files).map(([k, v]) => [`environments/dev/components/app/${k}`, v]));

describe("chart-wait-hook: the issue's definition of done", () => {
  // The three waits of the issue, and a migration hook (shapes: AlephZ-ai/argo-cd-devspace
  // src/scripts/k8s/wait-for-secret.sh; elixierco/elixier helm/elixier-old/templates/_helpers/wait-createdb.tpl;
  // the groundnuty/k8s-wait-for README; ok-amba/default-ok-charts charts/db-migration).
  const root = inMemory([store, db, app], {
    extra: chart({
      'templates/wait-secret.yaml': job(
        '    argocd.argoproj.io/hook: PreSync\n',
        'until kubectl get secret app-api-token -n apps; do sleep 5; done',
        'wait-secret',
      ),
      'templates/wait-es.yaml': job(
        '    helm.sh/hook: pre-install,pre-upgrade\n',
        'kubectl wait --for=condition=Ready externalsecret/app-db-credentials -n apps --timeout=300s',
        'wait-es',
      ),
      'templates/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: wait-db\n          image: groundnuty/k8s-wait-for:v2.0\n          args: ["service", "postgres-rw"]\n      containers:\n        - name: app\n          image: app:1\n',
      'templates/migrate.yaml': job('    helm.sh/hook: pre-install,pre-upgrade\n', 'flask db upgrade', 'migrate'),
    }),
  });
  const f = findingsOf(chartWaitHook, root);

  it('three findings, each naming the file and line, the resource, what it waits for and its provider', () => {
    expect(f.map((x) => [x.file, x.line, x.component, x.related, x.severity])).toEqual([
      ['environments/dev/components/app/templates/deployment.yaml', 11, 'app', ['postgres'], 'error'],
      ['environments/dev/components/app/templates/wait-es.yaml', 14, 'app', ['secrets-app'], 'error'],
      ['environments/dev/components/app/templates/wait-secret.yaml', 14, 'app', ['secrets-app'], 'error'],
    ]);
    expect(f[0]!.message).toMatch(
      /^Deployment app waits in init container wait-db for Service postgres-rw \(k8s-wait-for: k8s-wait-for service postgres-rw\); .*postgres-rw, provided by postgres: add dependency postgres and consumes\.services postgres-rw/,
    );
    expect(f[1]!.message).toMatch(
      /^Job wait-es, a PreSync hook \(helm\.sh\/hook: pre-install,pre-upgrade\), waits in container c for ExternalSecret apps\/app-db-credentials \(kubectl wait: kubectl wait --for=condition=Ready externalsecret\/app-db-credentials/,
    );
    expect(f[1]!.message).toContain(
      'add dependency secrets-app and consumes.secrets apps/app-db-credentials; check it in a new smoke app-smoke (smoke.externalSecrets: app-db-credentials)',
    );
    expect(f[2]!.message).toMatch(
      /^Job wait-secret, a PreSync hook \(argocd\.argoproj\.io\/hook: PreSync\), waits in container c for Secret apps\/app-api-token \(until loop around kubectl get secret: until kubectl get secret app-api-token -n apps; do sleep 5; done\)/,
    );
    expect(f[2]!.message).toContain('check it in a new smoke app-smoke (smoke.secrets: app-api-token)');
    for (const x of f) expect(x.message).toContain('wavegate fix adds these but never deletes the');
  });

  it('the migration hook is not a finding, and each finding carries its repair', () => {
    expect(f.some((x) => x.file!.endsWith('migrate.yaml'))).toBe(false);
    expect(f[2]!.fix).toEqual({
      addDependencies: [{ environment: 'dev', component: 'app', dependency: 'secrets-app' }],
      addConsumes: [{ environment: 'dev', component: 'app', type: 'secrets', item: 'apps/app-api-token' }],
      addSmokeChecks: [{ environment: 'dev', component: 'app', field: 'secrets', entry: { name: 'app-api-token', namespace: 'apps' } }],
      notes: [expect.stringContaining('dev: not deleting the hook at environments/dev/components/app/templates/wait-secret.yaml:14')],
    });
  });
});

describe('chart-wait-hook on test/fixtures/wait-hooks (shapes of public charts)', () => {
  const f = runRule(chartWaitHook, FIXTURE);

  it('reports the seven waits of the README table and nothing else', () => {
    expect(f.map((x) => `${x.file}:${x.line} ${x.component} -> ${(x.related ?? []).join(',')}`)).toEqual([
      'bases/worker/deployment.yaml:26 worker -> redis',
      'bases/worker/deployment.yaml:29 worker -> postgres',
      'bases/worker/deployment.yaml:32 worker -> worker-db',
      'environments/dev/components/app/chart/templates/_helpers.tpl:13 app -> postgres',
      'environments/dev/components/app/chart/templates/deployment.yaml:29 app -> redis',
      'environments/dev/components/app/chart/templates/wait-externalsecret-job.yaml:24 app -> secrets-app',
      'environments/dev/components/app/chart/templates/wait-secret-job.yaml:28 app -> secrets-app',
    ]);
  });

  it('reads names from values.yaml and .Release (Helm template syntax does not stop the scan)', () => {
    const secret = f.find((x) => x.file!.endsWith('wait-secret-job.yaml'))!;
    expect(secret.message).toContain(
      'waits in container wait for Secret apps/app-api-token (until loop around kubectl get secret: until kubectl get secret app-api-token -n apps; do',
    );
    expect(secret.message).toMatch(/^Job app-wait-api-token, a PreSync hook/);
    const es = f.find((x) => x.file!.endsWith('wait-externalsecret-job.yaml'))!;
    expect(es.message).toContain('for ExternalSecret apps/app-db-credentials');
    const pg = f.find((x) => x.file!.endsWith('_helpers.tpl'))!;
    expect(pg.message).toMatch(
      /^Deployment app \(through template "app\.waitForPostgres"\) waits in init container postgresql-init for Service postgres-rw \(until loop around pg_isready: until pg_isready -U app -h postgres-rw -p 5432; do sleep 2 ; done\)/,
    );
    expect(pg.message).toContain('a Service reports no condition for a smoke to check');
  });

  it('follows the kustomization into its base; smoke checks go to the smoke that validates the component', () => {
    const [nc, wfi, kw] = f.filter((x) => x.component === 'worker');
    expect(nc!.message).toContain(
      'waits in init container wait-redis for Service redis (while loop around nc: while ! nc -z redis 6379; do sleep 1; done)',
    );
    // redis's manifests hold a Deployment named like the Service: that is what the smoke checks
    expect(nc!.message).toContain('check it in smoke platform-smoke (smoke.resources: Deployment redis)');
    expect(wfi!.message).toContain(
      'for Service apps/postgres-rw (wait-for-it: wait-for-it postgres-rw.apps.svc.cluster.local:5432 --timeout=120 --strict)',
    );
    expect(kw!.message).toContain(
      'for Job worker-db-init (kubectl wait: kubectl wait job/worker-db-init --for=condition=complete --timeout=600s)',
    );
    // the Job comes from worker-db's manifests (no provides entry names Jobs)
    expect(kw!.fix!.addSmokeChecks).toEqual([
      {
        environment: 'dev',
        component: 'worker',
        field: 'resources',
        entry: { apiVersion: 'batch/v1', kind: 'Job', name: 'worker-db-init', namespace: 'apps', condition: 'Complete' },
      },
    ]);
  });

  it('the same findings when only one environment is loaded (no loader listing of the folders)', () => {
    const one = checkCatalog(loadCatalog(FIXTURE, { env: 'dev' }), { rules: [chartWaitHook] });
    expect(one.map((x) => `${x.file}:${x.line}`)).toEqual(f.map((x) => `${x.file}:${x.line}`));
  });

  it("not findings: migration, post-install wait, a loop doing work, a file wait, a wait for the component's own Service", () => {
    const files = f.map((x) => x.file);
    for (const name of ['migrate-job.yaml', 'post-install-job.yaml', 'bootstrap-job.yaml'])
      expect(
        files.some((x) => x!.endsWith(name)),
        name,
      ).toBe(false);
    expect(f.some((x) => x.message.includes('jwtkey'))).toBe(false);
    expect(f.some((x) => x.component === 'redis')).toBe(false);
  });
});

describe('chart-wait-hook: hooks and waits it tells apart', () => {
  const provider = comp('p', 'data', 20, { namespace: 'ns', provides: { secrets: ['s'], services: ['svc'] } });
  const consumer = comp('c', 'platform', 40, { namespace: 'ns' });
  const run = (files: Record<string, string>) =>
    findingsOf(
      chartWaitHook,
      inMemory([provider, consumer], {
        extra: Object.fromEntries(Object.entries(files).map(([k, v]) => [`environments/dev/components/c/${k}`, v])),
      }),
    );
  const wait = 'until kubectl get secret s; do sleep 5; done';

  it('valid: PostSync, delete and test hooks; an Argo hook value that wins over the Helm one; no hook at all', () => {
    expect(
      run({
        'a.yaml': job('    helm.sh/hook: post-install,post-upgrade\n', wait),
        'b.yaml': job('    argocd.argoproj.io/hook: PostSync\n    helm.sh/hook: pre-install\n', wait),
        'c.yaml': job('    helm.sh/hook: pre-delete\n', wait),
        'd.yaml': job('    helm.sh/hook: test\n', wait),
        'e.yaml': job('    team: x\n', wait),
        'f.yaml': job('    argocd.argoproj.io/hook: SyncFail\n', wait),
      }),
    ).toEqual([]);
  });

  it('valid: work without a poll (a for loop without sleep, kubectl wait --for=delete, a wait for a file)', () => {
    expect(
      run({
        'a.yaml': job('    argocd.argoproj.io/hook: PreSync\n', 'for db in a b; do psql -h svc -c "CREATE DATABASE $db"; done'),
        'b.yaml': job('    argocd.argoproj.io/hook: Sync\n', 'kubectl wait --for=delete pod/old -n ns --timeout=60s'),
        'c.yaml': job('    argocd.argoproj.io/hook: PreSync\n', 'while [ ! -f /ready ]; do sleep 1; done'),
        'd.yaml': job('    argocd.argoproj.io/hook: PreSync\n', 'curl -fsS https://example.com/hook'),
      }),
    ).toEqual([]);
  });

  it('invalid: a Sync hook; an unknown Argo value falls back to the Helm hook; Helm quotes and lists', () => {
    const f = run({
      'a.yaml': job('    argocd.argoproj.io/hook: Sync\n', wait),
      'b.yaml': job('    argocd.argoproj.io/hook: presync\n    "helm.sh/hook": "pre-upgrade"\n', wait),
      'c.yaml': job('    "helm.sh/hook": " post-install , pre-install "\n', wait),
    });
    expect(f.map((x) => x.message.slice(0, x.message.indexOf(' waits')))).toEqual([
      'Job wait, a Sync hook (argocd.argoproj.io/hook: Sync),',
      'Job wait, a PreSync hook (helm.sh/hook: pre-upgrade),',
      'Job wait, a PreSync hook (helm.sh/hook: post-install , pre-install),',
    ]);
  });

  it('invalid: a wait nobody declares, and one whose name is a template it cannot read, are still waits', () => {
    const f = run({
      'a.yaml': job('    argocd.argoproj.io/hook: PreSync\n', 'until kubectl get secret other; do sleep 5; done'),
      'b.yaml': job('    argocd.argoproj.io/hook: PreSync\n', 'until kubectl get secret {{ include "x.secret" . }}; do sleep 5; done'),
    });
    expect(f).toHaveLength(2);
    expect(f[0]!.message).toContain(
      'other, which no component of dev declares (in provides or its manifests): declare it on the component that makes it, then depend on that',
    );
    expect(f[0]!.related).toBeUndefined();
    expect(f[1]!.message).toContain('for Secret {{ include x.secret . }}');
    expect(f[1]!.fix!.addConsumes).toBeUndefined();
  });

  it('configurable under rules: like the others (warning, off)', () => {
    const files = { 'environments/dev/components/c/a.yaml': job('    argocd.argoproj.io/hook: PreSync\n', wait) };
    const warn = inMemory([provider, consumer], { extra: { ...files, 'wavegate.yaml': 'rules:\n  chart-wait-hook: warning\n' } });
    expect(
      checkCatalog(memoryCatalog(warn))
        .filter((x) => x.rule === 'chart-wait-hook')
        .map((x) => x.severity),
    ).toEqual(['warning']);
    const off = inMemory([provider, consumer], { extra: { ...files, 'wavegate.yaml': 'rules:\n  chart-wait-hook: "off"\n' } });
    expect(checkCatalog(memoryCatalog(off)).filter((x) => x.rule === 'chart-wait-hook')).toEqual([]);
  });

  it('a shared component is reported in every environment that deploys it', () => {
    const root = filesIn({
      'environments/_shared/components/p/component.yaml': 'name: p\ntier: data\nwave: 20\nnamespace: ns\nprovides:\n  secrets: [s]\n',
      'environments/_shared/components/c/component.yaml': 'name: c\ntier: platform\nwave: 40\nnamespace: ns\n',
      'environments/_shared/components/c/hook.yaml': job('    argocd.argoproj.io/hook: PreSync\n', wait),
      'environments/dev/components/.gitkeep': '',
      'environments/prod/components/.gitkeep': '',
    });
    expect(findingsOf(chartWaitHook, root).map((x) => [x.environment, x.component, x.related])).toEqual([
      ['dev', 'c', ['p']],
      ['prod', 'c', ['p']],
    ]);
  });
});

describe('the scan itself (scanWaits)', () => {
  const init = (container: string): string =>
    `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n  template:\n    spec:\n      initContainers:\n${container}      containers:\n        - name: main\n          image: app\n`;
  const targets = (text: string) => scanWaits(text).map((w) => [w.tool, w.targets]);

  it('dockerize -wait (mib-dotnet/eShopOnContainers-NServiceBus exec_marketingapi.sh), curl loops (selton-caylent-greenphire/cc-copy _deployment_initcontainers.yaml.tpl)', () => {
    expect(
      targets(
        init(
          '        - name: dz\n          image: jwilder/dockerize\n          command: ["dockerize", "-wait", "tcp://sql.data:1433", "-wait", "http://rabbitmq:15672", "-timeout", "60s"]\n',
        ),
      ),
    ).toEqual([
      [
        'dockerize -wait',
        [
          { kind: 'Service', name: 'sql', namespace: 'data' },
          { kind: 'Service', name: 'rabbitmq' },
        ],
      ],
    ]);
    expect(
      targets(
        init(
          '        - name: w\n          image: alpine/curl\n          command: ["sh", "-c", "until curl --fail --connect-timeout 5 http://configsvc.apps:8080/swagger.json; do sleep 2; done"]\n',
        ),
      ),
    ).toEqual([['until loop around curl', [{ kind: 'Service', name: 'configsvc', namespace: 'apps' }]]]);
  });

  it('nc in the loop body (IBM/charts _wait-services.tpl), kubectl -n before wait, pods by label, a StatefulSet pod', () => {
    expect(
      targets(
        init(
          '        - name: x\n          image: busybox\n          args: [ "st=1;\n                   while [ $st != 0 ];\n                   do sleep 2;\n                   st=`nc is-xmetadocker 50000 < /dev/null; echo $?`;\n                   done;" ]\n',
        ),
      ),
    ).toEqual([['while loop around nc', [{ kind: 'Service', name: 'is-xmetadocker' }]]]);
    expect(
      targets(
        init(
          '        - name: x\n          image: kubectl\n          command: ["sh", "-c", "kubectl -n data wait --for=condition=Ready pod -l app=postgres --timeout=5m"]\n',
        ),
      ),
    ).toEqual([['kubectl wait', [{ kind: 'Pod', namespace: 'data', condition: 'Ready', selector: 'app=postgres' }]]]);
    // elixierco/elixier helm/elixier/templates/gitweb/wait-gitweb.tpl: a kubectl image, args `wait pod NAME-0`
    expect(
      targets(
        init(
          '        - name: x\n          image: bitnami/kubectl\n          args: ["wait", "pod", "gitweb-0", "--for=condition=containersready"]\n',
        ),
      ),
    ).toEqual([['kubectl wait', [{ kind: 'Pod', name: 'gitweb-0', condition: 'containersready' }]]]);
  });

  it('retry loops: for ... in $(seq) with a probe and a break, while true with if/then break, a jsonpath condition', () => {
    expect(
      targets(
        init(
          '        - name: x\n          image: kubectl\n          command: ["sh", "-c", "for i in $(seq 1 30); do kubectl get secret db-creds -n data && break; sleep 2; done"]\n',
        ),
      ),
    ).toEqual([['for loop around kubectl get secret', [{ kind: 'Secret', name: 'db-creds', namespace: 'data' }]]]);
    expect(
      targets(
        init(
          "        - name: x\n          image: kubectl\n          command:\n            - sh\n            - -c\n            - |\n              while true; do\n                if kubectl get es app-creds -o jsonpath='{.status.conditions[0].status}' | grep -q True; then break; fi\n                sleep 5\n              done\n",
        ),
      ),
    ).toEqual([['while loop around kubectl get es', [{ kind: 'ExternalSecret', name: 'app-creds' }]]]);
    // devtron's migration-wait: a name computed by another kubectl; the inner `get job -l` is what can be read
    expect(
      targets(
        init(
          `        - name: migration-wait\n          image: quay.io/devtron/kubectl:latest\n          command: ['sh', '-c', 'while [ ! $(kubectl -n devtroncd get $(kubectl -n devtroncd get job -l job=postgresql-migrate-devtron -o name) -o jsonpath="{.status.succeeded}")  ]; do sleep 10; done']\n`,
        ),
      ),
    ).toEqual([
      ['while loop around kubectl get job', [{ kind: 'Job', namespace: 'devtroncd', selector: 'job=postgresql-migrate-devtron' }]],
    ]);
  });

  it('localhost and external hosts are not services; a named template is followed into its body', () => {
    expect(
      targets(
        init(
          '        - name: x\n          image: busybox\n          command: ["sh", "-c", "until nc -z localhost 5432; do sleep 1; done"]\n',
        ),
      ),
    ).toEqual([]);
    expect(
      targets(
        init(
          '        - name: x\n          image: busybox\n          command: ["sh", "-c", "until curl -f https://api.github.com; do sleep 1; done"]\n',
        ),
      ),
    ).toEqual([]);
    // spartan-dou/helm-charts charts/commons/templates/helpers/_cnpg.tpl: a define holding one container (a map, no dash)
    const tpl =
      '{{- define "commons.waitForPostgres" -}}\nname: wait-for-postgres\nimage: postgres:17\ncommand:\n  - sh\n  - -c\n  - |-\n    until pg_isready -h {{ .host | default "postgres" }} -p 5432; do\n      sleep 2;\n    done\n{{- end }}\n';
    const defines = new Map(collectDefines(tpl, 'templates/_cnpg.tpl').map((d) => [d.name, d]));
    const w = scanWaits(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      initContainers:\n        - {{- include "commons.waitForPostgres" . | nindent 10 }}\n      containers: []\n`,
      {},
      defines,
    );
    expect(w.map((x) => [x.file, x.line, x.container, x.targets])).toEqual([
      ['templates/_cnpg.tpl', 8, 'wait-for-postgres', [{ kind: 'Service', name: 'postgres' }]],
    ]);
  });

  it('text that is not YAML (template blocks, unbalanced quotes) does not stop the scan of the next documents', () => {
    const text = `{{- if .Values.x }}\nkind: ConfigMap\ndata:\n  a: "unbalanced\n{{- end }}\n---\n${job('    argocd.argoproj.io/hook: PreSync\n', 'until kubectl get secret s; do sleep 5; done')}`;
    expect(scanWaits(text).map((w) => [w.line, w.resource])).toEqual([[20, 'Job wait']]);
  });
});

describe('values-rendered or not: the fixture chart under the real helm (.tools/bin/helm)', () => {
  it('helm template renders the chart, and its output holds the same waits as the templates read with values.yaml', () => {
    const chartDir = join(FIXTURE, 'environments/dev/components/app/chart');
    const rendered = execFileSync(join(ROOT, '.tools', 'bin', 'helm'), ['template', 'app', chartDir, '--namespace', 'apps'], {
      encoding: 'utf8',
    });
    const fromRendered = scanWaits(rendered).map((w) => `${w.resource} ${w.container} ${w.tool} ${JSON.stringify(w.targets)}`);
    const catalog = loadCatalog(FIXTURE);
    const app = catalog.environments[0]!.byName.get('app')!;
    const files = catalog.files.componentFiles(app);
    const defines = new Map(files.flatMap((f) => collectDefines(f.text, f.file)).map((d) => [d.name, d]));
    const fromTemplates = files.flatMap((f) =>
      scanWaits(f.text, { values: f.values, releaseName: 'app', releaseNamespace: 'apps' }, defines),
    );
    const norm = (r: string): string => r.replace(/ \(through template "[^"]+"\)/, '');
    expect(fromRendered.sort()).toEqual(
      fromTemplates.map((w) => `${norm(w.resource)} ${w.container} ${w.tool} ${JSON.stringify(w.targets)}`).sort(),
    );
    expect(fromRendered).toHaveLength(4);
  });
});

describe("Argo CD's own HA install (v3.5.1, test/fixtures/wait-hooks argocd/install-excerpt.yaml)", () => {
  const file = join(FIXTURE, 'environments/dev/components/argocd/install-excerpt.yaml');
  const text = readFileSync(file, 'utf8');
  const component = comp('argocd', 'foundation', 1, { namespace: 'argocd' });
  const redis = comp('redis', 'data', 20, { namespace: 'argocd', provides: { services: ['redis'] } });
  const withScript = (script: string): string =>
    text.replace('        - /readonly-config/init.sh\n', `        - ${JSON.stringify(script)}\n`);

  it('its init containers (copyutil, secret-init, config-init) do work: no waits', () => {
    expect(text.match(/initContainers:/g)).toHaveLength(4);
    expect(scanWaits(text)).toEqual([]);
  });

  it('the same StatefulSet with a polling script is scanned (container named by its own key, not an env entry)', () => {
    const w = scanWaits(withScript('until nc -z redis 6379; do sleep 1; done'));
    expect(w.map((x) => [x.resource, x.container, x.init, x.targets])).toEqual([
      ['StatefulSet argocd-redis-ha-server', 'config-init', true, [{ kind: 'Service', name: 'redis' }]],
    ]);
  });

  it("a wait for the install's own Service is not a finding; for another component's, it is", () => {
    const own = inMemory([component, redis], {
      extra: {
        'environments/dev/components/argocd/install.yaml': withScript('until getent hosts argocd-redis-ha-announce-0; do sleep 1; done'),
      },
    });
    expect(findingsOf(chartWaitHook, own)).toEqual([]);
    const other = inMemory([component, redis], {
      extra: { 'environments/dev/components/argocd/install.yaml': withScript('until nc -z redis 6379; do sleep 1; done') },
    });
    expect(findingsOf(chartWaitHook, other).map((f) => [f.component, f.related])).toEqual([['argocd', ['redis']]]);
  });
});

describe('examples/ameide has no chart-level waits', () => {
  it('no file any component deploys holds a wait, and the rule reports nothing', () => {
    const catalog = loadCatalog(join(ROOT, 'examples', 'ameide'));
    for (const env of catalog.environments) {
      for (const c of env.components) for (const f of catalog.files.componentFiles(c)) expect(scanWaits(f.text), f.file).toEqual([]);
    }
    expect(checkCatalog(catalog, { rules: [chartWaitHook] })).toEqual([]);
  });
});
