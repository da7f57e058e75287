/** The `smoke:` section of wavegate.yaml (validated by schemas/wavegate.schema.json) with its defaults. */
import type { Component, Settings } from '../catalog/types.js';
import { SMOKE_CHECK_FIELDS } from '../catalog/smoke-checks.js';

export interface SmokeQuantities {
  cpu?: string;
  memory?: string;
  'ephemeral-storage'?: string;
}

export type SmokeMode = 'regular' | 'hook';
export type SmokeRunner = 'kubectl' | 'script';

export interface SmokeSettings {
  /** regular: the Job is an ordinary resource (its health gates); hook: an Argo CD hook (gates nothing). */
  mode: SmokeMode;
  /** kubectl: one `kubectl wait` container per check, no shell; script: check.sh under sh. */
  runner: SmokeRunner;
  image: { repository: string; tag: string; digest: string; pullPolicy: 'IfNotPresent' | 'Always' | 'Never' };
  attempts: number;
  sleepSeconds: number;
  timeoutSeconds: number;
  requestTimeoutSeconds: number;
  ttlSecondsAfterFinished: number;
  resources: { requests: SmokeQuantities; limits: SmokeQuantities };
  /** Chart version when the component's smoke block sets none. */
  chartVersion: string;
}

/**
 * Programs each runner's containers execute. The Job template's commands must use only
 * these (test/smoke/helm.test.ts checks the rendered Jobs; test/smoke/script.test.ts runs the
 * script with a PATH holding only SCRIPT_RUNNER_PROGRAMS).
 */
export const RUNNER_PROGRAMS: Readonly<Record<SmokeRunner, readonly string[]>> = Object.freeze({
  kubectl: ['kubectl'],
  script: ['sh', 'kubectl', 'date', 'mkdir', 'rm', 'sleep'],
});

/**
 * Programs in the default image, registry.k8s.io/kubectl: only /bin/kubectl. Kubernetes
 * builds it on gcr.io/distroless/static-debian12 (no shell, no coreutils) and copies the
 * kubectl binary in (kubernetes/kubernetes build sources; kyverno/kyverno#13899; wavegate's
 * shared reference argo-cd-facts.md section 4). So the default image suits runner kubectl
 * only; runner script needs an image with every program of RUNNER_PROGRAMS.script.
 */
export const DEFAULT_IMAGE_PROGRAMS: readonly string[] = Object.freeze(['kubectl']);

/**
 * Defaults. The image is Kubernetes' own kubectl image at the kubectl version wavegate is
 * tested with; it has no digest here because wavegate cannot vouch for one: set
 * `smoke.image.digest` to the digest of the image you mirror.
 */
export const SMOKE_DEFAULTS: Readonly<SmokeSettings> = Object.freeze({
  mode: 'regular',
  runner: 'kubectl',
  image: { repository: 'registry.k8s.io/kubectl', tag: 'v1.35.2', digest: '', pullPolicy: 'IfNotPresent' },
  attempts: 30,
  sleepSeconds: 10,
  timeoutSeconds: 600,
  requestTimeoutSeconds: 10,
  ttlSecondsAfterFinished: 3600,
  resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  chartVersion: '0.1.0',
}) as Readonly<SmokeSettings>;

/** The catalog's smoke settings: wavegate.yaml's `smoke:` section over the defaults (image and resources merged per field). */
export function smokeSettings(settings: Settings): SmokeSettings {
  const raw = settings.smoke ?? {};
  const d = SMOKE_DEFAULTS;
  return {
    mode: raw.mode ?? d.mode,
    runner: raw.runner ?? d.runner,
    image: { ...d.image, ...raw.image },
    attempts: raw.attempts ?? d.attempts,
    sleepSeconds: raw.sleepSeconds ?? d.sleepSeconds,
    timeoutSeconds: raw.timeoutSeconds ?? d.timeoutSeconds,
    requestTimeoutSeconds: raw.requestTimeoutSeconds ?? d.requestTimeoutSeconds,
    ttlSecondsAfterFinished: raw.ttlSecondsAfterFinished ?? d.ttlSecondsAfterFinished,
    resources: {
      requests: raw.resources?.requests ?? { ...d.resources.requests },
      limits: raw.resources?.limits ?? { ...d.resources.limits },
    },
    chartVersion: raw.chartVersion ?? d.chartVersion,
  };
}

/** True when the component's smoke block names at least one object to check. */
export function hasChecks(c: Component): boolean {
  const s = c.smoke;
  return s !== undefined && SMOKE_CHECK_FIELDS.some((f) => s[f].length > 0);
}
