import { describe, expect, it } from 'vitest';
import { waveOrder } from '../../src/rules/wave-order.js';
import { catalogOf } from '../helpers/catalog.js';
import { comp, runRule } from '../helpers/rules.js';

describe('wave-order', () => {
  it('valid: every component is in a later wave than each dependency', () => {
    const root = catalogOf([comp('a', 'data', 16), comp('b', 'data', 17, { dependencies: ['a'] }), comp('c', 'data', 30, { dependencies: ['a', 'b'] })]);
    expect(runRule(waveOrder, root)).toEqual([]);
  });

  it('invalid: same wave and earlier wave are both reported at the dependency line', () => {
    const root = catalogOf([
      comp('platform-grafana', 'platform', 42),
      comp('platform-grafana-datasources', 'platform', 41, { dependencies: ['platform-grafana'] }),
      comp('same', 'platform', 42, { dependencies: ['unknown', 'platform-grafana'] }),
    ]);
    const f = runRule(waveOrder, root);
    expect(f.map((x) => [x.component, x.related, x.line])).toEqual([
      ['platform-grafana-datasources', ['platform-grafana'], 5],
      ['same', ['platform-grafana'], 6],
    ]);
    expect(f[0]!.message).toBe(
      'wave 41 is not after dependency platform-grafana (wave 42): an earlier wave, so it syncs first; platform-grafana-datasources needs a wave above 42',
    );
    expect(f[1]!.message).toContain('the same wave, so they sync together');
  });
});
