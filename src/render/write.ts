/**
 * Background work of a render: writing staged trees (TreeWriter) and packaging smoke charts
 * (ChartPackager), each on its own worker thread when wavegate runs compiled and the work is
 * large enough to pay for a thread's start-up; in the calling thread otherwise.
 * Both paths run the same functions (src/render/io.ts, src/smoke/package.ts), so the files
 * and bytes are the same.
 *
 * Why threads, and synchronous calls inside them: writing many small files with fs.writeFile
 * through libuv's thread pool cost several times the kernel time of writeFileSync in one
 * thread, and each zlib stream started from the main thread cost it time of its own (figures
 * in bench/README.md). A worker doing plain synchronous calls leaves the main thread free to
 * render the next environment.
 */
import { mkdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { packageChart, type ChartFile } from '../smoke/package.js';
import { newLinkIndex, writeTreeSync, type LinkIndex } from './io.js';
import type { IoReply, IoRequest } from './io-worker.js';
import type { RenderedFile } from './types.js';

const WORKER_URL = new URL('./io-worker.js', import.meta.url);
/** Worker threads need the compiled worker file (tests that import src/*.ts run everything in this thread). */
const COMPILED = import.meta.url.endsWith('.js');

/** Trees with fewer files are written in the calling thread (a worker's start-up would cost more). */
export const TREE_THREAD_MIN_FILES = 256;
/** The first this many charts are packaged in the calling thread; a worker takes the rest. */
export const PACKAGE_THREAD_AFTER = 32;

/** A request without its id (Omit distributed over the union). */
type Send = IoRequest extends infer R ? (R extends IoRequest ? Omit<R, 'id'> : never) : never;

/** One worker thread with request/reply by id. The thread keeps the process alive only while a request is open. */
class IoThread {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly open = new Map<number, { resolve: (r: IoReply) => void; reject: (e: Error) => void }>();
  private broken: Error | undefined;

  constructor() {
    this.worker = new Worker(WORKER_URL);
    this.worker.unref();
    this.worker.on('message', (r: IoReply) => {
      const w = this.open.get(r.id);
      if (!w) return;
      this.open.delete(r.id);
      if (this.open.size === 0) this.worker.unref();
      w.resolve(r);
    });
    const fail = (e: Error): void => {
      this.broken ??= e;
      for (const w of this.open.values()) w.reject(e);
      this.open.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`render worker thread stopped (exit code ${code})`)));
  }

  request(message: Send, transfer: ArrayBuffer[] = []): Promise<IoReply> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise<IoReply>((resolve, reject) => {
      if (this.open.size === 0) this.worker.ref();
      this.open.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id } as IoRequest, transfer);
    });
  }

  async close(): Promise<void> {
    this.broken ??= new Error('render worker thread closed');
    await this.worker.terminate();
  }
}

function errorOf(e: { message: string; code?: string }): Error {
  const err = new Error(e.message) as NodeJS.ErrnoException;
  if (e.code !== undefined) err.code = e.code;
  return err;
}

export interface TreeWriterOptions {
  /**
   * Files with the same content as a file already written by this writer (the chart
   * skeleton of every smoke chart, health tests shared by environments) are made hard links
   * to it instead of new files: same bytes, one inode. Default true. Only files this writer
   * itself wrote are linked, never earlier output.
   */
  links?: boolean;
  /** Allow a worker thread for large trees (default: when running compiled). */
  thread?: boolean;
}

/** Writes one or more trees in the background; `settle()` waits for everything and reports the first error. */
export class TreeWriter {
  private readonly links: boolean;
  private readonly threadAllowed: boolean;
  private readonly linkIndex: LinkIndex = newLinkIndex();
  private io: IoThread | undefined;
  private readonly pending: Promise<void>[] = [];
  private error: Error | undefined;

  constructor(options: TreeWriterOptions = {}) {
    this.links = options.links ?? true;
    this.threadAllowed = (options.thread ?? true) && COMPILED;
  }

  /** Starts writing `files` under `root` (made now, synchronously; it must not exist yet). After a failure, later trees are not written. */
  writeTree(root: string, files: readonly RenderedFile[]): void {
    mkdirSync(root);
    if (this.error) return;
    if (!this.io && (!this.threadAllowed || files.length < TREE_THREAD_MIN_FILES)) {
      try {
        writeTreeSync(root, files, this.links ? this.linkIndex : undefined);
      } catch (e) {
        this.error = e as Error;
      }
      return;
    }
    this.io ??= new IoThread();
    this.pending.push(
      this.io.request({ type: 'tree', root, files: files as RenderedFile[], links: this.links }).then(
        (r) => {
          if (r.error) this.error ??= errorOf(r.error);
        },
        (e: Error) => {
          this.error ??= e;
        },
      ),
    );
  }

  /** Waits until every tree is written (or failed); throws the first error, if any. */
  async settle(): Promise<void> {
    while (this.pending.length > 0) await Promise.all(this.pending.splice(0));
    if (this.io) {
      const io = this.io;
      this.io = undefined;
      await io.close();
    }
    if (this.error) throw this.error;
  }
}

export interface ChartPackagerOptions {
  /** Allow a worker thread once more than PACKAGE_THREAD_AFTER charts were packaged (default: when running compiled). */
  thread?: boolean;
}

/** Packages charts as packageChart does (same bytes), on a worker thread for all but the first few. */
export class ChartPackager {
  private readonly threadAllowed: boolean;
  private io: IoThread | undefined;
  private count = 0;

  constructor(options: ChartPackagerOptions = {}) {
    this.threadAllowed = (options.thread ?? true) && COMPILED;
  }

  async package(chartName: string, files: readonly ChartFile[]): Promise<Buffer> {
    if (!this.threadAllowed || ++this.count <= PACKAGE_THREAD_AFTER) return packageChart(chartName, files);
    this.io ??= new IoThread();
    const r = await this.io.request({ type: 'package', name: chartName, files: files as ChartFile[] });
    if (r.error) throw errorOf(r.error);
    const d = r.data!;
    return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  }

  async close(): Promise<void> {
    const io = this.io;
    this.io = undefined;
    if (io) await io.close();
  }
}
