import { expect } from 'vitest';
import { smokeCoverage } from '../../src/rules/smoke-coverage.js';
import { comp } from '../helpers/rules.js';
import { ruleTester } from './rule-tester.js';

const checks = { secrets: [{ name: 'grafana-admin-credentials', namespace: 'observability', keys: ['admin-user'] }] };
const stack = [comp('loki', 'platform', 38), comp('grafana', 'platform', 42, { dependencies: ['loki'] })];

ruleTester.run(smokeCoverage, {
  valid: [
    {
      name: 'depends (transitively) on everything it validates and checks something',
      components: [
        ...stack,
        comp('obs-smoke', 'platform', 43, {
          componentType: 'smoke',
          dependencies: ['grafana'],
          smoke: { validates: ['grafana', 'loki'], ...checks },
        }),
      ],
    },
  ],
  invalid: [
    {
      name: 'no dependencies (fix: depend on what it validates, with the wave note)',
      components: [
        ...stack,
        comp('obs-smoke', 'platform', 42, { componentType: 'smoke', smoke: { validates: ['grafana', 'loki'], ...checks } }),
      ],
      errors: [
        {
          component: 'obs-smoke',
          severity: 'error',
          message:
            'has no dependencies, so it runs without waiting for anything: add dependencies grafana, loki (what it validates) ' +
            '(this also needs a wave change: obs-smoke is wave 42, not above grafana (wave 42); a smoke must come after what it validates)',
        },
      ],
      check: (f) => expect(f[0]!.fix?.addDependencies?.map((e) => e.dependency)).toEqual(['grafana', 'loki']),
    },
    {
      name: 'empty validates, and a validated component it does not depend on',
      components: [
        ...stack,
        comp('empty', 'platform', 50, { componentType: 'smoke', dependencies: ['grafana'], smoke: { validates: [], ...checks } }),
        comp('partial', 'platform', 50, {
          componentType: 'smoke',
          dependencies: ['loki'],
          smoke: { validates: ['loki', 'grafana'], ...checks },
        }),
      ],
      errors: [
        { component: 'empty', related: undefined, message: /^smoke\.validates is empty/ },
        {
          component: 'partial',
          related: ['grafana'],
          message: /^validates grafana but does not depend on it \(directly or transitively\), so it may run before grafana is ready/,
        },
      ],
      check: (f) => expect(f[1]!.fix).toEqual({ addDependencies: [{ environment: 'dev', component: 'partial', dependency: 'grafana' }] }),
    },
    {
      name: 'a smoke that checks nothing is a warning, not an error',
      components: [
        ...stack,
        comp('idle', 'platform', 50, { componentType: 'smoke', dependencies: ['grafana'], smoke: { validates: ['grafana'] } }),
      ],
      errors: [{ component: 'idle', severity: 'warning', message: 'checks nothing' }],
    },
  ],
});
