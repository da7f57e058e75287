/**
 * check --suggest and fix for rule chart-wait-hook: the dependency on the provider, the
 * consumes entry and the smoke check replacing a chart-level wait (test/fixtures/wait-hooks:
 * shapes from public charts, named in each file). fix never deletes the wait.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { checkCatalog } from '../../src/check.js';
import { applyFix, planFix } from '../../src/graph/fix.js';
import { appendToList } from '../../src/graph/list-edit.js';
import { formatSuggestions, suggestionsToJson, suggestRepairs } from '../../src/graph/suggest.js';
import { catalogOf, writeCatalog } from '../helpers/catalog.js';
import { comp } from '../helpers/rules.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'wait-hooks');
const CLI = join(__dirname, '..', '..', 'bin', 'wavegate.js');
const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));
const copy = (from: string): string => {
  const root = mkdtempSync(join(tmpdir(), 'wavegate-waitfix-'));
  temp.push(root);
  cpSync(from, root, { recursive: true });
  return root;
};
const C = 'environments/dev/components';
const read = (root: string, file: string): string => readFileSync(join(root, file), 'utf8');

describe('appendToList: splices a list two keys deep, keeping every other byte', () => {
  it('appends to a block list (same indentation), to a flow list, under an empty key', () => {
    expect(appendToList('name: a\nconsumes:\n  secrets:\n      - x   # first\n  services: [s]\n', 'consumes', 'secrets', ['ns/y'])).toBe(
      'name: a\nconsumes:\n  secrets:\n      - x   # first\n      - ns/y\n  services: [s]\n',
    );
    expect(appendToList('name: a\nconsumes:\n  services: [s] # c\n', 'consumes', 'services', ['t'])).toBe(
      'name: a\nconsumes:\n  services: [s, t] # c\n',
    );
    expect(appendToList('name: a\nconsumes:\n  services: []\n', 'consumes', 'services', ['t'])).toBe(
      'name: a\nconsumes:\n  services: [t]\n',
    );
    expect(appendToList('name: a\nconsumes:\n  services:\nwave: 1\n', 'consumes', 'services', ['t'])).toBe(
      'name: a\nconsumes:\n  services:\n    - t\nwave: 1\n',
    );
    expect(
      appendToList('name: a\nsmoke:\n  validates: [b]\n  secrets: [{ name: s }]\n', 'smoke', 'secrets', [{ name: 't', namespace: 'apps' }]),
    ).toBe('name: a\nsmoke:\n  validates: [b]\n  secrets: [{ name: s }, { name: t, namespace: apps }]\n');
  });

  it('adds a missing key under its parent, or the parent at the end; objects as block items; CRLF kept', () => {
    expect(
      appendToList('name: a\nsmoke:\n  validates:\n    - b\nwave: 3\n', 'smoke', 'resources', [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' },
      ]),
    ).toBe(
      'name: a\nsmoke:\n  validates:\n    - b\n  resources:\n    - apiVersion: apps/v1\n      kind: Deployment\n      name: d\nwave: 3\n',
    );
    expect(appendToList('name: a\nwave: 3 # w\n', 'consumes', 'secrets', ['x', 'true'])).toBe(
      'name: a\nwave: 3 # w\nconsumes:\n  secrets:\n    - x\n    - "true"\n',
    );
    expect(appendToList('name: a\r\nconsumes:\r\n  secrets:\r\n    - x\r\n', 'consumes', 'secrets', ['z'])).toBe(
      'name: a\r\nconsumes:\r\n  secrets:\r\n    - x\r\n    - z\r\n',
    );
  });

  it('refuses what it cannot edit safely', () => {
    expect(() => appendToList('name: a\nconsumes: {secrets: [x]}\n', 'consumes', 'secrets', ['y'], 'c.yaml')).toThrow(
      /c\.yaml: cannot edit: consumes is not a block map; add consumes\.secrets y by hand/,
    );
    expect(() => appendToList('name: a\nconsumes:\n  secrets: x\n', 'consumes', 'secrets', ['y'], 'c.yaml')).toThrow(
      /consumes\.secrets is not a list/,
    );
  });
});

describe('check --suggest on the wait-hooks fixture', () => {
  const catalog = loadCatalog(FIXTURE);
  const [s] = suggestRepairs(catalog, checkCatalog(catalog));

  it('proposes the dependencies, consumes entries, smoke checks and a new smoke, and says the waits stay', () => {
    expect(s!.addDependencies.map((e) => `${e.component} -> ${e.dependency} (${e.rules.join(',')})`)).toEqual([
      'app -> postgres (chart-wait-hook)',
      'app -> redis (chart-wait-hook)',
      'app -> secrets-app (chart-wait-hook)',
      'worker -> redis (chart-wait-hook)',
      'worker -> worker-db (chart-wait-hook)',
    ]);
    // worker -> postgres is implied by worker -> worker-db -> postgres
    expect(s!.impliedDependencies.map((e) => `${e.component} -> ${e.dependency}`)).toEqual(['worker -> postgres']);
    expect(s!.addConsumes.map((c) => `${c.component} ${c.type} ${c.item}`)).toEqual([
      'app secrets apps/app-api-token',
      'app secrets apps/app-db-credentials',
      'app services postgres-rw',
      'app services redis',
      'worker services postgres-rw',
      'worker services redis',
    ]);
    expect(s!.newSmokes).toEqual([
      { name: 'app-smoke', validates: 'app', tier: 'platform', wave: 41, namespace: 'apps', file: `${C}/app-smoke/component.yaml` },
    ]);
    expect(s!.addSmokeChecks.map((c) => `${c.smoke} ${c.field} ${JSON.stringify(c.entry)}`)).toEqual([
      'app-smoke externalSecrets {"name":"app-db-credentials","namespace":"apps"}',
      'app-smoke resources {"apiVersion":"apps/v1","kind":"Deployment","name":"redis","namespace":"apps","condition":"Available"}',
      'app-smoke secrets {"name":"app-api-token","namespace":"apps"}',
      'platform-smoke resources {"apiVersion":"apps/v1","kind":"Deployment","name":"redis","namespace":"apps","condition":"Available"}',
      'platform-smoke resources {"apiVersion":"batch/v1","kind":"Job","name":"worker-db-init","namespace":"apps","condition":"Complete"}',
    ]);
    expect(s!.notes).toHaveLength(7);
    const text = formatSuggestions([s!]);
    expect(text).toContain('  new smoke       app-smoke: validates app, tier platform, wave 41\n');
    expect(text).toContain('  add smoke check platform-smoke: smoke.resources Job apps/worker-db-init (Complete)  (chart-wait-hook)\n');
    expect(text).toContain('  add consumes    app: secrets apps/app-api-token  (chart-wait-hook)\n');
    expect(text).toContain(
      '  not fixed       not deleting the hook at environments/dev/components/app/chart/templates/wait-secret-job.yaml:28 (Job app-wait-api-token, container wait): remove it by hand',
    );
    const json = suggestionsToJson([s!])[0] as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['addConsumes', 'newSmokes', 'addSmokeChecks', 'notes']));
  });
});

describe('wavegate fix on a copy of the wait-hooks fixture', () => {
  const root = copy(FIXTURE);
  const before = checkCatalog(loadCatalog(root));
  const plan = planFix(loadCatalog(root), before);
  const hooks = [
    'app/chart/templates/wait-secret-job.yaml',
    'app/chart/templates/wait-externalsecret-job.yaml',
    'app/chart/templates/deployment.yaml',
    'app/chart/templates/_helpers.tpl',
  ];
  const hookTexts = hooks.map((h) => read(root, `${C}/${h}`));
  const written = applyFix(loadCatalog(root), plan);
  const after = checkCatalog(loadCatalog(root));

  it('writes the component files and the new smoke, and leaves every hook as it was', () => {
    expect(written.sort()).toEqual([
      `${C}/app-smoke/component.yaml`,
      `${C}/app/component.yaml`,
      `${C}/platform-smoke/component.yaml`,
      `${C}/worker/component.yaml`,
    ]);
    expect(hooks.map((h) => read(root, `${C}/${h}`))).toEqual(hookTexts);
    expect(read(root, 'bases/worker/deployment.yaml')).toBe(read(FIXTURE, 'bases/worker/deployment.yaml'));
  });

  it('app gains its dependencies and consumes; other bytes stay', () => {
    const text = read(root, `${C}/app/component.yaml`);
    expect(text.startsWith(read(FIXTURE, `${C}/app/component.yaml`).split('\n').slice(0, 5).join('\n'))).toBe(true);
    const app = parse(text);
    expect(app.dependencies).toEqual(['postgres', 'redis', 'secrets-app']);
    expect(app.consumes).toEqual({ secrets: ['apps/app-api-token', 'apps/app-db-credentials'], services: ['postgres-rw', 'redis'] });
    expect(parse(read(root, `${C}/worker/component.yaml`)).dependencies).toEqual(['redis', 'worker-db']);
  });

  it('the smoke validating worker gains its checks; app gets a new smoke one wave after it', () => {
    expect(
      parse(read(root, `${C}/platform-smoke/component.yaml`)).smoke.resources.map(
        (r: { kind: string; name: string; condition: string }) => `${r.kind} ${r.name} ${r.condition}`,
      ),
    ).toEqual(['Deployment worker Available', 'Deployment redis Available', 'Job worker-db-init Complete']);
    const smoke = parse(read(root, `${C}/app-smoke/component.yaml`));
    expect(smoke).toEqual({
      name: 'app-smoke',
      tier: 'platform',
      wave: 41,
      componentType: 'smoke',
      namespace: 'apps',
      dependencies: ['app'],
      health: ['batch/Job'],
      smoke: {
        validates: ['app'],
        externalSecrets: [{ name: 'app-db-credentials', namespace: 'apps' }],
        secrets: [{ name: 'app-api-token', namespace: 'apps' }],
        resources: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'redis', namespace: 'apps', condition: 'Available' }],
      },
    });
    expect(read(root, `${C}/app-smoke/component.yaml`)).toMatch(/^# Created by wavegate fix \(rule chart-wait-hook\)/);
  });

  it('every other finding is gone; the waits are still reported, now saying the dependency and smoke are in place', () => {
    expect(before.filter((f) => f.rule !== 'chart-wait-hook')).toEqual([]);
    expect(after.map((f) => f.rule)).toEqual(Array(7).fill('chart-wait-hook'));
    expect(after.map((f) => `${f.file}:${f.line}`)).toEqual(before.map((f) => `${f.file}:${f.line}`));
    const secret = after.find((f) => f.file!.endsWith('wait-secret-job.yaml'))!;
    expect(secret.message).toContain(
      'app-api-token, provided by secrets-app, which app already depends on; check it in smoke app-smoke (smoke.secrets: app-api-token), which it does already',
    );
    expect(secret.fix!.addDependencies).toBeUndefined();
    expect(secret.fix!.addSmokeChecks).toBeUndefined();
  });

  it('is idempotent: a second run edits and creates nothing, and still says it does not delete the waits', () => {
    const again = planFix(loadCatalog(root), after);
    expect(again.edits).toEqual([]);
    expect(again.newFiles).toEqual([]);
    expect(again.notes.filter((n) => n.includes('not deleting'))).toHaveLength(7);
  });
});

describe('wavegate fix (CLI) on the wait-hooks fixture', () => {
  it('prints the edits, the new smoke and what it did not do; exit 1 while the waits remain', () => {
    const root = copy(FIXTURE);
    const r = spawnSync(process.execPath, [CLI, 'fix', root], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      `edited ${C}/app/component.yaml: add postgres, redis, secrets-app, add consumes.secrets apps/app-api-token, apps/app-db-credentials, add consumes.services postgres-rw, redis\n`,
    );
    expect(r.stdout).toContain(`created ${C}/app-smoke/component.yaml: new smoke app-smoke\n`);
    expect(r.stdout).toContain(
      'not fixed: dev: not deleting the init container at bases/worker/deployment.yaml:26 (Deployment worker, init container wait-redis): remove it by hand; chart-wait-hook reports it until then\n',
    );
    expect(r.stdout).toContain('after fixing: 7 errors, 0 warnings');
  });

  it('check --suggest prints the same repairs, --format json carries them', () => {
    const t = spawnSync(process.execPath, [CLI, 'check', FIXTURE, '--suggest'], { encoding: 'utf8' });
    expect(t.status).toBe(1);
    expect(t.stdout).toContain('  new smoke       app-smoke: validates app, tier platform, wave 41\n');
    const j = JSON.parse(
      spawnSync(process.execPath, [CLI, 'check', FIXTURE, '--suggest', '--format', 'json'], { encoding: 'utf8' }).stdout,
    );
    expect(j.suggestions[0].newSmokes).toEqual([{ name: 'app-smoke', validates: 'app', tier: 'platform', wave: 41 }]);
    expect(j.findings.filter((f: { rule: string }) => f.rule === 'chart-wait-hook')).toHaveLength(7);
  });
});

describe('fix and shared components', () => {
  const hook = (ns: string) =>
    `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: w\n  annotations:\n    argocd.argoproj.io/hook: PreSync\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: kubectl\n          command: ["sh", "-c", "until kubectl get secret s -n ${ns}; do sleep 5; done"]\n`;

  it('a new smoke for a _shared component goes to _shared when every environment asks for the same one', () => {
    const root = writeCatalog({
      'environments/_shared/components/data/p/component.yaml': 'name: p\ntier: data\nwave: 20\nnamespace: ns\nprovides:\n  secrets: [s]\n',
      'environments/_shared/components/apps/c/component.yaml': 'name: c\ntier: platform\nwave: 40\nnamespace: ns\nproject: apps\n',
      'environments/_shared/components/apps/c/templates/hook.yaml': hook('ns'),
      'environments/dev/components/.gitkeep': '',
      'environments/prod/components/.gitkeep': '',
      'wavegate.yaml': `tiers:\n  - name: data\n    waves: [16, 35]\n  - name: platform\n    waves: [36, 99]\n# a test pin, not a real digest\nsmoke:\n  image:\n    digest: "sha256:${'ab12'.repeat(16)}"\n`,
    });
    const catalog = loadCatalog(root);
    const plan = planFix(catalog, checkCatalog(catalog));
    expect(plan.newFiles.map((f) => [f.file, f.environments])).toEqual([
      ['environments/_shared/components/apps/c-smoke/component.yaml', ['dev', 'prod']],
    ]);
    expect(plan.notes).toEqual([
      'dev, prod: not deleting the hook at environments/_shared/components/apps/c/templates/hook.yaml:13 (Job w, container c): remove it by hand; chart-wait-hook reports it until then',
    ]);
    applyFix(catalog, plan);
    const after = checkCatalog(loadCatalog(root));
    expect(after.map((f) => `${f.rule} ${f.environment}`)).toEqual(['chart-wait-hook dev', 'chart-wait-hook prod']);
    expect(parse(read(root, 'environments/_shared/components/apps/c-smoke/component.yaml'))).toMatchObject({
      name: 'c-smoke',
      wave: 41,
      project: 'apps',
      dependencies: ['c'],
    });
  });

  it('no new smoke when the component is at the top of its band: said, not written', () => {
    const root = catalogOf(
      [comp('p', 'data', 20, { namespace: 'ns', provides: { secrets: ['s'] } }), comp('c', 'data', 35, { namespace: 'ns' })],
      {
        extra: { 'environments/dev/components/c/hook.yaml': hook('ns'), 'wavegate.yaml': 'tiers:\n  - name: data\n    waves: [16, 35]\n' },
      },
    );
    const catalog = loadCatalog(root);
    const plan = planFix(catalog, checkCatalog(catalog));
    expect(plan.newFiles).toEqual([]);
    expect(plan.notes).toContain(
      "dev: no smoke for c: it would be wave 36, above tier data's band [16, 35]; add the checks to a smoke by hand",
    );
    expect(plan.edits.map((e) => [e.file, e.addDependencies])).toEqual([['environments/dev/components/c/component.yaml', ['p']]]);
  });
});
