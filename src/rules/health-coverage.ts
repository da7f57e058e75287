import { appOfAppsProblems, healthSettingsProblems, uncoveredKindProblems } from '../health/coverage.js';
import type { Rule } from './types.js';

/**
 * A kind some component gates on (`health:`) with no Lua check anywhere: not in wavegate's
 * library, no `health.overrides` entry and no Argo CD built-in. Argo CD counts such a
 * resource healthy at once, so the wave would not wait. Also checks the `health:` section
 * of wavegate.yaml (override paths that do not exist are errors; untested overrides and
 * built-ins Argo CD may not have are warnings). App of apps: a component whose folder holds
 * Application manifests with sync waves must gate argoproj.io/Application.
 */
export const healthCoverage: Rule = {
  id: 'health-coverage',
  description: 'A gated kind has no health check (library, override or Argo CD built-in), so its wave would not wait.',
  defaultSeverity: 'error',
  checkCatalog({ catalog }) {
    return healthSettingsProblems(catalog);
  },
  checkEnvironment({ catalog, env }) {
    return [...uncoveredKindProblems(catalog, env), ...appOfAppsProblems(catalog, env)];
  },
};
