import { SYNC_WAVE_ANNOTATION, applicationSetDocs } from '../rollout/appsets.js';
import { dig, isObject } from '../catalog/files.js';
import type { Rule, RuleReport } from './types.js';

/**
 * A sync-wave annotation in an ApplicationSet's template without a RollingSync strategy:
 * the ApplicationSet controller creates and syncs all its Applications at once, so the
 * annotation orders nothing (argo-cd#17639, facts 3b). It orders Applications only when they
 * are resources of a parent Application (app of apps).
 */
export const rolloutInertWave: Rule = {
  id: 'rollout-inert-wave',
  description: 'An ApplicationSet template sets a sync-wave annotation without RollingSync, which orders nothing.',
  defaultSeverity: 'warning',
  checkCatalog({ catalog }) {
    const out: RuleReport[] = [];
    for (const d of applicationSetDocs(catalog)) {
      const annotations = dig(d.value, ['spec', 'template', 'metadata', 'annotations']);
      if (!isObject(annotations) || annotations[SYNC_WAVE_ANNOTATION] === undefined) continue;
      if (dig(d.value, ['spec', 'strategy', 'type']) === 'RollingSync') continue;
      const name = dig(d.value, ['metadata', 'name']);
      const pos = d.locate(['spec', 'template', 'metadata', 'annotations', SYNC_WAVE_ANNOTATION], true);
      out.push({
        file: d.file,
        line: pos?.line,
        column: pos?.column,
        related: typeof name === 'string' ? [name] : [],
        message:
          `ApplicationSet ${typeof name === 'string' ? name : '(unnamed)'}: ${SYNC_WAVE_ANNOTATION} in the template orders nothing: ` +
          'the ApplicationSet controller creates and syncs every Application at once; use a RollingSync strategy (wavegate fix writes it) or an app of apps',
      });
    }
    return out;
  },
};
