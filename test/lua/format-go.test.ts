/**
 * string.format as gopher-lua v1.1.2 does it (stringlib.go strFormat: fmt.Sprintf over the
 * arguments it has; value.go LNumber.Format: %e/%f/%g of a float64). Go's strconv rounds the
 * exact binary value with ties to even (decimal.go shouldRoundUp, ryuFtoaFixed64), so
 * `%.0f` of 2.5 is "2" (facts file, section 1). glibc's printf rounds the exact value the
 * same way, so Debian's lua5.1 is the reference for the numbers below; fengari on its own
 * rounds ties up.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { evaluateHealth } from '../../src/lua/runtime.js';

const fmt = (args: string) =>
  evaluateHealth(`return {status = "Healthy", message = string.format(${args})}`, {}, { openLibs: true }).message;

describe('string.format %e/%f/%g rounding (Go: ties to even on the exact value)', () => {
  it('ties and near-ties', () => {
    expect(fmt('"%.0f|%.0f|%.0f|%.0f|%.0f", 0.5, 1.5, 2.5, 3.5, -2.5')).toBe('0|2|2|4|-2');
    expect(fmt('"%.1f|%.2f|%.2f|%.2f", 0.25, 0.125, 0.375, 1.005')).toBe('0.2|0.12|0.38|1.00');
    expect(fmt('"%.0e|%.1e|%.2g|%.1g", 25, 0.25, 2.25, 0.25')).toBe('2e+01|2.5e-01|2.2|0.2');
    expect(fmt('"%f|%.3f|%e", 1e21, 1e-7, 0')).toBe('1000000000000000000000.000000|0.000|0.000000e+00');
  });
  it('agrees with glibc (lua5.1) over ties, halves and random values', () => {
    const values: string[] = [];
    for (let i = 0; i < 40; i++) values.push(String((i + 0.5) / (i % 3 === 0 ? 1 : i % 3 === 1 ? 4 : 8)));
    let seed = 7;
    for (let i = 0; i < 60; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      values.push(String((seed / 2147483648) * 10 ** ((i % 9) - 3) * (i % 2 ? -1 : 1)));
    }
    const specs = [
      '%.0f',
      '%.1f',
      '%.2f',
      '%.3f',
      '%f',
      '%10.4f',
      '%-9.2f|',
      '%+.1f',
      '%08.2f',
      '%.0e',
      '%.2e',
      '%e',
      '%.1g',
      '%.3g',
      '%.6g',
    ];
    const calls = values.flatMap((v) => specs.map((s) => `string.format("${s}", ${v})`));
    const lua = execFileSync('lua5.1', ['-'], { input: `${calls.map((c) => `print(${c})`).join('\n')}\n`, encoding: 'utf8' }).split('\n');
    const ours = evaluateHealth(
      `return {status = "Healthy", message = table.concat({${calls.join(', ')}}, "\\n")}`,
      {},
      { openLibs: true },
    ).message.split('\n');
    const diffs = calls.map((c, i) => (ours[i] === lua[i] ? '' : `${c}: lua5.1 ${lua[i]} wavegate ${ours[i]}`)).filter(Boolean);
    expect(calls.length).toBe(1500);
    expect(diffs).toEqual([]);
  });
});

describe('string.format with fewer arguments than verbs', () => {
  it("prints Go's %!<verb>(MISSING) for each verb left without an argument", () => {
    expect(fmt('"%d %s", 5')).toBe('5 %!s(MISSING)');
    expect(fmt('"%s and %d"')).toBe('%!s(MISSING) and %!d(MISSING)');
    expect(fmt('"%5.1f%%"')).toBe('%!f(MISSING)%');
    expect(fmt('"%s|%q|%x", "a"')).toBe('a|%!q(MISSING)|%!x(MISSING)');
  });
});
