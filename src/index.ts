/** wavegate as a library: every CLI command is a thin layer over these functions. */
export { loadCatalog, loadCatalogFromSource, parseComponentFile, SHARED_ENV, COMPONENT_FILE, type LoadOptions } from './catalog/load.js';
export { diskSource, memorySource, type FileSource } from './catalog/source.js';
export { loadSettings, defaultSettings, DEFAULT_TIERS, SETTINGS_FILE } from './catalog/settings.js';
export type { Catalog, Component, ComponentType, Environment, ResourceSet, Settings, SmokeSpec, Tier } from './catalog/types.js';
export { checkCatalog, type CheckOptions } from './check.js';
export { RULES } from './rules/index.js';
export type { Rule, RuleReport } from './rules/types.js';
export { sortFindings, compareFindings, findingToJson, countBySeverity, type Finding, type Severity } from './findings.js';
export { UserError } from './errors.js';
export { renderSmokes, buildSmokeChart, smokeValues, guessPlural, isClusterScoped, type SmokeChart } from './smoke/render.js';
export { smokeSettings, SMOKE_DEFAULTS, type SmokeSettings } from './smoke/settings.js';
export { packageChart, repositoryIndex } from './smoke/package.js';
export {
  renderCatalog,
  renderInMemory,
  RENDERERS,
  RENDER_MARKER,
  TESTS_DIR,
  type RenderOptions,
  type RenderReport,
  type EnvironmentOutput,
} from './render/index.js';
export type { RenderedFile, RenderResult, Renderer } from './render/types.js';
export { renderHealth, VALUES_FILE } from './health/render.js';
export { argocdCmData, checkFor, verifyCheck, PATCH_FILE, type ShippedCheck } from './health/verify.js';
export {
  renderKind,
  renderTemplate,
  listLibraryKinds,
  parseKindRef,
  argoKeySuffix,
  LIBRARY_DIR,
  HEALTH_TEMPLATES_DIR,
  type RenderedCheck,
  type LibraryKind,
} from './health/library.js';
export { gatedKinds, healthSettings, argoBuiltinFor, type GatedKind, type HealthSettings } from './health/coverage.js';
export { luaString, luaValue } from './health/lua-literal.js';
export {
  buildGraph,
  stronglyConnected,
  findCycles,
  topologicalOrder,
  topologicalRanks,
  transitiveDependencies,
  Reachability,
  environmentGraph,
  type DependencyGraph,
  type Sccs,
} from './graph/graph.js';
export { repairWaves, type WaveRepair, type WaveChange } from './graph/repair.js';
export { suggestRepairs, formatSuggestions, suggestionsToJson, type EnvironmentSuggestion, type SuggestedEdge } from './graph/suggest.js';
export { planFix, applyFix, editComponentText, type FixPlan, type FileEdit } from './graph/fix.js';
export {
  planEnvironment,
  planToJson,
  formatPlanText,
  planShell,
  shellOptions,
  DEFAULT_TIMEOUT_SECONDS,
  shellTarget,
  type ShellTarget,
  type RolloutPlan,
  type ShellOptions,
} from './graph/plan.js';
export { graphPicture, toDot, toMermaid, type GraphPicture, type GraphOptions } from './graph/render.js';
export { toSarif, helpUriBase, sarifSettings, type SarifOptions, type SarifSettings } from './report/sarif.js';
export {
  evaluateHealth,
  HEALTH_STATUSES,
  DEFAULT_INSTRUCTION_LIMIT,
  DEFAULT_MEMORY_LIMIT_BYTES,
  type HealthResult,
  type EvalOptions,
} from './lua/runtime.js';
export { checkGopherLuaSyntax, type LuaSyntaxProblem } from './lua/syntax.js';
export { lintHealthScript, type LintProblem } from './lua/lint.js';
export { dirSource, argocdCmSource, chainSources, objectGroupKind, type HealthScript, type ScriptSource } from './lua/resolve.js';
export {
  runHealthTests,
  formatHealthTestReport,
  healthTestReportToJson,
  type HealthTestReport,
  type HealthTestCase,
} from './lua/testrunner.js';
