/**
 * The checks an environment ships, verified: each gated kind's script read and rendered, an
 * override linted against Argo CD's sandbox and run against its own tests, and the argocd-cm
 * keys they become. The rules (health-lint, health-test, argocd-cm-conflict) judge what this
 * returns and `render` (render.ts) writes it, so both reach the same verdict. Nothing here
 * writes files or builds YAML documents.
 */
import { join, relative, sep } from 'node:path';
import { dig, isObject, manifestDocuments, type ManifestDoc } from '../catalog/files.js';
import type { Catalog, Environment } from '../catalog/types.js';
import { UserError } from '../errors.js';
import type { Finding } from '../findings.js';
import { lintHealthScript } from '../lua/lint.js';
import { runHealthTests } from '../lua/testrunner.js';
import { gatedKinds, type GatedKind } from './coverage.js';
import { CHECK_FILE, argoKeySuffix, readCheckFile, readCheckText, renderKind, testFilesOf, type RenderedCheck } from './library.js';
import { diskFs, fsReason, type ReadFs } from '../fsutil.js';
import { maxFileBytes } from '../catalog/settings.js';
import { parseValue, type ReadOptions } from '../yaml/index.js';

export const PATCH_FILE = 'argocd-cm.patch.yaml';
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

/**
 * Where a check's files are read from and must stay: an override's from the loaded catalog
 * (`catalog.files.fs`, inside the catalog after symlinks), the library's from wavegate's own
 * library on disk; both bounded by the catalog's limits.maxFileBytes.
 */
function checkBounds(catalog: Catalog | undefined, g: Pick<GatedKind, 'source'>): ReadOptions & { fs: ReadFs } {
  const override = g.source === 'override' && catalog !== undefined;
  return {
    root: override ? catalog.root : undefined,
    maxBytes: maxFileBytes(catalog?.settings),
    fs: override ? catalog.files.fs : diskFs,
  };
}

/** The script and library needs of a gated kind whose check wavegate ships. */
export function checkFor(g: GatedKind, catalog?: Catalog): ShippedCheck | undefined {
  if ((g.source !== 'library' && g.source !== 'override') || !g.dir) return undefined;
  const bounds = checkBounds(catalog, g);
  let r: RenderedCheck;
  if (g.scriptFile) {
    const checkPath = join(g.dir, CHECK_FILE);
    const openLibs = bounds.fs.kind(checkPath) !== undefined ? readCheckFile(checkPath, bounds).useOpenLibs === true : false;
    r = { script: readCheckText(g.scriptFile, bounds), openLibs };
  } else {
    r = renderKind(g.dir, bounds);
  }
  return { ...r, ref: g.ref, group: g.group, kind: g.kind, source: g.source, dir: g.dir, scriptFile: g.scriptFile };
}

/**
 * Refuses to ship a check that breaks Argo CD's sandbox rules (lint) or fails its own tests:
 * error findings `health-lint` and `health-test`. Called for overrides: the library's checks
 * are the same bytes for every catalog, linted and tested by wavegate's own test suite
 * (test/health/library.test.ts).
 */
export function verifyCheck(catalog: Catalog, env: Environment, c: ShippedCheck): Finding[] {
  const out: Finding[] = [];
  const where =
    c.source === 'override'
      ? {
          file: relative(catalog.root, c.scriptFile ?? join(c.dir, 'health.lua'))
            .split(sep)
            .join('/'),
        }
      : {};
  const origin = c.source === 'override' ? `health.overrides ${c.ref}` : `wavegate's library check ${c.ref}`;
  // line numbers point into the override's own file only when it is plain Lua (not a template)
  const bounds = checkBounds(catalog, c);
  const plain = where.file !== undefined && (c.scriptFile !== undefined || bounds.fs.kind(join(c.dir, 'health.lua')) !== undefined);
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
    ...bounds,
    sourceFor: () => ({
      resolve: (group, kind) =>
        group === c.group && kind === c.kind
          ? { groupKind: c.ref, script: c.script, openLibs: c.openLibs, origin: c.scriptFile ?? c.dir }
          : undefined,
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
  return Object.fromEntries(
    Object.keys(data)
      .sort()
      .map((k) => [k, data[k]!]),
  );
}

/**
 * argocd-cm manifests in the catalog that already set a key the patch sets (a split key, or the
 * legacy `resource.customizations` block's health.lua for the kind): the patch replaces them.
 */
export function argocdCmConflicts(catalog: Catalog, env: Environment, data: Record<string, string>): Finding[] {
  const out: Finding[] = [];
  const report = (
    d: { file: string; locate: (p: string[], key?: boolean) => { line: number; column: number } | undefined },
    key: string,
    message: string,
  ): void => {
    const pos = d.locate(['data', key], true);
    out.push({
      rule: 'argocd-cm-conflict',
      severity: 'warning',
      environment: env.name,
      file: d.file,
      line: pos?.line,
      column: pos?.column,
      message,
    });
  };
  for (const d of catalogArgocdCms(catalog)) {
    const existing = dig(d.value, ['data']) as Record<string, unknown>;
    for (const [key, value] of Object.entries(data)) {
      if (existing[key] === undefined || existing[key] === value) continue;
      report(
        d,
        key,
        `argocd-cm already sets ${key}; ${PATCH_FILE} replaces it with wavegate's check. Remove it from ${d.file}, or make it the check with health.overrides in wavegate.yaml`,
      );
    }
    const legacy = existing['resource.customizations'];
    if (typeof legacy !== 'string') continue;
    let parsed: unknown;
    try {
      parsed = parseValue(legacy);
    } catch {
      continue;
    }
    if (!isObject(parsed)) continue;
    for (const [ref, entry] of Object.entries(parsed)) {
      const suffix = ref.includes('/') ? ref.replace(/^\//, '').replace('/', '_') : ref;
      if (!isObject(entry) || entry['health.lua'] === undefined || data[`${HEALTH_KEY_PREFIX}${suffix}`] === undefined) continue;
      report(
        d,
        'resource.customizations',
        `argocd-cm's resource.customizations block has a health.lua for ${ref}; ${PATCH_FILE}'s ${HEALTH_KEY_PREFIX}${suffix} overrides it (split keys win over the block). Remove it, or make it the check with health.overrides in wavegate.yaml`,
      );
    }
  }
  return out;
}

/** A check with its verification and test files, the same in every environment that gates its kind. */
export interface VerifiedCheck {
  /** Undefined when the check cannot be read or rendered (its findings say why). */
  check?: ShippedCheck;
  /** verifyCheck's findings, without the environment. */
  findings: Omit<Finding, 'environment'>[];
  tests: { name: string; content: Uint8Array }[];
}

/** Per catalog: each check read, linted and tested once, whichever rule or renderer asks first. */
const verifiedCache = new WeakMap<Catalog, Map<string, VerifiedCheck | null>>();

function verified(catalog: Catalog, env: Environment, g: GatedKind): VerifiedCheck | undefined {
  let memo = verifiedCache.get(catalog);
  if (!memo) verifiedCache.set(catalog, (memo = new Map()));
  const key = JSON.stringify([g.ref, g.group, g.kind, g.source, g.dir, g.scriptFile]);
  const hit = memo.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let c: ShippedCheck | undefined;
  try {
    c = checkFor(g, catalog);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // an override that cannot be read or rendered: health-coverage reports a missing path;
    // anything else (a bad check.yaml, a template error, a refused file) is this check's lint finding
    const missing = g.source === 'override' && g.dir !== undefined && checkBounds(catalog, g).fs.kind(g.scriptFile ?? g.dir) === undefined;
    const finding: Omit<Finding, 'environment'> = {
      rule: 'health-lint',
      severity: 'error',
      related: [g.ref],
      message: `health.overrides ${g.ref}: ${e.message}`,
    };
    const failed: VerifiedCheck | null = missing ? null : { findings: [finding], tests: [] };
    memo.set(key, failed);
    return failed ?? undefined;
  }
  let v: VerifiedCheck | undefined;
  if (c) {
    const shipped = c;
    const bounds = checkBounds(catalog, shipped);
    const findings = shipped.source === 'override' ? verifyCheck(catalog, env, shipped).map(({ environment: _e, ...f }) => f) : [];
    const where = relative(catalog.root, shipped.dir).split(sep).join('/');
    const refuse = (rel: string, reason: string): void => {
      findings.push({
        rule: 'health-test',
        severity: 'error',
        related: [shipped.ref],
        ...(shipped.source === 'override' ? { file: `${where ? `${where}/` : ''}${rel}` } : {}),
        message: `${shipped.source === 'override' ? `health.overrides ${shipped.ref}` : `wavegate's library check ${shipped.ref}`}: ${rel}: ${reason}; not copied into the render`,
      });
    };
    const tests: VerifiedCheck['tests'] = [];
    for (const t of testFilesOf(shipped.dir, { root: bounds.root, onRefused: refuse, fs: bounds.fs })) {
      try {
        tests.push({ name: t, content: Buffer.from(bounds.fs.read(join(shipped.dir, t), { maxBytes: bounds.maxBytes })) });
      } catch (e) {
        refuse(t, fsReason(e));
      }
    }
    v = { check: shipped, findings, tests };
  }
  memo.set(key, v ?? null);
  return v;
}

/**
 * The checks wavegate ships for one environment (library and overrides), verified: what
 * `renderHealth` writes, and what rules `health-lint`, `health-test` and `argocd-cm-conflict`
 * judge, so that `check` and `render` reach the same verdict. An override's files (script,
 * check.yaml, health_test.yaml, testdata/) come from the loaded model (`catalog.files.fs`,
 * through the catalog's FileSource); only wavegate's own library and templates are read from
 * the package on disk.
 */
export function environmentChecks(catalog: Catalog, env: Environment, only?: 'override'): VerifiedCheck[] {
  const out: VerifiedCheck[] = [];
  for (const g of gatedKinds(catalog, env)) {
    if (only && g.source !== only) continue;
    const v = verified(catalog, env, g);
    if (v) out.push(v);
  }
  return out;
}

/** The catalog's own argocd-cm ConfigMaps with a data section (argocd-cm-conflict compares them with the patch). */
export function catalogArgocdCms(catalog: Catalog): ManifestDoc[] {
  return manifestDocuments(catalog, 'argocd-cm').filter(
    (d) =>
      isObject(d.value) &&
      d.value.kind === 'ConfigMap' &&
      dig(d.value, ['metadata', 'name']) === 'argocd-cm' &&
      isObject(dig(d.value, ['data'])),
  );
}
