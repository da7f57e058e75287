// Part of `npm run build` (after tsc): writes the shipped schemas' validators as ajv standalone
// code to dist/validators/<name>.cjs, with the fingerprint of the schema text and options they
// were compiled from. src/catalog/schemas.ts uses one only while the fingerprint matches, so a
// schema edited after the build is compiled at run time instead, never validated stale.
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { SCHEMA_AJV_OPTIONS, prebuiltValidatorPath, schemaFingerprint, schemaPath } from '../dist/catalog/schemas.js';

for (const name of ['component', 'wavegate']) {
  const text = readFileSync(schemaPath(name), 'utf8');
  const ajv = new Ajv({ ...SCHEMA_AJV_OPTIONS, code: { source: true, esm: false } });
  const validate = ajv.compile(JSON.parse(text));
  const code = `${standaloneCode.default(ajv, validate)}\nmodule.exports.fingerprint = ${JSON.stringify(schemaFingerprint(text))};\n`;
  const out = prebuiltValidatorPath(name);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(`${out}.tmp`, code);
  renameSync(`${out}.tmp`, out);
}
