import type { Catalog, Environment } from '../catalog/types.js';
import type { Finding } from '../findings.js';

/** One file of rendered output, path relative to `DIR/<env>/` (or `DIR/.tests/<env>/`) with forward slashes. */
export interface RenderedFile {
  path: string;
  content: string | Uint8Array;
}

/** What a renderer produces for one environment. */
export interface RenderResult {
  /** What is applied or deployed: written to `DIR/<env>/`. */
  files: RenderedFile[];
  /**
   * What is only tested (a health check's copy, its health_test.yaml and testdata): written
   * to `DIR/.tests/<env>/` (TESTS_DIR), apart from what is applied, so nothing pointed at
   * `DIR/<env>` picks up test objects. Paths relative to that folder.
   */
  testFiles?: RenderedFile[];
  /** Problems that stop or limit rendering (e.g. a gated kind without a check). */
  findings: Finding[];
  /** One short line for the render summary (e.g. "health: 18 checks, 4 kinds left to Argo CD"). */
  summary?: string;
}

/**
 * Shared by the renderer calls of one render (all environments of one catalog): a place to
 * keep work whose inputs are the same in every environment (e.g. verifying a health check).
 * Made fresh for each render; nothing is kept across renders.
 */
export interface RenderContext {
  memo: Map<string, unknown>;
  /** Packages a chart of these files (paths inside the chart folder; same bytes as smoke/package.ts packageChart), possibly on a worker thread. */
  packageChart?: (chartName: string, files: readonly RenderedFile[]) => Promise<Buffer>;
}

/** A renderer turns one environment of a validated catalog into files (health patch, smoke charts, ...). */
export type Renderer = (catalog: Catalog, env: Environment, context?: RenderContext) => RenderResult | Promise<RenderResult>;
