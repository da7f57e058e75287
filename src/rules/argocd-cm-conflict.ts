import { argocdCmConflicts, argocdCmData, catalogArgocdCms, environmentChecks } from '../health/verify.js';
import { withoutRule } from './health-lint.js';
import type { Rule } from './types.js';

/**
 * An argocd-cm manifest in the catalog that already sets a health key the rendered
 * `argocd-cm.patch.yaml` sets (a split key, or the legacy `resource.customizations` block):
 * applying the patch replaces it.
 */
export const argocdCmConflict: Rule = {
  id: 'argocd-cm-conflict',
  description: "An argocd-cm in the catalog sets a health key that wavegate's argocd-cm patch replaces.",
  defaultSeverity: 'warning',
  checkEnvironment({ catalog, env }) {
    if (catalogArgocdCms(catalog).length === 0) return [];
    const data = argocdCmData(environmentChecks(catalog, env).flatMap((v) => (v.check ? [v.check] : [])));
    return argocdCmConflicts(catalog, env, data).map(({ environment: _e, ...f }) => withoutRule(f));
  },
};
