import { loadCatalog } from '../../src/catalog/load.js';
import { checkCatalog } from '../../src/check.js';
import type { Finding } from '../../src/findings.js';
import type { Rule } from '../../src/rules/types.js';

/** Findings of one rule on the catalog at `root` (load findings excluded). */
export function runRule(rule: Rule, root: string): Finding[] {
  const catalog = loadCatalog(root);
  const loadProblems = catalog.findings;
  if (loadProblems.length > 0) throw new Error(`test catalog does not load cleanly: ${loadProblems.map((f) => f.message).join('; ')}`);
  return checkCatalog(catalog, { rules: [rule] });
}

/** A component object with defaults, for catalogOf. */
export function comp(name: string, tier: string, wave: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, tier, wave, ...extra };
}
