// Issue 13, items 1, 2, 9 and 13: every file read for a catalog, a test folder or an override
// resolves (after symlinks) inside the root it belongs to, is a regular file and is bounded;
// anything else is a finding or error naming the path as written, never the file's content,
// never Node's own error text.
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { put, tempDirs } from '../helpers/tree.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { checkCatalog } from '../../src/check.js';
import { DEFAULT_MAX_FILE_BYTES, readBytes } from '../../src/fsutil.js';
import { runHealthTests } from '../../src/lua/testrunner.js';
import { renderCatalog } from '../../src/render/index.js';

const BIN = join(__dirname, '..', '..', 'bin', 'wavegate.js');
const SECRET = 'ci-token-5f0c1b2e9d';

const temp = tempDirs('wavegate-sec-');
function link(root: string, rel: string, target: string): void {
  const abs = join(root, rel);
  mkdirSync(dirname(abs), { recursive: true });
  symlinkSync(target, abs);
}
function run(args: string[], cwd?: string): { code: number | null; stdout: string; stderr: string; ms: number } {
  const t = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd, timeout: 60_000, env: { ...process.env, NO_COLOR: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t };
}

/** A file outside every root, standing for ~/.kube/config: a resource whose field a check returns. */
function secretFile(): string {
  const outside = temp();
  return put(outside, 'config.yaml', { apiVersion: 'example.com/v1', kind: 'Widget', status: { message: SECRET } });
}

/** A check folder (Argo's layout) whose script prints the object's status.message. */
function checkFolder(inputPath: string): string {
  const root = temp();
  put(root, 'example.com/Widget/health.lua', 'return { status = "Healthy", message = obj.status.message }\n');
  put(root, 'example.com/Widget/health_test.yaml', { tests: [{ healthStatus: { status: 'Healthy', message: 'x' }, inputPath }] });
  return root;
}

const widget = { name: 'w', tier: 'foundation', wave: 1, health: ['example.com/Widget'] };

describe('health test: inputPath stays inside the test folder', () => {
  it('refuses ../ climbing out, naming the path as written, never printing the file (text and --format json)', () => {
    const secret = secretFile();
    const root = checkFolder(`../../../..${secret}`);
    const report = runHealthTests([root]);
    expect(report.failed).toBe(1);
    const c = report.cases[0]!;
    expect(c.notes).toEqual([`cannot read input ../../../..${secret}: it leads outside its folder (through a symlink or ..)`]);
    expect(JSON.stringify(report)).not.toContain(SECRET);
    for (const format of ['text', 'json']) {
      const r = run(['health', 'test', root, '--format', format]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout + r.stderr).not.toContain(SECRET);
      expect(r.stdout).toMatch(/leads outside its folder/);
    }
  });

  it('refuses a testdata symlink leading outside, and one to /dev/zero (bounded, no hang)', () => {
    const secret = secretFile();
    const root = checkFolder('testdata/ready.yaml');
    link(root, 'example.com/Widget/testdata/ready.yaml', secret);
    const r = run(['health', 'test', root, '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).not.toContain(SECRET);
    expect(JSON.parse(r.stdout).cases[0].notes[0]).toBe(
      'cannot read input testdata/ready.yaml: it leads outside its folder (through a symlink or ..)',
    );

    const zero = checkFolder('testdata/zero.yaml');
    link(zero, 'example.com/Widget/testdata/zero.yaml', '/dev/zero');
    const z = run(['health', 'test', zero]);
    expect(z.code, z.stderr).toBe(1);
    expect(z.stdout).toMatch(/cannot read input testdata\/zero\.yaml: it leads outside its folder/);
    expect(z.ms).toBeLessThan(20_000);
  });

  it('a testdata file above the size limit is refused unread', () => {
    const root = checkFolder('testdata/big.yaml');
    put(
      root,
      'example.com/Widget/testdata/big.yaml',
      `apiVersion: example.com/v1\nkind: Widget\n# ${'x'.repeat(DEFAULT_MAX_FILE_BYTES)}\n`,
    );
    const report = runHealthTests([root]);
    expect(report.cases[0]!.notes[0]).toMatch(/^cannot read input testdata\/big\.yaml: larger than 4 MiB/);
  });

  it('a health_test.yaml linked from outside the folder is not run', () => {
    const outside = temp();
    put(outside, 'health_test.yaml', { tests: [{ healthStatus: { status: 'Healthy', message: SECRET }, inputPath: 'testdata/a.yaml' }] });
    const root = temp();
    put(root, 'example.com/Widget/health.lua', 'return { status = "Healthy", message = "ok" }\n');
    link(root, 'example.com/Widget/health_test.yaml', join(outside, 'health_test.yaml'));
    const report = runHealthTests([root]);
    expect(report.failed).toBe(1);
    expect(report.cases[0]!.notes[0]).toMatch(/not read: .*example\.com\/Widget\/health_test\.yaml: it leads outside its folder/);
    expect(JSON.stringify(report)).not.toContain(SECRET);
  });
});

describe('readBytes: regular files only, bounded', () => {
  it('refuses /dev/zero at once and a file above the limit, with wavegate words', () => {
    const t = Date.now();
    expect(() => readBytes('/dev/zero')).toThrow(/^not a regular file$/);
    expect(Date.now() - t).toBeLessThan(1000);
    const big = put(temp(), 'big', 'x'.repeat(2000));
    expect(() => readBytes(big, 1000)).toThrow(/^larger than 1000 bytes/);
    expect(readBytes(big, 2000).length).toBe(2000);
  });

  it('a FIFO planted as a file does not block the read', () => {
    const dir = temp();
    const fifo = join(dir, 'fifo.yaml');
    const r = spawnSync('mkfifo', [fifo]);
    if (r.status !== 0) return; // no mkfifo here
    expect(() => readBytes(fifo)).toThrow(/^not a regular file$/);
  });
});

describe('catalog reads stay inside the catalog', () => {
  it('wavegate.yaml as a symlink to /dev/zero is a clear error at once (CLI exit 2), not 5 GB read', () => {
    const root = temp();
    put(root, 'environments/dev/components/w/component.yaml', widget);
    symlinkSync('/dev/zero', join(root, 'wavegate.yaml'));
    expect(() => loadCatalog(root)).toThrow(/^wavegate\.yaml: cannot read the file: it leads outside its folder/);
    // run from the parent with a relative path: the message names the path as written
    const rel = run(['check', root.split('/').pop()!], dirname(root));
    expect(rel.code).toBe(2);
    expect(rel.stderr).toBe(
      'wavegate: error: wavegate.yaml: cannot read the file: it leads outside its folder (through a symlink or ..)\n',
    );
    expect(rel.ms).toBeLessThan(20_000);
  });

  it('a wavegate.yaml that is too large is refused unread', () => {
    const root = temp();
    put(root, 'environments/dev/components/w/component.yaml', widget);
    put(root, 'wavegate.yaml', `# ${'x'.repeat(DEFAULT_MAX_FILE_BYTES + 10)}\n`);
    expect(() => loadCatalog(root)).toThrow(/^wavegate\.yaml: cannot read the file: larger than 4 MiB/);
  });

  it('a component.yaml symlinked out of the catalog is a finding without its content; one linked inside is read', () => {
    const outside = temp();
    put(outside, 'component.yaml', `name: w\ntier: foundation\nwave: 1\ntoken: ${SECRET}\n`);
    const root = temp();
    put(root, 'environments/dev/components/ok/real.yaml', { name: 'ok', tier: 'foundation', wave: 1 });
    link(root, 'environments/dev/components/ok/component.yaml', 'real.yaml');
    link(root, 'environments/dev/components/w/component.yaml', join(outside, 'component.yaml'));
    const c = loadCatalog(root);
    expect(c.environments[0]!.components.map((x) => x.name)).toEqual(['ok']);
    expect(c.findings).toEqual([
      expect.objectContaining({
        rule: 'yaml',
        file: 'environments/dev/components/w/component.yaml',
        message: 'cannot read the file: it leads outside its folder (through a symlink or ..)',
      }),
    ]);
    expect(JSON.stringify(c.findings)).not.toContain(SECRET);
  });

  it('a components folder symlinked out of the catalog is not walked', () => {
    const outside = temp();
    put(outside, 'w/component.yaml', widget);
    const root = temp();
    put(root, 'environments/dev/components/ok/component.yaml', { name: 'ok', tier: 'foundation', wave: 1 });
    mkdirSync(join(root, 'environments/prod'), { recursive: true });
    symlinkSync(outside, join(root, 'environments/prod/components'));
    const c = loadCatalog(root);
    expect(c.environments.find((e) => e.name === 'prod')!.components).toEqual([]);
    expect(c.findings.map((f) => `${f.file}: ${f.message}`)).toEqual([
      'environments/prod/components: this folder leads outside the catalog (through a symlink): its components are not read',
    ]);
  });

  it('limits.maxFileBytes in wavegate.yaml bounds component files (a finding naming the file)', () => {
    const root = temp();
    put(root, 'wavegate.yaml', 'limits:\n  maxFileBytes: 2048\n');
    put(root, 'environments/dev/components/w/component.yaml', `name: w\ntier: foundation\nwave: 1\n# ${'x'.repeat(3000)}\n`);
    const c = loadCatalog(root);
    expect(c.findings.map((f) => `${f.file}: ${f.message}`)).toEqual([
      'environments/dev/components/w/component.yaml: cannot read the file: larger than 2 KiB (limits.maxFileBytes in wavegate.yaml)',
    ]);
    put(root, 'wavegate.yaml', 'limits:\n  maxFileBytes: 10\n');
    expect(() => loadCatalog(root)).toThrow(/limits\.maxFileBytes/);
  });
});

describe('render: overrides, their tests and testdata stay inside the catalog', () => {
  const script = 'return { status = "Healthy", message = "ready" }\n';
  const tests = { tests: [{ healthStatus: { status: 'Healthy', message: 'ready' }, inputPath: 'testdata/ready.yaml' }] };
  const ready = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };

  function catalog(overridePath = 'checks/widget'): string {
    const root = temp();
    put(root, 'wavegate.yaml', { health: { overrides: { 'example.com/Widget': overridePath } } });
    put(root, 'environments/dev/components/w/component.yaml', widget);
    put(root, 'checks/widget/health.lua', script);
    return root;
  }

  it('a testdata folder symlinked outside (say ~/.ssh) is not copied into OUT/.tests/<env>/health: an error finding, nothing written', async () => {
    const ssh = temp();
    put(ssh, 'id_ed25519', `-----BEGIN OPENSSH PRIVATE KEY----- ${SECRET}\n`);
    put(ssh, 'ready.yaml', ready);
    const root = catalog();
    put(root, 'checks/widget/health_test.yaml', tests);
    symlinkSync(ssh, join(root, 'checks/widget/testdata'));
    const out = temp();
    const r = await renderCatalog(loadCatalog(root), { out });
    expect(r.written).toBe(false);
    const msgs = r.findings.filter((f) => f.severity === 'error').map((f) => f.message);
    expect(msgs.join('\n')).toMatch(/health\.overrides example\.com\/Widget: testdata: it leads outside its folder/);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('a health_test.yaml symlinked outside is not copied', async () => {
    const outside = temp();
    const t = put(outside, 'health_test.yaml', `# ${SECRET}\n${stringify(tests)}`);
    const root = catalog();
    put(root, 'checks/widget/testdata/ready.yaml', ready);
    symlinkSync(t, join(root, 'checks/widget/health_test.yaml'));
    const r = await renderCatalog(loadCatalog(root), { out: temp() });
    expect(r.written).toBe(false);
    expect(r.findings.map((f) => f.message).join('\n')).toMatch(/health_test\.yaml: it leads outside its folder/);
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('health.overrides refuses absolute and ..-escaping paths, and paths leading out through a symlink; the error never echoes the file', () => {
    const outside = temp();
    const lua = put(outside, 'evil.lua', `local t = "${SECRET}" goto x\n`);
    for (const [path, why] of [
      [lua, 'is an absolute path'],
      [`../../../../../..${lua}`, 'is a path climbing out of the catalog with ..'],
      ['checks/../../x.lua', 'is a path climbing out of the catalog with ..'],
      ['linked.lua', 'leads outside the catalog (through a symlink)'],
    ] as const) {
      const root = catalog(path);
      symlinkSync(lua, join(root, 'linked.lua'));
      const c = loadCatalog(root);
      const f = checkCatalog(c).filter((x) => x.severity === 'error');
      expect(
        f.map((x) => x.message),
        path,
      ).toEqual([
        `health.overrides: example.com/Widget: ${JSON.stringify(path)} ${why}; override paths ${why.startsWith('leads') ? 'must stay inside it' : 'are relative to the catalog root and stay inside it'}`,
      ]);
      expect(f[0]!.file).toBe('wavegate.yaml');
      expect(JSON.stringify(f)).not.toContain(SECRET);
    }
  });

  it('an override health.lua that is a symlink to /dev/zero is refused at once (render exit 1, no hang)', () => {
    const root = catalog('checks/zero.lua');
    symlinkSync('/dev/zero', join(root, 'checks/zero.lua'));
    const r = run(['render', root, '--out', temp()]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/health\.overrides: example\.com\/Widget: "checks\/zero\.lua" leads outside the catalog/);
    expect(r.ms).toBeLessThan(30_000);
  });
});

describe('errors name paths as written and never pass Node texts through', () => {
  it('an environments/ that is a file and a missing catalog are named as written', () => {
    const root = temp();
    put(root, 'environments', 'not a folder');
    const name = root.split('/').pop()!;
    const r = run(['check', name], dirname(root));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `wavegate: error: ${name}: no environments/ folder (a catalog keeps its components in environments/<env>/components/**/component.yaml)\n`,
    );
    const m = run(['check', 'no-such-catalog'], dirname(root));
    expect(m.stderr).toBe('wavegate: error: catalog not found: no-such-catalog\n');
  });

  it('a component.yaml that is a folder or a symlink loop is a finding in wavegate words', () => {
    const root = temp();
    put(root, 'environments/dev/components/ok/component.yaml', { name: 'ok', tier: 'foundation', wave: 1 });
    link(root, 'environments/dev/components/loop/component.yaml', 'component.yaml');
    mkdirSync(join(root, 'environments/dev/components/dir/component.yaml'), { recursive: true });
    const name = root.split('/').pop()!;
    const r = run(['check', name, '--format', 'json'], dirname(root));
    expect(r.stdout + r.stderr).not.toMatch(/ELOOP|EISDIR|scandir|open '|out of range/);
    expect(r.stdout + r.stderr).not.toContain(root);
  });

  it('render with relative paths: an --out below a file and a bad override check.yaml name the paths as written, in wavegate words', () => {
    const cwd = temp();
    put(cwd, 'cat/environments/dev/components/w/component.yaml', { name: 'w', tier: 'foundation', wave: 1 });
    put(cwd, 'afile', 'x');
    const o = run(['render', 'cat', '--out', 'afile/x'], cwd);
    expect(o.code).toBe(2);
    // before: "ENOTDIR: not a directory, mkdir '/tmp/.../afile/x'"
    expect(o.stderr).toBe('wavegate: error: --out afile/x: a part of the path is not a folder\n');
    put(cwd, 'cat/environments/dev/components/w/component.yaml', widget);
    put(cwd, 'cat/wavegate.yaml', { health: { overrides: { 'example.com/Widget': 'checks/widget' } } });
    put(cwd, 'cat/checks/widget/check.yaml', 'useOpenLibs: 3\n');
    put(cwd, 'cat/checks/widget/health.lua', 'return {}\n');
    const c = run(['render', 'cat', '--out', 'out'], cwd);
    // a finding of the catalog (rule health-lint, as `check` reports it too), not a usage error
    expect(c.code).toBe(1);
    expect(c.stdout).toContain(
      'error health-lint: [dev] health.overrides example.com/Widget: cat/checks/widget/check.yaml:1:14: useOpenLibs: expected true or false\n',
    );
  });

  it('health test of a missing folder and health lint of /dev/zero', () => {
    const cwd = temp();
    const t = run(['health', 'test', 'nope'], cwd);
    expect(t.stderr).toBe('wavegate: error: nope: no such folder\n');
    const l = run(['health', 'lint', '/dev/zero']);
    expect(l.code).toBe(2);
    expect(l.stderr).toBe('wavegate: error: /dev/zero: cannot read the script: not a regular file\n');
  });
});

describe('files a component deploys (chart-wait-hook) stay inside the catalog', () => {
  it('a kustomize base or a manifest that is a symlink leading outside is not read', async () => {
    const { symlinkSync } = await import('node:fs');
    const outside = temp();
    put(
      outside,
      'base/job.yaml',
      `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: w\n  annotations: {argocd.argoproj.io/hook: PreSync}\nspec: {template: {spec: {containers: [{name: c, image: k, command: [sh, -c, "until kubectl get secret ${SECRET}; do sleep 5; done"]}]}}}\n`,
    );
    const root = temp();
    put(root, 'environments/dev/components/app/component.yaml', { name: 'app', tier: 'apps', wave: 40 });
    put(root, 'environments/dev/components/app/kustomization.yaml', 'resources:\n  - ../../../../bases/ext\n  - linked.yaml\n');
    mkdirSync(join(root, 'bases'), { recursive: true });
    symlinkSync(join(outside, 'base'), join(root, 'bases', 'ext'));
    symlinkSync(join(outside, 'base', 'job.yaml'), join(root, 'environments/dev/components/app/linked.yaml'));
    const catalog = loadCatalog(root);
    const c = catalog.environments[0]!.byName.get('app')!;
    const files = catalog.files.componentFiles(c);
    expect(files.map((f) => f.file)).toEqual(['environments/dev/components/app/kustomization.yaml']);
    expect(JSON.stringify(files)).not.toContain(SECRET);
    expect(checkCatalog(catalog).filter((f) => f.rule === 'chart-wait-hook')).toEqual([]);
  });
});
