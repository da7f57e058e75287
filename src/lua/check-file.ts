/**
 * The one reader of `check.yaml`, the file beside a kind's `health.lua` (useOpenLibs) or in
 * place of it (a template of the health library and its data): used by `health test`,
 * `health lint`, `health eval --lua`, the library's renderKind and `render`. Mistakes are
 * UserErrors naming file:line:column.
 */
import { UserError } from '../errors.js';
import { shownPath } from '../fsutil.js';
import { loadYamlFile, type LoadedYaml, type ReadOptions } from '../yaml/index.js';

export interface CheckFile {
  template?: string;
  data?: Record<string, unknown>;
  useOpenLibs?: boolean;
}

const CHECK_KEYS = new Set(['template', 'data', 'useOpenLibs', 'description']);

/** Reads and validates `check.yaml` (exit 2 with file:line:column on a mistake). */
export function readCheckFile(file: string, bounds?: ReadOptions): CheckFile {
  return readCheckDoc(file, bounds).check;
}

export function readCheckDoc(file: string, bounds?: ReadOptions): { check: CheckFile; doc: LoadedYaml } {
  const r = loadYamlFile(file, bounds);
  const shown = shownPath(file);
  const at = (line?: number, column?: number): string => `${shown}${line ? `:${line}:${column ?? 1}` : ''}`;
  if ('problem' in r) throw new UserError(`${at(r.problem.line, r.problem.column)}: ${r.problem.message}`);
  const v = r.doc.value ?? {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new UserError(`${at(1, 1)}: expected a mapping with template, data and useOpenLibs`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!CHECK_KEYS.has(k)) {
      const pos = r.doc.locate([k], true);
      throw new UserError(`${at(pos?.line, pos?.column)}: unknown field "${k}" (expected template, data, useOpenLibs, description)`);
    }
  }
  if (o.template !== undefined && (typeof o.template !== 'string' || !/^[a-z0-9][-a-z0-9]*$/.test(o.template))) {
    const pos = r.doc.locate(['template']);
    throw new UserError(
      `${at(pos?.line, pos?.column)}: template: expected the name of a template in templates/health (lowercase letters, digits, -)`,
    );
  }
  if (o.data !== undefined && (typeof o.data !== 'object' || o.data === null || Array.isArray(o.data))) {
    const pos = r.doc.locate(['data']);
    throw new UserError(`${at(pos?.line, pos?.column)}: data: expected a mapping`);
  }
  if (o.useOpenLibs !== undefined && typeof o.useOpenLibs !== 'boolean') {
    const pos = r.doc.locate(['useOpenLibs']);
    throw new UserError(`${at(pos?.line, pos?.column)}: useOpenLibs: expected true or false`);
  }
  return {
    check: {
      template: o.template as string | undefined,
      data: o.data as Record<string, unknown> | undefined,
      useOpenLibs: o.useOpenLibs as boolean | undefined,
    },
    doc: r.doc,
  };
}
