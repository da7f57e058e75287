/**
 * Reader thread of a catalog load (see readCatalogFiles in src/catalog/load.ts): walks the
 * component folders and reads every component.yaml while the loading thread parses and
 * validates what was already read. It sends batches in walk order: each batch names its
 * root, the files (relative path, absolute path, and the bytes' place in the batch's buffer or
 * the read error) and the other YAML files met. After each message it bumps a shared counter
 * and notifies it, so the loading thread can wait synchronously (Atomics.wait) and take the
 * message with receiveMessageOnPort.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { readBytes } from '../fsutil.js';
import { decodeText, fastPathValue } from '../yamlfile.js';
import { walkComponents } from './walk.js';

/**
 * One component file of a batch: rel, abs, offset and length of its bytes, then either the
 * read error (code, message) and what fastPathValue gave for its text: the value as JSON, 0
 * when the fast path does not apply (or the text is not valid UTF-8: the loading thread
 * reports that itself), 1 when it was not parsed here (the loading thread was close behind).
 */
export type ReadRecord = [rel: string, abs: string, offset: number, length: number, code: string | undefined, message: string | undefined, fast: string | 0 | 1];

export type ReaderMessage =
  | { root: number; files: ReadRecord[]; others: string[]; bytes: Uint8Array }
  | { done: true }
  | { fatal: string };

export interface ReaderData {
  roots: [dir: string, relDir: string][];
  seq: SharedArrayBuffer;
  port: MessagePort;
}

/** Files per batch, and bytes per batch: small enough that parsing starts early, large enough to keep messages few. */
const BATCH_FILES = 64;
const BATCH_BYTES = 256 * 1024;

/** True when JSON carries `v` exactly (fastYaml gives plain data; only a number like 1e400 is not JSON). */
function jsonExact(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.every(jsonExact);
  for (const k in v) if (!jsonExact((v as Record<string, unknown>)[k])) return false;
  return true;
}

/**
 * The file parsed here, as JSON: the loading thread's JSON.parse is several times cheaper
 * than parsing the YAML, and gives the same value (plain objects, arrays, strings, finite
 * numbers, booleans, null; key order kept).
 */
export function fastJson(bytes: Uint8Array): string | 0 {
  const t = decodeText(bytes);
  if ('problem' in t) return 0;
  const fast = fastPathValue(t.text);
  return fast !== null && jsonExact(fast.value) ? JSON.stringify(fast.value) : 0;
}

/**
 * The thread parses a file itself only while it is this many files ahead of the loading
 * thread (which then has parsing to do anyway); closer than that, the loading thread is
 * waiting for files, so they are sent unparsed and it parses them.
 */
const PARSE_WHEN_AHEAD = 256;

function run(data: ReaderData): void {
  // [0]: messages sent (bumped and notified after each); [1]: files the loading thread has taken
  const seq = new Int32Array(data.seq);
  let produced = 0;
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
        component(abs, rel) {
          try {
            const b = Buffer.from(readBytes(abs)); // a copy: readBytes returns a reused buffer
            const ahead = produced - Atomics.load(seq, 1) >= PARSE_WHEN_AHEAD;
            files.push([rel, abs, size, b.length, undefined, undefined, ahead ? fastJson(b) : 1]);
            chunks.push(b);
            size += b.length;
          } catch (e) {
            const err = e as NodeJS.ErrnoException;
            files.push([rel, abs, 0, 0, err.code ?? 'EIO', err.message, 1]);
          }
          produced++;
          if (files.length >= BATCH_FILES || size >= BATCH_BYTES) flush();
        },
        other(rel) {
          others.push(rel);
        },
      });
      flush();
    });
    send({ done: true });
  } catch (e) {
    send({ fatal: (e as Error).stack ?? String(e) });
  }
}

if (workerData && (workerData as Partial<ReaderData>).seq instanceof SharedArrayBuffer) run(workerData as ReaderData);
