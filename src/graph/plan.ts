import { escapeControl } from '../names.js';
import type { Catalog, Environment } from '../catalog/types.js';
import { UserError } from '../errors.js';
import { LABEL_VALUE, environmentAppSets, rolloutSettings, type EnvAppSet, type GeneratedApp } from '../rollout/appsets.js';
import { rolloutProblems } from '../rollout/compare.js';
import { dig } from '../catalog/files.js';

export interface PlannedComponent {
  name: string;
  tier: string;
  componentType: string;
  /** Its dependencies, with their waves; `late` when a dependency is not in an earlier wave. */
  waitsFor: { name: string; wave?: number; late: boolean }[];
}

export interface RolloutPlan {
  environment: string;
  waves: { wave: number; components: PlannedComponent[] }[];
}

/** The rollout of one environment in wave order (components by name within a wave). */
export function planEnvironment(env: Environment): RolloutPlan {
  const waves = new Map<number, PlannedComponent[]>();
  for (const c of env.components) {
    const list = waves.get(c.wave) ?? [];
    list.push({
      name: c.name,
      tier: c.tier,
      componentType: c.componentType,
      waitsFor: [...new Set(c.dependencies)].map((d) => {
        const dep = env.byName.get(d);
        return { name: d, wave: dep?.wave, late: dep === undefined || dep.wave >= c.wave };
      }),
    });
    waves.set(c.wave, list);
  }
  return {
    environment: env.name,
    waves: [...waves.keys()].sort((a, b) => a - b).map((wave) => ({ wave, components: waves.get(wave)! })),
  };
}

/** `{"environment", "waves": [{"wave", "components": [names]}]}` (the contract of `plan --format json`). */
export function planToJson(plan: RolloutPlan): { environment: string; waves: { wave: number; components: string[] }[] } {
  return { environment: plan.environment, waves: plan.waves.map((w) => ({ wave: w.wave, components: w.components.map((c) => c.name) })) };
}

export function formatPlanText(plan: RolloutPlan): string {
  const count = plan.waves.reduce((s, w) => s + w.components.length, 0);
  const lines = [
    `Rollout of ${plan.environment}: ${count} component${count === 1 ? '' : 's'} in ${plan.waves.length} wave${plan.waves.length === 1 ? '' : 's'}`,
  ];
  const width = Math.max(0, ...plan.waves.flatMap((w) => w.components.map((c) => c.name.length)));
  const tierWidth = Math.max(0, ...plan.waves.flatMap((w) => w.components.map((c) => c.tier.length)));
  for (const w of plan.waves) {
    lines.push('', `wave ${w.wave}`);
    for (const c of w.components) {
      const waits =
        c.waitsFor.length === 0
          ? 'waits for nothing'
          : `waits for ${c.waitsFor.map((d) => (d.late ? `${d.name} (${d.wave === undefined ? 'unknown' : `wave ${d.wave}`}: NOT earlier)` : d.name)).join(', ')}`;
      const kind = c.componentType === 'smoke' ? ' smoke' : '';
      lines.push(`  ${c.name.padEnd(width)}  ${c.tier.padEnd(tierWidth)}${kind}  ${waits}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface ShellOptions {
  /** Labels for an environment no ApplicationSet of the catalog generates (plan.waveLabel, --wave-label). */
  waveLabel?: string;
  /** null: select by wave only. */
  environmentLabel?: string | null;
  timeoutSeconds: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 600;

/** Shell options from wavegate.yaml's `plan:` section, then overrides (CLI flags). */
export function shellOptions(catalog: Catalog, overrides: Partial<ShellOptions> = {}): ShellOptions {
  const s: Partial<ShellOptions> = catalog.settings.plan ?? {};
  const pick = <K extends keyof ShellOptions>(k: K): ShellOptions[K] | undefined =>
    (overrides[k] !== undefined ? overrides[k] : s[k]) as ShellOptions[K] | undefined;
  return {
    waveLabel: pick('waveLabel'),
    environmentLabel: pick('environmentLabel'),
    timeoutSeconds: pick('timeoutSeconds') ?? DEFAULT_TIMEOUT_SECONDS,
  };
}

/** Single-quotes a string for POSIX sh. */
function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** One Application the script acts on. */
export interface ShellApp {
  component: string;
  /** The Application's name (from the ApplicationSet template, else the component's). */
  name: string;
  /** The value of the wave label on it. */
  waveValue: string;
}

/** What the bootstrap script drives: an ApplicationSet's RollingSync, or waves selected by label. */
export type ShellTarget =
  | {
      kind: 'rollingSync';
      appSets: { name: string; namespace: string; file: string; steps: { wave: number; apps: ShellApp[] }[] }[];
    }
  | {
      kind: 'labels';
      /** Where the labels come from: an ApplicationSet's template, or the settings / flags. */
      from: string;
      waveLabel: string;
      environmentLabel?: { key: string; value: string };
      /** The template turns automated sync on (the script cannot hold the order then). */
      automated: boolean;
      waves: { wave: number; apps: ShellApp[] }[];
    };

const LABEL_HINT = `add to the ApplicationSet template's labels a label from the wave (wavegate.dev/wave: '{{ .wave }}'; wavegate fix writes it with a RollingSync strategy), or set plan.waveLabel in wavegate.yaml (or --wave-label) to the label your Applications carry`;

/**
 * Decides what the script drives, from the environment's ApplicationSets: with RollingSync, it
 * waits on their rollouts; without, it syncs wave by wave with the template's labels. With no
 * ApplicationSet it needs configured labels. Throws UserError (exit 2) when nothing would select.
 */
export function shellTarget(catalog: Catalog, env: Environment, plan: RolloutPlan, o: ShellOptions): ShellTarget {
  const appSets = environmentAppSets(catalog, env);
  if (appSets.length === 0) {
    if (!o.waveLabel) {
      throw new UserError(
        `no ApplicationSet of the catalog generates the Applications of ${env.name}, and no labels are configured: ${LABEL_HINT}`,
      );
    }
    const envLabel = o.environmentLabel ? { key: o.environmentLabel, value: env.name } : undefined;
    if (envLabel && !LABEL_VALUE.test(env.name)) throw new UserError(`environment name "${env.name}" is not a valid label value`);
    return {
      kind: 'labels',
      from: 'plan.waveLabel / --wave-label (no ApplicationSet of the catalog generates this environment; Applications are taken to be named as their components)',
      waveLabel: o.waveLabel,
      environmentLabel: envLabel,
      automated: false,
      waves: plan.waves.map((w) => {
        const value = String(w.wave);
        if (!LABEL_VALUE.test(value))
          throw new UserError(
            `wave ${w.wave} cannot be a Kubernetes label value (it must start and end with a letter or digit); label the Applications with a derived value and generate them from an ApplicationSet`,
          );
        return { wave: w.wave, apps: w.components.map((c) => ({ component: c.name, name: c.name, waveValue: value })) };
      }),
    };
  }
  const appOf = (x: GeneratedApp, key: string | undefined): ShellApp => ({
    component: x.component.name,
    name: x.name ?? x.component.name,
    waveValue: key !== undefined ? (x.labels[key] ?? '') : '',
  });
  const byWave = (a: EnvAppSet, key: string | undefined): { wave: number; apps: ShellApp[] }[] => {
    const m = new Map<number, ShellApp[]>();
    for (const x of a.apps) m.set(x.component.wave, [...(m.get(x.component.wave) ?? []), appOf(x, key)]);
    return [...m.keys()].sort((p, q) => p - q).map((wave) => ({ wave, apps: m.get(wave)!.sort((p, q) => (p.name < q.name ? -1 : 1)) }));
  };
  const rolling = appSets.filter((a) => a.strategyType === 'RollingSync');
  if (rolling.length === appSets.length) {
    return {
      kind: 'rollingSync',
      appSets: appSets.map((a) => {
        const problems = rolloutProblems(a, rolloutSettings(catalog));
        if (problems.length > 0)
          throw new UserError(
            `${a.file}: ApplicationSet ${a.name}: its RollingSync steps do not follow the waves (${problems[0]!.message}); run wavegate fix first`,
          );
        return { name: a.name, namespace: a.namespace ?? 'argocd', file: a.file, steps: byWave(a, a.waveLabel) };
      }),
    };
  }
  if (rolling.length > 0)
    throw new UserError(
      `the ApplicationSets of ${env.name} mix RollingSync (${rolling.map((a) => a.name).join(', ')}) and none (${appSets
        .filter((a) => !rolling.includes(a))
        .map((a) => a.name)
        .join(', ')}); give them all RollingSync (wavegate fix)`,
    );
  if (appSets.length > 1)
    throw new UserError(
      `${env.name} is generated by ${appSets.length} ApplicationSets without RollingSync (${appSets.map((a) => a.name).join(', ')}): nothing orders them against each other; give them RollingSync (wavegate fix)`,
    );
  const a = appSets[0]!;
  if (!a.waveLabel)
    throw new UserError(
      `${a.file}: ApplicationSet ${a.name} sets no label from the wave, so no selector picks one wave's Applications: ${LABEL_HINT}`,
    );
  if (o.waveLabel !== undefined && o.waveLabel !== a.waveLabel) {
    throw new UserError(
      `${a.file}: ApplicationSet ${a.name} labels the wave as ${a.waveLabel}; --wave-label / plan.waveLabel ${o.waveLabel} would select nothing`,
    );
  }
  const bad = a.apps.find((x) => !LABEL_VALUE.test(x.labels[a.waveLabel!] ?? '-'));
  if (bad)
    throw new UserError(
      `${a.file}: ApplicationSet ${a.name}: label ${a.waveLabel} of ${bad.component.name} is "${bad.labels[a.waveLabel] ?? ''}", not a label value; give the template the derived label ${a.waveLabel}: '${'{{ .wave | toString | replace "-" "m" }}'}'`,
    );
  const automated = dig(a.doc.value, ['spec', 'template', 'spec', 'syncPolicy', 'automated']) !== undefined;
  return {
    kind: 'labels',
    from: `the template of ApplicationSet ${a.name} (${a.file})`,
    waveLabel: a.waveLabel,
    environmentLabel: a.environmentLabel && o.environmentLabel !== null ? { key: a.environmentLabel, value: env.name } : undefined,
    automated,
    waves: byWave(a, a.waveLabel),
  };
}

/**
 * A POSIX sh bootstrap script for one environment.
 *
 * RollingSync: Argo CD's ApplicationSet controller syncs step by step itself, so the script
 * triggers nothing: it polls each ApplicationSet's status.applicationStatus, prints each step
 * as it completes (every Application of it Healthy), and fails at the step timeout naming the
 * step and the Applications not yet Healthy.
 *
 * Without: per wave `argocd app sync -l SEL --timeout T`, `argocd app wait -l SEL --sync --health
 * --operation --timeout T`, then `argocd app set NAME --sync-policy automated`. This only holds
 * when the ApplicationSet creates its Applications without automated sync (and ignores
 * differences on /spec/syncPolicy, so the ApplicationSet does not reset what the script sets).
 */
export function planShell(plan: RolloutPlan, target: ShellTarget, timeoutSeconds = DEFAULT_TIMEOUT_SECONDS): string {
  return target.kind === 'rollingSync' ? rollingSyncShell(plan, target, timeoutSeconds) : labelsShell(plan, target, timeoutSeconds);
}

function rollingSyncShell(plan: RolloutPlan, t: Extract<ShellTarget, { kind: 'rollingSync' }>, timeoutSeconds: number): string {
  const lines = [
    '#!/bin/sh',
    `# Bootstrap of environment ${escapeControl(plan.environment)}, generated by wavegate plan. Argo CD's RollingSync (Progressive`,
    '# Syncs) syncs the ApplicationSet step by step itself; this script triggers nothing. It waits on each',
    "# ApplicationSet's rollout (status.applicationStatus), prints each step as every Application of it becomes",
    '# Healthy, and fails when a step takes longer than WAVEGATE_STEP_TIMEOUT seconds, naming the step and the',
    '# Applications not yet Healthy. Needs kubectl with read access to applicationsets and applications.',
    '# ARGOCD_NAMESPACE overrides the namespace of the ApplicationSets; WAVEGATE_POLL_SECONDS the poll interval.',
    'set -eu',
    '',
    `timeout="\${WAVEGATE_STEP_TIMEOUT:-${timeoutSeconds}}"`,
    'interval="${WAVEGATE_POLL_SECONDS:-10}"',
    '',
    '# wait_step APPSET NAMESPACE STEP DESCRIPTION APPLICATION...',
    'wait_step() {',
    '  appset=$1; ns=$2; step=$3; what=$4',
    '  shift 4',
    '  start=$(date +%s)',
    '  while :; do',
    `    status=$(kubectl get applicationsets.argoproj.io "$appset" -n "$ns" -o go-template='{{range .status.applicationStatus}}{{.application}} {{.status}}{{"\\n"}}{{end}}')`,
    '    pending=""',
    '    for app in "$@"; do',
    '      s=$(printf \'%s\\n\' "$status" | awk -v a="$app" \'$1 == a { print $2 }\')',
    '      if [ "$s" != Healthy ]; then pending="$pending $app (${s:-not in the rollout yet})"; fi',
    '    done',
    '    if [ -z "$pending" ]; then',
    '      echo "step $step ($what): Healthy"',
    '      return 0',
    '    fi',
    '    if [ $(( $(date +%s) - start )) -ge "$timeout" ]; then',
    `      rollout=$(kubectl get applicationsets.argoproj.io "$appset" -n "$ns" -o go-template='{{range .status.conditions}}{{if eq .type "RolloutProgressing"}}{{.message}}{{end}}{{end}}' || true)`,
    '      echo "ApplicationSet $appset: step $step ($what) not Healthy after ${timeout}s:$pending${rollout:+; $rollout}" >&2',
    '      exit 1',
    '    fi',
    '    sleep "$interval"',
    '  done',
    '}',
    '',
  ];
  for (const a of t.appSets) {
    // A namespace that is not a DNS label (the ApplicationSet file is catalog input) is single-quoted.
    const ns = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(a.namespace)
      ? `"\${ARGOCD_NAMESPACE:-${a.namespace}}"`
      : `\${ARGOCD_NAMESPACE:-${shQuote(a.namespace)}}`;
    lines.push(`ns=${ns}`, `echo ${shQuote(`ApplicationSet ${a.name} (${a.file}): ${a.steps.length} steps`)}`);
    a.steps.forEach((s, i) => {
      lines.push(
        `wait_step ${shQuote(a.name)} "$ns" ${i + 1} ${shQuote(`wave ${s.wave}`)} ${s.apps.map((x) => shQuote(x.name)).join(' ')}`,
      );
    });
    lines.push('');
  }
  lines.push(`echo ${shQuote(`${escapeControl(plan.environment)}: every step of ${t.appSets.map((a) => a.name).join(', ')} is Healthy`)}`);
  return `${lines.join('\n')}\n`;
}

function labelsShell(plan: RolloutPlan, t: Extract<ShellTarget, { kind: 'labels' }>, timeoutSeconds: number): string {
  const env = t.environmentLabel ? `,${t.environmentLabel.key}=${t.environmentLabel.value}` : '';
  const lines = [
    '#!/bin/sh',
    `# Bootstrap of environment ${escapeControl(plan.environment)}, generated by wavegate plan: syncs each wave, waits until it is`,
    '# synced, healthy and its operation finished, then turns automated sync on for it; stops at the first failure.',
    escapeControl(
      `# Applications are selected by label ${t.waveLabel}=<wave>${t.environmentLabel ? `,${t.environmentLabel.key}=${t.environmentLabel.value}` : ''}, from ${t.from}.`,
    ),
    '# This holds the order only if the Applications start WITHOUT automated sync (an ApplicationSet template',
    '# without syncPolicy.automated, and ignoreApplicationDifferences: [{jsonPointers: [/spec/syncPolicy]}] so it',
    '# keeps what this script sets): with automated sync Argo CD starts every wave at once, and `argocd app sync`',
    '# fails on an Application whose operation is already running.',
    ...(t.automated ? ['# WARNING: the ApplicationSet template sets syncPolicy.automated, so the waves race; see above.'] : []),
    '# --timeout applies to each Application in turn, not to the wave: a wave of N Applications may take N times',
    '# ARGOCD_WAIT_TIMEOUT seconds.',
    'set -eu',
    '',
    `timeout="\${ARGOCD_WAIT_TIMEOUT:-${timeoutSeconds}}"`,
    '',
  ];
  for (const w of t.waves) {
    const values = [...new Set(w.apps.map((a) => a.waveValue))].sort();
    const sel = shQuote(values.length === 1 ? `${t.waveLabel}=${values[0]}${env}` : `${t.waveLabel} in (${values.join(',')})${env}`);
    lines.push(
      `echo ${shQuote(`wave ${w.wave}: ${w.apps.map((a) => a.name).join(' ')}`)}`,
      `argocd app sync -l ${sel} --timeout "$timeout"`,
      `argocd app wait -l ${sel} --sync --health --operation --timeout "$timeout"`,
      ...w.apps.map((a) => `argocd app set ${shQuote(a.name)} --sync-policy automated`),
      '',
    );
  }
  lines.push(`echo ${shQuote(`${escapeControl(plan.environment)}: all ${t.waves.length} waves synced and healthy`)}`);
  return `${lines.join('\n')}\n`;
}
