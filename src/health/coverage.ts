/**
 * Which health check each gated kind gets: a team override, Argo CD's built-in (asked for
 * in wavegate.yaml), wavegate's library, or (when the catalog says nothing) whatever Argo CD
 * computes itself. A gated kind with none of these holds no wave. The catalog's paths are
 * looked at through the loaded model (catalog.files), positions in wavegate.yaml come from it.
 */
import { dirname, posix, resolve } from 'node:path';
import type { Catalog, CatalogFiles, Environment } from '../catalog/types.js';
import { manifestDocuments } from '../catalog/files.js';
import type { RuleReport } from '../findings.js';
import { argoBuiltins, argoReleaseFor, argoReleases, shortRelease } from '../catalog/argo-releases.js';
import { LIBRARY_DIR, SCRIPT_FILE, TEST_FILE, kindRefString, listLibraryKinds, parseKindRef, type KindRef } from './library.js';
import { escapesByName } from '../fsutil.js';

export { argoBuiltins, argoReleaseFor, argoReleases, shortRelease, type ArgoBuiltins } from '../catalog/argo-releases.js';

export interface HealthSettings {
  builtin: string[];
  overrides: Record<string, string>;
}

export function healthSettings(catalog: Catalog): HealthSettings {
  const h = catalog.settings.health ?? {};
  return { builtin: h.builtin ?? [], overrides: h.overrides ?? {} };
}

/** The release the catalog runs: `argocd.version` in wavegate.yaml, default the newest listed. */
function catalogArgoRelease(catalog: Catalog): string {
  const v = catalog.settings.argocd?.version;
  const releases = argoReleases();
  return (v !== undefined ? argoReleaseFor(v) : undefined) ?? releases[releases.length - 1];
}

/** Argo's folder names use `_` for a wildcard part. */
function wildcardMatch(pattern: string, value: string): boolean {
  if (pattern === '_' || pattern === '*') return true;
  if (pattern.startsWith('_.') || pattern.startsWith('*.')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

function inLuaList(list: string[], k: KindRef): boolean {
  for (const entry of list) {
    const i = entry.lastIndexOf('/');
    const g = i >= 0 ? entry.slice(0, i) : '';
    const kind = i >= 0 ? entry.slice(i + 1) : entry;
    if (wildcardMatch(g, k.group) && wildcardMatch(kind, k.kind)) return true;
  }
  return false;
}

/**
 * How Argo CD `release` (a tag from argoReleases(); default the newest) assesses a kind without
 * any customization: 'go', 'lua' or undefined.
 */
export function argoBuiltinFor(k: KindRef, release?: string): 'go' | 'lua' | undefined {
  const b = argoBuiltins();
  const ref = k.group ? `${k.group}/${k.kind}` : k.kind;
  if (b.goBuiltins.includes(ref)) return 'go';
  const releases = argoReleases();
  const tag = release ?? releases[releases.length - 1];
  return inLuaList(b.releases[tag] ?? [], k) ? 'lua' : undefined;
}

/** The first listed release after `release` with a built-in check for the kind, if any. */
function argoBuiltinFrom(k: KindRef, release: string): string | undefined {
  const releases = argoReleases();
  const later = releases.slice(releases.indexOf(release) + 1);
  return later.find((t) => inLuaList(argoBuiltins().releases[t], k));
}

export type CheckSource = 'override' | 'builtin' | 'library' | 'argo';

export interface GatedKind extends KindRef {
  ref: string;
  /** Components (sorted names) whose `health` lists the kind, with the index in that list. */
  gatedBy: { component: string; file: string; index: number }[];
  source?: CheckSource;
  /** Folder holding the check (library kind folder or override folder), for library/override. */
  dir?: string;
  /** The override's script file, when the override names a file. */
  scriptFile?: string;
}

/**
 * Why an override path is refused, or undefined when it stays inside the catalog: absolute
 * paths and paths climbing out with `..` are refused by name, paths leading out through a
 * symlink after resolving. A missing path is not refused here (healthSettingsProblems says so).
 */
function overridePathProblem(files: CatalogFiles, path: string): string | undefined {
  if (escapesByName(path)) {
    return `${JSON.stringify(path)} is ${path.startsWith('/') || /^[A-Za-z]:/.test(path) ? 'an absolute path' : 'a path climbing out of the catalog with ..'}; override paths are relative to the catalog root and stay inside it`;
  }
  const rel = catalogPath(path);
  if (files.kind(rel) === undefined) return undefined;
  if (files.kindInside(rel) === undefined)
    return `${JSON.stringify(path)} leads outside the catalog (through a symlink); override paths must stay inside it`;
  return undefined;
}

/** An override path as written (relative, not escaping: see overridePathProblem) as a catalog path. */
const catalogPath = (path: string): string =>
  posix
    .normalize(path)
    .replace(/^\.\/?$/, '')
    .replace(/\/$/, '');

/** gatedKinds' answers per loaded environment (rules health-coverage, health-lint, health-test and argocd-cm-conflict all ask). */
const gatedCache = new WeakMap<Environment, { catalog: Catalog; libraryRoot: string; kinds: readonly GatedKind[] }[]>();

/**
 * Every kind gated on in one environment, sorted by ref, with where its check comes from.
 * Cached per loaded environment, catalog and library: callers only read the answer.
 */
export function gatedKinds(catalog: Catalog, env: Environment, libraryRoot = LIBRARY_DIR): readonly GatedKind[] {
  let cached = gatedCache.get(env);
  if (!cached) gatedCache.set(env, (cached = []));
  const hit = cached.find((x) => x.catalog === catalog && x.libraryRoot === libraryRoot);
  if (hit) return hit.kinds;
  const kinds = computeGatedKinds(catalog, env, libraryRoot);
  cached.push({ catalog, libraryRoot, kinds });
  return kinds;
}

function computeGatedKinds(catalog: Catalog, env: Environment, libraryRoot: string): GatedKind[] {
  const settings = healthSettings(catalog);
  const release = catalogArgoRelease(catalog);
  const library = new Map(listLibraryKinds(libraryRoot).map((k) => [k.ref, k]));
  const byRef = new Map<string, GatedKind>();
  for (const c of env.components) {
    const health = c.health;
    for (let index = 0; index < health.length; index++) {
      const ref = health[index]!;
      let g = byRef.get(ref);
      if (!g) {
        // a ref is parsed when first met (every component of a catalog may list the same few)
        const k = parseKindRef(ref);
        if (!k) continue; // the schema reports malformed entries
        g = { ...k, ref, gatedBy: [] };
        byRef.set(ref, g);
      }
      g.gatedBy.push({ component: c.name, file: c.file, index });
    }
  }
  const out = [...byRef.values()].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  for (const g of out) {
    const override = settings.overrides[g.ref];
    if (override !== undefined) {
      const abs = resolve(catalog.root, override);
      g.source = 'override';
      if (overridePathProblem(catalog.files, override) !== undefined) {
        // refused (healthSettingsProblems reports it): nothing is read from there
      } else if (catalog.files.kind(catalogPath(override)) === 'file') {
        g.dir = dirname(abs);
        g.scriptFile = abs;
      } else {
        g.dir = abs;
      }
    } else if (settings.builtin.includes(g.ref)) {
      g.source = 'builtin';
    } else if (library.has(g.ref)) {
      g.source = 'library';
      g.dir = library.get(g.ref)!.dir;
    } else if (argoBuiltinFor(g, release) !== undefined) {
      g.source = 'argo';
    }
  }
  return out;
}

/** Problems of the health: section itself (overrides that do not exist, unknown built-ins). */
export function healthSettingsProblems(catalog: Catalog): RuleReport[] {
  const settings = healthSettings(catalog);
  const out: RuleReport[] = [];
  const locate = catalog.settingsLocate;
  const file = catalog.settingsFile;
  for (const [ref, path] of Object.entries(settings.overrides).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const pos = locate?.(['health', 'overrides', ref]);
    const base = { file, line: pos?.line, column: pos?.column, related: [ref] };
    const refused = typeof path === 'string' ? overridePathProblem(catalog.files, path) : undefined;
    if (refused !== undefined) {
      out.push({ ...base, message: `health.overrides: ${ref}: ${refused}` });
      continue;
    }
    const rel = catalogPath(path);
    const kind = catalog.files.kind(rel);
    if (kind === undefined) {
      out.push({ ...base, message: `health.overrides: ${ref}: ${path} does not exist (paths are relative to the catalog root)` });
      continue;
    }
    const dir = kind === 'dir' ? rel : posix.dirname(rel);
    const inDir = (name: string): string => (dir === '' || dir === '.' ? name : `${dir}/${name}`);
    if (kind === 'dir' && catalog.files.kind(inDir(SCRIPT_FILE)) === undefined && catalog.files.kind(inDir('check.yaml')) === undefined) {
      out.push({ ...base, message: `health.overrides: ${ref}: folder ${path} has no ${SCRIPT_FILE}` });
      continue;
    }
    if (catalog.files.kind(inDir(TEST_FILE)) === undefined) {
      out.push({
        ...base,
        severity: 'warning',
        message: `health.overrides: ${ref}: no ${TEST_FILE} beside ${path}, so the override ships untested (add tests and testdata/ as for a library kind)`,
      });
    }
    if (settings.builtin.includes(ref)) {
      out.push({ ...base, message: `health: ${ref} is both in builtin and in overrides; keep one` });
    }
  }
  const release = catalogArgoRelease(catalog);
  const releases = argoReleases();
  settings.builtin.forEach((ref, i) => {
    const k = parseKindRef(ref);
    if (!k || argoBuiltinFor(k, release) !== undefined) return;
    const pos = locate?.(['health', 'builtin', i]);
    const later = argoBuiltinFrom(k, release);
    const where = later
      ? `Argo CD ${shortRelease(release)} (argocd.version) has no built-in check for it; one is built in from ${shortRelease(later)}`
      : `no Argo CD release from ${shortRelease(releases[0])} to ${shortRelease(releases[releases.length - 1])} has a built-in check for it`;
    out.push({
      file,
      line: pos?.line,
      column: pos?.column,
      related: [ref],
      severity: 'warning',
      message: `health.builtin: ${ref}: ${where}, so Argo CD treats it as Healthy at once and its wave will not wait; upgrade Argo CD, set argocd.version, or give it a check under health.overrides`,
    });
  });
  return out;
}

/** Gated kinds with no check anywhere, one report per component entry. */
export function uncoveredKindProblems(catalog: Catalog, env: Environment, libraryRoot = LIBRARY_DIR): RuleReport[] {
  const out: RuleReport[] = [];
  const release = catalogArgoRelease(catalog);
  let knownKinds: Map<string, string> | undefined;
  /** A kind wavegate or Argo CD knows with the same Kind (any case) but another group: what was probably meant. */
  const known = (g: KindRef): string | undefined => {
    if (!knownKinds) {
      knownKinds = new Map();
      const b = argoBuiltins();
      const refs = [...b.goBuiltins, ...Object.values(b.releases).flat(), ...listLibraryKinds(libraryRoot).map((k) => kindRefString(k))];
      for (const ref of refs.sort()) {
        const kind = ref.includes('/') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
        if (kind.includes('*') || kind === '_') continue;
        const key = kind.toLowerCase();
        // a core kind of that name wins; otherwise the first group in sorted order
        if (!knownKinds.has(key) || !ref.includes('/')) knownKinds.set(key, ref);
      }
    }
    const hit = knownKinds.get(g.kind.toLowerCase());
    return hit !== undefined && hit !== (g.group ? `${g.group}/${g.kind}` : g.kind) ? hit : undefined;
  };
  for (const g of gatedKinds(catalog, env, libraryRoot)) {
    if (g.source !== undefined) continue;
    for (const at of g.gatedBy) {
      const c = env.byName.get(at.component);
      const pos = c?.locate(['health', at.index]);
      const later = argoBuiltinFrom(g, release);
      const builtinNote = later
        ? `Argo CD ${shortRelease(release)} (argocd.version) has no built-in check for it, one is built in from ${shortRelease(later)}`
        : `no Argo CD built-in in ${shortRelease(release)}`;
      out.push({
        component: at.component,
        related: [g.ref],
        file: at.file,
        line: pos?.line,
        column: pos?.column,
        message: `health: ${g.ref} has no health check (not in wavegate's library, no health.overrides entry, ${builtinNote}), so the wave of "${at.component}" would not wait for it; ${
          known(g)
            ? `did you mean ${known(g)}? (a kind is named with its API group; a Kind alone is a core kind)`
            : 'add a check under health.overrides in wavegate.yaml'
        }`,
      });
    }
  }
  return out;
}

const APPLICATION_KIND = 'argoproj.io/Application';

/**
 * App of apps: Application manifests with a sync wave in a component's source (its folder) are
 * resources of that component's Application, and its waves only wait on them through the
 * argoproj.io/Application health check, which Argo CD has not built in since v1.8 (facts 3b).
 * The component must gate argoproj.io/Application so the check is rendered.
 */
export function appOfAppsProblems(catalog: Catalog, env: Environment): RuleReport[] {
  const out: RuleReport[] = [];
  const dirs = env.components
    .map((c) => ({ c, dir: c.file.slice(0, c.file.lastIndexOf('/') + 1) }))
    .sort((a, b) => b.dir.length - a.dir.length);
  for (const d of manifestDocuments(catalog, 'sync-wave')) {
    const v = d.value as {
      apiVersion?: unknown;
      kind?: unknown;
      metadata?: { name?: unknown; annotations?: Record<string, unknown> };
    } | null;
    if (v?.kind !== 'Application' || typeof v.apiVersion !== 'string' || !v.apiVersion.startsWith('argoproj.io/')) continue;
    const wave = v.metadata?.annotations?.['argocd.argoproj.io/sync-wave'];
    if (wave === undefined) continue;
    const parent = dirs.find((x) => d.file.startsWith(x.dir))?.c;
    if (!parent || parent.health.includes(APPLICATION_KIND)) continue;
    const pos = d.locate(['metadata', 'annotations', 'argocd.argoproj.io/sync-wave'], true);
    const name = typeof v.metadata?.name === 'string' ? v.metadata.name : '(unnamed)';
    out.push({
      component: parent.name,
      related: [APPLICATION_KIND, name],
      file: d.file,
      line: pos?.line,
      column: pos?.column,
      message:
        `Application ${name} (sync-wave ${String(wave)}) is deployed by "${parent.name}" (app of apps), whose waves wait on child Applications only through the ${APPLICATION_KIND} health check, ` +
        `which Argo CD has not built in since v1.8; add ${APPLICATION_KIND} to the health of "${parent.name}" so wavegate ships the check`,
    });
  }
  return out;
}
