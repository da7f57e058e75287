import { environmentChecks } from '../health/verify.js';
import { withoutRule } from './health-lint.js';
import type { Rule, RuleReport } from './types.js';

/**
 * A `health.overrides` check wavegate would ship that fails its own
 * `health_test.yaml` cases, run as `wavegate health test` runs them. `render` refuses to ship
 * it. Its severity is fixed.
 */
export const healthTest: Rule = {
  id: 'health-test',
  description: 'A health.overrides check fails its own health_test.yaml cases.',
  defaultSeverity: 'error',
  fixedSeverity: true,
  checkEnvironment({ catalog, env }) {
    const out: RuleReport[] = [];
    for (const v of environmentChecks(catalog, env, 'override'))
      for (const f of v.findings) if (f.rule === 'health-test') out.push(withoutRule(f));
    return out;
  },
};
