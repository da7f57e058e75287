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
    others: c.componentDirYamlFiles,
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
      { rule: 'yaml', severity: 'error', message: 'cannot read the file: the file disappeared while the catalog was read', file: 'environments/dev/components/gone/component.yaml' },
    ]);
  });
});

describe('values parsed on the reader thread travel as JSON', () => {
  /** Same value, same key order everywhere (toEqual does not check order). */
  const sameOrder = (a: unknown, b: unknown): boolean => {
    if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameOrder(x, b[i]));
    if (a && typeof a === 'object') {
      if (!b || typeof b !== 'object' || Array.isArray(b)) return false;
      const ka = Object.keys(a);
      const kb = Object.keys(b);
      return ka.join('\0') === kb.join('\0') && ka.every((k) => sameOrder((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
    }
    return Object.is(a, b);
  };

  it('JSON.parse of what the thread sends is exactly what fastPathValue gives, for every YAML file of the repository', async () => {
    const { fastJson } = await import('../../src/catalog/read-worker.js');
    const { fastPathValue } = await import('../../src/yamlfile.js');
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const n of readdirSync(d)) {
        if (n === 'node_modules' || n.startsWith('.')) continue;
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(n)) files.push(p);
      }
    };
    for (const d of ['test', 'lua', 'examples']) walk(join(ROOT, d));
    let sent = 0;
    for (const f of files) {
      const bytes = readFileSync(f);
      const json = fastJson(bytes);
      const direct = fastPathValue(bytes.toString('utf8').replace(/^\ufeff+/, ''));
      if (json === 0) continue;
      sent++;
      expect(direct, f).not.toBeNull();
      expect(sameOrder(JSON.parse(json), direct!.value), f).toBe(true);
    }
    expect(sent).toBeGreaterThan(200);
  });

  it('a number JSON cannot carry (1e400 is Infinity) is not sent as JSON: the loading thread parses that file itself', async () => {
    const { fastJson } = await import('../../src/catalog/read-worker.js');
    expect(fastJson(Buffer.from('name: a\nsize: 1e400\n'))).toBe(0);
    expect(fastJson(Buffer.from('name: a\nsize: 1e3\n'))).toBe('{"name":"a","size":1000}');
    expect(fastJson(Buffer.from([0x6e, 0x3a, 0xff]))).toBe(0); // not UTF-8: reported by the loading thread
  });
});
