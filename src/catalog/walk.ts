/**
 * The walk over a catalog's component folders, used by the loader (src/catalog/load.ts): the same
 * files in the same order on every run.
 */
import { readdirSync, realpathSync } from 'node:fs';
import { sep } from 'node:path';
import { isFile, isWithin, realRoot } from '../fsutil.js';

export const COMPONENT_FILE = 'component.yaml';

/** The finding's text for a components folder that is a symlink leading outside the catalog. */
export const OUTSIDE_FOLDER_MESSAGE = 'this folder leads outside the catalog (through a symlink): its components are not read';

/** What the walk reports, in walk order. */
export interface WalkSink {
  /**
   * A component.yaml (a regular file or a link to one): absolute and catalog-relative path;
   * `link` when it is a symlink (the reader must check where it leads).
   */
  component(abs: string, rel: string, link: boolean): void;
  /** A walk root that leads outside the catalog (a symlinked folder): not walked. */
  outside?(rel: string): void;
  /** Another `.yaml`/`.yml` file below a components folder (catalog-relative path). */
  other(rel: string): void;
}

/**
 * Every component.yaml below `dir` (relative path `relDir`, forward slashes), entries sorted by
 * name, folder links not followed (no loops). Paths are built by string joins from the walk
 * (no path.relative per file: a catalog of 10,000 components in 3 environments has 30,000).
 * A folder that cannot be listed is skipped.
 */
export function walkComponents(dir: string, relDir: string, sink: WalkSink, catalogRoot?: string): void {
  if (catalogRoot !== undefined) {
    // Folder links below the root are not followed; the root itself (environments/<env>/components)
    // and its parents may be links: they must stay inside the catalog.
    let real: string | undefined;
    try {
      real = realpathSync.native(dir);
    } catch {
      return; // no such folder: nothing to walk
    }
    if (!isWithin(real, realRoot(catalogRoot))) {
      sink.outside?.(relDir);
      return;
    }
  }
  const walk = (d: string, rd: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const name = e.name;
      const p = d + sep + name;
      const r = `${rd}/${name}`;
      if (e.isDirectory()) walk(p, r);
      else if (name === COMPONENT_FILE && (e.isFile() || (e.isSymbolicLink() && isFile(p)))) sink.component(p, r, !e.isFile());
      else if (e.isFile() && /\.ya?ml$/.test(name)) sink.other(r);
    }
  };
  walk(dir, relDir);
}
