import { describe, expect, it } from 'vitest';
import { missingEdge } from '../../src/rules/missing-edge.js';
import { comp } from '../helpers/rules.js';
import { inMemory, findingsOf } from './rule-tester.js';

const store = comp('foundation-vault-secret-store', 'foundation', 5, { provides: { kinds: ['external-secrets.io/ClusterSecretStore'] } });
const bundle = comp('foundation-vault-secrets-observability', 'foundation', 6, {
  dependencies: ['foundation-vault-secret-store'],
  consumes: { kinds: ['external-secrets.io/ClusterSecretStore'] },
  provides: { secrets: ['observability/grafana-admin-credentials'] },
});

describe('missing-edge', () => {
  it('valid: direct and transitive paths to the provider; nobody provides it; the consumer provides it itself', () => {
    const root = inMemory([
      store,
      bundle,
      comp('platform-grafana', 'platform', 42, {
        namespace: 'observability',
        dependencies: ['foundation-vault-secrets-observability'],
        // transitive: grafana -> bundle -> store
        consumes: { secrets: ['grafana-admin-credentials'], kinds: ['external-secrets.io/ClusterSecretStore', 'example.io/Nobody'] },
      }),
      comp('self-sufficient', 'platform', 40, { provides: { services: ['s3'] }, consumes: { services: ['s3'] } }),
    ]);
    expect(findingsOf(missingEdge, root)).toEqual([]);
  });

  it('invalid: names consumer, provider (related) and items, offers the edge, and says when a wave change is needed', () => {
    const root = inMemory([
      store,
      bundle,
      comp('platform-grafana', 'platform', 42, {
        namespace: 'observability',
        provides: { services: ['grafana'] },
        consumes: { secrets: ['grafana-admin-credentials'] },
      }),
      comp('platform-grafana-datasources', 'platform', 41, { consumes: { services: ['grafana'] } }),
    ]);
    const f = findingsOf(missingEdge, root);
    expect(f.map((x) => [x.component, x.related])).toEqual([
      ['platform-grafana-datasources', ['platform-grafana']],
      ['platform-grafana', ['foundation-vault-secrets-observability']],
    ]);
    expect(f[1]!.message).toBe(
      'consumes secret grafana-admin-credentials from foundation-vault-secrets-observability with no dependency path to it: add dependency foundation-vault-secrets-observability',
    );
    expect(f[1]!.fix).toEqual({
      addDependencies: [{ environment: 'dev', component: 'platform-grafana', dependency: 'foundation-vault-secrets-observability' }],
    });
    expect(f[0]!.message).toBe(
      'consumes service grafana from platform-grafana with no dependency path to it: add dependency platform-grafana ' +
        '(this also needs a wave change: platform-grafana-datasources is wave 41, platform-grafana is wave 42, so platform-grafana-datasources must move above 42 or platform-grafana below 41)',
    );
    expect(f[0]!.line).toBe(6); // the consumes entry
  });

  it('secrets in another namespace are a different secret; several items from one provider make one finding', () => {
    const root = inMemory([
      comp('p', 'data', 20, { provides: { secrets: ['a/db-creds', 'a/other'], kinds: ['x.io/Thing'] } }),
      comp('other-ns', 'data', 30, { namespace: 'b', consumes: { secrets: ['db-creds'] } }),
      comp('same-ns', 'data', 30, { consumes: { secrets: ['a/db-creds', 'other'], kinds: ['x.io/Thing'] } }),
    ]);
    const f = findingsOf(missingEdge, root);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ component: 'same-ns', related: ['p'] });
    expect(f[0]!.message).toContain('consumes kind x.io/Thing, secret a/db-creds, secret other from p');
  });

  it('a consumer providing the secret itself needs no edge, also across namespace spellings', () => {
    const root = inMemory([
      comp('prov', 'data', 20, { namespace: 'n1', provides: { secrets: ['s', 'n2/s2', 't'] } }),
      // provides n1/s as "n1/s" and consumes it as bare "s" in its own namespace n1: itself
      comp('self-ns', 'data', 30, { namespace: 'n1', provides: { secrets: ['n1/s'] }, consumes: { secrets: ['s'] } }),
      // provides n1/s2 but consumes s2 of its own namespace n2: not itself, prov has n2/s2
      comp('other-ns', 'data', 30, { namespace: 'n2', provides: { secrets: ['n1/s2'] }, consumes: { secrets: ['s2'] } }),
      // no namespace: a bare consumed name matches its own x/t
      comp('no-ns', 'data', 30, { provides: { secrets: ['x/t'] }, consumes: { secrets: ['t'] } }),
      // a longer name ending like the consumed one is another secret
      comp('suffix', 'data', 30, { namespace: 'n1', provides: { secrets: ['n1/xt'] }, consumes: { secrets: ['t'] } }),
    ]);
    const f = findingsOf(missingEdge, root);
    expect(f.map((x) => [x.component, x.related])).toEqual([
      ['other-ns', ['prov']],
      ['suffix', ['prov']],
    ]);
  });

  it('several providers: one finding per item naming all, no automatic edge', () => {
    const root = inMemory([
      comp('p1', 'data', 20, { provides: { services: ['s3'] } }),
      comp('p2', 'data', 20, { provides: { services: ['s3'] } }),
      comp('c', 'data', 30, { consumes: { services: ['s3'] } }),
      comp('ok', 'data', 30, { dependencies: ['p2'], consumes: { services: ['s3'] } }),
    ]);
    const f = findingsOf(missingEdge, root);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ component: 'c', related: ['p1', 'p2'] });
    expect(f[0]!.fix).toBeUndefined();
    expect(f[0]!.message).toContain('provided by p1, p2, with no dependency path to any of them');
  });

  it('an edge that would close a cycle is explained, not offered', () => {
    const root = inMemory([
      comp('p', 'data', 30, { dependencies: ['c'], provides: { services: ['api'] } }),
      comp('c', 'data', 20, { consumes: { services: ['api'] } }),
    ]);
    const f = findingsOf(missingEdge, root);
    expect(f).toHaveLength(1);
    expect(f[0]!.fix).toBeUndefined();
    expect(f[0]!.message).toContain('adding the edge would close a cycle (p -> c)');
  });
});
