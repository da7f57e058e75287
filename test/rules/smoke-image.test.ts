import { describe, expect, it } from 'vitest';
import { checkCatalog } from '../../src/check.js';
import { smokeImage } from '../../src/rules/smoke-image.js';
import { comp } from '../helpers/rules.js';
import { DIGEST } from '../smoke/fixture.js';
import { inMemory, findingsOf, memoryCatalog } from './rule-tester.js';

const store = comp('store', 'foundation', 1);
const smoke = comp('store-smoke', 'foundation', 2, {
  componentType: 'smoke',
  dependencies: ['store'],
  smoke: { validates: ['store'], secrets: [{ name: 'db', namespace: 'app' }] },
});
const image = (digest?: string): string =>
  `smoke:\n  image:\n    repository: registry.k8s.io/kubectl\n    tag: v1.35.2\n${digest ? `    digest: "${digest}"\n` : ''}`;

describe('smoke-image', () => {
  it('valid: the image pinned by digest; no smoke with checks (nothing is rendered)', () => {
    expect(findingsOf(smokeImage, inMemory([store, smoke], { extra: { 'wavegate.yaml': image(DIGEST) } }))).toEqual([]);
    const noChecks = comp('store-smoke', 'foundation', 2, {
      componentType: 'smoke',
      dependencies: ['store'],
      smoke: { validates: ['store'] },
    });
    expect(findingsOf(smokeImage, inMemory([store, noChecks]))).toEqual([]);
  });

  it('invalid: tag only, once for the catalog (not once per environment), at wavegate.yaml when there is one', () => {
    const f = findingsOf(smokeImage, inMemory([store, smoke], { envs: ['dev', 'prod'], extra: { 'wavegate.yaml': image() } }));
    expect(f).toEqual([
      {
        rule: 'smoke-image',
        severity: 'warning',
        file: 'wavegate.yaml',
        message:
          'smoke image registry.k8s.io/kubectl:v1.35.2 is not pinned by digest: set smoke.image.digest (sha256:...) in wavegate.yaml',
      },
    ]);
    expect(findingsOf(smokeImage, inMemory([store, smoke]))[0]).not.toHaveProperty('file');
  });

  it('rules: smoke-image error makes it stop check and render; off silences it', () => {
    const sev = (rules: string): string[] => {
      const c = memoryCatalog(inMemory([store, smoke], { extra: { 'wavegate.yaml': `rules:\n  smoke-image: ${rules}\n` } }));
      return checkCatalog(c, { rules: [smokeImage] }).map((x) => x.severity);
    };
    expect(sev('error')).toEqual(['error']);
    expect(sev('off')).toEqual([]);
  });
});
