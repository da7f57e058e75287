import { environmentGraph, environmentSccs, findCycles } from '../graph/graph.js';
import type { Rule, RuleReport } from './types.js';

/** Every dependency cycle, once each, with its members in dependency order. */
export const dependencyCycle: Rule = {
  id: 'dependency-cycle',
  description: 'Components depend on each other in a cycle, so no wave order can satisfy them.',
  defaultSeverity: 'error',
  checkEnvironment({ env }) {
    const g = environmentGraph(env);
    const sccs = environmentSccs(env);
    const out: RuleReport[] = [];
    for (const { cycle, members } of findCycles(g, sccs)) {
      const names = cycle.map((v) => g.components[v]!.name);
      const first = g.components[cycle[0]!]!;
      const next = names[1] ?? names[0]!;
      const at = first.dependencies.indexOf(next);
      const pos = first.locate(at >= 0 ? ['dependencies', at] : ['dependencies']);
      const others = members.filter((m) => !cycle.includes(m)).map((m) => g.components[m]!.name);
      const walk = [...names, names[0]!].join(' -> ');
      out.push({
        component: first.name,
        related: names.slice(1),
        message:
          names.length === 1
            ? `${first.name} depends on itself`
            : `dependency cycle: ${walk}` +
              (others.length > 0 ? ` (the same tangle also takes in ${others.join(', ')})` : '') +
              '; remove one of these dependencies',
        file: first.file,
        line: pos?.line,
        column: pos?.column,
      });
    }
    return out;
  },
};
