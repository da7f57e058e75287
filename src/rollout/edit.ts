/**
 * Writes the derived RollingSync strategy (and the wave label it selects on) into an
 * ApplicationSet file in place: the text is spliced at the positions the YAML parser reports,
 * so every other byte and comment stays as it was; the result is parsed again and compared
 * with the intended data before anything is written.
 */
import {
  isMap,
  isScalar,
  parseAllDocuments,
  type Document,
  type Node,
  type YAMLMap,
  lineEnd,
  lineStart,
  pairOf,
} from '../yaml/document.js';
import type { Catalog } from '../catalog/types.js';
import { UserError } from '../errors.js';
import { deriveRollout, environmentAppSets, rolloutSettings, strategyValue, type DerivedRollout } from './appsets.js';
import { rolloutProblems } from './compare.js';

export interface AppSetEdit {
  file: string;
  appSet: string;
  environments: string[];
  derived: DerivedRollout;
}

export interface RolloutFixPlan {
  edits: AppSetEdit[];
  notes: string[];
}

/** The ApplicationSets whose strategy `wavegate fix` rewrites: those rollout-order finds fault with. */
export function planRolloutFix(catalog: Catalog, options: { env?: string } = {}): RolloutFixPlan {
  const settings = rolloutSettings(catalog);
  const byKey = new Map<string, { file: string; appSet: string; per: { env: string; derived: DerivedRollout; faulty: boolean }[] }>();
  for (const env of catalog.environments) {
    for (const a of environmentAppSets(catalog, env)) {
      const key = `${a.file}\0${a.name}`;
      const e = byKey.get(key) ?? { file: a.file, appSet: a.name, per: [] };
      e.per.push({ env: env.name, derived: deriveRollout(a, settings), faulty: rolloutProblems(a, settings).length > 0 });
      byKey.set(key, e);
    }
  }
  const edits: AppSetEdit[] = [];
  const notes: string[] = [];
  for (const e of [...byKey.values()].sort((p, q) => (p.file < q.file ? -1 : p.file > q.file ? 1 : p.appSet < q.appSet ? -1 : 1))) {
    if (!e.per.some((p) => p.faulty && (options.env === undefined || p.env === options.env))) continue;
    const first = JSON.stringify(e.per[0]!.derived);
    if (e.per.some((p) => JSON.stringify(p.derived) !== first)) {
      notes.push(
        `${e.file}: ApplicationSet ${e.appSet} generates Applications of ${e.per.map((p) => p.env).join(', ')}, whose waves need different steps; give each environment its own ApplicationSet`,
      );
      continue;
    }
    edits.push({ file: e.file, appSet: e.appSet, environments: e.per.map((p) => p.env), derived: e.per[0]!.derived });
  }
  return { edits, notes };
}

export function describeAppSetEdit(e: AppSetEdit): string {
  const labels = Object.keys(e.derived.labelTemplates);
  return (
    `${e.file}: ApplicationSet ${e.appSet}: RollingSync, ${e.derived.steps.length} step${e.derived.steps.length === 1 ? '' : 's'} by ${e.derived.waveLabel} (waves ${e.derived.steps.map((s) => s.wave).join(', ')})` +
    (labels.length > 0 ? `; template label ${labels.map((k) => `${k}: '${e.derived.labelTemplates[k]}'`).join(', ')}` : '')
  );
}

/** `check --suggest` text: the strategy block each ApplicationSet would get. */
export function formatAppSetEdits(edits: readonly AppSetEdit[]): string {
  if (edits.length === 0) return '';
  const lines: string[] = [];
  for (const e of edits) {
    lines.push(
      `Suggested spec.strategy for ApplicationSet ${e.appSet} (${e.file}, ${e.environments.join(', ')}):`,
      strategyText(e.derived, '  '),
    );
    for (const [k, t] of Object.entries(e.derived.labelTemplates)) lines.push(`  and in spec.template.metadata.labels: ${k}: '${t}'`);
  }
  lines.push('Apply with: wavegate fix');
  return `${lines.join('\n')}\n`;
}

/** `check --suggest --format json`: the strategies as data. */
export function appSetEditsToJson(edits: readonly AppSetEdit[]): unknown[] {
  return edits.map((e) => ({
    file: e.file,
    applicationSet: e.appSet,
    environments: e.environments,
    strategy: strategyValue(e.derived),
    templateLabels: e.derived.labelTemplates,
  }));
}

const column = (text: string, node: Node): number => node.range![0] - lineStart(text, node.range![0]);
/** End of the last line holding content of a node (trailing blank lines and comments excluded). */
function contentEnd(text: string, node: Node): number {
  let end = node.range![1];
  while (end > node.range![0] && /\s/.test(text[end - 1]!)) end--;
  return lineEnd(text, end);
}

/** The strategy block, its lines indented by `pad` (the column of spec's keys). */
function strategyText(d: DerivedRollout, pad: string): string {
  const v = strategyValue(d) as {
    rollingSync: { steps: { matchExpressions: { key: string; operator: string; values: string[] }[]; maxUpdate?: number | string }[] };
  };
  const lines = [
    `${pad}strategy: # written by wavegate fix: one step per wave of the catalog, ascending (docs/rollout.md)`,
    `${pad}  type: RollingSync`,
    `${pad}  rollingSync:`,
    `${pad}    steps:`,
  ];
  v.rollingSync.steps.forEach((s, i) => {
    const e = s.matchExpressions[0]!;
    lines.push(
      `${pad}      - matchExpressions: [{ key: ${e.key}, operator: ${e.operator}, values: [${e.values.map((x) => JSON.stringify(x)).join(', ')}] }]${e.values.length === 1 && e.values[0] === String(d.steps[i]!.wave) ? '' : ` # wave ${d.steps[i]!.wave}`}`,
    );
    if (s.maxUpdate !== undefined)
      lines.push(`${pad}        maxUpdate: ${typeof s.maxUpdate === 'number' ? s.maxUpdate : JSON.stringify(s.maxUpdate)}`);
  });
  return lines.join('\n');
}

function findDoc(docs: Document.Parsed[], name: string): Document.Parsed | undefined {
  return docs.find((d) => {
    const v = d.errors.length === 0 ? (d.toJS() as Record<string, unknown> | null) : null;
    return v && v.kind === 'ApplicationSet' && (v.metadata as { name?: unknown } | undefined)?.name === name;
  });
}

/** The file's text with the edit applied; verified by parsing it again. */
export function editAppSetText(text: string, edit: Pick<AppSetEdit, 'appSet' | 'derived'>, file = 'applicationset.yaml'): string {
  const fail = (why: string): never => {
    throw new UserError(
      `${file}: cannot edit ApplicationSet ${edit.appSet} safely (${why}); write spec.strategy by hand: ${describeAppSetEdit({ file, appSet: edit.appSet, environments: [], derived: edit.derived })}`,
    );
  };
  const docs = parseAllDocuments(text, { uniqueKeys: false }) as Document.Parsed[];
  const doc = Array.isArray(docs) ? findDoc(docs, edit.appSet) : undefined;
  if (!doc || !isMap(doc.contents)) return fail('not found');
  const spec = pairOf(doc.contents, 'spec')?.value;
  if (!isMap(spec) || spec.flow || spec.items.length === 0) return fail('spec is not a block mapping');
  const template = pairOf(spec, 'template');
  if (!template || !isMap(template.value)) return fail('no spec.template');
  const splices: { at: number; end: number; text: string }[] = [];
  const pad = ' '.repeat(column(text, spec.items[0]!.key as Node));
  const block = strategyText(edit.derived, pad);
  const existing = pairOf(spec, 'strategy');
  if (existing) {
    const start = lineStart(text, (existing.key as Node).range![0]);
    const end = existing.value ? contentEnd(text, existing.value as Node) : lineEnd(text, (existing.key as Node).range![1]);
    splices.push({ at: start, end, text: block });
  } else {
    // before template:, above the comment lines that introduce it
    let at = lineStart(text, (template.key as Node).range![0]);
    for (;;) {
      if (at === 0) break;
      const prev = lineStart(text, at - 1);
      if (!/^\s*#/.test(text.slice(prev, at))) break;
      at = prev;
    }
    splices.push({ at, end: at, text: `${block}\n` });
  }
  const labelKeys = Object.keys(edit.derived.labelTemplates);
  if (labelKeys.length > 0) {
    const tmap = template.value as YAMLMap;
    const meta = pairOf(tmap, 'metadata')?.value;
    if (!isMap(meta) || meta.flow || meta.items.length === 0) return fail('spec.template.metadata is not a block mapping');
    const labels = pairOf(meta, 'labels');
    const quoted = (s: string): string => `'${s.replace(/'/g, "''")}'`;
    if (labels && isMap(labels.value) && !labels.value.flow && labels.value.items.length > 0) {
      const lmap = labels.value;
      const lpad = ' '.repeat(column(text, lmap.items[0]!.key as Node));
      const add: string[] = [];
      for (const k of labelKeys) {
        const p = pairOf(lmap, k);
        if (p && isScalar(p.value) && p.value.range)
          splices.push({ at: p.value.range[0], end: p.value.range[1], text: quoted(edit.derived.labelTemplates[k]!) });
        else if (p) return fail(`label ${k} is not a plain value`);
        else add.push(`\n${lpad}${k}: ${quoted(edit.derived.labelTemplates[k]!)}`);
      }
      if (add.length > 0) {
        const at = contentEnd(text, lmap.items[lmap.items.length - 1]!.value as Node);
        splices.push({ at, end: at, text: add.join('') });
      }
    } else if (!labels) {
      const mpad = ' '.repeat(column(text, meta.items[0]!.key as Node));
      const firstPair = meta.items[0]!;
      const at = contentEnd(text, (firstPair.value ?? firstPair.key) as Node);
      splices.push({
        at,
        end: at,
        text: `\n${mpad}labels:${labelKeys.map((k) => `\n${mpad}  ${k}: ${quoted(edit.derived.labelTemplates[k]!)}`).join('')}`,
      });
    } else {
      return fail('spec.template.metadata.labels is not a block mapping');
    }
  }
  splices.sort((a, b) => b.at - a.at);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  let out = text;
  for (const s of splices) out = out.slice(0, s.at) + s.text.replace(/\n/g, nl) + out.slice(s.end);

  // Verify: every document the same, except this ApplicationSet's strategy and labels.
  const afterDocs = parseAllDocuments(out, { uniqueKeys: false }) as Document.Parsed[];
  if (!Array.isArray(afterDocs) || afterDocs.length !== docs.length || afterDocs.some((d) => d.errors.length > 0))
    return fail('the result does not parse');
  for (let i = 0; i < docs.length; i++) {
    const before = docs[i]!.toJS() as Record<string, unknown>;
    const after = afterDocs[i]!.toJS() as Record<string, unknown>;
    let expected = before;
    if (docs[i] === doc) {
      const s = structuredClone(before) as {
        spec: Record<string, unknown> & { template: { metadata: { labels?: Record<string, string> } } };
      };
      s.spec.strategy = strategyValue(edit.derived);
      if (labelKeys.length > 0)
        s.spec.template.metadata.labels = { ...(s.spec.template.metadata.labels ?? {}), ...edit.derived.labelTemplates };
      expected = s as unknown as Record<string, unknown>;
    }
    if (canonical(after) !== canonical(expected)) return fail('the layout is unusual');
  }
  return out;
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, (x as Record<string, unknown>)[k]]),
        )
      : x,
  );
}
