/** wavegate as a library: every CLI command is a thin layer over these functions. */
export { loadCatalog, parseComponentFile, SHARED_ENV, COMPONENT_FILE, type LoadOptions } from './catalog/load.js';
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
export { renderCatalog, renderInMemory, RENDERERS, type RenderOptions, type RenderReport, type EnvironmentOutput } from './render/index.js';
export type { RenderedFile, RenderResult, Renderer } from './render/types.js';
export { renderHealth, argocdCmData, checkFor, verifyCheck, PATCH_FILE, VALUES_FILE, type ShippedCheck } from './health/render.js';
export { renderKind, renderTemplate, listLibraryKinds, parseKindRef, argoKeySuffix, LIBRARY_DIR, HEALTH_TEMPLATES_DIR, type RenderedCheck, type LibraryKind } from './health/library.js';
export { gatedKinds, healthSettings, argoBuiltinFor, type GatedKind, type HealthSettings } from './health/coverage.js';
export { luaString, luaValue } from './health/lua-literal.js';
