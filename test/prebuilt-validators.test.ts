import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { SCHEMA_AJV_OPTIONS, prebuiltValidatorPath, schemaFingerprint, schemaPath, validator } from '../src/catalog/schemas.js';

// `npm run build` writes the schemas' validators as standalone code (scripts/build-validators.mjs);
// they must behave exactly like validators compiled at run time, and be used only for the
// schema text they were built from.
const require = createRequire(import.meta.url);
const SAMPLES: Record<'component' | 'wavegate', unknown[]> = {
  component: [
    { name: 'a', tier: 'data', wave: 3 },
    { name: 'Bad_Name', tier: 'data', wave: 'x', dependson: ['b'] },
    { name: 'a', tier: 'data', wave: 1, smoke: { validates: 'b' }, provides: { kinds: [3] } },
    [],
  ],
  wavegate: [{ tiers: [{ name: 't', waves: [0, 9] }] }, { tiers: [{ name: 't', waves: [0] }], extra: 1 }, { tiers: [] }],
};

describe('prebuilt schema validators', () => {
  for (const name of ['component', 'wavegate'] as const) {
    it(`${name}: the built validator matches the schema and reports what ajv reports`, () => {
      const file = prebuiltValidatorPath(name);
      expect(existsSync(file), `${file} (run npm run build)`).toBe(true);
      const text = readFileSync(schemaPath(name), 'utf8');
      const built = require(file) as ((d: unknown) => boolean) & { errors?: unknown; fingerprint: string };
      expect(built.fingerprint).toBe(schemaFingerprint(text));
      const compiled = new Ajv(SCHEMA_AJV_OPTIONS).compile(JSON.parse(text));
      for (const sample of SAMPLES[name]) {
        expect(built(sample)).toBe(compiled(sample));
        expect(built.errors ?? null).toEqual(compiled.errors ?? null);
      }
      expect(validator(name)).toBe(validator(name));
    });
  }

  it('a changed schema text has another fingerprint (a stale build is not used)', () => {
    const text = readFileSync(schemaPath('component'), 'utf8');
    expect(schemaFingerprint(`${text} `)).not.toBe(schemaFingerprint(text));
  });
});
