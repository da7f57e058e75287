import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { checkCatalog } from '../../src/check.js';
import { toSarif } from '../../src/report/sarif.js';

/** The official SARIF 2.1.0 schema (draft-04; test/schemas/README.md says where it comes from). */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(__dirname, '..', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false });
  return ajv.compile(schema);
}

describe('SARIF 2.1.0 output', () => {
  const catalog = loadCatalog(join(__dirname, '..', 'fixtures', 'backlog-382-before'));
  const findings = checkCatalog(catalog);
  const log = toSarif(findings, { version: '1.2.3', prefix: 'test/fixtures/backlog-382-before' });

  it('validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    // and the validator does reject a broken log
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  it('one result per finding, with rule, level, location and the rule table', () => {
    const run = (log.runs as Record<string, any>[])[0]!;
    expect(run.tool.driver.name).toBe('wavegate');
    expect(run.results).toHaveLength(findings.length);
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(expect.arrayContaining(['yaml', 'schema', 'missing-edge', 'wave-order', 'env-parity', 'argo-depends-on']));
    const i = findings.findIndex((f) => f.rule === 'wave-order');
    const r = run.results[i];
    expect(r).toMatchObject({ ruleId: 'wave-order', level: 'error', properties: { environment: 'prod', component: 'platform-keycloak' } });
    expect(ruleIds[r.ruleIndex]).toBe('wave-order');
    expect(r.locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'test/fixtures/backlog-382-before/environments/prod/components/platform/auth/keycloak/component.yaml',
      uriBaseId: '%SRCROOT%',
    });
    expect(r.locations[0].physicalLocation.region.startLine).toBe(findings[i]!.line);
    const warning = run.results[findings.findIndex((f) => f.rule === 'env-parity')];
    expect(warning.level).toBe('warning');
    expect(JSON.stringify(toSarif(findings, { version: '1.2.3', prefix: 'test/fixtures/backlog-382-before' }))).toBe(JSON.stringify(log));
  });
});
