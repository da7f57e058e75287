// Loading with the reader thread (files walked and read on a second thread while this one
// parses) must give exactly what loading in one thread gives. The thread runs only from the
// compiled build, so this imports dist/ (built by `npm run build`, which `npm test` runs first).
import { symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/types.js';
import { parseComponentAt } from '../../src/catalog/load.js';
import { catalogOf, componentPath, writeCatalog } from '../helpers/catalog.js';

const ROOT = resolve(__dirname, '..', '..');
type LoadModule = typeof import('../../src/catalog/load.js');
const dist = (): Promise<LoadModule> => import(join(ROOT, 'dist', 'catalog', 'load.js')) as Promise<LoadModule>;

/** Everything a load returns, positions of every component's name and wave included. */
function snapshot(c: Catalog): unknown {
  return {
    root: c.root,
    settingsFile: c.settingsFile,
    findings: c.findings,
    others: c.files.componentDirYamlFiles,
    environments: c.environments.map((e) => ({
      name: e.name,
      broken: [...e.broken].sort(),
      byName: [...e.byName.keys()].sort(),
      components: e.components.map((x) => ({ ...x, locate: [x.locate(['name']), x.locate(['wave']), x.locate(['dependencies', 0])] })),
    })),
  };
}

async function bothWays(root: string, env?: string): Promise<void> {
  const { loadCatalog } = await dist();
  const threaded = loadCatalog(root, { thread: true, env });
  const here = loadCatalog(root, { thread: false, env });
  expect(snapshot(threaded)).toEqual(snapshot(here));
}

describe('loading on a reader thread', () => {
  it('gives the same catalog as one thread for the example and the backlog-382 fixture', async () => {
    await bothWays(join(ROOT, 'examples', 'ameide'));
    await bothWays(join(ROOT, 'examples', 'ameide'), 'prod');
    await bothWays(join(ROOT, 'test', 'fixtures', 'backlog-382-before'));
  });

  it('gives the same findings for broken files, duplicates, shared overrides and manifests beside components', async () => {
    const comp = (name: string, wave: number, deps: string[] = []): Record<string, unknown> => ({ name, tier: 'platform', wave, dependencies: deps });
    const root = writeCatalog({
      [componentPath('_shared', 'a')]: comp('a', 40),
      [componentPath('_shared', 'b')]: comp('b', 41, ['a']),
      [componentPath('dev', 'b')]: comp('b', 42, ['a', 'missing']),
      [componentPath('dev', 'bad-yaml')]: 'name: x\n  wave: [1,\n',
      [componentPath('dev', 'binary')]: Buffer.from([0, 1, 2, 3]),
      [componentPath('dev', 'dup1')]: comp('dup', 43),
      [componentPath('dev', 'dup2')]: comp('dup', 44),
      [componentPath('dev', 'schema')]: { name: 'Bad_Name', tier: 'nope', wave: 'x' },
      'environments/dev/components/b/argocd-app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\n',
      [componentPath('prod', 'c')]: comp('c', 45, ['b']),
    });
    await bothWays(root);
    await bothWays(root, 'dev');
  });

  it('handles a catalog of 1,500 components per environment (many batches) and a linked component file', async () => {
    const comps = Array.from({ length: 1500 }, (_, i) => ({
      name: `c${String(i).padStart(4, '0')}`,
      tier: 'platform',
      wave: 40 + (i % 20),
      ...(i > 0 ? { dependencies: [`c${String(i - 1).padStart(4, '0')}`] } : {}),
      consumes: { secrets: [`s${i}`] },
    }));
    const root = catalogOf(comps, { envs: ['dev', 'prod'] });
    symlinkSync(join(root, componentPath('dev', 'c0001')), join(root, 'environments', 'dev', 'components', 'linked.yaml'));
    const { loadCatalog } = await dist();
    expect(loadCatalog(root, { thread: true }).environments[0]!.components).toHaveLength(1500);
    await bothWays(root);
  });
});

describe('a component file that cannot be read', () => {
  it('is a finding naming the file, not a crash', () => {
    const root = writeCatalog({});
    const p = parseComponentAt(join(root, 'gone', 'component.yaml'), 'environments/dev/components/gone/component.yaml', { tiers: [], extraFields: [] } as never);
    expect(p.findings).toEqual([
      { rule: 'yaml', severity: 'error', message: 'cannot read the file: the file disappeared while it was being read', file: 'environments/dev/components/gone/component.yaml' },
    ]);
  });
});
