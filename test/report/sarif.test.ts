import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.js';
import { checkCatalog } from '../../src/check.js';
import { fingerprint, helpUriBase, sarifBase, toSarif } from '../../src/report/sarif.js';
import { catalogOf } from '../helpers/catalog.js';

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
    expect(ruleIds).toEqual(
      expect.arrayContaining([
        'yaml',
        'schema',
        'missing-edge',
        'wave-order',
        'env-parity',
        'argo-depends-on',
        'health-test',
        'smoke-image',
      ]),
    );
    // a _shared file's finding, reported in each of the three environments, is one result
    const key = (f: (typeof findings)[number]): string =>
      JSON.stringify([f.rule, f.file, f.line, f.column, f.component, f.message, f.related ?? []]);
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
    expect(sarifBase(join(repo, 'gitops', 'cat'), join(repo, 'gitops'))).toEqual({
      prefix: 'gitops/cat',
      srcRoot: pathToFileURL(repo).href,
    });
    const noGit = mkdtempSync(join(tmpdir(), 'wavegate-nogit-'));
    mkdirSync(join(noGit, 'cat'));
    // (the temp folder is in no Git work tree)
    expect(sarifBase(join(noGit, 'cat'), noGit)).toEqual({ prefix: 'cat', srcRoot: pathToFileURL(noGit).href });
    expect(sarifBase(join(noGit, 'cat'), elsewhere)).toEqual({ prefix: '', srcRoot: pathToFileURL(join(noGit, 'cat')).href });
    const withBase = toSarif(findings, {
      version: '1',
      prefix: 'gitops/cat',
      srcRoot: pathToFileURL(repo).href,
      helpBase: 'https://docs.example/rules.md',
    }) as any;
    expect(withBase.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `${pathToFileURL(repo).href}/` } });
    expect(withBase.runs[0].tool.driver.rules.find((x: any) => x.id === 'wave-order').helpUri).toBe(
      'https://docs.example/rules.md#wave-order',
    );
    expect(sarifValidator()(withBase)).toBe(true);
    for (const d of [repo, elsewhere, noGit]) rmSync(d, { recursive: true, force: true });
  });
});

describe('helpUri: where a team hosts docs/rules.md (--help-uri-base, sarif.helpUriBase)', () => {
  const BIN = join(__dirname, '..', '..', 'bin', 'wavegate.js');
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const BASE = 'https://git.example.com/platform/wavegate/blob/main/docs/rules.md';
  const broken = { name: 'b', tier: 'platform', wave: 1, dependencies: ['nope'] };
  /** The anchors docs/rules.md really has: `<a id="...">` per finding id (scripts/gen-rules-doc.mjs). */
  const anchors = new Set(
    [...readFileSync(join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8').matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!),
  );

  /** The official schema with formats checked too (ajv-formats' RFC 3986 `uri`): helpUri must be an absolute URI. */
  function strictValidator() {
    const schema = JSON.parse(readFileSync(join(__dirname, '..', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    // a CommonJS module: its default import is module.exports (the plugin), typed as the namespace
    (ajvFormats as unknown as (a: Ajv) => Ajv)(ajv);
    return ajv.compile(schema);
  }

  it('--help-uri-base gives every rule helpUri <base>#<rule id>, an anchor docs/rules.md has; the log validates with formats checked', () => {
    const root = catalogOf([broken]);
    const r = run(['check', root, '--format', 'sarif', '--help-uri-base', BASE]);
    expect(r.status, r.stderr).toBe(1);
    const log = JSON.parse(r.stdout);
    const rules = log.runs[0].tool.driver.rules as { id: string; helpUri: string; help: { text: string } }[];
    expect(rules.length).toBeGreaterThan(20);
    for (const rule of rules) {
      expect(rule.helpUri).toBe(`${BASE}#${rule.id}`);
      expect(anchors.has(rule.id), rule.id).toBe(true);
      expect(rule.help.text).toMatch(new RegExp(`See ${BASE.replace(/[.]/g, '\\.')}#${rule.id}\\.$`));
    }
    const validate = strictValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    // the strict validator does reject a relative helpUri
    const relative = structuredClone(log);
    relative.runs[0].tool.driver.rules[0].helpUri = 'docs/rules.md#yaml';
    expect(validate(relative)).toBe(false);
    // without a base: no helpUri (wavegate has no public docs address)
    const plain = JSON.parse(run(['check', root, '--format', 'sarif']).stdout);
    expect(plain.runs[0].tool.driver.rules.some((x: Record<string, unknown>) => 'helpUri' in x)).toBe(false);
  });

  it('sarif.helpUriBase in wavegate.yaml sets it; --help-uri-base overrides it', () => {
    const root = catalogOf([broken], {
      extra: { 'wavegate.yaml': { sarif: { helpUriBase: 'https://docs.example.org/wavegate/rules.html' } } },
    });
    const fromFile = JSON.parse(run(['check', root, '--format', 'sarif']).stdout);
    expect(fromFile.runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 'unknown-dependency').helpUri).toBe(
      'https://docs.example.org/wavegate/rules.html#unknown-dependency',
    );
    const flag = JSON.parse(run(['check', root, '--format', 'sarif', '--help-uri-base', BASE]).stdout);
    expect(flag.runs[0].tool.driver.rules.find((x: { id: string }) => x.id === 'unknown-dependency').helpUri).toBe(
      `${BASE}#unknown-dependency`,
    );
    // other formats do not change
    expect(run(['check', root]).status).toBe(1);
  });

  it('a base that is not an absolute URI: exit 2, a clear error, no stack trace', () => {
    const root = catalogOf([broken]);
    for (const [bad, why] of [
      ['docs/rules.md', 'is not an absolute URI'],
      ['https://docs.example/rules.md#top', 'has a #fragment'],
      ['https://docs.example/my rules.md', 'holds whitespace'],
      ['https://', 'is not a valid URI'],
      ['https:///rules.md', 'has no host'],
    ] as const) {
      const r = run(['check', root, '--format', 'sarif', '--help-uri-base', bad]);
      expect(r.status, bad).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr, bad).toBe(
        `wavegate: error: --help-uri-base: ${JSON.stringify(bad)} ${why}${why === 'has a #fragment' ? ', and wavegate appends one per rule' : why === 'holds whitespace' ? ' or a control character' : why === 'is not an absolute URI' ? ' (no scheme://)' : ''}; expected the absolute URI of a hosted docs/rules.md, such as https://git.example.com/platform/wavegate/blob/main/docs/rules.md (each rule's helpUri is <base>#<rule id>)\n`,
      );
    }
    const text = run(['check', root, '--help-uri-base', BASE]);
    expect(text.status).toBe(2);
    expect(text.stderr).toBe('wavegate: error: --help-uri-base works with --format sarif, not text\n');
    const inFile = catalogOf([broken], { extra: { 'wavegate.yaml': 'sarif:\n  helpUriBase: docs/rules.md\n' } });
    const f = run(['check', inFile, '--format', 'sarif']);
    expect(f.status).toBe(2);
    // checked when wavegate.yaml is read, so every command and format says so, at its line
    for (const args of [
      ['check', inFile, '--format', 'sarif'],
      ['check', inFile],
      ['render', inFile, '--out', join(inFile, 'out')],
    ]) {
      const g = run(args);
      expect(g.status, args.join(' ')).toBe(2);
      expect(g.stderr).toBe(
        'wavegate: error: wavegate.yaml:2:16: sarif.helpUriBase: "docs/rules.md" is not an absolute URI (no scheme://); expected the absolute URI of a hosted docs/rules.md, such as https://git.example.com/platform/wavegate/blob/main/docs/rules.md (each rule\'s helpUri is <base>#<rule id>)\n',
      );
    }
    expect(f.stderr).not.toMatch(/\n\s+at /);
  });

  it('helpUriBase returns the URI as WHATWG URL serialises it (valid RFC 3986: host lowercased, non-ASCII encoded)', () => {
    expect(helpUriBase('https://Docs.Example/rules.md', 'x')).toBe('https://docs.example/rules.md');
    expect(helpUriBase('https://docs.example/räume/rules.md', 'x')).toBe('https://docs.example/r%C3%A4ume/rules.md');
    expect(helpUriBase('file:///srv/wavegate/docs/rules.md', 'x')).toBe('file:///srv/wavegate/docs/rules.md');
  });
});
