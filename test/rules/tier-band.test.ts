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
      ['high', "wave 11 is outside tier core's band [5, 10]", 3],
      ['low', "wave 4 is outside tier core's band [5, 10]", 3],
    ]);
  });
});
