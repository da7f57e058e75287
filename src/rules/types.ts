import type { Catalog, Environment } from '../catalog/types.js';
import type { RuleReport, Severity } from '../findings.js';

export type { RuleReport };

export interface EnvironmentContext {
  catalog: Catalog;
  env: Environment;
}

export interface CatalogContext {
  catalog: Catalog;
}

/**
 * A lint rule: one module per rule (src/rules/<id>.ts) with its own valid/invalid tests
 * (test/rules/<id>.test.ts). A rule checks one environment at a time, the catalog as a
 * whole, or both.
 */
export interface Rule {
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** The severity cannot be changed in wavegate.yaml (`rules:`): what render never ships. */
  fixedSeverity?: boolean;
  checkEnvironment?(ctx: EnvironmentContext): RuleReport[];
  checkCatalog?(ctx: CatalogContext): RuleReport[];
}
