/**
 * The catalog's files other than component.yaml and wavegate.yaml, as the loaded model holds
 * them for rules and renderers: the manifests (every YAML document with positions) and the
 * files each component deploys (text, for Helm templates are not YAML). They are read through
 * the catalog's FileSource (contained and bounded on disk) the first time they are asked for,
 * then kept with the catalog; rules never read files themselves. The check folders
 * health.overrides names are read through the same source (`fs`).
 */
import { posix } from 'node:path';
import { parseManifests, parseValue as parse } from '../yaml/index.js';
import { MEMORY_ROOT, sourceFs, type FileSource, type SourceEntry } from './source.js';
import type { CatalogFiles, Component, ComponentFile, ManifestDoc } from './types.js';

/**
 * The marker every environment folder a render writes holds (src/render/marker.ts): the manifest
 * walk skips folders that have it, for render output is not catalog input.
 */
export const RENDER_MARKER = '.wavegate-render';

const SKIP_DIRS = new Set(['node_modules', '.git']);
const TEXT_FILE = /\.(ya?ml|tpl)$/;
const COMPONENT_FILE = /^component(\.disabled)?\.yaml$/;
const byName = (a: SourceEntry, b: SourceEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const byFile = (a: { file: string }, b: { file: string }): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

/** componentFiles of a folder without YAML files (one frozen list: a catalog has thousands). */
const NO_FILES = Object.freeze([]) as unknown as ComponentFile[];

interface ManifestFile {
  file: string;
  text: string;
  docs?: ManifestDoc[];
}

/**
 * The files of a catalog read through `source`. `envNames`: the loaded environments;
 * `componentDirYamlFiles`: the YAML files (other than component.yaml) the loader met below
 * `environments/<env|_shared>/components/`, relative and sorted, when it walked every
 * environment (those folders are then not walked again).
 */
export function catalogFiles(
  source: FileSource,
  envNames: readonly string[],
  componentDirYamlFiles?: readonly string[],
  root: string = MEMORY_ROOT,
): CatalogFiles {
  let manifests: ManifestFile[] | undefined;
  let dirsWithYaml: Set<string> | undefined;
  const deployed = new Map<string, ComponentFile[]>();

  /**
   * Every `.yaml`/`.yml` file under the catalog root except component files
   * (`environments/** /component*.yaml`) and `wavegate.yaml`; hidden folders, node_modules and
   * folders holding wavegate's render marker are skipped, links are not followed. Sorted by path.
   */
  const manifestFiles = (): ManifestFile[] => {
    if (manifests) return manifests;
    const files: ManifestFile[] = [];
    const listed = componentDirYamlFiles;
    // The loader has listed every components/ folder already: take its list, skip those folders.
    const componentDirs = new Set(listed ? ['_shared', ...envNames].map((e) => `environments/${e}/components`) : []);
    const walk = (rel: string): void => {
      const entries = source.list(rel);
      if (!entries) return;
      // wavegate's own render output (OUT/<env> holds its marker) is not a manifest of the catalog:
      // its health testdata would look like real objects
      if (entries.some((e) => e.name === RENDER_MARKER && e.kind === 'file')) return;
      entries.sort(byName);
      const underEnvironments = rel === 'environments' || rel.startsWith('environments/');
      for (const e of entries) {
        const childRel = rel ? `${rel}/${e.name}` : e.name;
        if (e.kind === 'dir') {
          if (!e.name.startsWith('.') && !SKIP_DIRS.has(e.name) && !componentDirs.has(childRel)) walk(childRel);
          continue;
        }
        if (e.kind !== 'file' || !/\.ya?ml$/.test(e.name)) continue;
        if (underEnvironments && COMPONENT_FILE.test(e.name)) continue;
        if (childRel === 'wavegate.yaml') continue;
        const r = source.read(childRel);
        if ('text' in r) files.push({ file: childRel, text: r.text });
      }
    };
    walk('');
    if (listed) {
      for (const rel of listed) {
        const parts = rel.split('/');
        if (parts.some((x) => x.startsWith('.') || SKIP_DIRS.has(x)) || COMPONENT_FILE.test(parts[parts.length - 1]!)) continue;
        const r = source.read(rel);
        if ('text' in r) files.push({ file: rel, text: r.text });
      }
      files.sort(byFile);
    }
    return (manifests = files);
  };

  /** Files of the folder `rel`, recursively, skipping nested component folders. */
  const folderFiles = (rel: string, top: boolean): string[] => {
    const entries = source.list(rel);
    if (!entries) return [];
    if (!top && entries.some((e) => e.kind === 'file' && COMPONENT_FILE.test(e.name))) return [];
    entries.sort(byName);
    const out: string[] = [];
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.kind === 'dir') {
        if (!e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) out.push(...folderFiles(child, false));
      } else if (e.kind === 'file' && TEXT_FILE.test(e.name) && !COMPONENT_FILE.test(e.name)) out.push(child);
    }
    return out;
  };

  /** Local paths a kustomization lists (resources, bases, components), relative to the catalog root. */
  const kustomizeRefs = (file: string, text: string): string[] => {
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
        if (source.kind(rel) !== undefined) out.push(rel);
      }
    }
    return out;
  };

  /** The values.yaml of the chart holding `file` (the nearest folder up with a Chart.yaml). */
  const chartValues = (file: string, seen: Map<string, unknown>): unknown => {
    for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
      const at = dir === '.' ? '' : dir;
      if (source.kind(at === '' ? 'Chart.yaml' : `${at}/Chart.yaml`) !== undefined) {
        if (!seen.has(dir)) {
          let values: unknown;
          const r = source.read(at === '' ? 'values.yaml' : `${at}/values.yaml`);
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
  };

  return {
    componentDirYamlFiles,
    fs: sourceFs(source, root),
    kind: (path) => source.kind(path),
    kindInside: (path) => source.kindInside(path),
    manifestDocuments(needle) {
      const out: ManifestDoc[] = [];
      for (const f of manifestFiles()) {
        if (!f.text.includes(needle)) continue;
        f.docs ??= parseManifests(f.text).map((d) => ({ file: f.file, value: d.value, locate: d.locate }));
        out.push(...f.docs);
      }
      return out;
    },

    componentFiles(c: Component) {
      const dir = posix.dirname(c.file);
      const hit = deployed.get(dir);
      if (hit) return hit;
      // The loader listed every YAML file of the components/ folders: a folder with none of them
      // holds no chart or manifests (a named template alone deploys nothing), so it is not read.
      if (componentDirYamlFiles) {
        if (!dirsWithYaml) {
          dirsWithYaml = new Set();
          for (const f of componentDirYamlFiles) {
            for (let d = posix.dirname(f); d !== '.' && d !== '' && !dirsWithYaml.has(d); d = posix.dirname(d)) dirsWithYaml.add(d);
          }
        }
        if (!dirsWithYaml.has(dir)) return NO_FILES;
      }
      const files = new Set<string>();
      const queue = folderFiles(dir, true);
      const values = new Map<string, unknown>();
      const out: ComponentFile[] = [];
      while (queue.length > 0) {
        const f = queue.shift()!;
        if (files.has(f)) continue;
        files.add(f);
        const r = source.read(f);
        if (!('text' in r)) continue;
        out.push({ file: f, text: r.text, values: chartValues(f, values) });
        if (/(^|\/)kustomization\.ya?ml$/i.test(f)) {
          for (const ref of kustomizeRefs(f, r.text)) {
            // a base that is missing, or leads outside the catalog through a symlink, is not read
            const kind = source.kindInside(ref);
            if (kind === 'dir') queue.push(...folderFiles(ref, true).filter((x) => !files.has(x)));
            else if (kind !== undefined && TEXT_FILE.test(ref)) queue.push(ref);
          }
        }
      }
      out.sort(byFile);
      deployed.set(dir, out);
      return out;
    },
  };
}

/** The documents of the catalog's manifest files whose text contains `needle` (see CatalogFiles). */
export function manifestDocuments(catalog: { files: CatalogFiles }, needle: string): ManifestDoc[] {
  return catalog.files.manifestDocuments(needle);
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

export type { ManifestDoc, ComponentFile } from './types.js';
