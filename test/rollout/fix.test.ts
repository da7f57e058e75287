import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadCatalog } from '../../src/catalog/load.js';
import { checkCatalog } from '../../src/check.js';
import { applyFix, planFix } from '../../src/graph/fix.js';
import { appSetYaml } from '../helpers/appset.js';
import { writeCatalog } from '../helpers/catalog.js';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'wavegate.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

// A catalog with negative waves, _shared components and two ApplicationSets (one per environment),
// their templates labelling the raw wave (as examples/ameide did): -5 is not a label value.
function catalog(): string {
  return writeCatalog({
    'wavegate.yaml':
      'tiers:\n  - name: foundation\n    waves: [-10, 15]\n  - name: apps\n    waves: [16, 99]\nrollout:\n  maxUpdate:\n    apps: "50%"\n',
    'environments/_shared/components/crds/component.yaml': { name: 'crds', tier: 'foundation', wave: -5 },
    'environments/_shared/components/operator/component.yaml': { name: 'operator', tier: 'foundation', wave: 1, dependencies: ['crds'] },
    'environments/dev/components/app/component.yaml': { name: 'app', tier: 'apps', wave: 20, dependencies: ['operator'] },
    'environments/prod/components/db/component.yaml': { name: 'db', tier: 'apps', wave: 20, dependencies: ['operator'] },
    'environments/prod/components/app/component.yaml': { name: 'app', tier: 'apps', wave: 21, dependencies: ['db'] },
    'argocd/dev.yaml': appSetYaml({
      name: 'dev',
      paths: ['environments/_shared/components/**/component.yaml', 'environments/dev/components/**/component.yaml'],
    }),
    // prod's ApplicationSet lives in a file of two documents, after a ConfigMap
    'argocd/prod.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unrelated\ndata:\n  a: "1"\n---\n${appSetYaml({
      name: 'prod',
      paths: ['environments/_shared/components/**/component.yaml', 'environments/prod/components/**/component.yaml'],
      labels: { 'example.com/env': 'prod' },
    })}`,
  });
}

/** The text without the lines fix may add or change. */
const strip = (t: string): string =>
  t
    .split('\n')
    .filter(
      (l) => !/^ {2}strategy:|^ {4}(type|rollingSync)|^ {6}steps:|^ {8}(- matchExpressions| {2}maxUpdate)|wavegate\.dev\/wave/.test(l),
    )
    .join('\n');

describe('wavegate fix writes RollingSync steps into ApplicationSets', () => {
  it('negative waves, _shared components, two ApplicationSets: the right steps, every other byte kept, valid ApplicationSets', () => {
    const root = catalog();
    const before = { dev: readFileSync(join(root, 'argocd/dev.yaml'), 'utf8'), prod: readFileSync(join(root, 'argocd/prod.yaml'), 'utf8') };
    const c = loadCatalog(root);
    expect(
      checkCatalog(c)
        .filter((f) => f.rule === 'rollout-order')
        .map((f) => [f.environment, f.file]),
    ).toEqual([
      ['dev', 'argocd/dev.yaml'],
      ['prod', 'argocd/prod.yaml'],
    ]);
    const plan = planFix(c, checkCatalog(c));
    expect(plan.appSets.map((e) => [e.file, e.appSet, e.environments])).toEqual([
      ['argocd/dev.yaml', 'dev', ['dev']],
      ['argocd/prod.yaml', 'prod', ['prod']],
    ]);
    applyFix(c, plan);
    const dev = readFileSync(join(root, 'argocd/dev.yaml'), 'utf8');
    const prodDocs = parseAllDocuments(readFileSync(join(root, 'argocd/prod.yaml'), 'utf8')).map((d) => d.toJS());
    expect(prodDocs[0]).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated' }, data: { a: '1' } });
    const devSet = parse(dev);
    const prodSet = prodDocs[1];
    // -5 becomes the label value m5 (documented in docs/rollout.md); ascending waves, one step each
    const step = (v: string, maxUpdate?: string) => ({
      matchExpressions: [{ key: 'wavegate.dev/wave', operator: 'In', values: [v] }],
      ...(maxUpdate ? { maxUpdate } : {}),
    });
    expect(devSet.spec.strategy).toEqual({ type: 'RollingSync', rollingSync: { steps: [step('m5'), step('1'), step('20', '50%')] } });
    expect(prodSet.spec.strategy).toEqual({
      type: 'RollingSync',
      rollingSync: { steps: [step('m5'), step('1'), step('20', '50%'), step('21', '50%')] },
    });
    expect(devSet.spec.template.metadata.labels['wavegate.dev/wave']).toBe('{{ .wave | toString | replace "-" "m" }}');
    expect(prodSet.spec.template.metadata.labels).toEqual({
      'example.com/env': 'prod',
      'wavegate.dev/wave': '{{ .wave | toString | replace "-" "m" }}',
    });
    // every other byte (comments included) as it was
    expect(strip(dev)).toBe(strip(before.dev));
    expect(strip(readFileSync(join(root, 'argocd/prod.yaml'), 'utf8'))).toBe(strip(before.prod));
    expect(dev).toContain('  # the Application of each component\n  template:');
    // The ApplicationSet schema (npm @kubernetes-models/argo-cd, generated from Argo CD's CRDs) accepts both.
    expect(() => new ApplicationSet(devSet).validate()).not.toThrow();
    expect(() => new ApplicationSet(prodSet).validate()).not.toThrow();
    expect(() =>
      new ApplicationSet({
        ...devSet,
        spec: {
          ...devSet.spec,
          strategy: { type: 'RollingSync', rollingSync: { steps: [{ matchExpressions: [{ key: 'k', operator: 'In', values: 'x' }] }] } },
        },
      }).validate(),
    ).toThrow();
    // clean afterwards, and a second fix changes nothing
    const after = loadCatalog(root);
    expect(checkCatalog(after).filter((f) => f.rule.startsWith('rollout-'))).toEqual([]);
    expect(planFix(after, checkCatalog(after)).appSets).toEqual([]);
  });

  it('check --suggest shows the same change (text and JSON), and fix --dry-run writes nothing', () => {
    const root = catalog();
    const text = run(['check', root, '--suggest']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      'Suggested spec.strategy for ApplicationSet dev (argocd/dev.yaml, dev):\n  strategy: # written by wavegate fix',
    );
    expect(text.stdout).toContain(`        - matchExpressions: [{ key: wavegate.dev/wave, operator: In, values: ["m5"] }] # wave -5\n`);
    expect(text.stdout).toContain(`  and in spec.template.metadata.labels: wavegate.dev/wave: '{{ .wave | toString | replace "-" "m" }}'`);
    const json = JSON.parse(run(['check', root, '--suggest', '--format', 'json']).stdout) as {
      rollouts: { applicationSet: string; strategy: { rollingSync: { steps: unknown[] } } }[];
    };
    expect(json.rollouts.map((r) => [r.applicationSet, r.strategy.rollingSync.steps.length])).toEqual([
      ['dev', 3],
      ['prod', 4],
    ]);
    const before = readFileSync(join(root, 'argocd/dev.yaml'), 'utf8');
    const dry = run(['fix', root, '--dry-run']);
    expect(dry.stdout).toContain(
      'would edit argocd/dev.yaml: ApplicationSet dev: RollingSync, 3 steps by wavegate.dev/wave (waves -5, 1, 20)',
    );
    expect(readFileSync(join(root, 'argocd/dev.yaml'), 'utf8')).toBe(before);
    const fixed = run(['fix', root]);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(run(['check', root]).code).toBe(0);
  });

  it('fix follows the wave changes it makes in the same run', () => {
    const root = writeCatalog({
      'environments/dev/components/store/component.yaml': { name: 'store', tier: 'foundation', wave: 5 },
      'environments/dev/components/bundle/component.yaml': { name: 'bundle', tier: 'foundation', wave: 5, dependencies: ['store'] },
      'argocd/dev.yaml': appSetYaml({ name: 'dev', paths: ['environments/dev/components/**/component.yaml'] }),
    });
    const r = run(['fix', root]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('bundle');
    expect(run(['check', root]).code).toBe(0);
  });
});
