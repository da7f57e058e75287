/**
 * `wavegate render`: runs every renderer over every environment of a checked catalog and
 * writes `DIR/<env>/...` (what is applied) and `DIR/.tests/<env>/...` (what is only tested)
 * atomically. Everything is rendered in memory first; nothing is
 * written when the catalog check or a renderer reports an error. Each environment's folders
 * are written beside their destinations and then swapped in by rename, so a reader never sees a
 * half-written environment and a failed render leaves the previous output as it was.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fsReason } from '../fsutil.js';
import { acquireOutputLock, type OutputLock } from './lock.js';
import type { Catalog } from '../catalog/types.js';
import { checkCatalog } from '../check.js';
import { UserError } from '../errors.js';
import { countBySeverity, sortFindings, type Finding } from '../findings.js';
import { renderHealth } from '../health/render.js';
import { renderSmokes } from '../smoke/render.js';
import { RENDER_MARKER, TESTS_DIR } from './marker.js';
import type { RenderContext, RenderedFile, Renderer } from './types.js';
import { ChartPackager, TreeWriter } from './write.js';

/** The renderers, in order; each adds files to `DIR/<env>/` (and test files to `DIR/.tests/<env>/`). */
export const RENDERERS: Renderer[] = [renderHealth, renderSmokes];

export interface RenderOptions {
  /** Output folder; each environment goes to `<out>/<env>/`. */
  out: string;
  /** Only this environment. */
  env?: string;
  /** Renderers to run (default RENDERERS). */
  renderers?: readonly Renderer[];
  /**
   * Write files whose content equals a file already written by this render as hard links to
   * it (default false; falls back to a copy where the file system refuses). Same bytes, far
   * fewer new inodes: every smoke chart ships the same templates and script. Off by default
   * because an in-place edit of one linked file would show in all of them.
   */
  links?: boolean;
  /** Told once when another render holds the lock of `out` and this one waits for it. */
  onLockWait?: (holder: string) => void;
  /** Told as each environment is rendered (`render` shows it on a terminal). */
  onProgress?: (done: number, total: number, env: string) => void;
}

export interface EnvironmentOutput {
  name: string;
  /** Absolute folder written: what is applied (`<out>/<env>`). */
  dir: string;
  files: RenderedFile[];
  /** Absolute folder of what is only tested (`<out>/.tests/<env>`); written even when it has no files, so it always matches the render. */
  testDir: string;
  testFiles: RenderedFile[];
  summary: string[];
}

export interface RenderReport {
  /** False when error findings stopped the render (nothing was written). */
  written: boolean;
  findings: Finding[];
  environments: EnvironmentOutput[];
  /**
   * Folders a previous render wrote for an environment the catalog no longer has: removed.
   * Paths relative to OUT with forward slashes: `<env>` and `.tests/<env>`.
   */
  removed?: string[];
  /** Folders of OUT (or of OUT/.tests) named like no environment of the catalog and not written by wavegate: left alone. Relative to OUT, as `removed`. */
  foreign?: string[];
}

const SAFE_SEGMENT = /^[A-Za-z0-9._-]+$/;

function checkPath(p: string, env: string): void {
  const parts = p.split('/');
  if (p.startsWith('/') || parts.some((s) => s === '' || s === '.' || s === '..' || !SAFE_SEGMENT.test(s))) {
    throw new Error(`renderer produced an unsafe path "${p}" for environment ${env}`);
  }
}

const byPath = (files: Map<string, RenderedFile>): RenderedFile[] =>
  [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

/**
 * Checks the catalog, then renders each environment in turn and hands it to `onEnvironment`
 * (when given) as soon as it is rendered. Returns all findings and the environments; stops
 * rendering at nothing (renderer findings of every environment are wanted in the report).
 */
async function renderEach(
  catalog: Catalog,
  options: Omit<RenderOptions, 'out'> & { out?: string },
  onEnvironment?: (env: EnvironmentOutput) => void,
): Promise<{ findings: Finding[]; environments: EnvironmentOutput[] }> {
  const findings: Finding[] = checkCatalog(catalog);
  const envs = options.env === undefined ? catalog.environments : catalog.environments.filter((e) => e.name === options.env);
  if (options.env !== undefined && envs.length === 0) {
    const names = catalog.environments.map((e) => e.name);
    throw new UserError(`--env: no environment "${options.env}" in the catalog (environments: ${names.join(', ') || 'none'})`);
  }
  const environments: EnvironmentOutput[] = [];
  if (countBySeverity(findings).errors === 0) {
    const outRoot = resolve(options.out ?? '.');
    const packager = new ChartPackager();
    const context: RenderContext = { memo: new Map(), packageChart: (name, files) => packager.package(name, files) };
    try {
      for (const env of envs) {
        const files = new Map<string, RenderedFile>();
        const testFiles = new Map<string, RenderedFile>();
        const summary: string[] = [];
        for (const renderer of options.renderers ?? RENDERERS) {
          const r = await renderer(catalog, env, context);
          for (const f of r.findings) findings.push({ ...f, environment: f.environment ?? env.name });
          if (r.summary) summary.push(r.summary);
          for (const f of r.files) {
            checkPath(f.path, env.name);
            if (files.has(f.path)) throw new Error(`two renderers wrote ${env.name}/${f.path}`);
            files.set(f.path, f);
          }
          for (const f of r.testFiles ?? []) {
            checkPath(f.path, env.name);
            if (testFiles.has(f.path)) throw new Error(`two renderers wrote ${TESTS_DIR}/${env.name}/${f.path}`);
            testFiles.set(f.path, f);
          }
        }
        const out: EnvironmentOutput = {
          name: env.name,
          dir: join(outRoot, env.name),
          files: byPath(files),
          testDir: join(outRoot, TESTS_DIR, env.name),
          testFiles: byPath(testFiles),
          summary,
        };
        environments.push(out);
        options.onProgress?.(environments.length, envs.length, env.name);
        if (onEnvironment && countBySeverity(findings).errors === 0) onEnvironment(out);
      }
    } finally {
      await packager.close();
    }
  }
  return { findings, environments };
}

/** Renders every environment in memory (no writes). */
export async function renderInMemory(catalog: Catalog, options: Omit<RenderOptions, 'out'> & { out?: string }): Promise<RenderReport> {
  const { findings, environments } = await renderEach(catalog, options);
  const all = sortFindings(findings);
  return { written: false, findings: all, environments: countBySeverity(all).errors === 0 ? environments : [] };
}

export { RENDER_MARKER, TESTS_DIR } from './marker.js';
const MARKER_TEXT = 'This folder was written by wavegate render; the next render to the same --out replaces it whole.\n';

/** A folder name for messages: relative to the working folder when below it. */
function shown(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel === '' ? '.' : rel.startsWith('..') ? abs : rel;
}

/**
 * Refuses to replace `dir` unless wavegate wrote it: it must be missing, or a real folder
 * (not a symlink) holding RENDER_MARKER.
 */
function checkReplaceable(dir: string): void {
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    return;
  }
  const why = st.isSymbolicLink()
    ? 'is a symlink'
    : !st.isDirectory()
      ? 'is not a folder'
      : !existsSync(join(dir, RENDER_MARKER))
        ? `was not written by wavegate render (no ${RENDER_MARKER} in it)`
        : undefined;
  if (why !== undefined) {
    throw new UserError(
      `--out: ${shown(dir)} exists and ${why}; render replaces only environment folders it wrote. Remove it, or choose another --out`,
    );
  }
}

/**
 * `OUT/.tests` holds only folders render writes, each with its marker; it must be missing or a
 * real folder: a symlink there would send the test tree outside OUT.
 */
function checkTestsRoot(dir: string): void {
  let st;
  try {
    st = lstatSync(dir);
  } catch {
    return;
  }
  const why = st.isSymbolicLink() ? 'is a symlink' : !st.isDirectory() ? 'is not a folder' : undefined;
  if (why !== undefined) {
    throw new UserError(
      `--out: ${shown(dir)} exists and ${why}; render writes the health checks' tests there (${TESTS_DIR}/<env>). Remove it, or choose another --out`,
    );
  }
}

/**
 * Cleans up after a render that was killed while swapping: leftover new folders are removed;
 * if the destination is missing but the previous output was moved aside, it is put back
 * first (so the old output, not nothing, is what a crash leaves).
 */
function recoverInterrupted(dir: string): void {
  const parent = dirname(dir);
  if (!existsSync(parent)) return;
  const base = basename(dir);
  const siblings = readdirSync(parent).sort();
  const olds = siblings.filter((n) => n.startsWith(`${base}.wavegate-old-`));
  // Called with the output lock held: no other render is writing beside `dir`, so every
  // staging folder found is a dead render's.
  for (const n of siblings.filter((x) => x.startsWith(`${base}.wavegate-new-`))) rmSync(join(parent, n), { recursive: true, force: true });
  if (!existsSync(dir) && olds.length > 0) renameSync(join(parent, olds[olds.length - 1]!), dir);
  for (const n of olds) if (existsSync(join(parent, n))) rmSync(join(parent, n), { recursive: true, force: true });
}

/** One folder being written: `tmp` is renamed to `dir` on swap (an existing `dir` moved aside to `old` first). */
interface Staged {
  dir: string;
  tmp: string;
  old: string;
}

function removeStaged(staged: readonly Staged[]): void {
  for (const s of staged) rmSync(s.tmp, { recursive: true, force: true });
}

/**
 * Swaps written environments in: old folder renamed aside, new one renamed into place, old
 * one removed. On failure already-moved folders are put back and the new ones removed.
 */
function swapIn(staged: readonly Staged[]): void {
  const swapped: { dir: string; old: string; hadOld: boolean }[] = [];
  try {
    for (const s of staged) {
      const hadOld = existsSync(s.dir);
      if (hadOld) renameSync(s.dir, s.old);
      swapped.push({ dir: s.dir, old: s.old, hadOld });
      renameSync(s.tmp, s.dir);
    }
  } catch (e) {
    for (const w of swapped.reverse()) {
      // pushed before the rename of the new folder: if w.dir exists, it is the new one
      if (existsSync(w.dir)) rmSync(w.dir, { recursive: true, force: true });
      if (w.hadOld && existsSync(w.old)) renameSync(w.old, w.dir);
    }
    removeStaged(staged);
    throw new UserError(`could not swap in the render output: ${fsReason(e)} (previous output restored)`);
  }
  for (const w of swapped) if (w.hadOld) rmSync(w.old, { recursive: true, force: true });
}

/** Swapping `<out>/<env>` replaces that folder: refuse outputs that would replace the catalog itself. */
function guardOutput(catalog: Catalog, out: string): void {
  const root = resolve(catalog.root);
  const inside = (child: string, parent: string): boolean =>
    child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
  const envs = join(root, 'environments');
  const clash = catalog.environments.some((e) => inside(root, join(out, e.name)) || inside(root, join(out, TESTS_DIR, e.name)));
  if (clash || inside(out, envs)) {
    throw new UserError(
      `--out ${out}: rendering there would replace folders of the catalog ${root}; choose an output folder outside environments/ (e.g. ${join(root, 'out')})`,
    );
  }
}

/**
 * Checks the catalog, renders every environment and writes `<out>/<env>/` and
 * `<out>/.tests/<env>/` atomically.
 * With error findings nothing is written (`written: false`).
 *
 * Each environment is written into a temporary folder beside its destination while the next
 * one renders; only when every environment rendered without error findings and every file is
 * written are the folders swapped in. Otherwise the temporary folders are removed and the
 * previous output stays as it was.
 */
export async function renderCatalog(catalog: Catalog, options: RenderOptions): Promise<RenderReport> {
  const outRoot = resolve(options.out);
  guardOutput(catalog, outRoot);
  const created = !existsSync(outRoot);
  try {
    mkdirSync(outRoot, { recursive: true });
  } catch (e) {
    throw new UserError(`--out ${options.out}: ${fsReason(e)}`);
  }
  const lock = await acquireOutputLock(outRoot, options.out, undefined, options.onLockWait);
  let written = false;
  try {
    const report = await renderLocked(catalog, options, lock);
    written = report.written;
    return report;
  } finally {
    lock.release();
    if (created && !written) {
      try {
        rmdirSync(outRoot); // made for this render, which wrote nothing: leave no trace (only if empty)
      } catch {
        /* not empty: another render wrote there meanwhile */
      }
    }
  }
}

async function renderLocked(catalog: Catalog, options: RenderOptions, _lock: OutputLock): Promise<RenderReport> {
  const tag = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const writer = new TreeWriter({ links: options.links ?? false });
  const staged: Staged[] = [];
  // folders this render made to hold staged ones (OUT/.tests on a first render): removed
  // again, when empty, if the render writes nothing
  const made: string[] = [];
  const discard = (): void => {
    removeStaged(staged);
    for (const d of made.reverse()) {
      try {
        rmdirSync(d);
      } catch {
        /* not empty: not only this render's */
      }
    }
  };
  let stageError: Error | undefined;
  const stageDir = (dir: string, files: readonly RenderedFile[]): void => {
    recoverInterrupted(dir);
    checkReplaceable(dir);
    const madeParent = mkdirSync(dirname(dir), { recursive: true });
    if (madeParent !== undefined) made.push(madeParent);
    const s: Staged = { dir, tmp: `${dir}.wavegate-new-${tag}`, old: `${dir}.wavegate-old-${tag}` };
    staged.push(s);
    writer.writeTree(s.tmp, files);
    writeFileSync(join(s.tmp, RENDER_MARKER), MARKER_TEXT, { flag: 'wx' });
  };
  const stage = (env: EnvironmentOutput): void => {
    if (stageError) return;
    try {
      stageDir(env.dir, env.files);
      checkTestsRoot(dirname(env.testDir));
      stageDir(env.testDir, env.testFiles);
    } catch (e) {
      stageError = e as Error;
    }
  };
  let rendered: Awaited<ReturnType<typeof renderEach>>;
  try {
    rendered = await renderEach(catalog, options, stage);
  } catch (e) {
    await writer.settle().catch(() => undefined);
    discard();
    throw e;
  }
  const findings = sortFindings(rendered.findings);
  if (countBySeverity(findings).errors > 0) {
    await writer.settle().catch(() => undefined);
    discard();
    return { written: false, findings, environments: [] };
  }
  try {
    if (stageError) throw stageError;
    await writer.settle();
  } catch (e) {
    await writer.settle().catch(() => undefined);
    discard();
    if (e instanceof UserError) throw e;
    const p = (e as NodeJS.ErrnoException).path;
    throw new UserError(
      `could not write the render output: ${p !== undefined ? `${shown(p)}: ` : ''}${fsReason(e)} (previous output left untouched)`,
    );
  }
  try {
    for (const s of staged) checkReplaceable(s.dir);
  } catch (e) {
    discard();
    throw e;
  }
  try {
    swapIn(staged);
  } catch (e) {
    discard();
    throw e;
  }
  const stale = options.env === undefined ? staleOutputs(catalog, resolve(options.out)) : { removed: [], foreign: [] };
  return { written: true, findings, environments: rendered.environments, ...stale };
}

/**
 * After a render of every environment: folders of OUT (and of OUT/.tests) for environments
 * the catalog no longer has. One holding the render marker (wavegate wrote it) is removed;
 * any other is left alone and reported. Staging folders of a render still running elsewhere
 * are never touched (the output lock is held here, and their names are not environment
 * names anyway). Names are relative to OUT: `<env>`, `.tests/<env>`.
 */
function staleOutputs(catalog: Catalog, outRoot: string): { removed: string[]; foreign: string[] } {
  const removed: string[] = [];
  const foreign: string[] = [];
  staleIn(catalog, outRoot, '', removed, foreign);
  let testsRoot = false;
  try {
    testsRoot = lstatSync(join(outRoot, TESTS_DIR)).isDirectory();
  } catch {
    testsRoot = false;
  }
  if (testsRoot) staleIn(catalog, join(outRoot, TESTS_DIR), `${TESTS_DIR}/`, removed, foreign);
  return { removed, foreign };
}

function staleIn(catalog: Catalog, parent: string, prefix: string, removed: string[], foreign: string[]): void {
  const envs = new Set(catalog.environments.map((e) => e.name));
  let entries;
  try {
    entries = readdirSync(parent, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!e.isDirectory() || envs.has(e.name) || e.name.startsWith('.') || e.name.includes('.wavegate-')) continue;
    const dir = join(parent, e.name);
    let marked = false;
    try {
      marked = lstatSync(join(dir, RENDER_MARKER)).isFile();
    } catch {
      marked = false;
    }
    if (marked) {
      rmSync(dir, { recursive: true, force: true });
      removed.push(prefix + e.name);
    } else foreign.push(prefix + e.name);
  }
}
