import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import type { Finding } from '../findings.js';
import { loadYamlFile, parseYaml, type LoadedYaml } from '../yaml/index.js';
import { explainSchemaError, closest } from './messages.js';
import { schemaPath, simplifyErrors, validator } from './schemas.js';
import {
  COMPONENT_TYPES,
  type Catalog,
  type Component,
  type ComponentType,
  type Environment,
  type ResourceSet,
  type Settings,
  type SmokeChecks,
  type SmokeSpec,
} from './types.js';
import { SMOKE_CHECK_FIELDS } from './smoke-checks.js';
import { defaultSettings, loadSettings, maxFileBytes, SETTINGS_FILE, settingsFromYaml } from './settings.js';
import { COMPONENT_FILE, OUTSIDE_FOLDER_MESSAGE, walkComponents } from './walk.js';
import { fsReason, isWithin, realRoot } from '../fsutil.js';
import { escapeControl, hasControlCharacter } from '../names.js';
import { isKnownNamespaced } from './kinds.js';
import { catalogFiles } from './files.js';
import { MEMORY_ROOT, diskSource, type FileSource } from './source.js';

export const SHARED_ENV = '_shared';
export { COMPONENT_FILE };

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
 * One frozen empty list and one frozen empty set for every field a component file leaves out:
 * a loaded catalog keeps every component, and what the garbage collector copies of it is most
 * of its time (see bench/README.md). Nothing changes a loaded component's lists in place.
 */
const NONE = Object.freeze([]) as unknown as never[];
const EMPTY_SET: ResourceSet = Object.freeze({ kinds: NONE, secrets: NONE, services: NONE });
/** ParsedFile.findings of a file without findings. */
const NO_FINDINGS = NONE as Finding[];

function resourceSet(v: unknown): ResourceSet {
  const o = (v ?? {}) as Partial<ResourceSet>;
  return { kinds: o.kinds ?? NONE, secrets: o.secrets ?? NONE, services: o.services ?? NONE };
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

/**
 * parseComponentFile with the relative path already known (`file`). With `root`, the file
 * must resolve inside it (a symlinked component.yaml leading out of the catalog is refused).
 */
function parseComponentAt(absPath: string, file: string, settings: Settings, root?: string): ParsedFile {
  return parsedFromYaml(file, loadYamlFile(absPath, { root, maxBytes: maxFileBytes(settings) }), settings);
}

/** A finding for a YAML problem of the file, or the component it holds. */
function parsedFromYaml(file: string, r: ReturnType<typeof loadYamlFile>, settings: Settings): ParsedFile {
  if ('problem' in r) {
    return {
      file,
      findings: [{ rule: 'yaml', severity: 'error', message: r.problem.message, file, line: r.problem.line, column: r.problem.column }],
    };
  }
  return componentFromDocument(file, r.doc, settings);
}

function componentFromDocument(file: string, doc: LoadedYaml, settings: Settings): ParsedFile {
  const data = doc.value;
  if (data === null || data === undefined) {
    return {
      file,
      findings: [{ rule: 'yaml', severity: 'error', message: 'empty file: a component needs at least name, tier and wave', file }],
    };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    const what = Array.isArray(data) ? 'a list' : `a ${typeof data}`;
    const pos = doc.locate([]);
    return {
      file,
      findings: [
        {
          rule: 'yaml',
          severity: 'error',
          message: `expected a mapping of component fields, found ${what}`,
          file,
          line: pos?.line,
          column: pos?.column,
        },
      ],
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
      if (
        e.keyword === 'additionalProperties' &&
        e.instancePath === '' &&
        extra.has((e.params as { additionalProperty: string }).additionalProperty)
      )
        continue;
      const p = explainSchemaError(e, raw, knownComponentKeys);
      report(p.path, p.message, p.atKey);
    }
  }
  const componentType = (raw.componentType ?? 'workload') as ComponentType;
  if (typeof raw.tier === 'string' && !settings.tiers.some((t) => t.name === raw.tier)) {
    const names = settings.tiers.map((t) => t.name);
    const hint = closest(raw.tier, names);
    report(
      ['tier'],
      `tier: "${raw.tier}" is not one of the catalog's tiers (${names.join(', ')})${hint ? ` (did you mean "${hint}"?)` : ''}`,
    );
  }
  if (COMPONENT_TYPES.includes(componentType)) {
    if (componentType === 'smoke' && raw.smoke === undefined) {
      report(['componentType'], 'smoke: missing required field "smoke" (a component with componentType: smoke must say what it checks)');
    } else if (componentType !== 'smoke' && raw.smoke !== undefined) {
      report(
        ['smoke'],
        `smoke: only a component with componentType: smoke may have a smoke block (this one is ${raw.componentType === undefined ? 'workload by default' : componentType})`,
        true,
      );
    }
  }
  const resources = (raw.smoke as { resources?: unknown } | undefined)?.resources;
  if (findings === undefined && Array.isArray(resources)) {
    resources.forEach((r: { apiVersion?: string; kind?: string; clusterScoped?: boolean }, i) => {
      if (r?.clusterScoped !== true || typeof r.apiVersion !== 'string' || typeof r.kind !== 'string') return;
      if (isKnownNamespaced(r.apiVersion, r.kind)) {
        report(
          ['smoke', 'resources', i, 'clusterScoped'],
          `smoke.resources[${i}].clusterScoped: ${r.kind} (${r.apiVersion}) is a namespaced kind; a cluster-scoped check would grant get on that name in every namespace through a ClusterRole. Drop clusterScoped and give the namespace`,
        );
      }
    });
  }
  if (findings !== undefined) return { file, name, findings };
  return { file, name, component: componentFromValid(raw, file, doc.locate), findings: NO_FINDINGS };
}

/** The Component of a file whose content (`raw`) passed componentFromDocument's checks. */
function componentFromValid(raw: Record<string, unknown>, file: string, locate: Component['locate']): Omit<Component, 'origin'> {
  const smoke = raw.smoke as Partial<SmokeSpec> | undefined;
  return {
    name: raw.name as string,
    tier: raw.tier as string,
    wave: typeof raw.wave === 'number' ? raw.wave : Number.parseInt(raw.wave as string, 10),
    domain: raw.domain as string | undefined,
    componentType: (raw.componentType ?? 'workload') as ComponentType,
    namespace: raw.namespace as string | undefined,
    dependencies: (raw.dependencies as string[] | undefined) ?? NONE,
    provides: raw.provides ? resourceSet(raw.provides) : EMPTY_SET,
    consumes: raw.consumes ? resourceSet(raw.consumes) : EMPTY_SET,
    health: (raw.health as string[] | undefined) ?? NONE,
    smoke: smoke
      ? {
          ...smoke,
          validates: smoke.validates ?? NONE,
          ...(Object.fromEntries(SMOKE_CHECK_FIELDS.map((f) => [f, smoke[f] ?? NONE])) as SmokeChecks),
        }
      : undefined,
    raw,
    file,
    locate,
  };
}

/** Component files parsed per walk root (in walk order), and the other YAML files met. */
interface ReadResult {
  parsed: ParsedFile[][];
  others: string[];
}

/** Walks and reads in this thread. */
function readHere(roots: readonly [string, string][], settings: Settings, catalogRoot: string): ReadResult {
  const others: string[] = [];
  const parsed = roots.map(([dir, rel]) => {
    const out: ParsedFile[] = [];
    walkComponents(
      dir,
      rel,
      {
        component: (abs, r, link) => out.push(parseComponentAt(abs, r, settings, link ? catalogRoot : undefined)),
        other: (r) => others.push(r),
        outside: (r) => out.push(parsedFromYaml(r, { problem: { message: OUTSIDE_FOLDER_MESSAGE } }, settings)),
      },
      catalogRoot,
    );
    return out;
  });
  return { parsed, others };
}

function listEnvironments(envRoot: string, shown: string): string[] {
  let entries;
  try {
    entries = readdirSync(envRoot, { withFileTypes: true });
  } catch (e) {
    throw new UserError(`${shown}: ${fsReason(e)}`);
  }
  return entries
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
  let rootStat;
  try {
    rootStat = statSync(root);
  } catch (e) {
    throw new UserError((e as NodeJS.ErrnoException).code === 'ENOENT' ? `catalog not found: ${rootArg}` : `${rootArg}: ${fsReason(e)}`);
  }
  if (!rootStat.isDirectory()) throw new UserError(`catalog must be a folder: ${rootArg}`);
  const { settings, settingsFile, settingsLocate } = loadSettings(root);
  const envRoot = join(root, 'environments');
  let envReal: string | undefined;
  try {
    envReal = statSync(envRoot).isDirectory() ? realRoot(envRoot) : undefined;
  } catch {
    envReal = undefined;
  }
  if (envReal !== undefined && !isWithin(envReal, realRoot(root))) {
    throw new UserError(
      `${join(rootArg, 'environments')}: leads outside the catalog (through a symlink); a catalog's environments/ must be inside it`,
    );
  }
  if (envReal === undefined) {
    throw new UserError(noEnvironments(rootArg));
  }
  const { envNames, findings } = selectEnvironments(listEnvironments(envRoot, join(rootArg, 'environments')), rootArg, options);
  const roots = [SHARED_ENV, ...envNames].map((env): [string, string] => [
    join(envRoot, env, 'components'),
    `environments/${env}/components`,
  ]);
  const read = readHere(roots, settings, root);
  return assemble(
    read,
    { root, settings, settingsFile, settingsLocate, envNames, findings, wholeCatalog: options.env === undefined },
    diskSource(root, maxFileBytes(settings)),
  );
}

const noEnvironments = (rootArg: string): string =>
  `${rootArg}: no environments/ folder (a catalog keeps its components in environments/<env>/components/**/component.yaml)`;
const noEnvironmentFolders = (rootArg: string): string =>
  `${rootArg}: environments/ has no environment folders (only ${SHARED_ENV} or nothing)`;

export { MEMORY_ROOT };

/**
 * Loads a catalog from `source` (memorySource for a catalog in memory, as the rule tester
 * builds them): the same checks and the same model as loadCatalog, with the files walked and
 * read through the source (in walk order: entries sorted by name), on this thread.
 */
export function loadCatalogFromSource(source: FileSource, options: { env?: string; root?: string } = {}): Catalog {
  const rootArg = options.root ?? MEMORY_ROOT;
  const readYaml = (p: string): ReturnType<typeof loadYamlFile> => {
    const r = source.read(p);
    return 'problem' in r ? r : parseYaml(r.text);
  };
  const { settings, settingsFile, settingsLocate } =
    source.kind(SETTINGS_FILE) === undefined
      ? { settings: defaultSettings(), settingsFile: undefined, settingsLocate: undefined }
      : settingsFromYaml(readYaml(SETTINGS_FILE));
  const listed = source.list('environments');
  if (!listed) throw new UserError(noEnvironments(rootArg));
  const names = listed
    .filter((e) => e.kind === 'dir' && e.name !== SHARED_ENV && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  if (names.length === 0) throw new UserError(noEnvironmentFolders(rootArg));
  const { envNames, findings } = selectEnvironments(names, rootArg, options);
  const others: string[] = [];
  const parsed = [SHARED_ENV, ...envNames].map((env) => {
    const out: ParsedFile[] = [];
    const walk = (rel: string): void => {
      const entries = source.list(rel);
      if (!entries) return;
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        const r = `${rel}/${e.name}`;
        if (e.kind === 'dir') walk(r);
        else if (e.kind === 'file' && e.name === COMPONENT_FILE) out.push(parsedFromYaml(r, readYaml(r), settings));
        else if (e.kind === 'file' && /\.ya?ml$/.test(e.name)) others.push(r);
      }
    };
    walk(`environments/${env}/components`);
    return out;
  });
  return assemble(
    { parsed, others },
    { root: rootArg, settings, settingsFile, settingsLocate, envNames, findings, wholeCatalog: options.env === undefined },
    source,
  );
}

/**
 * The environments to load, of those listed under environments/ (sorted): without a control
 * character in the name (finding unsafe-name), and only `options.env` when given.
 */
function selectEnvironments(listed: string[], rootArg: string, options: LoadOptions): { envNames: string[]; findings: Finding[] } {
  let envNames = listed;
  if (envNames.length === 0) {
    throw new UserError(noEnvironmentFolders(rootArg));
  }
  // Folder names reach shell scripts, YAML comments, Lua, DOT and Mermaid: none with a control
  // character is loaded (finding unsafe-name; the writers escape them as well).
  const findings: Finding[] = [];
  const unsafeEnvs = envNames.filter(hasControlCharacter);
  for (const name of unsafeEnvs) {
    findings.push({
      rule: 'unsafe-name',
      severity: 'error',
      message: `environment folder name "${escapeControl(name)}" holds a control character; rename the folder (environment names are written into scripts, YAML comments and graphs, so the environment is not loaded)`,
      file: `environments/${escapeControl(name)}`,
    });
  }
  if (unsafeEnvs.length > 0) {
    envNames = envNames.filter((n) => !hasControlCharacter(n));
    if (envNames.length === 0) {
      throw new UserError(
        `${rootArg}: environments/ has no environment folder with a usable name (${unsafeEnvs.map((n) => `"${escapeControl(n)}"`).join(', ')} hold control characters)`,
      );
    }
  }
  if (options.env !== undefined) {
    if (unsafeEnvs.includes(options.env))
      throw new UserError(`${findings[unsafeEnvs.indexOf(options.env)]!.file}: ${findings[unsafeEnvs.indexOf(options.env)]!.message}`);
    if (!envNames.includes(options.env)) {
      throw new UserError(
        `environment "${escapeControl(options.env)}" not found in ${rootArg}/environments (found: ${envNames.join(', ')})`,
      );
    }
    envNames = [options.env];
  }

  return { envNames, findings };
}

/** What the loader knows before the component files are assembled into environments. */
interface LoadState {
  root: string;
  settings: Settings;
  settingsFile?: string;
  settingsLocate?: LoadedYaml['locate'];
  envNames: string[];
  findings: Finding[];
  /** Every environment was walked (not only LoadOptions.env). */
  wholeCatalog: boolean;
}

/**
 * The catalog from the parsed component files (per walk root: `_shared`, then each
 * environment): unsafe paths, duplicates, `_shared` merged in, misnamed component files.
 * `source` reads the catalog's other files when they are asked for.
 */
function assemble(read: ReadResult, at: LoadState, source: FileSource): Catalog {
  const { root, settings, settingsFile, settingsLocate, envNames, findings } = at;
  const { parsed } = read;
  const unsafeFile = (file: string): Finding => ({
    rule: 'unsafe-name',
    severity: 'error',
    message: `a folder or file name on the path "${escapeControl(file)}" holds a control character; rename it (component paths are written into YAML comments and scripts, so the file is not loaded)`,
    file: escapeControl(file),
  });
  for (const list of parsed) {
    for (let i = 0; i < list.length; i++) {
      if (hasControlCharacter(list[i]!.file)) list[i] = { file: list[i]!.file, findings: [unsafeFile(list[i]!.file)] };
    }
  }
  const others = read.others.filter((o) => {
    if (!hasControlCharacter(o)) return true;
    findings.push(unsafeFile(o));
    return false;
  });
  const shared = parsed[0]!;
  for (const s of shared) findings.push(...s.findings);

  const environments: Environment[] = [];
  envNames.forEach((envName, e) => {
    const own = parsed[e + 1]!;
    const byName = new Map<string, Component>();
    const broken = new Set<string>();
    const firstFile = new Map<string, string>();
    const unreadable: string[] = shared.filter((s) => !s.name).map((s) => s.file);
    for (const p of own) {
      for (const f of p.findings) findings.push({ ...f, environment: envName });
      if (!p.name) {
        unreadable.push(p.file);
        continue;
      }
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
    environments.push({ name: envName, components, byName, broken, ...(unreadable.length > 0 ? { unreadable: unreadable.sort() } : {}) });
  });
  findings.push(...misnamedComponentFiles(source, others, new Set([SHARED_ENV, ...envNames])));
  const componentDirYamlFiles = at.wholeCatalog ? others.sort() : undefined;
  const files = catalogFiles(
    source,
    environments.map((e) => e.name),
    componentDirYamlFiles,
    root,
  );
  return { root, settings, settingsFile, ...(settingsLocate ? { settingsLocate } : {}), environments, findings, files };
}

/**
 * YAML files below a components folder named like a component file but not `component.yaml`
 * (`component.yml`, `Component.yaml`): neither wavegate nor the ApplicationSet's git files
 * generator (`**` + `/component.yaml`) reads them, so they would be skipped without a word.
 */
function misnamedComponentFiles(source: FileSource, others: readonly string[], envs: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const rel of others) {
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    if (base === COMPONENT_FILE || !/^component\.ya?ml$/i.test(base)) continue;
    const dir = rel.slice(0, rel.lastIndexOf('/'));
    const env = rel.split('/')[1]!;
    const beside = source.kind(`${dir}/${COMPONENT_FILE}`) === 'file';
    out.push({
      rule: 'component-file',
      severity: 'error',
      ...(env !== SHARED_ENV && envs.has(env) ? { environment: env } : {}),
      file: rel,
      message: beside
        ? `${base} is not read: this folder's ${COMPONENT_FILE} is; remove one of the two`
        : `${base} is not read: component files are named ${COMPONENT_FILE} (wavegate and the ApplicationSet's git files generator select that name); rename it`,
    });
  }
  return out;
}
