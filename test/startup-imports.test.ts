import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// `wavegate --version` and every command's start-up load only what src/cli/main.ts reaches
// through static imports; heavy packages must be imported inside command actions (await
// import) or on first use. This walks the static import graph of the sources (type-only
// imports excluded) and names the path to any heavy package it finds.
const HEAVY = ['ajv', 'yaml', 'js-yaml', 'handlebars', 'fengari', 'luaparse', 'tar-stream'];
const SRC = resolve(__dirname, '..', 'src');

function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^import\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
    if (m[1]) continue; // import type: erased at build time
    out.push(m[2]!);
  }
  return out;
}

function heavyPaths(entry: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const walk = (file: string, trail: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) {
        walk(join(dirname(file), spec.replace(/\.js$/, '.ts')), [...trail, spec]);
      } else if (HEAVY.includes(spec)) {
        found.push([...trail, spec].join(' -> '));
      }
    }
  };
  walk(entry, [entry.slice(SRC.length + 1)]);
  return found;
}

describe('start-up imports', () => {
  it('src/cli/main.ts reaches no heavy package through static imports', () => {
    expect(heavyPaths(join(SRC, 'cli', 'main.ts'))).toEqual([]);
  });

  it('the walk finds a heavy package where there is one (the YAML document model imports yaml)', () => {
    // (the catalog loader and the health test runner no longer do: src/yaml/index.ts and
    // src/yaml/go.ts require yaml and js-yaml on first use)
    const paths = heavyPaths(join(SRC, 'yaml', 'splice.ts'));
    expect(paths).toEqual(['yaml/splice.ts -> yaml']);
    expect(heavyPaths(join(SRC, 'lua', 'testrunner.ts')).filter((p) => p.endsWith('yaml'))).toEqual([]);
  });

  it('bin/wavegate.js answers --version and -V itself, as the CLI does', () => {
    const root = resolve(__dirname, '..');
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const bin = join(root, 'bin', 'wavegate.js');
    const viaCli = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', "const { main } = await import('./dist/cli/main.js'); process.exitCode = await main(['--version']);"],
      { cwd: root, encoding: 'utf8' },
    );
    expect(viaCli).toBe(`${version}\n`);
    for (const flag of ['--version', '-V']) expect(execFileSync(process.execPath, [bin, flag], { encoding: 'utf8' })).toBe(viaCli);
  });
});
