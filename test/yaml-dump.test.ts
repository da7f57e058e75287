// dumpYaml writes rendered Chart.yaml / values.yaml / index.yaml: what it writes must read back
// the same under YAML 1.2 (js-yaml, yaml) and under YAML 1.1, which is how Helm reads it.
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dumpYaml } from '../src/yaml/index.js';

// Strings that are something else to some YAML reader when written plain.
const AMBIGUOUS = [
  'on',
  'On',
  'ON',
  'off',
  'yes',
  'Yes',
  'no',
  'NO',
  'y',
  'Y',
  'n',
  'N',
  'true',
  'False',
  'null',
  'Null',
  '~',
  '',
  '1',
  '-1',
  '+1',
  '1.5',
  '3.',
  '.5',
  '1e3',
  '59e654471790',
  '-2E-3',
  '0777',
  '0o17',
  '0x1F',
  '-0x1f',
  '0b1010',
  '1_000',
  '1_0.5',
  '12:30',
  '190:20:30.15',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  '2024-01-01',
  '1970-01-01T00:00:00Z',
  '- a',
  '#x',
  'a: b',
  'a #b',
  '@x',
  '`x',
  '{x}',
  '[x]',
  '*x',
  '&x',
  '!x',
  '%x',
  '|',
  '>',
  '"q"',
  "'q'",
  ' lead',
  'trail ',
  'multi\nline',
];

describe('dumpYaml', () => {
  it('quotes every string a YAML 1.1 or 1.2 reader would take for another type, and they read back as the same strings', () => {
    const data = { list: AMBIGUOUS, map: Object.fromEntries(AMBIGUOUS.map((s, i) => [`k${i}`, s])) };
    const text = dumpYaml(data);
    expect(load(text)).toEqual(data);
    expect(parse(text)).toEqual(data);
    expect(parse(text, { version: '1.1' })).toEqual(data);
    for (const w of ['on', 'yes', 'y', '1e3', '59e654471790', '0777', '1_000', '12:30', '.inf', '~']) expect(text).toContain(`- "${w}"`);
  });

  it('leaves ordinary names plain, keeps key order, does not fold long lines and writes no anchors', () => {
    const shared = { cpu: '10m' };
    const long = 'x'.repeat(300);
    const text = dumpYaml({ name: 'platform-db', zeta: 1, alpha: [shared, shared], long, keys: ['username', 'password'] });
    expect(text).toBe(`name: platform-db\nzeta: 1\nalpha:\n  - cpu: 10m\n  - cpu: 10m\nlong: ${long}\nkeys:\n  - username\n  - password\n`);
  });

  it('gives the same text for the same data (deterministic)', () => {
    const data = { a: AMBIGUOUS, b: { c: [1, 2, { d: 'e' }] } };
    expect(dumpYaml(structuredClone(data))).toBe(dumpYaml(data));
  });
});
