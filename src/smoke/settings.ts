/** The `smoke:` section of wavegate.yaml (validated by schemas/wavegate.schema.json) with its defaults. */
import type { Settings } from '../catalog/types.js';

export interface SmokeQuantities {
  cpu?: string;
  memory?: string;
  'ephemeral-storage'?: string;
}

export interface SmokeSettings {
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
 * Defaults. The image is Kubernetes' own kubectl image (Debian base with a shell) at the
 * kubectl version wavegate is tested with; it has no digest here because wavegate cannot
 * vouch for one: set `smoke.image.digest` to the digest of the image you mirror.
 */
export const SMOKE_DEFAULTS: Readonly<SmokeSettings> = Object.freeze({
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
  const raw = (settings.smoke ?? {}) as Partial<Omit<SmokeSettings, 'image' | 'resources'>> & {
    image?: Partial<SmokeSettings['image']>;
    resources?: Partial<SmokeSettings['resources']>;
  };
  const d = SMOKE_DEFAULTS;
  return {
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
