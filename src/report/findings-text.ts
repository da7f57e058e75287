import { relative, sep } from 'node:path';
import { countBySeverity, type Finding } from '../findings.js';
import { groupFindings, type FindingGroup } from './group.js';
import type { Paint } from './color.js';

/** A finding as printed: the findings that differ only in their environment, once. */
export type PrintedFinding = FindingGroup;

/**
 * Merges findings that are the same but for their environment (a `_shared` file's finding,
 * reported in every environment) into one, with the environments listed; order kept.
 */
function mergeEnvironments(findings: readonly Finding[]): PrintedFinding[] {
  const out = groupFindings(findings);
  // the environments joined once per group, not in every comparison that reaches them
  const envKey = new Map<PrintedFinding, string>();
  for (const p of out) {
    p.environments.sort();
    envKey.set(p, p.environments.join(','));
  }
  const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort(
    (a, b) =>
      cmp(a.finding.file ?? '', b.finding.file ?? '') ||
      cmp(a.finding.line ?? 0, b.finding.line ?? 0) ||
      cmp(a.finding.column ?? 0, b.finding.column ?? 0) ||
      cmp(a.finding.rule, b.finding.rule) ||
      cmp(a.finding.component ?? '', b.finding.component ?? '') ||
      cmp(envKey.get(a)!, envKey.get(b)!) ||
      cmp(a.finding.message, b.finding.message),
  );
}

/** Where to print paths from: the catalog root (absolute) and the working directory. */
export interface PathBase {
  catalogRoot: string;
  cwd: string;
  /** The catalog folder as the user gave it (for findings without a file). */
  catalogLabel: string;
}

/** A catalog-relative file as a path relative to the working directory, which terminals and editors open. */
function displayPath(file: string, base: PathBase): string {
  // the catalog's own path from the working directory, once per base (20,000 findings, one relative())
  let prefix = prefixes.get(base);
  if (prefix === undefined) {
    prefix = relative(base.cwd, base.catalogRoot);
    if (sep !== '/') prefix = prefix.split(sep).join('/');
    prefixes.set(base, prefix);
  }
  return prefix ? `${prefix}/${file}` : file;
}
const prefixes = new WeakMap<PathBase, string>();

/** `path:line:col` of a finding (the catalog folder when it has no file). */
function locationOf(f: Finding, base: PathBase): string {
  if (!f.file) return base.catalogLabel;
  const path = displayPath(f.file, base);
  return f.line ? `${path}:${f.line}:${f.column ?? 1}` : path;
}

/**
 * Human output, one line per finding as compilers and ESLint's unix format print them, which
 * terminals and editors jump to: `path:line:col: severity rule: [environments] component: message`,
 * paths relative to the working directory; then a summary line counting findings per
 * environment, as the JSON has them.
 */
export function formatFindingsText(findings: readonly Finding[], p: Paint, base: PathBase): string {
  const lines: string[] = [];
  for (const { finding: f, environments } of mergeEnvironments(findings)) {
    const sev = f.severity === 'error' ? p.red('error') : p.yellow('warning');
    const where = [environments.length > 0 ? `[${environments.join(', ')}]` : '', f.component ? `${f.component}:` : '']
      .filter(Boolean)
      .join(' ');
    lines.push(`${locationOf(f, base)}: ${sev} ${p.dim(f.rule)}: ${where ? `${where} ` : ''}${f.message}`);
  }
  const { errors, warnings } = countBySeverity(findings);
  const summary = `${base.catalogLabel}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  lines.push(errors > 0 ? p.red(summary) : warnings > 0 ? p.yellow(summary) : p.green(summary));
  return `${lines.join('\n')}\n`;
}

/** A GitHub Actions workflow command value: `%`, CR and LF escaped (properties also `:` and `,`). */
function ghEscape(s: string, property: boolean): string {
  // most values need nothing: one test instead of five replacements (20,000 findings)
  if (!(property ? /[%\r\n:,]/ : /[%\r\n]/).test(s)) return s;
  let out = s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  if (property) out = out.replace(/:/g, '%3A').replace(/,/g, '%2C');
  return out;
}

/**
 * GitHub Actions annotations (workflow commands): `::error file=F,line=L,col=C,title=RULE::MESSAGE`,
 * one per printed finding, paths relative to the working directory (the repository root in a
 * workflow), then the summary line.
 */
export function formatFindingsGithub(findings: readonly Finding[], base: PathBase): string {
  const lines: string[] = [];
  for (const { finding: f, environments } of mergeEnvironments(findings)) {
    const props: string[] = [];
    if (f.file) props.push(`file=${ghEscape(displayPath(f.file, base), true)}`);
    if (f.file && f.line) props.push(`line=${f.line}`, `col=${f.column ?? 1}`);
    props.push(`title=${ghEscape(`wavegate ${f.rule}`, true)}`);
    const where = [environments.length > 0 ? `[${environments.join(', ')}]` : '', f.component ? `${f.component}:` : '']
      .filter(Boolean)
      .join(' ');
    lines.push(
      `::${f.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${ghEscape(`${where ? `${where} ` : ''}${f.message}`, false)}`,
    );
  }
  const { errors, warnings } = countBySeverity(findings);
  lines.push(`${base.catalogLabel}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}
