import { waveOrder } from '../../src/rules/wave-order.js';
import { comp } from '../helpers/rules.js';
import { ruleTester } from './rule-tester.js';

ruleTester.run(waveOrder, {
  valid: [
    {
      name: 'every component is in a later wave than each dependency',
      components: [
        comp('a', 'data', 16),
        comp('b', 'data', 17, { dependencies: ['a'] }),
        comp('c', 'data', 30, { dependencies: ['a', 'b'] }),
      ],
    },
  ],
  invalid: [
    {
      name: 'same wave and earlier wave are both reported at the dependency line',
      components: [
        comp('platform-grafana', 'platform', 42),
        comp('platform-grafana-datasources', 'platform', 41, { dependencies: ['platform-grafana'] }),
        comp('same', 'platform', 42, { dependencies: ['unknown', 'platform-grafana'] }),
      ],
      errors: [
        {
          component: 'platform-grafana-datasources',
          related: ['platform-grafana'],
          line: 5,
          message:
            'wave 41 is not after dependency platform-grafana (wave 42): an earlier wave, so it syncs first; platform-grafana-datasources needs a wave above 42',
        },
        { component: 'same', related: ['platform-grafana'], line: 6, message: 'the same wave, so they sync together' },
      ],
    },
  ],
});
