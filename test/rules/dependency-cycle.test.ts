import { describe, expect, it } from 'vitest';
import { dependencyCycle } from '../../src/rules/dependency-cycle.js';
import { catalogOf } from '../helpers/catalog.js';
import { comp, runRule } from '../helpers/rules.js';

describe('dependency-cycle', () => {
  it('valid: a DAG, including diamonds, has no finding', () => {
    const root = catalogOf([
      comp('a', 'data', 16),
      comp('b', 'data', 17, { dependencies: ['a'] }),
      comp('c', 'data', 17, { dependencies: ['a'] }),
      comp('d', 'data', 18, { dependencies: ['b', 'c'] }),
    ]);
    expect(runRule(dependencyCycle, root)).toEqual([]);
  });

  it('invalid: each cycle once, members in dependency order from the first name, per environment', () => {
    const root = catalogOf(
      [
        comp('x', 'data', 20, { dependencies: ['z'] }),
        comp('y', 'data', 20, { dependencies: ['x'] }),
        comp('z', 'data', 20, { dependencies: ['y'] }),
        comp('p', 'data', 20, { dependencies: ['q'] }),
        comp('q', 'data', 20, { dependencies: ['p', 'x'] }),
        comp('self', 'data', 20, { dependencies: ['self'] }),
      ],
      { envs: ['dev', 'prod'] },
    );
    const f = runRule(dependencyCycle, root);
    expect(f).toHaveLength(6);
    const dev = f.filter((x) => x.environment === 'dev');
    expect(dev.map((x) => x.message)).toEqual([
      'dependency cycle: p -> q -> p; remove one of these dependencies',
      'self depends on itself',
      'dependency cycle: x -> z -> y -> x; remove one of these dependencies',
    ]);
    expect(dev.find((x) => x.component === 'x')).toMatchObject({ related: ['z', 'y'], severity: 'error', line: 5 });
  });

  it('invalid: a tangle larger than one loop names the extra members', () => {
    const root = catalogOf([
      comp('a', 'data', 20, { dependencies: ['b'] }),
      comp('b', 'data', 20, { dependencies: ['a', 'c'] }),
      comp('c', 'data', 20, { dependencies: ['b'] }),
    ]);
    const f = runRule(dependencyCycle, root);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toBe('dependency cycle: a -> b -> a (the same tangle also takes in c); remove one of these dependencies');
  });
});
