// Writes docs/rules.md from the finding registry (src/rules/registry.ts, compiled to dist/).
// `--check` exits 1 when the file differs instead of writing it.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rulesMarkdown } from '../dist/rules/registry.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'rules.md');
const want = rulesMarkdown();
if (process.argv.includes('--check')) {
  let have = '';
  try {
    have = readFileSync(file, 'utf8');
  } catch {
    /* missing */
  }
  if (have !== want) {
    process.stderr.write('docs/rules.md is out of date: run npm run docs:rules\n');
    process.exit(1);
  }
} else {
  writeFileSync(file, want);
}
