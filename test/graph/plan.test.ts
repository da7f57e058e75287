import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { formatPlanText, planEnvironment, planShell, planToJson, shellOptions } from '../../src/graph/plan.js';
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
    comp('apps-smoke', 'apps', 48, { componentType: 'smoke', dependencies: ['app'], smoke: { validates: ['app'], secrets: [{ name: 's' }] } }),
  ],
  { envs: ['prod'], extra: { 'wavegate.yaml': 'plan:\n  waveLabel: example.com/sync-wave\n  timeoutSeconds: 900\n' } },
);
const catalog = loadCatalog(root);
const plan = planEnvironment(catalog.environments[0]!);

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

  it('shell: set -eu, sync then wait per wave with the configured labels; passes shellcheck', () => {
    const script = planShell(plan, shellOptions(catalog));
    expect(script).toContain("argocd app sync -l 'example.com/sync-wave=20,wavegate.dev/environment=prod'\n");
    expect(script).toContain(`argocd app wait -l 'example.com/sync-wave=20,wavegate.dev/environment=prod' --health --timeout "$timeout"\n`);
    expect(script).toContain('timeout="${ARGOCD_WAIT_TIMEOUT:-900}"');
    expect(script.split('\n').filter((l) => l.startsWith('argocd app sync'))).toHaveLength(5);
    const dir = mkdtempSync(join(tmpdir(), 'wavegate-plan-'));
    temp.push(dir);
    writeFileSync(join(dir, 'bootstrap.sh'), script);
    const sc = spawnSync('shellcheck', ['-s', 'sh', join(dir, 'bootstrap.sh')], { encoding: 'utf8' });
    expect(sc.error).toBeUndefined();
    expect(sc.stdout + sc.stderr).toBe('');
    expect(sc.status).toBe(0);
    // Labels from flags win; an empty environment label selects by wave only.
    const byWave = planShell(plan, shellOptions(catalog, { waveLabel: 'w', environmentLabel: null, timeoutSeconds: 30 }));
    expect(byWave).toContain("argocd app sync -l 'w=5'\n");
    expect(byWave).toContain('ARGOCD_WAIT_TIMEOUT:-30');
  });

  it('shell: runs wave by wave and stops at the first failure (with a stand-in argocd that records calls)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wavegate-plan-'));
    temp.push(dir);
    const log = join(dir, 'calls.log');
    // Stand-in for the argocd CLI: logs its arguments; `app wait` fails for wave 20.
    writeFileSync(
      join(dir, 'argocd'),
      `#!/bin/sh\necho "$*" >> '${log}'\ncase "$*" in *"app wait"*"sync-wave=20,"*) echo "wave 20 not healthy" >&2; exit 20;; esac\nexit 0\n`,
    );
    chmodSync(join(dir, 'argocd'), 0o755);
    writeFileSync(join(dir, 'bootstrap.sh'), planShell(plan, shellOptions(catalog)));
    const r = spawnSync('sh', [join(dir, 'bootstrap.sh')], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, ARGOCD_WAIT_TIMEOUT: '5' } });
    expect(r.status).toBe(20);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'app sync -l example.com/sync-wave=5,wavegate.dev/environment=prod',
      'app wait -l example.com/sync-wave=5,wavegate.dev/environment=prod --health --timeout 5',
      'app sync -l example.com/sync-wave=6,wavegate.dev/environment=prod',
      'app wait -l example.com/sync-wave=6,wavegate.dev/environment=prod --health --timeout 5',
      'app sync -l example.com/sync-wave=20,wavegate.dev/environment=prod',
      'app wait -l example.com/sync-wave=20,wavegate.dev/environment=prod --health --timeout 5',
    ]);
    expect(r.stdout).toContain('wave 20: cache db');
    expect(r.stdout).not.toContain('wave 45');
  });

  it('shell: refuses a negative wave (not a valid label value)', () => {
    const neg = loadCatalog(catalogOf([comp('crds', 'x', -1)], { extra: { 'wavegate.yaml': 'tiers:\n  - name: x\n    waves: [-5, 5]\n' } }));
    expect(() => planShell(planEnvironment(neg.environments[0]!), shellOptions(neg))).toThrow(/wave -1 cannot be a Kubernetes label value/);
  });
});
