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
        const unread = env.unreadable ?? [];
        // a file that could not be read may be the component named: say which (its folder name in the
        // dependency, else how many files of the environment are unread)
        const likely = unread.find((f) => {
          const folder = f.split('/').slice(-2, -1)[0] ?? '';
          return folder.length > 1 && target.includes(folder);
        });
        const unreadNote = likely
          ? `; ${likely} could not be read (see its yaml finding): it may be that component`
          : unread.length > 0
            ? `; ${unread.length} component file${unread.length === 1 ? '' : 's'} of the environment could not be read (${unread.slice(0, 3).join(', ')}${unread.length > 3 ? ', ...' : ''})`
            : '';
        out.push({
          component: c.name,
          related: [target],
          message: `${what} "${target}" names no component in environment ${env.name}${near ? ` (did you mean "${near}"?)` : ''}${unreadNote}`,
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
