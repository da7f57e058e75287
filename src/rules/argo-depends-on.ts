import { dig, isObject, manifestDocuments } from '../catalog/files.js';
import type { Rule, RuleReport } from './types.js';

const PATHS: readonly (readonly string[])[] = [
  ['spec', 'dependsOn'],
  ['spec', 'template', 'spec', 'dependsOn'],
];

/**
 * An Argo CD Application or ApplicationSet anywhere under the catalog root that sets
 * `spec.dependsOn` or `spec.template.spec.dependsOn`: backlog 382 decided against Argo's
 * dependsOn; ordering is waves plus health checks plus smokes.
 */
export const argoDependsOn: Rule = {
  id: 'argo-depends-on',
  description:
    'An Argo CD Application or ApplicationSet sets spec.dependsOn (or spec.template.spec.dependsOn); use waves, health checks and smokes.',
  defaultSeverity: 'error',
  checkCatalog({ catalog }) {
    const out: RuleReport[] = [];
    for (const d of manifestDocuments(catalog, 'dependsOn')) {
      const v = d.value;
      if (!isObject(v) || (v.kind !== 'Application' && v.kind !== 'ApplicationSet')) continue;
      if (typeof v.apiVersion !== 'string' || !v.apiVersion.startsWith('argoproj.io/')) continue;
      const name = typeof dig(v, ['metadata', 'name']) === 'string' ? (dig(v, ['metadata', 'name']) as string) : '(unnamed)';
      for (const path of PATHS) {
        if (dig(v, path) === undefined) continue;
        const pos = d.locate(path, true);
        out.push({
          message:
            `${v.kind} ${name} sets ${path.join('.')}: this platform does not use Argo CD dependsOn (ordering is waves, health checks and smokes); ` +
            'express the order as component dependencies and waves, gated by health checks and smokes',
          file: d.file,
          line: pos?.line,
          column: pos?.column,
        });
      }
    }
    return out;
  },
};
