import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** True when `p` is (or links to) a regular file; false when missing or unreadable. */
export function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** True when `p` is (or links to) a folder; false when missing or unreadable. */
export function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Largest file wavegate reads for a catalog, a test folder or an override (4 MiB) unless
 * wavegate.yaml sets `limits.maxFileBytes`. The largest file of the library and the examples
 * is far below it; a file above it is refused unread (a finding or an error naming it).
 */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Why a file was refused without reading it (`code` mirrors Node's error codes). */
export type RefusalCode = 'EOUTSIDE' | 'ENOTREG' | 'ETOOBIG';

/** A file wavegate will not read: outside its root, not a regular file, or too large. */
export class FileRefused extends Error {
  readonly code: RefusalCode;
  constructor(code: RefusalCode, message: string) {
    super(message);
    this.name = 'FileRefused';
    this.code = code;
  }
}

/** Reused read buffer: a catalog load reads tens of thousands of small files. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** Open flags for reads: O_NONBLOCK so that a FIFO planted as a file does not block the open. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The bytes of a regular file of at most `maxBytes` bytes (open, fstat, reads, close). Anything
 * else (a device such as /dev/zero, a FIFO, a folder, a larger file) is refused with
 * FileRefused before more than `maxBytes + 1` bytes are read. The result is a view of
 * `scratch`: valid until the next call.
 */
export function readBytes(absPath: string, maxBytes: number = DEFAULT_MAX_FILE_BYTES): Buffer {
  const fd = openSync(absPath, READ_FLAGS);
  let n = 0;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    if (!st.isFile()) throw new FileRefused('ENOTREG', 'not a regular file');
    if (st.size > maxBytes) throw tooBig(maxBytes);
    for (;;) {
      if (n === scratch.length) {
        if (n > maxBytes) throw tooBig(maxBytes);
        const bigger = Buffer.allocUnsafe(Math.min(scratch.length * 2, maxBytes + 1));
        scratch.copy(bigger);
        scratch = bigger;
      }
      const want = scratch.length - n;
      const r = readSync(fd, scratch, n, want, null);
      n += r;
      if (n > maxBytes) throw tooBig(maxBytes);
      // A short read of a regular file has reached the end: no second read to see 0 bytes.
      if (r < want) break;
    }
  } finally {
    closeSync(fd);
  }
  if (scratch.length > 1024 * 1024) {
    // a large file: hand over this buffer, keep a small one for the next files
    const big = scratch.subarray(0, n);
    scratch = Buffer.allocUnsafe(64 * 1024);
    return big;
  }
  return scratch.subarray(0, n);
}

export function tooBig(maxBytes: number): FileRefused {
  return new FileRefused('ETOOBIG', `larger than ${formatBytes(maxBytes)} (limits.maxFileBytes in wavegate.yaml)`);
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** True when `child` is `parent` or below it (both absolute, resolved). */
export function isWithin(child: string, parent: string): boolean {
  if (child === parent) return true;
  return child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

export const OUTSIDE = 'it leads outside its folder (through a symlink or ..)';

const realRoots = new Map<string, string>();

/** realpath of a root folder (cached: roots do not move during a run). */
export function realRoot(root: string): string {
  const abs = resolve(root);
  let r = realRoots.get(abs);
  if (r === undefined) {
    try {
      r = realpathSync.native(abs);
    } catch {
      r = abs;
    }
    realRoots.set(abs, r);
  }
  return r;
}

/**
 * Where `abs` leads after every symlink, if that is inside `root` (also resolved); otherwise
 * throws FileRefused EOUTSIDE (or the realpath error, e.g. ENOENT or ELOOP).
 */
export function resolveInside(root: string, abs: string): string {
  // A path that leaves the root by name is refused before any look at it (so whether
  // something exists outside is not told either).
  const named = resolve(abs);
  if (!isWithin(named, resolve(root)) && !isWithin(named, realRoot(root))) throw new FileRefused('EOUTSIDE', OUTSIDE);
  const real = realpathSync.native(abs);
  if (!isWithin(real, realRoot(root))) throw new FileRefused('EOUTSIDE', OUTSIDE);
  return real;
}

/** readBytes of a file that must resolve inside `root` (see resolveInside). */
function readInside(root: string, abs: string, maxBytes?: number): Buffer {
  return readBytes(resolveInside(root, abs), maxBytes);
}

/** readInside as UTF-8 text (a copy). */
export function readTextInside(root: string, abs: string, maxBytes?: number): string {
  return readInside(root, abs, maxBytes).toString('utf8');
}

/** True when a path as written in a file is absolute or climbs out with `..` (after normalising). */
export function escapesByName(p: string): boolean {
  if (isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\')) return true;
  const rel = relative('/r', resolve('/r', p));
  return rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith('../');
}

/**
 * Why a file system call failed, in wavegate's words (never Node's text, never an absolute
 * path): to follow "<path as the user wrote it>: ".
 */
export function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err instanceof FileRefused) return err.message;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, expected a file';
    case 'ELOOP':
      return 'too many levels of symlinks (a symlink loop)';
    case 'ENAMETOOLONG':
      return 'path too long';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    case 'EEXIST':
      return 'already exists';
    case 'EXDEV':
      return 'on another file system';
    case 'EBUSY':
      return 'busy';
    default:
      if (
        err instanceof RangeError ||
        err?.code === 'ERR_OUT_OF_RANGE' ||
        err?.code === 'ERR_FS_FILE_TOO_LARGE' ||
        err?.code === 'ERR_STRING_TOO_LONG'
      )
        return 'too large to read';
      return err?.code ? `cannot be read or written (${err.code})` : 'cannot be read or written';
  }
}

/** A path for messages: relative to the working folder when below it, else as given. */
export function shownPath(abs: string, asGiven?: string): string {
  if (asGiven !== undefined && !isAbsolute(asGiven)) return asGiven;
  if (asGiven !== undefined) return asGiven;
  const rel = relative(process.cwd(), abs);
  return rel === '' ? '.' : rel.startsWith('..') ? abs : rel;
}

export interface AtomicWriteOptions {
  /** Mode of a new file (default 0644 less the umask); an existing file keeps its own mode. */
  mode?: number;
  /**
   * When `abs` is a symlink: write the file it leads to, if that is inside this folder;
   * without `root` a symlink is refused. Either way the link itself stays a link.
   */
  root?: string;
}

/**
 * Replaces (or creates) `abs` safely: the content goes into a new file created exclusively
 * (O_CREAT|O_EXCL, never through a planted name or symlink) under a random name in the
 * target's folder, is fsynced, given the existing file's mode, and renamed over the target;
 * the folder is fsynced after the rename. A symlink is never written through: a link whose
 * target resolves inside `root` has its target replaced (the link stays), anything else is
 * refused. Returns the path written (the link's target for a link).
 */
export function writeFileAtomic(abs: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): string {
  let target = abs;
  let mode = options.mode;
  let st;
  try {
    st = lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (st?.isSymbolicLink()) {
    if (options.root === undefined) throw new FileRefused('EOUTSIDE', 'is a symlink; wavegate does not write through symlinks');
    let real: string;
    try {
      real = resolveInside(options.root, abs);
    } catch (e) {
      if (e instanceof FileRefused)
        throw new FileRefused(
          'EOUTSIDE',
          'is a symlink to a file outside the catalog; not written (replace the link with the file to let wavegate edit it)',
        );
      throw e;
    }
    target = real;
    st = lstatSync(real);
  }
  if (st && !st.isFile()) throw new FileRefused('ENOTREG', 'not a regular file; not written');
  if (st) mode = st.mode & 0o7777;
  const dir = dirname(target);
  let tmp = '';
  let fd = -1;
  for (let attempt = 0; fd < 0; attempt++) {
    tmp = join(dir, `.${basenameOf(target)}.wavegate-${randomBytes(6).toString('hex')}.tmp`);
    try {
      fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode ?? 0o666);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 8) throw e;
    }
  }
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    // openSync's mode is masked by the umask: set the existing file's mode exactly.
    if (mode !== undefined) fchmodSync(fd, mode);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(tmp, target);
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* already renamed or gone */
    }
    throw e;
  }
  syncDir(dir);
  return target;
}

function basenameOf(p: string): string {
  const i = p.lastIndexOf(sep);
  return i >= 0 ? p.slice(i + 1) : p;
}

/** fsync of a folder (so a rename in it survives a crash); ignored where folders cannot be opened. */
function syncDir(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    /* not supported here (e.g. Windows) */
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** A folder entry as listed, links not followed. */
export interface ReadFsEntry {
  name: string;
  kind: 'file' | 'dir' | 'link' | 'other';
}

/**
 * The file operations the health checks are read with, by absolute path: the disk (`diskFs`:
 * wavegate's own library, `wavegate health` commands) or a loaded catalog's files
 * (`catalog.files.fs`, read through the catalog's FileSource: the override checks of
 * health.overrides, so that rules read no files themselves). Failures throw errors with Node's
 * codes (or FileRefused), for fsReason to name.
 */
export interface ReadFs {
  /** The entries of folder `abs` (readdir); throws when it cannot be listed. */
  list(abs: string): ReadFsEntry[];
  /** What `abs` is after links; undefined when nothing is there (or it cannot be looked at). */
  kind(abs: string): 'file' | 'dir' | 'other' | undefined;
  /** True when `abs` itself is a symlink. */
  isLink(abs: string): boolean;
  /** `abs` after every link (realpath), if that is inside `root`; throws as resolveInside does. */
  resolveInside(root: string, abs: string): string;
  /** realRoot: a folder after its links (an identity: two paths to one folder give the same). */
  realRoot(abs: string): string;
  /**
   * The bytes of the regular file `abs`, resolved inside `bounds.root` when given, at most
   * `bounds.maxBytes`; throws as readBytes does. The result may be a reused buffer: valid until the next read.
   */
  read(abs: string, bounds?: { root?: string; maxBytes?: number }): Uint8Array;
}

/** The disk as a ReadFs. */
export const diskFs: ReadFs = {
  list: (abs) =>
    readdirSync(abs, { withFileTypes: true }).map((e) => ({
      name: e.name,
      kind: e.isSymbolicLink() ? 'link' : e.isFile() ? 'file' : e.isDirectory() ? 'dir' : 'other',
    })),
  kind(abs) {
    try {
      const st = statSync(abs);
      return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
    } catch {
      return undefined;
    }
  },
  isLink(abs) {
    try {
      return lstatSync(abs).isSymbolicLink();
    } catch {
      return false;
    }
  },
  resolveInside,
  realRoot,
  read: (abs, bounds = {}) => readBytes(bounds.root !== undefined ? resolveInside(bounds.root, abs) : abs, bounds.maxBytes),
};
