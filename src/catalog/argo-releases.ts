/**
 * The Argo CD releases wavegate knows the built-in health checks of, from
 * data/argo-builtin-health-kinds.json (scripts/argo-builtin-kinds.mjs). In the catalog layer:
 * wavegate.yaml's `argocd.version` is checked against them while loading.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './schemas.js';

/** Argo CD's own health kinds per release, from data/argo-builtin-health-kinds.json (scripts/argo-builtin-kinds.mjs). */
export interface ArgoBuiltins {
  /** Kinds assessed in Go (gitops-engine pkg/health), the same in every listed release. */
  goBuiltins: string[];
  /** Release tag (newest patch of each minor, oldest first) -> kinds with a built-in health.lua. */
  releases: Record<string, string[]>;
}

let builtins: ArgoBuiltins | undefined;
export function argoBuiltins(): ArgoBuiltins {
  builtins ??= JSON.parse(readFileSync(join(PACKAGE_ROOT, 'data', 'argo-builtin-health-kinds.json'), 'utf8')) as ArgoBuiltins;
  return builtins;
}

/** Release tags wavegate knows, oldest first. */
export function argoReleases(): string[] {
  return Object.keys(argoBuiltins().releases);
}

/** `v3.5` / `3.5` / `v3.5.1` -> `3.5`, or undefined when it is not a version. */
function minorOf(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/** The listed release tag matching an `argocd.version` (by minor release), or undefined. */
export function argoReleaseFor(version: string): string | undefined {
  const minor = minorOf(version);
  return minor === undefined ? undefined : argoReleases().find((t) => minorOf(t) === minor);
}

/** A release tag shown to users: `v3.5` for `v3.5.1` (the data lists the newest patch of each minor). */
export function shortRelease(tag: string): string {
  return `v${minorOf(tag) ?? tag}`;
}
