import { environmentAppSets, generatorParams } from '../rollout/appsets.js';
import { fieldsUsed } from '../rollout/template.js';
import { dig } from '../catalog/files.js';
import type { Rule, RuleReport } from './types.js';

/** Every string under a value, with its path. */
function strings(v: unknown, path: (string | number)[] = [], out: { path: (string | number)[]; text: string }[] = []): typeof out {
  if (typeof v === 'string') out.push({ path, text: v });
  else if (Array.isArray(v)) v.forEach((x, i) => strings(x, [...path, i], out));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) strings(x, [...path, k], out);
  return out;
}

function has(params: Record<string, unknown>, field: string): boolean {
  let v: unknown = params;
  for (const k of field.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, k)) return false;
    v = (v as Record<string, unknown>)[k];
  }
  return true;
}

/**
 * With `goTemplateOptions: ["missingkey=error"]`, a template field (`{{ .namespace }}`) that
 * some component of the environment does not set: Argo CD fails to generate that Application
 * (and, the error being the ApplicationSet's, reports it on the ApplicationSet). Checked for
 * ApplicationSets whose only generators are git files generators, whose parameters are the
 * component files; `templatePatch` is not checked (it usually guards fields with hasKey).
 */
export const rolloutTemplateField: Rule = {
  id: 'rollout-template-field',
  description: 'An ApplicationSet template with missingkey=error uses a component field some component does not set.',
  defaultSeverity: 'error',
  checkEnvironment({ catalog, env }) {
    const out: RuleReport[] = [];
    for (const a of environmentAppSets(catalog, env)) {
      if (!a.options.goTemplate || !a.options.missingKeyError || !a.plainGit) continue;
      const template = dig(a.doc.value, ['spec', 'template']);
      const seen = new Set<string>();
      for (const s of strings(template, ['spec', 'template'])) {
        for (const field of fieldsUsed(s.text)) {
          if (seen.has(field)) continue;
          seen.add(field);
          const lacking = a.apps.filter((x) => !has(generatorParams(x.component, true), field)).map((x) => x.component.name);
          if (lacking.length === 0) continue;
          const pos = a.doc.locate(s.path);
          out.push({
            file: a.file,
            line: pos?.line,
            column: pos?.column,
            related: [a.name, ...lacking],
            message:
              `ApplicationSet ${a.name}: the template uses {{ .${field} }} with missingkey=error, and ${lacking.join(', ')} ${lacking.length === 1 ? 'does' : 'do'} not set ${field}: ` +
              `Argo CD cannot generate ${lacking.length === 1 ? 'that Application' : 'those Applications'}; set ${field} in ${lacking.length === 1 ? 'that component' : 'those components'} or guard it in templatePatch`,
          });
        }
      }
    }
    return out;
  },
};
