// What users read (every command's --help, every finding message, the finding ids' texts in
// SARIF) speaks of the product, not of how it was built: no backlog items, no issue numbers,
// and no pointer into a README section (the guide lives in docs/; see test/docs.test.ts).
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load.js';
import { checkCatalog } from '../src/check.js';
import { buildProgram } from '../src/cli/main.js';
import { formatSuggestions, suggestRepairs } from '../src/graph/suggest.js';
import { toSarif } from '../src/report/sarif.js';
import { FINDINGS } from '../src/rules/registry.js';

const FIXTURES = join(__dirname, 'fixtures');
/** Build history leaking into product text: a backlog item, an issue number, a README section. */
const HISTORY = /backlog|\bissues? *#? *\d|README,/i;

function offending(texts: readonly string[]): string[] {
  return texts.filter((t) => HISTORY.test(t));
}

function commands(c: Command): Command[] {
  return [c, ...c.commands.flatMap(commands)];
}

describe('text users see', () => {
  it('the pattern catches what it is meant to catch', () => {
    expect(
      offending([
        'see backlog 382',
        'fixed in issue #16',
        'issue 7',
        '(README, Smoke Jobs)',
        'see docs/smokes.md',
        'ExternalSecret issuer',
      ]),
    ).toEqual(['see backlog 382', 'fixed in issue #16', 'issue 7', '(README, Smoke Jobs)']);
  });

  it('no --help mentions a backlog item, an issue number or a README section', () => {
    const helps = commands(buildProgram()).map((c) => c.helpInformation());
    expect(helps.length).toBeGreaterThan(8);
    expect(offending(helps)).toEqual([]);
  });

  it('no finding message or suggestion on the fixture catalogs does either', () => {
    const messages: string[] = [];
    for (const name of ['backlog-382-before', 'wait-hooks']) {
      const catalog = loadCatalog(join(FIXTURES, name));
      const findings = checkCatalog(catalog);
      messages.push(...findings.map((f) => f.message), formatSuggestions(suggestRepairs(catalog, findings)));
    }
    // the fixtures exercise most rules: make sure they still do
    expect(messages.length).toBeGreaterThan(100);
    expect(offending(messages)).toEqual([]);
  });

  it('no finding id description (docs/rules.md, SARIF) does either', () => {
    const log = toSarif([], { version: '0' }) as {
      runs: { tool: { driver: { rules: { fullDescription?: { text: string }; shortDescription: { text: string } }[] } } }[];
    };
    const sarif = log.runs[0]!.tool.driver.rules.flatMap((r) => [r.shortDescription.text, r.fullDescription?.text ?? '']);
    expect(offending([...FINDINGS.map((f) => f.description), ...sarif])).toEqual([]);
  });
});
