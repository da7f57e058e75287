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

  it('invalid: helm.sh/hook test, test-success and lists containing a test phase, with file:line of the annotation', () => {
    const root = catalogOf([comp('a', 'data', 20)], {
      extra: {
        'smokes/a.yaml': `${job('    helm.sh/hook: test\n')}---\n${job('    "helm.sh/hook": post-install, test-success\n')}`,
      },
    });
    const f = runRule(helmTestHookIgnored, root);
    expect(f.map((x) => [x.file, x.line])).toEqual([
      ['smokes/a.yaml', 6],
      ['smokes/a.yaml', 18],
    ]);
    expect(f[0]!.message).toMatch(/^Job smoke is a Helm test hook \(helm\.sh\/hook: test\) without argocd\.argoproj\.io\/hook: Argo CD never runs Helm test hooks/);
  });
});
