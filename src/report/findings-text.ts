import { countBySeverity, type Finding } from '../findings.js';
import type { Paint } from './color.js';

function location(f: Finding): string {
  if (!f.file) return '';
  return f.line ? `${f.file}:${f.line}:${f.column ?? 1}` : f.file;
}

/**
 * Human output: findings grouped by environment, then component, each line
 * `severity rule file:line:col message`, and a summary line.
 */
export function formatFindingsText(findings: readonly Finding[], p: Paint, catalogLabel: string): string {
  const lines: string[] = [];
  const groups = new Map<string, Map<string, Finding[]>>();
  for (const f of findings) {
    const env = f.environment ?? '(catalog)';
    const comp = f.component ?? '';
    let g = groups.get(env);
    if (!g) groups.set(env, (g = new Map()));
    const list = g.get(comp) ?? [];
    list.push(f);
    g.set(comp, list);
  }
  for (const [env, comps] of groups) {
    lines.push(p.bold(env));
    for (const [comp, list] of comps) {
      const indent = comp ? '    ' : '  ';
      if (comp) lines.push(`  ${comp}`);
      for (const f of list) {
        const sev = f.severity === 'error' ? p.red('error  ') : p.yellow('warning');
        const loc = location(f);
        lines.push(`${indent}${sev} ${p.dim(f.rule)}  ${loc ? `${loc}  ` : ''}${f.message}`);
      }
    }
  }
  const { errors, warnings } = countBySeverity(findings);
  const summary = `${catalogLabel}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  lines.push(errors > 0 ? p.red(summary) : warnings > 0 ? p.yellow(summary) : p.green(summary));
  return `${lines.join('\n')}\n`;
}
