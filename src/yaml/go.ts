/**
 * YAML read the way Argo CD's Lua test harness reads testdata (util/lua/health_test.go getObj:
 * sigs.k8s.io/yaml v1.6.0 Unmarshal into map[string]any), so that `wavegate health test` sees
 * the object Argo's own tests see:
 *
 * - go-yaml v2 (go.yaml.in/yaml/v2 v2.4.3) decodes only the **first document**;
 * - its scalars are YAML 1.1 as resolve.go has them: `y`/`yes`/`on`/`n`/`no`/`off` (in the
 *   spellings of its table) are booleans, integers are Go's strconv.ParseInt(s, 0, 64) after
 *   removing every `_` (`0755` is octal 493, `0x1F`, `0o17`, `0b101`, `1_000`), a
 *   decimal that ParseInt refuses but matches `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
 *   is a float (`08` is 8), `.inf`/`.nan` are floats, timestamps stay strings, and base-60
 *   (`1:20`) is a string;
 * - a **duplicate key keeps the last value** (decode.go mapping: SetMapIndex in document order)
 *   and `<<` merges (decode.go merge: a mapping, an alias of one, or a list of them, earlier
 *   list entries winning), overwriting keys before it;
 * - sigs.k8s.io/yaml then turns keys into strings (`true`, `1`), refuses a null key, and its
 *   json.Marshal refuses NaN and infinities anywhere ("json: unsupported value: +Inf").
 *
 * Parsing is the `yaml` package's (failsafe schema: every scalar comes back as its text with its
 * style and tag), the resolution above is done here.
 */
import { deepNesting, MAX_YAML_DEPTH } from './depth.js';
import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';
import type { Alias, Document, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { fastYaml } from './fast.js';
import { fewAliases } from './index.js';

/**
 * js-yaml and yaml load on first use, as in index.ts: `check` imports this module (through the
 * health-test rule) but reads testdata only for a catalog with health overrides.
 */
const requireLib = createRequire(import.meta.url);
let yamlLib: typeof import('yaml') | undefined;
let jsyamlLib: typeof JsYaml | undefined;
const YAML = (): typeof import('yaml') => (yamlLib ??= requireLib('yaml') as typeof import('yaml'));
const jsyaml = (): typeof JsYaml => (jsyamlLib ??= requireLib('js-yaml') as typeof JsYaml);
const isAlias = (n: unknown): n is Alias => YAML().isAlias(n);
const isScalar = (n: unknown): n is Scalar => YAML().isScalar(n);
const isSeq = (n: unknown): n is YAMLSeq => YAML().isSeq(n);
const isMap = (n: unknown): n is YAMLMap => YAML().isMap(n);
/** yaml's PLAIN. */
const PLAIN = 'PLAIN';

/** A number with the Go type go-yaml gave it (only when `keepNumberKinds` asks for it). */
class GoNumber {
  constructor(
    readonly value: number,
    readonly kind: 'int' | 'uint' | 'float',
    /** The exact integer (int and uint). */
    readonly exact?: bigint,
  ) {}

  /** The JSON key sigs.k8s.io/yaml makes of it (js-yaml turns keys into strings with String()). */
  toString(): string {
    if (this.kind !== 'float') return String(this.exact ?? this.value);
    const s = goFormatFloat32(this.value);
    return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
  }
}

export interface GoYamlOptions {
  /** Numbers as GoNumber (for fields sigs.k8s.io/yaml coerces into Go strings). */
  keepNumberKinds?: boolean;
}

const TAG = 'tag:yaml.org,2002:';
const STR = `${TAG}str`;
const BOOL = `${TAG}bool`;
const INT = `${TAG}int`;
const FLOAT = `${TAG}float`;
const NULL = `${TAG}null`;
const TIMESTAMP = `${TAG}timestamp`;
const BINARY = `${TAG}binary`;
const MERGE = `${TAG}merge`;

const RESOLVE_MAP = new Map<string, [unknown, string]>();
for (const [v, tag, words] of [
  [true, BOOL, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']],
  [false, BOOL, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']],
  [null, NULL, ['', '~', 'null', 'Null', 'NULL']],
  [NaN, FLOAT, ['.nan', '.NaN', '.NAN']],
  [Infinity, FLOAT, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']],
  [-Infinity, FLOAT, ['-.inf', '-.Inf', '-.INF']],
  ['<<', MERGE, ['<<']],
] as [unknown, string, string[]][]) {
  for (const w of words) RESOLVE_MAP.set(w, [v, tag]);
}

/** resolve.go's resolveTable: the first byte's hint. */
function hintOf(s: string): string {
  if (s === '') return 'N';
  const c = s[0]!;
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return '';
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64) without underscores: a BigInt or undefined. */
function goParseInt(s: string, signed: boolean): bigint | undefined {
  let i = 0;
  let neg = false;
  if (signed && (s[0] === '+' || s[0] === '-')) {
    neg = s[0] === '-';
    i = 1;
  }
  let body = s.slice(i);
  let base = 10;
  if (/^0[xX]/.test(body)) [base, body] = [16, body.slice(2)];
  else if (/^0[oO]/.test(body)) [base, body] = [8, body.slice(2)];
  else if (/^0[bB]/.test(body)) [base, body] = [2, body.slice(2)];
  else if (body.length > 1 && body[0] === '0') [base, body] = [8, body.slice(1)];
  const digits = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!digits.test(body)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  let v = BigInt(prefix + body);
  if (neg) v = -v;
  if (signed ? v < INT64_MIN || v > INT64_MAX : v > UINT64_MAX) return undefined;
  return v;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's strconv.ParseFloat(s, 64) for the decimal forms above: undefined on a range error. */
function goParseDecimal(s: string): number | undefined {
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

class GoYamlError extends Error {}

type Resolved = { tag: string; value: unknown };

/** resolve.go resolve(tag, in) for the types a decode into interface{} can give. */
function resolveScalar(tag: string, input: string): Resolved {
  const resolvable = tag === '' || tag === STR || tag === BOOL || tag === INT || tag === FLOAT || tag === NULL || tag === TIMESTAMP;
  if (!resolvable) return { tag, value: input };
  const r = resolvePlain(tag, input);
  if (tag === '' || tag === r.tag || tag === STR) return r;
  if (tag === FLOAT && r.tag === INT)
    return { tag: FLOAT, value: r.value instanceof GoNumber ? new GoNumber(r.value.value, 'float') : r.value };
  throw new GoYamlError(`yaml: cannot decode ${shortTag(r.tag)} \`${input}\` as a ${shortTag(tag)}`);
}

function shortTag(t: string): string {
  return t.startsWith(TAG) ? `!!${t.slice(TAG.length)}` : t;
}

function resolvePlain(tag: string, input: string): Resolved {
  const hint = hintOf(input);
  if (hint === '' || tag === STR || tag === BINARY) return { tag: STR, value: input };
  const m = RESOLVE_MAP.get(input);
  if (m) return { tag: m[1], value: m[0] };
  if (hint === '.') {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(input)) {
      const f = goParseDecimal(input);
      if (f !== undefined) return { tag: FLOAT, value: new GoNumber(f, 'float') };
    }
    return { tag: STR, value: input };
  }
  if (hint === 'D' || hint === 'S') {
    // A timestamp decoded into interface{} stays its text (decode.go: "for backward compatibility").
    const plain = input.replace(/_/g, '');
    const i = goParseInt(plain, true);
    if (i !== undefined) return { tag: INT, value: new GoNumber(Number(i), 'int', i) };
    const u = goParseInt(plain, false);
    if (u !== undefined) return { tag: INT, value: new GoNumber(Number(u), 'uint', u) };
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = goParseDecimal(plain);
      if (f !== undefined) return { tag: FLOAT, value: new GoNumber(f, 'float') };
    }
  }
  return { tag: STR, value: input };
}

/** sigs.k8s.io/yaml's FormatFloat(f, 'g', -1, 32), also used for float keys and string coercion. */
export function goFormatFloat32(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  const f = Math.fround(v);
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let digits = '';
  let exp = 0;
  for (let p = 1; p <= 9; p++) {
    const e = Math.abs(f).toExponential(p - 1);
    if (Math.fround(Number(e)) === Math.abs(f) || p === 9) {
      const [mant, ex] = e.split('e');
      digits = mant!.replace('.', '').replace(/0+$/, '') || '0';
      exp = Number(ex);
      break;
    }
  }
  const sign = f < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ae = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Go's encoding/json text for a float it refuses. */
function unsupported(v: number): GoYamlError {
  const s = Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  return new GoYamlError(`error converting YAML to JSON: json: unsupported value: ${s}`);
}

/** go-yaml v2.4.3's alias bound (decode.go allowedAliasRatio). */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400000) return 0.99;
  if (decodeCount >= 4000000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400000) / 3600000);
}

class Decoder {
  decodeCount = 0;
  aliasCount = 0;
  aliasDepth = 0;
  constructor(
    readonly doc: Document,
    readonly keepKinds: boolean,
  ) {}

  count(): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new GoYamlError('yaml: document contains excessive aliasing');
    }
  }

  scalarOf(n: Scalar): Resolved {
    const text = String(n.value ?? '');
    const tag = n.tag ?? '';
    if (tag === '' && n.type !== PLAIN && n.type !== undefined) return { tag: STR, value: text };
    return resolveScalar(tag, text);
  }

  number(v: unknown): unknown {
    if (v instanceof GoNumber) {
      if (!Number.isFinite(v.value)) throw unsupported(v.value);
      return this.keepKinds ? v : v.value;
    }
    if (typeof v === 'number') throw unsupported(v);
    return v;
  }

  value(n: Node | null | undefined): unknown {
    this.count();
    if (n === null || n === undefined) return null;
    if (isAlias(n)) {
      const target = (n as Alias).resolve(this.doc);
      if (!target) throw new GoYamlError(`yaml: unknown anchor '${(n as Alias).source}' referenced`);
      this.aliasDepth++;
      try {
        return this.value(target as Node);
      } finally {
        this.aliasDepth--;
      }
    }
    if (isScalar(n)) return this.number(this.scalarOf(n).value);
    if (isSeq(n)) return n.items.map((it) => this.value(it as Node));
    if (isMap(n)) {
      const out: Record<string, unknown> = {};
      this.mapInto(n as unknown as { items: { key: unknown; value: unknown }[] }, out);
      return out;
    }
    return null;
  }

  /** decode.go mapping(): pairs in order, later keys replacing earlier ones, `<<` merged in place. */
  mapInto(m: { items: { key: unknown; value: unknown }[] }, out: Record<string, unknown>): void {
    for (const pair of m.items) {
      const keyNode = pair.key as Node | null;
      // decode.go isMerge: the scalar `<<`, plain and untagged or tagged !!merge.
      if (isScalar(keyNode) && keyNode.value === '<<' && ((keyNode.type === PLAIN && !keyNode.tag) || keyNode.tag === MERGE)) {
        this.count();
        this.mergeTarget(pair.value as Node | null, out);
        continue;
      }
      const key = this.keyString(keyNode);
      Object.defineProperty(out, key, {
        value: this.value(pair.value as Node | null),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }

  mergeTarget(n: Node | null, out: Record<string, unknown>): void {
    const wantMap = () => new GoYamlError('yaml: map merge requires map or sequence of maps as the value');
    const deref = (x: Node | null): Node | null => {
      if (x && isAlias(x)) {
        const t = (x as Alias).resolve(this.doc) as Node | undefined;
        if (!t) throw new GoYamlError(`yaml: unknown anchor '${(x as Alias).source}' referenced`);
        return t;
      }
      return x;
    };
    const one = (x: Node | null, viaAlias: boolean) => {
      const t = deref(x);
      if (!t || !isMap(t)) throw wantMap();
      if (viaAlias) this.aliasDepth++;
      try {
        this.mapInto(t as unknown as { items: { key: unknown; value: unknown }[] }, out);
      } finally {
        if (viaAlias) this.aliasDepth--;
      }
    };
    if (n && isSeq(n)) {
      for (let i = n.items.length - 1; i >= 0; i--) {
        const it = n.items[i] as Node | null;
        one(it, !!it && isAlias(it));
      }
      return;
    }
    one(n, !!n && isAlias(n));
  }

  /** sigs.k8s.io/yaml convertToJSONableObject: the JSON key of a YAML key. */
  keyString(n: Node | null): string {
    let k: unknown;
    if (n === null || n === undefined) k = null;
    else if (isAlias(n)) {
      const t = (n as Alias).resolve(this.doc) as Node | undefined;
      if (!t) throw new GoYamlError(`yaml: unknown anchor '${(n as Alias).source}' referenced`);
      return this.keyString(t);
    } else if (isScalar(n)) k = this.scalarOf(n).value;
    else throw new GoYamlError('yaml: invalid map key: a mapping or sequence cannot be a key');
    if (typeof k === 'string') return k;
    if (k instanceof GoNumber) return k.toString();
    if (typeof k === 'number') return Number.isNaN(k) ? '.nan' : k > 0 ? '.inf' : '-.inf';
    if (typeof k === 'boolean') return k ? 'true' : 'false';
    throw new GoYamlError('error converting YAML to JSON: unsupported map key of type: <nil>');
  }
}

/** The first document through the `yaml` package's parser and the Decoder above. */
function readWithYamlPackage(text: string, keepKinds: boolean): unknown {
  const docs = YAML().parseAllDocuments(text, { schema: 'failsafe', version: '1.1', uniqueKeys: false, merge: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const first = list[0];
  if (!first) return null;
  if (first.errors.length > 0) throw new GoYamlError(`yaml: ${first.errors[0]!.message.split('\n')[0]}`);
  return new Decoder(first, keepKinds).value(first.contents as Node | null);
}

/**
 * js-yaml schemas whose plain scalars resolve as go-yaml v2 does (js-yaml runs implicit types
 * on plain scalars only: quoted and block scalars stay strings, as in go-yaml), with the explicit
 * tags go-yaml knows. `json: true` makes a duplicate key replace the earlier value.
 */
function goValue(tag: string, data: string, keepKinds: boolean): unknown {
  const r = resolveScalar(tag, data);
  if (r.value instanceof GoNumber) {
    if (!Number.isFinite(r.value.value)) throw unsupported(r.value.value);
    return keepKinds ? r.value : r.value.value;
  }
  if (typeof r.value === 'number') throw unsupported(r.value);
  return r.value;
}

function goSchema(keepKinds: boolean): JsYaml.Schema {
  const implicit = new (jsyaml().Type)(`${TAG}goplain`, {
    kind: 'scalar',
    resolve: (data: string) => {
      const r = resolvePlain('', data);
      return r.tag !== STR && r.tag !== MERGE;
    },
    construct: (data: string) => goValue('', data, keepKinds),
  });
  const explicit = [BOOL, INT, FLOAT, NULL, TIMESTAMP].map(
    (tag) =>
      new (jsyaml().Type)(tag, {
        kind: 'scalar',
        resolve: () => true,
        construct: (data: string | null) => goValue(tag, data ?? '', keepKinds),
      }),
  );
  return jsyaml().FAILSAFE_SCHEMA.extend({
    implicit: [(jsyaml() as unknown as { types: { merge: JsYaml.Type } }).types.merge, implicit],
    explicit,
  });
}

let schemas: [JsYaml.Schema, JsYaml.Schema] | undefined;

function readWithJsYaml(text: string, keepKinds: boolean): unknown {
  schemas ??= [goSchema(false), goSchema(true)];
  const schema = schemas[keepKinds ? 1 : 0];
  try {
    return jsyaml().load(text, { schema, json: true }) ?? null;
  } catch (e) {
    if (e instanceof GoYamlError) throw e;
    if (!/single document/.test((e as Error).message)) throw new GoYamlError(`yaml: ${(e as Error).message.split('\n')[0]}`);
  }
  let first: unknown = null;
  let seen = false;
  jsyaml().loadAll(
    text,
    (d) => {
      if (!seen) [first, seen] = [d ?? null, true];
    },
    { schema, json: true },
  );
  return first;
}

/**
 * The first document of `text` as Argo's harness gets it (see the file comment). Throws
 * GoYamlError when Argo's reader would fail.
 *
 * js-yaml does the parsing (its leniency is libyaml's: a quoted scalar continued at its key's
 * indentation, as Argo's own testdata has), except for merge keys (go-yaml lets `<<` overwrite
 * the keys before it, js-yaml keeps them) and alias-heavy text (go-yaml's alias bound), and
 * when a later document does not parse (go-yaml never reads it): those take the `yaml` package.
 */
export function readGoYaml(text: string, options: GoYamlOptions = {}): unknown {
  const keepKinds = options.keepNumberKinds === true;
  const deep = deepNesting(text);
  if (deep)
    throw new GoYamlError(
      `yaml: line ${deep.line}: nesting deeper than ${MAX_YAML_DEPTH} levels (wavegate bound: the parsers recurse per level)`,
    );
  if (text.includes('<<') || !fewAliases(text)) {
    try {
      return readWithYamlPackage(text, keepKinds);
    } catch (e) {
      if (!(e instanceof GoYamlError) || /excessive aliasing|unsupported/.test(e.message)) throw e;
      return readWithJsYaml(text, keepKinds);
    }
  }
  try {
    return readWithJsYaml(text, keepKinds);
  } catch (e) {
    if (e instanceof GoYamlError && /unsupported|cannot decode/.test(e.message)) throw e;
    try {
      return readWithYamlPackage(text, keepKinds);
    } catch {
      throw e;
    }
  }
}

/** sigs.k8s.io/yaml's coercion of a YAML number or boolean into a Go string field. */
export function goStringField(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof GoNumber) return v.kind === 'float' ? goFormatFloat32(v.value) : String(v.exact ?? v.value);
  return undefined;
}

/**
 * Plain scalars where go-yaml v2 and the YAML 1.2 core schema disagree inside the JSON-shaped
 * subset fastYaml returns: the YAML 1.1 booleans (`yes`, `on`, `n`, ...), the integer `-0`
 * (0 for Go), exponents past float64. Text that may hold one goes to readGoYaml; a false
 * alarm only costs time.
 */
const GO_YAML_DIFFERS =
  /(?:^|[\s:,[{?-])(?:[yYnN]|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|-0+|[-+]?[0-9.]+[eE][-+]?[0-9]{3,})[ \t]*(?:$|[\s,\]}#:])/m;

function hasGoOnlyNumbers(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v) || Object.is(v, -0);
  if (Array.isArray(v)) return v.some(hasGoOnlyNumbers);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasGoOnlyNumbers);
  return false;
}

/**
 * A testdata file as Argo CD's harness reads it (util/lua/health_test.go getObj, sigs.k8s.io/yaml
 * over go-yaml v2): the first document, YAML 1.1 scalars, the last of duplicate keys; see
 * the file comment. JSON and plain YAML that cannot tell the two readers apart take the fast readers.
 */
export function readTestdata(text: string): unknown {
  const deep = deepNesting(text);
  if (deep)
    throw new Error(`line ${deep.line}: nesting deeper than ${MAX_YAML_DEPTH} levels (wavegate bound: the readers recurse per level)`);
  if (text.trimStart().startsWith('{')) {
    try {
      const v = JSON.parse(text) as unknown;
      if (!hasGoOnlyNumbers(v)) return v;
    } catch {
      /* not JSON after all: YAML below */
    }
  }
  if (!GO_YAML_DIFFERS.test(text) && !/^\s*---\s*(?:#.*)?\n\s*(?:---|\.\.\.)/.test(text)) {
    const fast = fastYaml(text);
    if (fast !== undefined && !hasGoOnlyNumbers(fast)) return fast;
  }
  return readGoYaml(text);
}
