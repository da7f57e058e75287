import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import type { Finding } from '../findings.js';
import { loadYamlFile, type LoadedYaml } from '../yamlfile.js';
import { explainSchemaError, closest } from './messages.js';
import { schemaPath, simplifyErrors, validator } from './schemas.js';
import { COMPONENT_TYPES, type Catalog, type Component, type ComponentType, type Environment, type ResourceSet, type Settings, type SmokeSpec } from './types.js';
import { loadSettings } from './settings.js';
import { isFile } from '../fsutil.js';

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

/** A file found by the walk: absolute path and path relative to the catalog root (forward slashes). */
interface FoundFile {
  abs: string;
  rel: string;
}

/**
 * Every component.yaml below `dir` (relative path `relDir`), sorted, without following links
 * into loops. Other `.yaml`/`.yml` files met on the way are added to `others` (relative, for
 * the manifest rules, so they need not list these folders again). Paths are built by string
 * joins from the walk (no path.relative per file: a catalog of 10,000 components has 30,000).
 */
function findComponentFiles(dir: string, relDir: string, others?: string[]): FoundFile[] {
  const out: FoundFile[] = [];
  const walk = (d: string, rd: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const name = e.name;
      const p = d + sep + name;
      const r = rd + '/' + name;
      if (e.isDirectory()) walk(p, r);
      else if (name === COMPONENT_FILE && (e.isFile() || (e.isSymbolicLink() && isFile(p)))) out.push({ abs: p, rel: r });
      else if (others && e.isFile() && /\.ya?ml$/.test(name)) others.push(r);
    }
  };
  walk(dir, relDir);
  return out;
}


const emptySet = (): ResourceSet => ({ kinds: [], secrets: [], services: [] });

function resourceSet(v: unknown): ResourceSet {
  const o = (v ?? {}) as Partial<ResourceSet>;
  return { kinds: o.kinds ?? [], secrets: o.secrets ?? [], services: o.services ?? [] };
}

export interface ParsedFile {
  file: string;
  component?: Omit<Component, 'origin'>;
  /** The name, even when the rest is invalid (so dependents are not reported twice). */
  name?: string;
  findings: Finding[];
}

/** Parses and validates one component file against the schema and the catalog settings. */
export function parseComponentFile(root: string, absPath: string, settings: Settings): ParsedFile {
  return parseComponentAt(absPath, toPosix(relative(root, absPath)), settings);
}

/** parseComponentFile with the relative path already known (`file`). */
export function parseComponentAt(absPath: string, file: string, settings: Settings): ParsedFile {
  const r = loadYamlFile(absPath);
  if ('problem' in r) {
    return { file, findings: [{ rule: 'yaml', severity: 'error', message: r.problem.message, file, line: r.problem.line, column: r.problem.column }] };
  }
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
  let findings: Finding[] | undefined;
  const report = (path: (string | number)[], message: string, atKey = false): void => {
    const pos = doc.locate(path, atKey) ?? doc.locate([]);
    (findings ??= []).push({ rule: 'schema', severity: 'error', component: name, message, file, line: pos?.line, column: pos?.column });
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
  if (findings !== undefined) return { file, name, findings };
  return { file, name, component: componentFromValid(raw, file, doc.locate), findings: [] };
}

/** The Component of a file whose content (`raw`) passed componentFromDocument's checks. */
export function componentFromValid(raw: Record<string, unknown>, file: string, locate: Component['locate']): Omit<Component, 'origin'> {
  const smoke = raw.smoke as Partial<SmokeSpec> | undefined;
  return {
    name: raw.name as string,
    tier: raw.tier as string,
    wave: typeof raw.wave === 'number' ? raw.wave : Number.parseInt(raw.wave as string, 10),
    domain: raw.domain as string | undefined,
    componentType: (raw.componentType ?? 'workload') as ComponentType,
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
    locate,
  };
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
  const filesOf = (env: string): FoundFile[] => findComponentFiles(join(envRoot, env, 'components'), `environments/${env}/components`, others);
  const sharedFiles = filesOf(SHARED_ENV);
  const envFiles = envNames.map(filesOf);
  const parsed = sharedFiles.concat(...envFiles).map((f) => parseComponentAt(f.abs, f.rel, settings));
  const shared = parsed.slice(0, sharedFiles.length);
  for (const s of shared) findings.push(...s.findings);

  const environments: Environment[] = [];
  let at = sharedFiles.length;
  envNames.forEach((envName, e) => {
    const own = parsed.slice(at, (at += envFiles[e]!.length));
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
      if (p.component) {
        // Each own file belongs to this environment only: no copy needed (same keys as a spread).
        const c = p.component as Component;
        c.origin = 'env';
        byName.set(p.name, c);
      } else broken.add(p.name);
    }
    for (const s of shared) {
      if (!s.name || firstFile.has(s.name)) continue; // replaced by the environment's own
      if (s.component) byName.set(s.name, { ...s.component, origin: 'shared' });
      else broken.add(s.name);
    }
    const components = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    environments.push({ name: envName, components, byName, broken });
  });
  const componentDirYamlFiles = options.env === undefined ? others.sort() : undefined;
  return { root, settings, settingsFile, environments, findings, componentDirYamlFiles };
}
