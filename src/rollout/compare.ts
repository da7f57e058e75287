/**
 * How an ApplicationSet's RollingSync strategy differs from what the catalog's waves imply,
 * judged the way Argo CD assigns Applications to steps (first step whose expressions all match).
 */
import { dig } from '../catalog/files.js';
import { LABEL_VALUE, deriveRollout, stepOf, type EnvAppSet, type RolloutSettings } from './appsets.js';

export interface RolloutProblem {
  message: string;
  line?: number;
  components: string[];
}

const list = (names: readonly string[], max = 8): string =>
  names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;

/** The differences, in the order a reader fixes them; empty when the strategy holds the waves. */
export function rolloutProblems(a: EnvAppSet, settings: RolloutSettings): RolloutProblem[] {
  const strategyLine = a.doc.locate(dig(a.doc.value, ['spec', 'strategy']) !== undefined ? ['spec', 'strategy'] : ['spec'], true)?.line;
  const all = a.apps.map((x) => x.component.name);
  const waves = [...new Set(a.apps.map((x) => x.component.wave))].sort((p, q) => p - q);
  if (a.strategyType !== 'RollingSync' || !a.steps) {
    const how = a.strategyType === undefined ? 'has no strategy (AllAtOnce)' : `has strategy ${a.strategyType}`;
    return [
      {
        line: strategyLine,
        components: all,
        message: `${how}: Argo CD creates and syncs its ${a.apps.length} Applications all at once, so waves ${waves.join(', ')} order nothing between them; it needs a RollingSync strategy with one step per wave`,
      },
    ];
  }
  const out: RolloutProblem[] = [];
  const labelLine = (key: string): number | undefined => a.doc.locate(['spec', 'template', 'metadata', 'labels', key], true)?.line;
  // Wave label values that cannot be labels: Argo cannot create those Applications at all.
  if (a.waveLabel) {
    const bad = a.apps.filter((x) => x.labels[a.waveLabel!] !== undefined && !LABEL_VALUE.test(x.labels[a.waveLabel!]!));
    if (bad.length > 0) {
      out.push({
        line: labelLine(a.waveLabel),
        components: bad.map((x) => x.component.name),
        message: `template label ${a.waveLabel} renders ${[...new Set(bad.map((x) => `"${x.labels[a.waveLabel!]}"`))].join(', ')}, not a valid label value, for ${list(bad.map((x) => x.component.name))}: Argo CD cannot create those Applications (a negative wave needs a derived label)`,
      });
    }
  }
  a.steps.forEach((s, i) => {
    const n = i + 1;
    if (s.matchExpressions.length === 0)
      out.push({
        line: s.line,
        components: [],
        message: `step ${n} has no matchExpressions: it selects every Application not selected before it`,
      });
    for (const e of s.matchExpressions) {
      if (e.operator !== 'In' && e.operator !== 'NotIn')
        out.push({
          line: s.line,
          components: [],
          message: `step ${n}: operator ${e.operator || '(none)'} on ${e.key}: Argo CD accepts only In and NotIn and selects nothing with it`,
        });
      if (!Object.hasOwn(a.templateLabels, e.key))
        out.push({ line: s.line, components: [], message: `step ${n} matches label ${e.key}, which the template does not set` });
    }
  });
  const stepOfApp = new Map(a.apps.map((x) => [x, stepOf(a.steps!, x.labels)]));
  const unmatched = a.apps.filter((x) => stepOfApp.get(x) === -1).map((x) => x.component.name);
  if (unmatched.length > 0)
    out.push({
      line: strategyLine,
      components: unmatched,
      message: `no step selects ${list(unmatched)}: Argo CD never syncs ${unmatched.length === 1 ? 'it' : 'them'}`,
    });
  const stepWaves = a.steps.map((_, i) =>
    [...new Set(a.apps.filter((x) => stepOfApp.get(x) === i).map((x) => x.component.wave))].sort((p, q) => p - q),
  );
  stepWaves.forEach((ws, i) => {
    const names = a.apps.filter((x) => stepOfApp.get(x) === i).map((x) => x.component.name);
    if (ws.length === 0 && a.steps![i]!.matchExpressions.length > 0)
      out.push({ line: a.steps![i]!.line, components: [], message: `step ${i + 1} selects no Application` });
    if (ws.length > 1)
      out.push({
        line: a.steps![i]!.line,
        components: names,
        message: `step ${i + 1} holds waves ${ws.join(', ')} together (${list(names)}): a later wave starts before the earlier one is healthy`,
      });
  });
  for (const w of waves) {
    const steps = [
      ...new Set(a.apps.filter((x) => x.component.wave === w && stepOfApp.get(x)! >= 0).map((x) => stepOfApp.get(x)! + 1)),
    ].sort((p, q) => p - q);
    if (steps.length > 1) {
      const later = a.apps.filter((x) => x.component.wave === w && stepOfApp.get(x)! + 1 > steps[0]!).map((x) => x.component.name);
      out.push({
        line: strategyLine,
        components: later,
        message: `wave ${w} is split over steps ${steps.join(', ')}: ${list(later)} ${later.length === 1 ? 'comes' : 'come'} after ${later.length === 1 ? 'its' : 'their'} wave's step`,
      });
    }
  }
  // Order: the first step of each wave must come after the steps of every lower wave.
  const firstStep = (w: number): number =>
    Math.min(...a.apps.filter((x) => x.component.wave === w && stepOfApp.get(x)! >= 0).map((x) => stepOfApp.get(x)!));
  for (let i = 1; i < waves.length; i++) {
    const lower = waves.slice(0, i);
    const w = waves[i]!;
    const fw = firstStep(w);
    if (!Number.isFinite(fw)) continue;
    const before = a.apps.filter((x) => lower.includes(x.component.wave) && stepOfApp.get(x)! > fw).map((x) => x.component.name);
    if (before.length > 0) {
      const early = a.apps.filter((x) => x.component.wave === w && stepOfApp.get(x) === fw).map((x) => x.component.name);
      out.push({
        line: a.steps[fw]!.line,
        components: early,
        message: `steps out of wave order: step ${fw + 1} syncs wave ${w} (${list(early)}) before ${list(before)} of ${lower.length === 1 ? 'wave' : 'waves'} ${[...new Set(a.apps.filter((x) => before.includes(x.component.name)).map((x) => x.component.wave))].join(', ')}`,
      });
    }
  }
  if (out.length === 0) {
    const derived = deriveRollout(a, settings);
    a.steps.forEach((s, i) => {
      const want = derived.steps[i]?.maxUpdate;
      if (derived.steps.length === a.steps!.length && String(s.maxUpdate ?? '') !== String(want ?? '')) {
        out.push({
          line: s.line,
          components: derived.steps[i]!.components,
          message: `step ${i + 1} (wave ${derived.steps[i]!.wave}) has maxUpdate ${s.maxUpdate ?? 'unset'}, rollout.maxUpdate in wavegate.yaml gives ${want ?? 'unbounded'}`,
        });
      }
    });
  }
  return out;
}
