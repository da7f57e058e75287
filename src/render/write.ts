/**
 * Writes a rendered tree in the background while the next environment renders: folders are
 * made in order (each after its parent), files are written with libuv's thread pool, a few at
 * a time, so file creation (the costly part on ext4: ~0.1-0.3 ms of kernel time per new
 * inode) overlaps rendering and gzip instead of following them. A file whose content was
 * already written by this writer becomes a hard link to that file (no new inode) unless
 * `links: false`.
 */
import { link, mkdir, mkdirSync, writeFile } from 'node:fs';
import { join } from 'node:path';
import type { RenderedFile } from './types.js';

/** File system operations in flight at once: enough to keep a core busy, few enough that gzip jobs of the next charts still find a pool thread. */
const IN_FLIGHT = 3;

/** Errors of link(2) that mean "this file system or this inode cannot take another link": write a copy instead. */
const NO_LINK = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS', 'EACCES']);

export interface TreeWriterOptions {
  /**
   * Files with the same content as a file already written by this writer (the chart
   * skeleton of every smoke chart, health tests shared by environments) are made hard links
   * to it instead of new files: same bytes, one inode. Default true. Only files this writer
   * itself wrote are linked, never earlier output.
   */
  links?: boolean;
}

/** Background writer of one or more trees; `settle()` waits for everything and reports the first error. */
export class TreeWriter {
  private readonly links: boolean;
  /** First file written per content (strings by value, bytes by their latin1 spelling), with its write. */
  private readonly firstByText = new Map<string, { abs: string; written: Promise<void> }>();
  private readonly firstByBytes = new Map<string, { abs: string; written: Promise<void> }>();

  constructor(options: TreeWriterOptions = {}) {
    this.links = options.links ?? true;
  }

  private queue: (() => void)[] = [];
  private head = 0;
  private running = 0;
  private pending = 0;
  private error: Error | undefined;
  private idle: (() => void) | undefined;

  /** Starts writing `files` under `root` (made now, synchronously; it must not exist yet). */
  writeTree(root: string, files: readonly RenderedFile[]): void {
    mkdirSync(root);
    // Folders first, parents before children (sorted paths put a parent before its children),
    // then the files of each folder once it exists.
    const byDir = new Map<string, RenderedFile[]>();
    for (const f of files) {
      const cut = f.path.lastIndexOf('/');
      const dir = cut < 0 ? '' : f.path.slice(0, cut);
      let list = byDir.get(dir);
      if (!list) byDir.set(dir, (list = []));
      list.push(f);
    }
    const dirs = new Set<string>();
    for (const d of byDir.keys()) {
      for (let i = d.indexOf('/'); i >= 0; i = d.indexOf('/', i + 1)) dirs.add(d.slice(0, i));
      if (d !== '') dirs.add(d);
    }
    const made = new Map<string, Promise<void>>([['', Promise.resolve()]]);
    const ensure = (d: string): Promise<void> => {
      let p = made.get(d);
      if (p) return p;
      const cut = d.lastIndexOf('/');
      const parent = cut < 0 ? '' : d.slice(0, cut);
      p = ensure(parent).then(() => this.run((cb) => mkdir(join(root, ...d.split('/')), cb)));
      made.set(d, p);
      return p;
    };
    for (const d of [...dirs].sort()) ensure(d).catch(() => undefined);
    for (const [d, list] of byDir) {
      for (const f of list) {
        this.pending++;
        const abs = join(root, ...f.path.split('/'));
        const write = (): Promise<void> => this.run((cb) => writeFile(abs, f.content, cb));
        let done: Promise<void>;
        const first = this.links ? this.firstOf(f.content) : undefined;
        if (first?.has) {
          const src = first.has;
          done = Promise.all([ensure(d), src.written]).then(() =>
            this.run((cb) => link(src.abs, abs, cb)).catch((e: NodeJS.ErrnoException) => (e.code && NO_LINK.has(e.code) ? write() : Promise.reject(e))),
          );
        } else {
          done = ensure(d).then(write);
          first?.set({ abs, written: done });
        }
        done.then(
          () => this.finish(),
          (e: Error) => this.finish(e),
        );
      }
    }
  }

  /** The first file with this content, or how to record this one as the first. */
  private firstOf(content: string | Uint8Array): { has?: { abs: string; written: Promise<void> }; set: (v: { abs: string; written: Promise<void> }) => void } {
    const map = typeof content === 'string' ? this.firstByText : this.firstByBytes;
    const key = typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('latin1');
    return { has: map.get(key), set: (v) => map.set(key, v) };
  }

  private finish(e?: Error): void {
    if (e && !this.error) this.error = e;
    this.pending--;
    if (this.pending === 0 && this.idle) this.idle();
  }

  /** Runs one callback-style fs operation when a slot is free; after an error, the rest are skipped. */
  private run(op: (cb: (err: NodeJS.ErrnoException | null) => void) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const start = (): void => {
        if (this.error) {
          this.next();
          reject(this.error);
          return;
        }
        this.running++;
        op((err) => {
          this.running--;
          this.next();
          if (err) reject(err);
          else resolve();
        });
      };
      if (this.running < IN_FLIGHT) start();
      else this.queue.push(start);
    });
  }

  private next(): void {
    while (this.running < IN_FLIGHT && this.head < this.queue.length) {
      const start = this.queue[this.head++]!;
      if (this.head === this.queue.length) {
        this.queue = [];
        this.head = 0;
      }
      start();
    }
  }

  /** Waits until nothing is in flight; throws the first error, if any. */
  async settle(): Promise<void> {
    if (this.pending > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    this.idle = undefined;
    if (this.error) throw this.error;
  }
}
