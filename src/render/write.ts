/**
 * Writes a rendered tree in the background while the next environment renders: folders are
 * made in order (each after its parent), files are written with libuv's thread pool, a few at
 * a time, so file creation (the costly part on ext4: ~0.1-0.3 ms of kernel time per new
 * inode) overlaps rendering and gzip instead of following them.
 */
import { mkdir, mkdirSync, writeFile } from 'node:fs';
import { join } from 'node:path';
import type { RenderedFile } from './types.js';

/** File system operations in flight at once: enough to keep a core busy, few enough that gzip jobs of the next charts still find a pool thread. */
const IN_FLIGHT = 3;

/** Background writer of one or more trees; `settle()` waits for everything and reports the first error. */
export class TreeWriter {
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
        ensure(d)
          .then(() => this.run((cb) => writeFile(join(root, ...f.path.split('/')), f.content, cb)))
          .then(
            () => this.finish(),
            (e: Error) => this.finish(e),
          );
      }
    }
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
