import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catalogOf } from '../helpers/catalog.js';
import { comp } from '../helpers/rules.js';

const BIN = join(__dirname, '..', '..', 'bin', 'wavegate.js');
const EXAMPLE = join(__dirname, '..', '..', 'examples', 'ameide');
const BEFORE = join(__dirname, '..', 'fixtures', 'backlog-382-before');
const temp: string[] = [];
afterAll(() => temp.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(args: string[], cwd?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const broken = () =>
  catalogOf([comp('grafana', 'platform', 42), comp('datasources', 'platform', 41, { dependencies: ['grafana'] }), comp('db', 'data', 12)]);

describe('check --format sarif and --suggest', () => {
  it('sarif: a SARIF 2.1.0 log with paths relative to the working directory; exit 1 on errors', () => {
    const r = run(['check', 'test/fixtures/backlog-382-before', '--format', 'sarif'], join(__dirname, '..', '..'));
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results.length).toBeGreaterThan(100);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(
      /^test\/fixtures\/backlog-382-before\/argocd\//,
    );
    expect(run(['check', EXAMPLE, '--format', 'sarif']).code).toBe(0);
    expect(run(['check', EXAMPLE, '--format', 'sarif', '--suggest']).code).toBe(2);
  });

  it('--suggest prints the wave changes and edges; json carries them under "suggestions"', () => {
    const root = broken();
    const text = run(['check', root, '--suggest']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Suggested changes for dev:\n');
    expect(text.stdout).toContain("  set wave        db: 12 -> 16  (outside tier data's band [16, 35])\n");
    expect(text.stdout).toMatch(/ {2}set wave {8}(grafana: 42 -> 40|datasources: 41 -> 43)/);
    expect(text.stdout).toContain('  2 wave changes; no assignment moves fewer components\n');
    const json = JSON.parse(run(['check', root, '--suggest', '--format', 'json']).stdout);
    expect(json.suggestions).toHaveLength(1);
    expect(json.suggestions[0]).toMatchObject({ environment: 'dev', addDependencies: [], minimal: true });
    expect(json.suggestions[0].waveChanges).toHaveLength(2);
    expect(run(['check', EXAMPLE, '--suggest']).stdout).toContain('Suggested changes: none\n');
  });
});

describe('wavegate fix', () => {
  it('--dry-run writes nothing; fix writes, then check is clean', () => {
    const root = broken();
    const file = join(root, 'environments/dev/components/db/component.yaml');
    const before = readFileSync(file, 'utf8');
    const dry = run(['fix', root, '--dry-run']);
    expect(dry.stdout).toContain('would edit environments/dev/components/db/component.yaml: wave 12 -> 16\n');
    expect(readFileSync(file, 'utf8')).toBe(before);
    const r = run(['fix', root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('after fixing: 0 errors, 0 warnings');
    expect(run(['check', root]).code).toBe(0);
    expect(run(['fix', root]).stdout).toContain('nothing to fix\n');
  });

  it('on a copy of the before fixture: what it could not fix is said, exit 1', () => {
    const root = mkdtempSync(join(tmpdir(), 'wavegate-fixcli-'));
    temp.push(root);
    cpSync(BEFORE, root, { recursive: true });
    const r = run(['fix', root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('edited environments/_shared/components/platform/observability/grafana/component.yaml: wave 42 -> 40\n');
    expect(r.stdout).toContain(
      'edited environments/_shared/components/platform/observability/grafana-datasources/component.yaml: add platform-grafana\n',
    );
    expect(r.stdout).toMatch(
      /^not fixed: dev: not adding data-db-migrations -> platform-postgres-clusters: its waves cannot fit the tier bands/m,
    );
  });
});

describe('plan and graph commands', () => {
  it('plan --format json and shell on the example; --env is required', () => {
    const j = JSON.parse(run(['plan', EXAMPLE, '--env', 'prod', '--format', 'json']).stdout);
    expect(Object.keys(j)).toEqual(['environment', 'waves']);
    expect(j.waves.flatMap((w: { components: string[] }) => w.components)).toHaveLength(60);
    // the example's ApplicationSets use RollingSync: the script waits on their rollout
    const sh = run(['plan', EXAMPLE, '--env', 'prod', '--format', 'shell', '--timeout', '120']);
    expect(sh.code, sh.stderr).toBe(0);
    expect(sh.stdout).toContain("wait_step 'ameide-prod' \"$ns\" 1 'wave 0' 'foundation-crds-gateway'\n");
    expect(sh.stdout).toContain('WAVEGATE_STEP_TIMEOUT:-120');
    expect(sh.stdout).not.toContain('argocd app sync');
    // a label the ApplicationSet does not set would select nothing (the before fixture has no RollingSync)
    const wrong = run(['plan', BEFORE, '--env', 'prod', '--format', 'shell', '--wave-label', 'ameide.io/wave']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      'labels the wave as wavegate.dev/wave; --wave-label / plan.waveLabel ameide.io/wave would select nothing',
    );
    expect(run(['plan', EXAMPLE]).code).toBe(2);
    const bad = run(['plan', EXAMPLE, '--env', 'qa']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('environment "qa" not found');
    expect(run(['plan', EXAMPLE, '--env', 'prod', '--format', 'shell', '--timeout', 'soon']).code).toBe(2);
    expect(run(['plan', EXAMPLE, '--env', 'prod', '--format', 'shell', '--wave-label', 'Not A Label']).code).toBe(2);
  });

  it('graph --format dot|mermaid, --component/--depth; unknown component exits 2', () => {
    const d = run(['graph', EXAMPLE, '--env', 'dev']);
    expect(d.code).toBe(0);
    expect(d.stdout.startsWith('digraph "wavegate dev" {')).toBe(true);
    const m = run(['graph', EXAMPLE, '--env', 'dev', '--format', 'mermaid', '--component', 'platform-grafana', '--depth', '1']);
    expect(m.stdout.startsWith('flowchart LR\n')).toBe(true);
    expect(m.stdout).toContain('platform-grafana-datasources');
    expect(m.stdout).not.toContain('apps-graph');
    const bad = run(['graph', EXAMPLE, '--env', 'dev', '--component', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('wavegate: error: component "nope" not found in environment dev\n');
    expect(run(['graph', EXAMPLE, '--env', 'dev', '--depth', '-1', '--component', 'platform-grafana']).code).toBe(2);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('defines wavegate-check running the hook script on the whole catalog (test/precommit.test.ts runs it with pre-commit)', async () => {
    const { parse } = await import('yaml');
    const root = join(__dirname, '..', '..');
    const hooks = parse(readFileSync(join(root, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
    expect(hooks).toEqual([
      expect.objectContaining({
        id: 'wavegate-check',
        entry: 'scripts/pre-commit-hook.sh check',
        language: 'script',
        pass_filenames: false,
        files: '\\.ya?ml$',
      }),
    ]);
    expect(new RegExp(hooks[0]!.files as string).test('environments/dev/components/a/component.yaml')).toBe(true);
  });
});

describe('deterministic output', () => {
  it('check (text, json, sarif, --suggest), plan and graph are byte-identical on re-runs', () => {
    for (const args of [
      ['check', BEFORE, '--suggest'],
      ['check', BEFORE, '--format', 'json', '--suggest'],
      ['check', BEFORE, '--format', 'sarif'],
      ['plan', BEFORE, '--env', 'prod', '--format', 'shell'],
      ['graph', BEFORE, '--env', 'dev', '--format', 'mermaid'],
    ]) {
      const a = run(args);
      expect(a.stdout.length, args.join(' ')).toBeGreaterThan(100);
      expect(run(args).stdout, args.join(' ')).toBe(a.stdout);
    }
  });
});
