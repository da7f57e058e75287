/**
 * Worker thread of a render (see src/render/write.ts): writes staged trees, or packages smoke
 * charts, with the same functions the calling thread would use. Messages are handled in
 * order; each gets one reply with its id.
 */
import { parentPort } from 'node:worker_threads';
import { packageChartHere, type ChartFile } from '../smoke/package.js';
import { newLinkIndex, writeTreeSync } from './io.js';
import type { RenderedFile } from './types.js';

export type IoRequest =
  | { id: number; type: 'tree'; root: string; files: RenderedFile[]; links: boolean }
  | { id: number; type: 'package'; name: string; files: ChartFile[] };

export type IoReply = { id: number; error?: { message: string; code?: string }; data?: Uint8Array };

const port = parentPort;
if (port) {
  const links = newLinkIndex();
  port.on('message', (m: IoRequest) => {
    if (m.type === 'tree') {
      let reply: IoReply = { id: m.id };
      try {
        writeTreeSync(m.root, m.files, m.links ? links : undefined);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        reply = { id: m.id, error: { message: err.message, code: err.code } };
      }
      port.postMessage(reply);
      return;
    }
    packageChartHere(m.name, m.files).then(
      (buf) => {
        // Hand the bytes over without a copy: a Buffer that owns its whole ArrayBuffer.
        const own = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength ? buf : new Uint8Array(buf);
        port.postMessage({ id: m.id, data: own } satisfies IoReply, [own.buffer as ArrayBuffer]);
      },
      (e: Error) => port.postMessage({ id: m.id, error: { message: e.message } } satisfies IoReply),
    );
  });
}
