/**
 * Appending items to a list two keys deep in a component file (`consumes.secrets`,
 * `smoke.externalSecrets`), by splicing text at the positions the YAML parser reports, so
 * every other byte stays as it was. Keys that are missing are added (under the parent map, or
 * the parent too at the end of the file's top-level map). The caller verifies the result.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap, lineEnd, lineStart, pairOf } from '../yaml/document.js';
import { UserError } from '../errors.js';

export type ListItem = string | Record<string, string>;

const PLAIN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+)$/i;

/** A scalar as YAML: plain when that reads back as the same string, else double-quoted. */
export function yamlScalar(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

/** A block list item at indentation `pad` (`- a` or `- name: x\n  namespace: y`). */
function blockItem(item: ListItem, pad: string): string {
  if (typeof item === 'string') return `${pad}- ${yamlScalar(item)}`;
  return Object.entries(item)
    .map(([k, v], i) => `${pad}${i === 0 ? '- ' : '  '}${k}: ${yamlScalar(v)}`)
    .join('\n');
}

const flowItem = (item: ListItem): string =>
  typeof item === 'string'
    ? yamlScalar(item)
    : `{ ${Object.entries(item)
        .map(([k, v]) => `${k}: ${yamlScalar(v)}`)
        .join(', ')} }`;

const isEmptyValue = (v: unknown): boolean =>
  v === null || v === undefined || (isScalar(v) && v.value === null && !(v as { source?: string }).source);

/** The offset just after the last line a pair's value (or key) ends on. */
function pairEnd(text: string, pair: Pair): number {
  const keyNode = pair.key as Node;
  const valueNode = pair.value as Node | null;
  const end = (valueNode?.range ?? keyNode.range!)[1];
  // A block node's range may end after its trailing newline: step back onto its last line.
  let at = end;
  while (at > 0 && (text[at - 1] === '\n' || text[at - 1] === '\r' || text[at - 1] === ' ')) at--;
  return lineEnd(text, at);
}

/** Column of a pair's key. */
const keyColumn = (text: string, pair: Pair): number => {
  const k = pair.key as Node;
  return k.range![0] - lineStart(text, k.range![0]);
};

/** `text` with `items` appended to the list at `[parent, key]` of the file's top-level map. */
export function appendToList(text: string, parent: string, key: string, items: readonly ListItem[], file = 'component.yaml'): string {
  if (items.length === 0) return text;
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) throw new UserError(`${file}: cannot edit: not a valid component file`);
  const top = doc.contents as YAMLMap;
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const splice = (at: number, s: string): string => text.slice(0, at) + s.replace(/\n/g, nl) + text.slice(at);
  const parentPair = pairOf(top, parent);
  const cannot = (why: string): never => {
    throw new UserError(
      `${file}: cannot edit: ${parent}${why}; add ${parent}.${key} ${items.map((i) => (typeof i === 'string' ? i : i.name)).join(', ')} by hand`,
    );
  };
  if (!parentPair) {
    const last = top.items[top.items.length - 1] as Pair | undefined;
    if (!last) cannot(' is missing and the file has no keys');
    const pad = ' '.repeat(keyColumn(text, last!));
    const block = items.map((i) => blockItem(i, `${pad}    `)).join('\n');
    return splice(pairEnd(text, last!), `\n${pad}${parent}:\n${pad}  ${key}:\n${block}`);
  }
  const pv = parentPair.value as Node | null;
  if (isEmptyValue(pv)) {
    const col = keyColumn(text, parentPair);
    const pad = ' '.repeat(col);
    const block = items.map((i) => blockItem(i, `${pad}    `)).join('\n');
    return splice(lineEnd(text, (parentPair.key as Node).range![1]), `\n${pad}  ${key}:\n${block}`);
  }
  if (!isMap(pv) || (pv as YAMLMap).flow) return cannot(' is not a block map');
  const map = pv as YAMLMap;
  const pair = pairOf(map, key);
  if (!pair) {
    const last = map.items[map.items.length - 1] as Pair;
    const pad = ' '.repeat(keyColumn(text, last));
    const block = items.map((i) => blockItem(i, `${pad}  `)).join('\n');
    return splice(pairEnd(text, last), `\n${pad}${key}:\n${block}`);
  }
  const value = pair.value as Node | null;
  if (isEmptyValue(value)) {
    const pad = ' '.repeat(keyColumn(text, pair) + 2);
    return splice(lineEnd(text, (pair.key as Node).range![1]), `\n${items.map((i) => blockItem(i, pad)).join('\n')}`);
  }
  if (!isSeq(value) || !value.range) return cannot(`.${key} is not a list`);
  if (value.flow) {
    const close = text.lastIndexOf(']', value.range[1] - 1);
    if (close < value.range[0]) cannot(`.${key} is not a [...] list`);
    const sep = value.items.length > 0 ? ', ' : '';
    return splice(close, `${sep}${items.map(flowItem).join(', ')}`);
  }
  const first = value.items[0] as Node;
  const dash = text.lastIndexOf('-', first.range![0]);
  const pad = ' '.repeat(dash - lineStart(text, dash));
  const lastItem = value.items[value.items.length - 1] as Node;
  let at = lastItem.range![1];
  while (at > 0 && (text[at - 1] === '\n' || text[at - 1] === '\r' || text[at - 1] === ' ')) at--;
  return splice(lineEnd(text, at), `\n${items.map((i) => blockItem(i, pad)).join('\n')}`);
}
