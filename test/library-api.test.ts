import { describe, expect, it } from 'vitest';
import { checkCatalog, loadCatalogFromSource, memorySource } from '../src/index.js';

describe('library API: a catalog in memory', () => {
  it('loads and checks a catalog given as files in memory, with file and line in the findings', () => {
    const catalog = loadCatalogFromSource(
      memorySource({
        'environments/dev/components/db/component.yaml': 'name: db\ntier: data\nwave: 17\n',
        'environments/dev/components/app/component.yaml': 'name: app\ntier: data\nwave: 17\ndependencies:\n  - db\n',
      }),
    );
    expect(catalog.environments.map((e) => e.components.map((c) => c.name))).toEqual([['app', 'db']]);
    const waveOrder = checkCatalog(catalog).filter((f) => f.rule === 'wave-order');
    expect(waveOrder).toMatchObject([
      { severity: 'error', environment: 'dev', component: 'app', file: 'environments/dev/components/app/component.yaml', line: 5 },
    ]);
    expect(waveOrder[0]!.message).toContain('the same wave');
  });
});
