import { dig, isObject, manifestDocuments } from '../catalog/files.js';
import type { Rule, RuleReport } from './types.js';

const HELM_HOOK = 'helm.sh/hook';
const ARGO_HOOK = 'argocd.argoproj.io/hook';

/** gitops-engine resource.GetAnnotationCSVs: split on `,`, trim, drop empty and repeated values. */
function annotationCSVs(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  const out: string[] = [];
  for (const item of value.split(',')) {
    const v = item.trim();
    if (v !== '' && !out.includes(v)) out.push(v);
  }
  return out;
}

/** gitops-engine common.NewHookType (v3.5.1 gitops-engine/pkg/sync/common/types.go). */
const ARGO_HOOK_TYPES = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip']);
/** gitops-engine hook/helm/type.go hookTypes: the only Helm hooks that get an Argo CD phase. */
const HELM_SYNC_HOOKS: Record<string, string> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-upgrade': 'PostSync',
  'post-install': 'PostSync',
};
/** controller/hook.go hookTypeAnnotations (v3.5.1): hooks the controller runs when the app is deleted. */
const DELETE_HOOKS: Record<string, string[]> = { [ARGO_HOOK]: ['PreDelete', 'PostDelete'], [HELM_HOOK]: ['pre-delete', 'post-delete'] };

/**
 * A manifest annotated `helm.sh/hook: test...` (test, test-success, test-failure, alone or
 * in a comma-separated list) that Argo CD runs in no phase (argo-cd#2038). Argo's mapping
 * (gitops-engine pkg/sync/hook/hook.go Types): the `argocd.argoproj.io/hook` values that
 * NewHookType knows win; only when there are none do the Helm values count, and of those only
 * pre-install/pre-upgrade (PreSync) and post-install/post-upgrade (PostSync) have a phase. So
 * `test,post-install` runs as PostSync and is not reported, while `test` alone, or with an
 * `argocd.argoproj.io/hook` value Argo does not know, is. Delete hooks (controller/hook.go)
 * run when the application is deleted and are not reported either.
 */
export const helmTestHookIgnored: Rule = {
  id: 'helm-test-hook-ignored',
  description:
    'A manifest is a Helm test hook that Argo CD runs in no phase (no Argo CD hook value it knows, no Helm hook it maps), so Argo CD never runs it.',
  defaultSeverity: 'error',
  checkCatalog({ catalog }) {
    const out: RuleReport[] = [];
    for (const d of manifestDocuments(catalog, HELM_HOOK)) {
      const annotations = dig(d.value, ['metadata', 'annotations']);
      if (!isObject(annotations)) continue;
      const hook = annotations[HELM_HOOK];
      if (typeof hook !== 'string') continue;
      const phases = annotationCSVs(hook);
      if (!phases.some((p) => p.startsWith('test'))) continue;
      const argoTypes = annotationCSVs(annotations[ARGO_HOOK]);
      if (argoTypes.some((t) => ARGO_HOOK_TYPES.has(t))) continue;
      if (phases.some((p) => HELM_SYNC_HOOKS[p] !== undefined)) continue;
      if (argoTypes.some((t) => DELETE_HOOKS[ARGO_HOOK]!.includes(t)) || phases.some((p) => DELETE_HOOKS[HELM_HOOK]!.includes(p))) continue;
      const argo =
        annotations[ARGO_HOOK] !== undefined
          ? ` whose ${ARGO_HOOK}: ${String(annotations[ARGO_HOOK])} names no Argo CD hook phase (Argo then reads the Helm hook)`
          : ` without ${ARGO_HOOK}`;
      const kind = isObject(d.value) && typeof d.value.kind === 'string' ? d.value.kind : 'manifest';
      const name = dig(d.value, ['metadata', 'name']);
      const pos = d.locate(['metadata', 'annotations', HELM_HOOK], true);
      out.push({
        message:
          `${kind}${typeof name === 'string' ? ` ${name}` : ''} is a Helm test hook (${HELM_HOOK}: ${hook})${argo}: ` +
          `Argo CD never runs Helm test hooks (only pre-/post-install and pre-/post-upgrade get a phase); add ${ARGO_HOOK}: PostSync (and hook-delete-policy: BeforeHookCreation) so Argo runs it, or make it a smoke component`,
        file: d.file,
        line: pos?.line,
        column: pos?.column,
      });
    }
    return out;
  },
};
