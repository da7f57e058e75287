import { closest } from '../catalog/messages.js';
import type { Rule, RuleReport } from './types.js';

/** A dependency or smoke.validates entry that names no component in the environment. */
export const unknownDependency: Rule = {
  id: 'unknown-dependency',
  description: 'A dependency or smoke.validates entry names no component in that environment.',
  defaultSeverity: 'error',
  checkEnvironment({ env }) {
    const out: RuleReport[] = [];
    let known: string[] | undefined; // names for "did you mean", listed only when a finding needs them
    for (const c of env.components) {
      const check = (target: string, path: (string | number)[], what: string): void => {
        if (env.byName.has(target) || env.broken.has(target)) return;
        const pos = c.locate(path);
        const near = closest(target, (known ??= [...env.byName.keys()]));
        out.push({
          component: c.name,
          related: [target],
          message: `${what} "${target}" names no component in environment ${env.name}${near ? ` (did you mean "${near}"?)` : ''}`,
          file: c.file,
          line: pos?.line,
          column: pos?.column,
        });
      };
      c.dependencies.forEach((d, i) => check(d, ['dependencies', i], 'dependency'));
      c.smoke?.validates.forEach((v, i) => check(v, ['smoke', 'validates', i], 'smoke.validates entry'));
    }
    return out;
  },
};
