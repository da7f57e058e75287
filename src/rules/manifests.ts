import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../catalog/types.js';
import { RENDER_MARKER } from '../render/marker.js';
import { maxFileBytes } from '../catalog/settings.js';
import { parseManifests, readText, type LoadedYaml } from '../yaml/index.js';

/** One YAML document of a manifest file under the catalog root. */
export interface ManifestDoc {
  /** Path relative to the catalog root, forward slashes. */
  file: string;
  value: unknown;
  locate: LoadedYaml['locate'];
}

interface ManifestFile {
  file: string;
  text: string;
  docs?: ManifestDoc[];
}

const SKIP_DIRS = new Set(['node_modules', '.git']);
const cache = new WeakMap<Catalog, ManifestFile[]>();

/**
 * Every `.yaml`/`.yml` file under the catalog root except component files
 * (`environments/** /component*.yaml`) and `wavegate.yaml`; hidden folders and
 * node_modules are skipped and links are not followed. Sorted by path. Cached per catalog.
 */
function manifestFiles(catalog: Catalog): ManifestFile[] {
  let files = cache.get(catalog);
  if (files) return files;
  files = [];
  const bounds = { root: catalog.root, maxBytes: maxFileBytes(catalog.settings) };
  let skipDir: (rel: string) => boolean = () => false;
  const walk = (abs: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    // wavegate's own render output (OUT/<env> holds its marker) is not a manifest of the catalog:
    // its health testdata would look like real objects
    if (entries.some((e) => e.name === RENDER_MARKER && e.isFile())) return;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const underEnvironments = rel === 'environments' || rel.startsWith('environments/');
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && !SKIP_DIRS.has(e.name) && !skipDir(childRel)) walk(join(abs, e.name), childRel);
        continue;
      }
      if (!e.isFile() || !/\.ya?ml$/.test(e.name)) continue;
      if (underEnvironments && /^component(\.disabled)?\.yaml$/.test(e.name)) continue;
      if (childRel === 'wavegate.yaml') continue;
      const r = readText(join(abs, e.name), bounds);
      if ('text' in r) files!.push({ file: childRel, text: r.text });
    }
  };
  // The loader has listed every components/ folder already: take its list, skip those folders.
  const listed = catalog.componentDirYamlFiles;
  const componentDirs = new Set(listed ? ['_shared', ...catalog.environments.map((e) => e.name)].map((e) => `environments/${e}/components`) : []);
  skipDir = (rel) => componentDirs.has(rel);
  walk(catalog.root, '');
  if (listed) {
    for (const rel of listed) {
      const parts = rel.split('/');
      if (parts.some((x) => x.startsWith('.') || SKIP_DIRS.has(x)) || /^component(\.disabled)?\.yaml$/.test(parts[parts.length - 1]!)) continue;
      const r = readText(join(catalog.root, rel), bounds);
      if ('text' in r) files.push({ file: rel, text: r.text });
    }
    files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }
  cache.set(catalog, files);
  return files;
}

/**
 * The documents of every manifest file whose text contains `needle` (a cheap filter before
 * parsing). Documents that are not valid YAML (e.g. Helm templates) are skipped.
 */
export function manifestDocuments(catalog: Catalog, needle: string): ManifestDoc[] {
  const out: ManifestDoc[] = [];
  for (const f of manifestFiles(catalog)) {
    if (!f.text.includes(needle)) continue;
    f.docs ??= parseManifests(f.text).map((d) => ({ file: f.file, value: d.value, locate: d.locate }));
    out.push(...f.docs);
  }
  return out;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `obj.a.b.c` when every step is an object, else undefined. */
export function dig(obj: unknown, path: readonly string[]): unknown {
  let v: unknown = obj;
  for (const k of path) {
    if (!isObject(v)) return undefined;
    v = v[k];
  }
  return v;
}
