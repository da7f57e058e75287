import { describe, expect, it } from 'vitest';
import { argoDependsOn } from '../../src/rules/argo-depends-on.js';
import { catalogOf } from '../helpers/catalog.js';
import { comp, runRule } from '../helpers/rules.js';

const app = (extra: string) => `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: grafana\nspec:\n  project: default\n${extra}`;

describe('argo-depends-on', () => {
  it('valid: Applications without dependsOn, other kinds with a dependsOn field, Helm templates, component files', () => {
    const root = catalogOf([comp('a', 'data', 20)], {
      extra: {
        'argocd/app.yaml': app(''),
        'argocd/other.yaml': 'apiVersion: example.io/v1\nkind: Workflow\nspec:\n  dependsOn: [x]\n',
        'charts/x/templates/app.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  {{- if .Values.x }}\n  dependsOn: {{ .Values.x }}\n  {{- end }}\n',
        'environments/dev/components/notes.md': 'dependsOn',
      },
    });
    expect(runRule(argoDependsOn, root)).toEqual([]);
  });

  it('invalid: Application spec.dependsOn and ApplicationSet spec.template.spec.dependsOn, in multi-document files, with file:line', () => {
    const root = catalogOf([comp('a', 'data', 20)], {
      extra: {
        'argocd/legacy/apps.yml': `---\n${app('')}---\n${app('  dependsOn:\n    - platform-grafana\n')}`,
        'environments/dev/appset.yaml':
          'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: platform\nspec:\n  template:\n    spec:\n      project: default\n      dependsOn: ["{{dependencies}}"]\n',
      },
    });
    const f = runRule(argoDependsOn, root);
    expect(f.map((x) => [x.file, x.line, x.environment])).toEqual([
      ['argocd/legacy/apps.yml', 15, undefined],
      ['environments/dev/appset.yaml', 9, undefined],
    ]);
    expect(f[0]!.message).toMatch(/^Application grafana sets spec\.dependsOn: this platform does not use Argo CD dependsOn/);
    expect(f[1]!.message).toMatch(/^ApplicationSet platform sets spec\.template\.spec\.dependsOn/);
  });
});
