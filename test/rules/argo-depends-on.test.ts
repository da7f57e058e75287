import { argoDependsOn } from '../../src/rules/argo-depends-on.js';
import { comp } from '../helpers/rules.js';
import { ruleTester } from './rule-tester.js';

const app = (extra: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: grafana\nspec:\n  project: default\n${extra}`;
const components = [comp('a', 'data', 20)];

ruleTester.run(argoDependsOn, {
  valid: [
    {
      name: 'Applications without dependsOn, other kinds with a dependsOn field, Helm templates, component files',
      components,
      files: {
        'argocd/app.yaml': app(''),
        'argocd/other.yaml': 'apiVersion: example.io/v1\nkind: Workflow\nspec:\n  dependsOn: [x]\n',
        'charts/x/templates/app.yaml':
          'apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  {{- if .Values.x }}\n  dependsOn: {{ .Values.x }}\n  {{- end }}\n',
        'environments/dev/components/notes.md': 'dependsOn',
      },
    },
  ],
  invalid: [
    {
      name: 'Application spec.dependsOn and ApplicationSet spec.template.spec.dependsOn, in multi-document files, with file:line',
      components,
      files: {
        'argocd/legacy/apps.yml': `---\n${app('')}---\n${app('  dependsOn:\n    - platform-grafana\n')}`,
        'environments/dev/appset.yaml':
          'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: platform\nspec:\n  template:\n    spec:\n      project: default\n      dependsOn: ["{{dependencies}}"]\n',
      },
      errors: [
        {
          file: 'argocd/legacy/apps.yml',
          line: 15,
          environment: undefined,
          message: /^Application grafana sets spec\.dependsOn: this platform does not use Argo CD dependsOn/,
        },
        {
          file: 'environments/dev/appset.yaml',
          line: 9,
          environment: undefined,
          message: /^ApplicationSet platform sets spec\.template\.spec\.dependsOn/,
        },
      ],
    },
  ],
});
