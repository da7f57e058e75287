import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { fastYaml } from '../src/yaml/fast.js';

const ROOT = join(__dirname, '..');

function firstDocByJsYaml(text: string): unknown {
  let first: unknown = null;
  let seen = false;
  jsyaml.loadAll(
    text,
    (d) => {
      if (!seen && d !== null && d !== undefined) {
        first = d;
        seen = true;
      }
    },
    { schema: jsyaml.CORE_SCHEMA },
  );
  return first;
}

/** Same value, strictly: key order, own property names (`__proto__`), prototypes, -0. */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.getOwnPropertyNames(a);
  const kb = Object.getOwnPropertyNames(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) => k === kb[i] && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** js-yaml's reading of the first document, or 'refused' (a later document's error does not count). */
function reference(text: string): unknown {
  try {
    return firstDocByJsYaml(text);
  } catch {
    const m = /\n(?:---|\.\.\.)(?: |\n|$)/.exec(text);
    if (m) {
      try {
        return firstDocByJsYaml(text.slice(0, m.index + 1));
      } catch {
        /* refused below */
      }
    }
    return 'refused';
  }
}

/** Texts fastYaml reads must read as js-yaml reads them; returns how many it read. */
function expectAgreement(texts: string[]): number {
  let accepted = 0;
  for (const t of texts) {
    const v = fastYaml(t);
    if (v === undefined) continue;
    accepted++;
    const ref = reference(t);
    // toEqual shows a diff; `same` also checks what toEqual does not (key order, an own `__proto__`)
    if (!same(v, ref)) expect({ t, v }).toEqual({ t, v: ref });
    expect(same(v, ref), JSON.stringify(t)).toBe(true);
  }
  return accepted;
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

/** A seeded random number generator (mulberry32): the generated texts are the same on every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
      spec: {
        list: ['a', 1.5, { key: 'v', other: -3 }, ['nested']],
        empty: null,
        version: '1.2.3',
        script: 'line 1\n  indented\n',
        folded: 'a b',
      },
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
      "a: \"x # not a comment\" # comment\nb: 'y''s'\n",
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

  it('agrees with js-yaml at the edges of its line scanner', () => {
    const samples = [
      // last line without a line break, comments after values, blank and comment lines
      'a: 1',
      'a: x # c',
      'a: x #c\nb: y#z\nc: "q" #c\nd: \'s\'#c\ne: [] # c\nf: {}  #\n',
      'a:\n  # comment\n\n  b: 1\n# end',
      'a: x   \nb:    y\n',
      'a: http://h/p#frag\nb: x:y\nc: x #y: z\n',
      // nested sequences and maps, compact and not
      'a:\n- x\n- - y\n  - z\n- k: v\n  l:\n  - 1\nb: 2\n',
      'a:\n  -   k: v\n      m: w\n  -\n    k: u\n',
      '- - - x\n    - y\n  - z\n- w',
      '- a:\n- b\n',
      '-\n- x\n',
      '- # c\n  a: 1\n',
      // block scalars: at the end of the text, before a marker, blank lines
      'a: |\n  x\n  y',
      'a: |-\n  x\n\n',
      'a: >\n  x\n  y\n---\nb: 1\n',
      'a: |\n  x\n---',
      'a: |\n  x\n\n  y\n\nb: |\n    z\n',
      'a: |\n  x\n   \n',
      'a: |-\n  x\n    \n  y\n',
      'a: >-\n  x\n   \n',
      'a: | # c\n  # not a comment\n',
      // documents
      '---\na: 1\n...\n',
      '--- # c\na: 1\n--- x\n',
      'a: 1\n--- \nb: 2\n',
      'a: 1\n---x: 2\n',
      'a: 1\n....\n',
      '---\n---\na: 1\n',
      '...\na: 1\n',
      '# c\n---\n',
      // quoted keys and values
      '"a b": 1\n\'c\'\'d\': 2\n"e":3\n',
      '"__proto__": 1\n',
      '"__proto__":\n  a: 1\n',
      'a: "x\\u00e9\\"y\\" z" # c\n',
      "a: 'it''s'\n",
      // empty items before a less indented dash (js-yaml reads them into the inner sequence)
      '- -\n- a\n',
      '- - x\n  -\n- a\n',
      'k:\n- -\n  # c\n- a\n',
      // whitespace other than spaces, controls
      'a: \u00a0x\n',
      '- \u00a0\n',
      'a\u00a0: x\n',
      'a: b\u2028c\n',
      'a: b\x01\n',
      '\ufeffa: 1\n',
      'a: e\u{1F600}\n',
      'a: x\ud800\n',
    ];
    expect(expectAgreement(samples)).toBeGreaterThan(20);
    // the scanner itself must read these (they are in the shapes it handles)
    for (const t of ['a: 1', 'a: |-\n  x\n\n', 'a: >\n  x\n  y\n---\nb: 1\n', '- - - x\n    - y\n  - z\n- w', 'a: e\u{1F600}\n']) {
      expect(fastYaml(t), t).toBeDefined();
    }
  });

  it('reads keys alike whatever it read before (keys are remembered across texts)', () => {
    const texts = [
      'name: a\nnamespace: b\n',
      'namespace: c\nname: d\n',
      'name:x: 1\n',
      'name : 1\n',
      'names: 1\nname: 2\n',
      'name:\n  name: 3\n',
      '- name\n- name: 4\n',
      'name #x: 5\n',
    ];
    for (let round = 0; round < 2; round++) expectAgreement(texts);
    expect(fastYaml('namespace: c\nname: d\n')).toEqual({ namespace: 'c', name: 'd' });
    expect(fastYaml('- name\n- name: 4\n')).toEqual(['name', { name: 4 }]);
  });

  it('agrees with js-yaml on generated documents', () => {
    // a seeded generator of block YAML in the shapes of component files and Kubernetes objects,
    // with quoting, comments, block scalars, markers and single-character mutations
    let seed = 20261126;
    const rnd = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
    const KEYS = [
      'name',
      'namespace',
      'kind',
      'apiVersion',
      'spec',
      'labels',
      'a',
      'x',
      'c-1',
      'a.b',
      'k8s.io/name',
      'a:b',
      'constructor',
      '"q k"',
      "'s k'",
      'true',
      '1',
    ];
    const SCALARS = [
      'v',
      'x y',
      'platform-c0001',
      '1',
      '-2',
      '0',
      '1.5',
      '1e3',
      '-0',
      '0x1F',
      '10.0.0.1',
      'null',
      '~',
      'True',
      'yes',
      'http://x/y#z',
      'a#b # c',
      'x:y',
      'a: b',
      'ü',
      '"dq"',
      '"a # b"',
      '"\\t\\u00e9"',
      "'it''s'",
      "''",
      '[]',
      '{}',
      '[a, b]',
      '[1, -2, null]',
      '[a] # c',
      'v # c',
      '&a v',
      '*a',
      '!t v',
    ];
    const BLOCK = [['x'], ['x', 'y'], ['x', '', 'y'], ['x', '  y'], ['# c', 'x'], ['x', '', '']];
    const lines: string[] = [];
    const scalar = (head: string, indent: number): void => {
      if (rnd() < 0.9) {
        lines.push(head + pick(SCALARS));
        return;
      }
      lines.push(head + pick(['|', '|-', '>', '>-', '| # c', '|+']));
      for (const l of pick(BLOCK)) lines.push(l === '' ? ' '.repeat(Math.floor(rnd() * (indent + 4))) : ' '.repeat(indent + 2) + l);
    };
    /** A mapping or sequence whose lines start at `indent`. */
    const block = (indent: number, depth: number): void => {
      const seq = rnd() < 0.4;
      const n = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < n; i++) {
        const head = ' '.repeat(indent) + (seq ? '-' : `${pick(KEYS)}:`);
        const r = rnd();
        if (depth >= 3 || r < 0.5) scalar(`${head} `, indent);
        else if (seq && r < 0.75) {
          // compact: the nested block's first line joins the dash (`- key: v`, `- - x`)
          const first = lines.length;
          block(indent + 2, depth + 1);
          lines[first] = `${head} ${lines[first]!.slice(indent + 2)}`;
        } else {
          lines.push(head + pick(['', '', ' # c']));
          // a mapping's sequence may sit at the key's own indentation
          block(!seq && rnd() < 0.3 ? indent : indent + pick([1, 2, 2, 4]), depth + 1);
        }
      }
    };
    const texts: string[] = [];
    for (let i = 0; i < 3000; i++) {
      lines.length = 0;
      if (rnd() < 0.1) lines.push(pick(['---', '--- # c', '# lead']));
      block(0, 0);
      if (rnd() < 0.1) lines.push(pick(['---', '...', '--- x', '---\nb: 2', '# tail']));
      let t = lines.join('\n') + (rnd() < 0.8 ? '\n' : '');
      if (rnd() < 0.2) {
        const p = Math.floor(rnd() * t.length);
        t = t.slice(0, p) + pick([' ', '', '#', ':', '-', '\n', "'", ' #', ': ', '\t']) + t.slice(p + (rnd() < 0.5 ? 1 : 0));
      }
      texts.push(t);
    }
    expect(expectAgreement(texts)).toBeGreaterThan(700);
  });

  it('gives up on what it does not handle', () => {
    for (const t of [
      'a: &x 1\nb: *x',
      'a: !tag 1',
      'a: [1, [2]]',
      'a: [1, 2,]',
      'a: [,1]',
      'a: [1,, 2]',
      'a: [x: 1]',
      'a: ["q", b]',
      'a: [b] # c',
      'a: [- b]',
      'a: [0x1F]',
      'a: [&x b]',
      'a: [b\n  ]',
      'a: 0x1F',
      'a: .inf',
      'a: 1\na: 2',
      'a:\tb',
      'plain scalar',
      'true: 1',
      'a: |+\n  x\n\n',
      'a: b\r\n',
      'a:\n\t- b',
      '"__proto__": 1',
      'a: |\n  x\n   \n',
      '- -\n- a\n',
      'a: b\x01',
      'a: \u00a0b',
      '...\na: 1\n',
    ]) {
      expect(fastYaml(t)).toBeUndefined();
    }
  });

  it('leaves to js-yaml the multi-line scalars it is not sure of', () => {
    for (const t of [
      'a: "multi\nline"\n', // continuation not indented more than the parent (js-yaml only warns)
      'a:\n  b: "x\n  y"\n',
      'a: "x\n---\n"\n', // a document marker inside quotes
      'a: "open\n  to the end', // not closed
      "a: 'open\n\n",
      'a: "x\\\n\n  y"\n', // an escaped line break, then a blank line: js-yaml drops the line feed YAML keeps
      'a: "x\n  y" z\n', // text after the closing quote
      '"k\n  ey": 1\n', // multi-line keys
      '- "k\n  ey": 1\n',
      'a: b\n  c # comment\n', // a comment or an indicator in a continuation line
      'a: b\n  - c\n',
      'a: b\n  ? c\n',
      'a: b\n  c: d\n',
      'a: b\n  c:\n',
      'a: b\n  "c"\n',
      'a: b\n  [c]\n',
      'a: b\n  &c d\n',
      'a: b # comment\n  c\n', // a comment ends the first line
      'a: x\n  \t y\n', // tabs
    ]) {
      expect(fastYaml(t), JSON.stringify(t)).toBeUndefined();
    }
  });

  it('reads multi-line plain, double- and single-quoted scalars as js-yaml does', () => {
    // the shapes recorded status messages come in
    const status = [
      'status:',
      '  conditions:',
      '  - type: Ready',
      '    message: "Failed to register ACME account: 400 urn:ietf:params:acme:error:malformed:',
      '      Invalid contact"',
      '    reason: ErrRegisterACMEAccount',
      '  - message: could not reach the API server; retrying',
      '      in 10s',
      "  - message: 'can''t reconcile schema: setup default store: dial",
      "      tcp 10.0.0.1:5432'",
      '    status: "False"',
      'kind: Thing',
    ].join('\n');
    expect(fastYaml(status)).toEqual({
      status: {
        conditions: [
          {
            type: 'Ready',
            message: 'Failed to register ACME account: 400 urn:ietf:params:acme:error:malformed: Invalid contact',
            reason: 'ErrRegisterACMEAccount',
          },
          { message: 'could not reach the API server; retrying in 10s' },
          { message: "can't reconcile schema: setup default store: dial tcp 10.0.0.1:5432", status: 'False' },
        ],
      },
      kind: 'Thing',
    });
    expect(same(fastYaml(status), reference(status))).toBe(true);
    const samples = [
      // plain: blank lines inside (one line feed each), continuation at several indentations,
      // trailing and leading spaces, the end of the text without a line break
      'a: x\n  y\nb: 1\n',
      'a: x\n y\n      z\n   w\nb: 1\n',
      'a: x\n\n  y\n\n\n  z\nb: 1\n',
      'a: x   \n    \n     y   \n  \nb: 1\n',
      'a: x\n  y',
      'a: x\n  y\n',
      'a: x\n  y\n\n',
      'a: x\n  y\n  \n   ',
      'a:\n  b: x\n   y\n  c: z\n', // followed by a less indented key
      'a:\n  b: x\n    y\nc: z\n',
      '- x\n  y\n- z\n', // sequence items, followed by an item
      '- x\n y\n-   z\n     w\n',
      'a:\n- x\n  y\n- z\nb: 1\n',
      '- - x\n   y\n  - z\n',
      '- k: x\n    y\n  l: z\n- w\n',
      'a: 1\n  2\n', // joined, numbers and words are text
      'a: true\n  false\n',
      'a: null\n  ~\n',
      'a: x:y\n  a#b ---\n  ... -x --\n',
      'a: x\n  y\n---\nb: 1\n',
      'a: x\n  y\n...\n',
      'a: x\n  y\n# c\nb: 1\n',
      'a: x\n  # c\nb: 1\n', // a more indented comment ends the scalar
      'a: x\n\n    # c\n\nb: 1\n',
      'a: x\n  y\n  # c\n  z\n', // refused by js-yaml: not read here
      'a: x\n  y: z\n',
      // double quotes: folding, blank lines, escaped line breaks, escapes across lines, `#`
      'a: "x\n  y"\nb: 1\n',
      'a: "x   \n     y  "\n',
      'a: "x\n\n  y\n \n   \n  z"\n',
      'a: "x \\\n  y"\n',
      'a: "x\\\n    y"\n',
      'a: "x\\\n  y\\\n  z"\n',
      'a: "\\t\\u00e9 \\"q\\"\n  \\n x \\\\\n  \\/"\n',
      'a: "x\n  # not a comment\n  y: z - w"\n',
      'a: "x\n  y" # c\nb: 1\n',
      'a: "x\n  y"#c\nb: 1\n',
      'a: "x\n  y"',
      'a: "x\n  "\n',
      'a: "\n  x"\n',
      'a: "x\n  ---\n  ..."\n',
      '- "x\n  y"\n- "z\n w"\n',
      '- k: "x\n    y"\n  l: 1\n',
      'a: "x\n  y"\n  b: 1\n',
      'a: "x\\u00\n  e9"\n',
      // single quotes
      "a: 'x\n  y'\nb: 1\n",
      "a: 'it''s\n  ''quoted'' ''\n  '''\n",
      "a: 'x  ''  \n\n  y'\n",
      "a: 'x \\\n  y'\n",
      "- 'x\n  y'\n- 'z'\n",
      "a: 'x\n  y'",
    ];
    expect(expectAgreement(samples)).toBeGreaterThan(40);
    // the fast path must read these itself (not only agree when it does)
    const refused = new Set(['a: x\n  y\n  # c\n  z\n', 'a: x\n  y: z\n', 'a: "x\n  y"\n  b: 1\n', 'a: "x\\u00\n  e9"\n']);
    for (const t of samples) if (!refused.has(t)) expect(fastYaml(t), JSON.stringify(t)).toBeDefined();
  });

  it('agrees with js-yaml on generated documents with multi-line scalars', () => {
    // Kubernetes-like documents whose values run over several lines (plain, "..." and '...'),
    // with blank lines, trailing spaces, continuation lines at any indentation, escapes, escaped
    // line breaks, indicator characters at line starts, and single-character mutations
    const rnd = seeded(424242);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
    const WORDS = [
      'Failed',
      'to',
      'reach',
      'server;',
      'in',
      '10s',
      'urn:ietf:acme',
      'x:',
      ':y',
      'a: b',
      'a#b',
      '#c',
      "it's",
      '"q"',
      '\\',
      '\\n',
      '\\"',
      '\\u00e9',
      '\\x41',
      '\\ ',
      '-',
      '- x',
      '?',
      '? y',
      '---',
      '...',
      'true',
      '1',
      '0x1F',
      'null',
      '~',
      '[a]',
      '{b}',
      '&a',
      '*a',
      '!t',
      '|',
      '>',
      '%',
      '@',
      ',',
      'ü',
      '10.0.0.1:5432',
      '',
      '',
    ];
    let multi = false;
    /** A value after `head` (`key: ` or `- `) whose parent has indentation `parent`. */
    const value = (lines: string[], head: string, parent: number): void => {
      const style = pick(['plain', 'plain', '"', '"', "'", 'one']);
      const nLines = style === 'one' ? 1 : 1 + Math.floor(rnd() * 4);
      const parts: string[] = [];
      for (let i = 0; i < nLines; i++) {
        let words = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () =>
          rnd() < 0.93 ? pick(['message', 'retrying', 'the', 'API', 'x', 'a-b', 'c:d', 'e#f']) : pick(WORDS),
        );
        if (style === "'" && rnd() < 0.9) words = words.map((w) => w.replace(/'/g, "''"));
        if (style === '"' && rnd() < 0.9) words = words.map((w) => w.replace(/(^|[^\\])"/g, '$1\\"'));
        let line = words.join(' ');
        if (rnd() < 0.15) line += pick([' ', '  ', '\\']);
        parts.push(line);
      }
      if (nLines > 1) multi = true;
      const q = style === '"' || style === "'" ? style : '';
      for (let i = 0; i < nLines; i++) {
        if (i > 0) {
          while (rnd() < 0.2) lines.push(' '.repeat(Math.floor(rnd() * (parent + 4))));
        }
        const indent = i === 0 ? head : ' '.repeat(Math.max(0, parent + pick([1, 2, 2, 2, 2, 3, 4, 4, 0, -1])));
        lines.push(indent + (i === 0 ? q : '') + parts[i] + (i === nLines - 1 ? q : ''));
      }
      if (rnd() < 0.05) lines[lines.length - 1] += pick([' # c', '#c', ' x', ':']);
    };
    const block = (lines: string[], indent: number, depth: number): void => {
      const seq = rnd() < 0.4;
      const n = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < n; i++) {
        const key = pick(['message', 'reason', 'type', 'status', 'note']);
        const r = rnd();
        if (depth >= 3 || r < 0.6) {
          if (seq && rnd() < 0.5)
            value(lines, `${' '.repeat(indent)}- ${key}: `, indent + 2); // `- key: value`
          else value(lines, ' '.repeat(indent) + (seq ? '- ' : `${key}: `), indent);
        } else {
          lines.push(' '.repeat(indent) + (seq ? '-' : `${key}${i}:`));
          block(lines, !seq && rnd() < 0.3 ? indent : indent + pick([1, 2, 2, 4]), depth + 1);
        }
      }
    };
    const texts: string[] = [];
    const multiTexts: string[] = []; // those with a scalar over several lines
    for (let i = 0; i < 10000; i++) {
      const lines: string[] = [];
      multi = false;
      block(lines, 0, 0);
      if (rnd() < 0.1) lines.push(pick(['---', '...', '# tail', 'z: 1']));
      let t = lines.join('\n') + (rnd() < 0.8 ? '\n' : '');
      if (rnd() < 0.2) {
        const p = Math.floor(rnd() * t.length);
        t = t.slice(0, p) + pick([' ', '', '#', ':', '-', '\n', "'", '"', '\\', ' #', ': ']) + t.slice(p + (rnd() < 0.5 ? 1 : 0));
      }
      texts.push(t);
      if (multi) multiTexts.push(t);
    }
    expect(expectAgreement(texts)).toBeGreaterThan(3000);
    // thousands of them have multi-line scalars the fast path reads (not only gives up on)
    expect(multiTexts.length).toBeGreaterThan(8000);
    expect(multiTexts.filter((t) => fastYaml(t) !== undefined).length).toBeGreaterThan(2000);
  });
});
