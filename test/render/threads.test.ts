// The worker-thread paths of a render (TreeWriter, ChartPackager) run only from the compiled
// build: these tests import dist/ (built by `npm run build`, which `npm test` runs first) and
// check that the thread gives the same files and bytes as the calling thread.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree, tempDirs } from '../helpers/tree.js';

const DIST = resolve(__dirname, '..', '..', 'dist');
type WriteModule = typeof import('../../src/render/write.js');
type PackageModule = typeof import('../../src/smoke/package.js');
const write = (): Promise<WriteModule> => import(join(DIST, 'render', 'write.js')) as Promise<WriteModule>;
const pkg = (): Promise<PackageModule> => import(join(DIST, 'smoke', 'package.js')) as Promise<PackageModule>;

const temp = tempDirs('wavegate-threads-');
const tree = (dir: string): Record<string, string> => readTree(dir, 'latin1');

const bigTree = (n: number): { path: string; content: string | Uint8Array }[] =>
  Array.from({ length: n }, (_, i) => ({
    path: `c${i % 13}/${i % 2 ? 'templates/' : ''}f${i}.yaml`,
    content: i % 5 === 0 ? new Uint8Array([i & 255, 0, 255, 10]) : `file ${i % 40}\n`,
  }));

describe('TreeWriter on a worker thread', () => {
  it('writes a large tree (past the thread threshold) with the same files as the calling thread', async () => {
    const { TreeWriter, TREE_THREAD_MIN_FILES } = await write();
    const files = bigTree(TREE_THREAD_MIN_FILES + 50);
    const viaThread = join(temp(), 'out');
    const here = join(temp(), 'out');
    const a = new TreeWriter({ links: false });
    a.writeTree(viaThread, files);
    await a.settle();
    const b = new TreeWriter({ links: false, thread: false });
    b.writeTree(here, files);
    await b.settle();
    expect(Object.keys(tree(viaThread))).toHaveLength(files.length);
    expect(tree(viaThread)).toEqual(tree(here));
    expect([...readFileSync(join(viaThread, 'c0', 'f0.yaml'))]).toEqual([0, 0, 255, 10]);
  });

  it('with links, equal contents of later trees become hard links to the first file written', async () => {
    const { TreeWriter, TREE_THREAD_MIN_FILES } = await write();
    const files = bigTree(TREE_THREAD_MIN_FILES + 10);
    const root = temp();
    const w = new TreeWriter({ links: true });
    w.writeTree(join(root, 'one'), files);
    w.writeTree(join(root, 'two'), files);
    await w.settle();
    expect(tree(join(root, 'two'))).toEqual(tree(join(root, 'one')));
    expect(statSync(join(root, 'two', 'c1', 'templates', 'f1.yaml')).ino).toBe(statSync(join(root, 'one', 'c1', 'templates', 'f1.yaml')).ino);
  });

  it('reports a failure (with its errno code) and writes no later tree', async () => {
    const { TreeWriter, TREE_THREAD_MIN_FILES } = await write();
    const root = temp();
    const w = new TreeWriter({ links: false });
    // "a" is both a file and a folder
    w.writeTree(join(root, 'bad'), [{ path: 'a', content: 'x' }, { path: 'a/b', content: 'y' }, ...bigTree(TREE_THREAD_MIN_FILES)]);
    await expect(w.settle()).rejects.toMatchObject({ code: expect.stringMatching(/EEXIST|ENOTDIR|EISDIR/) });
  });
});

describe('ChartPackager on a worker thread', () => {
  it('packages past the in-thread count give the same bytes as packageChart', async () => {
    const { ChartPackager, PACKAGE_THREAD_AFTER } = await write();
    const { packageChart } = await pkg();
    const charts = Array.from({ length: PACKAGE_THREAD_AFTER + 6 }, (_, i) => ({
      name: `chart-${i}`,
      files: [
        { path: 'Chart.yaml', content: `apiVersion: v2\nname: chart-${i}\nversion: 0.1.0\n` },
        { path: 'values.yaml', content: `n: ${i}\n`.repeat(i + 1) },
        { path: 'files/bin', content: new Uint8Array(Array.from({ length: 600 }, (_, k) => (k * i) & 255)) },
      ],
    }));
    const p = new ChartPackager();
    try {
      const got = await Promise.all(charts.map((c) => p.package(c.name, c.files)));
      const want = await Promise.all(charts.map((c) => packageChart(c.name, c.files)));
      for (let i = 0; i < charts.length; i++) expect(Buffer.compare(got[i]!, want[i]!), charts[i]!.name).toBe(0);
    } finally {
      await p.close();
    }
  });
});
