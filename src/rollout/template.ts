/**
 * The part of an ApplicationSet template wavegate evaluates itself: the strings that name,
 * label and place each generated Application. Two syntaxes, as Argo CD's ApplicationSet
 * controller has them (`applicationset/utils/utils.go`):
 *
 * - `goTemplate: true`: Go text/template over the generator's parameters, with Sprig's
 *   functions. wavegate evaluates field chains (`.wave`, `.path.basename`) and the functions
 *   listed in FUNCTIONS, in pipelines (`{{ .wave | toString | replace "-" "m" }}`); anything
 *   else is reported as not evaluable rather than guessed.
 * - otherwise fasttemplate: `{{ name }}` replaced by the flattened parameter of that name;
 *   an unknown name stays as it is written.
 *
 * `missingkey=error` (goTemplateOptions) makes a missing field an error, as in Go.
 */

export type TemplateResult = { ok: true; value: string } | { ok: false; missing: string[] } | { ok: false; unsupported: string };

export interface TemplateOptions {
  goTemplate: boolean;
  /** goTemplateOptions contains missingkey=error. */
  missingKeyError: boolean;
}

type Value = unknown;

class Missing extends Error {
  constructor(readonly path: string) {
    super(path);
  }
}
class Unsupported extends Error {}

/** Go's fmt %v of a generator parameter (JSON values: string, float64, bool, nil, maps, slices). */
function goString(v: Value): string {
  if (v === null || v === undefined) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  const o = v as Record<string, unknown>;
  return `map[${Object.keys(o)
    .sort()
    .map((k) => `${k}:${goString(o[k])}`)
    .join(' ')}]`;
}

/**
 * Sprig's toJson: Go's encoding/json of a parameter, map keys sorted, `<`, `>`, `&`, U+2028
 * and U+2029 escaped as json.Marshal does; nil is `null`.
 */
function goJson(v: Value): string {
  const sorted = (x: Value): Value =>
    Array.isArray(x)
      ? x.map(sorted)
      : typeof x === 'object' && x !== null
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sorted((x as Record<string, unknown>)[k])]),
          )
        : x;
  return (JSON.stringify(sorted(v ?? null)) ?? 'null').replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Sprig's toString of a parameter (strval): as %v, nil -> "". */
const sprigString = (v: Value): string => (v === null || v === undefined ? '' : goString(v));

const FUNCTIONS: Record<string, (args: Value[]) => Value> = {
  toString: (a: Value[]) => sprigString(a[0]),
  lower: ([s]) => sprigString(s).toLowerCase(),
  upper: ([s]) => sprigString(s).toUpperCase(),
  trim: ([s]) => sprigString(s).trim(),
  replace: ([from, to, s]) => sprigString(s).split(sprigString(from)).join(sprigString(to)),
  trimPrefix: ([p, s]) => {
    const str = sprigString(s);
    const pre = sprigString(p);
    return str.startsWith(pre) ? str.slice(pre.length) : str;
  },
  hasKey: ([m, k]) => typeof m === 'object' && m !== null && !Array.isArray(m) && Object.hasOwn(m, sprigString(k)),
  toJson: ([v]) => goJson(v),
  eq: (args) => {
    if (args.length < 2) throw new Unsupported('eq with fewer than two arguments');
    return args.slice(1).some((b) => comparable(args[0], b) === args[0]);
  },
  ne: ([a, b]) => comparable(a, b) !== a,
  not: ([a]) => !truth(a),
  and: (args) => args.find((a) => !truth(a)) ?? args[args.length - 1],
  or: (args) => args.find((a) => truth(a)) ?? args[args.length - 1],
  default: ([d, v]) => (v === undefined || v === null || v === '' || v === false || v === 0 ? d : v),
};

/**
 * Go's eq/ne compare basic values of one kind: `b` when it equals `a`, else a value unequal
 * to `a`. A string against a number is Go's "incompatible types for comparison"; numbers
 * are not compared here (a parameter is float64 in Go, from the generator's JSON, and an
 * integer literal is int: also incompatible), rather than guessed.
 */
function comparable(a: Value, b: Value): Value {
  const kind = (v: Value): string => (v === null || v === undefined ? 'nil' : typeof v);
  if (kind(a) !== kind(b) || (typeof a === 'object' && a !== null) || (typeof b === 'object' && b !== null)) {
    throw new Unsupported('eq/ne of values of different or non-basic types');
  }
  if (typeof a === 'number') throw new Unsupported('eq/ne of numbers (Go compares a float64 parameter only with a float literal)');
  return a === b ? b : Symbol('unequal');
}

/** Splits an action into pipeline commands and their words; string literals kept whole. */
function tokenize(action: string): string[][] {
  const commands: string[][] = [[]];
  let i = 0;
  while (i < action.length) {
    const c = action[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
    } else if (c === '|') {
      commands.push([]);
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < action.length && action[j] !== '"') j += action[j] === '\\' ? 2 : 1;
      if (j >= action.length) throw new Unsupported('unterminated string');
      commands[commands.length - 1]!.push(action.slice(i, j + 1));
      i = j + 1;
    } else if (c === '`') {
      const j = action.indexOf('`', i + 1);
      if (j < 0) throw new Unsupported('unterminated raw string');
      commands[commands.length - 1]!.push(action.slice(i, j + 1));
      i = j + 1;
    } else if (c === '(' || c === ')') {
      throw new Unsupported('parenthesised pipelines');
    } else {
      let j = i;
      while (j < action.length && !' \t\n|"`()'.includes(action[j]!)) j++;
      commands[commands.length - 1]!.push(action.slice(i, j));
      i = j;
    }
  }
  return commands;
}

function field(params: Record<string, unknown>, chain: string, o: TemplateOptions): Value {
  let v: Value = params;
  for (const k of chain.split('.').slice(1)) {
    if (k === '') continue;
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v as object, k)) {
      if (o.missingKeyError) throw new Missing(chain);
      return undefined;
    }
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function word(params: Record<string, unknown>, w: string, o: TemplateOptions): Value {
  if (w === '.') return params;
  if (w.startsWith('.')) return field(params, w, o);
  if (w.startsWith('"')) return JSON.parse(w) as string;
  if (w.startsWith('`')) return w.slice(1, -1);
  if (/^-?[0-9]+(\.[0-9]+)?$/.test(w)) return Number(w);
  if (w === 'true' || w === 'false') return w === 'true';
  if (w === 'nil') return null;
  throw new Unsupported(`"${w}"`);
}

function evalAction(action: string, params: Record<string, unknown>, o: TemplateOptions): Value {
  let acc: Value;
  let first = true;
  for (const cmd of tokenize(action)) {
    if (cmd.length === 0) throw new Unsupported('an empty command');
    const [head, ...rest] = cmd;
    const fn = Object.hasOwn(FUNCTIONS, head!) ? FUNCTIONS[head!] : undefined;
    if (fn) {
      const args = rest.map((w) => word(params, w, o));
      if (!first) args.push(acc);
      acc = fn(args);
    } else {
      if (rest.length > 0 || !first) throw new Unsupported(`the function ${head}`);
      acc = word(params, head!, o);
    }
    first = false;
  }
  return acc;
}

/** Go's text/template printing of a pipeline's value (missing map key without missingkey=error: "<no value>"). */
const printed = (v: Value): string => goString(v);

/** Flattened parameters as fasttemplate sees them: nested keys joined with ".". */
function flatten(params: Record<string, unknown>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(params)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out[key] = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** A Go template parsed into text, actions and if/else-if/else/end blocks. */
type Node = { text: string } | { action: string } | { branches: { cond: string | null; body: Node[] }[] };

/** Splits a Go template into literal text and actions, applying the `{{-` / `-}}` trim markers. */
function lex(text: string): ({ text: string } | { action: string })[] {
  const out: ({ text: string } | { action: string })[] = [];
  let i = 0;
  let trimNext = false;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    let lit = text.slice(i, open < 0 ? text.length : open);
    if (trimNext) lit = lit.replace(/^\s+/, '');
    if (open < 0) {
      out.push({ text: lit });
      break;
    }
    const close = text.indexOf('}}', open + 2);
    if (close < 0) throw new Unsupported('an unclosed {{');
    let action = text.slice(open + 2, close);
    if (action.startsWith('-') && /\s/.test(action[1] ?? '')) {
      lit = lit.replace(/\s+$/, '');
      action = action.slice(1);
    }
    trimNext = false;
    if (action.endsWith('-') && /\s/.test(action[action.length - 2] ?? '')) {
      action = action.slice(0, -1);
      trimNext = true;
    }
    out.push({ text: lit }, { action: action.trim() });
    i = close + 2;
  }
  return out;
}

/** Builds the if/else tree; any other control word is not evaluated. */
function parse(tokens: ({ text: string } | { action: string })[]): Node[] {
  let pos = 0;
  const block = (inIf: boolean): { body: Node[]; end: string | null } => {
    const body: Node[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos++]!;
      if ('text' in t) {
        if (t.text) body.push(t);
        continue;
      }
      const a = t.action;
      if (a.startsWith('/*')) continue;
      if (/^(else|end)\b/.test(a)) {
        if (!inIf) throw new Unsupported(`{{ ${a} }} without {{ if }}`);
        return { body, end: a };
      }
      if (/^if\b/.test(a)) {
        const branches: { cond: string | null; body: Node[] }[] = [];
        let cond: string | null = a.slice(2).trim();
        for (;;) {
          const b = block(true);
          branches.push({ cond, body: b.body });
          if (b.end === null) throw new Unsupported('{{ if }} without {{ end }}');
          if (b.end === 'end') break;
          const rest = b.end.slice(4).trim();
          if (cond === null) throw new Unsupported('{{ else }} after {{ else }}');
          if (rest === '') cond = null;
          else if (/^if\b/.test(rest)) cond = rest.slice(2).trim();
          else throw new Unsupported(`{{ ${b.end} }}`);
        }
        body.push({ branches });
        continue;
      }
      if (/^(range|with|define|template|block|break|continue)\b/.test(a) || a.startsWith('$')) throw new Unsupported(`{{ ${a} }}`);
      body.push({ action: a });
    }
    return { body, end: null };
  };
  const top = block(false);
  return top.body;
}

/** Go's truth of a value, as text/template's `if` sees it: false, 0, nil, "" and empty lists and maps are false. */
function truth(v: Value): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

function run(nodes: readonly Node[], params: Record<string, unknown>, o: TemplateOptions, missing: string[]): string {
  let out = '';
  const value = (a: string): Value => {
    try {
      return evalAction(a, params, o);
    } catch (e) {
      if (!(e instanceof Missing)) throw e;
      missing.push(e.path.slice(1));
      return undefined;
    }
  };
  for (const n of nodes) {
    if ('text' in n) out += n.text;
    else if ('action' in n) out += printed(value(n.action));
    else {
      const hit = n.branches.find((b) => b.cond === null || truth(value(b.cond)));
      if (hit) out += run(hit.body, params, o, missing);
    }
  }
  return out;
}

/** Evaluates one template string for one set of generator parameters. */
export function evalTemplate(text: string, params: Record<string, unknown>, o: TemplateOptions): TemplateResult {
  if (!text.includes('{{')) return { ok: true, value: text };
  if (!o.goTemplate) {
    const flat = flatten(params);
    return {
      ok: true,
      value: text.replace(/\{\{\s*([^{}\s]+)\s*\}\}/g, (all, name: string) => (Object.hasOwn(flat, name) ? flat[name]! : all)),
    };
  }
  const missing: string[] = [];
  let out: string;
  try {
    out = run(parse(lex(text)), params, o, missing);
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, unsupported: e.message };
    throw e;
  }
  if (missing.length > 0) return { ok: false, missing: [...new Set(missing)] };
  return { ok: true, value: out };
}

/**
 * The parameter fields a Go template string reads (`.a.b` -> "a.b"), in order of first use:
 * for `rollout-template-field`, which needs them even where evaluation stops at the first.
 */
export function fieldsUsed(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    const body = m[1]!.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, ' ');
    if (/^\s*-?\s*(if|else|end|range|with|define|template|block)\b/.test(body)) continue;
    for (const f of body.matchAll(/(?:^|[\s(|])\.([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)/g)) {
      if (!out.includes(f[1]!)) out.push(f[1]!);
    }
  }
  return out;
}
