// Rewrites the smoke check parts of schemas/component.schema.json (definitions.smoke) and
// smokes/chart/values.schema.json (properties.checks) from the smoke check table
// (src/catalog/smoke-checks.ts, compiled to dist/). `--check` exits 1 when a file differs instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { smokeSchemaFiles } from '../dist/catalog/smoke-schemas.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p) => readFileSync(join(root, p), 'utf8');
let stale = 0;
for (const f of smokeSchemaFiles(read)) {
  if (read(f.path) === f.content) continue;
  if (process.argv.includes('--check')) {
    process.stderr.write(`${f.path} is out of date: run npm run schemas:smoke\n`);
    stale++;
  } else {
    writeFileSync(join(root, f.path), f.content);
    process.stdout.write(`wrote ${f.path}\n`);
  }
}
process.exit(stale > 0 ? 1 : 0);
