import { smokeCheckFieldOfKind } from '../catalog/smoke-checks.js';
import type { Component, Environment } from '../catalog/types.js';
import type { ConsumesAddition, FindingFix, SmokeCheckAddition } from '../findings.js';
import { environmentGraph, environmentReachability, newSmokeName, smokeValidating } from '../graph/graph.js';
import { ProviderIndex } from './missing-edge.js';
import type { Rule, RuleReport } from './types.js';
import { collectDefines, definedObjects, scanWaits, type Define, type WaitCommand, type WaitTarget } from './wait-scan.js';

interface Defined {
  kind: string;
  name: string;
  namespace?: string;
  targetName?: string;
}

/** apiVersion and the condition a smoke checks, for kinds a wait names (StatefulSets and Services report none). */
const CHECKABLE: Record<string, { apiVersion: string; condition: string }> = {
  Pod: { apiVersion: 'v1', condition: 'Ready' },
  Job: { apiVersion: 'batch/v1', condition: 'Complete' },
  Deployment: { apiVersion: 'apps/v1', condition: 'Available' },
  CustomResourceDefinition: { apiVersion: 'apiextensions.k8s.io/v1', condition: 'Established' },
};

const isTemplate = (s: string | undefined): boolean => s?.includes('{{') === true;

function describeTarget(t: WaitTarget): string {
  const where = t.namespace ? `${t.namespace}/` : '';
  if (t.name) return `${t.kind} ${where}${t.name}`;
  if (t.selector) return `${t.kind} selected by ${t.selector}${t.namespace ? ` in ${t.namespace}` : ''}`;
  return `a ${t.kind} (no name in the command)`;
}

/**
 * A chart-level wait (backlog 382: "No chart-level secret wait hooks remain"): in the files a
 * component deploys, a PreSync/Sync hook (argocd.argoproj.io/hook, or helm.sh/hook
 * pre-install/pre-upgrade, which Argo CD runs as PreSync) or an init container that waits for
 * something: kubectl wait, a polling loop (until/while/for with a sleep) around kubectl get,
 * nc, pg_isready, curl, nslookup, or wait-for-it, wait-for, dockerize -wait, k8s-wait-for. A
 * wait only for what the component makes itself is not reported. The finding names what it
 * waits for and what replaces it: a dependency on the component that provides it (from
 * `provides` or that component's manifests), a `consumes` entry, and a smoke check. fix adds
 * those; it never deletes the wait, so the finding stays until the team removes it.
 */
export const chartWaitHook: Rule = {
  id: 'chart-wait-hook',
  description:
    "A hook before or during sync, or an init container, in a component's chart or manifests waits for something another component provides, instead of a dependency and a smoke.",
  defaultSeverity: 'error',
  checkEnvironment({ catalog, env }) {
    const out: RuleReport[] = [];
    let defs: Defined[][] | undefined;
    const definitions = (): Defined[][] =>
      (defs ??= env.components.map((c) =>
        catalog.files
          .componentFiles(c)
          .flatMap((f) => definedObjects(f.text, { values: f.values, releaseName: c.name, releaseNamespace: c.namespace })),
      ));
    let index: ProviderIndex | undefined;
    env.components.forEach((c, v) => {
      const files = catalog.files.componentFiles(c);
      if (files.length === 0) return; // most components deploy nothing from their folder
      const waits: { file: string; w: WaitCommand }[] = [];
      const defines = new Map<string, Define>();
      for (const f of files)
        if (f.text.includes('define')) for (const d of collectDefines(f.text, f.file)) if (!defines.has(d.name)) defines.set(d.name, d);
      const seen = new Set<string>();
      for (const f of files) {
        if (!/wait|until|while|for|dockerize|include|template/.test(f.text)) continue;
        for (const w of scanWaits(f.text, { values: f.values, releaseName: c.name, releaseNamespace: c.namespace }, defines)) {
          const file = w.file ?? f.file;
          if (w.resource === 'values' && file.endsWith('.tpl')) w.resource = 'a named template';
          const key = `${file}:${w.line}:${w.resource}`;
          if (seen.has(key)) continue;
          seen.add(key);
          waits.push({ file, w });
        }
      }
      if (waits.length === 0) return;
      index ??= new ProviderIndex(env);
      const g = environmentGraph(env);
      const reach = environmentReachability(env);
      const smoke = smokeValidating(env, c);
      for (const { file, w } of waits) {
        const resolved = w.targets.map((t) => resolveTarget(t, c, v, env, index!, definitions()));
        if (resolved.length > 0 && resolved.every((r) => r.self)) continue;
        const fix: Required<Pick<FindingFix, 'addDependencies' | 'addConsumes' | 'addSmokeChecks'>> = {
          addDependencies: [],
          addConsumes: [],
          addSmokeChecks: [],
        };
        const parts: string[] = [];
        const related = new Set<string>();
        for (const r of resolved) {
          const t = r.target;
          let text = `${t.name ?? t.kind}`;
          if (r.self) {
            parts.push(`${text} is made by ${c.name} itself`);
            continue;
          }
          r.providers.forEach((p) => related.add(p));
          if (r.providers.length === 1) {
            const p = r.providers[0]!;
            const pi = g.index.get(p)!;
            if (reach.reachable(v, [pi]).size > 0)
              text += `, provided by ${p}, which ${c.name} already depends on${g.deps[v]!.includes(pi) ? '' : ' (through others)'}`;
            else if (reach.reachable(pi, [v]).size > 0)
              text += `, provided by ${p}, which depends on ${c.name} (a dependency would close a cycle)`;
            else {
              text += `, provided by ${p}: add dependency ${p}`;
              fix.addDependencies.push({ environment: env.name, component: c.name, dependency: p });
            }
          } else if (r.providers.length > 1) text += `, provided by ${r.providers.join(', ')}: depend on the one it uses`;
          else if (t.name && !isTemplate(t.name))
            text += `, which no component of ${env.name} declares (in provides or its manifests): declare it on the component that makes it, then depend on that`;
          else text += ': name it in the command so the provider can be found';
          const consumes = consumesEntry(t, c);
          if (consumes && !alreadyConsumes(c, consumes)) {
            fix.addConsumes.push({ environment: env.name, component: c.name, ...consumes });
            text += ` and consumes.${consumes.type} ${consumes.item}`;
          }
          const check = smokeCheck(t, c, r.providers, env, definitions());
          if (check) {
            const target = smoke ? `smoke ${smoke.name}` : `a new smoke ${newSmokeName(c)}`;
            text += `; check it in ${target} (smoke.${check.field}: ${check.entry.kind ? `${check.entry.kind} ` : ''}${check.entry.name})`;
            if (smoke && hasCheck(smoke, check)) text += ', which it does already';
            else fix.addSmokeChecks.push({ environment: env.name, component: c.name, ...check });
          } else if (t.kind === 'Service') {
            text += `; a Service reports no condition for a smoke to check: the dependency makes Argo CD wait for its provider's health`;
          }
          parts.push(text);
        }
        const what = w.targets.length > 0 ? w.targets.map(describeTarget).join(', ') : 'something the command does not name';
        const where = `${w.init ? 'init container' : 'container'} ${w.container ?? '(unnamed)'}`;
        const wait = w.hook ? 'hook' : 'init container';
        out.push({
          component: c.name,
          related: related.size > 0 ? [...related].sort() : undefined,
          message:
            `${w.resource}${w.hook ? `, ${w.hook},` : ''} waits in ${where} for ${what} (${w.tool}: ${w.text}); ` +
            `a chart-level wait hides a missing dependency; replace it: ${parts.length > 0 ? parts.join('; ') : 'name what it waits for'}. ` +
            `wavegate fix adds these but never deletes the ${wait}: remove it by hand (this finding stays until then)`,
          file,
          line: w.line,
          fix: {
            ...(fix.addDependencies.length > 0 ? { addDependencies: fix.addDependencies } : {}),
            ...(fix.addConsumes.length > 0 ? { addConsumes: fix.addConsumes } : {}),
            ...(fix.addSmokeChecks.length > 0 ? { addSmokeChecks: fix.addSmokeChecks } : {}),
            notes: [
              `${env.name}: not deleting the ${wait} at ${file}:${w.line} (${w.resource}, ${where}): remove it by hand; chart-wait-hook reports it until then`,
            ],
          },
        });
      }
    });
    return out;
  },
};

interface Resolved {
  target: WaitTarget;
  /** Names of the components (other than the waiting one) that provide it. */
  providers: string[];
  /** The waiting component provides it itself. */
  self: boolean;
}

function resolveTarget(t: WaitTarget, c: Component, v: number, env: Environment, index: ProviderIndex, defs: Defined[][]): Resolved {
  const none: Resolved = { target: t, providers: [], self: false };
  if (!t.name || isTemplate(t.name)) return none;
  const name = t.name;
  const ns = t.namespace ?? c.namespace;
  const nsOk = (d: Defined, owner: Component): boolean => {
    const dns = d.namespace ?? owner.namespace;
    return ns === undefined || dns === undefined || dns === ns;
  };
  let matches: (d: Defined, owner: Component) => boolean;
  let fromProvides: number[] = [];
  let self = false;
  if (t.kind === 'Secret' || t.kind === 'ExternalSecret') {
    const ref = ns ? `${ns}/${name}` : name;
    fromProvides = index.providers('secrets', ref, c, v);
    self = ProviderIndex.providesItself('secrets', ref, c);
    matches = (d, owner) =>
      nsOk(d, owner) &&
      ((d.kind === 'ExternalSecret' && (d.targetName ?? d.name) === name) ||
        (t.kind === 'ExternalSecret' ? d.kind === 'ExternalSecret' && d.name === name : d.kind === 'Secret' && d.name === name));
  } else if (t.kind === 'Service') {
    fromProvides = index.providers('services', name, c, v);
    self = ProviderIndex.providesItself('services', name, c);
    matches = (d, owner) => d.kind === 'Service' && d.name === name && nsOk(d, owner);
  } else {
    // A pod `name-0` is made by StatefulSet `name`.
    const base = name.replace(/-\d+$/, '');
    matches = (d, owner) =>
      nsOk(d, owner) && ((d.kind === t.kind && d.name === name) || (t.kind === 'Pod' && d.kind === 'StatefulSet' && d.name === base));
  }
  const providers = new Set(fromProvides.map((id) => env.components[id]!.name));
  env.components.forEach((o, id) => {
    if (!defs[id]!.some((d) => matches(d, o))) return;
    if (id === v) self = true;
    else providers.add(o.name);
  });
  if (self) return { target: t, providers: [], self: true };
  return { target: t, providers: [...providers].sort(), self: false };
}

function consumesEntry(t: WaitTarget, c: Component): { type: ConsumesAddition['type']; item: string } | undefined {
  if (!t.name || isTemplate(t.name)) return undefined;
  if (t.kind === 'Secret' || t.kind === 'ExternalSecret') {
    const ns = t.namespace ?? c.namespace;
    return { type: 'secrets', item: ns ? `${ns}/${t.name}` : t.name };
  }
  if (t.kind === 'Service') return { type: 'services', item: t.name };
  return undefined;
}

function alreadyConsumes(c: Component, e: { type: ConsumesAddition['type']; item: string }): boolean {
  const list = c.consumes[e.type];
  if (e.type === 'services') return list.includes(e.item);
  const name = e.item.slice(e.item.indexOf('/') + 1);
  const ns = e.item.includes('/') ? e.item.slice(0, e.item.indexOf('/')) : undefined;
  return list.some((x) => {
    const xn = x.includes('/') ? x.slice(x.indexOf('/') + 1) : x;
    const xs = x.includes('/') ? x.slice(0, x.indexOf('/')) : c.namespace;
    return xn === name && (xs === undefined || ns === undefined || xs === ns);
  });
}

/** The smoke check that replaces a wait for `t`, when a smoke can check it. */
function smokeCheck(
  t: WaitTarget,
  c: Component,
  providers: string[],
  env: Environment,
  defs: Defined[][],
): Omit<SmokeCheckAddition, 'environment' | 'component'> | undefined {
  if (!t.name || isTemplate(t.name)) return undefined;
  const ns = t.namespace ?? c.namespace;
  const where: Record<string, string> = ns ? { namespace: ns } : {};
  // A kind with a check type of its own (ExternalSecret, Secret) becomes that type's entry; others a `resources` entry.
  const field = smokeCheckFieldOfKind(t.kind);
  if (field) return { field, entry: { name: t.name, ...where } };
  if (t.kind === 'Service') {
    // A Service has no condition; a Deployment of the same name in its provider's manifests does.
    if (providers.length !== 1) return undefined;
    const id = env.components.findIndex((o) => o.name === providers[0]);
    const d = defs[id]!.find((x) => x.kind === 'Deployment' && x.name === t.name);
    if (!d) return undefined;
    return { field: 'resources', entry: { apiVersion: 'apps/v1', kind: 'Deployment', name: t.name, ...where, condition: 'Available' } };
  }
  const k = CHECKABLE[t.kind];
  if (!k) return undefined;
  const condition = t.condition ? t.condition.charAt(0).toUpperCase() + t.condition.slice(1) : k.condition;
  return { field: 'resources', entry: { apiVersion: k.apiVersion, kind: t.kind, name: t.name, ...where, condition } };
}

/** Whether smoke `s` checks this already. */
function hasCheck(s: Component, check: Omit<SmokeCheckAddition, 'environment' | 'component'>): boolean {
  const list = (s.smoke?.[check.field] ?? []) as { name: string; namespace?: string; kind?: string }[];
  const ns = check.entry.namespace;
  return list.some(
    (e) =>
      e.name === check.entry.name &&
      (e.kind ?? undefined) === (check.entry.kind ?? undefined) &&
      ((e.namespace ?? s.namespace) === ns || ns === undefined),
  );
}
