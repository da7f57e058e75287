import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { evaluateHealth } from '../dist/lua/runtime.js';
const dir = new URL('../test/fixtures/argo-resource-customizations/external-secrets.io/ExternalSecret/', import.meta.url).pathname;
const script = readFileSync(dir + 'health.lua', 'utf8');
const obj = parse(readFileSync(dir + 'testdata/degraded.yaml', 'utf8'));
console.log(evaluateHealth(script, obj));
for (const open of [false, true]) {
  for (let round = 0; round < 3; round++) {
    const n = 50000; const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) evaluateHealth(script, obj, { openLibs: open });
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`openLibs=${open} ${Math.round(n / dt)} evals/s`);
  }
}
