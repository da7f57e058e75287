import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Static and dynamic imports and requires of a YAML library. */
const YAML_LIB = /(?:from\s+|import\s*\(\s*|require(?:Lib)?\s*\(\s*)['"](?:yaml|js-yaml)(?:\/[^'"]*)?['"]/;

describe('one YAML module', () => {
  it('only src/yaml/ imports a YAML library: every read of YAML goes through it', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    const outside = files
      .filter((f) => !relative(SRC, f).startsWith('yaml/') && YAML_LIB.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(outside).toEqual([]);
    // and the check itself sees an import where there is one
    expect(YAML_LIB.test(readFileSync(join(SRC, 'yaml', 'document.ts'), 'utf8'))).toBe(true);
  });
});
