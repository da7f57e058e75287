import type { Rule } from './types.js';
import { unknownDependency } from './unknown-dependency.js';
import { dependencyCycle } from './dependency-cycle.js';
import { waveOrder } from './wave-order.js';
import { tierBand } from './tier-band.js';
import { missingEdge } from './missing-edge.js';
import { smokeCoverage } from './smoke-coverage.js';
import { envParity } from './env-parity.js';
import { argoDependsOn } from './argo-depends-on.js';
import { helmTestHookIgnored } from './helm-test-hook-ignored.js';
import { healthCoverage } from './health-coverage.js';
import { rolloutOrder } from './rollout-order.js';
import { rolloutInertWave } from './rollout-inert-wave.js';
import { rolloutTemplateField } from './rollout-template-field.js';
import { smokeNotDeployed } from './smoke-not-deployed.js';
import { smokeImage } from './smoke-image.js';
import { healthLint } from './health-lint.js';
import { healthTest } from './health-test.js';
import { argocdCmConflict } from './argocd-cm-conflict.js';
import { chartWaitHook } from './chart-wait-hook.js';

/** Every lint rule, in the order their findings are computed (output is sorted anyway). */
export const RULES: readonly Rule[] = [
  unknownDependency,
  dependencyCycle,
  waveOrder,
  tierBand,
  missingEdge,
  smokeCoverage,
  envParity,
  argoDependsOn,
  helmTestHookIgnored,
  healthCoverage,
  rolloutOrder,
  rolloutInertWave,
  rolloutTemplateField,
  smokeNotDeployed,
  smokeImage,
  healthLint,
  healthTest,
  argocdCmConflict,
  chartWaitHook,
];

/** Finding ids produced while loading the catalog (not rule modules, always errors); their meta is in registry.ts. */
export const LOAD_RULE_IDS = ['yaml', 'schema', 'duplicate-component', 'component-file', 'unsafe-name'] as const;

export type { Rule } from './types.js';
