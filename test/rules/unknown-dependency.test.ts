import { describe, expect, it } from 'vitest';
import { checkCatalog } from '../../src/check.js';
import { unknownDependency } from '../../src/rules/unknown-dependency.js';
import { componentPath } from '../helpers/catalog.js';
import { comp } from '../helpers/rules.js';
import { filesIn, memoryCatalog, ruleTester } from './rule-tester.js';

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

const smoke = (validates: string[]) => comp('db-smoke', 'data', 30, { componentType: 'smoke', dependencies: ['db'], smoke: { validates } });

ruleTester.run(unknownDependency, {
  valid: [
    {
      name: 'dependencies and smoke.validates name components of the environment',
      components: [comp('db', 'data', 20), comp('app', 'apps', 40, { dependencies: ['db'] }), smoke(['db'])],
    },
    {
      name: 'a dependency on a _shared component, and on one whose file is invalid (its schema finding is enough)',
      files: {
        'environments/_shared/components/db/component.yaml': comp('db', 'data', 20),
        [componentPath('dev', 'cache')]: { name: 'cache', tier: 'data', wave: 'soon' },
        [componentPath('dev', 'app')]: comp('app', 'apps', 40, { dependencies: ['db', 'cache'] }),
      },
      loadFindings: true,
    },
  ],
  invalid: [
    {
      name: 'a dependency and a smoke.validates entry that name nothing, at their lines, with the closest name',
      components: [comp('db', 'data', 20), comp('app', 'apps', 40, { dependencies: ['dbb'] }), smoke(['db', 'ap'])],
      envs: ['dev', 'prod'],
      errors: ['dev', 'prod'].flatMap((environment) => [
        {
          environment,
          component: 'app',
          related: ['dbb'],
          file: componentPath(environment, 'app'),
          line: 5,
          message: `dependency "dbb" names no component in environment ${environment} (did you mean "db"?)`,
        },
        {
          environment,
          component: 'db-smoke',
          related: ['ap'],
          file: componentPath(environment, 'db-smoke'),
          line: 10,
          message: 'smoke.validates entry "ap" names no component',
        },
      ]),
    },
  ],
});
