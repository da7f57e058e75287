import { hasChecks, smokeSettings } from '../smoke/settings.js';
import type { Rule, RuleReport } from './types.js';

/**
 * The smoke image is pinned by tag only (no `smoke.image.digest`) while some environment has
 * a smoke chart to render: a tag can be moved, a digest cannot. Reported once, at
 * wavegate.yaml.
 */
export const smokeImage: Rule = {
  id: 'smoke-image',
  description: "The smoke Jobs' image is pinned by tag only: set smoke.image.digest.",
  defaultSeverity: 'warning',
  checkCatalog({ catalog }) {
    if (!catalog.environments.some((e) => e.components.some((c) => c.componentType === 'smoke' && hasChecks(c)))) return [];
    const settings = smokeSettings(catalog.settings);
    if (settings.image.digest) return [];
    const r: RuleReport = {
      message: `smoke image ${settings.image.repository}:${settings.image.tag} is not pinned by digest: set smoke.image.digest (sha256:...) in wavegate.yaml`,
      ...(catalog.settingsFile ? { file: catalog.settingsFile } : {}),
    };
    return [r];
  },
};
