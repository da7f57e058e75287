import { describe, expect, it } from 'vitest';
import { healthCoverage } from '../../src/rules/health-coverage.js';
import { catalogOf } from '../helpers/catalog.js';
import { comp, runRule } from '../helpers/rules.js';

const gated = (name: string, health: string[]): Record<string, unknown> => ({ ...comp(name, 'platform', 40), health });

describe('health-coverage', () => {
  it('valid: library kinds, Argo CD Go and Lua built-ins, health.builtin and overrides', () => {
    const root = catalogOf(
      [
        gated('a', ['temporal.io/TemporalCluster', 'apps/Deployment', 'batch/Job', 'Service']),
        gated('b', ['monitoring.coreos.com/Prometheus', 'kyverno.io/ClusterPolicy']),
        gated('c', ['example.com/Widget', 'cloudsql.cnrm.cloud.google.com/SQLInstance']),
      ],
      {
        extra: {
          'wavegate.yaml': { health: { overrides: { 'example.com/Widget': 'checks/widget.lua' }, builtin: ['monitoring.coreos.com/Prometheus'] } },
          'checks/widget.lua': 'return { status = "Healthy" }\n',
          'checks/health_test.yaml': { tests: [] },
        },
      },
    );
    expect(runRule(healthCoverage, root)).toEqual([]);
  });

  it('invalid: a gated kind with no check anywhere, once per component entry, at its line', () => {
    const root = catalogOf([gated('a', ['apps/Deployment', 'example.com/Widget']), gated('b', ['example.com/Widget'])], { envs: ['dev', 'prod'] });
    const f = runRule(healthCoverage, root);
    expect(f.map((x) => [x.environment, x.component, x.related, x.line, x.column, x.severity])).toEqual([
      ['dev', 'a', ['example.com/Widget'], 6, 5, 'error'],
      ['dev', 'b', ['example.com/Widget'], 5, 5, 'error'],
      ['prod', 'a', ['example.com/Widget'], 6, 5, 'error'],
      ['prod', 'b', ['example.com/Widget'], 5, 5, 'error'],
    ]);
    expect(f[0]!.message).toBe(
      'health: example.com/Widget has no health check (not in wavegate\'s library, no health.overrides entry, no Argo CD built-in), so the wave of "a" would not wait for it; add a check under health.overrides in wavegate.yaml',
    );
  });

  it('invalid: health.builtin does not make an unknown kind covered silently (warning), and its severity is configurable', () => {
    const root = catalogOf([gated('a', ['example.com/Widget'])], {
      extra: { 'wavegate.yaml': 'health:\n  builtin: [example.com/Widget]\nrules:\n  health-coverage: warning\n' },
    });
    const f = runRule(healthCoverage, root);
    expect(f.map((x) => [x.severity, x.file, x.line])).toEqual([['warning', 'wavegate.yaml', 2]]);
  });
});
