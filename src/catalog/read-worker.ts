/**
 * Reader thread of a catalog load (see readOnThread in src/catalog/load.ts): walks the
 * component folders and reads every component.yaml while the loading thread parses and
 * validates what was already read. It sends batches in walk order: each batch names its
 * root, the files (relative path, and the bytes' place in the batch's buffer or
 * the read error) and the other YAML files met. After each message it bumps a shared counter
 * and notifies it, so the loading thread can wait synchronously (Atomics.wait) and take the
 * message with receiveMessageOnPort.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { FileRefused, readBytes, resolveInside } from '../fsutil.js';
import { OUTSIDE_FOLDER_MESSAGE } from './walk.js';
import { walkComponents } from './walk.js';

/** One component file of a batch: relative path, offset and length of its bytes, or the read error's code and message. */
export type ReadRecord = [rel: string, offset: number, length: number, code?: string, message?: string];

export type ReaderMessage =
  | { root: number; files: ReadRecord[]; others: string[]; bytes: Uint8Array }
  | { done: true }
  | { fatal: string };

export interface ReaderData {
  roots: [dir: string, relDir: string][];
  /** Catalog root: every file read resolves inside it. */
  root: string;
  maxBytes: number;
  seq: SharedArrayBuffer;
  port: MessagePort;
}

/** Files per batch, and bytes per batch: small enough that parsing starts early, large enough to keep messages few. */
const BATCH_FILES = 64;
const BATCH_BYTES = 256 * 1024;

function run(data: ReaderData): void {
  const seq = new Int32Array(data.seq);
  const send = (m: ReaderMessage, transfer: ArrayBuffer[] = []): void => {
    data.port.postMessage(m, transfer);
    Atomics.add(seq, 0, 1);
    Atomics.notify(seq, 0);
  };
  try {
    data.roots.forEach(([dir, relDir], root) => {
      let files: ReadRecord[] = [];
      let others: string[] = [];
      let chunks: Buffer[] = [];
      let size = 0;
      const flush = (): void => {
        if (files.length === 0 && others.length === 0) return;
        const bytes = new Uint8Array(size);
        let at = 0;
        for (const c of chunks) {
          bytes.set(c, at);
          at += c.length;
        }
        send({ root, files, others, bytes }, [bytes.buffer]);
        files = [];
        others = [];
        chunks = [];
        size = 0;
      };
      walkComponents(dir, relDir, {
        component(abs, rel, link) {
          try {
            const b = Buffer.from(readBytes(link ? resolveInside(data.root, abs) : abs, data.maxBytes)); // a copy: readBytes returns a reused buffer
            files.push([rel, size, b.length]);
            chunks.push(b);
            size += b.length;
          } catch (e) {
            const err = e as NodeJS.ErrnoException;
            files.push([rel, 0, 0, err.code ?? 'EIO', err instanceof FileRefused ? err.message : undefined]);
          }
          if (files.length >= BATCH_FILES || size >= BATCH_BYTES) flush();
        },
        other(rel) {
          others.push(rel);
        },
        outside(rel) {
          files.push([rel, 0, 0, 'EOUTSIDE', OUTSIDE_FOLDER_MESSAGE]);
        },
      }, data.root);
      flush();
    });
    send({ done: true });
  } catch (e) {
    send({ fatal: (e as Error).stack ?? String(e) });
  }
}

if (workerData && (workerData as Partial<ReaderData>).seq instanceof SharedArrayBuffer) run(workerData as ReaderData);
