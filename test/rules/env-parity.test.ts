import { describe, expect, it } from 'vitest';
import { envParity } from '../../src/rules/env-parity.js';
import { componentPath } from '../helpers/catalog.js';
import { comp } from '../helpers/rules.js';
import { filesIn, findingsOf } from './rule-tester.js';

describe('env-parity', () => {
  it('valid: the same components everywhere (own files or _shared), smoke check order ignored', () => {
    const smoke = (secrets: unknown[]) =>
      comp('s', 'platform', 50, { componentType: 'smoke', dependencies: ['a'], smoke: { validates: ['a'], secrets } });
    const root = filesIn({
      'environments/_shared/components/a/component.yaml': comp('a', 'data', 20),
      [componentPath('dev', 's')]: smoke([{ name: 'x' }, { name: 'y', keys: ['k1', 'k2'] }]),
      [componentPath('prod', 's')]: smoke([{ name: 'y', keys: ['k2', 'k1'] }, { name: 'x' }]),
    });
    expect(findingsOf(envParity, root)).toEqual([]);
  });

  it('invalid: missing in one environment; wave, tier, dependencies and smoke checks that differ (reported where they differ from the majority)', () => {
    const base = { dependencies: ['a'] };
    const root = filesIn({
      'environments/_shared/components/a/component.yaml': comp('a', 'data', 20),
      [componentPath('dev', 'b')]: comp('b', 'data', 21, base),
      [componentPath('staging', 'b')]: comp('b', 'data', 21, base),
      [componentPath('prod', 'b')]: comp('b', 'platform', 37, { dependencies: [] }),
      [componentPath('dev', 'only-dev')]: comp('only-dev', 'data', 20),
      [componentPath('dev', 's')]: comp('s', 'platform', 50, { componentType: 'smoke', smoke: { validates: ['a'] } }),
      [componentPath('staging', 's')]: comp('s', 'platform', 50, { componentType: 'smoke', smoke: { validates: ['a'] } }),
      [componentPath('prod', 's')]: comp('s', 'platform', 50, {
        componentType: 'smoke',
        smoke: { validates: ['a'], secrets: [{ name: 'x' }] },
      }),
    });
    const f = findingsOf(envParity, root);
    expect(f.every((x) => x.severity === 'warning')).toBe(true);
    expect(f.map((x) => [x.environment, x.component, x.message])).toEqual([
      ['prod', 'only-dev', 'missing in prod but present in dev'],
      ['prod', 'b', 'tier platform differs from other environments (dev: data; staging: data)'],
      ['prod', 'b', 'wave 37 differs from other environments (dev: 21; staging: 21)'],
      ['prod', 'b', 'dependencies [] differs from other environments (dev: [a]; staging: [a])'],
      ['prod', 's', expect.stringMatching(/^smoke checks differ from other environments/)],
      ['staging', 'only-dev', 'missing in staging but present in dev'],
    ]);
    expect(f[3]).toMatchObject({ file: componentPath('prod', 'b'), line: 4 });
    expect(f[0]).toMatchObject({ file: componentPath('dev', 'only-dev') });
  });

  it('severity is configurable (rules: {env-parity: error}) and one environment has nothing to compare', () => {
    const root = filesIn({
      'wavegate.yaml': 'rules:\n  env-parity: error\n',
      [componentPath('dev', 'a')]: comp('a', 'data', 20),
      [componentPath('prod', 'a')]: comp('a', 'data', 21),
    });
    expect(findingsOf(envParity, root).map((x) => x.severity)).toEqual(['error']);
    const single = filesIn({ [componentPath('dev', 'a')]: comp('a', 'data', 20) });
    expect(findingsOf(envParity, single)).toEqual([]);
  });
});
