import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LIBRARY_DIR, listLibraryKinds, parseKindRef, renderKind } from '../../src/health/library.js';
import { luaString, luaValue } from '../../src/health/lua-literal.js';
import { evaluateHealth } from '../../src/lua/runtime.js';
import { checkGopherLuaSyntax } from '../../src/lua/syntax.js';
import { lintHealthScript } from '../../src/lua/lint.js';
import { writeCatalog } from '../helpers/catalog.js';

/** The kinds issue 4 asks the library to cover. */
const REQUIRED = [
  'external-secrets.io/ExternalSecret',
  'external-secrets.io/ClusterExternalSecret',
  'external-secrets.io/SecretStore',
  'external-secrets.io/ClusterSecretStore',
  'cert-manager.io/Certificate',
  'cert-manager.io/Issuer',
  'cert-manager.io/ClusterIssuer',
  'postgresql.cnpg.io/Cluster',
  'kafka.strimzi.io/Kafka',
  'kafka.strimzi.io/KafkaTopic',
  'kafka.strimzi.io/KafkaUser',
  'databases.spotahome.com/RedisFailover',
  'clickhouse.altinity.com/ClickHouseInstallation',
  'k8s.keycloak.org/Keycloak',
  'k8s.keycloak.org/KeycloakRealmImport',
  'temporal.io/TemporalCluster',
  'temporal.io/TemporalNamespace',
  'gateway.networking.k8s.io/Gateway',
  'gateway.networking.k8s.io/GatewayClass',
  'gateway.networking.k8s.io/HTTPRoute',
  'gateway.networking.k8s.io/GRPCRoute',
  'minio.min.io/Tenant',
  'argoproj.io/Application',
];

/** Kinds whose operator writes an observedGeneration (status-wide or per condition). */
const REPORTS_GENERATION = [
  'cert-manager.io/Certificate',
  'cert-manager.io/Issuer',
  'cert-manager.io/ClusterIssuer',
  'kafka.strimzi.io/Kafka',
  'kafka.strimzi.io/KafkaTopic',
  'kafka.strimzi.io/KafkaUser',
  'k8s.keycloak.org/Keycloak',
  'temporal.io/TemporalCluster',
  'temporal.io/TemporalNamespace',
  'gateway.networking.k8s.io/Gateway',
  'gateway.networking.k8s.io/GatewayClass',
  'gateway.networking.k8s.io/HTTPRoute',
  'gateway.networking.k8s.io/GRPCRoute',
  // an Application's "generation" is the source its status was compared with
  'argoproj.io/Application',
];

/** Kinds with a suspended state (paused reconciliation, hibernation, a suspended child). */
const HAS_SUSPENDED = [
  'kafka.strimzi.io/Kafka',
  'kafka.strimzi.io/KafkaTopic',
  'kafka.strimzi.io/KafkaUser',
  'postgresql.cnpg.io/Cluster',
  'argoproj.io/Application',
];

interface TestCase {
  healthStatus: { status: string; message?: string };
  inputPath: string;
}

function casesOf(dir: string): { test: TestCase; obj: Record<string, unknown> }[] {
  const suite = parse(readFileSync(join(dir, 'health_test.yaml'), 'utf8')) as { tests: TestCase[] };
  return suite.tests.map((test) => ({ test, obj: parse(readFileSync(join(dir, test.inputPath), 'utf8')) as Record<string, unknown> }));
}

const kinds = listLibraryKinds();

describe('the check library', () => {
  it('covers every kind the issue lists, and nothing is a stub', () => {
    expect(kinds.map((k) => k.ref).sort()).toEqual([...REQUIRED].sort());
  });

  for (const k of kinds) {
    describe(k.ref, () => {
      const rendered = renderKind(k.dir);
      const cases = casesOf(k.dir);

      it('parses as gopher-lua, passes the sandbox lint and needs no open libraries', () => {
        expect(checkGopherLuaSyntax(rendered.script)).toEqual([]);
        expect(lintHealthScript(rendered.script, { openLibs: false })).toEqual([]);
        expect(rendered.openLibs).toBe(false);
      });

      it('passes its health_test.yaml in the sandbox without open libraries', () => {
        for (const { test, obj } of cases) {
          const r = evaluateHealth(rendered.script, obj, { openLibs: false });
          expect({ input: test.inputPath, status: r.status, message: r.message }).toEqual({
            input: test.inputPath,
            status: test.healthStatus.status,
            message: test.healthStatus.message ?? '',
          });
        }
      });

      it('has realistic fixtures of its own kind with Healthy, Progressing, Degraded and no-status cases', () => {
        const want = parseKindRef(k.ref)!;
        for (const { test, obj } of cases) {
          const api = String(obj.apiVersion);
          const group = api.includes('/') ? api.split('/')[0] : '';
          expect({ input: test.inputPath, group, kind: obj.kind }).toEqual({ input: test.inputPath, group: want.group, kind: want.kind });
          expect(obj.metadata, test.inputPath).toBeTruthy();
        }
        const statuses = new Set(cases.map((c) => c.test.healthStatus.status));
        for (const s of ['Healthy', 'Progressing', 'Degraded']) expect(statuses, s).toContain(s);
        const noStatus = cases.filter((c) => c.obj.status === undefined);
        expect(noStatus.length).toBeGreaterThan(0);
        for (const c of noStatus) expect(c.test.healthStatus.status).toBe('Progressing');
        if (HAS_SUSPENDED.includes(k.ref)) expect(statuses).toContain('Suspended');
      });

      if (REPORTS_GENERATION.includes(k.ref)) {
        it('waits while the status describes an older generation', () => {
          const stale = cases.filter((c) => /stale/i.test(c.test.inputPath));
          expect(stale.length).toBeGreaterThan(0);
          for (const c of stale) expect(c.test.healthStatus.status).toBe('Progressing');
        });
      }
    });
  }
});

describe('Lua literals', () => {
  const nasty = [
    'plain',
    'quote " and \\ backslash',
    'new\nline\r\ttab',
    'close ]] and --[[ comment',
    '\u0001\u001f\u007f',
    'unicode: ünïcødé ✓',
    '"; os.exit(1); --',
  ];

  it('round-trip any text through a generated script unchanged', () => {
    for (const s of nasty) {
      const r = evaluateHealth(`return { status = "Healthy", message = ${luaString(s)} }`, {});
      expect(r).toMatchObject({ status: 'Healthy', message: s });
    }
  });

  it('write tables with sorted keys, quoted odd keys and no nils', () => {
    expect(luaValue({ b: 1, a: 'x', 'odd-key': true, end: null, list: ['p', null, 'q'] })).toBe(
      '{\n  a = "x",\n  b = 1,\n  list = { "p", "q" },\n  ["odd-key"] = true,\n}',
    );
    expect(luaValue({ and: 1 })).toBe('{ ["and"] = 1 }');
    const script = `local t = ${luaValue({ nested: [{ k: 'v"' }], n: 2 })}\nreturn { status = "Healthy", message = t.nested[1].k .. t.n }`;
    expect(evaluateHealth(script, {})).toMatchObject({ status: 'Healthy', message: 'v"2' });
  });

  it('template data cannot inject code (a message with quotes and newlines stays a string)', () => {
    const root = writeCatalog({
      'k/check.yaml': {
        template: 'conditions',
        data: { kind: 'Widget', generation: 'none', waitingMessage: 'wait"\nreturn {status="Healthy"} --', required: [{ type: 'Ready' }] },
      },
    });
    const { script } = renderKind(join(root, 'k'));
    expect(checkGopherLuaSyntax(script)).toEqual([]);
    expect(evaluateHealth(script, { apiVersion: 'x/v1', kind: 'Widget' })).toMatchObject({
      status: 'Progressing',
      message: 'wait"\nreturn {status="Healthy"} --',
    });
  });
});

describe('templates render only the Lua a kind needs', () => {
  const render = (template: string, data: Record<string, unknown>): string => {
    const root = writeCatalog({ 'k/check.yaml': { template, data } });
    const { script } = renderKind(join(root, 'k'));
    expect(checkGopherLuaSyntax(script)).toEqual([]);
    expect(lintHealthScript(script, { openLibs: false })).toEqual([]);
    expect(renderKind(join(root, 'k')).script).toBe(script); // deterministic
    return script;
  };
  const obj = (status?: object, metadata: object = { generation: 2 }) => ({
    apiVersion: 'x/v1',
    kind: 'Widget',
    metadata,
    ...(status ? { status } : {}),
  });

  it('a conditions check with one required condition has no spec table and no code for features it does not use', () => {
    const script = render('conditions', { kind: 'Widget', generation: 'none', waitingMessage: 'wait', required: [{ type: 'Ready' }] });
    expect(script).not.toMatch(/local spec\b|\bspec\.[a-z]/);
    for (const unused of ['annotations', 'isCurrent', 'observedGeneration', 'itemPrefix', 'generation ~='])
      expect(script).not.toContain(unused);
    expect(script).toContain('if c.type == "Ready" then');
    expect(evaluateHealth(script, obj())).toMatchObject({ status: 'Progressing', message: 'wait' });
    expect(evaluateHealth(script, obj({ conditions: [] }))).toMatchObject({
      status: 'Progressing',
      message: 'Waiting for condition Ready',
    });
    expect(evaluateHealth(script, obj({ conditions: [{ type: 'Ready', status: 'False', reason: 'Boom' }] }))).toMatchObject({
      status: 'Degraded',
      message: 'Ready is False: Boom',
    });
    expect(evaluateHealth(script, obj({ conditions: [{ type: 'Ready', status: 'True' }] }))).toMatchObject({
      status: 'Healthy',
      message: '',
    });
  });

  it('each feature in the data brings its code, with the data as Lua literals', () => {
    const script = render('conditions', {
      kind: 'Widget',
      generation: 'condition',
      waitingMessage: 'wait',
      healthyMessage: 'fine',
      suspendAnnotations: [{ name: 'example.io/paused', value: 'true', message: 'paused by annotation' }],
      rules: [
        { type: 'Paused', status: 'True', result: 'Suspended', message: '' },
        { type: 'Broken', result: 'Degraded', message: 'broken' },
      ],
      required: [{ type: 'Ready', whenFalse: 'Progressing', reasons: { Fatal: 'Degraded' } }],
      items: { field: 'end', label: 'part', minItems: 1, waitingMessage: 'no parts', required: [{ type: 'Ok' }] },
    });
    expect(script).not.toMatch(/local spec\b|\bspec\.[a-z]/);
    expect(script).toContain('annotations["example.io/paused"] == "true"');
    expect(script).toContain('obj.status["end"]'); // a Lua keyword as field name
    const ok = { type: 'Ok', status: 'True' };
    const ready = { type: 'Ready', status: 'True', observedGeneration: 2 };
    expect(evaluateHealth(script, obj({}, { generation: 2, annotations: { 'example.io/paused': 'true' } }))).toMatchObject({
      status: 'Suspended',
      message: 'paused by annotation',
    });
    // a rule's empty message is still its message (not the condition's reason)
    expect(evaluateHealth(script, obj({ conditions: [{ type: 'Paused', status: 'True', reason: 'X' }] }))).toMatchObject({
      status: 'Suspended',
      message: '',
    });
    // a Suspended rule holds whatever the generation; other rules only for the current one
    expect(
      evaluateHealth(script, obj({ conditions: [{ type: 'Paused', status: 'True', message: 'm', observedGeneration: 1 }] })),
    ).toMatchObject({ status: 'Suspended', message: 'm' });
    expect(
      evaluateHealth(
        script,
        obj({ conditions: [{ type: 'Broken', status: 'Unknown', observedGeneration: 1 }, ready], end: [{ conditions: [ok] }] }),
      ),
    ).toMatchObject({ status: 'Healthy', message: 'fine' });
    expect(evaluateHealth(script, obj({ conditions: [{ type: 'Broken', status: 'Unknown' }, ready] }))).toMatchObject({
      status: 'Degraded',
      message: 'broken',
    });
    expect(evaluateHealth(script, obj({ conditions: [{ ...ready, status: 'False', reason: 'Slow' }] }))).toMatchObject({
      status: 'Progressing',
      message: 'Ready is False: Slow',
    });
    expect(evaluateHealth(script, obj({ conditions: [{ ...ready, status: 'Unknown', reason: 'Fatal' }] }))).toMatchObject({
      status: 'Degraded',
      message: 'Ready is Unknown: Fatal',
    });
    expect(evaluateHealth(script, obj({ conditions: [{ ...ready, observedGeneration: 1 }] }))).toMatchObject({
      status: 'Progressing',
      message: 'Waiting for the controller to observe generation 2 (Ready is for generation 1)',
    });
    expect(evaluateHealth(script, obj({ conditions: [ready], end: [] }))).toMatchObject({ status: 'Progressing', message: 'no parts' });
    expect(
      evaluateHealth(script, obj({ conditions: [ready], end: [{ conditions: [ok] }, { parentRef: { name: 'gw', sectionName: 's' } }] })),
    ).toMatchObject({
      status: 'Progressing',
      message: 'part gw/s: Waiting for condition Ok',
    });
  });

  it('required condition types that would share a Lua name, or are not names at all, get locals of their own', () => {
    const script = render('conditions', {
      kind: 'Widget',
      generation: 'none',
      waitingMessage: 'wait',
      required: [{ type: 'Ready' }, { type: 'ready', whenFalse: 'Progressing' }, { type: '9 lives' }, { type: 'end' }, { type: 'Ready' }],
    });
    expect(script).toContain('local readyCondition, readyCondition2, c9LivesCondition, endCondition\n');
    const all = [
      { type: 'Ready', status: 'True' },
      { type: 'ready', status: 'True' },
      { type: '9 lives', status: 'True' },
      { type: 'end', status: 'True', message: 'e' },
    ];
    expect(evaluateHealth(script, obj({ conditions: all }))).toMatchObject({ status: 'Healthy', message: 'e' });
    expect(evaluateHealth(script, obj({ conditions: [all[0]!, { type: 'ready', status: 'False' }, all[2]!, all[3]!] }))).toMatchObject({
      status: 'Progressing',
      message: 'ready is False',
    });
    expect(evaluateHealth(script, obj({ conditions: [all[0]!, all[1]!, all[3]!] }))).toMatchObject({
      status: 'Progressing',
      message: 'Waiting for condition 9 lives',
    });
  });

  it('a phase check inlines its table and leaves out detail, overrides and the generation when the data has none', () => {
    const plain = render('phase', {
      kind: 'Widget',
      field: 'state',
      generation: 'none',
      waitingMessage: 'wait',
      phases: { Up: 'Healthy', Down: 'Degraded' },
      unknownMessage: 'odd: ',
    });
    expect(plain).not.toMatch(/local spec\b|\bspec\.[a-z]/);
    for (const unused of ['detail', 'conditions', 'observedGeneration', 'annotations']) expect(plain).not.toContain(unused);
    expect(plain).toContain('Down = "Degraded"');
    expect(evaluateHealth(plain, obj({ state: 'Down' }))).toMatchObject({ status: 'Degraded', message: 'Down' });
    expect(evaluateHealth(plain, obj({ state: 'Sideways' }))).toMatchObject({ status: 'Progressing', message: 'odd: Sideways' });
    const full = render('phase', {
      kind: 'Widget',
      field: 'state',
      messageField: 'reason',
      messagePrefix: 'state: ',
      generation: 'status',
      waitingMessage: 'wait',
      phases: { Up: 'Healthy' },
      unknownResult: 'Unknown',
      unknownMessage: 'odd: ',
      healthyUnless: [{ field: 'colour', value: 'red', result: 'Degraded', message: 'red', messageField: 'why' }],
      conditionRules: [{ type: 'Hibernated', status: 'True', result: 'Suspended' }],
    });
    expect(evaluateHealth(full, obj({ state: 'Up', reason: 'all good', observedGeneration: 2 }))).toMatchObject({
      status: 'Healthy',
      message: 'state: Up: all good',
    });
    expect(evaluateHealth(full, obj({ state: 'Up', reason: 'Up', observedGeneration: 1 }))).toMatchObject({
      status: 'Progressing',
      message: 'Waiting for the controller to observe generation 2 (status is for generation 1)',
    });
    expect(evaluateHealth(full, obj({ state: 'Up', colour: 'red', why: 'disk' }))).toMatchObject({
      status: 'Degraded',
      message: 'red: disk',
    });
    expect(evaluateHealth(full, obj({ state: 'Up', conditions: [{ type: 'Hibernated', status: 'True' }] }))).toMatchObject({
      status: 'Suspended',
      message: 'Hibernated is True',
    });
    expect(evaluateHealth(full, obj({ state: 'Left', reason: 'why' }))).toMatchObject({ status: 'Unknown', message: 'odd: Left: why' });
  });
});

describe('kind folders', () => {
  it('a check.yaml naming an unknown template is a clear error', () => {
    const root = writeCatalog({ 'k/check.yaml': { template: 'nope', data: {} } });
    expect(() => renderKind(join(root, 'k'))).toThrow(/template "nope" does not exist \(known templates: conditions, phase, reconcile\)/);
  });

  it('check.yaml mistakes name the file, line and field', () => {
    const root = writeCatalog({ 'k/check.yaml': 'template: conditions\nusOpenLibs: true\n' });
    expect(() => renderKind(join(root, 'k'))).toThrow(/check\.yaml:2:1: unknown field "usOpenLibs"/);
    const root2 = writeCatalog({ 'k/check.yaml': 'useOpenLibs: "yes"\n', 'k/health.lua': 'return {status="Healthy"}' });
    expect(() => renderKind(join(root2, 'k'))).toThrow(/useOpenLibs: expected true or false/);
  });

  it('a plain health.lua with useOpenLibs in check.yaml renders as written with open libraries', () => {
    const root = writeCatalog({
      'k/health.lua': 'return {status="Healthy", message=string.upper("ok")}\n',
      'k/check.yaml': 'useOpenLibs: true\n',
    });
    const r = renderKind(join(root, 'k'));
    expect(r).toEqual({ script: 'return {status="Healthy", message=string.upper("ok")}\n', openLibs: true });
  });

  it('a folder with neither health.lua nor a template is an error', () => {
    const root = writeCatalog({ 'k/README.md': 'x' });
    expect(() => renderKind(join(root, 'k'))).toThrow(/no health\.lua and no template/);
  });

  it('template data is checked against the template schema, naming file, line and field', () => {
    const root = writeCatalog({
      'k/check.yaml':
        'template: conditions\ndata:\n  kind: Widget\n  generation: sometimes\n  waitingMessage: wait\n  required:\n    - type: Ready\n      whenFals: Degraded\n',
    });
    let err = '';
    try {
      renderKind(join(root, 'k'));
    } catch (e) {
      err = (e as Error).message;
    }
    expect(err).toMatch(/check\.yaml:4:15: data\.generation: must be one of "none", "status", "condition" \(template conditions\)/);
    expect(err).toMatch(/check\.yaml:8:7: data\.required\[0\]\.whenFals: unknown field/);
    const missing = writeCatalog({ 'k/check.yaml': 'template: phase\ndata:\n  kind: Widget\n' });
    expect(() => renderKind(join(missing, 'k'))).toThrow(/data\.field: missing required field/);
  });

  it('the reconcile template: data strings stay strings, and its schema names a missing field', () => {
    const evil = 'wait"\nreturn {status="Healthy"} --';
    const data = {
      kind: 'Widget',
      waitingMessage: evil,
      successCondition: 'Ok',
      errorCondition: 'Err',
      errorPrefix: 'err "x": ',
      ready: { type: 'Ready', notReadyMessage: 'not yet', notReadyDetail: true, healthyMessage: 'fine' },
    };
    const root = writeCatalog({ 'k/check.yaml': { template: 'reconcile', data } });
    const { script } = renderKind(join(root, 'k'));
    expect(checkGopherLuaSyntax(script)).toEqual([]);
    expect(lintHealthScript(script, { openLibs: false })).toEqual([]);
    const obj = (conditions?: object[]) => ({
      apiVersion: 'x/v1',
      kind: 'Widget',
      metadata: { generation: 3 },
      ...(conditions ? { status: { conditions } } : {}),
    });
    expect(evaluateHealth(script, obj())).toMatchObject({ status: 'Progressing', message: evil });
    // Err True and newer than Ok: Degraded with the prefix and the reason (no message)
    const err = { type: 'Err', status: 'True', reason: 'Boom', lastTransitionTime: '2026-01-02T00:00:00Z' };
    const ok = { type: 'Ok', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' };
    expect(evaluateHealth(script, obj([ok, err]))).toMatchObject({ status: 'Degraded', message: 'err "x": Boom' });
    // Ok newer: the ready condition decides (missing, stale, not True with detail, True)
    const ok2 = { ...ok, lastTransitionTime: '2026-01-03T00:00:00Z' };
    expect(evaluateHealth(script, obj([err, ok2]))).toMatchObject({ status: 'Progressing', message: 'Waiting for condition Ready' });
    const ready = { type: 'Ready', status: 'True', message: 'operator text', observedGeneration: 3 };
    expect(evaluateHealth(script, obj([err, ok2, { ...ready, observedGeneration: 2 }]))).toMatchObject({
      status: 'Progressing',
      message: 'Waiting for the controller to observe generation 3 (Ready is for generation 2)',
    });
    expect(evaluateHealth(script, obj([err, ok2, { ...ready, status: 'False', reason: 'NotYet' }]))).toMatchObject({
      status: 'Progressing',
      message: 'not yet (Ready is False: NotYet)',
    });
    // conditionMessage is off: the data's message, not the condition's
    expect(evaluateHealth(script, obj([err, ok2, ready]))).toMatchObject({ status: 'Healthy', message: 'fine' });
    const own = writeCatalog({
      'k/check.yaml': { template: 'reconcile', data: { ...data, ready: { ...data.ready, conditionMessage: true } } },
    });
    expect(evaluateHealth(renderKind(join(own, 'k')).script, obj([ready]))).toMatchObject({ status: 'Healthy', message: 'operator text' });
    const missing = writeCatalog({
      'k/check.yaml':
        'template: reconcile\ndata:\n  kind: Widget\n  waitingMessage: wait\n  successCondition: Ok\n  errorCondition: Err\n  errorPrefix: ""\n  ready:\n    type: Ready\n    healthyMessage: fine\n',
    });
    expect(() => renderKind(join(missing, 'k'))).toThrow(
      /check\.yaml:9:5: data\.ready\.notReadyMessage: missing required field \(template reconcile\)/,
    );
  });

  it('every library check.yaml passes its template schema (renderKind validates)', () => {
    for (const k of listLibraryKinds()) expect(() => renderKind(k.dir), k.ref).not.toThrow();
    expect(existsSync(join(LIBRARY_DIR, 'argoproj.io', 'Application', 'health.lua'))).toBe(true);
  });
});
