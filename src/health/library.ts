/**
 * The health-check library: one folder per kind (`lua/<group>/<Kind>/`, core kinds
 * `lua/<Kind>/`), holding either a plain `health.lua` or a `check.yaml` that names a shared
 * handlebars template under `templates/health/` and the data for it, plus
 * `health_test.yaml` and `testdata/`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
import type { Ajv, ValidateFunction } from 'ajv';
import { PACKAGE_ROOT, loadAjv, pathToString, pointerToPath, simplifyErrors } from '../catalog/schemas.js';
import { UserError } from '../errors.js';
import type { LoadedYaml, ReadOptions } from '../yaml/index.js';
import { readCheckDoc, readCheckFile, type CheckFile } from '../lua/check-file.js';

export { readCheckFile, type CheckFile };
import { luaComment, luaIndex, luaKey, luaString, luaValue } from './lua-literal.js';
import { diskFs, fsReason, isDir, shownPath, type ReadFs } from '../fsutil.js';

/**
 * A check file's text: inside `bounds.root` after symlinks when a root is given, a regular
 * file, at most `bounds.maxBytes`, read through `bounds.fs` (default the disk); anything else
 * is a UserError naming the file, never its content.
 */
export function readCheckText(file: string, bounds: ReadOptions = {}): string {
  try {
    return Buffer.from((bounds.fs ?? diskFs).read(file, bounds)).toString('utf8');
  } catch (e) {
    throw new UserError(`${shownPath(file)}: cannot read: ${fsReason(e)}`);
  }
}

/** The package's own check library. */
export const LIBRARY_DIR = join(PACKAGE_ROOT, 'lua');
/** The shared templates (`<name>.lua.hbs`) and their partials (`partials/<name>.lua.hbs`). */
export const HEALTH_TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates', 'health');

export const CHECK_FILE = 'check.yaml';
export const SCRIPT_FILE = 'health.lua';
export const TEST_FILE = 'health_test.yaml';

/** A kind as `group/Kind`, or `Kind` alone for the core group. */
export interface KindRef {
  group: string;
  kind: string;
}

const KIND_REF = /^(?:([a-z0-9]([-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\/)?([A-Z][A-Za-z0-9]*)$/;

export function parseKindRef(ref: string): KindRef | undefined {
  const m = KIND_REF.exec(ref);
  if (!m) return undefined;
  return { group: m[1] ?? '', kind: m[4]! };
}

export function kindRefString(k: KindRef): string {
  return k.group ? `${k.group}/${k.kind}` : k.kind;
}

/** The argocd-cm key suffix: `<group>_<Kind>`, or `<Kind>` for core kinds. */
export function argoKeySuffix(k: KindRef): string {
  return k.group ? `${k.group}_${k.kind}` : k.kind;
}

/** The folder of a kind inside a library root (`<group>/<Kind>` or `<Kind>`). */
export function kindFolder(k: KindRef): string {
  return k.group ? `${k.group}/${k.kind}` : k.kind;
}

export interface RenderedCheck {
  /** The Lua health script, ready for argocd-cm. */
  script: string;
  /** True when the kind needs all Lua libraries (`resource.customizations.useOpenLibs`). */
  openLibs: boolean;
}

let ajv: Ajv | undefined;
const dataValidators = new Map<string, ValidateFunction | null>();

/** The JSON schema of a template's data (templates/health/<name>.schema.json), if it has one. */
function dataValidator(name: string, templatesDir: string): ValidateFunction | null {
  const file = join(templatesDir, `${name}.schema.json`);
  let v = dataValidators.get(file);
  if (v === undefined) {
    ajv ??= new (loadAjv())({ allErrors: true, strict: true });
    v = existsSync(file) ? ajv.compile(JSON.parse(readFileSync(file, 'utf8'))) : null;
    dataValidators.set(file, v);
  }
  return v;
}

/** Checks template data against the template's schema; the first problem names file:line:column and field. */
function validateData(name: string, data: Record<string, unknown>, checkPath: string, doc: LoadedYaml, templatesDir: string): void {
  const validate = dataValidator(name, templatesDir);
  if (!validate || validate(data)) return;
  const lines = simplifyErrors(validate.errors ?? []).map((e) => {
    let path = pointerToPath(e.instancePath);
    let what = e.message ?? 'invalid';
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      path = [...path, extra];
      what = 'unknown field';
    } else if (e.keyword === 'enum') {
      what = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((x) => JSON.stringify(x)).join(', ')}`;
    } else if (e.keyword === 'required') {
      path = [...path, (e.params as { missingProperty: string }).missingProperty];
      what = 'missing required field';
    }
    const pos = doc.locate(['data', ...path], e.keyword === 'additionalProperties') ?? doc.locate(['data', ...path.slice(0, -1)]);
    return `${checkPath}${pos ? `:${pos.line}:${pos.column}` : ''}: data.${pathToString(path)}: ${what} (template ${name})`;
  });
  throw new UserError(lines.join('\n'));
}

let hb: typeof Handlebars | undefined;
const compiledTemplates = new Map<string, HandlebarsTemplateDelegate>();

/** A handlebars environment whose output is Lua: no HTML escaping, strict about missing data. */
function engine(templatesDir: string): typeof Handlebars {
  if (hb) return hb;
  // handlebars is loaded on first render: `wavegate check` reaches this module but never renders.
  const h = (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create();
  // {{lua x}}: any data value as a Lua expression (strings quoted and escaped).
  h.registerHelper('lua', (value: unknown) => luaValue(value));
  // {{luaString x}}: a value as a Lua string literal, whatever its type.
  h.registerHelper('luaString', (value: unknown) => luaString(String(value)));
  // {{luaComment x}}: text for a -- comment (one line).
  h.registerHelper('luaComment', (value: unknown) => luaComment(String(value ?? '')));
  // {{luaIndex x}}: a field access, `.name` for an identifier, `["any key"]` otherwise.
  h.registerHelper('luaIndex', (value: unknown) => luaIndex(String(value)));
  // {{luaKey x}}: a table constructor key, `name` for an identifier, `["any key"]` otherwise.
  h.registerHelper('luaKey', (value: unknown) => luaKey(String(value)));
  // Conditions on the data, so a template emits only the Lua a kind needs:
  // (has x) is true when x is set (an empty string counts), (eq a b) compares,
  // (or a b ...) is the first argument handlebars' #if counts as true, else the last one,
  // (concat a b ...) joins strings (for one literal, e.g. {{luaString (concat "Waiting for " type)}}).
  const args = (a: unknown[]): unknown[] => a.slice(0, -1); // drop handlebars' options argument
  const truthy = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : Boolean(v));
  h.registerHelper('has', (value: unknown) => value !== undefined && value !== null);
  h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  h.registerHelper('or', (...a: unknown[]) => args(a).find(truthy) ?? args(a).at(-1));
  h.registerHelper('concat', (...a: unknown[]) =>
    args(a)
      .map((v) => String(v ?? ''))
      .join(''),
  );
  // (conditionTypes list): the distinct `type`s of a list of rules, in order.
  // (conditionVar type list): the Lua local for the condition of that type, named after it.
  h.registerHelper('conditionTypes', (list: unknown) => [...conditionVars(list).keys()]);
  h.registerHelper('conditionVar', (type: unknown, list: unknown) => conditionVars(list).get(String(type)));
  const partials = join(templatesDir, 'partials');
  if (existsSync(partials)) {
    for (const f of readdirSync(partials).sort()) {
      if (f.endsWith('.lua.hbs')) h.registerPartial(f.slice(0, -'.lua.hbs'.length), readFileSync(join(partials, f), 'utf8'));
    }
  }
  hb = h;
  return h;
}

/**
 * Names for the Lua locals that hold one condition per type: `Ready` -> `readyCondition`,
 * `cnpg.io/hibernation` -> `cnpgIoHibernationCondition`; numbered when two types would share
 * a name. The suffix keeps them apart from the script's other locals and from Lua keywords.
 */
function conditionVars(list: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const item of Array.isArray(list) ? list : []) {
    const type = String((item as { type?: unknown }).type);
    if (out.has(type)) continue;
    const words = type.split(/[^A-Za-z0-9]+/).filter(Boolean);
    let base = words.map((w, i) => (i === 0 ? w[0]!.toLowerCase() : w[0]!.toUpperCase()) + w.slice(1)).join('');
    if (!/^[A-Za-z]/.test(base)) base = `c${base}`;
    base += 'Condition';
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}${n}`;
    used.add(name);
    out.set(type, name);
  }
  return out;
}

/** Renders template `name` (templates/health/<name>.lua.hbs) with `data`. */
export function renderTemplate(name: string, data: Record<string, unknown>, where = name, templatesDir = HEALTH_TEMPLATES_DIR): string {
  const file = join(templatesDir, `${name}.lua.hbs`);
  let tpl = compiledTemplates.get(file);
  if (!tpl) {
    if (!existsSync(file)) {
      const known = existsSync(templatesDir)
        ? readdirSync(templatesDir)
            .filter((f) => f.endsWith('.lua.hbs'))
            .map((f) => f.slice(0, -'.lua.hbs'.length))
            .sort()
        : [];
      throw new UserError(`${where}: template "${name}" does not exist (known templates: ${known.join(', ') || 'none'})`);
    }
    tpl = engine(templatesDir).compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true });
    compiledTemplates.set(file, tpl);
  }
  try {
    return tpl(data);
  } catch (e) {
    throw new UserError(`${where}: template "${name}" could not be rendered: ${(e as Error).message.split('\n')[0]}`);
  }
}

/**
 * The script and library needs of one kind folder: `health.lua` as written, or the
 * template named by `check.yaml` rendered with its data. (`check.yaml` may sit beside a
 * `health.lua` only to set `useOpenLibs`.)
 */
export function renderKind(kindDir: string, bounds?: ReadOptions): RenderedCheck {
  const fs = bounds?.fs ?? diskFs;
  const exists = (p: string): boolean => fs.kind(p) !== undefined;
  const checkPath = join(kindDir, CHECK_FILE);
  const scriptPath = join(kindDir, SCRIPT_FILE);
  const read = exists(checkPath) ? readCheckDoc(checkPath, bounds) : undefined;
  const check = read?.check;
  const openLibs = check?.useOpenLibs === true;
  if (check?.template !== undefined) {
    if (exists(scriptPath)) throw new UserError(`${shownPath(kindDir)}: has both ${SCRIPT_FILE} and a template in ${CHECK_FILE}; keep one`);
    const data = check.data ?? {};
    if (existsSync(join(HEALTH_TEMPLATES_DIR, `${check.template}.lua.hbs`)))
      validateData(check.template, data, shownPath(checkPath), read!.doc, HEALTH_TEMPLATES_DIR);
    const script = renderTemplate(check.template, data, shownPath(checkPath));
    return { script, openLibs };
  }
  if (check?.data !== undefined) throw new UserError(`${shownPath(checkPath)}: data is set but no template names where it goes`);
  if (!exists(scriptPath)) throw new UserError(`${shownPath(kindDir)}: no ${SCRIPT_FILE} and no template in ${CHECK_FILE}`);
  const script = readCheckText(scriptPath, bounds);
  return { script, openLibs };
}

export interface LibraryKind extends KindRef {
  /** `group/Kind` (core: `Kind`). */
  ref: string;
  /** Absolute folder. */
  dir: string;
}

/**
 * Every kind folder under a library root, sorted by ref: a folder with `health.lua` or
 * `check.yaml` one level down is a core kind, two levels down `group/Kind`.
 */
export function listLibraryKinds(root = LIBRARY_DIR): LibraryKind[] {
  const out: LibraryKind[] = [];
  const isKindDir = (d: string): boolean => existsSync(join(d, SCRIPT_FILE)) || existsSync(join(d, CHECK_FILE));
  if (!isDir(root)) return out;
  for (const first of readdirSync(root).sort()) {
    const d1 = join(root, first);
    if (!isDir(d1) || first === 'testdata') continue;
    if (isKindDir(d1)) {
      const k = parseKindRef(first);
      if (k) out.push({ ...k, ref: kindRefString(k), dir: d1 });
      continue;
    }
    for (const second of readdirSync(d1).sort()) {
      const d2 = join(d1, second);
      if (!isDir(d2) || !isKindDir(d2)) continue;
      const k = parseKindRef(`${first}/${second}`);
      if (k) out.push({ ...k, ref: kindRefString(k), dir: d2 });
    }
  }
  return out.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

export interface TestFilesOptions {
  /** health_test.yaml and testdata/ must resolve inside this folder (after symlinks). */
  root?: string;
  /** Called for a file or folder refused (relative to the kind folder), with the reason. */
  onRefused?: (rel: string, reason: string) => void;
  /** Where the folder is read from (default the disk). */
  fs?: ReadFs;
}

/**
 * Files of a kind folder's tests (health_test.yaml and testdata/**), relative, sorted. Only
 * regular files; links inside testdata/ are not followed, and health_test.yaml or testdata/
 * as a link leading outside `options.root` is refused (reported through onRefused).
 */
export function testFilesOf(kindDir: string, options: TestFilesOptions = {}): string[] {
  const fs = options.fs ?? diskFs;
  const out: string[] = [];
  const contained = (rel: string): boolean => {
    const p = join(kindDir, rel);
    if (!fs.isLink(p) || options.root === undefined) return true;
    try {
      fs.resolveInside(options.root, p);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && fs.kind(p) === undefined) return false;
      options.onRefused?.(rel, fsReason(e));
      return false;
    }
  };
  if (fs.kind(join(kindDir, TEST_FILE)) !== undefined && contained(TEST_FILE)) out.push(TEST_FILE);
  const walk = (d: string): void => {
    for (const e of fs.list(d).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.kind === 'dir') walk(p);
      else if (e.kind === 'file') out.push(relative(kindDir, p).split(sep).join('/'));
    }
  };
  const td = join(kindDir, 'testdata');
  if (fs.kind(td) === 'dir' && contained('testdata')) walk(td);
  return out;
}
