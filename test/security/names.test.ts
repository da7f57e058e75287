/**
 * Issue 13 items 4 and 5: names taken from the file system (environment and component folder
 * names) with a newline or another control character must neither be loaded nor, when they
 * reach a writer some other way, end a shell comment line, a YAML comment, a DOT or a Mermaid
 * label early. Before the fix, `plan --format shell --env-label ''` wrote the environment name
 * raw into `# Bootstrap of environment ...` (its second line ran as a command) and the smoke
 * chart's `# Rendered by wavegate from ...` header injected top-level keys into values.yaml.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { graphPicture, toDot, toMermaid } from '../../src/graph/render.js';
import { planEnvironment, planShell, shellOptions, shellTarget } from '../../src/graph/plan.js';
import { LOAD_RULE_IDS } from '../../src/rules/index.js';
import { toSarif } from '../../src/report/sarif.js';
import { buildSmokeChart } from '../../src/smoke/render.js';
import { smokeSettings } from '../../src/smoke/settings.js';
import { catalogOf, writeCatalog } from '../helpers/catalog.js';
import { loadFixture } from '../smoke/fixture.js';

const BIN = join(__dirname, '..', '..', 'bin', 'wavegate.js');
const EVIL_ENV = 'dev\ntouch PWNED #';
const WAVEGATE_YAML = 'plan:\n  waveLabel: example.com/sync-wave\n';

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('load: environment and component folder names with control characters', () => {
  it('an environment folder with a newline is a finding unsafe-name naming the folder, and is not loaded', () => {
    const root = catalogOf([{ name: 'app', tier: 'apps', wave: 40 }], { envs: ['prod', EVIL_ENV, 'tab\there'] });
    const c = loadCatalog(root);
    expect(c.environments.map((e) => e.name)).toEqual(['prod']);
    const unsafe = c.findings.filter((f) => f.rule === 'unsafe-name');
    expect(unsafe.map((f) => f.file)).toEqual(['environments/dev\\ntouch PWNED #', 'environments/tab\\there']);
    expect(unsafe[0]!.severity).toBe('error');
    expect(unsafe[0]!.message).toContain('"dev\\ntouch PWNED #" holds a control character');
    for (const f of c.findings) expect(`${f.file} ${f.message}`).not.toMatch(/[\n\t]/);
    expect(() => loadCatalog(root, { env: EVIL_ENV })).toThrow(/environments\/dev\\ntouch PWNED #: .*control character/);
  });

  it('a component folder (or any folder on its path) with a control character is a finding, the file is not loaded', () => {
    const root = writeCatalog({
      'environments/dev/components/ok/component.yaml': 'name: ok\ntier: apps\nwave: 40\n',
      'environments/dev/components/bad\nkey: injected/component.yaml': 'name: bad\ntier: apps\nwave: 40\n',
      'environments/dev/components/x\u0001y/deep/component.yaml': 'name: deep\ntier: apps\nwave: 40\n',
      'environments/_shared/components/s\u2028x/component.yaml': 'name: shared\ntier: apps\nwave: 40\n',
    });
    const c = loadCatalog(root);
    expect(c.environments[0]!.components.map((x) => x.name)).toEqual(['ok']);
    const unsafe = c.findings
      .filter((f) => f.rule === 'unsafe-name')
      .map((f) => f.file)
      .sort();
    expect(unsafe).toEqual([
      'environments/_shared/components/s\\u2028x/component.yaml',
      'environments/dev/components/bad\\nkey: injected/component.yaml',
      'environments/dev/components/x\\x01y/deep/component.yaml',
    ]);
  });

  it('unsafe-name is a load finding id, described in SARIF like the others', () => {
    expect(LOAD_RULE_IDS).toContain('unsafe-name');
    const sarif = toSarif([], { version: '0' }) as {
      runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } } }[];
    };
    const rule = sarif.runs[0]!.tool.driver.rules.find((r) => r.id === 'unsafe-name');
    expect(rule?.shortDescription.text).toMatch(/control character/);
  });

  it('check reports it with exit 1 and the path written with escapes', () => {
    const root = catalogOf([{ name: 'app', tier: 'apps', wave: 40 }], { envs: ['prod', EVIL_ENV] });
    const r = cli(['check', root]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('environments/dev\\ntouch PWNED #');
    expect((r.stdout + r.stderr).split('\n').some((l) => l.startsWith('touch PWNED'))).toBe(false);
  });
});

describe('plan --format shell (item 4)', () => {
  it("with --env-label '' on an environment named with a newline: nothing of the name runs as a command", () => {
    const root = catalogOf([{ name: 'app', tier: 'apps', wave: 40 }], { envs: [EVIL_ENV], extra: { 'wavegate.yaml': WAVEGATE_YAML } });
    const r = cli(['plan', root, '--env', EVIL_ENV, '--format', 'shell', '--env-label', '']);
    expect(r.stdout.split('\n').some((l) => l.startsWith('touch PWNED'))).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('control character');
  });

  it('the script escapes a name with control characters in its comment lines (whatever path the name took)', () => {
    const root = catalogOf([{ name: 'app', tier: 'apps', wave: 40 }], { envs: ['dev'], extra: { 'wavegate.yaml': WAVEGATE_YAML } });
    const catalog = loadCatalog(root);
    const env = catalog.environments[0]!;
    const plan = { ...planEnvironment(env), environment: EVIL_ENV };
    const o = shellOptions(catalog, { environmentLabel: null });
    const script = planShell(plan, shellTarget(catalog, env, plan, o), o.timeoutSeconds);
    const lines = script.split('\n');
    expect(lines.some((l) => l.startsWith('touch'))).toBe(false);
    expect(lines[1]).toBe('# Bootstrap of environment dev\\ntouch PWNED #, generated by wavegate plan: syncs each wave, waits until it is');
    // the closing echo keeps the name inside single quotes (a newline there is data, not a command)
    const sh = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
    expect(sh.status, sh.stderr).toBe(0);
  });

  it('an ApplicationSet namespace that is not a DNS label is single-quoted where the script assigns it', () => {
    const plan = { environment: 'dev', waves: [] } as unknown as Parameters<typeof planShell>[0];
    const evil = '$(touch PWNED)"x';
    const script = planShell(plan, { kind: 'rollingSync', appSets: [{ name: 'apps', namespace: evil, file: 'appset.yaml', steps: [] }] });
    const line = script.split('\n').find((l) => l.startsWith('ns='))!;
    expect(line).toBe(`ns=\${ARGOCD_NAMESPACE:-'$(touch PWNED)"x'}`);
    const dir = mkdtempSync(join(tmpdir(), 'wavegate-ns-'));
    const r = spawnSync('sh', ['-c', `${line}\nprintf '%s' "$ns"`], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.stdout).toBe(evil);
    expect(existsSync(join(dir, 'PWNED'))).toBe(false);
    const plain = planShell(plan, {
      kind: 'rollingSync',
      appSets: [{ name: 'apps', namespace: 'argocd', file: 'appset.yaml', steps: [] }],
    });
    expect(plain).toContain('ns="${ARGOCD_NAMESPACE:-argocd}"');
  });
});

describe('smoke chart values.yaml header (item 5)', () => {
  it('a component file path and environment name with newlines stay inside the comment: values.yaml keeps its own keys', async () => {
    const { catalog, env } = loadFixture();
    const settings = smokeSettings(catalog.settings);
    const comp = env.byName.get('secrets-smoke')!;
    const honest = await buildSmokeChart(comp, env, settings);
    const keysOf = (chart: typeof honest): string[] =>
      Object.keys(parse(chart.files.find((f) => f.path === 'values.yaml')!.content as string) as object).sort();
    const evil = await buildSmokeChart(
      { ...comp, file: 'environments/dev/components/x\nrunner:\n  serviceAccount: cluster-admin\n#/component.yaml' },
      { ...env, name: 'dev\r\ninjected: true' },
      settings,
    );
    const text = evil.files.find((f) => f.path === 'values.yaml')!.content as string;
    expect(keysOf(evil)).toEqual(keysOf(honest));
    expect(text.split('\n')[0]).toBe(
      '# Rendered by wavegate from environments/dev/components/x\\nrunner:\\n  serviceAccount: cluster-admin\\n#/component.yaml',
    );
    expect(text).toContain('# (environment dev\\r\\ninjected: true).');
  });
});

describe('DOT and Mermaid labels', () => {
  it('an environment name with control characters is escaped in the DOT title; Mermaid labels keep to one line', () => {
    const root = catalogOf(
      [
        { name: 'db', tier: 'data', wave: 20 },
        { name: 'app', tier: 'apps', wave: 40, dependencies: ['db'] },
      ],
      { envs: ['dev'] },
    );
    const catalog = loadCatalog(root);
    const env = { ...catalog.environments[0]!, name: 'dev\u0001"]; evil [label="x' };
    const pic = graphPicture(catalog, env, []);
    const dot = toDot(pic);
    expect(dot.split('\n')[0]).toBe('digraph "wavegate dev\\\\x01\\"]; evil [label=\\"x" {');
    expect(dot).not.toMatch(/[\u0001]/);
    // Mermaid: a label with a quote or a newline (tier names are DNS labels today; the writer does not rely on it)
    const crafted = { ...pic, tiers: pic.tiers.map((t, i) => (i === 0 ? { ...t, name: 'a"]\nb' } : t)) };
    const mermaid = toMermaid(crafted);
    for (const l of mermaid.split('\n')) expect(l).not.toMatch(/[\u0000-\u001f]/);
    expect(mermaid).toContain('subgraph t0 ["a#quot;]\\nb (waves');
  });
});
