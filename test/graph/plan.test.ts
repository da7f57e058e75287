import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { formatPlanText, planEnvironment, planShell, planToJson, shellOptions, shellTarget } from '../../src/graph/plan.js';
import { appSetYaml, rollingSync } from '../helpers/appset.js';
import { catalogOf } from '../helpers/catalog.js';
import { comp } from '../helpers/rules.js';

const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

const root = catalogOf(
  [
    comp('store', 'foundation', 5),
    comp('bundle', 'foundation', 6, { dependencies: ['store'] }),
    comp('db', 'data', 20, { dependencies: ['bundle'] }),
    comp('cache', 'data', 20),
    comp('app', 'apps', 45, { dependencies: ['db', 'cache', 'late'] }),
    comp('late', 'apps', 45),
    comp('apps-smoke', 'apps', 48, {
      componentType: 'smoke',
      dependencies: ['app'],
      smoke: { validates: ['app'], secrets: [{ name: 's' }] },
    }),
  ],
  { envs: ['prod'], extra: { 'wavegate.yaml': 'plan:\n  waveLabel: example.com/sync-wave\n  timeoutSeconds: 900\n' } },
);
const catalog = loadCatalog(root);
const plan = planEnvironment(catalog.environments[0]!);

function shellcheck(script: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'wavegate-plan-'));
  temp.push(dir);
  writeFileSync(join(dir, 'bootstrap.sh'), script);
  const sc = spawnSync('shellcheck', ['-s', 'sh', join(dir, 'bootstrap.sh')], { encoding: 'utf8' });
  expect(sc.error).toBeUndefined();
  expect(sc.stdout + sc.stderr).toBe('');
  expect(sc.status).toBe(0);
}

describe('wavegate plan', () => {
  it('json: {environment, waves: [{wave, components}]} in wave order, names sorted', () => {
    expect(planToJson(plan)).toEqual({
      environment: 'prod',
      waves: [
        { wave: 5, components: ['store'] },
        { wave: 6, components: ['bundle'] },
        { wave: 20, components: ['cache', 'db'] },
        { wave: 45, components: ['app', 'late'] },
        { wave: 48, components: ['apps-smoke'] },
      ],
    });
  });

  it('text: each wave with its components, tiers and what each waits for; same-wave waits are flagged', () => {
    const text = formatPlanText(plan);
    expect(text).toContain('Rollout of prod: 7 components in 5 waves');
    expect(text).toMatch(/wave 45\n {2}app +apps +waits for db, cache, late \(wave 45: NOT earlier\)\n/);
    expect(text).toMatch(/apps-smoke +apps +smoke +waits for app\n/);
  });

  it('shell without an ApplicationSet: the configured labels; sync, wait (--sync --health --operation), then automated sync per wave; shellcheck', () => {
    const env = catalog.environments[0]!;
    const script = planShell(plan, shellTarget(catalog, env, plan, shellOptions(catalog)), 900);
    expect(script).toContain(`argocd app sync -l 'example.com/sync-wave=20' --timeout "$timeout"\n`);
    expect(script).toContain(`argocd app wait -l 'example.com/sync-wave=20' --sync --health --operation --timeout "$timeout"\n`);
    expect(script).toContain("argocd app set 'cache' --sync-policy automated\nargocd app set 'db' --sync-policy automated\n");
    expect(script).toContain('timeout="${ARGOCD_WAIT_TIMEOUT:-900}"');
    expect(script).toContain('# --timeout applies to each Application in turn');
    expect(script.split('\n').filter((l) => l.startsWith('argocd app sync'))).toHaveLength(5);
    shellcheck(script);
    const withEnv = planShell(
      plan,
      shellTarget(catalog, env, plan, shellOptions(catalog, { waveLabel: 'w', environmentLabel: 'example.com/env' })),
      30,
    );
    expect(withEnv).toContain("argocd app sync -l 'w=5,example.com/env=prod' --timeout");
  });

  it('shell: no ApplicationSet and no configured labels is a clear error (exit 2) saying what to add', () => {
    const bare = loadCatalog(catalogOf([comp('a', 'foundation', 1)]));
    const p = planEnvironment(bare.environments[0]!);
    expect(() => shellTarget(bare, bare.environments[0]!, p, shellOptions(bare))).toThrow(
      /no ApplicationSet of the catalog generates the Applications of dev, and no labels are configured: add to the ApplicationSet template's labels a label from the wave/,
    );
    const neg = loadCatalog(
      catalogOf([comp('crds', 'x', -1)], {
        extra: { 'wavegate.yaml': 'tiers:\n  - name: x\n    waves: [-5, 5]\nplan:\n  waveLabel: w\n' },
      }),
    );
    expect(() => shellTarget(neg, neg.environments[0]!, planEnvironment(neg.environments[0]!), shellOptions(neg))).toThrow(
      /wave -1 cannot be a Kubernetes label value/,
    );
  });

  it('shell: runs wave by wave and stops at the first failure (with a stand-in argocd that records calls)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wavegate-plan-'));
    temp.push(dir);
    const log = join(dir, 'calls.log');
    // Stand-in for the argocd CLI: logs its arguments; `app wait` fails for wave 20.
    writeFileSync(
      join(dir, 'argocd'),
      `#!/bin/sh\necho "$*" >> '${log}'\ncase "$*" in *"app wait"*"sync-wave=20"*) echo "wave 20 not healthy" >&2; exit 20;; esac\nexit 0\n`,
    );
    chmodSync(join(dir, 'argocd'), 0o755);
    writeFileSync(join(dir, 'bootstrap.sh'), planShell(plan, shellTarget(catalog, catalog.environments[0]!, plan, shellOptions(catalog))));
    const r = spawnSync('sh', [join(dir, 'bootstrap.sh')], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, ARGOCD_WAIT_TIMEOUT: '5' },
    });
    expect(r.status).toBe(20);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'app sync -l example.com/sync-wave=5 --timeout 5',
      'app wait -l example.com/sync-wave=5 --sync --health --operation --timeout 5',
      'app set store --sync-policy automated',
      'app sync -l example.com/sync-wave=6 --timeout 5',
      'app wait -l example.com/sync-wave=6 --sync --health --operation --timeout 5',
      'app set bundle --sync-policy automated',
      'app sync -l example.com/sync-wave=20 --timeout 5',
      'app wait -l example.com/sync-wave=20 --sync --health --operation --timeout 5',
    ]);
    expect(r.stdout).toContain('wave 20: cache db');
    expect(r.stdout).not.toContain('wave 45');
  });
});

// An ApplicationSet like the example's before RollingSync (examples/ameide/argocd, labels from the
// component's wave and a constant environment label), and the Applications its template generates.
const appSetComponents = [
  comp('crds', 'foundation', 0),
  comp('store', 'foundation', 5),
  comp('db', 'data', 20, { dependencies: ['store'] }),
  comp('cache', 'data', 20),
];
const appSetPaths = ['environments/_shared/components/**/component.yaml', 'environments/staging/components/**/component.yaml'];
function appSetCatalog(strategy?: string): string {
  return catalogOf([], {
    envs: ['staging'],
    extra: {
      ...Object.fromEntries(appSetComponents.map((c) => [`environments/_shared/components/${c.name}/component.yaml`, c])),
      'environments/staging/components/.keep.yaml': '# keeps the folder\n',
      'argocd/staging.yaml': appSetYaml({
        name: 'platform-staging',
        paths: appSetPaths,
        labels: { 'example.com/environment': 'staging', 'example.com/wave': '{{ .wave }}', 'example.com/tier': '{{ .tier }}' },
        strategy,
        automated: strategy === undefined,
      }),
    },
  });
}

/** The labels of each generated Application, computed here from the template above (independently of wavegate). */
const generated = appSetComponents.map((c) => ({
  name: String(c.name),
  labels: { 'example.com/environment': 'staging', 'example.com/wave': String(c.wave), 'example.com/tier': String(c.tier) },
}));
/** The Applications a -l selector (k=v,k=v or k in (a,b)) selects. */
function select(selector: string): string[] {
  const terms = selector.split(/,(?![^(]*\))/).map((t) => {
    const inSet = /^(\S+) in \((.*)\)$/.exec(t);
    if (inSet) return { key: inSet[1]!, values: inSet[2]!.split(',') };
    const [key, value] = t.split('=');
    return { key: key!, values: [value!] };
  });
  return generated
    .filter((a) => terms.every((t) => t.values.includes((a.labels as Record<string, string>)[t.key] ?? '\0')))
    .map((a) => a.name)
    .sort();
}

describe('wavegate plan --format shell with the environment ApplicationSet', () => {
  it("without RollingSync: selectors from the template select exactly each wave's Applications (stand-in argocd); warns about automated sync", () => {
    const root = appSetCatalog();
    const c = loadCatalog(root);
    const env = c.environments[0]!;
    const p = planEnvironment(env);
    const target = shellTarget(c, env, p, shellOptions(c));
    expect(target).toMatchObject({
      kind: 'labels',
      waveLabel: 'example.com/wave',
      environmentLabel: { key: 'example.com/environment', value: 'staging' },
      automated: true,
    });
    const script = planShell(p, target);
    expect(script).toContain('# WARNING: the ApplicationSet template sets syncPolicy.automated');
    shellcheck(script);
    const dir = mkdtempSync(join(tmpdir(), 'wavegate-plan-'));
    temp.push(dir);
    const log = join(dir, 'calls.log');
    writeFileSync(join(dir, 'argocd'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n`);
    chmodSync(join(dir, 'argocd'), 0o755);
    writeFileSync(join(dir, 'bootstrap.sh'), script);
    const r = spawnSync('sh', [join(dir, 'bootstrap.sh')], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    });
    expect(r.status, r.stderr).toBe(0);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    const syncs = calls.filter((l) => l.startsWith('app sync -l ')).map((l) => l.replace(/^app sync -l (.*) --timeout \d+$/, '$1'));
    const waves = [...new Set(appSetComponents.map((x) => Number(x.wave)))].sort((a, b) => a - b);
    expect(syncs.map(select)).toEqual(
      waves.map((w) =>
        appSetComponents
          .filter((x) => x.wave === w)
          .map((x) => String(x.name))
          .sort(),
      ),
    );
    const waits = calls
      .filter((l) => l.startsWith('app wait -l '))
      .map((l) => l.replace(/^app wait -l (.*) --sync --health --operation --timeout \d+$/, '$1'));
    expect(waits).toEqual(syncs);
    expect(calls.filter((l) => l.startsWith('app set ')).sort()).toEqual(
      generated.map((a) => `app set ${a.name} --sync-policy automated`).sort(),
    );
    // the CLI says so on stderr
    const cli = spawnSync(
      process.execPath,
      [join(__dirname, '..', '..', 'bin', 'wavegate.js'), 'plan', root, '--env', 'staging', '--format', 'shell'],
      { encoding: 'utf8' },
    );
    expect(cli.status).toBe(0);
    expect(cli.stderr).toMatch(/^warning: the template of ApplicationSet platform-staging .*turns automated sync on/);
  });

  it('with RollingSync: triggers nothing, waits on status.applicationStatus step by step, fails at the timeout naming the step and the Applications not Healthy', () => {
    const root = appSetCatalog(rollingSync('example.com/wave', [['0'], ['5'], ['20']]));
    const c = loadCatalog(root);
    const env = c.environments[0]!;
    const p = planEnvironment(env);
    const script = planShell(p, shellTarget(c, env, p, shellOptions(c)), 60);
    expect(script).not.toMatch(/argocd app (sync|set)/);
    shellcheck(script);
    const dir = mkdtempSync(join(tmpdir(), 'wavegate-plan-'));
    temp.push(dir);
    const log = join(dir, 'calls.log');
    const count = join(dir, 'count');
    // Stand-in kubectl playing Argo CD's ApplicationSet controller: each poll of the applicationStatus
    // completes one more step (steps as Argo assigns them: 1 = wave 0, 2 = wave 5, 3 = wave 20);
    // STUCK names an Application that stays Progressing.
    const status = generated.map((a) => `${a.name} ${[0, 5, 20].indexOf(Number(a.labels['example.com/wave'])) + 1}`).join('\n');
    writeFileSync(
      join(dir, 'kubectl'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\ncase "$*" in *RolloutProgressing*) echo "ApplicationSet is performing rollout of step 3"; exit 0;; esac\n` +
        `n=$(cat '${count}' 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > '${count}'\n` +
        `printf '%s\\n' '${status.replace(/\n/g, "' '")}' | while read -r app step; do if [ "$step" -le "$n" ] && [ "$app" != "\${STUCK:-}" ]; then echo "$app Healthy"; else echo "$app Progressing"; fi; done\n`,
    );
    chmodSync(join(dir, 'kubectl'), 0o755);
    writeFileSync(join(dir, 'bootstrap.sh'), script);
    const env0 = { ...process.env, PATH: `${dir}:${process.env.PATH}`, WAVEGATE_POLL_SECONDS: '0' };
    const ok = spawnSync('sh', [join(dir, 'bootstrap.sh')], { encoding: 'utf8', env: env0 });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout.split('\n').filter((l) => l.startsWith('step '))).toEqual([
      'step 1 (wave 0): Healthy',
      'step 2 (wave 5): Healthy',
      'step 3 (wave 20): Healthy',
    ]);
    expect(readFileSync(log, 'utf8')).toContain(
      'get applicationsets.argoproj.io platform-staging -n argocd -o go-template={{range .status.applicationStatus}}',
    );
    rmSync(count);
    const stuck = spawnSync('sh', [join(dir, 'bootstrap.sh')], {
      encoding: 'utf8',
      env: { ...env0, STUCK: 'db', WAVEGATE_STEP_TIMEOUT: '0' },
    });
    expect(stuck.status).toBe(1);
    expect(stuck.stdout).toContain('step 2 (wave 5): Healthy');
    expect(stuck.stderr).toBe(
      'ApplicationSet platform-staging: step 3 (wave 20) not Healthy after 0s: db (Progressing); ApplicationSet is performing rollout of step 3\n',
    );
  });

  it('with RollingSync steps that do not follow the waves, the plan refuses (run wavegate fix first)', () => {
    const c = loadCatalog(appSetCatalog(rollingSync('example.com/wave', [['20'], ['0'], ['5']])));
    const env = c.environments[0]!;
    expect(() => shellTarget(c, env, planEnvironment(env), shellOptions(c))).toThrow(
      /ApplicationSet platform-staging: its RollingSync steps do not follow the waves .*run wavegate fix first/,
    );
  });
});
