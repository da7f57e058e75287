/**
 * The parts of the JSON Schema files generated from the smoke check table (smoke-checks.ts):
 * `definitions.smoke` of schemas/component.schema.json and `properties.checks` of
 * smokes/chart/values.schema.json. The files stay committed, plain JSON that editors read;
 * `npm run schemas:smoke` rewrites the two parts, and test/smoke/check-types.test.ts fails when
 * a file differs from what this module makes of it.
 */
import { SMOKE_CHECK_FIELDS, SMOKE_CHECK_TYPES } from './smoke-checks.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** definitions.smoke of component.schema.json. */
export function componentSmokeSchema(): Json {
  const checks = Object.fromEntries(
    SMOKE_CHECK_FIELDS.map((f) => [f, { description: SMOKE_CHECK_TYPES[f].description, type: 'array', items: SMOKE_CHECK_TYPES[f].item }]),
  );
  return {
    description: 'What a smoke component checks (required for componentType smoke, forbidden otherwise).',
    type: 'object',
    additionalProperties: false,
    properties: {
      validates: { description: 'Components this smoke validates.', type: 'array', items: { $ref: '#/definitions/dnsLabel' } },
      ...checks,
      timeoutSeconds: { type: 'integer', minimum: 1, maximum: 86400 },
      mode: {
        description: 'regular or hook (default: smoke.mode of wavegate.yaml, else regular). See docs/smokes.md.',
        enum: ['regular', 'hook'],
      },
      hook: { description: 'Phase of the Argo CD hook when mode is hook (default PostSync).', enum: ['PreSync', 'Sync', 'PostSync'] },
      version: {
        description:
          'Version of the rendered smoke chart (default: smoke.chartVersion of wavegate.yaml, else 0.1.0). Bump it when checks change: Argo CD caches charts by version.',
        type: 'string',
        pattern: '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$',
      },
    },
  } as Json;
}

/** properties.checks of the smoke chart's values.schema.json. */
export function valuesChecksSchema(): Json {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(SMOKE_CHECK_FIELDS.map((f) => [f, { type: 'array', items: SMOKE_CHECK_TYPES[f].valuesItem }])),
  } as Json;
}

const isScalar = (v: Json): boolean => v === null || typeof v !== 'object';
/** Nesting depth, a list of scalars counting as a scalar. */
const depth = (v: Json): number => {
  if (v === null || typeof v !== 'object') return 0;
  const xs = Array.isArray(v) ? v : Object.values(v);
  if (Array.isArray(v) && xs.every(isScalar)) return 0;
  return 1 + Math.max(0, ...xs.map(depth));
};
const oneLine = (v: Json): string => {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${v.map(oneLine).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const e = Object.entries(v);
    return e.length === 0 ? '{}' : `{ ${e.map(([k, x]) => `${JSON.stringify(k)}: ${oneLine(x)}`).join(', ')} }`;
  }
  return JSON.stringify(v);
};

const WIDTH = 160;

/**
 * JSON as the schema files are written: two-space indent; a value on one line when it holds
 * scalars only (lists of scalars count as scalars), or one level more and fits in 160 columns.
 */
export function formatJson(v: Json, indent = '', prefix = 0): string {
  const one = oneLine(v);
  const d = depth(v);
  if (d <= 1 || (d === 2 && indent.length + prefix + one.length <= WIDTH)) return one;
  const inner = `${indent}  `;
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + formatJson(x, inner)).join(',\n')}\n${indent}]`;
  const lines = Object.entries(v as Record<string, Json>).map(([k, x]) => {
    const p = `${JSON.stringify(k)}: `;
    return inner + p + formatJson(x, inner, p.length);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** `text` with the value of the property `"key": {` written at `indent` replaced by `value`. */
export function replaceProperty(text: string, file: string, indent: string, key: string, value: Json): string {
  const open = `\n${indent}${JSON.stringify(key)}: {\n`;
  const start = text.indexOf(open);
  if (start < 0 || text.indexOf(open, start + 1) >= 0)
    throw new Error(`${file}: expected one ${JSON.stringify(key)} object at indent ${indent.length}`);
  const close = text.indexOf(`\n${indent}}`, start + open.length - 1);
  if (close < 0) throw new Error(`${file}: ${JSON.stringify(key)} is not closed at indent ${indent.length}`);
  const head = text.slice(0, start + 1 + indent.length + JSON.stringify(key).length + 2);
  return head + formatJson(value, indent) + text.slice(close + 1 + indent.length + 1);
}

/** The generated files: path (from the package root) and content, given each file's current text. */
export function smokeSchemaFiles(read: (path: string) => string): { path: string; content: string }[] {
  const component = 'schemas/component.schema.json';
  const values = 'smokes/chart/values.schema.json';
  return [
    { path: component, content: replaceProperty(read(component), component, '    ', 'smoke', componentSmokeSchema()) },
    { path: values, content: replaceProperty(read(values), values, '    ', 'checks', valuesChecksSchema()) },
  ];
}
