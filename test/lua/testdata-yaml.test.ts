/**
 * `wavegate health test` reads testdata as Argo CD's harness does: util/lua/health_test.go
 * (v3.5.1) getObj calls sigs.k8s.io/yaml Unmarshal (v1.6.0, over go.yaml.in/yaml/v2 v2.4.3),
 * so YAML 1.1 scalars as go-yaml's resolve.go has them, the last of duplicate keys (decode.go
 * mapping), only the first document (yaml.go unmarshal: one p.parse()), keys made strings and
 * NaN/Inf refused by json.Marshal (sigs.k8s.io/yaml yaml.go convertToJSONableObject).
 */
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastYaml } from '../../src/yaml/fast.js';
import { goFormatFloat32, readGoYaml } from '../../src/yaml/go.js';
import { dirSource } from '../../src/lua/resolve.js';
import { readTestdata, runHealthTests } from '../../src/lua/testrunner.js';

const FIXTURES = join(__dirname, '..', 'fixtures', 'argo-resource-customizations');
const PKG_LUA = join(__dirname, '..', '..', 'lua');

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'wavegate-goyaml-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

describe("Argo's own case: rabbitmq.com/User/testdata/unknown.yaml (copied from v3.5.1)", () => {
  const dir = join(FIXTURES, 'rabbitmq.com', 'User');
  it('has `status:` twice, and the last one (`status: {}`) is what Argo evaluates', () => {
    const text = readFileSync(join(dir, 'testdata', 'unknown.yaml'), 'utf8');
    expect(text.match(/^status:/gm)).toHaveLength(2);
    expect((readTestdata(text) as { status: unknown }).status).toEqual({});
  });
  it('the upstream folder passes unchanged, Unknown case included', () => {
    const report = runHealthTests([FIXTURES], { openLibs: true });
    expect(report.cases.filter((c) => c.kind === 'rabbitmq.com/User').map((c) => [c.input, c.actual.status, c.passed])).toEqual([
      ['testdata/degraded.yaml', 'Degraded', true],
      ['testdata/unknown.yaml', 'Unknown', true],
      ['testdata/healthy.yaml', 'Healthy', true],
    ]);
  });
});

describe('go-yaml v2 scalars (resolve.go)', () => {
  const y = (text: string) => readGoYaml(text) as Record<string, unknown>;
  it('YAML 1.1 booleans in go-yaml spellings; others stay strings; quoted stays a string', () => {
    expect(y('a: yes\nb: on\nc: Y\nd: n\ne: OFF\nf: No\ng: tRUE\nh: "yes"\ni: \'on\'\nj: [y, n]\n')).toEqual({
      a: true,
      b: true,
      c: true,
      d: false,
      e: false,
      f: false,
      g: 'tRUE',
      h: 'yes',
      i: 'on',
      j: [true, false],
    });
  });
  it('integers are strconv.ParseInt(s, 0, 64) after removing `_`: 0755 octal, 1_000, 0x, 0o, 0b; 08 is a float 8', () => {
    expect(y('a: 0755\nb: 1_000\nc: 0x1F\nd: 0o17\ne: 0b101\nf: -0b11\ng: 08\nh: +12\ni: 1e3\nj: .5\nk: 1:20\n')).toEqual({
      a: 493,
      b: 1000,
      c: 31,
      d: 15,
      e: 5,
      f: -3,
      g: 8,
      h: 12,
      i: 1000,
      j: 0.5,
      k: '1:20',
    });
  });
  it('timestamps and `=` stay strings; empty, ~ and Null are null', () => {
    expect(y('a: 2025-02-24T17:51:10Z\nb: 2026-01-02\nc: =\nd:\ne: ~\nf: Null\n')).toEqual({
      a: '2025-02-24T17:51:10Z',
      b: '2026-01-02',
      c: '=',
      d: null,
      e: null,
      f: null,
    });
  });
  it('explicit tags: !!str keeps the text, !!int of a quoted number is a number, a mismatch is an error', () => {
    expect(y('a: !!str 0755\nb: !!int "12"\nc: !!float 3\n')).toEqual({ a: '0755', b: 12, c: 3 });
    expect(() => readGoYaml('a: !!int abc\n')).toThrow('yaml: cannot decode !!str `abc` as a !!int');
  });
  it('keys become JSON strings as sigs.k8s.io/yaml makes them (on: is "true")', () => {
    expect(Object.keys(y('on: 1\n1: 2\n0x10: 3\n'))).toEqual(['1', '16', 'true']);
  });
  it('NaN and infinities do not survive json.Marshal', () => {
    expect(() => readGoYaml('a: .inf\n')).toThrow('json: unsupported value: +Inf');
    expect(() => readGoYaml('a: [1, .NaN]\n')).toThrow('json: unsupported value: NaN');
    expect(y('a: 1e400\n')).toEqual({ a: '1e400' }); // ParseFloat's range error: a string for go-yaml
  });
  it('FormatFloat(f, g, -1, 32) as sigs.k8s.io/yaml writes float keys and coerced strings', () => {
    expect([1.1, 100, 1e6, 123456, 1234567, 0.0001, 0.00001, -2.5].map(goFormatFloat32)).toEqual([
      '1.1',
      '100',
      '1e+06',
      '123456',
      '1.234567e+06',
      '0.0001',
      '1e-05',
      '-2.5',
    ]);
  });
});

describe('documents, duplicate keys and merges (decode.go)', () => {
  it('the last duplicate key wins, also for nested mappings', () => {
    expect(readGoYaml('a: 1\nb: {x: 1, x: 2}\na: 3\n')).toEqual({ a: 3, b: { x: 2 } });
  });
  it('only the first document counts, even when a later one does not parse or the first is empty', () => {
    expect(readGoYaml('a: 1\n---\nb: [\n')).toEqual({ a: 1 });
    expect(readGoYaml('---\n---\nkind: Second\n')).toBeNull();
    expect(readTestdata('apiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: B\n')).toEqual({ apiVersion: 'v1', kind: 'A' });
  });
  it('`<<` overwrites the keys before it, later keys overwrite it, earlier list entries win', () => {
    const text = 'base: &b {p: 1, q: 2}\nm:\n  p: 0\n  <<: [*b, {q: 9, r: 3}]\n  q: 7\n';
    expect((readGoYaml(text) as { m: unknown }).m).toEqual({ p: 1, q: 7, r: 3 });
  });
  it("a quoted scalar continued at its key's indentation parses, as libyaml takes it (Argo's db.atlasgo.io testdata)", () => {
    expect(readGoYaml("- m: 'a\n  b'\n  r: x\n")).toEqual([{ m: 'a b', r: 'x' }]);
  });
});

describe('the fast readers agree with the go-yaml reader wherever they are taken', () => {
  it('for every testdata file of the package and of the Argo fixtures', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d).sort()) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(n) && d.endsWith('testdata')) files.push(p);
      }
    };
    walk(PKG_LUA);
    walk(FIXTURES);
    expect(files.length).toBeGreaterThan(100);
    let fast = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (fastYaml(text) !== undefined) fast++;
      expect(readTestdata(text), f).toEqual(readGoYaml(text));
    }
    expect(fast).toBeGreaterThan(50);
  });
  it('text holding a YAML 1.1 boolean is not taken by the YAML 1.2 fast reader', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  ready: yes\n  list:\n  - on\n';
    expect(fastYaml(text)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', data: { ready: 'yes', list: ['on'] } });
    expect(readTestdata(text)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', data: { ready: true, list: [true] } });
  });
});

describe('health test with YAML 1.1 testdata and health_test.yaml', () => {
  it('a script sees `yes` as true and 0755 as 493; health_test.yaml fields match case-insensitively and numbers are coerced to strings', () => {
    const root = tree({
      'example.io/Widget/health.lua':
        'local hs = {}\nif obj.spec.ready == true then hs.status = "Healthy" else hs.status = "Degraded" end\nhs.message = tostring(obj.spec.mode)\nreturn hs\n',
      'example.io/Widget/health_test.yaml':
        'tests:\n- healthStatus:\n    status: Healthy\n    message: 493\n  inputPath: testdata/a.yaml\n- HealthStatus:\n    Status: Degraded\n    message: 1000\n  InputPath: testdata/b.yaml\n',
      'example.io/Widget/testdata/a.yaml': 'apiVersion: example.io/v1\nkind: Widget\nspec:\n  ready: yes\n  mode: 0755\n',
      'example.io/Widget/testdata/b.yaml': 'apiVersion: example.io/v1\nkind: Widget\nspec:\n  ready: "yes"\n  mode: 1_000\n  ready: off\n',
    });
    const report = runHealthTests([root], { sourceFor: (r) => dirSource(r) });
    expect(report.cases.map((c) => [c.actual.status, c.actual.message, c.passed])).toEqual([
      ['Healthy', '493', true],
      ['Degraded', '1000', true],
    ]);
  });
});
