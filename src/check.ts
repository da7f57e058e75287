import type { Catalog } from './catalog/types.js';
import { sortFindings, type Finding, type SeveritySetting } from './findings.js';
import { RULES, type Rule } from './rules/index.js';

export interface CheckOptions {
  /** Rules to run (default: all). */
  rules?: readonly Rule[];
}

/** Per-rule severities from wavegate.yaml's `rules:` section (error|warning|off). */
export function ruleSeverities(catalog: Catalog): Record<string, SeveritySetting> {
  return (catalog.settings.rules as Record<string, SeveritySetting> | undefined) ?? {};
}

/**
 * Runs every rule over a loaded catalog and returns all findings (load findings included),
 * with configured severities applied, sorted deterministically.
 */
export function checkCatalog(catalog: Catalog, options: CheckOptions = {}): Finding[] {
  const severities = ruleSeverities(catalog);
  const out: Finding[] = [...catalog.findings];
  for (const rule of options.rules ?? RULES) {
    const setting = severities[rule.id] ?? rule.defaultSeverity;
    if (setting === 'off') continue;
    if (rule.checkCatalog) {
      for (const r of rule.checkCatalog({ catalog })) out.push({ rule: rule.id, severity: setting, ...r });
    }
    if (rule.checkEnvironment) {
      for (const env of catalog.environments) {
        for (const r of rule.checkEnvironment({ catalog, env })) {
          out.push({ rule: rule.id, severity: setting, environment: env.name, ...r });
        }
      }
    }
  }
  return sortFindings(out);
}
