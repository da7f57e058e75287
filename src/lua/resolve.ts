/**
 * Which health script runs for an object, as Argo CD decides it: an exact `group/Kind` key
 * first, then wildcard keys (glob `*`), always by the object's own apiVersion group and kind.
 * Two sources: a folder tree in Argo's resource_customizations layout
 * (`<group>/<Kind>/health.lua`, `_` standing for `*` in folder names) and argocd-cm
 * (split keys `resource.customizations.health.<group>_<Kind>` and the legacy
 * `resource.customizations` block, with `useOpenLibs`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { fsReason, isDir, readBytes, resolveInside, shownPath } from '../fsutil.js';
import { readGoYaml } from '../yaml/go.js';
import { readCheckFile, type CheckFile } from './check-file.js';

export interface HealthScript {
  /** The key it was found under, e.g. `cert-manager.io/Certificate` or `*.crossplane.io/*`. */
  groupKind: string;
  script: string;
  openLibs: boolean;
  /** Where it came from (file path or argocd-cm key), for messages. */
  origin: string;
}

export interface ScriptSource {
  resolve(group: string, kind: string): HealthScript | undefined;
}

/** Argo's config-map key for a kind: `Kind` for core kinds, else `group/Kind`. */
export function groupKindKey(group: string, kind: string): string {
  return group === '' ? kind : `${group}/${kind}`;
}

/** group and kind of a Kubernetes object from its apiVersion and kind. */
export function objectGroupKind(obj: unknown): { group: string; kind: string } | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const o = obj as { apiVersion?: unknown; kind?: unknown };
  if (typeof o.kind !== 'string' || o.kind === '') return undefined;
  const api = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const slash = api.indexOf('/');
  return { group: slash >= 0 ? api.slice(0, slash) : '', kind: o.kind };
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${body}$`);
}

/** Exact key first, then wildcard keys, most specific (longest literal part) first. */
function lookup<T>(entries: Map<string, T>, group: string, kind: string): T | undefined {
  const key = groupKindKey(group, kind);
  const exact = entries.get(key);
  if (exact !== undefined) return exact;
  const wild = [...entries.keys()].filter((k) => k.includes('*'));
  wild.sort((a, b) => b.replace(/\*/g, '').length - a.replace(/\*/g, '').length || (a < b ? -1 : a > b ? 1 : 0));
  for (const k of wild) if (globToRegExp(k).test(key)) return entries.get(k);
  return undefined;
}

export interface DirSourceOptions {
  /** Renders a kind folder whose check.yaml names a template instead of a health.lua file. */
  renderKind?: (kindDir: string, bounds?: { root?: string; maxBytes?: number }) => { script: string; openLibs: boolean } | undefined;
}

interface KindFolder {
  dir: string;
  key: string;
}

/** Kind folders under a root in Argo's layout (`<group>/<Kind>/` or `<Kind>/` for core kinds). */
function kindFolders(root: string): KindFolder[] {
  const out: KindFolder[] = [];
  const isKindDir = (d: string) =>
    existsSync(join(d, 'health.lua')) || existsSync(join(d, 'check.yaml')) || existsSync(join(d, 'health_test.yaml'));
  for (const g of readdirSync(root).sort()) {
    const gdir = join(root, g);
    if (!isDir(gdir) || g.startsWith('.')) continue;
    if (isKindDir(gdir) && !g.includes('.')) {
      out.push({ dir: gdir, key: g.replace(/_/g, '*') });
      continue;
    }
    for (const k of readdirSync(gdir).sort()) {
      const kdir = join(gdir, k);
      if (!isDir(kdir) || k === 'testdata' || k === 'actions') continue;
      if (isKindDir(kdir)) out.push({ dir: kdir, key: `${g.replace(/_/g, '*')}/${k.replace(/_/g, '*')}` });
    }
  }
  return out;
}

/** Reads `check.yaml` of a kind folder (useOpenLibs, template) with readCheckFile; {} when absent. */
export function readCheckYaml(kindDir: string, root?: string): CheckFile {
  const p = join(kindDir, 'check.yaml');
  if (!existsSync(p)) return {};
  return readCheckFile(p, root !== undefined ? { root } : undefined);
}

/** Scripts from a folder tree in Argo CD's resource_customizations layout. */
export function dirSource(root: string, options: DirSourceOptions = {}): ScriptSource {
  let entries: Map<string, KindFolder> | undefined;
  const loaded = new Map<string, HealthScript | undefined>();
  return {
    resolve(group, kind) {
      entries ??= new Map(kindFolders(root).map((f) => [f.key, f]));
      const folder = lookup(entries, group, kind);
      if (!folder) return undefined;
      if (loaded.has(folder.dir)) return loaded.get(folder.dir);
      let hs: HealthScript | undefined;
      const file = join(folder.dir, 'health.lua');
      const check = readCheckYaml(folder.dir, root);
      if (existsSync(file)) {
        let script: string;
        try {
          script = readBytes(resolveInside(root, file)).toString('utf8');
        } catch (e) {
          throw new UserError(`${shownPath(file)}: cannot read: ${fsReason(e)}`);
        }
        hs = { groupKind: folder.key, script, openLibs: check.useOpenLibs === true, origin: file };
      } else if (options.renderKind) {
        const r = options.renderKind(folder.dir, { root });
        if (r) hs = { groupKind: folder.key, script: r.script, openLibs: r.openLibs, origin: join(folder.dir, 'check.yaml') };
      }
      loaded.set(folder.dir, hs);
      return hs;
    },
  };
}

/**
 * argocd-cm as Argo CD reads it (util/settings/settings.go, v3.5.1: GetResourceOverrides,
 * appendResourceOverridesFromSplitKeys, convertToOverrideKey). Any error there makes
 * GetResourceOverrides fail: Argo then applies no override at all (the application controller
 * reports "error getting resource overrides: ...", `argocd admin settings resource-overrides`
 * exits with the error).
 */
const CUSTOMIZATIONS = 'resource.customizations';

/** Go's strconv.Quote for the strings Argo's messages quote (ASCII escapes as Go writes them). */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Go's strconv.ParseBool: 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False; anything
 * else is Go's error `strconv.ParseBool: parsing "<v>": invalid syntax`.
 */
export function goParseBool(v: string): boolean {
  switch (v) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
  }
  throw new ArgocdCmKeyError(`strconv.ParseBool: parsing ${goQuote(v)}: invalid syntax`);
}

/** An argocd-cm entry Argo CD refuses; the message is Argo's own error text. */
class ArgocdCmKeyError extends Error {}

/**
 * Argo's convertToOverrideKey: `<group>_<Kind>` (exactly one `_`) is `group/Kind`, a part with
 * no `_` is taken as it is; an empty part or more than one `_` is an error.
 */
export function convertToOverrideKey(groupKind: string): string {
  const parts = groupKind.split('_');
  if (parts.length === 2) return `${parts[0]}/${parts[1]}`;
  if (parts.length === 1 && groupKind !== '') return groupKind;
  throw new ArgocdCmKeyError(
    `group kind should be in format \`resource.customizations.<type>.<group_kind>\` or resource.customizations.<type>.<kind>\`, got group kind: '${groupKind}'`,
  );
}

/** sigs.k8s.io/yaml's reading (go-yaml v2: YAML 1.1, last duplicate key wins), as settings.go unmarshals. */
function yamlOf(text: string): unknown {
  try {
    return readGoYaml(text);
  } catch (e) {
    throw new ArgocdCmKeyError(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
  }
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? 'number' : 'string';
}

function cannot(v: unknown, where: string, type: string): ArgocdCmKeyError {
  return new ArgocdCmKeyError(
    `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonType(v)} into Go ${where} of type ${type}`,
  );
}

/** A string field as sigs.k8s.io/yaml fills it: numbers and booleans become strings, null leaves it empty. */
function stringField(v: unknown, where: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw cannot(v, where, 'string');
}

function checkStringList(v: unknown, where: string): void {
  if (v === null || v === undefined) return;
  if (!Array.isArray(v)) throw cannot(v, where, '[]string');
  for (const e of v) stringField(e, where);
}

/** The value of an ignoreDifferences / ignoreResourceUpdates entry (OverrideIgnoreDiff). */
function checkIgnoreDiff(v: unknown): void {
  if (v === null || v === undefined) return;
  if (typeof v !== 'object' || Array.isArray(v)) throw cannot(v, 'value', 'v1alpha1.OverrideIgnoreDiff');
  for (const [k, f] of Object.entries(v as Record<string, unknown>)) {
    const field = ['jsonPointers', 'jqPathExpressions', 'managedFieldsManagers'].find((n) => n.toLowerCase() === k.toLowerCase());
    if (field) checkStringList(f, `struct field OverrideIgnoreDiff.${field}`);
  }
}

function checkKnownTypeFields(v: unknown): void {
  if (v === null || v === undefined) return;
  if (!Array.isArray(v)) throw cannot(v, 'value', '[]v1alpha1.KnownTypeField');
  for (const e of v) {
    if (e === null) continue;
    if (typeof e !== 'object' || Array.isArray(e)) throw cannot(e, 'value', 'v1alpha1.KnownTypeField');
    for (const [k, f] of Object.entries(e as Record<string, unknown>)) {
      const field = ['field', 'type'].find((n) => n === k.toLowerCase());
      if (field) stringField(f, `struct field KnownTypeField.${field}`);
    }
  }
}

interface Override {
  script?: string;
  openLibs?: boolean;
  origin: string;
}

/** The legacy `resource.customizations` block: a map of group/kind to rawResourceOverride. */
function legacyOverrides(text: string, into: Map<string, Override>): void {
  const block = yamlOf(text);
  if (block === null || block === undefined) return;
  if (typeof block !== 'object' || Array.isArray(block)) throw cannot(block, 'value', 'map[string]v1alpha1.ResourceOverride');
  for (const [key, v] of Object.entries(block as Record<string, unknown>)) {
    const o: Override = { origin: `argocd-cm ${CUSTOMIZATIONS} "${key}"` };
    into.set(key, o);
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || Array.isArray(v)) throw cannot(v, 'value', 'v1alpha1.rawResourceOverride');
    // encoding/json matches field names case-insensitively; the keys arrive sorted (json.Marshal of a
    // Go map), so of two spellings of one field the last in byte order wins.
    const fields = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [k, f] of fields) {
      const lk = k.toLowerCase();
      if (lk === 'health.lua') o.script = stringField(f, 'struct field rawResourceOverride.health.lua') ?? o.script;
      else if (lk === 'health.lua.useopenlibs') {
        if (f === null || f === undefined) continue;
        if (typeof f !== 'boolean') throw cannot(f, 'struct field rawResourceOverride.health.lua.useOpenLibs', 'bool');
        o.openLibs = f;
      } else if (lk === 'actions') stringField(f, 'struct field rawResourceOverride.actions');
      else if (lk === 'ignoredifferences' || lk === 'ignoreresourceupdates') {
        const s = stringField(
          f,
          `struct field rawResourceOverride.${lk === 'ignoredifferences' ? 'ignoreDifferences' : 'ignoreResourceUpdates'}`,
        );
        if (s !== undefined) checkIgnoreDiff(yamlOf(s));
      } else if (lk === 'knowntypefields') checkKnownTypeFields(f);
    }
  }
}

export interface ArgocdCmSourceOptions {
  /** The file the ConfigMap came from, for messages. */
  file?: string;
}

/**
 * Scripts from an argocd-cm ConfigMap (the object, or just its `data` map), read as Argo CD
 * reads it: the legacy block first, then every split key `resource.customizations.<type>.<group_kind>`
 * over it field by field. An entry Argo refuses is a UserError naming the key and Argo's error,
 * since Argo then drops every override of the ConfigMap.
 */
export function argocdCmSource(configMap: unknown, options: ArgocdCmSourceOptions = {}): ScriptSource {
  let data: Record<string, unknown> = {};
  if (typeof configMap === 'object' && configMap !== null) {
    const cm = configMap as Record<string, unknown>;
    data = typeof cm.data === 'object' && cm.data !== null ? (cm.data as Record<string, unknown>) : cm.kind === undefined ? cm : {};
  }
  const where = options.file ? `${options.file}: ` : '';
  const problems: string[] = [];
  const merged = new Map<string, Override>();
  const keys = Object.keys(data)
    .filter((k) => k.startsWith(CUSTOMIZATIONS))
    .sort();
  for (const k of keys) {
    if (typeof data[k] !== 'string') {
      throw new UserError(`${where}argocd-cm data."${k}": not a string (a ConfigMap's data values are strings; quote it)`);
    }
  }
  const legacy = data[CUSTOMIZATIONS] as string | undefined;
  if (legacy !== undefined && legacy !== '') {
    try {
      legacyOverrides(legacy, merged);
    } catch (e) {
      if (!(e instanceof ArgocdCmKeyError)) throw e;
      problems.push(`data."${CUSTOMIZATIONS}": ${e.message}`);
    }
  }
  // Go's map iteration order is random; the entries touch distinct fields, so only which error
  // Argo reports first can differ. wavegate lists every refused key, sorted.
  for (const k of keys) {
    const v = data[k] as string;
    // strings.SplitN(k, ".", 4): fewer than 4 parts is skipped; the 4th keeps its dots.
    const dot1 = k.indexOf('.');
    const dot2 = k.indexOf('.', dot1 + 1);
    const dot3 = dot2 < 0 ? -1 : k.indexOf('.', dot2 + 1);
    if (dot3 < 0) continue;
    const type = k.slice(dot2 + 1, dot3);
    try {
      let key = convertToOverrideKey(k.slice(dot3 + 1));
      if (key === 'all') key = '*/*';
      const cur = merged.get(key) ?? { origin: `argocd-cm ${k}` };
      switch (type) {
        case 'health':
          merged.set(key, { ...cur, script: v, origin: `argocd-cm ${k}` });
          break;
        case 'useOpenLibs':
          merged.set(key, { ...cur, openLibs: goParseBool(v) });
          break;
        case 'actions':
          merged.set(key, cur);
          break;
        case 'ignoreDifferences':
        case 'ignoreResourceUpdates':
          checkIgnoreDiff(yamlOf(v));
          merged.set(key, cur);
          break;
        case 'knownTypeFields':
          checkKnownTypeFields(yamlOf(v));
          merged.set(key, cur);
          break;
        default:
          throw new ArgocdCmKeyError(`resource customization type ${type} not supported`);
      }
    } catch (e) {
      if (!(e instanceof ArgocdCmKeyError)) throw e;
      problems.push(`data."${k}": ${e.message}`);
    }
  }
  if (problems.length > 0) {
    throw new UserError(
      `${where}Argo CD refuses this argocd-cm's resource overrides and applies none of them ` +
        `(GetResourceOverrides fails: "error getting resource overrides: ..."):\n` +
        problems.map((p) => `  ${p}`).join('\n'),
    );
  }
  const withScript = new Map([...merged].filter(([, v]) => typeof v.script === 'string' && v.script !== ''));
  return {
    resolve(group, kind) {
      const e = lookup(withScript, group, kind);
      if (!e) return undefined;
      const key = [...withScript].find(([, v]) => v === e)![0];
      return { groupKind: key, script: e.script!, openLibs: e.openLibs === true, origin: e.origin };
    },
  };
}

/** The first source that has a script for the kind (argocd-cm overrides before built-in folders). */
export function chainSources(...sources: ScriptSource[]): ScriptSource {
  return {
    resolve(group, kind) {
      for (const s of sources) {
        const hs = s.resolve(group, kind);
        if (hs) return hs;
      }
      return undefined;
    },
  };
}
