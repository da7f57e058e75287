/**
 * Which health check each gated kind gets: a team override, Argo CD's built-in (asked for
 * in wavegate.yaml), wavegate's library, or (when the catalog says nothing) whatever Argo CD
 * computes itself. A gated kind with none of these holds no wave.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../catalog/schemas.js';
import type { Catalog, Environment } from '../catalog/types.js';
import { loadYamlFile, type LoadedYaml } from '../yamlfile.js';
import type { RuleReport } from '../rules/types.js';
import { LIBRARY_DIR, SCRIPT_FILE, TEST_FILE, listLibraryKinds, parseKindRef, type KindRef } from './library.js';
import { isDir, isFile } from '../fsutil.js';

export interface HealthSettings {
  builtin: string[];
  overrides: Record<string, string>;
}

export function healthSettings(catalog: Catalog): HealthSettings {
  const h = (catalog.settings.health ?? {}) as Partial<HealthSettings>;
  return { builtin: h.builtin ?? [], overrides: h.overrides ?? {} };
}

/** Argo CD's own health kinds, from data/argo-builtin-health-kinds.json. */
export interface ArgoBuiltins {
  computedInGo: string[];
  lua: string[];
}

let builtins: ArgoBuiltins | undefined;
export function argoBuiltins(): ArgoBuiltins {
  builtins ??= JSON.parse(readFileSync(join(PACKAGE_ROOT, 'data', 'argo-builtin-health-kinds.json'), 'utf8')) as ArgoBuiltins;
  return builtins;
}

function wildcardMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

/** How Argo CD would assess a kind without any customization: 'go', 'lua' or undefined. */
export function argoBuiltinFor(k: KindRef): 'go' | 'lua' | undefined {
  const b = argoBuiltins();
  const ref = k.group ? `${k.group}/${k.kind}` : k.kind;
  if (b.computedInGo.includes(ref)) return 'go';
  for (const entry of b.lua) {
    const i = entry.lastIndexOf('/');
    const g = i >= 0 ? entry.slice(0, i) : '';
    const kind = i >= 0 ? entry.slice(i + 1) : entry;
    if (wildcardMatch(g, k.group) && wildcardMatch(kind, k.kind)) return 'lua';
  }
  return undefined;
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

/** Every kind gated on in one environment, sorted by ref, with where its check comes from. */
export function gatedKinds(catalog: Catalog, env: Environment, libraryRoot = LIBRARY_DIR): GatedKind[] {
  const settings = healthSettings(catalog);
  const library = new Map(listLibraryKinds(libraryRoot).map((k) => [k.ref, k]));
  const byRef = new Map<string, GatedKind>();
  for (const c of env.components) {
    c.health.forEach((ref, index) => {
      const k = parseKindRef(ref);
      if (!k) return; // the schema reports malformed entries
      let g = byRef.get(ref);
      if (!g) {
        g = { ...k, ref, gatedBy: [] };
        byRef.set(ref, g);
      }
      g.gatedBy.push({ component: c.name, file: c.file, index });
    });
  }
  const out = [...byRef.values()].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  for (const g of out) {
    const override = settings.overrides[g.ref];
    if (override !== undefined) {
      const abs = resolve(catalog.root, override);
      g.source = 'override';
      if (isFile(abs)) {
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
    } else if (argoBuiltinFor(g) !== undefined) {
      g.source = 'argo';
    }
  }
  return out;
}



/** wavegate.yaml parsed again, for positions of health settings in findings. */
function settingsDoc(catalog: Catalog): LoadedYaml | undefined {
  if (!catalog.settingsFile) return undefined;
  const r = loadYamlFile(join(catalog.root, catalog.settingsFile));
  return 'doc' in r ? r.doc : undefined;
}

/** Problems of the health: section itself (overrides that do not exist, unknown built-ins). */
export function healthSettingsProblems(catalog: Catalog): RuleReport[] {
  const settings = healthSettings(catalog);
  const out: RuleReport[] = [];
  const doc = settingsDoc(catalog);
  const file = catalog.settingsFile;
  for (const [ref, path] of Object.entries(settings.overrides).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const pos = doc?.locate(['health', 'overrides', ref]);
    const abs = resolve(catalog.root, path);
    const base = { file, line: pos?.line, column: pos?.column, related: [ref] };
    if (!existsSync(abs)) {
      out.push({ ...base, message: `health.overrides: ${ref}: ${path} does not exist (paths are relative to the catalog root)` });
      continue;
    }
    const dir = isDir(abs) ? abs : dirname(abs);
    if (isDir(abs) && !existsSync(join(abs, SCRIPT_FILE)) && !existsSync(join(abs, 'check.yaml'))) {
      out.push({ ...base, message: `health.overrides: ${ref}: folder ${path} has no ${SCRIPT_FILE}` });
      continue;
    }
    if (!existsSync(join(dir, TEST_FILE))) {
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
  settings.builtin.forEach((ref, i) => {
    const k = parseKindRef(ref);
    if (!k || argoBuiltinFor(k) !== undefined) return;
    const pos = doc?.locate(['health', 'builtin', i]);
    out.push({
      file,
      line: pos?.line,
      column: pos?.column,
      related: [ref],
      severity: 'warning',
      message: `health.builtin: ${ref} is not among the Argo CD built-in health kinds wavegate knows (data/argo-builtin-health-kinds.json); make sure your Argo CD version ships a check for it, or its wave will not wait`,
    });
  });
  return out;
}

/** Gated kinds with no check anywhere, one report per component entry. */
export function uncoveredKindProblems(catalog: Catalog, env: Environment, libraryRoot = LIBRARY_DIR): RuleReport[] {
  const out: RuleReport[] = [];
  for (const g of gatedKinds(catalog, env, libraryRoot)) {
    if (g.source !== undefined) continue;
    for (const at of g.gatedBy) {
      const c = env.byName.get(at.component);
      const pos = c?.locate(['health', at.index]);
      out.push({
        component: at.component,
        related: [g.ref],
        file: at.file,
        line: pos?.line,
        column: pos?.column,
        message: `health: ${g.ref} has no health check (not in wavegate's library, no health.overrides entry, no Argo CD built-in), so the wave of "${at.component}" would not wait for it; add a check under health.overrides in wavegate.yaml`,
      });
    }
  }
  return out;
}
