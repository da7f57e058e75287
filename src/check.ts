import type { Catalog } from './catalog/types.js';
import { sortFindings, type Finding, type Severity, type SeveritySetting } from './findings.js';
import { RULES, type Rule } from './rules/index.js';
import type { RuleReport } from './rules/types.js';

export interface CheckOptions {
  /** Rules to run (default: all). */
  rules?: readonly Rule[];
}

/** Per-rule severities from wavegate.yaml's `rules:` section (error|warning|off). */
function ruleSeverities(catalog: Catalog): Record<string, SeveritySetting> {
  return catalog.settings.rules ?? {};
}

/**
 * Runs every rule over a loaded catalog and returns all findings (load findings included),
 * with configured severities applied, sorted deterministically.
 */
export function checkCatalog(catalog: Catalog, options: CheckOptions = {}): Finding[] {
  const severities = ruleSeverities(catalog);
  const out: Finding[] = [...catalog.findings];
  for (const rule of options.rules ?? RULES) {
    const configured = rule.fixedSeverity ? undefined : severities[rule.id];
    if (configured === 'off') continue;
    const severityOf = (r: RuleReport): Severity => configured ?? r.severity ?? rule.defaultSeverity;
    if (rule.checkCatalog) {
      for (const r of rule.checkCatalog({ catalog })) out.push({ ...r, rule: rule.id, severity: severityOf(r) });
    }
    if (rule.checkEnvironment) {
      for (const env of catalog.environments) {
        for (const r of rule.checkEnvironment({ catalog, env })) {
          out.push({ ...r, rule: rule.id, severity: severityOf(r), environment: env.name });
        }
      }
    }
  }
  return sortFindings(out);
}
