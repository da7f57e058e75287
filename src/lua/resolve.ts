/**
 * Which health script runs for an object, as Argo CD decides it: an exact `group/Kind` key
 * first, then wildcard keys (glob `*`), always by the object's own apiVersion group and kind.
 * Two sources: a folder tree in Argo's resource_customizations layout
 * (`<group>/<Kind>/health.lua`, `_` standing for `*` in folder names) and argocd-cm
 * (split keys `resource.customizations.health.<group>_<Kind>` and the legacy
 * `resource.customizations` block, with `useOpenLibs`).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { UserError } from '../errors.js';
import { isDir } from '../fsutil.js';

export interface HealthScript {
  /** The key it was found under, e.g. `cert-manager.io/Certificate` or `*.crossplane.io/*`. */
  groupKind: string;
  script: string;
  openLibs: boolean;
  /** Where it came from (file path or argocd-cm key), for messages. */
  origin: string;
}

export interface ScriptSource {
  resolve(group: string, kind: string): HealthScript | undefined;
}

/** Argo's config-map key for a kind: `Kind` for core kinds, else `group/Kind`. */
export function groupKindKey(group: string, kind: string): string {
  return group === '' ? kind : `${group}/${kind}`;
}

/** group and kind of a Kubernetes object from its apiVersion and kind. */
export function objectGroupKind(obj: unknown): { group: string; kind: string } | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const o = obj as { apiVersion?: unknown; kind?: unknown };
  if (typeof o.kind !== 'string' || o.kind === '') return undefined;
  const api = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const slash = api.indexOf('/');
  return { group: slash >= 0 ? api.slice(0, slash) : '', kind: o.kind };
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${body}$`);
}

/** Exact key first, then wildcard keys, most specific (longest literal part) first. */
export function lookup<T>(entries: Map<string, T>, group: string, kind: string): T | undefined {
  const key = groupKindKey(group, kind);
  const exact = entries.get(key);
  if (exact !== undefined) return exact;
  const wild = [...entries.keys()].filter((k) => k.includes('*'));
  wild.sort((a, b) => b.replace(/\*/g, '').length - a.replace(/\*/g, '').length || (a < b ? -1 : a > b ? 1 : 0));
  for (const k of wild) if (globToRegExp(k).test(key)) return entries.get(k);
  return undefined;
}

export interface DirSourceOptions {
  /** Renders a kind folder whose check.yaml names a template instead of a health.lua file. */
  renderKind?: (kindDir: string) => { script: string; openLibs: boolean } | undefined;
}

interface KindFolder {
  dir: string;
  key: string;
}


/** Kind folders under a root in Argo's layout (`<group>/<Kind>/` or `<Kind>/` for core kinds). */
export function kindFolders(root: string): KindFolder[] {
  const out: KindFolder[] = [];
  const isKindDir = (d: string) =>
    existsSync(join(d, 'health.lua')) || existsSync(join(d, 'check.yaml')) || existsSync(join(d, 'health_test.yaml'));
  for (const g of readdirSync(root).sort()) {
    const gdir = join(root, g);
    if (!isDir(gdir) || g.startsWith('.')) continue;
    if (isKindDir(gdir) && !g.includes('.')) {
      out.push({ dir: gdir, key: g.replace(/_/g, '*') });
      continue;
    }
    for (const k of readdirSync(gdir).sort()) {
      const kdir = join(gdir, k);
      if (!isDir(kdir) || k === 'testdata' || k === 'actions') continue;
      if (isKindDir(kdir)) out.push({ dir: kdir, key: `${g.replace(/_/g, '*')}/${k.replace(/_/g, '*')}` });
    }
  }
  return out;
}

/** Reads `check.yaml` of a kind folder (useOpenLibs, template); {} when absent. */
export function readCheckYaml(kindDir: string): { useOpenLibs?: boolean; template?: string } {
  const p = join(kindDir, 'check.yaml');
  if (!existsSync(p)) return {};
  let v: unknown;
  try {
    v = parseYamlText(readFileSync(p, 'utf8'));
  } catch (e) {
    throw new UserError(`${p}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new UserError(`${p}: expected a mapping`);
  const o = v as Record<string, unknown>;
  if (o.useOpenLibs !== undefined && typeof o.useOpenLibs !== 'boolean') {
    throw new UserError(`${p}: field useOpenLibs must be true or false`);
  }
  return { useOpenLibs: o.useOpenLibs as boolean | undefined, template: typeof o.template === 'string' ? o.template : undefined };
}

/** Scripts from a folder tree in Argo CD's resource_customizations layout. */
export function dirSource(root: string, options: DirSourceOptions = {}): ScriptSource {
  let entries: Map<string, KindFolder> | undefined;
  const loaded = new Map<string, HealthScript | undefined>();
  return {
    resolve(group, kind) {
      entries ??= new Map(kindFolders(root).map((f) => [f.key, f]));
      const folder = lookup(entries, group, kind);
      if (!folder) return undefined;
      if (loaded.has(folder.dir)) return loaded.get(folder.dir);
      let hs: HealthScript | undefined;
      const file = join(folder.dir, 'health.lua');
      const check = readCheckYaml(folder.dir);
      if (existsSync(file)) {
        hs = { groupKind: folder.key, script: readFileSync(file, 'utf8'), openLibs: check.useOpenLibs === true, origin: file };
      } else if (options.renderKind) {
        const r = options.renderKind(folder.dir);
        if (r) hs = { groupKind: folder.key, script: r.script, openLibs: r.openLibs, origin: join(folder.dir, 'check.yaml') };
      }
      loaded.set(folder.dir, hs);
      return hs;
    },
  };
}

const SPLIT_HEALTH = 'resource.customizations.health.';
const SPLIT_OPENLIBS = 'resource.customizations.useOpenLibs.';
const LEGACY = 'resource.customizations';

function splitKeyToGroupKind(rest: string): string {
  // `<group>_<Kind>`: the kind never contains `_`, so the last `_` separates them.
  const i = rest.lastIndexOf('_');
  return i < 0 ? rest : `${rest.slice(0, i)}/${rest.slice(i + 1)}`;
}

/**
 * Scripts from an argocd-cm ConfigMap (the object, or just its `data` map). Split keys
 * override the legacy block field by field, as Argo merges them.
 */
export function argocdCmSource(configMap: unknown): ScriptSource {
  let data: Record<string, unknown> = {};
  if (typeof configMap === 'object' && configMap !== null) {
    const cm = configMap as Record<string, unknown>;
    data = typeof cm.data === 'object' && cm.data !== null ? (cm.data as Record<string, unknown>) : cm.kind === undefined ? cm : {};
  }
  const merged = new Map<string, { script?: string; openLibs?: boolean; origin: string }>();
  const legacy = data[LEGACY];
  if (typeof legacy === 'string' && legacy.trim() !== '') {
    let block: unknown;
    try {
      block = parseYamlText(legacy);
    } catch (e) {
      throw new UserError(`argocd-cm ${LEGACY}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    if (typeof block === 'object' && block !== null) {
      for (const [key, v] of Object.entries(block as Record<string, unknown>)) {
        if (typeof v !== 'object' || v === null) continue;
        const o = v as Record<string, unknown>;
        const script = typeof o['health.lua'] === 'string' ? (o['health.lua'] as string) : undefined;
        const open = o['health.lua.useOpenLibs'];
        merged.set(key, { script, openLibs: open === true || open === 'true', origin: `argocd-cm ${LEGACY} "${key}"` });
      }
    }
  }
  for (const [k, v] of Object.entries(data)) {
    if (k.startsWith(SPLIT_HEALTH) && typeof v === 'string') {
      const key = splitKeyToGroupKind(k.slice(SPLIT_HEALTH.length));
      const cur = merged.get(key) ?? { origin: `argocd-cm ${k}` };
      merged.set(key, { ...cur, script: v, origin: `argocd-cm ${k}` });
    }
  }
  for (const [k, v] of Object.entries(data)) {
    if (k.startsWith(SPLIT_OPENLIBS)) {
      const key = splitKeyToGroupKind(k.slice(SPLIT_OPENLIBS.length));
      const cur = merged.get(key);
      if (cur) merged.set(key, { ...cur, openLibs: v === 'true' || v === true });
    }
  }
  const withScript = new Map([...merged].filter(([, v]) => typeof v.script === 'string' && v.script !== ''));
  return {
    resolve(group, kind) {
      const e = lookup(withScript, group, kind);
      if (!e) return undefined;
      const key = [...withScript].find(([, v]) => v === e)![0];
      return { groupKind: key, script: e.script!, openLibs: e.openLibs === true, origin: e.origin };
    },
  };
}

/** The first source that has a script for the kind (argocd-cm overrides before built-in folders). */
export function chainSources(...sources: ScriptSource[]): ScriptSource {
  return {
    resolve(group, kind) {
      for (const s of sources) {
        const hs = s.resolve(group, kind);
        if (hs) return hs;
      }
      return undefined;
    },
  };
}
