/**
 * Smoke charts: for every smoke component of an environment that checks something, a Helm
 * chart (`smokes/<component>/`), its deterministic package (`smokes/<component>-<version>.tgz`)
 * and one Helm repository index for the environment (`smokes/index.yaml`).
 *
 * The chart skeleton (templates, values schema) and the check script ship in the package
 * under `smokes/`; this module fills Chart.yaml and values.yaml from the catalog.
 */
import { escapeControl } from '../names.js';
import { readdirSync, readFileSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import { join } from 'node:path';
import { dumpYaml } from '../yaml/index.js';
import { PACKAGE_ROOT } from '../catalog/schemas.js';
import type { Catalog, Component, Environment } from '../catalog/types.js';
import {
  SMOKE_CHECK_FIELDS,
  SMOKE_CHECK_TYPES,
  type SmokeCheckEntries,
  type SmokeCheckField,
  type SmokeCheckType,
} from '../catalog/smoke-checks.js';
import type { Finding } from '../findings.js';
import type { RenderContext, RenderedFile, Renderer, RenderResult } from '../render/types.js';
import { packageChart, repositoryIndex, type ChartFile, type IndexEntry } from './package.js';
import { hasChecks, smokeSettings, type SmokeSettings } from './settings.js';
export { hasChecks } from './settings.js';
export { guessPlural, isClusterScoped } from '../catalog/smoke-checks.js';

const SMOKES_DIR = 'smokes';
const SKELETON = join(PACKAGE_ROOT, 'smokes', 'chart');
const SCRIPT = join(PACKAGE_ROOT, 'smokes', 'check.sh');

interface SkeletonFile {
  path: string;
  content: string;
}
let skeleton: SkeletonFile[] | undefined;

/** Files of the chart skeleton plus the script at files/check.sh, sorted by path. */
function skeletonFiles(): SkeletonFile[] {
  if (skeleton) return skeleton;
  const out: SkeletonFile[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(dir, e.name), r);
      else if (e.isFile()) out.push({ path: r, content: readFileSync(join(dir, e.name), 'utf8') });
    }
  };
  walk(SKELETON, '');
  out.push({ path: 'files/check.sh', content: readFileSync(SCRIPT, 'utf8') });
  skeleton = out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return skeleton;
}

/** One check entry as chart values, by its type's row of the smoke check table. */
function checkValues<F extends SmokeCheckField>(
  f: F,
  e: SmokeCheckEntries[F],
  ns: (n?: string) => { namespace?: string },
): Record<string, unknown> {
  return (SMOKE_CHECK_TYPES[f] as SmokeCheckType<SmokeCheckEntries[F]>).values(e, ns);
}

/** values.yaml content (as data) for one smoke component. */
export function smokeValues(c: Component, settings: SmokeSettings): Record<string, unknown> {
  const s = c.smoke!;
  const ns = (n?: string): { namespace?: string } => {
    const v = n ?? c.namespace;
    return v === undefined ? {} : { namespace: v };
  };
  return {
    image: { ...settings.image },
    mode: (s.mode as SmokeSettings['mode'] | undefined) ?? settings.mode,
    runner: settings.runner,
    hook: s.hook ?? 'PostSync',
    attempts: settings.attempts,
    sleepSeconds: settings.sleepSeconds,
    timeoutSeconds: s.timeoutSeconds ?? settings.timeoutSeconds,
    requestTimeoutSeconds: settings.requestTimeoutSeconds,
    ttlSecondsAfterFinished: settings.ttlSecondsAfterFinished,
    resources: { requests: { ...settings.resources.requests }, limits: { ...settings.resources.limits } },
    checks: {
      ...Object.fromEntries(SMOKE_CHECK_FIELDS.map((f) => [f, s[f].map((e) => checkValues(f, e, ns))])),
    },
  };
}

export interface SmokeChart {
  name: string;
  version: string;
  /** Chart folder files (Chart.yaml first). */
  files: ChartFile[];
  /** Chart.yaml as data (for the repository index). */
  metadata: Record<string, unknown>;
  /** The packaged chart. */
  archive: Buffer;
}

/**
 * What every chart shares, worked out once per process: the skeleton files as the chart
 * lists them (sorted, values.yaml's place among them), their bytes for the tar, and the
 * content hash state after the files that sort before values.yaml.
 */
interface Prepared {
  before: SkeletonFile[];
  after: SkeletonFile[];
  bytes: Map<string, Buffer>;
  hashBefore: Hash;
}
let prepared: Prepared | undefined;

function prepare(): Prepared {
  if (prepared) return prepared;
  const files = skeletonFiles();
  const before = files.filter((f) => f.path < 'values.yaml');
  const after = files.filter((f) => f.path > 'values.yaml');
  if (before.length + after.length !== files.length) throw new Error('the smoke chart skeleton must not ship its own values.yaml');
  const hashBefore = createHash('sha256');
  for (const f of before) hashBefore.update(`${f.path}\0${f.content}\0`);
  prepared = { before, after, bytes: new Map(files.map((f) => [f.path, Buffer.from(f.content, 'utf8')])), hashBefore };
  return prepared;
}

/**
 * The published version of a smoke chart: the catalog's version (smoke.version, else
 * smoke.chartVersion) plus SemVer build metadata naming the environment and the first 10 hex
 * digits of the content hash: `0.1.0+dev.3f2a9c01b7`. Every environment and every change of
 * content gets its own name-version, so charts of all environments share one registry without
 * overwriting (an OCI tag cannot hold `+`: helm push writes `_`, and helm pull reads it back).
 */
export function chartVersion(base: string, environment: string, contentHash: string): string {
  const env = environment.replace(/[^0-9A-Za-z-]+/g, '-').replace(/^-+|-+$/g, '') || 'env';
  return `${base}+${env}.${contentHash.slice(0, 10)}`;
}

/** File name of a packaged smoke chart: `<name>-<version>.tgz` with the version's `+` as `_`. */
function packageFileName(name: string, version: string): string {
  return `${name}-${version.replace(/\+/g, '_')}.tgz`;
}

/** Builds the chart of one smoke component (with checks) of one environment. */
export async function buildSmokeChart(
  c: Component,
  env: Environment,
  settings: SmokeSettings,
  pack: RenderContext['packageChart'] = packageChart,
): Promise<SmokeChart> {
  const values = smokeValues(c, settings);
  const header = [
    `# Rendered by wavegate from ${escapeControl(c.file)}`,
    `# (environment ${escapeControl(env.name)}). Do not edit: change the catalog and re-render, or override`,
    '# these values when installing the chart (helm --set / Application helm.valuesObject).',
    '',
  ].join('\n');
  const pre = prepare();
  const valuesText = header + dumpYaml(values);
  const content: ChartFile[] = [...pre.before, { path: 'values.yaml', content: valuesText }, ...pre.after];
  // The content hash covers every file but Chart.yaml, so any change of checks, settings,
  // templates or script changes the version's build metadata, appVersion and the annotation.
  const h = pre.hashBefore.copy().update(`values.yaml\0${valuesText}\0`);
  for (const f of pre.after) h.update(`${f.path}\0${f.content}\0`);
  const hash = h.digest('hex');
  const version = chartVersion((c.smoke!.version as string | undefined) ?? settings.chartVersion, env.name, hash);
  const validates = c.smoke!.validates;
  const metadata: Record<string, unknown> = {
    apiVersion: 'v2',
    name: c.name,
    description: `Smoke checks of ${c.name} (rendered by wavegate): ExternalSecrets Ready, Secrets with their keys, named objects' conditions.`,
    type: 'application',
    version,
    appVersion: hash.slice(0, 12),
    annotations: {
      'wavegate.dev/content-sha256': hash,
      'wavegate.dev/environment': env.name,
      'wavegate.dev/source': c.file,
      ...(validates.length > 0 ? { 'wavegate.dev/validates': validates.join(',') } : {}),
    },
  };
  const files: ChartFile[] = [{ path: 'Chart.yaml', content: dumpYaml(metadata) }, ...content];
  const tarFiles = files.map((f) => ({ path: f.path, content: pre.bytes.get(f.path) ?? f.content }));
  return { name: c.name, version, files, metadata, archive: await pack(c.name, tarFiles) };
}

/** Renders `smokes/` for one environment: chart folders, packages and the repository index. */
export const renderSmokes: Renderer = async (catalog: Catalog, env: Environment, context?: RenderContext): Promise<RenderResult> => {
  const settings = smokeSettings(catalog.settings);
  const findings: Finding[] = [];
  const files: RenderedFile[] = [];
  const entries: IndexEntry[] = [];
  const smokes = env.components.filter((c) => c.componentType === 'smoke' && hasChecks(c));
  // Charts are built many at a time so that their packaging (on another thread) overlaps the
  // rendering of the next ones; the output order stays the components' order.
  const charts: SmokeChart[] = new Array(smokes.length);
  const CONCURRENT = 64;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < smokes.length) {
      const i = next++;
      charts[i] = await buildSmokeChart(smokes[i]!, env, settings, context?.packageChart);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT, smokes.length) }, worker));
  for (const chart of charts) {
    for (const f of chart.files) files.push({ path: `${SMOKES_DIR}/${chart.name}/${f.path}`, content: f.content });
    // `+` written as `_` in the file name (as helm push does for OCI tags): object stores and
    // some web servers read a `+` in a URL path as a space. The index keeps the real version.
    const tgz = packageFileName(chart.name, chart.version);
    files.push({ path: `${SMOKES_DIR}/${tgz}`, content: chart.archive });
    entries.push({ metadata: chart.metadata, url: tgz, archive: chart.archive });
  }
  if (smokes.length > 0) {
    files.push({ path: `${SMOKES_DIR}/index.yaml`, content: repositoryIndex(entries) });
  }
  const names =
    smokes
      .slice(0, 5)
      .map((c) => c.name)
      .join(', ') + (smokes.length > 5 ? `, and ${smokes.length - 5} more` : '');
  const summary = `smokes: ${smokes.length} chart${smokes.length === 1 ? '' : 's'}${smokes.length > 0 ? ` (${names})` : ''}`;
  return { files, findings, summary };
};
