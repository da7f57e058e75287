/**
 * ApplicationSets of the catalog and the Applications they generate per environment, and
 * the RollingSync strategy the catalog's waves imply for them (Argo CD Progressive Syncs,
 * `applicationset/progressivesync/progressive_sync.go`).
 *
 * An ApplicationSet whose git files generator selects component.yaml files of an environment
 * (environments/<env>/... or environments/_shared/...) generates one Application per selected
 * component of that environment; wavegate evaluates the template's name and labels per
 * component to know which step of a RollingSync strategy would hold each Application.
 */
import type { Catalog, Component, Environment } from '../catalog/types.js';
import { dig, isObject, manifestDocuments, type ManifestDoc } from '../catalog/files.js';
import { parseManifests } from '../yaml/index.js';
import { evalTemplate, fieldsUsed, type TemplateOptions } from './template.js';

const WAVE_LABEL = 'wavegate.dev/wave';
/** The label template fix writes: a wave as a label value, a negative wave `-5` as `m5`. */
const WAVE_LABEL_TEMPLATE = '{{ .wave | toString | replace "-" "m" }}';
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** A valid Kubernetes label value. */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/** The label value wavegate derives for a wave: the wave itself, or `m<N>` for wave -N. */
const waveLabelValue = (wave: number): string => (wave < 0 ? `m${-wave}` : String(wave));

export interface FilePattern {
  path: string;
  exclude: boolean;
  regex: RegExp;
}

export interface GeneratedApp {
  component: Component;
  /** The Application's name, when the template's name evaluates. */
  name?: string;
  /** Template labels that evaluate for this component. */
  labels: Record<string, string>;
  /** Template labels that do not evaluate, and why. */
  labelProblems: Record<string, string>;
}

export interface RolloutStep {
  matchExpressions: { key: string; operator: string; values: string[] }[];
  maxUpdate?: number | string;
  /** Position of the step in its file. */
  line?: number;
}

export interface EnvAppSet {
  doc: ManifestDoc;
  file: string;
  name: string;
  namespace?: string;
  options: TemplateOptions;
  /** The git files generators are the only generators (no matrix, merge or other kinds). */
  plainGit: boolean;
  patterns: FilePattern[];
  apps: GeneratedApp[];
  /** Template label entries as written. */
  templateLabels: Record<string, string>;
  /** The template label carrying the wave (its template reads `.wave`), if any. */
  waveLabel?: string;
  /** A template label whose value is the environment's name, as written, if any. */
  environmentLabel?: string;
  strategyType?: string;
  steps?: RolloutStep[];
  /** spec.template.metadata.annotations sync-wave, when written. */
  syncWaveAnnotation?: string;
}

/** A glob of Argo's git files generator as a regex: `**` any folders, `*` within one name. */
function globRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        re += '(?:[^/]*/)*';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The git files generators of an ApplicationSet, with nested matrix/merge generators. */
function gitFileGenerators(
  gens: unknown,
  depth = 0,
  out: { files: unknown[]; plain: boolean } = { files: [], plain: true },
): { files: unknown[]; plain: boolean } {
  if (!Array.isArray(gens) || depth > 3) return out;
  for (const g of gens) {
    if (!isObject(g)) continue;
    const keys = Object.keys(g).filter((k) => k !== 'selector');
    if (isObject(g.git) && Array.isArray(g.git.files)) {
      out.files.push(...g.git.files);
      if (keys.length > 1) out.plain = false;
    } else {
      out.plain = false;
    }
    for (const nest of ['matrix', 'merge']) {
      const inner = dig(g, [nest, 'generators']);
      if (inner) gitFileGenerators(inner, depth + 1, out);
    }
  }
  return out;
}

/**
 * Paths relative to the catalog root: a generator path is relative to its repository, so
 * whatever comes before `environments/` (the catalog's folder in a larger repository) is cut.
 */
function patternsOf(files: unknown[]): FilePattern[] {
  const out: FilePattern[] = [];
  for (const f of files) {
    if (!isObject(f) || typeof f.path !== 'string') continue;
    const i = f.path.indexOf('environments/');
    const path = i > 0 ? f.path.slice(i) : f.path;
    out.push({ path: f.path, exclude: f.exclude === true, regex: globRegex(path.replace(/^\.?\//, '')) });
  }
  return out;
}

function selects(patterns: readonly FilePattern[], file: string): boolean {
  return patterns.some((p) => !p.exclude && p.regex.test(file)) && !patterns.some((p) => p.exclude && p.regex.test(file));
}

/** The parameters Argo's git files generator gives the template for one component file. */
export function generatorParams(c: Component, goTemplate: boolean): Record<string, unknown> {
  const dir = c.file.includes('/') ? c.file.slice(0, c.file.lastIndexOf('/')) : '.';
  const base = dir.split('/').pop() ?? dir;
  const filename = c.file.split('/').pop()!;
  const normalize = (s: string): string => s.replace(/[^a-zA-Z0-9-]/g, '-').toLowerCase();
  const path = {
    path: dir,
    basename: base,
    filename,
    basenameNormalized: normalize(base),
    filenameNormalized: normalize(filename),
    segments: dir.split('/'),
  };
  if (goTemplate) return { ...c.raw, path };
  const flat: Record<string, unknown> = { ...c.raw };
  flat.path = dir;
  flat['path.basename'] = base;
  flat['path.filename'] = filename;
  flat['path.basenameNormalized'] = path.basenameNormalized;
  flat['path.filenameNormalized'] = path.filenameNormalized;
  path.segments.forEach((s, i) => (flat[`path[${i}]`] = s));
  return flat;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return out;
}

function stepsOf(d: ManifestDoc): RolloutStep[] | undefined {
  const steps = dig(d.value, ['spec', 'strategy', 'rollingSync', 'steps']);
  if (!Array.isArray(steps)) return undefined;
  return steps.map((s, i) => {
    const exprs = isObject(s) && Array.isArray(s.matchExpressions) ? s.matchExpressions : [];
    return {
      matchExpressions: exprs.filter(isObject).map((e) => ({
        key: String(e.key ?? ''),
        operator: String(e.operator ?? ''),
        values: Array.isArray(e.values) ? e.values.map((x) => String(x)) : [],
      })),
      ...(isObject(s) && s.maxUpdate !== undefined ? { maxUpdate: s.maxUpdate as number | string } : {}),
      line: d.locate(['spec', 'strategy', 'rollingSync', 'steps', i])?.line,
    };
  });
}

/** Every ApplicationSet manifest of the catalog (argoproj.io, kind ApplicationSet). */
export function applicationSetDocs(catalog: Catalog): ManifestDoc[] {
  return manifestDocuments(catalog, 'ApplicationSet').filter(
    (d) =>
      isObject(d.value) &&
      d.value.kind === 'ApplicationSet' &&
      typeof d.value.apiVersion === 'string' &&
      d.value.apiVersion.startsWith('argoproj.io/'),
  );
}

const appSetCache = new WeakMap<Catalog, WeakMap<Environment, EnvAppSet[]>>();

/**
 * The ApplicationSets that generate Applications from the environment's component files.
 * Computed once per catalog and environment (rollout-order, rollout-template-field,
 * smoke-not-deployed, --suggest and plan all ask); callers only read the result.
 */
export function environmentAppSets(catalog: Catalog, env: Environment): readonly EnvAppSet[] {
  let byEnv = appSetCache.get(catalog);
  if (!byEnv) appSetCache.set(catalog, (byEnv = new WeakMap()));
  let hit = byEnv.get(env);
  if (!hit) byEnv.set(env, (hit = computeEnvironmentAppSets(catalog, env)));
  return hit;
}

function computeEnvironmentAppSets(catalog: Catalog, env: Environment): EnvAppSet[] {
  const out: EnvAppSet[] = [];
  for (const d of applicationSetDocs(catalog)) {
    const gens = gitFileGenerators(dig(d.value, ['spec', 'generators']));
    const patterns = patternsOf(gens.files);
    if (patterns.length === 0) continue;
    const envPrefix = `environments/${env.name}/`;
    const components = env.components.filter((c) => selects(patterns, c.file));
    const ownsEnv = components.some((c) => c.origin === 'env') || patterns.some((p) => !p.exclude && p.path.includes(envPrefix));
    if (!ownsEnv || components.length === 0) continue;
    const spec = dig(d.value, ['spec']) as Record<string, unknown>;
    const goOptions = Array.isArray(spec.goTemplateOptions) ? spec.goTemplateOptions : [];
    const options: TemplateOptions = { goTemplate: spec.goTemplate === true, missingKeyError: goOptions.includes('missingkey=error') };
    const templateLabels = stringMap(dig(d.value, ['spec', 'template', 'metadata', 'labels']));
    const nameTemplate = dig(d.value, ['spec', 'template', 'metadata', 'name']);
    const apps = components.map((c): GeneratedApp => {
      const params = generatorParams(c, options.goTemplate);
      const labels: Record<string, string> = {};
      const labelProblems: Record<string, string> = {};
      for (const [k, t] of Object.entries(templateLabels)) {
        const r = evalTemplate(t, params, options);
        if (r.ok) labels[k] = r.value;
        else
          labelProblems[k] =
            'missing' in r ? `the component does not set ${r.missing.join(', ')}` : `wavegate cannot evaluate ${r.unsupported}`;
      }
      const n = typeof nameTemplate === 'string' ? evalTemplate(nameTemplate, params, options) : undefined;
      return { component: c, name: n?.ok ? n.value : undefined, labels, labelProblems };
    });
    const waveKeys = Object.keys(templateLabels).filter((k) =>
      options.goTemplate ? fieldsUsed(templateLabels[k]!).includes('wave') : /\{\{\s*wave\s*\}\}/.test(templateLabels[k]!),
    );
    const waveLabel = waveKeys.find((k) => k === WAVE_LABEL) ?? waveKeys.find((k) => /wave/i.test(k)) ?? waveKeys[0];
    const environmentLabel = Object.keys(templateLabels).find((k) => templateLabels[k] === env.name);
    const strategyType = dig(d.value, ['spec', 'strategy', 'type']);
    const annotation = dig(d.value, ['spec', 'template', 'metadata', 'annotations', SYNC_WAVE_ANNOTATION]);
    const meta = dig(d.value, ['metadata']);
    out.push({
      doc: d,
      file: d.file,
      name: isObject(meta) && typeof meta.name === 'string' ? meta.name : '(unnamed)',
      namespace: isObject(meta) && typeof meta.namespace === 'string' ? meta.namespace : undefined,
      options,
      plainGit: gens.plain,
      patterns,
      apps,
      templateLabels,
      waveLabel,
      environmentLabel,
      strategyType: typeof strategyType === 'string' ? strategyType : undefined,
      steps: stepsOf(d),
      syncWaveAnnotation: annotation === undefined ? undefined : String(annotation),
    });
  }
  return out;
}

/** Argo's step selection (buildAppDependencyList): the index of the first step selecting the labels, or -1. */
export function stepOf(steps: readonly RolloutStep[], labels: Readonly<Record<string, string>>): number {
  for (let i = 0; i < steps.length; i++) {
    let selected = true;
    for (const e of steps[i]!.matchExpressions) {
      const val = Object.hasOwn(labels, e.key) ? labels[e.key] : undefined;
      if (val !== undefined) {
        const matched =
          e.operator !== 'In' && e.operator !== 'NotIn' ? false : e.values.includes(val) ? e.operator === 'In' : e.operator === 'NotIn';
        if (!matched) {
          selected = false;
          break;
        }
      } else if (e.operator === 'In') {
        selected = false;
        break;
      }
    }
    if (selected) return i;
  }
  return -1;
}

export interface RolloutSettings {
  /** Tier name -> RollingSync maxUpdate (an integer or "N%"). */
  maxUpdate: Record<string, number | string>;
  syncTimeoutSeconds?: number;
}

export function rolloutSettings(catalog: Catalog): RolloutSettings {
  const r = catalog.settings.rollout ?? {};
  return { maxUpdate: r.maxUpdate ?? {}, syncTimeoutSeconds: r.syncTimeoutSeconds };
}

/** How many Applications of a step of `size` a maxUpdate lets sync at once (intstr scaling, rounded down, at least 1 unless "0%"). */
function maxUpdateCount(m: number | string, size: number): number {
  if (typeof m === 'number') return m;
  const p = Number(m.replace('%', ''));
  const n = Math.floor((p * size) / 100);
  return m !== '0%' && n < 1 ? 1 : n;
}

/** The step's maxUpdate: the most restrictive of the tiers of its components; undefined is unbounded. */
function stepMaxUpdate(settings: RolloutSettings, apps: readonly GeneratedApp[]): number | string | undefined {
  let best: number | string | undefined;
  for (const tier of [...new Set(apps.map((a) => a.component.tier))].sort()) {
    const m = settings.maxUpdate[tier];
    if (m === undefined) continue;
    if (best === undefined || maxUpdateCount(m, apps.length) < maxUpdateCount(best, apps.length)) best = m;
  }
  return best;
}

export interface DerivedRollout {
  waveLabel: string;
  /** Label templates to write into the ApplicationSet's template (missing or invalid wave label). */
  labelTemplates: Record<string, string>;
  steps: { wave: number; values: string[]; maxUpdate?: number | string; components: string[] }[];
}

/**
 * The RollingSync strategy the catalog implies for one environment's ApplicationSet: one step
 * per wave present, ascending, each selecting that wave's Applications by the wave label.
 * When the template has no wave label, or it renders a value that is not a label value
 * (a negative wave), the derived label template `WAVE_LABEL_TEMPLATE` replaces it.
 */
export function deriveRollout(a: EnvAppSet, settings: RolloutSettings): DerivedRollout {
  let key = a.waveLabel;
  const labelTemplates: Record<string, string> = {};
  const renders =
    key !== undefined && a.apps.every((x) => x.labels[key!] !== undefined && LABEL_VALUE.test(x.labels[key!]!) && x.labels[key!] !== '');
  const distinct = key !== undefined && renders && waveFunction(a, key);
  if (key === undefined || !renders || !distinct) {
    key ??= WAVE_LABEL;
    labelTemplates[key] = a.options.goTemplate ? WAVE_LABEL_TEMPLATE : '{{wave}}';
  }
  const stepValue = (x: GeneratedApp): string => (labelTemplates[key!] !== undefined ? waveLabelValue(x.component.wave) : x.labels[key!]!);
  const byWave = new Map<number, GeneratedApp[]>();
  for (const x of a.apps) byWave.set(x.component.wave, [...(byWave.get(x.component.wave) ?? []), x]);
  const steps = [...byWave.keys()]
    .sort((p, q) => p - q)
    .map((wave) => {
      const apps = byWave.get(wave)!;
      const maxUpdate = stepMaxUpdate(settings, apps);
      return {
        wave,
        values: [...new Set(apps.map(stepValue))].sort(),
        ...(maxUpdate !== undefined ? { maxUpdate } : {}),
        components: apps.map((x) => x.component.name).sort(),
      };
    });
  return { waveLabel: key, labelTemplates, steps };
}

/** The label's value tells the waves apart: components of different waves never share a value. */
function waveFunction(a: EnvAppSet, key: string): boolean {
  const waveOfValue = new Map<string, number>();
  for (const x of a.apps) {
    const v = x.labels[key]!;
    const w = waveOfValue.get(v);
    if (w !== undefined && w !== x.component.wave) return false;
    waveOfValue.set(v, x.component.wave);
  }
  return true;
}

/** The strategy as it is written into the ApplicationSet (spec.strategy). */
export function strategyValue(d: DerivedRollout): Record<string, unknown> {
  return {
    type: 'RollingSync',
    rollingSync: {
      steps: d.steps.map((s) => ({
        matchExpressions: [{ key: d.waveLabel, operator: 'In', values: s.values }],
        ...(s.maxUpdate !== undefined ? { maxUpdate: s.maxUpdate } : {}),
      })),
    },
  };
}

/** One source of a generated Application, as the template (and templatePatch) give it. */
export interface AppSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
}

export type AppSourcesResult = { ok: true; sources: AppSource[]; patched: boolean } | { ok: false; problem: string };

/** Every string of a template value evaluated for one component; the first failure stops. */
function evalDeep(v: unknown, params: Record<string, unknown>, o: TemplateOptions, where: string): unknown {
  if (typeof v === 'string') {
    const r = evalTemplate(v, params, o);
    if (r.ok) return r.value;
    throw new Error(
      'missing' in r
        ? `${where} needs ${r.missing.join(', ')}, which the component does not set`
        : `wavegate cannot evaluate ${r.unsupported} in ${where}`,
    );
  }
  if (Array.isArray(v)) return v.map((x, i) => evalDeep(x, params, o, `${where}[${i}]`));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, evalDeep(x, params, o, `${where}.${k}`)]));
  return v;
}

/**
 * Kubernetes' strategic merge patch as Argo CD applies a templatePatch to an Application
 * (`applicationset/controllers/template/patch.go`): maps merge key by key, `null` deletes,
 * lists and scalars replace (Application's types declare no list merge keys; `helm.values`
 * is `patchStrategy:"replace"`).
 */
function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch) || !isObject(target)) return patch;
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = strategicMerge(out[k], v);
  }
  return out;
}

function sourceOf(v: unknown): AppSource {
  const s: AppSource = {};
  if (!isObject(v)) return s;
  for (const k of ['repoURL', 'path', 'chart', 'targetRevision'] as const) if (typeof v[k] === 'string') s[k] = v[k] as string;
  return s;
}

/**
 * The sources of the Application an ApplicationSet generates for one component: the
 * template's spec.source or spec.sources with each string evaluated, then spec.templatePatch
 * evaluated with the same parameters and merged in, as the ApplicationSet controller does
 * (template.go renderTemplatePatch). A template wavegate cannot evaluate is a problem, not a guess.
 */
export function appSources(a: EnvAppSet, app: GeneratedApp): AppSourcesResult {
  const r = generatedSpec(a, app);
  if (!r.ok) return r;
  const spec = r.spec;
  if (!isObject(spec)) return { ok: true, sources: [], patched: r.patched };
  const sources =
    Array.isArray(spec.sources) && spec.sources.length > 0
      ? spec.sources.map(sourceOf)
      : spec.source !== undefined
        ? [sourceOf(spec.source)]
        : [];
  return { ok: true, sources, patched: r.patched };
}

/** The generated Application's spec: the template's, every string evaluated, then the templatePatch's spec merged in. */
export function generatedSpec(
  a: EnvAppSet,
  app: GeneratedApp,
): { ok: true; spec: unknown; patched: boolean } | { ok: false; problem: string } {
  const params = generatorParams(app.component, a.options.goTemplate);
  let spec: unknown;
  try {
    spec = evalDeep(dig(a.doc.value, ['spec', 'template', 'spec']), params, a.options, 'spec.template.spec');
  } catch (e) {
    return { ok: false, problem: (e as Error).message };
  }
  const patchText = dig(a.doc.value, ['spec', 'templatePatch']);
  let patched = false;
  if (typeof patchText === 'string') {
    const r = evalTemplate(patchText, params, a.options);
    if (!r.ok) {
      return {
        ok: false,
        problem:
          'missing' in r
            ? `spec.templatePatch needs ${r.missing.join(', ')}, which the component does not set`
            : `wavegate cannot evaluate ${r.unsupported} in spec.templatePatch`,
      };
    }
    const docs = parseManifests(r.value);
    if (docs.length === 0 && r.value.trim() !== '' && !/^(\s*(#.*)?\n?)*$/.test(r.value))
      return { ok: false, problem: 'spec.templatePatch does not evaluate to valid YAML' };
    const patch = docs.length === 0 ? null : docs[0]!.value;
    if (patch !== null && patch !== undefined && !isObject(patch))
      return { ok: false, problem: 'spec.templatePatch does not evaluate to a YAML mapping' };
    if (isObject(patch)) {
      patched = true;
      if (patch.spec !== undefined) spec = strategicMerge(spec, patch.spec);
    }
  }
  return { ok: true, spec, patched };
}
