import { environmentChecks } from '../health/verify.js';
import type { Rule, RuleReport } from './types.js';

/**
 * A `health.overrides` check wavegate would ship that breaks Argo CD's sandbox
 * rules: `wavegate health lint`'s findings (syntax as gopher-lua parses it, a library not
 * opened without useOpenLibs, no return of a status). `render` refuses to ship it. Its
 * severity is fixed: a check Argo CD cannot run is never shipped.
 */
export const healthLint: Rule = {
  id: 'health-lint',
  description: "A health.overrides check breaks Argo CD's Lua sandbox rules (health lint).",
  defaultSeverity: 'error',
  fixedSeverity: true,
  checkEnvironment({ catalog, env }) {
    const out: RuleReport[] = [];
    for (const v of environmentChecks(catalog, env, 'override'))
      for (const f of v.findings) if (f.rule === 'health-lint') out.push(withoutRule(f));
    return out;
  },
};

/** A finding of a verified check as a rule report (the engine sets rule and severity). */
export function withoutRule<F extends { rule: string; severity: string }>(f: F): Omit<F, 'rule' | 'severity'> {
  const { rule: _r, severity: _s, ...rest } = f;
  return rest;
}
