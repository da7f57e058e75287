import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readText } from '../../src/yaml/index.js';

/** readFileSync + TextDecoder(fatal), leading BOMs dropped: the reference readText must match. */
function reference(bytes: Buffer): unknown {
  if (bytes.includes(0)) return { problem: { message: 'not a text file (contains NUL bytes)' } };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: { message: 'not a text file (invalid UTF-8)' } };
  }
  while (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text };
}

describe('readText (reused read buffer, isUtf8)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wavegate-readtext-'));
  const cases: [string, Buffer][] = [
    ['plain', Buffer.from('name: a\ntier: apps\n')],
    ['empty', Buffer.alloc(0)],
    ['utf-8 text', Buffer.from('name: café ✓ 𝄞\n')],
    ['one BOM', Buffer.from('\ufeffname: a\n')],
    ['two BOMs', Buffer.from('\ufeff\ufeffname: a\n')],
    ['BOM only', Buffer.from('\ufeff')],
    ['NUL byte', Buffer.from([0x61, 0x00, 0x62])],
    ['invalid UTF-8', Buffer.from([0x61, 0xff, 0x62])],
    ['overlong encoding', Buffer.from([0xc0, 0xaf])],
    ['encoded surrogate', Buffer.from([0xed, 0xa0, 0x80])],
    ['truncated sequence', Buffer.from([0x61, 0xe2, 0x82])],
    ['larger than the buffer', Buffer.from(`x: "${'é'.repeat(100_000)}"\n`)],
    ['larger than the kept buffer', Buffer.from(`x: ${'y'.repeat(1_500_000)}\n`)],
    ['small after large', Buffer.from('name: b\n')],
  ];
  for (const [name, bytes] of cases) {
    it(name, () => {
      const file = join(dir, `${name.replace(/ /g, '-')}.yaml`);
      writeFileSync(file, bytes);
      expect(readText(file)).toEqual(reference(bytes));
    });
  }

  it('a missing file is a problem, not an exception', () => {
    expect(readText(join(dir, 'nope.yaml'))).toEqual({
      problem: { message: 'cannot read the file: the file disappeared while it was being read' },
    });
  });
});

describe('a file that cannot be read', () => {
  it('is a problem naming why, for readText and loadYamlFile alike, never an exception', async () => {
    const { loadYamlFile } = await import('../../src/yaml/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'wavegate-unreadable-'));
    const message = 'cannot read the file: the file disappeared while it was being read';
    expect(readText(join(dir, 'gone.yaml'))).toEqual({ problem: { message } });
    expect(loadYamlFile(join(dir, 'gone.yaml'))).toEqual({ problem: { message } });
    // a folder where a file was expected: wavegate's words, not Node's (issue 13, item 13)
    expect(readText(dir)).toEqual({ problem: { message: 'cannot read the file: is a folder, expected a file' } });
  });
});
