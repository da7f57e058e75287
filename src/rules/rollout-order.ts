import { environmentAppSets, rolloutSettings } from '../rollout/appsets.js';
import { rolloutProblems } from '../rollout/compare.js';
import type { Rule, RuleReport } from './types.js';

/**
 * The environment's ApplicationSet does not hold the catalog's waves: no RollingSync
 * strategy (Argo CD creates and syncs every generated Application at once), or steps that
 * differ from one step per wave in ascending order (a component in no step or in another
 * wave's step, steps out of order, operators other than In/NotIn, empty steps, keys the
 * template does not set). `wavegate fix` writes the strategy. An environment whose
 * components no ApplicationSet generates is not checked.
 */
export const rolloutOrder: Rule = {
  id: 'rollout-order',
  description: "An environment's ApplicationSet has no RollingSync strategy, or its steps do not follow the catalog's waves.",
  defaultSeverity: 'error',
  checkEnvironment({ catalog, env }) {
    const out: RuleReport[] = [];
    const settings = rolloutSettings(catalog);
    for (const a of environmentAppSets(catalog, env)) {
      for (const p of rolloutProblems(a, settings)) {
        out.push({
          file: a.file,
          line: p.line,
          related: [a.name, ...p.components],
          message: `ApplicationSet ${a.name}${p.message.startsWith('has ') ? ' ' : ': '}${p.message}; wavegate fix writes the RollingSync steps the waves imply`,
        });
      }
    }
    return out;
  },
};
