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
import { describe, expect, it } from 'vitest';
import { helmTestHookIgnored } from '../../src/rules/helm-test-hook-ignored.js';
import { catalogOf } from '../helpers/catalog.js';
import { comp, runRule } from '../helpers/rules.js';

const job = (annotations: string) =>
  `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: smoke\n  annotations:\n${annotations}spec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: []\n`;

describe('helm-test-hook-ignored', () => {
  it('valid: a test hook that also has an Argo hook; other Helm hooks; no hook', () => {
    const root = catalogOf([comp('a', 'data', 20)], {
      extra: {
        'charts/a/smoke.yaml': job('    helm.sh/hook: test\n    argocd.argoproj.io/hook: PostSync\n'),
        'charts/a/pre.yaml': job('    helm.sh/hook: pre-install,pre-upgrade\n'),
        'charts/a/plain.yaml': job('    team: platform\n'),
      },
    });
    expect(runRule(helmTestHookIgnored, root)).toEqual([]);
  });

  it('valid: a test hook beside a Helm hook Argo maps to a phase (post-install is PostSync, pre-upgrade PreSync)', () => {
    const root = catalogOf([comp('a', 'data', 20)], {
      extra: {
        'charts/a/post.yaml': job('    helm.sh/hook: test,post-install\n'),
        'charts/a/spaced.yaml': job('    helm.sh/hook: " test-success ,  post-upgrade "\n'),
        'charts/a/pre.yaml': job('    helm.sh/hook: pre-upgrade,test\n'),
        'charts/a/argo-list.yaml': job('    helm.sh/hook: test\n    argocd.argoproj.io/hook: Bogus,Sync\n'),
        'charts/a/delete.yaml': job('    helm.sh/hook: test,post-delete\n'),
      },
    });
    expect(runRule(helmTestHookIgnored, root)).toEqual([]);
  });

  it('invalid: helm.sh/hook test, test-success and lists of phases Argo does not map, with file:line of the annotation', () => {
    const root = catalogOf([comp('a', 'data', 20)], {
      extra: {
        'smokes/a.yaml': `${job('    helm.sh/hook: test\n')}---\n${job('    "helm.sh/hook": pre-rollback, test-success\n')}`,
      },
    });
    const f = runRule(helmTestHookIgnored, root);
    expect(f.map((x) => [x.file, x.line])).toEqual([
      ['smokes/a.yaml', 6],
      ['smokes/a.yaml', 18],
    ]);
    expect(f[0]!.message).toMatch(/^Job smoke is a Helm test hook \(helm\.sh\/hook: test\) without argocd\.argoproj\.io\/hook: Argo CD never runs Helm test hooks/);
  });

  it('invalid: an argocd.argoproj.io/hook value Argo does not know (lower case) leaves the Helm test hook without a phase', () => {
    const root = catalogOf([comp('a', 'data', 20)], {
      extra: { 'charts/a/smoke.yaml': job('    helm.sh/hook: test\n    argocd.argoproj.io/hook: postsync\n') },
    });
    const f = runRule(helmTestHookIgnored, root);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('whose argocd.argoproj.io/hook: postsync names no Argo CD hook phase');
  });
});
