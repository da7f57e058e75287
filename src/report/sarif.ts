import type { Finding } from '../findings.js';
import { LOAD_RULE_IDS, RULES } from '../rules/index.js';

const LOAD_RULE_TEXT: Record<string, string> = {
  yaml: 'A component file is not valid YAML, is empty or binary, is not a mapping, or expands too many aliases.',
  schema: 'A component file breaks the component schema (field type, unknown key, unknown tier, smoke block, dependsOn).',
  'duplicate-component': 'Two component files in one environment use the same name.',
  'unsafe-name': 'An environment folder or a folder or file on a component path has a control character (newline, tab, DEL...) in its name; it is not loaded.',
};

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * Findings as a SARIF 2.1.0 log (one run, tool "wavegate"), for code-scanning UIs.
 * Locations are `prefix` + the finding's file (the CLI passes the catalog folder as given,
 * relative to the working directory, so a CI job run at the repository root gets paths a
 * code-scanning UI can open), with `uriBaseId` %SRCROOT%. A finding without a file has no
 * location. Output is deterministic for the same findings.
 */
export function toSarif(findings: readonly Finding[], options: { version: string; prefix?: string }): Record<string, unknown> {
  const prefix = options.prefix ? (options.prefix.endsWith('/') ? options.prefix : `${options.prefix}/`) : '';
  const descriptors = [
    ...LOAD_RULE_IDS.map((id) => ({ id, text: LOAD_RULE_TEXT[id] ?? id, level: 'error' as const })),
    ...RULES.map((r) => ({ id: r.id, text: r.description, level: r.defaultSeverity })),
  ];
  const known = new Set(descriptors.map((d) => d.id));
  for (const f of findings) {
    if (!known.has(f.rule)) {
      known.add(f.rule);
      descriptors.push({ id: f.rule, text: f.rule, level: f.severity });
    }
  }
  const ruleIndex = new Map(descriptors.map((d, i) => [d.id, i] as const));
  const results = findings.map((f) => {
    const r: Record<string, unknown> = {
      ruleId: f.rule,
      ruleIndex: ruleIndex.get(f.rule),
      level: f.severity,
      message: { text: [f.environment ? `[${f.environment}]` : '', f.component ? `${f.component}:` : '', f.message].filter(Boolean).join(' ') },
    };
    if (f.file) {
      const region: Record<string, number> = {};
      if (f.line) region.startLine = f.line;
      if (f.line && f.column) region.startColumn = f.column;
      r.locations = [
        {
          physicalLocation: {
            artifactLocation: { uri: `${prefix}${f.file}`.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
            ...(f.line ? { region } : {}),
          },
        },
      ];
    }
    const props: Record<string, unknown> = {};
    if (f.environment) props.environment = f.environment;
    if (f.component) props.component = f.component;
    if (f.related && f.related.length > 0) props.related = f.related;
    if (Object.keys(props).length > 0) r.properties = props;
    return r;
  });
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'wavegate',
        version: options.version,
        rules: descriptors.map((d) => ({
          id: d.id,
          name: d.id.replace(/(^|-)([a-z])/g, (_m, _s, c: string) => c.toUpperCase()),
          shortDescription: { text: d.text },
          defaultConfiguration: { level: d.level },
        })),
      },
    },
    columnKind: 'utf16CodeUnits',
    results,
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}
