import { describe, expect, it } from 'vitest';
import { smokeCoverage } from '../../src/rules/smoke-coverage.js';
import { comp } from '../helpers/rules.js';
import { inMemory, findingsOf } from './rule-tester.js';

const checks = { secrets: [{ name: 'grafana-admin-credentials', namespace: 'observability', keys: ['admin-user'] }] };
const stack = [comp('loki', 'platform', 38), comp('grafana', 'platform', 42, { dependencies: ['loki'] })];

describe('smoke-coverage', () => {
  it('valid: depends (transitively) on everything it validates and checks something', () => {
    const root = inMemory([
      ...stack,
      comp('obs-smoke', 'platform', 43, { componentType: 'smoke', dependencies: ['grafana'], smoke: { validates: ['grafana', 'loki'], ...checks } }),
    ]);
    expect(findingsOf(smokeCoverage, root)).toEqual([]);
  });

  it('invalid: no dependencies (fix: depend on what it validates, with the wave note)', () => {
    const root = inMemory([...stack, comp('obs-smoke', 'platform', 42, { componentType: 'smoke', smoke: { validates: ['grafana', 'loki'], ...checks } })]);
    const f = findingsOf(smokeCoverage, root);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toBe(
      'has no dependencies, so it runs without waiting for anything: add dependencies grafana, loki (what it validates) ' +
        '(this also needs a wave change: obs-smoke is wave 42, not above grafana (wave 42); a smoke must come after what it validates)',
    );
    expect(f[0]!.fix?.addDependencies?.map((e) => e.dependency)).toEqual(['grafana', 'loki']);
    expect(f[0]!.severity).toBe('error');
  });

  it('invalid: empty validates, and a validated component it does not depend on', () => {
    const root = inMemory([
      ...stack,
      comp('empty', 'platform', 50, { componentType: 'smoke', dependencies: ['grafana'], smoke: { validates: [], ...checks } }),
      comp('partial', 'platform', 50, { componentType: 'smoke', dependencies: ['loki'], smoke: { validates: ['loki', 'grafana'], ...checks } }),
    ]);
    const f = findingsOf(smokeCoverage, root);
    expect(f.map((x) => [x.component, x.related, x.message.split(':')[0]])).toEqual([
      ['empty', undefined, 'smoke.validates is empty'],
      ['partial', ['grafana'], 'validates grafana but does not depend on it (directly or transitively), so it may run before grafana is ready'],
    ]);
    expect(f[1]!.fix).toEqual({ addDependencies: [{ environment: 'dev', component: 'partial', dependency: 'grafana' }] });
  });

  it('a smoke that checks nothing is a warning (issue 5), not an error', () => {
    const root = inMemory([...stack, comp('idle', 'platform', 50, { componentType: 'smoke', dependencies: ['grafana'], smoke: { validates: ['grafana'] } })]);
    const f = findingsOf(smokeCoverage, root);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'warning', component: 'idle' });
    expect(f[0]!.message).toContain('checks nothing');
  });
});
