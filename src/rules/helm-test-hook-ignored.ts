import { dig, isObject, manifestDocuments } from './manifests.js';
import type { Rule, RuleReport } from './types.js';

const HELM_HOOK = 'helm.sh/hook';
const ARGO_HOOK = 'argocd.argoproj.io/hook';

/**
 * A manifest annotated `helm.sh/hook: test...` (test, test-success, test-failure, alone or
 * in a comma-separated list) without an `argocd.argoproj.io/hook` annotation: Argo CD
 * treats Helm test hooks as hooks with no phase and never runs them (argo-cd#2038).
 */
export const helmTestHookIgnored: Rule = {
  id: 'helm-test-hook-ignored',
  description: 'A manifest is a Helm test hook without an Argo CD hook annotation, so Argo CD never runs it.',
  defaultSeverity: 'error',
  checkCatalog({ catalog }) {
    const out: RuleReport[] = [];
    for (const d of manifestDocuments(catalog, HELM_HOOK)) {
      const annotations = dig(d.value, ['metadata', 'annotations']);
      if (!isObject(annotations)) continue;
      const hook = annotations[HELM_HOOK];
      if (typeof hook !== 'string') continue;
      const phases = hook.split(',').map((s) => s.trim());
      if (!phases.some((p) => p.startsWith('test'))) continue;
      if (annotations[ARGO_HOOK] !== undefined) continue;
      const kind = isObject(d.value) && typeof d.value.kind === 'string' ? d.value.kind : 'manifest';
      const name = dig(d.value, ['metadata', 'name']);
      const pos = d.locate(['metadata', 'annotations', HELM_HOOK], true);
      out.push({
        message:
          `${kind}${typeof name === 'string' ? ` ${name}` : ''} is a Helm test hook (${HELM_HOOK}: ${hook}) without ${ARGO_HOOK}: ` +
          `Argo CD never runs Helm test hooks; add ${ARGO_HOOK}: PostSync (and hook-delete-policy: BeforeHookCreation) so Argo runs it, or make it a smoke component`,
        file: d.file,
        line: pos?.line,
        column: pos?.column,
      });
    }
    return out;
  },
};
