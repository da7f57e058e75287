import { describe, expect, it } from 'vitest';
import { tierBand } from '../../src/rules/tier-band.js';
import { catalogOf } from '../helpers/catalog.js';
import { comp, runRule } from '../helpers/rules.js';

describe('tier-band', () => {
  it('valid: waves at both ends of the band (inclusive)', () => {
    expect(runRule(tierBand, catalogOf([comp('a', 'foundation', 0), comp('b', 'foundation', 15), comp('c', 'data', 35)]))).toEqual([]);
  });

  it('invalid: below and above the band, with the catalog bands from wavegate.yaml', () => {
    const root = catalogOf([comp('low', 'core', 4), comp('high', 'core', 11), comp('ok', 'core', 5)], {
      extra: { 'wavegate.yaml': 'tiers:\n  - name: core\n    waves: [5, 10]\n' },
    });
    const f = runRule(tierBand, root);
    expect(f.map((x) => [x.component, x.message, x.line])).toEqual([
      ['high', "wave 11 is outside tier core's band [5, 10]: set a wave in the band (the nearest is 10; check --suggest picks one that keeps every dependency in order)", 3],
      ['low', "wave 4 is outside tier core's band [5, 10]: set a wave in the band (the nearest is 5; check --suggest picks one that keeps every dependency in order)", 3],
    ]);
  });

  it('invalid: names the tiers whose band holds the wave', () => {
    const root = catalogOf([comp('db', 'data', 40)], { extra: { 'wavegate.yaml': 'tiers:\n  - name: data\n    waves: [16, 35]\n  - name: platform\n    waves: [35, 99]\n  - name: apps\n    waves: [35, 99]\n' } });
    expect(runRule(tierBand, root)[0]!.message).toBe(
      "wave 40 is outside tier data's band [16, 35]: set a wave in the band (the nearest is 35; check --suggest picks one that keeps every dependency in order) or tier platform or apps (whose band holds wave 40)",
    );
  });
});
