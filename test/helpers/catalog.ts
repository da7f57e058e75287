import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { stringify } from 'yaml';

/** A file of a test catalog: YAML text, or an object that is written as YAML. */
export type FileContent = string | Buffer | Record<string, unknown> | unknown[];

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * Writes a catalog into a fresh temp folder: keys are paths relative to the root, values
 * their content. Removed after the test file finishes.
 */
export function writeCatalog(files: Record<string, FileContent>): string {
  const root = mkdtempSync(join(tmpdir(), 'wavegate-test-'));
  made.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, typeof content === 'string' || Buffer.isBuffer(content) ? content : stringify(content));
  }
  return root;
}

/** Shorthand for a component file path in an environment. */
export function componentPath(env: string, name: string): string {
  return `environments/${env}/components/${name}/component.yaml`;
}

/**
 * A catalog with the given components (objects) in each of `envs` (default: dev).
 * Extra files (wavegate.yaml, manifests) may be passed in `extra`.
 */
export function catalogOf(
  components: Record<string, unknown>[],
  options: { envs?: string[]; extra?: Record<string, FileContent> } = {},
): string {
  const files: Record<string, FileContent> = { ...(options.extra ?? {}) };
  for (const env of options.envs ?? ['dev']) {
    for (const c of components) files[componentPath(env, String(c.name))] = c;
  }
  return writeCatalog(files);
}
