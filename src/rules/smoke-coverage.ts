import { SMOKE_CHECK_FIELDS, smokeCheckFieldList } from '../catalog/smoke-checks.js';
import { environmentGraph, environmentReachability } from '../graph/graph.js';
import type { Rule, RuleReport } from './types.js';

/**
 * A smoke (componentType: smoke) that cannot vouch for what it validates: no dependencies
 * (it runs without waiting for anything), an empty `smoke.validates`, or a validated
 * component it does not depend on, directly or transitively. A smoke with no checks at all
 * (no externalSecrets, secrets or resources) is a warning: it passes without looking.
 */
export const smokeCoverage: Rule = {
  id: 'smoke-coverage',
  description: 'A smoke has no dependencies, validates nothing, does not depend on what it validates, or checks nothing.',
  defaultSeverity: 'error',
  checkEnvironment({ env }) {
    const g = environmentGraph(env);
    const reach = environmentReachability(env);
    const out: RuleReport[] = [];
    g.components.forEach((c, v) => {
      if (c.componentType !== 'smoke' || !c.smoke) return;
      const at = (path: (string | number)[]) => {
        const pos = c.locate(path) ?? c.locate(['smoke']);
        return { file: c.file, line: pos?.line, column: pos?.column };
      };
      const validates = c.smoke.validates.filter((name) => name !== c.name && g.index.has(name));
      const waveNote = (names: string[]): string => {
        const high = names.filter((n) => g.components[g.index.get(n)!]!.wave >= c.wave);
        if (high.length === 0) return '';
        const list = high.map((n) => `${n} (wave ${g.components[g.index.get(n)!]!.wave})`).join(', ');
        return ` (this also needs a wave change: ${c.name} is wave ${c.wave}, not above ${list}; a smoke must come after what it validates)`;
      };
      if (c.smoke.validates.length === 0) {
        out.push({
          component: c.name,
          message: 'smoke.validates is empty: the smoke does not say which components it vouches for',
          ...at(['smoke', 'validates']),
        });
      }
      if (g.deps[v]!.length === 0 && c.dependencies.length === 0) {
        const fix =
          validates.length > 0
            ? { addDependencies: validates.map((d) => ({ environment: env.name, component: c.name, dependency: d })) }
            : undefined;
        out.push({
          component: c.name,
          related: validates.length > 0 ? validates : undefined,
          message:
            'has no dependencies, so it runs without waiting for anything' +
            (validates.length > 0 ? `: add dependencies ${validates.join(', ')} (what it validates)${waveNote(validates)}` : ''),
          ...at(['dependencies']),
          fix,
        });
      } else if (validates.length > 0) {
        const targets = validates.map((n) => g.index.get(n)!);
        const reached = reach.reachable(v, targets);
        c.smoke.validates.forEach((name, i) => {
          const t = g.index.get(name);
          if (t === undefined || name === c.name || reached.has(t)) return;
          out.push({
            component: c.name,
            related: [name],
            message: `validates ${name} but does not depend on it (directly or transitively), so it may run before ${name} is ready: add dependency ${name}${waveNote([name])}`,
            ...at(['smoke', 'validates', i]),
            fix: { addDependencies: [{ environment: env.name, component: c.name, dependency: name }] },
          });
        });
      }
      const s = c.smoke;
      if (SMOKE_CHECK_FIELDS.every((f) => s[f].length === 0)) {
        out.push({
          component: c.name,
          severity: 'warning',
          message: `the smoke checks nothing (no ${smokeCheckFieldList()}), so it always passes; no smoke chart is rendered for it`,
          ...at(['smoke']),
        });
      }
    });
    return out;
  },
};
