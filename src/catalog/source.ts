/**
 * Where the loader reads a catalog's files from: the disk (every read contained in the catalog
 * and bounded, see SECURITY.md) or memory (the rule tester's catalogs). Paths are relative to
 * the catalog root with forward slashes; '' is the root itself.
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { FileRefused, OUTSIDE, isWithin, readBytes, resolveInside, tooBig, type ReadFs } from '../fsutil.js';
import { decodeText, readText, type YamlProblem } from '../yaml/index.js';

/** A folder entry as listed, links not followed: a symlink is `link`. */
export interface SourceEntry {
  name: string;
  kind: 'file' | 'dir' | 'link' | 'other';
}

/** The root a catalog in memory is given (nothing is there: its files are in its FileSource). */
export const MEMORY_ROOT = '/in-memory-catalog';

export interface FileSource {
  /** Entries of the folder `dir` (any order); undefined when it cannot be listed. */
  list(dir: string): SourceEntry[] | undefined;
  /** What is at `path` after links (wherever they lead); undefined when nothing is. */
  kind(path: string): 'file' | 'dir' | 'other' | undefined;
  /** What `path` is after links, if it stays inside the catalog; undefined when missing or leading outside. */
  kindInside(path: string): 'file' | 'dir' | 'other' | undefined;
  /** The text of the file at `path`: contained, bounded, UTF-8 (problems as for YAML files). */
  read(path: string): { text: string } | { problem: YamlProblem };
  /**
   * Where `path` leads after links (an identity: two paths to one file give the same), if that
   * stays inside the catalog; throws as resolveInside does (FileRefused outside, ENOENT when missing).
   */
  real(path: string): string;
  /** The bytes of the regular file at `path`: contained and bounded; throws as readBytes does (the result may be a reused buffer). */
  bytes(path: string): Uint8Array;
}

/** The catalog at `root` on disk; reads resolve inside `root` and are at most `maxBytes`. */
export function diskSource(root: string, maxBytes: number): FileSource {
  const abs = (p: string): string => (p === '' ? root : join(root, p));
  return {
    list(dir) {
      try {
        return readdirSync(abs(dir), { withFileTypes: true }).map((e) => ({
          name: e.name,
          kind: e.isSymbolicLink() ? 'link' : e.isFile() ? 'file' : e.isDirectory() ? 'dir' : 'other',
        }));
      } catch {
        return undefined;
      }
    },
    kind(p) {
      try {
        // no exception for a missing path: charts are looked for in every folder up from each file
        const st = statSync(abs(p), { throwIfNoEntry: false });
        return st === undefined ? undefined : st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
      } catch {
        return undefined;
      }
    },
    kindInside(p) {
      try {
        const st = statSync(resolveInside(root, abs(p)));
        return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
      } catch {
        return undefined; // missing, or leading outside the catalog through a symlink
      }
    },
    read: (p) => readText(abs(p), { root, maxBytes }),
    real: (p) => resolveInside(root, abs(p)),
    bytes: (p) => readBytes(resolveInside(root, abs(p)), maxBytes),
  };
}

/**
 * A catalog in memory: keys are file paths relative to the root (forward slashes), values
 * their content. Folders are the paths' prefixes; there are no links.
 */
export function memorySource(files: Readonly<Record<string, string | Uint8Array>>): FileSource {
  const content = new Map<string, string | Uint8Array>();
  const dirs = new Map<string, Map<string, SourceEntry['kind']>>([['', new Map()]]);
  for (const [path, value] of Object.entries(files)) {
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    const norm = parts.join('/');
    content.set(norm, value);
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      let entries = dirs.get(dir);
      if (!entries) dirs.set(dir, (entries = new Map()));
      entries.set(parts[i]!, i === parts.length - 1 ? 'file' : 'dir');
      if (i < parts.length - 1 && !dirs.has(parts.slice(0, i + 1).join('/'))) dirs.set(parts.slice(0, i + 1).join('/'), new Map());
    }
  }
  const norm = (p: string): string =>
    posix
      .normalize(p === '' ? '.' : p)
      .replace(/^\.$/, '')
      .replace(/\/$/, '');
  const kindOf = (path: string): 'file' | 'dir' | undefined => {
    const p = norm(path);
    return content.has(p) ? 'file' : dirs.has(p) ? 'dir' : undefined;
  };
  return {
    list: (dir) => {
      const entries = dirs.get(norm(dir));
      return entries ? [...entries].map(([name, kind]) => ({ name, kind })) : undefined;
    },
    kind: kindOf,
    kindInside: kindOf,
    read(path) {
      const v = content.get(norm(path));
      if (v === undefined)
        return {
          problem: {
            message:
              kindOf(path) === 'dir'
                ? 'cannot read the file: is a folder, expected a file'
                : 'cannot read the file: no such file or folder',
          },
        };
      return typeof v === 'string' ? { text: v.charCodeAt(0) === 0xfeff ? v.replace(/^\ufeff+/, '') : v } : decodeText(v);
    },
    real(path) {
      const p = norm(path);
      if (p === '..' || p.startsWith('../') || p.startsWith('/')) throw new FileRefused('EOUTSIDE', OUTSIDE);
      if (kindOf(p) === undefined) throw Object.assign(new Error('no such file or folder'), { code: 'ENOENT' });
      return `/${p}`;
    },
    bytes(path) {
      const v = content.get(norm(path));
      if (v === undefined) {
        const code = kindOf(path) === 'dir' ? 'EISDIR' : 'ENOENT';
        throw Object.assign(new Error(code === 'EISDIR' ? 'is a folder' : 'no such file or folder'), { code });
      }
      return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    },
  };
}

/**
 * A catalog's files by absolute path (`root` joined with the path inside the catalog), read
 * through its FileSource: what `catalog.files.fs` gives the health checks health.overrides
 * names. Nothing outside `root` is looked at; reads are contained in the catalog (and in the
 * `root` a caller gives, when that is the catalog or a folder of it) and bounded.
 */
export function sourceFs(source: FileSource, root: string): ReadFs {
  const base = resolve(root);
  /** The catalog path of `abs`, or undefined when it is not below the root by name. */
  const rel = (abs: string): string | undefined => {
    const r = relative(base, resolve(abs));
    if (r === '..' || r.startsWith(`..${sep}`) || isAbsolute(r)) return undefined;
    return r.split(sep).join('/');
  };
  const outside = (): FileRefused => new FileRefused('EOUTSIDE', OUTSIDE);
  const inside = (within: string, abs: string): string => {
    const r = rel(abs);
    if (r === undefined || !isWithin(resolve(abs), resolve(within))) throw outside();
    const real = source.real(r);
    const w = rel(within);
    if (w === undefined) throw outside();
    if (w !== '' && !isWithin(real, source.real(w))) throw outside();
    return real;
  };
  return {
    list(abs) {
      const r = rel(abs);
      if (r === undefined) throw outside();
      const entries = source.list(r);
      if (entries) return entries;
      const k = source.kind(r);
      const code = k === undefined ? 'ENOENT' : k === 'file' ? 'ENOTDIR' : 'EACCES';
      throw Object.assign(new Error(`cannot list ${r}`), { code });
    },
    kind(abs) {
      const r = rel(abs);
      return r === undefined ? undefined : source.kind(r);
    },
    isLink(abs) {
      const r = rel(abs);
      if (r === undefined || r === '') return false;
      const i = r.lastIndexOf('/');
      const name = r.slice(i + 1);
      return source.list(i < 0 ? '' : r.slice(0, i))?.some((e) => e.name === name && e.kind === 'link') === true;
    },
    resolveInside: inside,
    realRoot(abs) {
      const r = rel(abs);
      try {
        return r === undefined ? resolve(abs) : source.real(r);
      } catch {
        return resolve(abs);
      }
    },
    read(abs, bounds = {}) {
      const r = rel(abs);
      if (r === undefined) throw outside();
      if (bounds.root !== undefined) inside(bounds.root, abs);
      const bytes = source.bytes(r);
      if (bounds.maxBytes !== undefined && bytes.length > bounds.maxBytes) throw tooBig(bounds.maxBytes);
      return bytes;
    },
  };
}
