import { expect } from 'vitest';
import { dependencyCycle } from '../../src/rules/dependency-cycle.js';
import { comp } from '../helpers/rules.js';
import { ruleTester } from './rule-tester.js';

const cycles = [
  comp('x', 'data', 20, { dependencies: ['z'] }),
  comp('y', 'data', 20, { dependencies: ['x'] }),
  comp('z', 'data', 20, { dependencies: ['y'] }),
  comp('p', 'data', 20, { dependencies: ['q'] }),
  comp('q', 'data', 20, { dependencies: ['p', 'x'] }),
  comp('self', 'data', 20, { dependencies: ['self'] }),
];
const perEnv = (environment: string) => [
  { environment, component: 'p', message: 'dependency cycle: p -> q -> p; remove one of these dependencies' },
  { environment, component: 'self', message: 'self depends on itself' },
  {
    environment,
    component: 'x',
    related: ['z', 'y'],
    severity: 'error' as const,
    line: 5,
    message: 'dependency cycle: x -> z -> y -> x; remove one of these dependencies',
  },
];

ruleTester.run(dependencyCycle, {
  valid: [
    {
      name: 'a DAG, including diamonds, has no finding',
      components: [
        comp('a', 'data', 16),
        comp('b', 'data', 17, { dependencies: ['a'] }),
        comp('c', 'data', 17, { dependencies: ['a'] }),
        comp('d', 'data', 18, { dependencies: ['b', 'c'] }),
      ],
    },
  ],
  invalid: [
    {
      name: 'each cycle once, members in dependency order from the first name, per environment',
      components: cycles,
      envs: ['dev', 'prod'],
      errors: [...perEnv('dev'), ...perEnv('prod')],
      check: (f) =>
        expect(f.every((x) => x.message === 'self depends on itself' || x.message.endsWith('remove one of these dependencies'))).toBe(true),
    },
    {
      name: 'a tangle larger than one loop names the extra members',
      components: [
        comp('a', 'data', 20, { dependencies: ['b'] }),
        comp('b', 'data', 20, { dependencies: ['a', 'c'] }),
        comp('c', 'data', 20, { dependencies: ['b'] }),
      ],
      errors: [{ message: 'dependency cycle: a -> b -> a (the same tangle also takes in c); remove one of these dependencies' }],
    },
  ],
});
