// The smoke check table (src/catalog/smoke-checks.ts) is the one list of check types: the schema
// files are generated from it (npm run schemas:smoke), and every type in it is handled by the
// chart's templates and by smokes/check.sh, proven by rendering one entry of each type with the
// real helm (.tools/bin/helm, unpacked by scripts/install-tools.mjs) for both runners.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SMOKE_CHECK_FIELDS, SMOKE_CHECK_TYPES, smokeCheckFieldOfKind } from '../../src/catalog/smoke-checks.js';
import {
  componentSmokeSchema,
  formatJson,
  replaceProperty,
  smokeSchemaFiles,
  valuesChecksSchema,
} from '../../src/catalog/smoke-schemas.js';
import { renderSmokes } from '../../src/smoke/render.js';
import { hasChecks } from '../../src/smoke/settings.js';
import { loadFixture, VAULT_SECRETS, writeRendered } from './fixture.js';

const ROOT = resolve(__dirname, '..', '..');
const HELM = join(ROOT, '.tools', 'bin', 'helm');
const TEMPLATES = join(ROOT, 'smokes', 'chart', 'templates');
const read = (p: string): string => readFileSync(join(ROOT, p), 'utf8');
const run = promisify(execFile);

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('smoke check table', () => {
  it('the schema files hold the generated parts (npm run schemas:smoke)', () => {
    for (const f of smokeSchemaFiles(read)) expect(read(f.path), f.path).toBe(f.content);
    expect(JSON.parse(read('schemas/component.schema.json')).definitions.smoke).toEqual(componentSmokeSchema());
    expect(JSON.parse(read('smokes/chart/values.schema.json')).properties.checks).toEqual(valuesChecksSchema());
    expect(
      Object.keys(JSON.parse(read('schemas/component.schema.json')).definitions.smoke.properties).filter((k) => k in SMOKE_CHECK_TYPES),
    ).toEqual(SMOKE_CHECK_FIELDS);
  });

  it('the generator notices a change of the table and rewrites only its part', () => {
    const text = read('smokes/chart/values.schema.json');
    const changed = {
      ...(valuesChecksSchema() as Obj),
      properties: { ...(valuesChecksSchema() as Obj).properties, extra: { type: 'array' } },
    };
    const out = replaceProperty(text, 'values.schema.json', '    ', 'checks', changed);
    expect(out).not.toBe(text);
    const parsed = JSON.parse(out);
    expect(parsed.properties.checks).toEqual(changed);
    expect({ ...parsed, properties: { ...parsed.properties, checks: undefined } }).toEqual({
      ...JSON.parse(text),
      properties: { ...JSON.parse(text).properties, checks: undefined },
    });
    expect(() => replaceProperty(text, 'values.schema.json', '  ', 'nothere', {})).toThrow(
      /values.schema.json: expected one "nothere" object/,
    );
  });

  it('formats JSON the way the schema files are written', () => {
    expect(formatJson({ a: 1, b: ['x', 'y'] })).toBe('{ "a": 1, "b": ["x", "y"] }');
    expect(formatJson({ a: { b: 1 }, c: [] })).toBe('{ "a": { "b": 1 }, "c": [] }');
    expect(formatJson({ a: { b: { c: 1 } } })).toBe('{\n  "a": { "b": { "c": 1 } }\n}');
    expect(formatJson({ a: { b: 'x'.repeat(200) } })).toBe(`{\n  "a": { "b": "${'x'.repeat(200)}" }\n}`);
    expect(formatJson([{ a: 1 }, { b: 2 }])).toBe('[{ "a": 1 }, { "b": 2 }]');
  });

  it('each type has an entry the component schema accepts, and checks something', () => {
    const { env } = loadFixture([
      { ...VAULT_SECRETS },
      ...SMOKE_CHECK_FIELDS.map((f, i) => ({
        name: `only-${f.toLowerCase()}`,
        tier: 'platform',
        wave: 50 + i,
        componentType: 'smoke',
        namespace: 'platform',
        dependencies: ['vault-secrets'],
        smoke: { validates: ['vault-secrets'], [f]: [SMOKE_CHECK_TYPES[f].example] },
      })),
    ]);
    for (const f of SMOKE_CHECK_FIELDS) {
      const c = env.byName.get(`only-${f.toLowerCase()}`)!;
      expect(c.smoke![f], f).toEqual([SMOKE_CHECK_TYPES[f].example]);
      for (const g of SMOKE_CHECK_FIELDS) if (g !== f) expect(c.smoke![g], `${f}: default of ${g}`).toEqual([]);
      expect(hasChecks(c), f).toBe(true);
    }
  });

  it('a type with its own kind is what a wait on that kind becomes', () => {
    for (const f of SMOKE_CHECK_FIELDS) {
      const k = SMOKE_CHECK_TYPES[f].kind;
      if (k !== undefined) expect(smokeCheckFieldOfKind(k)).toBe(f);
    }
    expect(smokeCheckFieldOfKind('Deployment')).toBeUndefined();
  });
});

/** _helpers.tpl cut into its named templates (`define "x"` up to the next define). */
function defines(): Map<string, string> {
  const text = readFileSync(join(TEMPLATES, '_helpers.tpl'), 'utf8') + readFileSync(join(TEMPLATES, '_pod.tpl'), 'utf8');
  const out = new Map<string, string>();
  const parts = text.split(/\{\{-? define "/).slice(1);
  for (const p of parts) out.set(p.slice(0, p.indexOf('"')), p);
  return out;
}

describe('the chart and check.sh handle every type in the table', () => {
  it('each named template and file the table names ranges over the type, and no template names a type the table lacks', () => {
    const defs = defines();
    for (const f of SMOKE_CHECK_FIELDS) {
      for (const t of SMOKE_CHECK_TYPES[f].chart.templates) {
        const body = t.endsWith('.yaml') ? readFileSync(join(TEMPLATES, t), 'utf8') : defs.get(t);
        expect(body, `${f}: ${t} exists`).toBeDefined();
        expect(body!, `${f}: ${t} ranges over .Values.checks.${f}`).toMatch(new RegExp(`range \\$?(root)?\\.Values\\.checks\\.${f}\\b`));
      }
    }
    const all = ['_helpers.tpl', '_pod.tpl', 'configmap.yaml', 'job.yaml', 'rbac.yaml', 'serviceaccount.yaml']
      .map((t) => readFileSync(join(TEMPLATES, t), 'utf8'))
      .join('\n');
    const named = [...new Set([...all.matchAll(/\.Values\.checks\.([A-Za-z]+)/g)].map((m) => m[1]!))].sort();
    expect(named).toEqual([...SMOKE_CHECK_FIELDS].sort());
  });

  it("job.yaml's guard for a chart without checks names every type", () => {
    const job = readFileSync(join(TEMPLATES, 'job.yaml'), 'utf8');
    const guard = job.split('\n')[0]!;
    expect(guard).toBe(`{{- if not (or ${SMOKE_CHECK_FIELDS.map((f) => `.Values.checks.${f}`).join(' ')}) }}`);
    for (const f of SMOKE_CHECK_FIELDS) expect(job.split('\n')[1]!).toContain(f);
  });

  it('check.sh reads the line type of every type', () => {
    const script = read('smokes/check.sh');
    for (const f of SMOKE_CHECK_FIELDS) expect(script, f).toMatch(new RegExp(`^\\s+${SMOKE_CHECK_TYPES[f].chart.scriptLine}\\)$`, 'm'));
  });

  describe('rendered with the real helm: one entry of each type', () => {
    let helmHome: string;
    let dir: string;
    beforeAll(async () => {
      helmHome = mkdtempSync(join(tmpdir(), 'wavegate-helm-home-'));
      const smoke = {
        name: 'every-type-smoke',
        tier: 'platform',
        wave: 50,
        componentType: 'smoke',
        namespace: 'platform',
        dependencies: ['vault-secrets'],
        smoke: { validates: ['vault-secrets'], ...Object.fromEntries(SMOKE_CHECK_FIELDS.map((f) => [f, [SMOKE_CHECK_TYPES[f].example]])) },
      };
      const fx = loadFixture([smoke, { ...VAULT_SECRETS }]);
      dir = writeRendered((await renderSmokes(fx.catalog, fx.env)).files);
    });
    afterAll(() => {
      rmSync(helmHome, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    });

    const template = async (runner: string): Promise<Obj[]> => {
      const env = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: helmHome,
        HELM_CONFIG_HOME: join(helmHome, 'config'),
        HELM_CACHE_HOME: join(helmHome, 'cache'),
        HELM_DATA_HOME: join(helmHome, 'data'),
      };
      const r = await run(
        HELM,
        ['template', 'every-type-smoke', join(dir, 'smokes', 'every-type-smoke'), '--namespace', 'platform', '--set', `runner=${runner}`],
        { env },
      );
      expect(r.stderr).toBe('');
      return parseAllDocuments(r.stdout)
        .map((d) => d.toJS() as Obj)
        .filter((o) => o !== null);
    };
    const granted = (objs: Obj[]): string[] =>
      objs
        .filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')
        .flatMap((o) => (o.rules as Obj[]).flatMap((r) => r.resourceNames as string[]));

    it('runner kubectl: a kubectl wait container per check, in table order, and RBAC on each object', async () => {
      const objs = await template('kubectl');
      const job = objs.find((o) => o.kind === 'Job')!;
      const spec = job.spec.template.spec;
      const containers = [...(spec.initContainers ?? []), ...spec.containers] as Obj[];
      const waits = containers.map((c) => (c.args as string[]).at(-1)!);
      const names = SMOKE_CHECK_FIELDS.map((f) => SMOKE_CHECK_TYPES[f].example.name);
      // Each type's entry is waited for (a Secret once per key), in the table's order.
      const order = names.map((n) => waits.findIndex((w) => w.endsWith(`/${n}`)));
      for (const [i, f] of SMOKE_CHECK_FIELDS.entries())
        expect(order[i], `${f}: a container waits for ${names[i]}`).toBeGreaterThanOrEqual(0);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      for (const c of containers) expect(c.command).toEqual(['kubectl']);
      for (const n of names) expect(granted(objs), n).toContain(n);
    });

    it('runner script: a checks-file line of the type named in the table per check, and RBAC on each object', async () => {
      const objs = await template('script');
      const cm = objs.find((o) => o.kind === 'ConfigMap')!;
      const lines = (cm.data.checks as string).trim().split('\n');
      const want = SMOKE_CHECK_FIELDS.map((f) => `${SMOKE_CHECK_TYPES[f].chart.scriptLine} ${SMOKE_CHECK_TYPES[f].example.name}`);
      expect(lines.map((l) => l.split(' ')).map(([type, , name]) => `${type} ${name}`)).toEqual(want);
      for (const f of SMOKE_CHECK_FIELDS) expect(granted(objs), f).toContain(SMOKE_CHECK_TYPES[f].example.name);
    });
  });
});
