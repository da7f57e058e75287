/**
 * Renders the health checks one environment needs: the argocd-cm patch, the same keys as
 * Argo CD Helm chart values, and a copy of every shipped script with its tests so that
 * `wavegate health test DIR/<env>/health` runs exactly what ships.
 */
import { escapeControl } from '../names.js';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { Document, Scalar, YAMLMap, parse as parseYaml, stringify } from 'yaml';
import { dig, isObject, manifestDocuments } from '../rules/manifests.js';
import { rolloutSettings } from '../rollout/appsets.js';
import type { Catalog, Environment } from '../catalog/types.js';
import type { Finding } from '../findings.js';
import type { RenderContext, RenderedFile, RenderResult } from '../render/types.js';
import { lintHealthScript } from '../lua/lint.js';
import { runHealthTests } from '../lua/testrunner.js';
import { gatedKinds, type GatedKind } from './coverage.js';
import { CHECK_FILE, argoKeySuffix, kindFolder, readCheckFile, renderKind, testFilesOf, type RenderedCheck } from './library.js';

export const PATCH_FILE = 'argocd-cm.patch.yaml';
export const PARAMS_PATCH_FILE = 'argocd-cmd-params-cm.patch.yaml';
export const VALUES_FILE = 'argocd-values.yaml';
export const HEALTH_DIR = 'health';

export const HEALTH_KEY_PREFIX = 'resource.customizations.health.';
export const OPEN_LIBS_KEY_PREFIX = 'resource.customizations.useOpenLibs.';

/** One kind's check as it ships. */
export interface ShippedCheck extends RenderedCheck {
  ref: string;
  group: string;
  kind: string;
  source: 'library' | 'override';
  /** Folder the check and its tests come from. */
  dir: string;
  /** The override's script file, when the override names a file. */
  scriptFile?: string;
}

/** The script and library needs of a gated kind whose check wavegate ships. */
export function checkFor(g: GatedKind): ShippedCheck | undefined {
  if ((g.source !== 'library' && g.source !== 'override') || !g.dir) return undefined;
  let r: RenderedCheck;
  if (g.scriptFile) {
    const checkPath = join(g.dir, CHECK_FILE);
    const openLibs = existsSync(checkPath) ? readCheckFile(checkPath).useOpenLibs === true : false;
    r = { script: readFileSync(g.scriptFile, 'utf8'), openLibs };
  } else {
    r = renderKind(g.dir);
  }
  return { ...r, ref: g.ref, group: g.group, kind: g.kind, source: g.source, dir: g.dir, scriptFile: g.scriptFile };
}

/**
 * Refuses to ship a check that breaks Argo CD's sandbox rules (lint) or fails its own tests:
 * error findings `health-lint` and `health-test`. Overrides are held to the same bar.
 */
export function verifyCheck(catalog: Catalog, env: Environment, c: ShippedCheck): Finding[] {
  const out: Finding[] = [];
  const where = c.source === 'override'
    ? { file: relative(catalog.root, c.scriptFile ?? join(c.dir, 'health.lua')).split(sep).join('/') }
    : {};
  const origin = c.source === 'override' ? `health.overrides ${c.ref}` : `wavegate's library check ${c.ref}`;
  // line numbers point into the override's own file only when it is plain Lua (not a template)
  const plain = where.file !== undefined && (c.scriptFile !== undefined || existsSync(join(c.dir, 'health.lua')));
  for (const p of lintHealthScript(c.script, { openLibs: c.openLibs })) {
    out.push({
      rule: 'health-lint',
      severity: 'error',
      environment: env.name,
      related: [c.ref],
      ...where,
      ...(plain ? { line: p.line, column: p.column } : {}),
      message: `${origin}: ${p.rule}: ${p.message}${plain ? '' : ` (line ${p.line}, column ${p.column} of the rendered script)`}`,
    });
  }
  const report = runHealthTests([c.dir], {
    sourceFor: () => ({
      resolve: (group, kind) =>
        group === c.group && kind === c.kind ? { groupKind: c.ref, script: c.script, openLibs: c.openLibs, origin: c.scriptFile ?? c.dir } : undefined,
    }),
  });
  for (const t of report.cases.filter((x) => !x.passed)) {
    const got = t.notes.length > 0 && t.actual.status === '' ? t.notes.join('; ') : `got ${t.actual.status} "${t.actual.message}"`;
    out.push({
      rule: 'health-test',
      severity: 'error',
      environment: env.name,
      related: [c.ref],
      ...where,
      message: `${origin}: test ${t.index} (${t.input}) expected ${t.expected.status} "${t.expected.message}", ${got}`,
    });
  }
  return out;
}

/** The argocd-cm data keys for a set of checks, sorted. */
export function argocdCmData(checks: readonly ShippedCheck[]): Record<string, string> {
  const data: Record<string, string> = {};
  for (const c of checks) {
    data[`${HEALTH_KEY_PREFIX}${argoKeySuffix(c)}`] = c.script;
    if (c.openLibs) data[`${OPEN_LIBS_KEY_PREFIX}${argoKeySuffix(c)}`] = 'true';
  }
  return Object.fromEntries(Object.keys(data).sort().map((k) => [k, data[k]!]));
}

/** A YAML map of the data with Lua as literal blocks and "true" quoted. */
function dataNode(doc: Document, data: Record<string, string>): YAMLMap {
  const map = new YAMLMap();
  for (const [k, v] of Object.entries(data)) {
    const s = new Scalar(v);
    s.type = v.includes('\n') ? Scalar.BLOCK_LITERAL : Scalar.QUOTE_DOUBLE;
    map.add(doc.createPair(k, s));
  }
  return map;
}

function header(catalog: Catalog, env: Environment, what: string): string {
  return [
    `Generated by wavegate render from catalog "${escapeControl(basename(catalog.root))}", environment "${escapeControl(env.name)}". Do not edit:`,
    `change the catalog or wavegate's check library and render again.`,
    what,
  ]
    .map((l) => ` ${l}`)
    .join('\n');
}

const YAML_OPTIONS = { lineWidth: 0, indent: 2 } as const;

/** `argocd.namespace` from wavegate.yaml: Argo CD's own install.yaml declares its ConfigMaps without one. */
export function argocdNamespace(catalog: Catalog): string | undefined {
  return (catalog.settings.argocd as { namespace?: string } | undefined)?.namespace;
}

/**
 * A ConfigMap patch of one of Argo CD's ConfigMaps, named and labelled as Argo's
 * manifests/install.yaml declares it: no metadata.namespace unless `argocd.namespace` is set,
 * so a kustomize strategic-merge patch matches Argo's own install.
 */
function configMapPatch(catalog: Catalog, env: Environment, name: string, how: string, data: Record<string, string>): string {
  const doc = new Document({});
  doc.commentBefore = header(catalog, env, how);
  const root = doc.contents as YAMLMap;
  root.add(doc.createPair('apiVersion', 'v1'));
  root.add(doc.createPair('kind', 'ConfigMap'));
  const namespace = argocdNamespace(catalog);
  root.add(
    doc.createPair('metadata', {
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'argocd' },
    }),
  );
  root.add(doc.createPair('data', dataNode(doc, data)));
  return doc.toString(YAML_OPTIONS);
}

/** The ConfigMap patch for argocd-cm. */
export function patchYaml(catalog: Catalog, env: Environment, data: Record<string, string>): string {
  return configMapPatch(catalog, env, 'argocd-cm', 'Apply as a patch of argocd-cm (kustomize patches:, or kubectl patch --patch-file).', data);
}

/**
 * The argocd-cmd-params-cm keys the rollout needs: Progressive Syncs on (RollingSync steps are
 * ignored without it), and `controller.sync.timeout.seconds` from `rollout.syncTimeoutSeconds`
 * (without it a sync whose health stays Progressing never ends).
 */
export function cmdParamsData(catalog: Catalog): Record<string, string> {
  const data: Record<string, string> = { 'applicationsetcontroller.enable.progressive.syncs': 'true' };
  const timeout = rolloutSettings(catalog).syncTimeoutSeconds;
  if (timeout !== undefined) data['controller.sync.timeout.seconds'] = String(timeout);
  return data;
}

/** The ConfigMap patch for argocd-cmd-params-cm (restart the ApplicationSet controller and application controller after applying). */
export function paramsPatchYaml(catalog: Catalog, env: Environment): string {
  return configMapPatch(
    catalog,
    env,
    'argocd-cmd-params-cm',
    'Apply as a patch of argocd-cmd-params-cm; the controllers read it at start (restart argocd-applicationset-controller and argocd-application-controller).',
    cmdParamsData(catalog),
  );
}

/** The same keys as values for the Argo CD Helm chart (configs.cm, configs.params). */
export function valuesYaml(catalog: Catalog, env: Environment, data: Record<string, string>): string {
  const doc = new Document({});
  doc.commentBefore = header(catalog, env, 'Pass to the Argo CD Helm chart: helm upgrade argocd argo/argo-cd -f argocd-values.yaml');
  const root = doc.contents as YAMLMap;
  const configs = new YAMLMap();
  configs.add(doc.createPair('cm', dataNode(doc, data)));
  configs.add(doc.createPair('params', dataNode(doc, cmdParamsData(catalog))));
  root.add(doc.createPair('configs', configs));
  return doc.toString(YAML_OPTIONS);
}

/**
 * argocd-cm manifests in the catalog that already set a key the patch sets (a split key, or the
 * legacy `resource.customizations` block's health.lua for the kind): the patch replaces them.
 */
export function argocdCmConflicts(catalog: Catalog, env: Environment, data: Record<string, string>): Finding[] {
  const out: Finding[] = [];
  const report = (d: { file: string; locate: (p: string[], key?: boolean) => { line: number; column: number } | undefined }, key: string, message: string): void => {
    const pos = d.locate(['data', key], true);
    out.push({ rule: 'argocd-cm-conflict', severity: 'warning', environment: env.name, file: d.file, line: pos?.line, column: pos?.column, message });
  };
  for (const d of manifestDocuments(catalog, 'argocd-cm')) {
    if (!isObject(d.value) || d.value.kind !== 'ConfigMap' || dig(d.value, ['metadata', 'name']) !== 'argocd-cm') continue;
    const existing = dig(d.value, ['data']);
    if (!isObject(existing)) continue;
    for (const [key, value] of Object.entries(data)) {
      if (existing[key] === undefined || existing[key] === value) continue;
      report(d, key, `argocd-cm already sets ${key}; ${PATCH_FILE} replaces it with wavegate's check. Remove it from ${d.file}, or make it the check with health.overrides in wavegate.yaml`);
    }
    const legacy = existing['resource.customizations'];
    if (typeof legacy !== 'string') continue;
    let parsed: unknown;
    try {
      parsed = parseYaml(legacy);
    } catch {
      continue;
    }
    if (!isObject(parsed)) continue;
    for (const [ref, entry] of Object.entries(parsed)) {
      const suffix = ref.includes('/') ? ref.replace(/^\//, '').replace('/', '_') : ref;
      if (!isObject(entry) || entry['health.lua'] === undefined || data[`${HEALTH_KEY_PREFIX}${suffix}`] === undefined) continue;
      report(d, 'resource.customizations', `argocd-cm's resource.customizations block has a health.lua for ${ref}; ${PATCH_FILE}'s ${HEALTH_KEY_PREFIX}${suffix} overrides it (split keys win over the block). Remove it, or make it the check with health.overrides in wavegate.yaml`);
    }
  }
  return out;
}

/** A check with its verification and test files, the same in every environment that gates its kind. */
interface VerifiedCheck {
  check: ShippedCheck;
  /** verifyCheck's findings, without the environment. */
  findings: Omit<Finding, 'environment'>[];
  tests: { name: string; content: Uint8Array }[];
}

function verified(catalog: Catalog, env: Environment, g: GatedKind, context?: RenderContext): VerifiedCheck | undefined {
  const key = `health:${JSON.stringify([g.ref, g.group, g.kind, g.source, g.dir, g.scriptFile])}`;
  const hit = context?.memo.get(key) as VerifiedCheck | null | undefined;
  if (hit !== undefined) return hit ?? undefined;
  const c = checkFor(g);
  const v: VerifiedCheck | undefined = c && {
    check: c,
    findings: verifyCheck(catalog, env, c).map(({ environment: _e, ...f }) => f),
    tests: testFilesOf(c.dir).map((t) => ({ name: t, content: readFileSync(join(c.dir, t)) })),
  };
  context?.memo.set(key, v ?? null);
  return v;
}

/**
 * The health checks of one environment as files (a Renderer). Within one render, a check
 * gated in several environments is read, linted and tested once.
 */
export function renderHealth(catalog: Catalog, env: Environment, context?: RenderContext): RenderResult {
  const findings: Finding[] = [];
  const files: RenderedFile[] = [];
  const checks: ShippedCheck[] = [];
  const kinds = gatedKinds(catalog, env);
  for (const g of kinds) {
    const v = verified(catalog, env, g, context);
    if (!v) continue;
    const c = v.check;
    checks.push(c);
    for (const { rule, severity, ...rest } of v.findings) findings.push({ rule, severity, environment: env.name, ...rest });
    const folder = `${HEALTH_DIR}/${kindFolder(c)}`;
    files.push({ path: `${folder}/health.lua`, content: c.script });
    if (c.openLibs) files.push({ path: `${folder}/${CHECK_FILE}`, content: stringify({ useOpenLibs: true }) });
    for (const t of v.tests) files.push({ path: `${folder}/${t.name}`, content: t.content });
  }
  const data = argocdCmData(checks);
  files.push({ path: PATCH_FILE, content: patchYaml(catalog, env, data) });
  files.push({ path: PARAMS_PATCH_FILE, content: paramsPatchYaml(catalog, env) });
  files.push({ path: VALUES_FILE, content: valuesYaml(catalog, env, data) });
  findings.push(...argocdCmConflicts(catalog, env, data));
  const left = kinds.filter((g) => g.source === 'builtin' || g.source === 'argo').length;
  const overrides = checks.filter((c) => c.source === 'override').length;
  const summary =
    `health: ${checks.length} check${checks.length === 1 ? '' : 's'} in ${PATCH_FILE}` +
    (overrides ? ` (${overrides} override${overrides === 1 ? '' : 's'})` : '') +
    `, ${left} kind${left === 1 ? '' : 's'} left to Argo CD`;
  return { files, findings, summary };
}
