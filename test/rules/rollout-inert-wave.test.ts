import { rolloutInertWave } from '../../src/rules/rollout-inert-wave.js';
import { appSetYaml, rollingSync } from '../helpers/appset.js';
import { comp } from '../helpers/rules.js';
import { ruleTester } from './rule-tester.js';

// argo-cd#17639 / facts 3b: Applications an ApplicationSet generates are created and synced at once.
const paths = ['environments/dev/components/**/component.yaml'];
const wave = { 'argocd.argoproj.io/sync-wave': '{{ .wave }}' };
const components = [comp('a', 'foundation', 1)];

ruleTester.run(rolloutInertWave, {
  valid: [
    {
      name: 'a sync-wave annotation with RollingSync; no annotation',
      components,
      files: {
        'argocd/a.yaml': appSetYaml({ name: 'a', paths, annotations: wave, strategy: rollingSync('wavegate.dev/wave', [['1']]) }),
        'argocd/b.yaml': appSetYaml({ name: 'b', paths: ['other/**/config.yaml'] }),
      },
    },
  ],
  invalid: [
    {
      name: 'the annotation without RollingSync, at its line, even for an ApplicationSet of no environment',
      components,
      files: {
        'argocd/a.yaml': appSetYaml({ name: 'a', paths, annotations: wave }),
        'clusters/c.yaml': appSetYaml({ name: 'c', paths: ['clusters/*.yaml'], annotations: wave }),
      },
      errors: [
        {
          file: 'argocd/a.yaml',
          line: 23,
          severity: 'warning',
          message:
            /^ApplicationSet a: argocd\.argoproj\.io\/sync-wave in the template orders nothing: the ApplicationSet controller creates and syncs every Application at once/,
        },
        { file: 'clusters/c.yaml', line: 23, severity: 'warning' },
      ],
    },
  ],
});
