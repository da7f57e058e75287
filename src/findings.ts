/** The one findings format every check, rule and output shares (a contract: see README). */
import type { SmokeCheckField } from './catalog/smoke-checks.js';

export type Severity = 'error' | 'warning';
export type SeveritySetting = Severity | 'off';

export interface Finding {
  rule: string;
  severity: Severity;
  environment?: string;
  component?: string;
  related?: string[];
  message: string;
  /** Path relative to the catalog root, with forward slashes. */
  file?: string;
  line?: number;
  column?: number;
  /** Machine-readable repair data for `--suggest` and `fix` (not part of the JSON contract). */
  fix?: FindingFix;
}

/**
 * What a rule (or a check that rules run, such as health coverage) reports; the engine adds
 * `rule` and (for environment rules) `environment`. `severity` may be set when one case of a
 * rule is milder than the rule's default; a severity configured in wavegate.yaml (`rules:`)
 * wins over both.
 */
export type RuleReport = Omit<Finding, 'rule' | 'severity'> & { severity?: Severity };

export interface FindingFix {
  /** Dependency edges to add: `component` gains `dependency` (in `environment`). */
  addDependencies?: { environment: string; component: string; dependency: string }[];
  /** `consumes` entries to add: `component` gains `item` under `consumes.<type>`. */
  addConsumes?: ConsumesAddition[];
  /** Smoke checks to add to the smoke that validates `component` (or to a new smoke for it). */
  addSmokeChecks?: SmokeCheckAddition[];
  /** Changes fix cannot make, said when it runs (fix never deletes a wait hook). */
  notes?: string[];
}

export interface ConsumesAddition {
  environment: string;
  component: string;
  type: 'secrets' | 'services';
  item: string;
}

/** A smoke block field holding checks (the smoke check table in catalog/smoke-checks.ts). */
export type { SmokeCheckField };

export interface SmokeCheckAddition {
  environment: string;
  /** The component the check vouches for. */
  component: string;
  field: SmokeCheckField;
  /** The entry, as in component.yaml's smoke section (`{ name, namespace }`, or a resources entry). */
  entry: Record<string, string>;
}

const cmp = (a: string | number | undefined, b: string | number | undefined): number => {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
};

/** Deterministic order: environment, file, line, column, component, rule, message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.environment, b.environment) ||
    cmp(a.file, b.file) ||
    cmp(a.line, b.line) ||
    cmp(a.column, b.column) ||
    cmp(a.component, b.component) ||
    cmp(a.rule, b.rule) ||
    cmp(a.message, b.message)
  );
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}

/** The JSON shape of a finding, keys in contract order and without internal fields. */
export function findingToJson(f: Finding): Record<string, unknown> {
  const o: Record<string, unknown> = { rule: f.rule, severity: f.severity };
  if (f.environment !== undefined) o.environment = f.environment;
  if (f.component !== undefined) o.component = f.component;
  if (f.related !== undefined && f.related.length > 0) o.related = f.related;
  o.message = f.message;
  if (f.file !== undefined) o.file = f.file;
  if (f.line !== undefined) o.line = f.line;
  if (f.column !== undefined) o.column = f.column;
  return o;
}

/** The identity of a finding but for its environment (NUL-separated: no field holds a NUL). */
export const groupKey = (f: Finding): string =>
  `${f.rule}\u0000${f.severity}\u0000${f.file ?? ''}\u0000${f.line ?? 0}\u0000${f.column ?? 0}\u0000${f.component ?? ''}\u0000${f.message}\u0000${f.related ? f.related.join('\u0001') : ''}`;
