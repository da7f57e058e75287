import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { fastYaml } from '../src/fastyaml.js';

const ROOT = join(__dirname, '..');

function firstDocByJsYaml(text: string): unknown {
  let first: unknown = null;
  let seen = false;
  jsyaml.loadAll(text, (d) => {
    if (!seen && d !== null && d !== undefined) {
      first = d;
      seen = true;
    }
  }, { schema: jsyaml.CORE_SCHEMA });
  return first;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    if (n === 'node_modules' || n.startsWith('.')) continue;
    const p = join(dir, n);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(n)) out.push(p);
  }
  return out;
}

describe('fastYaml reads what js-yaml reads, or gives up', () => {
  it('agrees with js-yaml (core schema) on every YAML file of the repository it accepts', () => {
    const files = [...yamlFiles(join(ROOT, 'test')), ...yamlFiles(join(ROOT, 'lua')), ...yamlFiles(join(ROOT, 'examples'))];
    let accepted = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const v = fastYaml(text);
      if (v === undefined) continue;
      accepted++;
      let ref: unknown;
      try {
        ref = firstDocByJsYaml(text);
      } catch {
        ref = 'js-yaml refused it';
      }
      expect({ f, v }).toEqual({ f, v: ref });
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('handles the usual Kubernetes shapes', () => {
    const text = [
      '# comment',
      '---',
      'apiVersion: v1',
      'kind: Thing',
      'metadata:',
      '  name: "a \\"b\\""',
      "  note: 'it''s'",
      '  labels: {}',
      'spec:',
      '  list:',
      '  - a',
      '  - 1.5',
      '  - key: v # trailing comment',
      '    other: -3',
      '  - - nested',
      '  empty:',
      '  version: 1.2.3',
      '  script: |',
      '    line 1',
      '      indented',
      '',
      '  folded: >-',
      '    a',
      '    b',
      'status:',
      '  ok: true',
      '  none: ~',
      '---',
      'kind: Second',
    ].join('\n');
    const want = {
      apiVersion: 'v1',
      kind: 'Thing',
      metadata: { name: 'a "b"', note: "it's", labels: {} },
      spec: { list: ['a', 1.5, { key: 'v', other: -3 }, ['nested']], empty: null, version: '1.2.3', script: 'line 1\n  indented\n', folded: 'a b' },
      status: { ok: true, none: null },
    };
    expect(fastYaml(text)).toEqual(want);
    expect(firstDocByJsYaml(text)).toEqual(want);
  });

  it('agrees with js-yaml on edge cases it accepts', () => {
    const samples = [
      'a: |\n  x\n',
      'a: |\n  x',
      'a: |-\n  x\n\n',
      'a: >\n  x\n  y\n',
      'a: |\n  x\n\n  y\nb: 1\n',
      'a:\n- 1\n- -2\n- 0.5\n- 1e3\n- -0\n- 10.0.0.1\n- 1.2.3\n- null\n- Null\n- ~\n- TRUE\n- false\n',
      'a: "x # not a comment" # comment\nb: \'y\'\'s\'\n',
      'list:\n  - name: a\n    value: 1\n  -   name: b\n      value: 2\n  - - x\n    - y\n',
      'k: v\n---\nk: w\n',
      '---\n# only a comment\n',
      'url: http://example.com/a#b\nkey with spaces: yes\n',
      'a: "\\u00e9\\t\\"q\\""\n',
      'keys: [username, password]\nn: [1, -2, 0.5, true, null, ~, a b, x-y, 10.0.0.1]\n',
      'a:\n  - name: x\n    keys: [ u ,p ]\nb: [single]\n',
    ];
    for (const t of samples.slice(-2)) expect(fastYaml(t), t).toBeDefined();
    for (const t of samples) {
      const v = fastYaml(t);
      if (v === undefined) continue;
      expect({ t, v }).toEqual({ t, v: firstDocByJsYaml(t) });
    }
  });

  it('gives up on what it does not handle', () => {
    for (const t of ['a: &x 1\nb: *x', 'a: !tag 1', 'a: [1, [2]]', 'a: [1, 2,]', 'a: [,1]', 'a: [1,, 2]', 'a: [x: 1]', 'a: ["q", b]', 'a: [b] # c', 'a: [- b]', 'a: [0x1F]', 'a: [&x b]', 'a: [b\n  ]', 'a: "multi\n  line"', 'a: 0x1F', 'a: .inf', 'a: 1\na: 2', 'a:\tb', 'plain scalar', 'a: b\n  continued', 'true: 1', 'a: |+\n  x\n\n']) {
      expect(fastYaml(t)).toBeUndefined();
    }
  });
});
