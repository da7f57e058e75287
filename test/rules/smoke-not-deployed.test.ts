import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCatalog } from '../../src/check.js';
import { smokeNotDeployed } from '../../src/rules/smoke-not-deployed.js';
import { Application, ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { appSources, environmentAppSets, generatedSpec } from '../../src/rollout/appsets.js';
import { appSetYaml } from '../helpers/appset.js';
import { comp } from '../helpers/rules.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { type CatalogInput, findingsOf, inMemory, memoryCatalog } from './rule-tester.js';

// The ApplicationSet shape is examples/ameide/argocd's (git files generator over component.yaml,
// template path '{{ .path.path }}'); templatePatch is applied as Argo CD v3.5.1 applies it
// (applicationset/controllers/template/template.go renderTemplatePatch + patch.go: the patch is
// rendered with the same parameters, then strategic-merge-patched onto the Application).
const paths = ['environments/dev/components/**/component.yaml'];
const secrets = comp('secrets', 'foundation', 1, { componentType: 'secrets' });
const smoke = comp('secrets-smoke', 'foundation', 2, {
  componentType: 'smoke',
  dependencies: ['secrets'],
  smoke: { validates: ['secrets'], secrets: [{ name: 'db', namespace: 'app', keys: ['password'] }] },
});
const patchToRendered = (path: string): string =>
  ['{{- if eq .componentType "smoke" }}', 'spec:', '  source:', '    targetRevision: rendered', `    path: ${path}`, '{{- end }}'].join(
    '\n',
  );

function withAppSet(
  extra: Parameters<typeof appSetYaml>[0] extends infer O ? Partial<O> : never,
  components = [secrets, smoke],
): CatalogInput {
  return inMemory(components, {
    extra: { 'argocd/dev.yaml': appSetYaml({ name: 'dev', paths, labels: { t: '{{ .componentType }}' }, ...extra }) },
  });
}

describe('smoke-not-deployed', () => {
  it('valid: a templatePatch sends smoke components to the rendered chart folder; a chart source by name; no ApplicationSet', () => {
    expect(findingsOf(smokeNotDeployed, withAppSet({ templatePatch: patchToRendered('dev/smokes/{{ .name }}') }))).toEqual([]);
    expect(findingsOf(smokeNotDeployed, withAppSet({ templatePatch: patchToRendered('./rendered/dev/smokes/{{ .name }}/') }))).toEqual([]);
    const chart = [
      '{{- if eq .componentType "smoke" }}',
      'spec:',
      '  source:',
      '    repoURL: oci://registry.example.com/charts',
      '    chart: "{{ .name }}"',
      '    path: null',
      '{{- end }}',
    ].join('\n');
    expect(findingsOf(smokeNotDeployed, withAppSet({ templatePatch: chart }))).toEqual([]);
    expect(findingsOf(smokeNotDeployed, inMemory([secrets, smoke]))).toEqual([]);
    // a smoke with no checks renders no chart (smoke-coverage warns about it): nothing to deploy
    const empty = comp('empty-smoke', 'foundation', 2, {
      componentType: 'smoke',
      dependencies: ['secrets'],
      smoke: { validates: ['secrets'] },
    });
    expect(findingsOf(smokeNotDeployed, withAppSet({}, [secrets, empty]))).toEqual([]);
  });

  it('invalid: the template deploys the smoke folder (component.yaml only), at the template source line', () => {
    const f = findingsOf(smokeNotDeployed, withAppSet({}));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      rule: 'smoke-not-deployed',
      severity: 'error',
      file: 'argocd/dev.yaml',
      related: ['dev', 'secrets-smoke'],
    });
    expect(f[0]!.line).toBe(27);
    expect(f[0]!.message).toContain(
      'ApplicationSet dev does not deploy the smoke chart of secrets-smoke: its Application has path environments/dev/components/secrets-smoke, so the smoke Job never runs',
    );
    expect(f[0]!.message).toContain('a source path ending in dev/smokes/secrets-smoke');
  });

  it('one finding per ApplicationSet, naming five smokes and counting the rest', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ ...smoke, name: `s${i}-smoke` }));
    const f = findingsOf(smokeNotDeployed, withAppSet({}, [secrets, ...many]));
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain(
      "the smoke chart of s0-smoke, s1-smoke, s2-smoke, s3-smoke, s4-smoke and 2 more: s0-smoke's Application has path",
    );
    expect(f[0]!.related).toEqual(['dev', ...many.map((m) => m.name)]);
  });

  it("invalid: a patch to another environment's chart, to the wrong chart name, or one wavegate cannot evaluate, at the patch", () => {
    expect(findingsOf(smokeNotDeployed, withAppSet({ templatePatch: patchToRendered('prod/smokes/{{ .name }}') }))[0]!.message).toContain(
      'path prod/smokes/secrets-smoke',
    );
    const wrong = ['{{- if eq .componentType "smoke" }}', 'spec:', '  source:', '    chart: smoke', '{{- end }}'].join('\n');
    expect(findingsOf(smokeNotDeployed, withAppSet({ templatePatch: wrong }))[0]!.message).toContain(
      'chart smoke from https://example.com/gitops.git',
    );
    const f = findingsOf(smokeNotDeployed, withAppSet({ templatePatch: '{{ printf "%s" .name }}' }));
    expect(f[0]!.message).toBe(
      'ApplicationSet dev: cannot tell whether the Applications of secrets-smoke deploy their smoke charts: wavegate cannot evaluate the function printf in spec.templatePatch',
    );
    expect(f[0]!.line).toBe(30);
    // Argo CD's templatePatch is a strategic merge patch: `spec.source: null` removes the source
    const none = ['{{- if eq .componentType "smoke" }}', 'spec:', '  source: null', '{{- end }}'].join('\n');
    expect(findingsOf(smokeNotDeployed, withAppSet({ templatePatch: none }))[0]!.message).toContain('its Application has no source');
  });

  it('evaluates sources as Argo CD generates them: template strings, then the patch merged key by key', () => {
    const catalog = memoryCatalog(withAppSet({ templatePatch: patchToRendered('dev/smokes/{{ .name }}') }));
    const [a] = environmentAppSets(catalog, catalog.environments[0]!);
    const bySource = a!.apps.map((app) => [app.component.name, appSources(a!, app)]);
    expect(bySource).toEqual([
      [
        'secrets',
        {
          ok: true,
          patched: false,
          sources: [{ repoURL: 'https://example.com/gitops.git', targetRevision: 'main', path: 'environments/dev/components/secrets' }],
        },
      ],
      [
        'secrets-smoke',
        {
          ok: true,
          patched: true,
          sources: [{ repoURL: 'https://example.com/gitops.git', targetRevision: 'rendered', path: 'dev/smokes/secrets-smoke' }],
        },
      ],
    ]);
  });

  it('examples/ameide deploys every smoke chart of every environment (27 = 3 environments x 9 smokes)', () => {
    const catalog = loadCatalog(join(__dirname, '..', '..', 'examples', 'ameide'));
    let smokes = 0;
    for (const env of catalog.environments) {
      for (const a of environmentAppSets(catalog, env)) {
        for (const app of a.apps) {
          if (app.component.componentType !== 'smoke') continue;
          smokes++;
          const r = appSources(a, app);
          expect(r).toMatchObject({
            ok: true,
            sources: [{ targetRevision: 'rendered', path: `${env.name}/smokes/${app.component.name}` }],
          });
          // the patched Application is a valid Application (npm @kubernetes-models/argo-cd, from Argo CD's CRDs)
          const g = generatedSpec(a, app);
          expect(g.ok).toBe(true);
          if (g.ok)
            expect(() =>
              new Application({ metadata: { name: app.name!, namespace: 'argocd' }, spec: g.spec as never }).validate(),
            ).not.toThrow();
        }
      }
    }
    expect(smokes).toBe(27);
    for (const a of environmentAppSets(catalog, catalog.environments[0]!))
      expect(() => new ApplicationSet(a.doc.value as never).validate()).not.toThrow();
    expect(checkCatalog(catalog, { rules: [smokeNotDeployed] })).toEqual([]);
  });
});
