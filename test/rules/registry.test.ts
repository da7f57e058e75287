// The finding registry is the one list: the settings schema, SARIF, docs/rules.md and the
// loader's ids must agree with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXED_SEVERITY_IDS as SETTINGS_FIXED } from '../../src/catalog/settings.js';
import { toSarif } from '../../src/report/sarif.js';
import { LOAD_RULE_IDS, RULES } from '../../src/rules/index.js';
import { CONFIGURABLE_IDS, FINDINGS, FIXED_SEVERITY_IDS, rulesMarkdown } from '../../src/rules/registry.js';

const ROOT = join(__dirname, '..', '..');

describe('finding registry', () => {
  it('holds every load id and every rule module, once', () => {
    expect(FINDINGS.map((f) => f.id)).toEqual([...LOAD_RULE_IDS, ...RULES.map((r) => r.id)]);
    expect(new Set(FINDINGS.map((f) => f.id)).size).toBe(FINDINGS.length);
    for (const f of FINDINGS) expect(f.description.length, f.id).toBeGreaterThan(20);
  });

  it("the settings schema's rules section lists exactly the configurable ids", () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'wavegate.schema.json'), 'utf8')) as {
      properties: { rules: { properties: Record<string, unknown> } };
    };
    expect(Object.keys(schema.properties.rules.properties).sort()).toEqual([...CONFIGURABLE_IDS].sort());
    expect([...SETTINGS_FIXED].sort()).toEqual([...FIXED_SEVERITY_IDS].sort());
  });

  it('SARIF describes every id with its registry text', () => {
    const log = toSarif([], { version: '0' }) as {
      runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } } }[];
    };
    expect(log.runs[0]!.tool.driver.rules.map((r) => [r.id, r.shortDescription.text])).toEqual(FINDINGS.map((f) => [f.id, f.description]));
  });

  it('docs/rules.md is the generated text (npm run docs:rules)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8')).toBe(rulesMarkdown());
  });

  it("docs/rules-guide.md's rules table has one row per rule module, and no other", () => {
    const guide = readFileSync(join(ROOT, 'docs', 'rules-guide.md'), 'utf8');
    const rows = [...guide.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    expect([...rows].sort()).toEqual(RULES.map((r) => r.id).sort());
  });
});
