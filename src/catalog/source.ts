/**
 * Where the loader reads a catalog's files from: the disk (every read contained in the catalog
 * and bounded, see SECURITY.md) or memory (the rule tester's catalogs). Paths are relative to
 * the catalog root with forward slashes; '' is the root itself.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { resolveInside } from '../fsutil.js';
import { decodeText, readText, type YamlProblem } from '../yaml/index.js';

/** A folder entry as listed, links not followed: a symlink is `other`. */
export interface SourceEntry {
  name: string;
  kind: 'file' | 'dir' | 'other';
}

export interface FileSource {
  /** Entries of the folder `dir` (any order); undefined when it cannot be listed. */
  list(dir: string): SourceEntry[] | undefined;
  /** What is at `path` after links (wherever they lead); undefined when nothing is. */
  kind(path: string): 'file' | 'dir' | 'other' | undefined;
  /** What `path` is after links, if it stays inside the catalog; undefined when missing or leading outside. */
  kindInside(path: string): 'file' | 'dir' | 'other' | undefined;
  /** The text of the file at `path`: contained, bounded, UTF-8 (problems as for YAML files). */
  read(path: string): { text: string } | { problem: YamlProblem };
}

/** The catalog at `root` on disk; reads resolve inside `root` and are at most `maxBytes`. */
export function diskSource(root: string, maxBytes: number): FileSource {
  const abs = (p: string): string => (p === '' ? root : join(root, p));
  return {
    list(dir) {
      try {
        return readdirSync(abs(dir), { withFileTypes: true }).map((e) => ({
          name: e.name,
          kind: e.isFile() ? 'file' : e.isDirectory() ? 'dir' : 'other',
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
  };
}
