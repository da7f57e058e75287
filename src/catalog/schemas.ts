import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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

/** True inside the hook bundle (scripts/build-hook.mjs), which has no dist/validators. */
declare const __WAVEGATE_BUNDLE__: boolean | undefined;

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/** The ajv options of the shipped schemas (also used by scripts/build-validators.mjs). */
export const SCHEMA_AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true } as const;

/** Where `npm run build` writes the shipped schemas' validators as ajv standalone code. */
export function prebuiltValidatorPath(name: 'component' | 'wavegate'): string {
  return join(PACKAGE_ROOT, 'dist', 'validators', `${name}.cjs`);
}

/** Identifies a schema text together with the options it is compiled with. */
export function schemaFingerprint(schemaText: string): string {
  return createHash('sha256').update(JSON.stringify(SCHEMA_AJV_OPTIONS)).update('\0').update(schemaText).digest('hex');
}

/**
 * Validator for one of the shipped schemas, once per process: the prebuilt standalone code
 * when its fingerprint matches the schema file (compiling with ajv costs about half a second
 * of start-up), else compiled with ajv now.
 */
export function validator(name: 'component' | 'wavegate'): ValidateFunction {
  const v = compiled.get(name);
  if (v === undefined) {
    const text = readFileSync(schemaPath(name), 'utf8');
    const schema = JSON.parse(text);
    let fn: ValidateFunction | undefined;
    const prebuilt = prebuiltValidatorPath(name);
    if (typeof __WAVEGATE_BUNDLE__ === 'undefined' && existsSync(prebuilt)) {
      const mod = createRequire(import.meta.url)(prebuilt) as ValidateFunction & { fingerprint?: string };
      if (mod.fingerprint === schemaFingerprint(text)) {
        fn = mod;
        fn.schema ??= schema;
      }
    }
    if (fn === undefined) {
      ajv ??= new (loadAjv())(SCHEMA_AJV_OPTIONS);
      fn = ajv.compile(schema);
    }
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
    const key =
      e.keyword === 'additionalProperties'
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
