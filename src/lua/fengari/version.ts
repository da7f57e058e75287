import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The one fengari release the patches in this folder (src/lua/fengari/) are written
 * against (package.json pins it exactly): internals change without notice between releases,
 * so another version is refused rather than run with patches that may no longer fit.
 */
export const FENGARI_VERSION = '0.1.5';

/** Throws unless `found` is the fengari version the patches are written against. */
export function checkFengariVersion(found: string): void {
  if (found !== FENGARI_VERSION) {
    throw new Error(`wavegate's Lua runtime is written against fengari ${FENGARI_VERSION}, found fengari ${found}: reinstall with npm ci`);
  }
}

// Every other file of this folder imports this one first (test/lua/fengari/fence.test.ts), so
// nothing in it runs on another fengari.
checkFengariVersion((require('fengari/package.json') as { version: string }).version);
