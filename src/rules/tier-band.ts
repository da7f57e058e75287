import type { Rule, RuleReport } from './types.js';

/** A component whose wave lies outside its tier's inclusive band (wavegate.yaml `tiers`). */
export const tierBand: Rule = {
  id: 'tier-band',
  description: "A component's wave lies outside its tier's wave band.",
  defaultSeverity: 'error',
  checkEnvironment({ catalog, env }) {
    const bands = new Map(catalog.settings.tiers.map((t) => [t.name, t.waves] as const));
    const out: RuleReport[] = [];
    for (const c of env.components) {
      const band = bands.get(c.tier);
      if (!band || (c.wave >= band[0] && c.wave <= band[1])) continue;
      const pos = c.locate(['wave']);
      out.push({
        component: c.name,
        message: `wave ${c.wave} is outside tier ${c.tier}'s band [${band[0]}, ${band[1]}]`,
        file: c.file,
        line: pos?.line,
        column: pos?.column,
      });
    }
    return out;
  },
};
