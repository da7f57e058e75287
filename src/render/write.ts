/**
 * Writing a render's staged trees (TreeWriter) and packaging its smoke charts (ChartPackager)
 * with the functions in src/render/io.ts and src/smoke/package.ts. Trees are written with
 * plain synchronous calls: on the 2-core machines writing 12,000 small files with
 * fs.writeFile through libuv's thread pool cost several times the kernel time of writeFileSync (bench/README.md). Chart
 * compression runs on libuv's thread pool (packageChart) while the next charts render.
 */
import { mkdirSync } from 'node:fs';
import { packageChart, type ChartFile } from '../smoke/package.js';
import { newLinkIndex, writeTreeSync, type LinkIndex } from './io.js';
import type { RenderedFile } from './types.js';

export interface TreeWriterOptions {
  /**
   * Files with the same content as a file already written by this writer (the chart
   * skeleton of every smoke chart, health tests shared by environments) are made hard links
   * to it instead of new files: same bytes, one inode. Default true. Only files this writer
   * itself wrote are linked, never earlier output.
   */
  links?: boolean;
}

/** Writes one or more trees; `settle()` reports the first error. */
export class TreeWriter {
  private readonly links: boolean;
  private readonly linkIndex: LinkIndex = newLinkIndex();
  private error: Error | undefined;

  constructor(options: TreeWriterOptions = {}) {
    this.links = options.links ?? true;
  }

  /** Writes `files` under `root` (made now; it must not exist yet). After a failure, later trees are not written. */
  writeTree(root: string, files: readonly RenderedFile[]): void {
    mkdirSync(root);
    if (this.error) return;
    try {
      writeTreeSync(root, files, this.links ? this.linkIndex : undefined);
    } catch (e) {
      this.error = e as Error;
    }
  }

  /** Throws the first error of the trees written, if any. */
  async settle(): Promise<void> {
    if (this.error) throw this.error;
  }
}

/** Packages charts as packageChart does. */
export class ChartPackager {
  async package(chartName: string, files: readonly ChartFile[]): Promise<Buffer> {
    return packageChart(chartName, files);
  }

  async close(): Promise<void> {}
}
