/**
 * Issue 13 item 10: no user input gives exit 3 (an internal error). Before the fix:
 * - a component file with 2,000 nested block mappings crashed `check` (exit 3), and 1,000
 *   gave the `yaml` parser's own "Maximum call stack size exceeded" as a YAML syntax finding;
 * - a health.lua holding one control byte (\x01) or the bytes \xff\xfe crashed `health lint`,
 *   `health test` and `render` (luaparse fails with a TypeError on a first token it cannot
 *   start: "Cannot read properties of undefined (reading 'range')").
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { lintHealthScript } from '../../src/lua/lint.js';
import { evaluateHealth } from '../../src/lua/runtime.js';
import { readGoYaml } from '../../src/yaml/go.js';
import { renderCatalog } from '../../src/render/index.js';
import { parseYaml } from '../../src/yaml/index.js';
import { MAX_YAML_DEPTH, deepNesting } from '../../src/yaml/depth.js';
import { catalogOf, writeCatalog } from '../helpers/catalog.js';

const BIN = join(__dirname, '..', '..', 'bin', 'wavegate.js');

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A component file whose `raw` field nests `n` block mappings. */
function nested(n: number): string {
  let s = 'name: a\ntier: apps\nwave: 40\nraw:\n';
  for (let i = 0; i < n; i++) s += `${' '.repeat(i + 1)}k:\n`;
  return `${s}${' '.repeat(n + 1)}v\n`;
}

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'wavegate-crash-'));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  return root;
}

describe('deeply nested YAML is a finding with the file and line', () => {
  it.each([1000, 2000, 5000])(
    'a component file with %i nested block mappings: check exits 1 with "nesting deeper than 100 levels"',
    (n) => {
      // the 5,000-level file is 12 MiB: above the default read limit, so the limit is raised for it
      const root = writeCatalog({
        'environments/dev/components/a/component.yaml': nested(n),
        'wavegate.yaml': 'limits:\n  maxFileBytes: 33554432\n',
      });
      const r = cli(['check', root]);
      expect(r.stderr).not.toMatch(/internal error|Maximum call stack/);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        `environments/dev/components/a/component.yaml:${MAX_YAML_DEPTH + 4}:1: error yaml: [dev] nesting deeper than ${MAX_YAML_DEPTH} levels: refusing to load`,
      );
      const c = loadCatalog(root);
      expect(c.findings).toEqual([
        expect.objectContaining({
          rule: 'yaml',
          file: 'environments/dev/components/a/component.yaml',
          message: `nesting deeper than ${MAX_YAML_DEPTH} levels: refusing to load`,
        }),
      ]);
    },
  );

  it('flow collections and sequences count too; ordinary depth, quoted brackets and block scalars do not', () => {
    expect(deepNesting(`a: ${'['.repeat(150)}${']'.repeat(150)}`)).toEqual({ line: 1, depth: 101 });
    expect(deepNesting(`${'- '.repeat(150)}x`)).toBeDefined();
    expect(deepNesting(`a: {b: [${'{c: ['.repeat(60)}]}\n`)).toBeDefined();
    expect(deepNesting(nested(90))).toBeUndefined();
    expect(parseYaml(nested(90))).toHaveProperty('doc');
    expect(deepNesting(`a: "${'['.repeat(300)}"\nb: '${'{'.repeat(300)}'\nc: ${'x['.repeat(300)}\n# ${'['.repeat(300)}\n`)).toBeUndefined();
    const block = `script: |\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 2)}x`).join('\n')}\nnext: 1\n`;
    expect(deepNesting(block)).toBeUndefined();
    expect((parseYaml(block) as { doc: { value: { next: number } } }).doc.value.next).toBe(1);
  });

  it('health test inputs (testdata) nested too deeply are a YAML error of the test, not a crash', () => {
    expect(() => readGoYaml(`apiVersion: v1\nkind: ConfigMap\n${nested(3000)}`)).toThrow(/nesting deeper than 100 levels/);
    const root = tree({
      'example.io/Widget/health.lua': 'return {status = "Healthy"}\n',
      'example.io/Widget/health_test.yaml': 'tests:\n- healthStatus:\n    status: Healthy\n  inputPath: testdata/a.yaml\n',
      'example.io/Widget/testdata/a.yaml': `apiVersion: example.io/v1\nkind: Widget\n${nested(2000).replace(/^name: a\ntier: apps\nwave: 40\n/, '')}`,
    });
    const r = cli(['health', 'test', root]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain('nesting deeper than 100 levels');
  });
});

describe('binary health.lua is a finding with the file', () => {
  const BINARIES: [string, Buffer, string][] = [
    ['one control byte', Buffer.from([0x01]), "unexpected symbol near 'char(1)'"],
    ['the bytes ff fe', Buffer.from([0xff, 0xfe]), "unexpected symbol near 'U+FFFD'"],
    ['a control byte before valid code', Buffer.from('\x02\nreturn {status = "Healthy"}\n'), "unexpected symbol near 'char(2)'"],
  ];

  it.each(BINARIES)('%s: lint and evaluation report a syntax error', (_what, bytes, message) => {
    const text = bytes.toString('utf8');
    const lint = lintHealthScript(text);
    expect(lint[0]).toMatchObject({ line: 1, message: expect.stringContaining(message) });
    // gopher-lua v1.1.2's lexer (parse/lexer.go Scan): "Invalid token" near the byte itself
    expect(evaluateHealth(text, {})).toEqual({
      status: 'Unknown',
      message: expect.stringMatching(/^<string> line:1\(column:1\) near '(\x01|\x02|\uFFFD)': {3}Invalid token\n$/),
    });
  });

  it.each(BINARIES)('%s: health lint and health test exit 1 naming the file', (_what, bytes, message) => {
    const root = tree({
      'example.io/Widget/health.lua': bytes,
      'example.io/Widget/health_test.yaml': 'tests:\n- healthStatus:\n    status: Healthy\n  inputPath: testdata/a.yaml\n',
      'example.io/Widget/testdata/a.yaml': 'apiVersion: example.io/v1\nkind: Widget\n',
    });
    const lint = cli(['health', 'lint', join(root, 'example.io/Widget/health.lua')]);
    expect(lint.stderr).not.toMatch(/internal error/);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain(`health.lua:1:1: error syntax: ${message}`);
    const test = cli(['health', 'test', root]);
    expect(test.stderr).not.toMatch(/internal error/);
    expect(test.code).toBe(1);
    expect(test.stdout).toContain('FAIL example.io/Widget testdata/a.yaml');
    expect(test.stdout).toContain('Invalid token');
  });

  it.each(BINARIES)('%s: render refuses the override with a health-lint finding on its file', async (_what, bytes) => {
    const root = catalogOf([{ name: 'widgets', tier: 'platform', wave: 40, health: ['example.com/Widget'] }], {
      extra: {
        'wavegate.yaml': { health: { overrides: { 'example.com/Widget': 'checks/widget/health.lua' } } },
        'checks/widget/health.lua': bytes,
        'checks/widget/health_test.yaml': { tests: [{ healthStatus: { status: 'Healthy' }, inputPath: 'testdata/a.yaml' }] },
        'checks/widget/testdata/a.yaml': { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      },
    });
    const out = mkdtempSync(join(tmpdir(), 'wavegate-crash-out-'));
    const report = await renderCatalog(loadCatalog(root), { out });
    expect(report.written).toBe(false);
    expect(report.findings.filter((f) => f.rule === 'health-lint')[0]).toMatchObject({
      severity: 'error',
      file: 'checks/widget/health.lua',
      line: 1,
    });
    const r = cli(['render', root, '--out', join(out, 'cli')]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
  });
});
