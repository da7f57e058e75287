/**
 * The file-system work of a render, as plain synchronous functions (used by TreeWriter,
 * src/render/write.ts).
 */
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RenderedFile } from './types.js';

/** Errors of link(2) that mean "this file system or this inode cannot take another link": write a copy instead. */
const NO_LINK = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS', 'EACCES']);

/**
 * First file written per content, for hard links: strings by value, bytes by their latin1
 * spelling (different maps, so a string and bytes of the same spelling never meet).
 */
export interface LinkIndex {
  text: Map<string, string>;
  bytes: Map<string, string>;
}

export const newLinkIndex = (): LinkIndex => ({ text: new Map(), bytes: new Map() });

/** Folders a list of files needs below its root, parents before children. */
function foldersOf(files: readonly RenderedFile[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    const cut = f.path.lastIndexOf('/');
    if (cut < 0) continue;
    const d = f.path.slice(0, cut);
    if (dirs.has(d)) continue;
    for (let i = d.indexOf('/'); i >= 0; i = d.indexOf('/', i + 1)) dirs.add(d.slice(0, i));
    dirs.add(d);
  }
  // A parent is a prefix of its children, so it sorts first.
  return [...dirs].sort();
}

/**
 * Writes `files` under `root`, which must already exist: folders first, then every file
 * (one synchronous open/write/close each: on these machines that is several times cheaper
 * in kernel time than the same writes through libuv's thread pool). With `links`, a file
 * whose content equals one written earlier with the same index becomes a hard link to it.
 * Stops at the first error, which it throws.
 */
export function writeTreeSync(root: string, files: readonly RenderedFile[], links?: LinkIndex): void {
  for (const d of foldersOf(files)) mkdirSync(join(root, ...d.split('/')));
  for (const f of files) {
    const abs = join(root, ...f.path.split('/'));
    if (links) {
      const map = typeof f.content === 'string' ? links.text : links.bytes;
      const key =
        typeof f.content === 'string'
          ? f.content
          : Buffer.from(f.content.buffer, f.content.byteOffset, f.content.byteLength).toString('latin1');
      const first = map.get(key);
      if (first !== undefined) {
        try {
          linkSync(first, abs);
          continue;
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (!code || !NO_LINK.has(code)) throw e;
        }
      } else {
        map.set(key, abs);
      }
    }
    // 'wx': created here, never through a name that already exists (the staging folder is new)
    writeFileSync(abs, f.content, { flag: 'wx' });
  }
}
