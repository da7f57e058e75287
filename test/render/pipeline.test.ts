// The render pipeline: each environment written in the background while the next renders,
// swapped in only when every environment rendered without errors and every file is written.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { RENDER_MARKER, renderCatalog, renderInMemory, TESTS_DIR } from '../../src/render/index.js';
import type { RenderedFile, Renderer } from '../../src/render/types.js';
import { TreeWriter } from '../../src/render/write.js';
import { buildSmokeChart, smokeValues } from '../../src/smoke/render.js';
import { smokeSettings } from '../../src/smoke/settings.js';
import { catalogOf } from '../helpers/catalog.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { manifestDocuments } from '../../src/catalog/files.js';
import { loadFixture, SECRETS_SMOKE, VAULT_SECRETS } from '../smoke/fixture.js';
import { readTree, tempDirs } from '../helpers/tree.js';

const temp = tempDirs('wavegate-pipeline-');
const tree = (dir: string): Record<string, string> => readTree(dir);

const threeEnvs = (): ReturnType<typeof loadCatalog> =>
  loadCatalog(
    catalogOf([SECRETS_SMOKE, { ...VAULT_SECRETS, health: ['external-secrets.io/ExternalSecret'] }], { envs: ['dev', 'prod', 'staging'] }),
  );

describe('TreeWriter', () => {
  it('writes nested folders and files with their bytes', async () => {
    const root = join(temp(), 'out');
    const w = new TreeWriter();
    const files = [
      { path: 'a.txt', content: 'A' },
      { path: 'x/y/z/deep.bin', content: new Uint8Array([0, 1, 2, 255]) },
      { path: 'x/b.txt', content: 'B\n' },
      ...Array.from({ length: 50 }, (_, i) => ({ path: `many/d${i % 7}/f${i}.txt`, content: `file ${i}` })),
    ];
    w.writeTree(root, files);
    await w.settle();
    const got = tree(root);
    expect(Object.keys(got).sort()).toEqual(files.map((f) => f.path).sort());
    expect([...readFileSync(join(root, 'x', 'y', 'z', 'deep.bin'))]).toEqual([0, 1, 2, 255]);
    expect(got['many/d3/f10.txt']).toBe('file 10');
  });

  it('reports the first failure after everything in flight has settled', async () => {
    const root = join(temp(), 'out');
    const w = new TreeWriter();
    // "a" is both a file and a folder: one of the two must fail
    w.writeTree(root, [
      { path: 'a', content: 'x' },
      { path: 'a/b', content: 'y' },
      ...Array.from({ length: 20 }, (_, i) => ({ path: `c/${i}`, content: 'z' })),
    ]);
    await expect(w.settle()).rejects.toThrow(/EEXIST|ENOTDIR|EISDIR/);
  });
});

describe('renderCatalog pipeline', () => {
  it('writes the same files as renderInMemory renders, for every environment, and leaves no temporary folders', async () => {
    const catalog = threeEnvs();
    const out = temp();
    const mem = await renderInMemory(catalog, { out });
    const r = await renderCatalog(catalog, { out });
    expect(r.written).toBe(true);
    expect(readdirSync(out).sort()).toEqual([TESTS_DIR, 'dev', 'prod', 'staging']);
    expect(readdirSync(join(out, TESTS_DIR)).sort()).toEqual(['dev', 'prod', 'staging']);
    const text = (files: RenderedFile[]): Record<string, string> =>
      Object.fromEntries(files.map((f) => [f.path, typeof f.content === 'string' ? f.content : Buffer.from(f.content).toString('utf8')]));
    for (const env of mem.environments) {
      // plus the marker that lets the next render replace the folder (issue 13)
      expect(tree(join(out, env.name))).toEqual({
        ...text(env.files),
        [RENDER_MARKER]: expect.stringMatching(/written by wavegate render/),
      });
      // what is only tested, apart (issue 15): the ExternalSecret check's copy, its tests and testdata
      expect(env.testFiles.map((f) => f.path)).toContain('health/external-secrets.io/ExternalSecret/health_test.yaml');
      expect(env.files.filter((f) => f.path.startsWith('health/'))).toEqual([]);
      expect(env.testDir).toBe(join(out, TESTS_DIR, env.name));
      expect(tree(env.testDir)).toEqual({ ...text(env.testFiles), [RENDER_MARKER]: expect.stringMatching(/written by wavegate render/) });
    }
  });

  it('an error finding in a later environment writes nothing: earlier environments already staged are removed, previous output kept', async () => {
    const catalog = threeEnvs();
    const out = temp();
    for (const e of ['dev', 'prod', 'staging']) {
      mkdirSync(join(out, e), { recursive: true });
      writeFileSync(join(out, e, 'previous.txt'), `old ${e}`);
    }
    const failOnStaging: Renderer = (_c, env) => ({
      files: [{ path: 'x.txt', content: env.name }],
      findings: env.name === 'staging' ? [{ rule: 'test-rule', severity: 'error', message: 'no' }] : [],
    });
    const r = await renderCatalog(catalog, { out, renderers: [failOnStaging] });
    expect(r.written).toBe(false);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual(['test-rule']);
    expect(readdirSync(out).sort()).toEqual(['dev', 'prod', 'staging']);
    for (const e of ['dev', 'prod', 'staging']) expect(tree(join(out, e))).toEqual({ 'previous.txt': `old ${e}` });
  });

  it('a renderer that throws in a later environment leaves the previous output and no temporary folders', async () => {
    const catalog = threeEnvs();
    const out = temp();
    mkdirSync(join(out, 'dev'), { recursive: true });
    writeFileSync(join(out, 'dev', 'previous.txt'), 'old');
    const throwOnProd: Renderer = (_c, env) => {
      if (env.name === 'prod') throw new Error('renderer broke');
      return { files: Array.from({ length: 30 }, (_, i) => ({ path: `d/${i}.txt`, content: String(i) })), findings: [] };
    };
    await expect(renderCatalog(catalog, { out, renderers: [throwOnProd] })).rejects.toThrow('renderer broke');
    expect(readdirSync(out)).toEqual(['dev']);
    expect(tree(join(out, 'dev'))).toEqual({ 'previous.txt': 'old' });
  });

  it('a write that fails leaves the previous output and no temporary folders (UserError)', async () => {
    const catalog = threeEnvs();
    const out = temp();
    mkdirSync(join(out, 'prod'), { recursive: true });
    writeFileSync(join(out, 'prod', 'previous.txt'), 'old');
    writeFileSync(join(out, 'prod', RENDER_MARKER), 'previous render');
    const clash: Renderer = (_c, env) => ({
      files:
        env.name === 'staging'
          ? [
              { path: 'a', content: 'x' },
              { path: 'a/b', content: 'y' },
            ]
          : [{ path: 'ok.txt', content: 'ok' }],
      findings: [],
    });
    await expect(renderCatalog(catalog, { out, renderers: [clash] })).rejects.toThrow(
      /could not write the render output: .*previous output left untouched/,
    );
    // OUT/.tests, made for this render, is gone again too
    expect(readdirSync(out)).toEqual(['prod']);
    expect(tree(join(out, 'prod'))).toEqual({ 'previous.txt': 'old', [RENDER_MARKER]: 'previous render' });
  });
});

describe('hard links', () => {
  it('links: true links files of equal content written by one render (across environments); the default writes copies; bytes the same either way', async () => {
    const catalog = threeEnvs();
    const linked = temp();
    const copied = temp();
    expect((await renderCatalog(catalog, { out: linked, links: true })).written).toBe(true);
    expect((await renderCatalog(catalog, { out: copied })).written).toBe(true);
    for (const e of ['dev', 'prod', 'staging']) expect(tree(join(linked, e))).toEqual(tree(join(copied, e)));
    const job = (root: string, e: string): string => join(root, e, 'smokes', 'secrets-smoke', 'templates', 'job.yaml');
    expect(statSync(job(linked, 'dev')).ino).toBe(statSync(job(linked, 'staging')).ino);
    expect(statSync(job(linked, 'dev')).nlink).toBe(3);
    expect(statSync(job(copied, 'dev')).nlink).toBe(1);
    // different content, different files
    const values = (e: string): string => join(linked, e, 'smokes', 'secrets-smoke', 'values.yaml');
    expect(statSync(values('dev')).ino).not.toBe(statSync(values('prod')).ino);
    // a second render into the same folder does not link to the output it replaces
    const before = statSync(job(linked, 'dev')).ino;
    expect((await renderCatalog(catalog, { out: linked, links: true })).written).toBe(true);
    expect(statSync(job(linked, 'dev')).ino).not.toBe(before);
    expect(statSync(job(linked, 'dev')).nlink).toBe(3);
  });
});

describe('health checks verified once per render', () => {
  it('a broken override gated in two environments is reported in each, with its environment', async () => {
    const widget = { name: 'widgets', tier: 'platform', wave: 40, health: ['example.com/Widget'] };
    const root = catalogOf([widget], {
      envs: ['dev', 'prod'],
      extra: {
        'wavegate.yaml': { health: { overrides: { 'example.com/Widget': 'checks/widget/health.lua' } } },
        'checks/widget/health.lua': 'local s = string.lower(obj.status.phase)\nreturn { status = "Healthy", message = s }\n',
        'checks/widget/health_test.yaml': {
          tests: [{ healthStatus: { status: 'Healthy', message: 'ready' }, inputPath: 'testdata/ready.yaml' }],
        },
        'checks/widget/testdata/ready.yaml': {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w' },
          status: { phase: 'READY' },
        },
      },
    });
    const out = temp();
    const report = await renderCatalog(loadCatalog(root), { out });
    expect(report.written).toBe(false);
    expect(readdirSync(out)).toEqual([]);
    for (const rule of ['health-lint', 'health-test']) {
      const got = report.findings.filter((f) => f.rule === rule);
      expect(got.map((f) => f.environment).sort()).toEqual(
        rule === 'health-test' ? ['dev', 'prod'] : [...new Set(got.map((f) => f.environment))].sort(),
      );
      expect(new Set(got.map((f) => f.environment))).toEqual(new Set(['dev', 'prod']));
      const dev = got.filter((f) => f.environment === 'dev').map(({ environment: _e, ...f }) => f);
      const prod = got.filter((f) => f.environment === 'prod').map(({ environment: _e, ...f }) => f);
      expect(prod).toEqual(dev);
    }
  });
});

describe('values.yaml text', () => {
  it('is exactly the stringify of the whole values map, for catalog settings and defaults', async () => {
    for (const yaml of [undefined, null] as const) {
      const { catalog, env } = yaml === undefined ? loadFixture() : loadFixture(undefined, null);
      const settings = smokeSettings(catalog.settings);
      for (const c of env.components.filter(
        (x) =>
          x.componentType === 'smoke' && x.smoke && x.smoke.secrets.length + x.smoke.externalSecrets.length + x.smoke.resources.length > 0,
      )) {
        const chart = await buildSmokeChart(c, env, settings);
        const values = chart.files.find((f) => f.path === 'values.yaml')!.content as string;
        const body = values.split('\n').slice(3).join('\n'); // after the three header lines
        expect(body).toBe(stringify(smokeValues(c, settings), { lineWidth: 0 }));
      }
    }
  });
});

describe('render output inside the catalog', () => {
  it('is not read back as catalog manifests: a stale argocd-cm patch in OUT raises no argocd-cm-conflict', async () => {
    const widget = { name: 'widgets', tier: 'platform', wave: 40, health: ['example.com/Widget'] };
    const script = (m: string): string => `return { status = "Healthy", message = "${m}" }\n`;
    const root = catalogOf([widget], {
      extra: {
        'wavegate.yaml': { health: { overrides: { 'example.com/Widget': 'checks/widget/health.lua' } } },
        'checks/widget/health.lua': script('ok'),
        'checks/widget/health_test.yaml': { tests: [{ healthStatus: { status: 'Healthy', message: 'ok' }, inputPath: 'testdata/w.yaml' }] },
        'checks/widget/testdata/w.yaml': { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      },
    });
    expect((await renderCatalog(loadCatalog(root), { out: join(root, 'out') })).written).toBe(true);
    // the team changes the check; OUT still holds the old patch until the next render
    writeFileSync(join(root, 'checks/widget/health.lua'), script('fine'));
    writeFileSync(
      join(root, 'checks/widget/health_test.yaml'),
      stringify({ tests: [{ healthStatus: { status: 'Healthy', message: 'fine' }, inputPath: 'testdata/w.yaml' }] }),
    );
    const r = await renderInMemory(loadCatalog(root), {});
    expect(r.findings.filter((f) => f.rule === 'argocd-cm-conflict')).toEqual([]);
    expect(readdirSync(join(root, 'out', 'dev'))).toContain(RENDER_MARKER);
    // nor the test tree: its copy of the Widget testdata is no catalog manifest (the catalog's own is)
    expect(existsSync(join(root, 'out', TESTS_DIR, 'dev', 'health', 'example.com', 'Widget', 'testdata', 'w.yaml'))).toBe(true);
    expect(manifestDocuments(loadCatalog(root), 'Widget').map((d) => d.file)).toEqual(['checks/widget/testdata/w.yaml']);
  });
});

describe('environments gone from the catalog', () => {
  it('a render of every environment removes OUT/<env> it wrote for an environment no longer there, reports one it did not write', async () => {
    const out = temp();
    const first = await renderCatalog(threeEnvs(), { out });
    expect(first.removed).toEqual([]);
    // qa was rendered by wavegate once (its marker), notes is the team's own folder
    mkdirSync(join(out, 'qa'));
    writeFileSync(join(out, 'qa', RENDER_MARKER), 'x');
    writeFileSync(join(out, 'qa', 'argocd-cm.patch.yaml'), 'old');
    mkdirSync(join(out, 'notes'));
    writeFileSync(join(out, 'notes', 'todo.md'), 'keep');
    const progress: string[] = [];
    const r = await renderCatalog(threeEnvs(), { out, onProgress: (d, t, e) => progress.push(`${e} ${d}/${t}`) });
    expect(progress).toEqual(['dev 1/3', 'prod 2/3', 'staging 3/3']);
    expect(r.removed).toEqual(['qa']);
    expect(r.foreign).toEqual(['notes']);
    expect(
      readdirSync(out)
        .filter((n) => !n.startsWith('.'))
        .sort(),
    ).toEqual(['dev', 'notes', 'prod', 'staging']);
    expect(readdirSync(out)).not.toContain('qa');
    expect(readFileSync(join(out, 'notes', 'todo.md'), 'utf8')).toBe('keep');
    // --env renders one environment: it judges no other folder
    mkdirSync(join(out, 'qa'));
    writeFileSync(join(out, 'qa', RENDER_MARKER), 'x');
    expect((await renderCatalog(threeEnvs(), { out, env: 'dev' })).removed).toEqual([]);
    expect(readdirSync(out)).toContain('qa');
  });

  it("the test folder of a gone environment goes with it; a test folder wavegate did not write is reported; --env leaves other environments' test folders", async () => {
    const out = temp();
    await renderCatalog(threeEnvs(), { out });
    for (const d of ['qa', `${TESTS_DIR}/qa`]) {
      mkdirSync(join(out, d));
      writeFileSync(join(out, d, RENDER_MARKER), 'x');
    }
    mkdirSync(join(out, TESTS_DIR, 'notes'));
    writeFileSync(join(out, TESTS_DIR, 'notes', 'todo.md'), 'keep');
    const r = await renderCatalog(threeEnvs(), { out });
    expect(r.removed).toEqual(['qa', `${TESTS_DIR}/qa`]);
    expect(r.foreign).toEqual([`${TESTS_DIR}/notes`]);
    expect(readdirSync(join(out, TESTS_DIR)).sort()).toEqual(['dev', 'notes', 'prod', 'staging']);
    // --env dev replaces dev's two folders only
    const prodTests = tree(join(out, TESTS_DIR, 'prod'));
    writeFileSync(join(out, TESTS_DIR, 'dev', 'extra.txt'), 'gone after the render');
    const one = await renderCatalog(threeEnvs(), { out, env: 'dev' });
    expect(one.environments.map((e) => e.name)).toEqual(['dev']);
    expect(tree(join(out, TESTS_DIR, 'prod'))).toEqual(prodTests);
    expect(existsSync(join(out, TESTS_DIR, 'dev', 'extra.txt'))).toBe(false);
    expect(existsSync(join(out, TESTS_DIR, 'dev', 'health', 'external-secrets.io', 'ExternalSecret', 'health_test.yaml'))).toBe(true);
  });
});

describe('the test tree OUT/.tests', () => {
  it('a render whose tests fail to write leaves both previous trees as they were', async () => {
    const out = temp();
    await renderCatalog(threeEnvs(), { out });
    const before = { dev: tree(join(out, 'dev')), tests: tree(join(out, TESTS_DIR, 'dev')) };
    const clash: Renderer = (_c, env) => ({
      files: [{ path: 'ok.txt', content: 'new' }],
      testFiles:
        env.name === 'prod'
          ? [
              { path: 'a', content: 'x' },
              { path: 'a/b', content: 'y' },
            ]
          : [{ path: 't.txt', content: 'new' }],
      findings: [],
    });
    await expect(renderCatalog(threeEnvs(), { out, renderers: [clash] })).rejects.toThrow(/could not write the render output/);
    expect(tree(join(out, 'dev'))).toEqual(before.dev);
    expect(tree(join(out, TESTS_DIR, 'dev'))).toEqual(before.tests);
    expect(readdirSync(join(out, TESTS_DIR)).sort()).toEqual(['dev', 'prod', 'staging']);
  });

  it('refuses an OUT/.tests that is a symlink or a file, and a test folder wavegate did not write (exit 2 words, nothing written)', async () => {
    const elsewhere = temp();
    const out = temp();
    symlinkSync(elsewhere, join(out, TESTS_DIR));
    await expect(renderCatalog(threeEnvs(), { out })).rejects.toThrow(
      /--out: .*\.tests exists and is a symlink; render writes the health checks' tests there/,
    );
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(readdirSync(out)).toEqual([TESTS_DIR]);
    const out2 = temp();
    writeFileSync(join(out2, TESTS_DIR), 'a file');
    await expect(renderCatalog(threeEnvs(), { out: out2 })).rejects.toThrow(/\.tests exists and is not a folder/);
    const out3 = temp();
    mkdirSync(join(out3, TESTS_DIR, 'dev'), { recursive: true });
    writeFileSync(join(out3, TESTS_DIR, 'dev', 'mine.txt'), 'keep');
    await expect(renderCatalog(threeEnvs(), { out: out3 })).rejects.toThrow(/\.tests\/dev exists and was not written by wavegate render/);
    expect(tree(out3)).toEqual({ [`${TESTS_DIR}/dev/mine.txt`]: 'keep' });
  });

  it('hard links reach across the test folders of environments (the same check tests in each)', async () => {
    const out = temp();
    await renderCatalog(threeEnvs(), { out, links: true });
    const t = (e: string): string => join(out, TESTS_DIR, e, 'health', 'external-secrets.io', 'ExternalSecret', 'health_test.yaml');
    expect(statSync(t('dev')).ino).toBe(statSync(t('prod')).ino);
    expect(statSync(t('dev')).nlink).toBe(3);
  });
});
