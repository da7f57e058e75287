// `wavegate health eval` on what users pipe into it, and `health test` on a wrong path.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { writeCatalog } from '../helpers/catalog.js';

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'wavegate.js');
const ES = join(ROOT, 'lua', 'external-secrets.io', 'ExternalSecret', 'testdata');
const run = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input });

// The shape `kubectl get <kind> -o yaml` prints for several objects: a v1 List with the
// objects under items and an empty resourceVersion (kubectl's get printer, k8s.io/kubectl
// pkg/cmd/get/get.go wraps multiple objects in a List).
const healthy = parse(readFileSync(join(ES, 'healthy.yaml'), 'utf8'));
const degraded = parse(readFileSync(join(ES, 'degraded.yaml'), 'utf8'));
const list = stringify({
  apiVersion: 'v1',
  items: [healthy, degraded, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'app' } }],
  kind: 'List',
  metadata: { resourceVersion: '' },
});

describe('health eval', () => {
  it('reads stdin with -, and evaluates each item of a List', () => {
    const r = run(['health', 'eval', '-'], list);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        '--- ExternalSecret platform/keycloak-db',
        'STATUS: Healthy',
        'MESSAGE: Secret was synced',
        '--- ExternalSecret platform/keycloak-db',
        'STATUS: Degraded',
        `MESSAGE: ${degraded.status.conditions[0].message}`,
        '--- Deployment app/web',
        'No Lua health check is configured for apps/Deployment: Argo CD assesses this kind in Go (not emulated by wavegate).',
        '',
      ].join('\n'),
    );
  });

  it('--format json: one result per object, with the check that judged it', () => {
    const r = run(['health', 'eval', '-', '--format', 'json'], list);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { results: Record<string, string>[] };
    expect(out.results.map((x) => [x.kind, x.check, x.status])).toEqual([
      ['ExternalSecret', 'external-secrets.io/ExternalSecret', 'Healthy'],
      ['ExternalSecret', 'external-secrets.io/ExternalSecret', 'Degraded'],
      ['Deployment', undefined, undefined],
    ]);
    expect(out.results[2]!.note).toMatch(/assesses this kind in Go/);
  });

  it('one object keeps the two-line output; several documents are each evaluated', () => {
    const one = run(['health', 'eval', join(ES, 'healthy.yaml')]);
    expect(one.stdout).toBe('STATUS: Healthy\nMESSAGE: Secret was synced\n');
    const two = run(['health', 'eval', '-'], `${stringify(healthy)}---\n${stringify(degraded)}`);
    expect(two.stdout.match(/^STATUS: /gm)).toHaveLength(2);
  });

  it('empty or broken input is a usage error naming it', () => {
    expect(run(['health', 'eval', '-'], '')).toMatchObject({ status: 2, stderr: 'wavegate: error: (stdin): no resource in it\n' });
    expect(run(['health', 'eval', '-'], 'a: [')).toMatchObject({ status: 2 });
    expect(run(['health', 'eval', '-'], 'a: [').stderr).toMatch(/^wavegate: error: \(stdin\): not valid YAML: /);
  });
});

describe('health test', () => {
  it('exits 1 and says so when no case is found (a wrong path in CI must not pass)', () => {
    const dir = writeCatalog({ 'checks/readme.txt': 'no tests here' });
    const r = run(['health', 'test', join(dir, 'checks')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`wavegate: no health_test.yaml cases found under ${join(dir, 'checks')}\n`);
  });
});
