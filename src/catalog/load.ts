import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import type { Finding } from '../findings.js';
import { loadYamlFile, type LoadedYaml } from '../yamlfile.js';
import { explainSchemaError, closest } from './messages.js';
import { schemaPath, simplifyErrors, validator } from './schemas.js';
import { COMPONENT_TYPES, type Catalog, type Component, type ComponentType, type Environment, type ResourceSet, type Settings, type SmokeSpec } from './types.js';
import { loadSettings } from './settings.js';

export const SHARED_ENV = '_shared';
export const COMPONENT_FILE = 'component.yaml';

export interface LoadOptions {
  /** Only this environment (others are not read). */
  env?: string;
}

type JsonSchema = Record<string, unknown>;
let componentSchema: JsonSchema | undefined;

/** Keys a mapping at `path` of a component file may have, from the shipped schema. */
function knownComponentKeys(path: (string | number)[]): string[] {
  componentSchema ??= JSON.parse(readFileSync(schemaPath('component'), 'utf8')) as JsonSchema;
  const defs = componentSchema.definitions as Record<string, JsonSchema>;
  const deref = (s: JsonSchema | undefined): JsonSchema | undefined => {
    const ref = s?.$ref;
    return typeof ref === 'string' ? defs[ref.split('/').pop()!] : s;
  };
  let s: JsonSchema | undefined = componentSchema;
  for (const seg of path) {
    s = deref(s);
    if (!s) return [];
    if (typeof seg === 'number') s = s.items as JsonSchema | undefined;
    else s = (s.properties as Record<string, JsonSchema> | undefined)?.[seg];
  }
  s = deref(s);
  return Object.keys((s?.properties as object | undefined) ?? {});
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/**
 * Every component.yaml below `dir`, sorted, without following links into loops. Other
 * `.yaml`/`.yml` files met on the way are added to `others` (for the manifest rules, so
 * they need not list these folders again).
 */
function findComponentFiles(dir: string, others?: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === COMPONENT_FILE && (e.isFile() || (e.isSymbolicLink() && safeIsFile(p)))) out.push(p);
      else if (others && e.isFile() && /\.ya?ml$/.test(e.name)) others.push(p);
    }
  };
  walk(dir);
  return out;
}

function safeIsFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

const emptySet = (): ResourceSet => ({ kinds: [], secrets: [], services: [] });

function resourceSet(v: unknown): ResourceSet {
  const o = (v ?? {}) as Partial<ResourceSet>;
  return { kinds: o.kinds ?? [], secrets: o.secrets ?? [], services: o.services ?? [] };
}

interface ParsedFile {
  file: string;
  component?: Omit<Component, 'origin'>;
  /** The name, even when the rest is invalid (so dependents are not reported twice). */
  name?: string;
  findings: Finding[];
}

/** Parses and validates one component file against the schema and the catalog settings. */
export function parseComponentFile(root: string, absPath: string, settings: Settings): ParsedFile {
  const file = toPosix(relative(root, absPath));
  const r = loadYamlFile(absPath);
  const fail = (message: string, line?: number, column?: number): ParsedFile => ({
    file,
    findings: [{ rule: 'yaml', severity: 'error', message, file, line, column }],
  });
  if ('problem' in r) return fail(r.problem.message, r.problem.line, r.problem.column);
  return componentFromDocument(file, r.doc, settings);
}

export function componentFromDocument(file: string, doc: LoadedYaml, settings: Settings): ParsedFile {
  const data = doc.value;
  if (data === null || data === undefined) {
    return { file, findings: [{ rule: 'yaml', severity: 'error', message: 'empty file: a component needs at least name, tier and wave', file }] };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    const what = Array.isArray(data) ? 'a list' : `a ${typeof data}`;
    const pos = doc.locate([]);
    return {
      file,
      findings: [{ rule: 'yaml', severity: 'error', message: `expected a mapping of component fields, found ${what}`, file, line: pos?.line, column: pos?.column }],
    };
  }
  const raw = data as Record<string, unknown>;
  const name = typeof raw.name === 'string' ? raw.name : undefined;
  const findings: Finding[] = [];
  const report = (path: (string | number)[], message: string, atKey = false): void => {
    const pos = doc.locate(path, atKey) ?? doc.locate([]);
    findings.push({ rule: 'schema', severity: 'error', component: name, message, file, line: pos?.line, column: pos?.column });
  };

  const validate = validator('component');
  if (!validate(raw)) {
    const extra = new Set(settings.extraFields);
    for (const e of simplifyErrors(validate.errors ?? [])) {
      if (e.keyword === 'additionalProperties' && e.instancePath === '' && extra.has((e.params as { additionalProperty: string }).additionalProperty)) continue;
      const p = explainSchemaError(e, raw, knownComponentKeys);
      report(p.path, p.message, p.atKey);
    }
  }
  const componentType = (raw.componentType ?? 'workload') as ComponentType;
  if (typeof raw.tier === 'string' && !settings.tiers.some((t) => t.name === raw.tier)) {
    const names = settings.tiers.map((t) => t.name);
    const hint = closest(raw.tier, names);
    report(['tier'], `tier: "${raw.tier}" is not one of the catalog's tiers (${names.join(', ')})${hint ? ` (did you mean "${hint}"?)` : ''}`);
  }
  if (COMPONENT_TYPES.includes(componentType)) {
    if (componentType === 'smoke' && raw.smoke === undefined) {
      report(['componentType'], 'smoke: missing required field "smoke" (a component with componentType: smoke must say what it checks)');
    } else if (componentType !== 'smoke' && raw.smoke !== undefined) {
      report(['smoke'], `smoke: only a component with componentType: smoke may have a smoke block (this one is ${raw.componentType === undefined ? 'workload by default' : componentType})`, true);
    }
  }
  if (findings.length > 0) return { file, name, findings };

  const smoke = raw.smoke as Partial<SmokeSpec> | undefined;
  const component: Omit<Component, 'origin'> = {
    name: raw.name as string,
    tier: raw.tier as string,
    wave: typeof raw.wave === 'number' ? raw.wave : Number.parseInt(raw.wave as string, 10),
    domain: raw.domain as string | undefined,
    componentType,
    namespace: raw.namespace as string | undefined,
    dependencies: (raw.dependencies as string[] | undefined) ?? [],
    provides: raw.provides ? resourceSet(raw.provides) : emptySet(),
    consumes: raw.consumes ? resourceSet(raw.consumes) : emptySet(),
    health: (raw.health as string[] | undefined) ?? [],
    smoke: smoke
      ? {
          ...smoke,
          validates: smoke.validates ?? [],
          externalSecrets: smoke.externalSecrets ?? [],
          secrets: smoke.secrets ?? [],
          resources: smoke.resources ?? [],
        }
      : undefined,
    raw,
    file,
    locate: doc.locate,
  };
  return { file, name, component, findings };
}

function listEnvironments(envRoot: string): string[] {
  return readdirSync(envRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== SHARED_ENV && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/**
 * Loads a catalog: settings, then every environment's components (with `_shared` merged
 * in). User mistakes inside files become findings; a catalog that cannot be read at all
 * (no folder, no environments/, invalid wavegate.yaml) is a UserError (exit 2).
 */
export function loadCatalog(rootArg: string, options: LoadOptions = {}): Catalog {
  const root = resolve(rootArg);
  if (!existsSync(root)) throw new UserError(`catalog not found: ${rootArg}`);
  if (!statSync(root).isDirectory()) throw new UserError(`catalog must be a folder: ${rootArg}`);
  const { settings, settingsFile } = loadSettings(root);
  const envRoot = join(root, 'environments');
  if (!existsSync(envRoot) || !statSync(envRoot).isDirectory()) {
    throw new UserError(`${rootArg}: no environments/ folder (a catalog keeps its components in environments/<env>/components/**/component.yaml)`);
  }
  let envNames = listEnvironments(envRoot);
  if (envNames.length === 0) {
    throw new UserError(`${rootArg}: environments/ has no environment folders (only ${SHARED_ENV} or nothing)`);
  }
  if (options.env !== undefined) {
    if (!envNames.includes(options.env)) {
      throw new UserError(`environment "${options.env}" not found in ${rootArg}/environments (found: ${envNames.join(', ')})`);
    }
    envNames = [options.env];
  }

  const findings: Finding[] = [];
  const others: string[] = [];
  const shared = findComponentFiles(join(envRoot, SHARED_ENV, 'components'), others).map((p) => parseComponentFile(root, p, settings));
  for (const s of shared) findings.push(...s.findings);

  const environments: Environment[] = [];
  for (const envName of envNames) {
    const own = findComponentFiles(join(envRoot, envName, 'components'), others).map((p) => parseComponentFile(root, p, settings));
    const byName = new Map<string, Component>();
    const broken = new Set<string>();
    const firstFile = new Map<string, string>();
    for (const p of own) {
      for (const f of p.findings) findings.push({ ...f, environment: envName });
      if (!p.name) continue;
      const seen = firstFile.get(p.name);
      if (seen !== undefined) {
        const pos = p.component?.locate(['name']);
        findings.push({
          rule: 'duplicate-component',
          severity: 'error',
          environment: envName,
          component: p.name,
          message: `component name "${p.name}" is already used in environment ${envName} by ${seen}`,
          file: p.file,
          line: pos?.line,
          column: pos?.column,
        });
        continue;
      }
      firstFile.set(p.name, p.file);
      if (p.component) byName.set(p.name, { ...p.component, origin: 'env' });
      else broken.add(p.name);
    }
    for (const s of shared) {
      if (!s.name || firstFile.has(s.name)) continue; // replaced by the environment's own
      if (s.component) byName.set(s.name, { ...s.component, origin: 'shared' });
      else broken.add(s.name);
    }
    const components = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    environments.push({ name: envName, components, byName, broken });
  }
  const componentDirYamlFiles = options.env === undefined ? others.map((p) => toPosix(relative(root, p))).sort() : undefined;
  return { root, settings, settingsFile, environments, findings, componentDirYamlFiles };
}
