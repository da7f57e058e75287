import type { Component, Environment } from '../catalog/types.js';
import { environmentGraph, environmentReachability } from '../graph/graph.js';
import type { Rule, RuleReport } from './types.js';

export type ItemType = 'kinds' | 'secrets' | 'services';
const SINGULAR: Record<ItemType, string> = { kinds: 'kind', secrets: 'secret', services: 'service' };
const TYPES: readonly ItemType[] = ['kinds', 'secrets', 'services'];

interface SecretRef {
  namespace?: string;
  name: string;
}

/** `ns/name` or `name`; a bare name takes the component's namespace when it has one. */
export function secretRef(ref: string, c: Component): SecretRef {
  const i = ref.indexOf('/');
  return i >= 0 ? { namespace: ref.slice(0, i), name: ref.slice(i + 1) } : { namespace: c.namespace, name: ref };
}

/** Same name, and the same namespace when both sides know theirs. */
function sameSecret(a: SecretRef, b: SecretRef): boolean {
  return a.name === b.name && (a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace);
}

/** Who provides each kind, secret and service in an environment. */
export class ProviderIndex {
  /** Providers per item key, in component (name) order, each component once per key. */
  private readonly byItem = new Map<string, { component: Component; ref?: SecretRef }[]>();
  constructor(env: Environment) {
    for (const c of env.components) {
      for (const t of TYPES) {
        for (const item of c.provides[t]) {
          const ref = t === 'secrets' ? secretRef(item, c) : undefined;
          const key = ref ? `secrets\u0000${ref.name}` : `${t}\u0000${item}`;
          let list = this.byItem.get(key);
          if (!list) this.byItem.set(key, (list = []));
          list.push({ component: c, ref });
        }
      }
    }
  }

  /** Components (other than `consumer`) providing `item`, by name, without duplicates. */
  providers(type: ItemType, item: string, consumer: Component): Component[] {
    const ref = type === 'secrets' ? secretRef(item, consumer) : undefined;
    const list = this.byItem.get(ref ? `secrets\u0000${ref.name}` : `${type}\u0000${item}`);
    if (!list) return [];
    const out: Component[] = [];
    for (const p of list) {
      if (p.component === consumer || out[out.length - 1] === p.component) continue;
      if (ref && !sameSecret(ref, p.ref!)) continue;
      out.push(p.component);
    }
    return out;
  }

  /** Whether `c` itself provides what it consumes (then no edge is needed). */
  static providesItself(type: ItemType, item: string, c: Component): boolean {
    if (type !== 'secrets') return c.provides[type].includes(item);
    const ref = secretRef(item, c);
    return c.provides.secrets.some((p) => sameSecret(ref, secretRef(p, c)));
  }
}

const describe = (items: { type: ItemType; item: string }[]): string =>
  items.map((i) => `${SINGULAR[i.type]} ${i.item}`).join(', ');

/**
 * A component that consumes a kind, secret or service another component provides, with no
 * dependency path (direct or transitive) to a provider.
 */
export const missingEdge: Rule = {
  id: 'missing-edge',
  description: 'A component consumes a kind, secret or service that another component provides, with no dependency path to the provider.',
  defaultSeverity: 'error',
  checkEnvironment({ env }) {
    const g = environmentGraph(env);
    const reach = environmentReachability(env);
    const index = new ProviderIndex(env);
    const out: RuleReport[] = [];
    g.components.forEach((c, v) => {
      const wanted: { type: ItemType; item: string; at: number; providers: Component[] }[] = [];
      for (const type of TYPES) {
        c.consumes[type].forEach((item, at) => {
          if (ProviderIndex.providesItself(type, item, c)) return;
          const providers = index.providers(type, item, c);
          if (providers.length > 0) wanted.push({ type, item, at, providers });
        });
      }
      if (wanted.length === 0) return;
      // Most consumers depend on their providers directly: only search when one does not.
      const direct = g.deps[v]!;
      const isDirect = (p: Component): boolean => direct.includes(g.index.get(p.name)!);
      const open = wanted.filter((w) => !w.providers.some(isDirect));
      if (open.length === 0) return;
      const targets = [...new Set(open.flatMap((w) => w.providers.map((p) => g.index.get(p.name)!)))];
      const reached = reach.reachable(v, targets);
      // One finding per single provider (items grouped), one per item with several providers.
      const single = new Map<string, { provider: Component; items: typeof wanted }>();
      for (const w of open) {
        if (w.providers.some((p) => reached.has(g.index.get(p.name)!))) continue;
        if (w.providers.length === 1) {
          const p = w.providers[0]!;
          const s = single.get(p.name) ?? { provider: p, items: [] };
          s.items.push(w);
          single.set(p.name, s);
          continue;
        }
        const pos = c.locate(['consumes', w.type, w.at]);
        out.push({
          component: c.name,
          related: w.providers.map((p) => p.name),
          message:
            `consumes ${describe([w])}, provided by ${w.providers.map((p) => p.name).join(', ')}, ` +
            'with no dependency path to any of them: add a dependency on the one it uses',
          file: c.file,
          line: pos?.line,
          column: pos?.column,
        });
      }
      for (const { provider: p, items } of single.values()) {
        const first = items[0]!;
        const pos = c.locate(['consumes', first.type, first.at]);
        const pi = g.index.get(p.name)!;
        const back = reach.reachable(pi, [v]).size > 0 ? reach.path(pi, v) : undefined;
        let message = `consumes ${describe(items)} from ${p.name} with no dependency path to it`;
        let fix: RuleReport['fix'];
        if (back) {
          message += `; adding the edge would close a cycle (${back.map((x) => g.components[x]!.name).join(' -> ')}), so one of them must stop depending on the other`;
        } else {
          message += `: add dependency ${p.name}`;
          if (c.wave <= p.wave) {
            message += ` (this also needs a wave change: ${c.name} is wave ${c.wave}, ${p.name} is wave ${p.wave}, so ${c.name} must move above ${p.wave} or ${p.name} below ${c.wave})`;
          }
          fix = { addDependencies: [{ environment: env.name, component: c.name, dependency: p.name }] };
        }
        out.push({ component: c.name, related: [p.name], message, file: c.file, line: pos?.line, column: pos?.column, fix });
      }
    });
    return out;
  },
};
