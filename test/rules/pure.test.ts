// Rules are pure functions of the loaded model: no module of src/rules, nor the health code
// they call for health.overrides checks (health/verify.ts, health/render.ts, health/coverage.ts,
// lua/testrunner.ts, lua/check-file.ts), reads the disk itself. Files come from the model
// (catalog.files; an override's check through catalog.files.fs, a ReadFs over the catalog's
// FileSource); test/rules/health-verify.test.ts runs health-lint and health-test on a catalog
// held in memory, whose root does not exist, to show it at run time.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '..', '..', 'src');
const HEALTH_PATH = ['health/verify.ts', 'health/render.ts', 'health/coverage.ts', 'lua/testrunner.ts', 'lua/check-file.ts'];
/** fsutil's helpers that touch the disk themselves (a ReadFs, diskFs as a default, is how these modules read). */
const DISK_HELPERS = ['readBytes', 'readInside', 'readTextInside', 'resolveInside', 'realRoot', 'isFile', 'isDir', 'writeFileAtomic'];

/** What a module imports from Node's fs or reads with fsutil's disk helpers. */
function diskImports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/import\s+(?:type\s+)?([^;]*?)\s+from\s+'([^']+)'/g)) {
    const [, what, from] = m;
    if (/^(node:)?fs(\/promises)?$/.test(from!)) out.push(`${from}: ${what}`);
    if (/fsutil\.js$/.test(from!)) {
      for (const name of DISK_HELPERS) if (new RegExp(`\\b${name}\\b`).test(what!)) out.push(`fsutil: ${name}`);
    }
  }
  for (const m of text.matchAll(/(?:require|import)\(\s*'((?:node:)?fs[^']*)'\s*\)/g)) out.push(`dynamic ${m[1]}`);
  return out;
}

describe('rules read no files', () => {
  const files = [...readdirSync(join(SRC, 'rules')).map((f) => `rules/${f}`), ...HEALTH_PATH];
  it.each(files)('%s imports neither node:fs nor a disk helper', (f) => {
    expect(diskImports(readFileSync(join(SRC, f), 'utf8'))).toEqual([]);
  });
  it('the check finds such imports (on the library module, which reads the package templates)', () => {
    expect(diskImports(readFileSync(join(SRC, 'health/library.ts'), 'utf8'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^node:fs: /), 'fsutil: isDir']),
    );
    expect(diskImports("import { readBytes, diskFs } from '../fsutil.js';\nconst x = require('node:fs');")).toEqual([
      'fsutil: readBytes',
      'dynamic node:fs',
    ]);
  });
});
