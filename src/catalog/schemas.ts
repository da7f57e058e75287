import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';

/** ajv is loaded on first use, so importing PACKAGE_ROOT (e.g. for --version) stays cheap. */
export function loadAjv(): typeof Ajv {
  return (createRequire(import.meta.url)('ajv') as { Ajv: typeof Ajv }).Ajv;
}

/** Folder of the package (works from src/ under vitest and from dist/ once built). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function schemaPath(name: 'component' | 'wavegate'): string {
  return join(PACKAGE_ROOT, 'schemas', `${name}.schema.json`);
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/** Compiled validator for one of the shipped schemas (compiled once per process). */
export function validator(name: 'component' | 'wavegate'): ValidateFunction {
  let v = compiled.get(name);
  if (v === undefined) {
    ajv ??= new (loadAjv())({ allErrors: true, strict: true, allowUnionTypes: true });
    const schema = JSON.parse(readFileSync(schemaPath(name), 'utf8'));
    const fn: ValidateFunction = ajv.compile(schema);
    compiled.set(name, fn);
    return fn;
  }
  return v;
}

/** Turns ajv's JSON pointer into a path of keys and indexes. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^[0-9]+$/.test(s) ? Number(s) : s));
}

export function pathToString(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

/**
 * ajv reports a failed oneOf/anyOf with one error per branch plus the summary; keep the
 * most useful error per instance path so a user sees one message per field.
 */
export function simplifyErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const key = e.keyword === 'additionalProperties'
      ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`
      : e.instancePath;
    const list = byPath.get(key) ?? [];
    list.push(e);
    byPath.set(key, list);
  }
  const out: ErrorObject[] = [];
  for (const list of byPath.values()) {
    const specific = list.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
    const oneOf = list.find((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf');
    if (oneOf && specific.length > 1) out.push(oneOf);
    else out.push(...(specific.length ? specific : list));
  }
  return out;
}
