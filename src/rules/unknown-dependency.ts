import { closest } from '../catalog/messages.js';
import type { Rule, RuleReport } from './types.js';

/** A dependency or smoke.validates entry that names no component in the environment. */
export const unknownDependency: Rule = {
  id: 'unknown-dependency',
  description: 'A dependency or smoke.validates entry names no component in that environment.',
  defaultSeverity: 'error',
  checkEnvironment({ env }) {
    const out: RuleReport[] = [];
    let names: string[] | undefined; // names for "did you mean", listed only when a finding needs them
    const known = (target: string): boolean => env.byName.has(target) || env.broken.has(target);
    for (const c of env.components) {
      // the path of an entry is made only for an entry that names no component
      const report = (target: string, path: (string | number)[], what: string): void => {
        const pos = c.locate(path);
        const near = closest(target, (names ??= [...env.byName.keys()]));
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
      const deps = c.dependencies;
      for (let i = 0; i < deps.length; i++) if (!known(deps[i]!)) report(deps[i]!, ['dependencies', i], 'dependency');
      const validates = c.smoke?.validates ?? [];
      for (let i = 0; i < validates.length; i++)
        if (!known(validates[i]!)) report(validates[i]!, ['smoke', 'validates', i], 'smoke.validates entry');
    }
    return out;
  },
};
