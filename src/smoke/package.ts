/**
 * Deterministic Helm chart packaging (the `.tgz` that `helm package` would make) and the Helm
 * repository `index.yaml`. Same input, same bytes: entries in a fixed order (Chart.yaml first,
 * then by path), fixed mtime/owner/mode, and a gzip header with no timestamp and a fixed OS byte.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { dumpYaml } from '../yaml/index.js';

export interface ChartFile {
  /** Path inside the chart folder, forward slashes (e.g. `templates/job.yaml`). */
  path: string;
  content: string | Uint8Array;
}

/** Fixed mtime of every entry of a packaged chart. */
const PACKAGE_MTIME = new Date(0);

const bytes = (c: string | Uint8Array): Buffer =>
  typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);

/** Chart.yaml first (Helm reads it to know the chart), then every other file by path. */
function packageOrder(files: readonly ChartFile[]): ChartFile[] {
  const rank = (p: string): number => (p === 'Chart.yaml' ? 0 : 1);
  return [...files].sort((a, b) => rank(a.path) - rank(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The tar archive (uncompressed) of a chart: entries `<chartName>/<path>`. */
async function tarChart(chartName: string, files: readonly ChartFile[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', resolve);
    p.on('error', reject);
  });
  // Entries are queued at once (tar-stream writes them one after another, in this order).
  const written = packageOrder(files).map((f) => {
    const data = bytes(f.content);
    return new Promise<void>((resolve, reject) => {
      p.entry(
        {
          name: `${chartName}/${f.path}`,
          size: data.length,
          mode: 0o644,
          mtime: PACKAGE_MTIME,
          uid: 0,
          gid: 0,
          uname: '',
          gname: '',
          type: 'file',
        },
        data,
        (err) => (err ? reject(err) : resolve()),
      );
    });
  });
  await Promise.all(written);
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** zlib's default level, as `helm package` compresses (Go's gzip.DefaultCompression); level 9 costs far more time for barely smaller packages (bench/README.md). */
const GZIP_LEVEL = 6;
const gzipAsync = promisify(gzip);

function fixGzipHeader(gz: Buffer): Buffer {
  gz.writeUInt32LE(0, 4);
  gz[9] = 3;
  return gz;
}

/**
 * The packaged chart, gzip with a deterministic header (MTIME 0 and OS byte 3, Unix,
 * whatever the platform). Compression runs on libuv's thread pool, so a caller packaging many charts at once keeps the main thread for
 * rendering while other cores compress.
 */
export async function packageChart(chartName: string, files: readonly ChartFile[]): Promise<Buffer> {
  return fixGzipHeader(await gzipAsync(await tarChart(chartName, files), { level: GZIP_LEVEL }));
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** One entry of a Helm repository index: the chart's metadata plus where and what the package is. */
export interface IndexEntry {
  /** Chart.yaml fields as written (apiVersion, name, version, ...). */
  metadata: Record<string, unknown>;
  /** File name of the package, relative to the index (Helm resolves it against the repo URL). */
  url: string;
  /** The package's bytes, for the digest. */
  archive: Uint8Array;
}

/** Fixed `generated` time, so re-rendering the index gives the same bytes. */
const INDEX_GENERATED = '1970-01-01T00:00:00Z';

/**
 * A Helm repository index (`apiVersion: v1`, `entries: {name: [versions]}`), charts by name
 * and, for one name, versions in the order given. Each entry carries the sha256 `digest` of
 * its package, as `helm repo index` writes.
 */
export function repositoryIndex(entries: readonly IndexEntry[]): string {
  const byName = new Map<string, Record<string, unknown>[]>();
  const sorted = [...entries].sort((a, b) => {
    const an = String(a.metadata.name);
    const bn = String(b.metadata.name);
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
  for (const e of sorted) {
    const name = String(e.metadata.name);
    const list = byName.get(name) ?? [];
    list.push({ ...e.metadata, created: INDEX_GENERATED, digest: sha256Hex(e.archive), urls: [e.url] });
    byName.set(name, list);
  }
  return dumpYaml({ apiVersion: 'v1', entries: Object.fromEntries(byName), generated: INDEX_GENERATED });
}
