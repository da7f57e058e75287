import { appSources, environmentAppSets, type AppSource } from '../rollout/appsets.js';
import { hasChecks } from '../smoke/settings.js';
import { dig } from '../catalog/files.js';
import type { Rule, RuleReport } from './types.js';

/** What `wavegate render` writes a smoke chart to, relative to OUT: `<env>/smokes/<component>`. */
const renderedChartPath = (env: string, component: string): string => `${env}/smokes/${component}`;

/** The source deploys the smoke's chart: the rendered folder from Git, or the chart from a Helm or OCI repository. */
function deploysChart(s: AppSource, env: string, component: string): boolean {
  if (s.chart !== undefined) return s.chart === component;
  if (s.path === undefined) return false;
  const path = s.path.replace(/\/+$/, '').replace(/^(\.\/)+/, '');
  const want = renderedChartPath(env, component);
  return path === want || path.endsWith(`/${want}`);
}

const shown = (s: AppSource): string =>
  s.chart !== undefined ? `chart ${s.chart} from ${s.repoURL ?? '(no repoURL)'}` : `path ${s.path ?? '(none)'}`;

/**
 * A smoke component whose Application, as its environment's ApplicationSet generates it,
 * would not deploy the smoke chart wavegate renders for it: the Job never runs, the
 * Application is Healthy with nothing in it, and nothing gates. The chart is deployed when a
 * source is the rendered folder (`.../<env>/smokes/<component>` in Git) or the chart by name
 * from a Helm or OCI repository; a templatePatch applies as Argo CD applies it. Components
 * that no ApplicationSet generates are not judged here.
 */
export const smokeNotDeployed: Rule = {
  id: 'smoke-not-deployed',
  description: "A smoke component's Application would not deploy its rendered smoke chart, so the smoke never runs.",
  defaultSeverity: 'error',
  checkEnvironment({ catalog, env }) {
    const out: RuleReport[] = [];
    for (const a of environmentAppSets(catalog, env)) {
      const pos =
        typeof dig(a.doc.value, ['spec', 'templatePatch']) === 'string'
          ? a.doc.locate(['spec', 'templatePatch'], true)
          : a.doc.locate(['spec', 'template', 'spec', 'source', 'path']);
      const where = { file: a.file, line: pos?.line, column: pos?.column };
      const notDeployed: { name: string; has: string }[] = [];
      const unknown = new Map<string, string[]>();
      for (const app of a.apps) {
        const c = app.component;
        // the smokes wavegate renders a chart for (one with no checks gets none; smoke-coverage warns)
        if (c.componentType !== 'smoke' || !hasChecks(c)) continue;
        const r = appSources(a, app);
        if (!r.ok) unknown.set(r.problem, [...(unknown.get(r.problem) ?? []), c.name]);
        else if (!r.sources.some((x) => deploysChart(x, env.name, c.name)))
          notDeployed.push({ name: c.name, has: r.sources.length === 0 ? 'no source' : r.sources.map(shown).join(', ') });
      }
      for (const [problem, names] of unknown) {
        out.push({
          ...where,
          related: [a.name, ...names],
          message: `ApplicationSet ${a.name}: cannot tell whether the Applications of ${few(names)} deploy their smoke charts: ${problem}`,
        });
      }
      if (notDeployed.length === 0) continue;
      const first = notDeployed[0]!;
      const want = renderedChartPath(env.name, first.name);
      out.push({
        ...where,
        related: [a.name, ...notDeployed.map((n) => n.name)],
        message:
          `ApplicationSet ${a.name} does not deploy the smoke chart of ${few(notDeployed.map((n) => n.name))}: ` +
          `${notDeployed.length === 1 ? 'its Application has' : `${first.name}'s Application has`} ${first.has}, so the smoke Job never runs and gates nothing. ` +
          `Deploy the rendered chart: a source path ending in ${want} (wavegate render's OUT, committed) or chart ${first.name} from the repository the charts are pushed to, ` +
          `e.g. a spec.templatePatch with {{- if eq .componentType "smoke" }} (docs/smokes.md)`,
      });
    }
    return out;
  },
};

/** Up to five names, then how many more: messages stay short on big catalogs. */
function few(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}
