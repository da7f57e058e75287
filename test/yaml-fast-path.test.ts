import { describe, expect, it } from 'vitest';
import { parseYaml } from '../src/yaml/index.js';

// The fast path (js-yaml) must never see an anchor or alias: those go through `yaml`, which
// bounds alias expansion. A `&` or `*` in prose or comments may take either path and must
// give the same value.
function bomb(sep: string): string {
  const lines = [`a: &a ["x","x","x","x","x","x","x","x","x"]`];
  for (let i = 1; i < 12; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(sep)}]`);
  }
  return `# Platform & Apps\n${lines.join('\n')}\n`;
}

describe('YAML fast path', () => {
  it('refuses alias bombs however the aliases are spaced, with & in a comment', () => {
    for (const sep of [',', ', ', ' , ']) {
      const r = parseYaml(bomb(sep));
      expect('problem' in r && r.problem.message).toMatch(/aliases expand too much/);
    }
  });

  it('reads text with & and * in comments and strings', () => {
    const r = parseYaml('# Platform & Apps, waves 35 *\nname: "a & b"\nnote: 2 * 3\n');
    expect('doc' in r && r.doc.value).toEqual({ name: 'a & b', note: '2 * 3' });
  });

  it('resolves a plain alias through the bounded path', () => {
    const r = parseYaml('base: &b {x: 1}\nother: *b\n');
    expect('doc' in r && r.doc.value).toEqual({ base: { x: 1 }, other: { x: 1 } });
  });

  it('a quoted __proto__ key is an own key, never the prototype, on either path', () => {
    const r = parseYaml('"__proto__":\n  admin: true\nname: x\n');
    const v = ('doc' in r ? r.doc.value : undefined) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(v)).toEqual(['__proto__', 'name']);
    expect(v.admin).toBeUndefined();
  });

  it('reports a duplicate key with its line, on either path', () => {
    const r = parseYaml('# a & b\nname: x\nname: y\n');
    expect('problem' in r && r.problem.line).toBe(3);
  });
});

describe('YAML fast path: documents', () => {
  it('a second document is reported whichever reader takes the file', () => {
    for (const text of ['a: 1\n---\nb: 2\n', '---\na: 1\n---\nb: 2\n', 'a: 1\n...\n---\nb: 2\n']) {
      const r = parseYaml(text);
      expect('problem' in r && r.problem.message, text).toMatch(/expected one YAML document/);
    }
  });

  it('a leading --- and an empty file read as before', () => {
    expect(parseYaml('---\nname: x\n')).toMatchObject({ doc: { value: { name: 'x' } } });
    expect(parseYaml('')).toMatchObject({ doc: { value: null } });
    expect(parseYaml('# only a comment\n')).toMatchObject({ doc: { value: null } });
  });

  it('block scalars, quoted scalars and flow lists give the same values', () => {
    const r = parseYaml('name: a\nnote: |\n  line 1\n  --- not a marker\nlist: [x, "y"]\nq: "t\\u00e9"\nn: 012\n');
    expect('doc' in r && r.doc.value).toEqual({ name: 'a', note: 'line 1\n--- not a marker\n', list: ['x', 'y'], q: 'té', n: 12 });
  });
});

describe('locating a top-level key without a second parse', () => {
  it("gives the parser's position for every top-level key of every component file of examples/ameide and the backlog fixture", async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { locateTopLevelKey } = await import('../src/yaml/index.js');
    const { parseDocument, LineCounter } = await import('yaml');
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (n === 'component.yaml') files.push(p);
      }
    };
    walk(join(__dirname, '..', 'examples', 'ameide', 'environments'));
    walk(join(__dirname, 'fixtures', 'backlog-382-before', 'environments'));
    expect(files.length).toBeGreaterThan(100);
    let compared = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const lc = new LineCounter();
      const doc = parseDocument(text, { lineCounter: lc });
      for (const item of (doc.contents as { items: { key: { value: string; range: number[] }; value: { range: number[] } | null }[] })
        .items) {
        for (const key of [true, false]) {
          const quick = locateTopLevelKey(text, item.key.value, key);
          if (!quick) continue;
          const node = key ? item.key : item.value;
          const lp = lc.linePos(node!.range[0]!);
          expect(quick, `${f} ${item.key.value} ${key}`).toEqual({ line: lp.line, column: lp.col });
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('leaves what it cannot be sure of to the parser', async () => {
    const { locateTopLevelKey } = await import('../src/yaml/index.js');
    expect(locateTopLevelKey('wave: 4\nwave: 5\n', 'wave', false)).toBeUndefined(); // twice
    expect(locateTopLevelKey('deps:\n  - a\n', 'deps', false)).toBeUndefined(); // value on the next line
    expect(locateTopLevelKey('wave: &w 4\n', 'wave', false)).toBeUndefined(); // an anchor
    expect(locateTopLevelKey('a: 1\n---\nwave: 2\n', 'wave', false)).toBeUndefined(); // a second document
    expect(locateTopLevelKey('waves: 1\nwave:   "4"\n', 'wave', false)).toEqual({ line: 2, column: 9 });
  });
});
