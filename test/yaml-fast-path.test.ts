import { describe, expect, it } from 'vitest';
import { parseYaml } from '../src/yamlfile.js';

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

  it('reports a duplicate key with its line, on either path', () => {
    const r = parseYaml('# a & b\nname: x\nname: y\n');
    expect('problem' in r && r.problem.line).toBe(3);
  });
});
