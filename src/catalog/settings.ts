import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MAX_FILE_BYTES } from '../fsutil.js';
import { UserError } from '../errors.js';
import { helpUriBase } from './help-uri.js';
import { loadYamlFile, type LoadedYaml } from '../yaml/index.js';
import { explainSchemaError } from './messages.js';
import { simplifyErrors, validator } from './schemas.js';
import type { Settings, Tier } from './types.js';
import { argoReleaseFor, argoReleases, shortRelease } from './argo-releases.js';

export const SETTINGS_FILE = 'wavegate.yaml';

/** The tiers of backlog 382's blueprint, used when wavegate.yaml does not set any. */
export const DEFAULT_TIERS: readonly Tier[] = Object.freeze([
  { name: 'foundation', waves: [0, 15] },
  { name: 'data', waves: [16, 35] },
  { name: 'platform', waves: [35, 99] },
  { name: 'apps', waves: [35, 99] },
]) as readonly Tier[];

export function defaultSettings(): Settings {
  return { tiers: DEFAULT_TIERS.map((t) => ({ name: t.name, waves: [t.waves[0], t.waves[1]] })), extraFields: [] };
}

/**
 * The size limit of every file read for the catalog: `limits.maxFileBytes` in wavegate.yaml,
 * default DEFAULT_MAX_FILE_BYTES (4 MiB). wavegate.yaml itself is read with the default.
 */
export function maxFileBytes(settings: Settings | undefined): number {
  const n = settings?.limits?.maxFileBytes;
  return typeof n === 'number' && n > 0 ? n : DEFAULT_MAX_FILE_BYTES;
}

/** Finding ids whose severity wavegate.yaml cannot set (registry.ts FIXED_SEVERITY_IDS; test/rules/registry.test.ts keeps them equal). */
export const FIXED_SEVERITY_IDS: readonly string[] = ['health-lint', 'health-test'];

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  $ref?: string;
  definitions?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** The keys the schema allows at a path of the settings (for "did you mean" hints). */
function schemaKeys(schema: SchemaNode, path: readonly (string | number)[]): string[] {
  const deref = (n: SchemaNode | undefined): SchemaNode | undefined => {
    for (let i = 0; n?.$ref && i < 10; i++) n = schema.definitions?.[n.$ref.replace('#/definitions/', '')];
    return n;
  };
  let node = deref(schema);
  for (const seg of path) {
    node = deref(typeof seg === 'number' ? node?.items : node?.properties?.[seg]);
    if (!node) return [];
  }
  return Object.keys(node?.properties ?? {});
}

/**
 * Reads and validates wavegate.yaml; any problem is fatal (exit 2) since every check depends on
 * it. The file must resolve inside the catalog, be a regular file and at most 4 MiB.
 */
export function loadSettings(root: string): { settings: Settings; settingsFile?: string; settingsLocate?: LoadedYaml['locate'] } {
  const abs = join(root, SETTINGS_FILE);
  try {
    lstatSync(abs);
  } catch {
    return { settings: defaultSettings() };
  }
  return settingsFromYaml(loadYamlFile(abs, { root, maxBytes: DEFAULT_MAX_FILE_BYTES }));
}

/** The settings of wavegate.yaml as read (or the problem reading it); any problem is a UserError. */
export function settingsFromYaml(r: ReturnType<typeof loadYamlFile>): {
  settings: Settings;
  settingsFile: string;
  settingsLocate: LoadedYaml['locate'];
} {
  const at = (line?: number, column?: number): string => `${SETTINGS_FILE}${line ? `:${line}:${column ?? 1}` : ''}`;
  if ('problem' in r) throw new UserError(`${at(r.problem.line, r.problem.column)}: ${r.problem.message}`);
  const data = r.doc.value ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError(`${at(1, 1)}: expected a mapping of settings (tiers, extraFields, ...)`);
  }
  const validate = validator('wavegate');
  if (!validate(data)) {
    const lines = simplifyErrors(validate.errors ?? []).map((e) => {
      const p = explainSchemaError(e, data, (path) => schemaKeys(validate.schema as SchemaNode, path));
      let msg =
        e.keyword === 'additionalProperties' && e.instancePath === '' ? p.message.replace('unknown field', 'unknown section') : p.message;
      const key = p.path[p.path.length - 1];
      if (
        e.keyword === 'additionalProperties' &&
        p.path.length === 2 &&
        p.path[0] === 'rules' &&
        FIXED_SEVERITY_IDS.includes(String(key))
      ) {
        msg = `rules.${String(key)}: its severity cannot be changed (a check that fails its lint or tests is never shipped)`;
      }
      const pos = r.doc.locate(p.path, p.atKey);
      return `${at(pos?.line, pos?.column)}: ${msg}`;
    });
    throw new UserError(lines.join('\n'));
  }
  const raw = data as Record<string, unknown>;
  const settings: Settings = { ...defaultSettings(), ...raw } as Settings;
  settings.extraFields = (raw.extraFields as string[] | undefined) ?? [];
  const seen = new Set<string>();
  settings.tiers.forEach((t, i) => {
    // positions only for an error: locating parses the file a second time
    const pos = seen.has(t.name) ? r.doc.locate(['tiers', i]) : undefined;
    if (seen.has(t.name)) throw new UserError(`${at(pos?.line, pos?.column)}: tiers[${i}].name: tier "${t.name}" is listed twice`);
    seen.add(t.name);
    if (t.waves[0] > t.waves[1]) {
      const wpos = r.doc.locate(['tiers', i, 'waves']);
      throw new UserError(
        `${at(wpos?.line, wpos?.column)}: tiers[${i}].waves: band [${t.waves[0]}, ${t.waves[1]}] is empty (low must be <= high)`,
      );
    }
  });
  const version = settings.argocd?.version;
  if (version !== undefined && argoReleaseFor(version) === undefined) {
    const pos = r.doc.locate(['argocd', 'version']);
    const known = argoReleases();
    throw new UserError(
      `${at(pos?.line, pos?.column)}: argocd.version: ${version} is not a release wavegate knows the built-in health checks of (${shortRelease(known[0])} to ${shortRelease(known[known.length - 1])}); ` +
        'name one of those minor releases, or regenerate data/argo-builtin-health-kinds.json with scripts/argo-builtin-kinds.mjs',
    );
  }
  const helpBase = (raw.sarif as { helpUriBase?: string } | undefined)?.helpUriBase;
  if (helpBase !== undefined) {
    try {
      helpUriBase(helpBase, 'sarif.helpUriBase');
    } catch (e) {
      const pos = r.doc.locate(['sarif', 'helpUriBase']);
      throw new UserError(`${at(pos?.line, pos?.column)}: ${(e as Error).message}`);
    }
  }
  return { settings, settingsFile: SETTINGS_FILE, settingsLocate: r.doc.locate };
}
