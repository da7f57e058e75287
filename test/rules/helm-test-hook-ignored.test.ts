/**
 * Argo CD's hook mapping, from the v3.5.1 tag of the Argo CD mirror:
 *   gitops-engine/pkg/sync/hook/hook.go Types: the argocd.argoproj.io/hook values NewHookType
 *     knows (PreSync, Sync, PostSync, SyncFail, Skip; pkg/sync/common/types.go) win; only when
 *     there are none are the Helm values read;
 *   gitops-engine/pkg/sync/hook/helm/type.go hookTypes: pre-install and pre-upgrade -> PreSync,
 *     post-install and post-upgrade -> PostSync; test (and anything else) gets no phase;
 *   gitops-engine/pkg/sync/resource/annotations.go GetAnnotationCSVs: split on ",", trimmed;
 *   controller/hook.go hookTypeAnnotations: PreDelete/PostDelete, pre-delete/post-delete run
 *     when the application is deleted.
 */
import { helmTestHookIgnored } from '../../src/rules/helm-test-hook-ignored.js';
import { comp } from '../helpers/rules.js';
import { ruleTester } from './rule-tester.js';

const job = (annotations: string) =>
  `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: smoke\n  annotations:\n${annotations}spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: []\n`;
const components = [comp('a', 'data', 20)];

ruleTester.run(helmTestHookIgnored, {
  valid: [
    {
      name: 'a test hook that also has an Argo hook; other Helm hooks; no hook',
      components,
      files: {
        'charts/a/smoke.yaml': job('    helm.sh/hook: test\n    argocd.argoproj.io/hook: PostSync\n'),
        'charts/a/pre.yaml': job('    helm.sh/hook: pre-install,pre-upgrade\n'),
        'charts/a/plain.yaml': job('    team: platform\n'),
      },
    },
    {
      name: 'a test hook beside a Helm hook Argo maps to a phase (post-install is PostSync, pre-upgrade PreSync)',
      components,
      files: {
        'charts/a/post.yaml': job('    helm.sh/hook: test,post-install\n'),
        'charts/a/spaced.yaml': job('    helm.sh/hook: " test-success ,  post-upgrade "\n'),
        'charts/a/pre.yaml': job('    helm.sh/hook: pre-upgrade,test\n'),
        'charts/a/argo-list.yaml': job('    helm.sh/hook: test\n    argocd.argoproj.io/hook: Bogus,Sync\n'),
        'charts/a/delete.yaml': job('    helm.sh/hook: test,post-delete\n'),
      },
    },
    {
      name: 'wavegate render output (a folder holding the render marker) is not read as manifests',
      components,
      files: { 'out/dev/.wavegate-render': '{}\n', 'out/dev/health/testdata/smoke.yaml': job('    helm.sh/hook: test\n') },
    },
  ],
  invalid: [
    {
      name: 'helm.sh/hook test, test-success and lists of phases Argo does not map, with file:line of the annotation',
      components,
      files: { 'smokes/a.yaml': `${job('    helm.sh/hook: test\n')}---\n${job('    "helm.sh/hook": pre-rollback, test-success\n')}` },
      errors: [
        {
          file: 'smokes/a.yaml',
          line: 6,
          column: 5,
          message:
            /^Job smoke is a Helm test hook \(helm\.sh\/hook: test\) without argocd\.argoproj\.io\/hook: Argo CD never runs Helm test hooks/,
        },
        { file: 'smokes/a.yaml', line: 18, message: 'helm.sh/hook: pre-rollback, test-success' },
      ],
    },
    {
      name: 'an argocd.argoproj.io/hook value Argo does not know (lower case) leaves the Helm test hook without a phase',
      components,
      files: { 'charts/a/smoke.yaml': job('    helm.sh/hook: test\n    argocd.argoproj.io/hook: postsync\n') },
      errors: [{ file: 'charts/a/smoke.yaml', message: 'whose argocd.argoproj.io/hook: postsync names no Argo CD hook phase' }],
    },
  ],
});
