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
      const nearest = c.wave < band[0] ? band[0] : band[1];
      const tiers = catalog.settings.tiers
        .filter((t) => t.name !== c.tier && c.wave >= t.waves[0] && c.wave <= t.waves[1])
        .map((t) => t.name);
      const other = tiers.length > 0 ? ` or tier ${tiers.join(' or ')} (whose band holds wave ${c.wave})` : '';
      out.push({
        component: c.name,
        message:
          `wave ${c.wave} is outside tier ${c.tier}'s band [${band[0]}, ${band[1]}]: set a wave in the band (the nearest is ${nearest}; ` +
          `check --suggest picks one that keeps every dependency in order)${other}`,
        file: c.file,
        line: pos?.line,
        column: pos?.column,
      });
    }
    return out;
  },
};
