import { emptySmokeChecks, SMOKE_CHECK_FIELDS } from '../catalog/smoke-checks.js';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { FileRefused, fsReason, readTextInside, resolveInside, writeFileAtomic } from '../fsutil.js';
import { maxFileBytes } from '../catalog/settings.js';
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, lineEnd, lineStart, pairOf } from '../yaml/document.js';
import type { Catalog, Component } from '../catalog/types.js';
import { UserError } from '../errors.js';
import type { Finding } from '../findings.js';
import { appendToList, yamlScalar, type ListItem } from './list-edit.js';
import { describeEntry, suggestRepairs, type EnvironmentSuggestion, type NewSmoke, type SuggestedSmokeCheck } from './suggest.js';
import { editAppSetText, planRolloutFix, type AppSetEdit } from '../rollout/edit.js';

/** The changes to one component file. */
export interface FileEdit {
  /** Relative to the catalog root. */
  file: string;
  component: string;
  /** Environments whose repair asked for this edit. */
  environments: string[];
  addDependencies: string[];
  wave?: { from: number; to: number };
  /** Items to append to `consumes.<key>` and `smoke.<key>` lists (rule chart-wait-hook). */
  lists?: ListEdit[];
}

export interface ListEdit {
  parent: 'consumes' | 'smoke';
  key: string;
  items: ListItem[];
}

/** A component file fix creates (a smoke for a component no smoke validates yet). */
export interface NewFile {
  file: string;
  component: string;
  environments: string[];
  text: string;
}

export interface FixPlan {
  suggestions: EnvironmentSuggestion[];
  edits: FileEdit[];
  /** RollingSync strategies to write into ApplicationSet files (rule rollout-order). */
  appSets: AppSetEdit[];
  /** Component files to create (new smoke components). */
  newFiles: NewFile[];
  /** Changes not applied, and why (a shared file where environments disagree, no wave solution). */
  notes: string[];
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Turns the suggested repairs into per-file edits. A component that comes from
 * `environments/_shared` is edited only when every environment using that file asks for the
 * same change (otherwise the change would leak into environments that did not ask for it).
 * `env` limits the edits to one environment (load the whole catalog anyway, so shared
 * files are recognised).
 */
export function planFix(catalog: Catalog, findings: readonly Finding[], options: { env?: string } = {}): FixPlan {
  const suggestions = suggestRepairs(catalog, findings).filter((s) => options.env === undefined || s.environment === options.env);
  const notes: string[] = [];
  type Request = { env: string; component: string; deps: string[]; wave?: { from: number; to: number }; lists: ListEdit[] };
  const byFile = new Map<string, Request[]>();
  const newSmokes: { env: string; smoke: NewSmoke; checks: SuggestedSmokeCheck[] }[] = [];
  const waitNotes: string[] = [];
  for (const s of suggestions) {
    const env = catalog.environments.find((e) => e.name === s.environment)!;
    const reqs = new Map<string, Request>();
    const get = (name: string): Request => {
      let r = reqs.get(name);
      if (!r) reqs.set(name, (r = { env: env.name, component: name, deps: [], lists: [] }));
      return r;
    };
    const list = (r: Request, parent: ListEdit['parent'], key: string, item: ListItem): void => {
      let l = r.lists.find((x) => x.parent === parent && x.key === key);
      if (!l) r.lists.push((l = { parent, key, items: [] }));
      l.items.push(item);
    };
    for (const e of s.addDependencies) get(e.component).deps.push(e.dependency);
    if (s.waves.ok) for (const c of s.waves.changes) get(c.component).wave = { from: c.from, to: c.to };
    else notes.push(`${s.environment}: waves left as they are: ${s.waves.problems.join('; ')}`);
    for (const e of s.skippedDependencies) notes.push(`${s.environment}: not adding ${e.component} -> ${e.dependency}: ${e.why}`);
    for (const c of s.addConsumes) list(get(c.component), 'consumes', c.type, c.item);
    const created = new Set(s.newSmokes.map((n) => n.name));
    for (const c of s.addSmokeChecks) if (!created.has(c.smoke)) list(get(c.smoke), 'smoke', c.field, c.entry);
    for (const n of s.newSmokes) newSmokes.push({ env: env.name, smoke: n, checks: s.addSmokeChecks.filter((c) => c.smoke === n.name) });
    waitNotes.push(...s.notes);
    for (const r of reqs.values()) {
      r.deps.sort();
      for (const l of r.lists) l.items.sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
      r.lists.sort((x, y) => (`${x.parent}.${x.key}` < `${y.parent}.${y.key}` ? -1 : 1));
      const file = env.byName.get(r.component)!.file;
      byFile.set(file, [...(byFile.get(file) ?? []), r]);
    }
  }
  const edits: FileEdit[] = [];
  for (const [file, reqs] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const component = reqs[0]!.component;
    const users = catalog.environments.filter((e) => e.byName.get(component)?.file === file).map((e) => e.name);
    const first = reqs[0]!;
    const agree =
      reqs.length === users.length &&
      reqs.every(
        (r) => sameList(r.deps, first.deps) && r.wave?.to === first.wave?.to && JSON.stringify(r.lists) === JSON.stringify(first.lists),
      );
    if (!agree && options.env !== undefined && users.length > 1) {
      notes.push(
        `${file}: not edited: it is shared by ${users.join(', ')}; run wavegate fix without --env so every environment's change is known`,
      );
      continue;
    }
    if (!agree) {
      notes.push(
        `${file}: not edited: it is shared by ${users.join(', ')} and they need different changes ` +
          `(${reqs.map((r) => `${r.env}: ${describeRequest(r.deps, r.wave, r.lists)}`).join('; ')}); copy it into each environment to fix them separately`,
      );
      continue;
    }
    edits.push({
      file,
      component,
      environments: reqs.map((r) => r.env),
      addDependencies: first.deps,
      wave: first.wave,
      ...(first.lists.length > 0 ? { lists: first.lists } : {}),
    });
  }
  const newFiles = planNewSmokes(catalog, newSmokes, options);
  // The strategy follows the waves as they will be after this fix (new smokes included).
  const rollout = planRolloutAfter(catalog, suggestions, options);
  // A wait in a shared chart is the same note in every environment: say it once.
  return {
    suggestions,
    edits,
    appSets: rollout.edits,
    newFiles,
    notes: [
      ...notes,
      ...rollout.notes,
      ...mergeNotes(
        waitNotes,
        catalog.environments.map((e) => e.name),
      ),
    ],
  };
}

/** Notes that differ only in their `<env>: ` prefix, said once for all those environments. */
function mergeNotes(notes: string[], envs: string[]): string[] {
  const byText = new Map<string, string[]>();
  const out: string[] = [];
  for (const n of notes) {
    const env = envs.find((e) => n.startsWith(`${e}: `));
    if (env === undefined) {
      if (!out.includes(n)) out.push(n);
      continue;
    }
    const text = n.slice(env.length + 2);
    const list = byText.get(text);
    if (list) {
      if (!list.includes(env)) list.push(env);
      continue;
    }
    byText.set(text, [env]);
    out.push(`\u0000${text}`);
  }
  return out.map((n) => (n.startsWith('\u0000') ? `${byText.get(n.slice(1))!.join(', ')}: ${n.slice(1)}` : n));
}

/**
 * The smoke component files to create: one in `_shared` when the component comes from there
 * and every environment asks for the same smoke, else one per environment.
 */
function planNewSmokes(
  catalog: Catalog,
  wanted: { env: string; smoke: NewSmoke; checks: SuggestedSmokeCheck[] }[],
  options: { env?: string },
): NewFile[] {
  const out: NewFile[] = [];
  const text = (w: (typeof wanted)[number]): string => newSmokeText(w.smoke, w.checks);
  const shared = new Map<string, (typeof wanted)[number][]>();
  for (const w of wanted) {
    if (w.smoke.sharedFile && options.env === undefined) shared.set(w.smoke.sharedFile, [...(shared.get(w.smoke.sharedFile) ?? []), w]);
    else out.push({ file: w.smoke.file, component: w.smoke.name, environments: [w.env], text: text(w) });
  }
  for (const [file, ws] of shared) {
    const t = text(ws[0]!);
    const users = catalog.environments.filter(
      (e) =>
        e.byName.get(ws[0]!.smoke.validates)?.file ===
        catalog.environments.find((x) => x.name === ws[0]!.env)!.byName.get(ws[0]!.smoke.validates)!.file,
    );
    if (ws.length === catalog.environments.length && users.length === ws.length && ws.every((w) => text(w) === t)) {
      out.push({ file, component: ws[0]!.smoke.name, environments: ws.map((w) => w.env), text: t });
    } else {
      for (const w of ws) out.push({ file: w.smoke.file, component: w.smoke.name, environments: [w.env], text: text(w) });
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** component.yaml of a new smoke. */
function newSmokeText(n: NewSmoke, checks: readonly SuggestedSmokeCheck[]): string {
  const lines = [
    `# Created by wavegate fix (rule chart-wait-hook): checks what ${n.validates}'s chart waited for`,
    '# in a hook or init container. Remove those waits by hand once this smoke passes.',
    `name: ${yamlScalar(n.name)}`,
    `tier: ${yamlScalar(n.tier)}`,
    `wave: ${n.wave}`,
    'componentType: smoke',
    ...(n.namespace !== undefined ? [`namespace: ${yamlScalar(n.namespace)}`] : []),
    ...(n.project !== undefined ? [`project: ${yamlScalar(n.project)}`] : []),
    'dependencies:',
    `  - ${yamlScalar(n.validates)}`,
    'health:',
    '  - batch/Job',
    'smoke:',
    '  validates:',
    `    - ${yamlScalar(n.validates)}`,
  ];
  for (const field of SMOKE_CHECK_FIELDS) {
    const mine = checks.filter((c) => c.field === field);
    if (mine.length === 0) continue;
    lines.push(`  ${field}:`);
    for (const c of mine) {
      Object.entries(c.entry).forEach(([k, v], i) => lines.push(`    ${i === 0 ? '- ' : '  '}${k}: ${yamlScalar(v)}`));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The RollingSync strategies to write, for the waves as they are once `suggestions` are applied. */
export function planRolloutAfter(catalog: Catalog, suggestions: readonly EnvironmentSuggestion[], options: { env?: string } = {}) {
  return planRolloutFix(withWaves(catalog, suggestions), options);
}

/** The catalog with the suggested wave changes applied and the new smokes added (in memory). */
function withWaves(catalog: Catalog, suggestions: readonly EnvironmentSuggestion[]): Catalog {
  const moved = new Map(
    suggestions
      .filter((s) => s.waves.ok && s.waves.changes.length > 0)
      .map((s) => [s.environment, new Map(s.waves.changes.map((c) => [c.component, c.to]))]),
  );
  const added = new Map(suggestions.filter((s) => s.newSmokes.length > 0).map((s) => [s.environment, s.newSmokes]));
  if (moved.size === 0 && added.size === 0) return catalog;
  return {
    ...catalog,
    environments: catalog.environments.map((e) => {
      const m = moved.get(e.name) ?? new Map<string, number>();
      const extra = (added.get(e.name) ?? []).map((n) => smokeComponent(n));
      if (m.size === 0 && extra.length === 0) return e;
      const components = [...e.components.map((c) => (m.has(c.name) ? { ...c, wave: m.get(c.name)! } : c)), ...extra].sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
      return { ...e, components, byName: new Map(components.map((c) => [c.name, c])) };
    }),
  };
}

/** A new smoke as a loaded component (for the rollout steps that must include it). */
function smokeComponent(n: NewSmoke): Component {
  const none = { kinds: [], secrets: [], services: [] };
  const raw: Record<string, unknown> = { name: n.name, tier: n.tier, wave: n.wave, componentType: 'smoke', dependencies: [n.validates] };
  if (n.namespace !== undefined) raw.namespace = n.namespace;
  if (n.project !== undefined) raw.project = n.project;
  return {
    name: n.name,
    tier: n.tier,
    wave: n.wave,
    componentType: 'smoke',
    ...(n.namespace !== undefined ? { namespace: n.namespace } : {}),
    dependencies: [n.validates],
    provides: none,
    consumes: none,
    health: ['batch/Job'],
    smoke: { validates: [n.validates], ...emptySmokeChecks() },
    raw,
    file: n.sharedFile ?? n.file,
    origin: n.sharedFile ? 'shared' : 'env',
    locate: () => undefined,
  };
}

function describeRequest(deps: string[], wave?: { from: number; to: number }, lists: readonly ListEdit[] = []): string {
  const parts: string[] = [];
  if (deps.length > 0) parts.push(`add ${deps.join(', ')}`);
  if (wave) parts.push(`wave ${wave.from} -> ${wave.to}`);
  for (const l of lists)
    parts.push(`add ${l.parent}.${l.key} ${l.items.map((i) => (typeof i === 'string' ? i : describeEntry(i))).join(', ')}`);
  return parts.join(', ') || 'nothing';
}

export function describeEdit(e: FileEdit): string {
  return `${e.file}: ${describeRequest(e.addDependencies, e.wave, e.lists)}`;
}

export function describeNewFile(f: NewFile): string {
  return `${f.file}: new smoke ${f.component}`;
}

/**
 * Applies one edit to a component file's text by splicing at the positions the YAML parser
 * reports, so every other byte (comments, quoting, indentation, key order) stays as it was.
 * The result is parsed again and compared with the intended data; a mismatch is an error.
 */
export function editComponentText(
  text: string,
  edit: Pick<FileEdit, 'addDependencies' | 'wave' | 'lists'>,
  file = 'component.yaml',
): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) throw new UserError(`${file}: cannot edit: not a valid component file`);
  const map = doc.contents;
  const splices: { at: number; end: number; text: string }[] = [];
  const wavePair = pairOf(map, 'wave');
  if (edit.wave) {
    const node = wavePair?.value as Node | undefined;
    if (!isScalar(node) || !node.range) throw new UserError(`${file}: cannot edit: no wave field`);
    const q = node.type === 'QUOTE_DOUBLE' ? '"' : node.type === 'QUOTE_SINGLE' ? "'" : '';
    splices.push({ at: node.range[0], end: node.range[1], text: `${q}${edit.wave.to}${q}` });
  }
  const add = edit.addDependencies;
  if (add.length > 0) {
    const pair = pairOf(map, 'dependencies');
    const value = pair?.value as Node | null | undefined;
    if (pair && isSeq(value) && value.range) {
      if (value.flow) {
        const close = text.lastIndexOf(']', value.range[1] - 1);
        if (close < value.range[0]) throw new UserError(`${file}: cannot edit: dependencies is not a [...] list`);
        splices.push({ at: close, end: close, text: `${value.items.length > 0 ? ', ' : ''}${add.join(', ')}` });
      } else {
        const indent = value.range[0] - lineStart(text, value.range[0]);
        const last = value.items[value.items.length - 1] as Node;
        const at = lineEnd(text, last.range![1]);
        splices.push({ at, end: at, text: add.map((d) => `\n${' '.repeat(indent)}- ${d}`).join('') });
      }
    } else if (pair && (value === null || value === undefined || (isScalar(value) && value.value === null && !value.source))) {
      const keyNode = pair.key as Node;
      const keyCol = keyNode.range![0] - lineStart(text, keyNode.range![0]);
      const at = lineEnd(text, keyNode.range![1]);
      splices.push({ at, end: at, text: add.map((d) => `\n${' '.repeat(keyCol + 2)}- ${d}`).join('') });
    } else if (!pair) {
      const anchor = (wavePair ?? map.items[map.items.length - 1]) as Pair;
      const keyNode = anchor.key as Node;
      const keyCol = keyNode.range![0] - lineStart(text, keyNode.range![0]);
      const valueEnd = ((anchor.value as Node | null)?.range ?? keyNode.range!)[1];
      const at = lineEnd(text, valueEnd);
      const pad = ' '.repeat(keyCol);
      splices.push({ at, end: at, text: `\n${pad}dependencies:${add.map((d) => `\n${pad}  - ${d}`).join('')}` });
    } else {
      throw new UserError(`${file}: cannot edit: dependencies is not a list`);
    }
  }
  splices.sort((a, b) => b.at - a.at);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  let out = text;
  for (const s of splices) out = out.slice(0, s.at) + s.text.replace(/\n/g, nl) + out.slice(s.end);
  if (!out.endsWith('\n') && text.endsWith('\n')) out += '\n';
  for (const l of edit.lists ?? []) out = appendToList(out, l.parent, l.key, l.items, file);

  // Verify: the same data, except the intended changes.
  const before = doc.toJS() as Record<string, unknown>;
  const afterDoc = parseDocument(out);
  const after = afterDoc.toJS() as Record<string, unknown>;
  const expected: Record<string, unknown> = { ...before };
  if (edit.wave) expected.wave = typeof before.wave === 'string' ? String(edit.wave.to) : edit.wave.to;
  if (add.length > 0) expected.dependencies = [...((before.dependencies as string[] | null | undefined) ?? []), ...add];
  for (const l of edit.lists ?? []) {
    const parent = { ...((expected[l.parent] as Record<string, unknown> | null | undefined) ?? {}) };
    parent[l.key] = [...((parent[l.key] as unknown[] | null | undefined) ?? []), ...l.items];
    expected[l.parent] = parent;
  }
  const order = (o: unknown): string =>
    JSON.stringify(o, (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
    );
  if (afterDoc.errors.length > 0 || order(after) !== order(expected)) {
    throw new UserError(
      `${file}: cannot edit safely (the file's layout is unusual); change it by hand: ${describeRequest(add, edit.wave, edit.lists)}`,
    );
  }
  return out;
}

/**
 * Writes every edit: all new texts are computed and verified first, then each file is
 * replaced with writeFileAtomic (a new file created exclusively under a random name beside
 * it, fsynced, given the file's mode, renamed), so a failure leaves no file half-written and
 * a planted name or symlink is never written through. A symlinked file whose target is
 * inside the catalog has its target edited (the link stays; `onLink` is told which); a link
 * leading outside is refused.
 */
export function applyFix(catalog: Catalog, plan: FixPlan, onLink?: (file: string, target: string) => void): string[] {
  const texts = fixedTexts(catalog, plan);
  for (const t of texts) {
    let written: string;
    try {
      if (t.create) {
        // a new smoke's folder: created inside the catalog, and still inside after symlinks
        mkdirSync(dirname(t.abs), { recursive: true });
        resolveInside(catalog.root, dirname(t.abs));
      }
      written = writeFileAtomic(t.abs, t.text, { root: catalog.root });
    } catch (e) {
      throw new UserError(`${t.file}: not ${t.create ? 'created' : 'edited'}: ${e instanceof FileRefused ? e.message : fsReason(e)}`);
    }
    if (written !== t.abs) onLink?.(t.file, relative(catalog.root, written).split(sep).join('/'));
  }
  return [...plan.edits.map((e) => e.file), ...plan.appSets.map((e) => e.file), ...plan.newFiles.map((f) => f.file)];
}

/** A catalog file's text for an edit: inside the catalog after symlinks, a regular file, bounded. */
function readForEdit(catalog: Catalog, file: string): string {
  try {
    return readTextInside(catalog.root, join(catalog.root, file), maxFileBytes(catalog.settings));
  } catch (e) {
    throw new UserError(`${file}: not edited: ${fsReason(e)}`);
  }
}

/** Every edited file's new text, computed and verified (nothing written). */
export function fixedTexts(catalog: Catalog, plan: FixPlan): { abs: string; file: string; text: string; create?: boolean }[] {
  const out: { abs: string; file: string; text: string; create?: boolean }[] = plan.edits.map((e) => {
    const abs = join(catalog.root, e.file);
    return { abs, file: e.file, text: editComponentText(readForEdit(catalog, e.file), e, e.file) };
  });
  // Several ApplicationSets may share a file: apply them in turn to the same text.
  const byFile = new Map<string, AppSetEdit[]>();
  for (const e of plan.appSets) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const abs = join(catalog.root, file);
    let text = readForEdit(catalog, file);
    for (const e of edits) text = editAppSetText(text, e, file);
    out.push({ abs, file, text });
  }
  for (const f of plan.newFiles) {
    const abs = join(catalog.root, f.file);
    if (existsSync(abs)) throw new UserError(`${f.file}: cannot create smoke ${f.component}: the file exists`);
    if (parseDocument(f.text).errors.length > 0) throw new Error(`${f.file}: the new smoke is not valid YAML`);
    out.push({ abs, file: f.file, text: f.text, create: true });
  }
  return out;
}
