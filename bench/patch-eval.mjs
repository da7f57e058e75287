// One measurement for bench/run.mjs's "fengari patch" rows: ExternalSecret health evaluations
// per CPU second over its testdata (as the "health eval" row), in a process of its own so that
// WAVEGATE_BENCH_SKIP_PATCHES can leave a speed patch out. Prints {evalsPerSec, maxRssKiB}.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { renderKind, LIBRARY_DIR } = await import(join(ROOT, 'dist', 'health', 'library.js'));
const { evaluateHealth } = await import(join(ROOT, 'dist', 'lua', 'runtime.js'));
const { parseValue } = await import(join(ROOT, 'dist', 'yaml', 'index.js'));
const dir = join(LIBRARY_DIR, 'external-secrets.io/ExternalSecret');
const { script, openLibs } = renderKind(dir);
const td = join(dir, 'testdata');
const objects = readdirSync(td)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => parseValue(readFileSync(join(td, f), 'utf8')));
for (let i = 0; i < 3000; i++) evaluateHealth(script, objects[i % objects.length], { openLibs }); // warm-up
const n = 10000;
const c0 = process.cpuUsage();
for (let i = 0; i < n; i++) evaluateHealth(script, objects[i % objects.length], { openLibs });
const c = process.cpuUsage(c0);
process.stdout.write(
  JSON.stringify({ evalsPerSec: Math.round(n / ((c.user + c.system) / 1e6)), maxRssKiB: process.resourceUsage().maxRSS }),
);
