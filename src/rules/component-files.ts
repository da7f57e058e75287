/**
 * The files a component deploys: its folder (the ApplicationSet's `path` is the folder of
 * component.yaml), without nested component folders, plus the local bases a
 * kustomization.yaml there pulls in. Read as text (Helm templates are not YAML).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from '../yaml/document.js';
import type { Catalog, Component } from '../catalog/types.js';
import { maxFileBytes } from '../catalog/settings.js';
import { resolveInside } from '../fsutil.js';
import { readText, type ReadOptions } from '../yaml/index.js';

export interface ComponentFile {
  /** Relative to the catalog root, forward slashes. */
  file: string;
  text: string;
  /** The values of the chart the file belongs to (values.yaml next to Chart.yaml), if any. */
  values?: unknown;
}

const SKIP_DIRS = new Set(['node_modules', '.git']);
const TEXT_FILE = /\.(ya?ml|tpl)$/;
const COMPONENT_FILE = /^component(\.disabled)?\.yaml$/;
const cache = new WeakMap<Catalog, Map<string, ComponentFile[]>>();

/** Files of the folder `rel` (relative to root), recursively, skipping nested component folders. */
function folderFiles(root: string, rel: string, top: boolean): string[] {
  const abs = join(root, rel);
  let entries;
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch {
    return [];
  }
  if (!top && entries.some((e) => e.isFile() && COMPONENT_FILE.test(e.name))) return [];
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) out.push(...folderFiles(root, child, false));
    } else if (e.isFile() && TEXT_FILE.test(e.name) && !COMPONENT_FILE.test(e.name)) out.push(child);
  }
  return out;
}

/** Local paths a kustomization lists (resources, bases, components), relative to the catalog root. */
function kustomizeRefs(root: string, file: string, text: string): string[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return [];
  }
  if (typeof doc !== 'object' || doc === null) return [];
  const out: string[] = [];
  for (const key of ['resources', 'bases', 'components']) {
    const list = (doc as Record<string, unknown>)[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (typeof item !== 'string' || /:\/\/|^github\.com\/|\?ref=/.test(item)) continue;
      const rel = posix.normalize(posix.join(posix.dirname(file), item));
      if (rel.startsWith('..') || posix.isAbsolute(rel)) continue;
      if (existsSync(join(root, rel))) out.push(rel);
    }
  }
  return out;
}

/** The values.yaml of the chart holding `file` (the nearest folder up with a Chart.yaml). */
function chartValues(root: string, file: string, seen: Map<string, unknown>, bounds: ReadOptions): unknown {
  for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
    if (existsSync(join(root, dir, 'Chart.yaml'))) {
      if (!seen.has(dir)) {
        let values: unknown;
        const r = readText(join(root, dir, 'values.yaml'), bounds);
        if ('text' in r) {
          try {
            values = parse(r.text);
          } catch {
            values = undefined;
          }
        }
        seen.set(dir, values);
      }
      return seen.get(dir);
    }
    if (dir === '.' || dir === '') return undefined;
  }
}

const yamlDirs = new WeakMap<Catalog, Set<string>>();

/** Every folder holding (at any depth) a YAML file the loader listed under components/. */
function dirsWithYaml(catalog: Catalog): Set<string> {
  let set = yamlDirs.get(catalog);
  if (set) return set;
  set = new Set();
  for (const f of catalog.componentDirYamlFiles ?? []) {
    for (let d = posix.dirname(f); d !== '.' && d !== '' && !set.has(d); d = posix.dirname(d)) set.add(d);
  }
  yamlDirs.set(catalog, set);
  return set;
}

/** The files component `c` deploys (its folder and local kustomize bases), sorted, cached per catalog. */
export function componentFiles(catalog: Catalog, c: Component): ComponentFile[] {
  let byDir = cache.get(catalog);
  if (!byDir) cache.set(catalog, (byDir = new Map()));
  const dir = posix.dirname(c.file);
  const hit = byDir.get(dir);
  if (hit) return hit;
  const root = catalog.root;
  // The loader listed every YAML file of the components/ folders: a folder with none of them
  // holds no chart or manifests (a named template alone deploys nothing), so it is not read.
  if (catalog.componentDirYamlFiles && !dirsWithYaml(catalog).has(dir)) {
    byDir.set(dir, []);
    return [];
  }
  // every read stays inside the catalog after symlinks (a kustomize base may be a link) and is bounded
  const bounds: ReadOptions = { root, maxBytes: maxFileBytes(catalog.settings) };
  const files = new Set<string>();
  const queue = folderFiles(root, dir, true);
  const values = new Map<string, unknown>();
  const out: ComponentFile[] = [];
  while (queue.length > 0) {
    const f = queue.shift()!;
    if (files.has(f)) continue;
    files.add(f);
    const r = readText(join(root, f), bounds);
    if (!('text' in r)) continue;
    out.push({ file: f, text: r.text, values: chartValues(root, f, values, bounds) });
    if (/(^|\/)kustomization\.ya?ml$/i.test(f)) {
      for (const ref of kustomizeRefs(root, f, r.text)) {
        let isDir = false;
        try {
          isDir = statSync(resolveInside(root, join(root, ref))).isDirectory();
        } catch {
          continue; // missing, or leading outside the catalog through a symlink: not read
        }
        if (isDir) queue.push(...folderFiles(root, ref, true).filter((x) => !files.has(x)));
        else if (TEXT_FILE.test(ref)) queue.push(ref);
      }
    }
  }
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  byDir.set(dir, out);
  return out;
}
