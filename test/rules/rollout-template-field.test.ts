import { describe, expect, it } from 'vitest';
import { rolloutTemplateField } from '../../src/rules/rollout-template-field.js';
import { appSetYaml } from '../helpers/appset.js';
import { comp } from '../helpers/rules.js';
import { inMemory, findingsOf } from './rule-tester.js';

// With goTemplateOptions ["missingkey=error"], Go's text/template fails on a missing map key, and
// the ApplicationSet controller generates no Application for those parameters.
const paths = ['environments/dev/components/**/component.yaml'];
const ns = "        namespace: '{{ .namespace }}'";

describe('rollout-template-field', () => {
  it('valid: every component sets the field; without missingkey=error; fields the generator adds (path)', () => {
    const all = [comp('a', 'foundation', 1, { namespace: 'x' }), comp('b', 'foundation', 2, { namespace: 'y' })];
    expect(
      findingsOf(rolloutTemplateField, inMemory(all, { extra: { 'argocd/a.yaml': appSetYaml({ name: 's', paths, specExtra: ns }) } })),
    ).toEqual([]);
    const some = [comp('a', 'foundation', 1, { namespace: 'x' }), comp('b', 'foundation', 2)];
    expect(
      findingsOf(
        rolloutTemplateField,
        inMemory(some, { extra: { 'argocd/a.yaml': appSetYaml({ name: 's', paths, specExtra: ns, missingKeyError: false }) } }),
      ),
    ).toEqual([]);
  });

  it('invalid: a field some components do not set, naming them, at the line that uses it', () => {
    const some = [comp('a', 'foundation', 1, { namespace: 'x' }), comp('b', 'foundation', 2), comp('c', 'data', 20)];
    const f = findingsOf(
      rolloutTemplateField,
      inMemory(some, { extra: { 'argocd/a.yaml': appSetYaml({ name: 's', paths, specExtra: ns }) } }),
    );
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', environment: 'dev', file: 'argocd/a.yaml', related: ['s', 'b', 'c'] });
    expect(f[0]!.line).toBe(30); // the namespace line of template.spec.destination
    expect(f[0]!.message).toMatch(
      /^ApplicationSet s: the template uses \{\{ \.namespace \}\} with missingkey=error, and b, c do not set namespace: Argo CD cannot generate those Applications/,
    );
  });
});
