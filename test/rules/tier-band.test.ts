import { tierBand } from '../../src/rules/tier-band.js';
import { comp } from '../helpers/rules.js';
import { ruleTester } from './rule-tester.js';

const hint = 'check --suggest picks one that keeps every dependency in order';

ruleTester.run(tierBand, {
  valid: [
    {
      name: 'waves at both ends of the band (inclusive)',
      components: [comp('a', 'foundation', 0), comp('b', 'foundation', 15), comp('c', 'data', 35)],
    },
  ],
  invalid: [
    {
      name: 'below and above the band, with the catalog bands from wavegate.yaml',
      components: [comp('low', 'core', 4), comp('high', 'core', 11), comp('ok', 'core', 5)],
      files: { 'wavegate.yaml': 'tiers:\n  - name: core\n    waves: [5, 10]\n' },
      errors: [
        {
          component: 'high',
          line: 3,
          message: `wave 11 is outside tier core's band [5, 10]: set a wave in the band (the nearest is 10; ${hint})`,
        },
        {
          component: 'low',
          line: 3,
          message: `wave 4 is outside tier core's band [5, 10]: set a wave in the band (the nearest is 5; ${hint})`,
        },
      ],
    },
    {
      name: 'names the tiers whose band holds the wave',
      components: [comp('db', 'data', 40)],
      settings: {
        tiers: [
          { name: 'data', waves: [16, 35] },
          { name: 'platform', waves: [35, 99] },
          { name: 'apps', waves: [35, 99] },
        ],
      },
      errors: [
        {
          component: 'db',
          message:
            /\(the nearest is 35; check --suggest picks one that keeps every dependency in order\) or tier platform or apps \(whose band holds wave 40\)$/,
        },
      ],
    },
  ],
});
