import type { ErrorObject } from 'ajv';
import { pathToString, pointerToPath } from './schemas.js';

/** Levenshtein distance (small strings: field names). */
function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The known word closest to `word`, if it is close enough to be a likely typo. */
export function closest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    const kl = k.toLowerCase();
    let prefix = 0;
    while (prefix < w.length && prefix < kl.length && w[prefix] === kl[prefix]) prefix++;
    const d = editDistance(w, kl);
    const ok = d <= Math.max(1, Math.floor(Math.max(w.length, kl.length) / 3)) || prefix >= 5;
    const score = d - prefix / 10;
    if (ok && score < bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return best;
}

/** The schema's groupKind pattern (schemas/component.schema.json definitions.groupKind). */
const GROUP_KIND_PATTERN = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Z][A-Za-z0-9]*$';

const DNS_LABEL_HELP =
  'a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v);
  return `${typeof v} ${String(v)}`;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

export interface FieldProblem {
  /** Path of the field the problem is about. */
  path: (string | number)[];
  /** Point at the key rather than the value (unknown keys). */
  atKey: boolean;
  message: string;
}

/**
 * Explains one ajv error in a user's words. `knownKeys(path)` lists the keys allowed at
 * a mapping, for "did you mean" suggestions.
 */
export function explainSchemaError(e: ErrorObject, data: unknown, knownKeys: (path: (string | number)[]) => string[]): FieldProblem {
  const path = pointerToPath(e.instancePath);
  const where = pathToString(path);
  const prefix = where ? `${where}: ` : '';
  const value = valueAt(data, path);
  const last = path[path.length - 1];
  switch (e.keyword) {
    case 'required': {
      const field = (e.params as { missingProperty: string }).missingProperty;
      return { path, atKey: false, message: `${prefix}missing required field "${field}"` };
    }
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const full = pathToString([...path, key]);
      if (key === 'dependsOn') {
        return {
          path: [...path, key],
          atKey: true,
          message: `${full}: this platform does not use Argo CD dependsOn (ordering is waves, health checks and smokes); list the components this one must come after under "dependencies"`,
        };
      }
      const hint = closest(key, knownKeys(path));
      return {
        path: [...path, key],
        atKey: true,
        message: `${full}: unknown field${hint ? ` (did you mean "${hint}"?)` : ''}`,
      };
    }
    case 'type':
      return {
        path,
        atKey: false,
        message: `${prefix}must be ${article((e.params as { type: string }).type)}, got ${describeValue(value)}`,
      };
    case 'oneOf':
    case 'anyOf':
      if (last === 'wave')
        return {
          path,
          atKey: false,
          message: `${prefix}must be an integer (a quoted integer such as "43" is accepted), got ${describeValue(value)}`,
        };
      return { path, atKey: false, message: `${prefix}${e.message ?? 'is not valid'}, got ${describeValue(value)}` };
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const hint = typeof value === 'string' ? closest(value, allowed) : undefined;
      return {
        path,
        atKey: false,
        message: `${prefix}${describeValue(value)} is not one of ${allowed.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`,
      };
    }
    case 'pattern': {
      const isLabel = (e.params as { pattern: string }).pattern.startsWith('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$');
      if (isLabel) return { path, atKey: false, message: `${prefix}${describeValue(value)} is not ${DNS_LABEL_HELP}` };
      const pattern = (e.params as { pattern: string }).pattern;
      if (pattern === GROUP_KIND_PATTERN) {
        const str = typeof value === 'string' ? value : '';
        const slash = str.lastIndexOf('/');
        const kind = str.slice(slash + 1);
        const fixed = /^[a-z]/.test(kind) ? `${str.slice(0, slash + 1).toLowerCase()}${kind[0]!.toUpperCase()}${kind.slice(1)}` : undefined;
        const hint = fixed && new RegExp(GROUP_KIND_PATTERN).test(fixed) ? ` (did you mean "${fixed}"?)` : '';
        return {
          path,
          atKey: false,
          message: `${prefix}${describeValue(value)} is not a kind: expected group/Kind with the Kind capitalised as in the manifest (apps/Deployment, external-secrets.io/ExternalSecret), or Kind alone for a core kind (Service)${hint}`,
        };
      }
      if ((e.params as { pattern: string }).pattern.startsWith('^((?=[^/]{1,253}/)')) {
        return {
          path,
          atKey: false,
          message: `${prefix}${describeValue(value)} is not a Kubernetes apiVersion: GROUP/VERSION with the group a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit) and the version a DNS-1035 label such as v1 or v1beta1; the core group is the version alone`,
        };
      }
      if (e.parentSchema && typeof e.parentSchema === 'object' && 'description' in e.parentSchema) {
        return {
          path,
          atKey: false,
          message: `${prefix}${describeValue(value)} is not valid: expected ${String((e.parentSchema as { description: string }).description)}`,
        };
      }
      return {
        path,
        atKey: false,
        message: `${prefix}${describeValue(value)} does not match ${(e.params as { pattern: string }).pattern}`,
      };
    }
    case 'maxLength':
      if (last === 'name' || (e.params as { limit: number }).limit === 63) {
        return { path, atKey: false, message: `${prefix}${describeValue(value)} is not ${DNS_LABEL_HELP}` };
      }
      return { path, atKey: false, message: `${prefix}${e.message ?? 'too long'}` };
    default:
      return { path, atKey: false, message: `${prefix}${e.message ?? 'is not valid'}` };
  }
}

function article(type: string): string {
  const t = type.split(',')[0]!;
  const words: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
  };
  return words[t] ?? `of type ${type}`;
}
