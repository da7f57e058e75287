import { deepNesting, MAX_YAML_DEPTH } from './depth.js';
import { isUtf8 } from 'node:buffer';
import { diskFs, fsReason, type ReadFs } from '../fsutil.js';
import { createRequire } from 'node:module';
import { fastYaml } from './fast.js';
import type { Document, LineCounter, Node } from 'yaml';

/**
 * js-yaml and yaml load on first use: a catalog whose files fastYaml reads needs neither
 * (loading both is a visible part of start-up), positions and odd files still get them.
 * Both are CommonJS under Node (yaml's "node" export, js-yaml's "require" export).
 */
const requireLib = createRequire(import.meta.url);
let yamlLib: typeof import('yaml') | undefined;
let jsyamlLib: typeof import('js-yaml') | undefined;
const YAML = (): typeof import('yaml') => (yamlLib ??= requireLib('yaml') as typeof import('yaml'));
const JSYAML = (): typeof import('js-yaml') => (jsyamlLib ??= requireLib('js-yaml') as typeof import('js-yaml'));

/**
 * Plain scalars that a YAML 1.1 reader (Helm reads Chart.yaml and values with
 * sigs.k8s.io/yaml, go-yaml v2) would take for a number or null although YAML 1.2's core
 * schema, js-yaml's default, reads them as strings: exponents without a dot (`59e6547`),
 * underscores (`1_000`), `0b`/`0x` prefixes, sexagesimal (`12:30`), `.inf`/`.nan`, `~`.
 * Strings matching this are quoted on output. (js-yaml already quotes the YAML 1.1
 * booleans `y`, `yes`, `on`, `off`, ... and timestamps.)
 */
const YAML11_NON_STRING =
  /^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?0b[01_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|~|null|Null|NULL)$/;

let dumpSchema: import('js-yaml').Schema | undefined;

/**
 * YAML text of plain data for rendered files (Chart.yaml, values.yaml, index.yaml) that YAML
 * 1.1 and 1.2 readers read back alike: js-yaml's dumper (several times faster than
 * \`yaml\`'s stringify on these documents) with a schema that also quotes YAML11_NON_STRING. No line
 * folding, no anchors, double quotes where quotes are needed.
 */
/** The value of one YAML document as the `yaml` package reads it (loaded on first use). */
export function parseValue(text: string): unknown {
  return YAML().parse(text);
}

export function dumpYaml(value: unknown): string {
  const lib = JSYAML();
  dumpSchema ??= lib.DEFAULT_SCHEMA.extend({
    implicit: [
      new lib.Type('tag:wavegate.dev,2026:yaml11-non-string', {
        kind: 'scalar',
        resolve: (data: unknown) => typeof data === 'string' && YAML11_NON_STRING.test(data),
        construct: (data: string) => data,
      }),
    ],
  });
  return lib.dump(value, { lineWidth: -1, noRefs: true, quotingType: '"', schema: dumpSchema });
}

/** Position of a node in a YAML file (1-based). */
export interface Pos {
  line: number;
  column: number;
}

/** A problem with a YAML file as a whole or at one place in it. */
export interface YamlProblem {
  message: string;
  line?: number;
  column?: number;
}

/** A parsed YAML document that can still answer "where is this field?". */
export interface LoadedYaml {
  value: unknown;
  /** Position of the value at `path` (or of the key when `key` is set). */
  locate(path: readonly (string | number)[], key?: boolean): Pos | undefined;
}

const MAX_ALIAS_COUNT = 100;

/** Reads a file as UTF-8 text; an unreadable file and binary or non-UTF-8 content are problems, not exceptions or garbage. */
export function readText(absPath: string, options?: ReadOptions): { text: string } | { problem: YamlProblem } {
  const r = readFileBytes(absPath, options);
  return 'problem' in r ? r : decodeText(r.bytes);
}

/** The message for a file that could not be read (permissions, removed while being read, ...). */
function unreadableMessage(code: string | undefined, message: string): string {
  const why =
    code === 'ENOENT'
      ? 'the file disappeared while it was being read'
      : code === 'EOUTSIDE' || code === 'ENOTREG' || code === 'ETOOBIG'
        ? message
        : fsReason(Object.assign(new Error(message), { code }));
  return `cannot read the file: ${why}`;
}

/** Bounds on a file read: the folder it must resolve inside (after symlinks) and its size limit. */
export interface ReadOptions {
  root?: string;
  maxBytes?: number;
  /** Where files are read from (default the disk; a catalog's `files.fs` for what it holds). */
  fs?: ReadFs;
}

function readFileBytes(absPath: string, options: ReadOptions = {}): { bytes: Uint8Array } | { problem: YamlProblem } {
  try {
    return { bytes: (options.fs ?? diskFs).read(absPath, options) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return {
      problem: {
        message: unreadableMessage(
          err.code,
          err.code === 'EOUTSIDE' || err.code === 'ENOTREG' || err.code === 'ETOOBIG' ? err.message : fsReason(err),
        ),
      },
    };
  }
}

/** readText for bytes already read: NUL bytes and invalid UTF-8 are problems; leading BOMs are dropped. */
export function decodeText(buf: Uint8Array): { text: string } | { problem: YamlProblem } {
  if (buf.includes(0)) return { problem: { message: 'not a text file (contains NUL bytes)' } };
  // Same acceptance as TextDecoder('utf-8', { fatal: true }).
  if (!isUtf8(buf)) return { problem: { message: 'not a text file (invalid UTF-8)' } };
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('utf8');
  // Leading byte-order marks carry no content (editors sometimes write two).
  return { text: text.charCodeAt(0) === 0xfeff ? text.replace(/^\ufeff+/, '') : text };
}

function firstLine(message: string): string {
  const i = message.indexOf(' at line ');
  const m = i >= 0 ? message.slice(0, i) : message.split('\n')[0]!;
  return m.trim();
}

/** A document marker after the first line: maybe several documents (fastYaml would return the first). */
const LATER_DOCUMENT = /\n(?:---|\.\.\.)(?:[ \t\r\n]|$)/;

/** Matches every alias (`*name`), and some text that is not one. */
const ALIAS = /\*[^\s,[\]{}]/g;
/**
 * Files with at most this many aliases take the fast path: their nested expansion stays far
 * below MAX_ALIAS_COUNT (k aliases expand to at most 3^(k/3) copies, 39 for k = 10), so
 * both parsers accept them alike; more aliases go through `yaml`, which bounds expansion.
 */
const FAST_PATH_MAX_ALIASES = 10;

/** True when the text has at most FAST_PATH_MAX_ALIASES aliases (js-yaml may parse it). */
export function fewAliases(text: string): boolean {
  if (!text.includes('*')) return true;
  let n = 0;
  ALIAS.lastIndex = 0;
  while (ALIAS.exec(text) !== null) if (++n > FAST_PATH_MAX_ALIASES) return false;
  return true;
}

/**
 * Parses one YAML document: syntax errors, duplicate keys and alias bombs become problems
 * with line and column; a multi-document file is a problem (one document expected).
 *
 * Two libraries, one behaviour: the common file (no merge keys, at most a few aliases) is
 * parsed by fastYaml (./fast.ts) or js-yaml with the YAML 1.2 core schema, several
 * times faster than `yaml` on catalogs of thousands of files; positions are then computed only
 * when a finding asks for one.
 * Anything js-yaml refuses, and any file with more aliases (which `yaml` bounds with
 * maxAliasCount) or merge keys, goes through `yaml`, whose messages and positions are reported.
 */
export function parseYaml(text: string): { doc: LoadedYaml } | { problem: YamlProblem } {
  const deep = deepNesting(text);
  if (deep) return { problem: { message: `nesting deeper than ${MAX_YAML_DEPTH} levels: refusing to load`, line: deep.line, column: 1 } };
  if (fewAliases(text) && !text.includes('<<')) {
    let value: unknown;
    let ok = true;
    // fastYaml returns exactly what js-yaml would, or undefined when unsure (faster on
    // component files); js-yaml reads the rest.
    const fast = LATER_DOCUMENT.test(text) ? undefined : fastYaml(text);
    if (fast !== undefined) {
      value = fast;
    } else {
      try {
        value = JSYAML().load(text, { schema: JSYAML().CORE_SCHEMA, json: false });
      } catch {
        ok = false;
      }
    }
    if (ok) return { doc: { value: value ?? null, locate: lazyLocate(text, value) } };
  }
  return parseYamlSlow(text);
}

/**
 * `locate` for a document read by fastYaml or js-yaml: a top-level key is found in the text,
 * anything else parses the text again with `yaml` (once, on first use). A function of its own
 * so that each document keeps one small closure (catalogs keep tens of thousands of them).
 */
function lazyLocate(text: string, value: unknown): LoadedYaml['locate'] {
  let slow: LoadedYaml | undefined;
  return (path, key) => {
    if (!slow && path.length === 1 && typeof path[0] === 'string') {
      const quick = locateTopLevelKey(text, path[0], key === true);
      if (quick) return quick;
    }
    if (!slow) {
      const r = parseYamlSlow(text);
      slow = 'doc' in r ? r.doc : { value, locate: () => undefined };
    }
    return slow.locate(path, key);
  };
}

function parseYamlSlow(text: string): { doc: LoadedYaml } | { problem: YamlProblem } {
  const { LineCounter, parseAllDocuments } = YAML();
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    // An empty stream comes back as an EmptyStream (no documents).
    return { doc: { value: null, locate: () => undefined } };
  }
  for (const d of list) {
    const err = d.errors[0];
    if (err) {
      const lp = lineCounter.linePos(err.pos[0]);
      return { problem: { message: `YAML syntax: ${firstLine(err.message)}`, line: lp.line, column: lp.col } };
    }
  }
  if (list.length > 1) {
    const lp = list[1]!.range ? lineCounter.linePos(list[1]!.range[0]) : undefined;
    return { problem: { message: 'expected one YAML document, found several', line: lp?.line, column: lp?.col } };
  }
  const doc = list[0];
  if (!doc) return { doc: { value: null, locate: () => undefined } };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const msg = (e as Error).message;
    if (/alias/i.test(msg)) {
      return { problem: { message: `YAML aliases expand too much (more than ${MAX_ALIAS_COUNT} alias uses): refusing to load` } };
    }
    return { problem: { message: `YAML: ${firstLine(msg)}` } };
  }
  return { doc: { value, locate: (path, key) => locateIn(doc, lineCounter, path, key) } };
}

/**
 * The position of a top-level `key: value` of a one-document file, found in the text without
 * parsing it again (rules locate e.g. `wave` for thousands of findings): only when the key
 * appears once at column 1 as a plain key and its value starts on the same line as a plain,
 * quoted or flow scalar/collection; anything else is left to the parser (undefined).
 * test/yaml-fast-path.test.ts compares it with the parser on every file of examples/ameide.
 */
export function locateTopLevelKey(text: string, name: string, key: boolean): Pos | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) return undefined;
  let found: Pos | undefined;
  let line = 1;
  for (let i = 0; i < text.length; ) {
    const end = text.indexOf('\n', i);
    const stop = end < 0 ? text.length : end;
    if (text.startsWith(name, i) && text[i + name.length] === ':') {
      if (found) return undefined; // twice: let the parser decide
      let j = i + name.length + 1;
      if (j < stop && text[j] !== ' ' && text[j] !== '\t') return undefined;
      while (j < stop && (text[j] === ' ' || text[j] === '\t')) j++;
      const c = text[j];
      if (j >= stop || c === '#' || c === '&' || c === '!' || c === '*' || c === '|' || c === '>' || c === '\r') return undefined;
      found = key ? { line, column: 1 } : { line, column: j - i + 1 };
    } else if (text.startsWith('---', i) && line > 1) {
      return undefined;
    }
    if (end < 0) break;
    i = end + 1;
    line++;
  }
  return found;
}

function locateIn(doc: Document, lc: LineCounter, path: readonly (string | number)[], key?: boolean): Pos | undefined {
  const { isMap, isPair, isScalar, isSeq } = YAML();
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const seg of path) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else {
      break;
    }
  }
  const target = (key && keyNode) || node;
  const range = (target as Node | undefined)?.range;
  if (!range) return undefined;
  const lp = lc.linePos(range[0]);
  return { line: lp.line, column: lp.col };
}

/** Reads and parses a YAML file; every failure (unreadable file included) is a problem, never an exception. */
export function loadYamlFile(absPath: string, options?: ReadOptions): { doc: LoadedYaml } | { problem: YamlProblem } {
  const r = readFileBytes(absPath, options);
  return 'problem' in r ? r : loadYamlBytes(r.bytes);
}

/** loadYamlFile for bytes already read. */
function loadYamlBytes(buf: Uint8Array): { doc: LoadedYaml } | { problem: YamlProblem } {
  const r = decodeText(buf);
  if ('problem' in r) return r;
  return parseYaml(r.text);
}

/** Parses every document of a multi-document YAML stream (manifests); skips broken ones. */
export function parseManifests(text: string): { value: unknown; locate: LoadedYaml['locate'] }[] {
  if (deepNesting(text)) return []; // not a manifest anything can read (and the parser would overflow its stack)
  const { LineCounter, parseAllDocuments } = YAML();
  const lineCounter = new LineCounter();
  const out: { value: unknown; locate: LoadedYaml['locate'] }[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false });
  } catch {
    return out;
  }
  if (!Array.isArray(docs)) return out;
  for (const d of docs) {
    if (d.errors.length > 0) continue;
    try {
      const value = d.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      out.push({ value, locate: (path, key) => locateIn(d, lineCounter, path, key) });
    } catch {
      // an alias bomb or unresolved alias: not a manifest we can read
    }
  }
  return out;
}
