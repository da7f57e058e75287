import { environmentGraph } from '../graph/graph.js';
import type { Rule, RuleReport } from './types.js';

/**
 * A component whose wave is not strictly greater than each dependency's: Argo CD syncs one
 * wave at a time, so a dependency in the same wave is synced together, not before.
 */
export const waveOrder: Rule = {
  id: 'wave-order',
  description: "A component's wave is not strictly greater than the wave of each of its dependencies.",
  defaultSeverity: 'error',
  checkEnvironment({ env }) {
    const g = environmentGraph(env);
    const out: RuleReport[] = [];
    g.components.forEach((c, v) => {
      for (const d of g.deps[v]!) {
        const dep = g.components[d]!;
        if (c.wave > dep.wave) continue;
        const at = c.dependencies.indexOf(dep.name);
        const pos = c.locate(['dependencies', at]);
        const how = c.wave === dep.wave ? 'the same wave, so they sync together' : 'an earlier wave, so it syncs first';
        out.push({
          component: c.name,
          related: [dep.name],
          message: `wave ${c.wave} is not after dependency ${dep.name} (wave ${dep.wave}): ${how}; ${c.name} needs a wave above ${dep.wave}`,
          file: c.file,
          line: pos?.line,
          column: pos?.column,
        });
      }
    });
    return out;
  },
};
