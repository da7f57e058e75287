import { SMOKE_CHECK_FIELDS, SMOKE_CHECK_TYPES, type SmokeCheckEntries, type SmokeCheckField } from '../catalog/smoke-checks.js';
import type { Component } from '../catalog/types.js';
import type { Rule, RuleReport } from './types.js';

type Field = 'wave' | 'tier' | 'dependencies' | 'smoke checks';

const sorted = (xs: readonly string[]): string[] => [...new Set(xs)].sort();
const canon = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );

/** A smoke check entry in its type's canonical form. */
const canonicalCheck = <F extends SmokeCheckField>(f: F, x: SmokeCheckEntries[F]): unknown =>
  (SMOKE_CHECK_TYPES[f] as { canonical(e: SmokeCheckEntries[F]): unknown }).canonical(x);

function fieldValue(c: Component, field: Field): { key: string; text: string; path: (string | number)[] } {
  switch (field) {
    case 'wave':
      return { key: String(c.wave), text: String(c.wave), path: ['wave'] };
    case 'tier':
      return { key: c.tier, text: c.tier, path: ['tier'] };
    case 'dependencies': {
      const d = sorted(c.dependencies);
      return { key: d.join(','), text: d.length > 0 ? `[${d.join(', ')}]` : '[]', path: ['dependencies'] };
    }
    case 'smoke checks': {
      const s = c.smoke;
      const v = s
        ? {
            validates: sorted(s.validates),
            ...Object.fromEntries(SMOKE_CHECK_FIELDS.map((f) => [f, s[f].map((x) => canon(canonicalCheck(f, x))).sort()])),
          }
        : null;
      const key = canon(v);
      return { key, text: key, path: ['smoke'] };
    }
  }
}

const FIELDS: readonly Field[] = ['wave', 'tier', 'dependencies', 'smoke checks'];

const sameArray = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** A cheap test that every environment has the same value (false means: compare properly). */
function quickSame(cs: readonly Component[], field: Field): boolean {
  const f = cs[0]!;
  switch (field) {
    case 'wave':
      for (let i = 1; i < cs.length; i++) if (cs[i]!.wave !== f.wave) return false;
      return true;
    case 'tier':
      for (let i = 1; i < cs.length; i++) if (cs[i]!.tier !== f.tier) return false;
      return true;
    case 'dependencies':
      for (let i = 1; i < cs.length; i++) if (!sameArray(cs[i]!.dependencies, f.dependencies)) return false;
      return true;
    case 'smoke checks': {
      if (cs.every((c) => c.smoke === undefined)) return true;
      const text = JSON.stringify(f.raw.smoke);
      return cs.every((c) => c.smoke !== undefined && JSON.stringify(c.raw.smoke) === text);
    }
  }
}

/**
 * Environments that disagree: a component present in one environment and missing in
 * another, or present in both with a different wave, tier, dependencies or smoke checks.
 * For a difference, the environments whose value differs from the most common one
 * (ties: the one the alphabetically first environment has) are reported, at their file.
 */
export const envParity: Rule = {
  id: 'env-parity',
  description: 'Environments disagree on a component: missing in one, or a different wave, tier, dependencies or smoke checks.',
  defaultSeverity: 'warning',
  checkCatalog({ catalog }) {
    const envs = catalog.environments;
    if (envs.length < 2) return [];
    const out: RuleReport[] = [];
    // Every name in sorted order, with its component in each environment: a merge of the
    // environments' component lists, which are sorted by name (no set of names, no lookups).
    const at = envs.map(() => 0);
    for (;;) {
      let name: string | undefined;
      for (let e = 0; e < envs.length; e++) {
        const c = envs[e]!.components[at[e]!];
        if (c !== undefined && (name === undefined || c.name < name)) name = c.name;
      }
      if (name === undefined) break;
      const present: (typeof envs)[number][] = [];
      const cs: Component[] = [];
      for (let e = 0; e < envs.length; e++) {
        const c = envs[e]!.components[at[e]!];
        if (c !== undefined && c.name === name) {
          present.push(envs[e]!);
          cs.push(c);
          at[e]!++;
        }
      }
      const missing = present.length === envs.length ? [] : envs.filter((e) => !e.byName.has(name) && !e.broken.has(name));
      if (missing.length > 0) {
        const first = cs[0]!;
        for (const e of missing) {
          out.push({
            environment: e.name,
            component: name,
            message: `missing in ${e.name} but present in ${present.map((p) => p.name).join(', ')}`,
            file: first.file,
          });
        }
      }
      if (present.length < 2) continue;
      const first = cs[0]!;
      if (cs.every((c) => c === first || c.file === first.file)) continue; // one _shared file
      for (const field of FIELDS) {
        if (quickSame(cs, field)) continue;
        const values = present.map((e) => ({ env: e.name, c: e.byName.get(name)!, v: fieldValue(e.byName.get(name)!, field) }));
        const groups = new Map<string, typeof values>();
        for (const x of values) groups.set(x.v.key, [...(groups.get(x.v.key) ?? []), x]);
        if (groups.size < 2) continue;
        let major: typeof values = [];
        for (const g of groups.values()) if (g.length > major.length) major = g;
        for (const x of values) {
          if (major.includes(x)) continue;
          const others = values
            .filter((o) => o.v.key !== x.v.key)
            .map((o) => `${o.env}: ${o.v.text}`)
            .join('; ');
          const pos = x.c.locate(x.v.path) ?? x.c.locate([]);
          const what =
            field === 'smoke checks'
              ? 'smoke checks differ from other environments'
              : `${field} ${x.v.text} differs from other environments`;
          out.push({
            environment: x.env,
            component: name,
            message: `${what} (${others})`,
            file: x.c.file,
            line: pos?.line,
            column: pos?.column,
          });
        }
      }
    }
    return out;
  },
};
