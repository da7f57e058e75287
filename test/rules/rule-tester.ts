/**
 * A rule tester in the manner of ESLint's RuleTester: a rule's valid and invalid cases as
 * data, each a catalog built in memory (files by path, or components per environment), loaded
 * by the real loader through a memory FileSource (src/catalog/source.ts) and checked with that
 * one rule. An invalid case lists the findings it expects, in output order; each given field
 * must match (`message` as a substring or a pattern), and their number must be exact.
 *
 *   ruleTester.run(waveOrder, {
 *     valid: [{ name: 'later waves', components: [comp('a', 'data', 16), comp('b', 'data', 17, { dependencies: ['a'] })] }],
 *     invalid: [{ name: 'same wave', components: [...], errors: [{ component: 'b', message: 'the same wave', line: 5 }] }],
 *   });
 *
 * Tests of what the loader does on disk (symlinks, permissions, large files) keep their temp
 * folders (test/helpers/catalog.ts); test/rules/rule-tester.test.ts shows that a catalog loads
 * the same from memory as from disk.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadCatalogFromSource } from '../../src/catalog/load.js';
import { memorySource } from '../../src/catalog/source.js';
import type { Catalog } from '../../src/catalog/types.js';
import { checkCatalog } from '../../src/check.js';
import type { Finding, Severity } from '../../src/findings.js';
import type { Rule } from '../../src/rules/types.js';
import { componentPath, type FileContent } from '../helpers/catalog.js';

/** A catalog in memory: files by path (relative to the root), and/or components written into each of `envs`. */
export interface CatalogInput {
  /** Files by path; objects and lists are written as YAML. */
  files?: Record<string, FileContent>;
  /** Component objects, each written to `environments/<env>/components/<name>/component.yaml` of every env in `envs`. */
  components?: Record<string, unknown>[];
  /** Environments of `components` (default: dev). */
  envs?: string[];
  /** wavegate.yaml as an object. */
  settings?: Record<string, unknown>;
}

export interface RuleCase extends CatalogInput {
  name: string;
  /** Findings of the load (yaml, schema, ...) are expected: do not fail on them. */
  loadFindings?: boolean;
  /** More assertions on the rule's findings (fixes, related components). */
  check?(findings: Finding[], catalog: Catalog): void;
}

/** What an expected finding must match; fields left out are not compared. */
export interface ExpectedFinding {
  /** The finding id (always the rule's own: the tester keeps only its findings). */
  rule?: string;
  /** A substring of the message, or a pattern it must match. */
  message?: string | RegExp;
  file?: string;
  line?: number;
  column?: number;
  component?: string;
  environment?: string;
  severity?: Severity;
  related?: string[];
}

export interface InvalidCase extends RuleCase {
  errors: ExpectedFinding[];
}

/** The files of a catalog input, as the memory source takes them. */
export function catalogFilesOf(input: CatalogInput): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = {};
  const put = (path: string, content: FileContent): void => {
    out[path] = typeof content === 'string' || Buffer.isBuffer(content) ? content : stringify(content);
  };
  if (input.settings) put('wavegate.yaml', input.settings);
  for (const env of input.envs ?? ['dev']) for (const c of input.components ?? []) put(componentPath(env, String(c.name)), c);
  for (const [path, content] of Object.entries(input.files ?? {})) put(path, content);
  return out;
}

/** The catalog of a case, loaded from memory. */
export function memoryCatalog(input: CatalogInput): Catalog {
  return loadCatalogFromSource(memorySource(catalogFilesOf(input)));
}

/** Findings of one rule on a catalog in memory (load findings must be absent unless `loadFindings`). */
export function runRuleOn(rule: Rule, input: CatalogInput & { loadFindings?: boolean }): { findings: Finding[]; catalog: Catalog } {
  const catalog = memoryCatalog(input);
  if (!input.loadFindings && catalog.findings.length > 0) {
    throw new Error(`test catalog does not load cleanly: ${catalog.findings.map((f) => `${f.file}: ${f.message}`).join('; ')}`);
  }
  return { findings: checkCatalog(catalog, { rules: [rule] }).filter((f) => f.rule === rule.id), catalog };
}

/** Asserts that `findings` are exactly `errors`, in order (each given field equal, the message containing or matching). */
export function expectFindings(findings: Finding[], errors: ExpectedFinding[]): void {
  expect(findings.length, findings.map((f) => `${f.file}:${f.line} ${f.message}`).join('\n')).toBe(errors.length);
  errors.forEach((e, i) => matches(findings[i]!, e));
}

function matches(f: Finding, e: ExpectedFinding): void {
  const { message, ...fields } = e;
  const got: Record<string, unknown> = {};
  for (const k of Object.keys(fields)) got[k] = f[k as keyof Finding];
  expect(got, f.message).toEqual(fields);
  if (typeof message === 'string') expect(f.message).toContain(message);
  else if (message) expect(f.message).toMatch(message);
}

export const ruleTester = {
  /** One vitest `describe` for the rule, one `it` per case: valid cases give no finding, invalid ones exactly `errors`. */
  run(rule: Rule, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
    describe(`${rule.id} (rule tester)`, () => {
      for (const c of cases.valid) {
        it(`valid: ${c.name}`, () => {
          const { findings, catalog } = runRuleOn(rule, c);
          expect(findings.map((f) => f.message)).toEqual([]);
          c.check?.(findings, catalog);
        });
      }
      for (const c of cases.invalid) {
        it(`invalid: ${c.name}`, () => {
          const { findings, catalog } = runRuleOn(rule, c);
          expectFindings(findings, c.errors);
          c.check?.(findings, catalog);
        });
      }
    });
  },
};

/** catalogOf's arguments as a catalog in memory (components in each of `envs`, `extra` files). */
export function inMemory(
  components: Record<string, unknown>[],
  options: { envs?: string[]; extra?: Record<string, FileContent> } = {},
): CatalogInput {
  return { components, envs: options.envs, files: options.extra };
}

/** writeCatalog's argument as a catalog in memory. */
export const filesIn = (files: Record<string, FileContent>): CatalogInput => ({ files });

/** The findings of one rule on a catalog in memory that loads cleanly (runRule of test/helpers/rules.ts, without a temp folder). */
export const findingsOf = (rule: Rule, input: CatalogInput): Finding[] => runRuleOn(rule, input).findings;
