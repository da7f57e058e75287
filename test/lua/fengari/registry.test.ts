// src/lua/fengari/index.ts keeps one registry of the patches: every patch file of the folder is
// in it once, under its file name, with a kind; only a speed patch can be left out (the bench
// measures each with and without it), and leaving it out changes no result.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATCHES, skippedPatches } from '../../../src/lua/fengari/index.js';

const ROOT = resolve(__dirname, '..', '..', '..');
const FENCE = join(ROOT, 'src', 'lua', 'fengari');

describe('fengari patch registry', () => {
  it('lists every patch file of src/lua/fengari/ once, under its file name, with the kind its header names', () => {
    const files = readdirSync(FENCE)
      .filter((f) => f.endsWith('.ts') && /^export function install\(/m.test(readFileSync(join(FENCE, f), 'utf8')))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(PATCHES.map((p) => p.name).sort()).toEqual(files);
    for (const p of PATCHES) {
      const header = readFileSync(join(FENCE, `${p.name}.ts`), 'utf8').slice(0, 400);
      if (p.kind === 'speed') expect(header, p.name).toMatch(/faster|speed/i);
      else expect(header, p.name).toContain(`Patch \`${p.name}\` (`);
    }
  });

  it('leaves out only speed patches, and names the speed patches when asked for another', () => {
    expect([...skippedPatches('fast-call')]).toEqual(['fast-call']);
    expect(skippedPatches(undefined).size).toBe(0);
    expect(() => skippedPatches('pow')).toThrow('WAVEGATE_BENCH_SKIP_PATCHES: pow is not a speed patch (speed patches: fast-call)');
    expect(() => skippedPatches('no-such')).toThrow(/no-such is not a speed patch/);
  });

  it('a library check gives the same results with each speed patch left out', () => {
    // the bench's ExternalSecret check over its testdata, in child processes on the built runtime
    const script = `
      const { renderKind, LIBRARY_DIR } = await import(${JSON.stringify(join(ROOT, 'dist', 'health', 'library.js'))});
      const { evaluateHealth } = await import(${JSON.stringify(join(ROOT, 'dist', 'lua', 'runtime.js'))});
      const { parseValue } = await import(${JSON.stringify(join(ROOT, 'dist', 'yaml', 'index.js'))});
      const fs = await import('node:fs'); const path = await import('node:path');
      const out = [];
      for (const ref of ['external-secrets.io/ExternalSecret', 'kafka.strimzi.io/Kafka']) {
        const dir = path.join(LIBRARY_DIR, ref); const { script, openLibs } = renderKind(dir);
        for (const f of fs.readdirSync(path.join(dir, 'testdata')).sort())
          out.push(evaluateHealth(script, parseValue(fs.readFileSync(path.join(dir, 'testdata', f), 'utf8')), { openLibs }));
      }
      process.stdout.write(JSON.stringify(out));`;
    const run = (skip: string) =>
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, WAVEGATE_BENCH_SKIP_PATCHES: skip },
      });
    const all = run('');
    expect(JSON.parse(all).length).toBeGreaterThan(10);
    for (const p of PATCHES.filter((x) => x.kind === 'speed')) expect(run(p.name), p.name).toBe(all);
  });
});
