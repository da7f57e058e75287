import { describe, expect, it } from 'vitest';
import { rolloutOrder } from '../../src/rules/rollout-order.js';
import { appSetYaml, rollingSync } from '../helpers/appset.js';
import { comp } from '../helpers/rules.js';
import { inMemory, findingsOf } from './rule-tester.js';

// Step selection as Argo CD does it (applicationset/progressivesync/progressive_sync.go,
// buildAppDependencyList): an Application goes to the first step whose expressions all match.
const components = [
  comp('crds', 'foundation', 0),
  comp('operator', 'foundation', 1),
  comp('store', 'foundation', 1),
  comp('db', 'data', 20),
];
const paths = ['environments/_shared/components/**/component.yaml', 'environments/dev/components/**/component.yaml'];
const K = 'wavegate.dev/wave';
const catalogWith = (strategy: string | undefined, extra: Partial<Parameters<typeof appSetYaml>[0]> = {}, comps = components) =>
  inMemory(comps, { extra: { 'argocd/appset.yaml': appSetYaml({ name: 'platform-dev', paths, strategy, ...extra }) } });

describe('rollout-order', () => {
  it('valid: one step per wave in ascending order; an environment no ApplicationSet generates', () => {
    expect(findingsOf(rolloutOrder, catalogWith(rollingSync(K, [['0'], ['1'], ['20']])))).toEqual([]);
    expect(findingsOf(rolloutOrder, inMemory(components))).toEqual([]);
    // NotIn is allowed: "not wave 0 or 20" selects exactly wave 1 once wave 0 is taken
    expect(
      findingsOf(
        rolloutOrder,
        catalogWith(
          rollingSync(K, [['0'], ['1'], ['20']]).replace(
            'operator: In\n              values: ["1"]',
            'operator: NotIn\n              values: ["0", "20"]',
          ),
        ),
      ),
    ).toEqual([]);
  });

  it('invalid: no strategy: names the file, the line of spec, the ApplicationSet, every component, and wavegate fix', () => {
    const f = findingsOf(rolloutOrder, catalogWith(undefined));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      severity: 'error',
      environment: 'dev',
      file: 'argocd/appset.yaml',
      line: 7,
      related: ['platform-dev', 'crds', 'db', 'operator', 'store'],
    });
    expect(f[0]!.message).toMatch(
      /^ApplicationSet platform-dev has no strategy \(AllAtOnce\): Argo CD creates and syncs its 4 Applications all at once, so waves 0, 1, 20 order nothing.*wavegate fix writes the RollingSync steps/,
    );
  });

  it('invalid: steps out of wave order, a wave split over two steps, two waves in one step, an unmatched component', () => {
    const out = findingsOf(rolloutOrder, catalogWith(rollingSync(K, [['1'], ['0'], ['20']])));
    expect(out.map((x) => x.message)).toEqual([
      expect.stringMatching(/steps out of wave order: step 1 syncs wave 1 \(operator, store\) before crds of wave 0/),
    ]);
    expect(out[0]!.line).toBe(21); // the step's own line
    const split = findingsOf(
      rolloutOrder,
      catalogWith(
        rollingSync(K, [['0'], ['1'], ['20']]).replace(
          'values: ["1"]',
          'values: ["1"]\n            - key: wavegate.dev/tier\n              operator: NotIn\n              values: ["foundation"]',
        ),
        {
          labels: { [K]: '{{ .wave }}', 'wavegate.dev/tier': '{{ .tier }}' },
        },
      ),
    );
    expect(split.map((x) => x.message)).toEqual([
      expect.stringMatching(/no step selects operator, store: Argo CD never syncs them/),
      expect.stringMatching(/step 2 selects no Application/),
    ]);
    const together = findingsOf(rolloutOrder, catalogWith(rollingSync(K, [['0', '1'], ['20']])));
    expect(together.map((x) => x.message)).toEqual([expect.stringMatching(/step 1 holds waves 0, 1 together \(crds, operator, store\)/)]);
    expect(together[0]!.related).toEqual(['platform-dev', 'crds', 'operator', 'store']);
    const split2 = findingsOf(
      rolloutOrder,
      catalogWith(rollingSync('name', [['crds'], ['operator'], ['store'], ['db']]), {
        labels: { [K]: '{{ .wave }}', name: '{{ .name }}' },
      }),
    );
    expect(split2.map((x) => x.message)).toEqual([
      expect.stringMatching(/wave 1 is split over steps 2, 3: store comes after its wave's step/),
    ]);
  });

  it('invalid: an operator Argo CD does not accept, an empty step, a key the template does not set', () => {
    const op = findingsOf(
      rolloutOrder,
      catalogWith(
        rollingSync(K, [['0'], ['1'], ['20']]).replace(
          'operator: In\n              values: ["20"]',
          'operator: Exists\n              values: ["20"]',
        ),
      ),
    );
    expect(op.map((x) => x.message)).toEqual([
      expect.stringMatching(/no step selects db: Argo CD never syncs it/),
      expect.stringMatching(/step 3 selects no Application/),
      expect.stringMatching(/step 3: operator Exists on wavegate\.dev\/wave: Argo CD accepts only In and NotIn/),
    ]);
    const empty = findingsOf(rolloutOrder, catalogWith(`${rollingSync(K, [['0'], ['1']])}\n        - maxUpdate: 1`));
    expect(empty.map((x) => x.message)).toEqual([
      expect.stringMatching(/step 3 has no matchExpressions: it selects every Application not selected before it/),
    ]);
    const key = findingsOf(rolloutOrder, catalogWith(rollingSync('example.com/wave', [['0'], ['1'], ['20']])));
    expect(key.map((x) => x.message)).toContain(
      'ApplicationSet platform-dev: step 1 matches label example.com/wave, which the template does not set; wavegate fix writes the RollingSync steps the waves imply',
    );
  });

  it('invalid: a negative wave rendered raw is not a label value (Argo cannot create the Application); maxUpdate differing from wavegate.yaml', () => {
    const neg = [comp('crds', 'foundation', -5), comp('operator', 'foundation', 1)];
    const root = inMemory(neg, {
      extra: {
        'wavegate.yaml': 'tiers:\n  - name: foundation\n    waves: [-10, 15]\n',
        'argocd/appset.yaml': appSetYaml({ name: 'platform-dev', paths, strategy: rollingSync(K, [['-5'], ['1']]) }),
      },
    });
    const f = findingsOf(rolloutOrder, root);
    expect(f.map((x) => x.message)).toContainEqual(
      expect.stringMatching(/template label wavegate\.dev\/wave renders "-5", not a valid label value, for crds/),
    );
    const mu = inMemory(components, {
      extra: {
        'wavegate.yaml': 'rollout:\n  maxUpdate:\n    foundation: 1\n',
        'argocd/appset.yaml': appSetYaml({ name: 'platform-dev', paths, strategy: rollingSync(K, [['0'], ['1'], ['20']]) }),
      },
    });
    expect(findingsOf(rolloutOrder, mu).map((x) => x.message)).toEqual([
      expect.stringMatching(/step 1 \(wave 0\) has maxUpdate unset, rollout\.maxUpdate in wavegate\.yaml gives 1/),
      expect.stringMatching(/step 2 \(wave 1\) has maxUpdate unset, rollout\.maxUpdate in wavegate\.yaml gives 1/),
    ]);
  });
});
