/**
 * The one list of finding ids and what they mean: the rule modules (src/rules/index.ts) and
 * the findings the loader produces. SARIF's rule table, the `rules:` section of
 * schemas/wavegate.schema.json and docs/rules.md come from it; test/rules/registry.test.ts
 * fails when the schema or the docs drift from it.
 */
import type { Severity } from '../findings.js';
import { RULES } from './index.js';

export interface FindingMeta {
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** Set under `rules:` in wavegate.yaml (error | warning | off). */
  configurable: boolean;
  /** Produced while loading the catalog, or by a rule module. */
  stage: 'load' | 'rule';
}

/** Findings produced while loading (always errors: a file that cannot be read is not judged further). */
const LOAD_FINDINGS: readonly Omit<FindingMeta, 'stage' | 'configurable' | 'defaultSeverity'>[] = [
  {
    id: 'yaml',
    description: 'A component file is not valid YAML, is empty or binary, is not a mapping, nests too deeply, or expands too many aliases.',
  },
  {
    id: 'schema',
    description: 'A component file breaks the component schema (field type, unknown key, unknown tier, smoke block, dependsOn).',
  },
  { id: 'duplicate-component', description: 'Two component files in one environment use the same name.' },
  {
    id: 'component-file',
    description: 'A component file named other than component.yaml (component.yml, Component.yaml) that nothing reads.',
  },
  {
    id: 'unsafe-name',
    description:
      'An environment folder or a folder or file on a component path has a control character (newline, tab, DEL...) in its name; it is not loaded.',
  },
];

/** Every finding id with its meta: load findings first, then the rules in registry order. */
export const FINDINGS: readonly FindingMeta[] = [
  ...LOAD_FINDINGS.map((f) => ({ ...f, defaultSeverity: 'error' as const, configurable: false, stage: 'load' as const })),
  ...RULES.map((r) => ({
    id: r.id,
    description: r.description,
    defaultSeverity: r.defaultSeverity,
    configurable: r.fixedSeverity !== true,
    stage: 'rule' as const,
  })),
];

/** The ids wavegate.yaml's `rules:` may set. */
export const CONFIGURABLE_IDS: readonly string[] = FINDINGS.filter((f) => f.configurable).map((f) => f.id);

/** Ids whose severity is fixed (rules that refuse to ship a check). */
export const FIXED_SEVERITY_IDS: readonly string[] = FINDINGS.filter((f) => f.stage === 'rule' && !f.configurable).map((f) => f.id);

/** docs/rules.md as generated from the registry (`npm run docs:rules` writes it). */
export function rulesMarkdown(): string {
  const lines = [
    '# Finding ids',
    '',
    '<!-- Generated from src/rules/registry.ts by `npm run docs:rules`; do not edit by hand. -->',
    '',
    'Every finding wavegate reports carries one of these ids. Rules marked configurable take a',
    'severity in `wavegate.yaml` (`rules: {<id>: error|warning|off}`); [rules-guide.md](rules-guide.md)',
    'explains each rule with bad and good examples.',
    '',
    '| id | stage | default severity | configurable | what it finds |',
    '|---|---|---|---|---|',
    ...FINDINGS.map(
      (f) =>
        `| <a id="${f.id}"></a>\`${f.id}\` | ${f.stage} | ${f.defaultSeverity} | ${f.configurable ? 'yes' : 'no'} | ${f.description.replace(/\|/g, '\\|')} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
