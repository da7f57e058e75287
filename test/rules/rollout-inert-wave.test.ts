import { describe, expect, it } from 'vitest';
import { rolloutInertWave } from '../../src/rules/rollout-inert-wave.js';
import { appSetYaml, rollingSync } from '../helpers/appset.js';
import { comp } from '../helpers/rules.js';
import { inMemory, findingsOf } from './rule-tester.js';

// argo-cd#17639 / facts 3b: Applications an ApplicationSet generates are created and synced at once.
const paths = ['environments/dev/components/**/component.yaml'];
const wave = { 'argocd.argoproj.io/sync-wave': '{{ .wave }}' };

describe('rollout-inert-wave', () => {
  it('valid: a sync-wave annotation with RollingSync; no annotation', () => {
    const root = inMemory([comp('a', 'foundation', 1)], {
      extra: {
        'argocd/a.yaml': appSetYaml({ name: 'a', paths, annotations: wave, strategy: rollingSync('wavegate.dev/wave', [['1']]) }),
        'argocd/b.yaml': appSetYaml({ name: 'b', paths: ['other/**/config.yaml'] }),
      },
    });
    expect(findingsOf(rolloutInertWave, root)).toEqual([]);
  });

  it('invalid: the annotation without RollingSync, at its line, even for an ApplicationSet of no environment', () => {
    const root = inMemory([comp('a', 'foundation', 1)], {
      extra: { 'argocd/a.yaml': appSetYaml({ name: 'a', paths, annotations: wave }), 'clusters/c.yaml': appSetYaml({ name: 'c', paths: ['clusters/*.yaml'], annotations: wave }) },
    });
    const f = findingsOf(rolloutInertWave, root);
    expect(f.map((x) => [x.file, x.line, x.severity])).toEqual([
      ['argocd/a.yaml', 23, 'warning'],
      ['clusters/c.yaml', 23, 'warning'],
    ]);
    expect(f[0]!.message).toMatch(/^ApplicationSet a: argocd\.argoproj\.io\/sync-wave in the template orders nothing: the ApplicationSet controller creates and syncs every Application at once/);
  });
});
