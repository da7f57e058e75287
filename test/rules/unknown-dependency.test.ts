import { describe, expect, it } from 'vitest';
import { checkCatalog } from '../../src/check.js';
import { unknownDependency } from '../../src/rules/unknown-dependency.js';
import { componentPath } from '../helpers/catalog.js';
import { filesIn, memoryCatalog } from './rule-tester.js';

describe('unknown-dependency when a component file could not be read', () => {
  it('names the unreadable file whose folder the dependency names, else counts them', () => {
    const root = filesIn({
      [componentPath('dev', 'db')]: 'name: db\ntier: data\nwave: [\n',
      [componentPath('dev', 'app')]: { name: 'app', tier: 'apps', wave: 40, dependencies: ['platform-db', 'cache'] },
    });
    const catalog = memoryCatalog(root);
    const f = checkCatalog(catalog, { rules: [unknownDependency] }).filter((x) => x.rule === 'unknown-dependency');
    expect(f.map((x) => x.message)).toEqual([
      'dependency "platform-db" names no component in environment dev; environments/dev/components/db/component.yaml could not be read (see its yaml finding): it may be that component',
      'dependency "cache" names no component in environment dev; 1 component file of the environment could not be read (environments/dev/components/db/component.yaml)',
    ]);
  });
});
