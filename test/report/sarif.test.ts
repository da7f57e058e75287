import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { checkCatalog } from '../../src/check.js';
import { fingerprint, sarifBase, toSarif } from '../../src/report/sarif.js';

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

  it('one result per location and message, the environments in its properties; the rule table', () => {
    const run = (log.runs as Record<string, any>[])[0]!;
    expect(run.tool.driver.name).toBe('wavegate');
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(expect.arrayContaining(['yaml', 'schema', 'missing-edge', 'wave-order', 'env-parity', 'argo-depends-on', 'health-test', 'smoke-image']));
    // a _shared file's finding, reported in each of the three environments, is one result
    const key = (f: (typeof findings)[number]): string => JSON.stringify([f.rule, f.file, f.line, f.column, f.component, f.message, f.related ?? []]);
    const distinct = new Set(findings.map(key));
    expect(findings.length).toBeGreaterThan(distinct.size * 2);
    expect(run.results).toHaveLength(distinct.size);
    const locations = run.results.map((r: any) => JSON.stringify([r.ruleId, r.locations, r.message.text]));
    expect(new Set(locations).size).toBe(run.results.length);
    const shared = run.results.find((r: any) => r.ruleId === 'missing-edge' && r.properties.component === 'platform-grafana');
    expect(shared.properties.environments).toEqual(['dev', 'prod', 'staging']);
    expect(shared.message.text).toMatch(/^\[dev, prod, staging\] platform-grafana: /);
    const r = run.results.find((x: any) => x.ruleId === 'wave-order' && x.properties.component === 'platform-keycloak');
    expect(r).toMatchObject({ level: 'error', properties: { environments: ['prod'], component: 'platform-keycloak' } });
    expect(ruleIds[r.ruleIndex]).toBe('wave-order');
    expect(r.locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'test/fixtures/backlog-382-before/environments/prod/components/platform/auth/keycloak/component.yaml',
      uriBaseId: '%SRCROOT%',
    });
    const i = findings.findIndex((f) => f.rule === 'wave-order' && f.component === 'platform-keycloak');
    expect(r.locations[0].physicalLocation.region.startLine).toBe(findings[i]!.line);
    expect(JSON.stringify(toSarif(findings, { version: '1.2.3', prefix: 'test/fixtures/backlog-382-before' }))).toBe(JSON.stringify(log));
  });

  it('partialFingerprints: one per result, distinct, and unchanged when the finding moves to another line', () => {
    const run = (log.runs as Record<string, any>[])[0]!;
    const prints = run.results.map((r: any) => r.partialFingerprints['wavegateFinding/v1']);
    expect(prints.every((p: string) => /^[0-9a-f]{14}$/.test(p))).toBe(true);
    expect(new Set(prints).size).toBe(prints.length);
    const f = findings.find((x) => x.line !== undefined)!;
    expect(fingerprint({ ...f, line: f.line! + 10 })).toBe(fingerprint(f));
    expect(fingerprint({ ...f, message: `${f.message} (see line 12)` })).toBe(fingerprint({ ...f, message: `${f.message} (see line 40)` }));
    expect(fingerprint({ ...f, rule: 'other' })).not.toBe(fingerprint(f));
  });

  it('URIs relative to the Git work tree holding the catalog, whatever the working directory; originalUriBaseIds says where that is', () => {
    const repo = mkdtempSync(join(tmpdir(), 'wavegate-sarif-'));
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'gitops', 'cat'), { recursive: true });
    const elsewhere = mkdtempSync(join(tmpdir(), 'wavegate-cwd-'));
    expect(sarifBase(join(repo, 'gitops', 'cat'), elsewhere)).toEqual({ prefix: 'gitops/cat', srcRoot: pathToFileURL(repo).href });
    expect(sarifBase(join(repo, 'gitops', 'cat'), join(repo, 'gitops'))).toEqual({ prefix: 'gitops/cat', srcRoot: pathToFileURL(repo).href });
    const noGit = mkdtempSync(join(tmpdir(), 'wavegate-nogit-'));
    mkdirSync(join(noGit, 'cat'));
    // (the temp folder is in no Git work tree)
    expect(sarifBase(join(noGit, 'cat'), noGit)).toEqual({ prefix: 'cat', srcRoot: pathToFileURL(noGit).href });
    expect(sarifBase(join(noGit, 'cat'), elsewhere)).toEqual({ prefix: '', srcRoot: pathToFileURL(join(noGit, 'cat')).href });
    const withBase = toSarif(findings, { version: '1', prefix: 'gitops/cat', srcRoot: pathToFileURL(repo).href, helpBase: 'https://docs.example/rules.md' }) as any;
    expect(withBase.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `${pathToFileURL(repo).href}/` } });
    expect(withBase.runs[0].tool.driver.rules.find((x: any) => x.id === 'wave-order').helpUri).toBe('https://docs.example/rules.md#wave-order');
    expect(sarifValidator()(withBase)).toBe(true);
    for (const d of [repo, elsewhere, noGit]) rmSync(d, { recursive: true, force: true });
  });
});
