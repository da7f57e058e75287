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
function secretRef(ref: string, c: Component): SecretRef {
  const i = ref.indexOf('/');
  return i >= 0 ? { namespace: ref.slice(0, i), name: ref.slice(i + 1) } : { namespace: c.namespace, name: ref };
}

/** Same name, and the same namespace when both sides know theirs. */
function sameSecret(a: SecretRef, b: SecretRef): boolean {
  return a.name === b.name && (a.namespace === undefined || b.namespace === undefined || a.namespace === b.namespace);
}

/** Whether the secret reference `ref` (`ns/name` or `name`, of a component in namespace `ns`)
 * names the secret `name` in `namespace`: sameSecret(secretRef(...), ...) without allocating. */
function refMatches(ref: string, ns: string | undefined, name: string, namespace: string | undefined): boolean {
  const i = ref.indexOf('/');
  if (i < 0) return ref === name && (ns === undefined || namespace === undefined || ns === namespace);
  if (ref.length - i - 1 !== name.length || !ref.endsWith(name)) return false;
  return namespace === undefined || ref.slice(0, i) === namespace;
}

/** A provider of a secret: component id (index in the environment's components) and its reference. */
interface SecretProvider {
  id: number;
  ref: SecretRef;
}

/**
 * Who provides each kind, secret and service in an environment, by component id (index in
 * `env.components`, the same as the dependency graph's node ids).
 */
export class ProviderIndex {
  /** Providers of kinds and services per item, in component order, each component once. */
  private readonly plain: Record<'kinds' | 'services', Map<string, number[]>> = { kinds: new Map(), services: new Map() };
  /** Providers of secrets per secret name, in component order, once per reference. */
  private readonly secrets = new Map<string, SecretProvider[]>();
  constructor(env: Environment) {
    env.components.forEach((c, id) => {
      for (const t of PLAIN_TYPES) {
        const items = c.provides[t];
        if (items.length === 0) continue;
        const m = this.plain[t];
        for (const item of items) {
          let list = m.get(item);
          if (!list) m.set(item, (list = []));
          if (list[list.length - 1] !== id) list.push(id);
        }
      }
      for (const item of c.provides.secrets) {
        const ref = secretRef(item, c);
        let list = this.secrets.get(ref.name);
        if (!list) this.secrets.set(ref.name, (list = []));
        list.push({ id, ref });
      }
    });
  }

  /** Ids of the components (other than `consumer`, id `self`) providing `item`, in order, without duplicates. */
  providers(type: ItemType, item: string, consumer: Component, self: number): number[] {
    if (type !== 'secrets') {
      const list = this.plain[type].get(item);
      if (!list) return NONE;
      if (list.length === 1) return list[0] === self ? NONE : list;
      return list.filter((id) => id !== self);
    }
    const slash = item.indexOf('/');
    const list = this.secrets.get(slash >= 0 ? item.slice(slash + 1) : item);
    if (!list) return NONE;
    const ref = secretRef(item, consumer);
    const out: number[] = [];
    for (const p of list) {
      if (p.id === self || out[out.length - 1] === p.id) continue;
      if (!sameSecret(ref, p.ref)) continue;
      out.push(p.id);
    }
    return out;
  }

  /** Whether `c` itself provides what it consumes (then no edge is needed). */
  static providesItself(type: ItemType, item: string, c: Component): boolean {
    if (type !== 'secrets') return c.provides[type].includes(item);
    const provided = c.provides.secrets;
    if (provided.length === 0) return false;
    const ref = secretRef(item, c);
    for (const p of provided) if (refMatches(p, c.namespace, ref.name, ref.namespace)) return true;
    return false;
  }
}

const NONE: number[] = [];
const PLAIN_TYPES = ['kinds', 'services'] as const;

const describe = (items: { type: ItemType; item: string }[]): string => items.map((i) => `${SINGULAR[i.type]} ${i.item}`).join(', ');

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
    const names = (ids: readonly number[]): string[] => ids.map((id) => g.components[id]!.name);
    g.components.forEach((c, v) => {
      let wanted: { type: ItemType; item: string; at: number; providers: number[] }[] | undefined;
      for (const type of TYPES) {
        const items = c.consumes[type];
        for (let at = 0; at < items.length; at++) {
          const item = items[at]!;
          if (ProviderIndex.providesItself(type, item, c)) continue;
          const providers = index.providers(type, item, c, v);
          if (providers.length > 0) (wanted ??= []).push({ type, item, at, providers });
        }
      }
      if (wanted === undefined) return;
      // Most consumers depend on their providers directly: only search when one does not.
      const direct = g.deps[v]!;
      const open = wanted.filter((w) => !w.providers.some((p) => direct.includes(p)));
      if (open.length === 0) return;
      const targets = [...new Set(open.flatMap((w) => w.providers))];
      const reached = reach.reachable(v, targets);
      // One finding per single provider (items grouped), one per item with several providers.
      const single = new Map<number, { provider: Component; items: typeof open }>();
      for (const w of open) {
        if (w.providers.some((p) => reached.has(p))) continue;
        if (w.providers.length === 1) {
          const p = w.providers[0]!;
          const s = single.get(p) ?? { provider: g.components[p]!, items: [] };
          s.items.push(w);
          single.set(p, s);
          continue;
        }
        const pos = c.locate(['consumes', w.type, w.at]);
        out.push({
          component: c.name,
          related: names(w.providers),
          message:
            `consumes ${describe([w])}, provided by ${names(w.providers).join(', ')}, ` +
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
